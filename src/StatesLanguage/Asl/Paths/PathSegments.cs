using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Paths;

/// <summary>One step of a compiled path.</summary>
internal abstract class PathSegment
{
    public virtual bool IsDefinite => false;

    /// <summary>For definite segments: the single selected value.</summary>
    public virtual bool TrySelectOne(JValue current, out JValue result)
    {
        var all = new List<JValue>();
        SelectAll(current, current, all);
        result = all.Count > 0 ? all[0] : JNull.Instance;
        return all.Count > 0;
    }

    public abstract void SelectAll(JValue current, JValue root, List<JValue> output);
}

internal sealed class ChildSegment(string name) : PathSegment
{
    public string Name { get; } = name;

    public override bool IsDefinite => true;

    public override bool TrySelectOne(JValue current, out JValue result)
    {
        if (current is JObject o && o.TryGet(Name, out result))
        {
            return true;
        }

        result = JNull.Instance;
        return false;
    }

    public override void SelectAll(JValue current, JValue root, List<JValue> output)
    {
        if (current is JObject o && o.TryGet(Name, out var v))
        {
            output.Add(v);
        }
    }
}

internal sealed class IndexSegment(int index) : PathSegment
{
    public int Index { get; } = index;

    public override bool IsDefinite => true;

    public override bool TrySelectOne(JValue current, out JValue result)
    {
        if (current is JArray a)
        {
            var i = Index < 0 ? a.Count + Index : Index;
            if (i >= 0 && i < a.Count)
            {
                result = a[i];
                return true;
            }
        }

        result = JNull.Instance;
        return false;
    }

    public override void SelectAll(JValue current, JValue root, List<JValue> output)
    {
        if (TrySelectOne(current, out var v))
        {
            output.Add(v);
        }
    }
}

internal sealed class WildcardSegment : PathSegment
{
    public static readonly WildcardSegment Instance = new();

    public override void SelectAll(JValue current, JValue root, List<JValue> output)
    {
        switch (current)
        {
            case JObject o:
                foreach (var m in o)
                {
                    output.Add(m.Value);
                }

                break;
            case JArray a:
                output.AddRange(a);
                break;
        }
    }
}

/// <summary><c>..name</c> or <c>..*</c>: the inner segment applied at every depth, document order.</summary>
internal sealed class DescendantSegment(PathSegment inner) : PathSegment
{
    public override void SelectAll(JValue current, JValue root, List<JValue> output)
    {
        inner.SelectAll(current, root, output);
        switch (current)
        {
            case JObject o:
                foreach (var m in o)
                {
                    SelectAll(m.Value, root, output);
                }

                break;
            case JArray a:
                foreach (var item in a)
                {
                    SelectAll(item, root, output);
                }

                break;
        }
    }
}

internal sealed class SliceSegment(int? start, int? end, int step) : PathSegment
{
    public override void SelectAll(JValue current, JValue root, List<JValue> output)
    {
        if (current is not JArray a || step == 0)
        {
            return;
        }

        var n = a.Count;
        int Normalize(int i) => i < 0 ? Math.Max(0, n + i) : Math.Min(n, i);
        if (step > 0)
        {
            var from = start is { } s ? Normalize(s) : 0;
            var to = end is { } e ? Normalize(e) : n;
            for (var i = from; i < to; i += step)
            {
                output.Add(a[i]);
            }
        }
        else
        {
            var from = start is { } s ? Math.Min(n - 1, s < 0 ? n + s : s) : n - 1;
            var to = end is { } e ? (e < 0 ? n + e : e) : -1;
            for (var i = from; i > to && i >= 0; i += step)
            {
                output.Add(a[i]);
            }
        }
    }
}

internal sealed class UnionSegment(PathSegment[] members) : PathSegment
{
    /// <summary>The member names, when every member is a name (<c>['a','b']</c>); null for index unions.</summary>
    public string[]? Names => members.All(m => m is ChildSegment) ? [.. members.Cast<ChildSegment>().Select(c => c.Name)] : null;

    public override void SelectAll(JValue current, JValue root, List<JValue> output)
    {
        foreach (var m in members)
        {
            m.SelectAll(current, root, output);
        }
    }
}

/// <summary>
/// A final bracket naming several members (<c>$.alarms[*]['Name','State']</c>): Jayway merges the members an object has
/// into one new object per match and skips the missing ones (<c>PathToken.handleObjectProperty</c>, the
/// <c>multiPropertyMergeCase</c> of <c>PropertyPathToken</c>, which counts as definite). Not final, the same bracket
/// selects each member in turn (<see cref="UnionSegment"/>).
/// </summary>
internal sealed class MergeSegment(string[] names) : PathSegment
{
    public override bool IsDefinite => true;

    public override bool TrySelectOne(JValue current, out JValue result)
    {
        if (current is JObject o)
        {
            result = Merge(o);
            return true;
        }

        result = JNull.Instance;
        return false;
    }

    public override void SelectAll(JValue current, JValue root, List<JValue> output)
    {
        if (current is JObject o)
        {
            output.Add(Merge(o));
        }
    }

    private JObject Merge(JObject o) => JObject.From(names.Where(o.ContainsKey).Select(n => new KeyValuePair<string, JValue>(n, o[n]!)));
}

internal sealed class FilterSegment(FilterExpression expression) : PathSegment
{
    public override void SelectAll(JValue current, JValue root, List<JValue> output)
    {
        switch (current)
        {
            case JArray a:
                foreach (var item in a)
                {
                    if (expression.IsTrue(item, root))
                    {
                        output.Add(item);
                    }
                }

                break;
            case JObject o:
                // Jayway applies a filter on an object to its member values.
                foreach (var m in o)
                {
                    if (expression.IsTrue(m.Value, root))
                    {
                        output.Add(m.Value);
                    }
                }

                break;
        }
    }
}

/// <summary>A <c>[?(...)]</c> predicate: comparisons of <c>@</c>/<c>$</c> paths and literals, with <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>.</summary>
internal abstract class FilterExpression
{
    public abstract bool IsTrue(JValue current, JValue root);
}

internal sealed class FilterAnd(FilterExpression left, FilterExpression right) : FilterExpression
{
    public override bool IsTrue(JValue current, JValue root) => left.IsTrue(current, root) && right.IsTrue(current, root);
}

internal sealed class FilterOr(FilterExpression left, FilterExpression right) : FilterExpression
{
    public override bool IsTrue(JValue current, JValue root) => left.IsTrue(current, root) || right.IsTrue(current, root);
}

internal sealed class FilterNot(FilterExpression inner) : FilterExpression
{
    public override bool IsTrue(JValue current, JValue root) => !inner.IsTrue(current, root);
}

/// <summary>An operand: a literal, or a path from <c>@</c> (relative) or <c>$</c> (absolute).</summary>
internal sealed class FilterOperand
{
    private FilterOperand(JValue? literal, JsonPath? path, bool relative)
    {
        Literal = literal;
        Path = path;
        Relative = relative;
    }

    public JValue? Literal { get; }

    public JsonPath? Path { get; }

    public bool Relative { get; }

    public static FilterOperand ForLiteral(JValue v) => new(v, null, false);

    public static FilterOperand ForPath(JsonPath p, bool relative) => new(null, p, relative);

    public bool TryEvaluate(JValue current, JValue root, out JValue value)
    {
        if (Literal is not null)
        {
            value = Literal;
            return true;
        }

        // AWS: "The @ operator, matching the current node being processed in a filter, does not match
        // scalar values. It only matches objects." (Paths page), so a filter never selects scalars or arrays.
        if (Relative && current is not JObject)
        {
            value = JNull.Instance;
            return false;
        }

        return Path!.TrySelect(Relative ? current : root, out value);
    }
}

/// <summary>A bare operand: true when the path exists (or the literal is truthy).</summary>
internal sealed class FilterExists(FilterOperand operand) : FilterExpression
{
    public override bool IsTrue(JValue current, JValue root) =>
        operand.TryEvaluate(current, root, out var v) && !(operand.Path is { IsDefinite: false } && v is JArray { Count: 0 }) && v is not JBool { Value: false };
}

internal sealed class FilterComparison(FilterOperand left, string op, FilterOperand right) : FilterExpression
{
    public override bool IsTrue(JValue current, JValue root)
    {
        if (!left.TryEvaluate(current, root, out var l) || !right.TryEvaluate(current, root, out var r))
        {
            return false;
        }

        return op switch
        {
            "==" => l.Equals(r),
            "!=" => !l.Equals(r),
            "<" => Compare(l, r) is < 0,
            "<=" => Compare(l, r) is <= 0,
            ">" => Compare(l, r) is > 0,
            ">=" => Compare(l, r) is >= 0,
            _ => false,
        };
    }

    private static int? Compare(JValue l, JValue r) => (l, r) switch
    {
        (JNumber a, JNumber b) => a.Value.CompareTo(b.Value),
        (JString a, JString b) => string.CompareOrdinal(a.Value, b.Value),
        _ => null,
    };
}
