using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.EventBridge;

/// <summary>An event pattern EventBridge would refuse (<c>InvalidEventPatternException</c>), with the reason.</summary>
public sealed class EventPatternException(string reason) : Exception($"Event pattern is not valid. Reason: {reason}")
{
    public string Reason { get; } = reason;
}

/// <summary>
/// An EventBridge event pattern, with the matching semantics of EventBridge (and of Event Ruler, the
/// library behind it):
/// <list type="bullet">
/// <item>every field named in the pattern must match (AND); a field's array lists alternatives (OR);
/// <c>"$or": [ {...}, {...} ]</c> (two or more objects) ORs whole sub-patterns;</item>
/// <item>a nested object matches the event's object at that field; when the event has an array of objects
/// there, one element must match the whole nested pattern;</item>
/// <item>leaf values are strings, numbers (compared by value), booleans and null; when the event's value is
/// an array, the field matches if any element matches;</item>
/// <item>content filters: <c>prefix</c>, <c>suffix</c> (each optionally <c>{"equals-ignore-case": ...}</c>),
/// <c>equals-ignore-case</c>, <c>wildcard</c>, <c>anything-but</c> (a value, a list, or a prefix / suffix /
/// equals-ignore-case / wildcard), <c>numeric</c> (JSON numbers only), <c>exists</c> (leaf fields only:
/// an object is not a leaf, so <c>exists: false</c> matches it) and <c>cidr</c>.</item>
/// </list>
/// Filters other than <c>exists</c> never match an absent field; string filters never match numbers, and
/// <c>numeric</c> never matches strings.
/// </summary>
public sealed partial class EventPattern
{
    private readonly ObjectNode _root;

    private EventPattern(string text, ObjectNode root)
    {
        Text = text;
        _root = root;
    }

    public string Text { get; }

    /// <summary>Parses a pattern or throws <see cref="EventPatternException"/>.</summary>
    public static EventPattern Parse(string text)
    {
        if (!JValue.TryParse(text, out var json, out var error))
        {
            throw new EventPatternException($"Filter is not valid JSON: {error}");
        }

        if (json is not JObject o)
        {
            throw new EventPatternException("Filter is not an object");
        }

        if (o.Count == 0)
        {
            throw new EventPatternException("Filter is empty: it must name at least one field");
        }

        return new EventPattern(text, ParseObject(o, string.Empty));
    }

    public static bool TryParse(string text, out EventPattern? pattern, out string? reason)
    {
        try
        {
            pattern = Parse(text);
            reason = null;
            return true;
        }
        catch (EventPatternException e)
        {
            pattern = null;
            reason = e.Reason;
            return false;
        }
    }

    /// <summary>True when <paramref name="event"/> (the event as delivered: version, id, detail-type, source, ..., detail) matches.</summary>
    public bool Matches(JObject @event) => MatchObject(_root, @event);

    public override string ToString() => Text;

    // ---- matching -------------------------------------------------------------------------------

    private static bool MatchObject(ObjectNode node, JObject value)
    {
        foreach (var (field, child) in node.Fields)
        {
            var found = value.TryGet(field, out var fieldValue) ? fieldValue : null;
            var matched = child switch
            {
                ObjectNode nested => MatchNested(nested, found),
                LeafNode leaf => MatchLeaf(leaf, found),
                _ => false,
            };
            if (!matched)
            {
                return false;
            }
        }

        foreach (var alternatives in node.Ors)
        {
            if (!alternatives.Any(a => MatchObject(a, value)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool MatchNested(ObjectNode nested, JValue? value)
    {
        var objects = Flatten(value).OfType<JObject>().ToList();
        // An absent (or non-object) field still matches a nested pattern made only of "exists": false.
        return objects.Count == 0 ? MatchObject(nested, JObject.Empty) : objects.Any(o => MatchObject(nested, o));
    }

    private static bool MatchLeaf(LeafNode leaf, JValue? value)
    {
        var leaves = Flatten(value).Where(v => v is not JObject).ToList();
        foreach (var matcher in leaf.Matchers)
        {
            if (matcher is ExistsMatcher exists ? exists.Exists == (leaves.Count > 0) : leaves.Any(matcher.Matches))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<JValue> Flatten(JValue? value)
    {
        switch (value)
        {
            case null:
                yield break;
            case JArray array:
                foreach (var item in array.SelectMany(Flatten))
                {
                    yield return item;
                }

                break;
            default:
                yield return value;
                break;
        }
    }

    // ---- parsing --------------------------------------------------------------------------------

    private static ObjectNode ParseObject(JObject o, string path)
    {
        var fields = new List<(string, Node)>();
        var ors = new List<IReadOnlyList<ObjectNode>>();
        foreach (var (key, value) in o)
        {
            var at = path.Length == 0 ? key : $"{path}.{key}";
            if (key == "$or" && value is JArray { Count: >= 2 } alternatives && alternatives.All(a => a is JObject))
            {
                ors.Add(alternatives.Select((a, i) => ParseObject((JObject)a, $"{at}[{i}]")).ToList());
                continue;
            }

            fields.Add((key, value switch
            {
                JObject nested when nested.Count > 0 => ParseObject(nested, at),
                JObject => throw new EventPatternException($"Empty objects are not allowed (at \"{at}\")"),
                JArray { Count: 0 } => throw new EventPatternException($"Empty arrays are not allowed (at \"{at}\")"),
                JArray matchers => new LeafNode(matchers.Select(m => ParseMatcher(m, at)).ToList()),
                _ => throw new EventPatternException($"Match value must be an object or an array, not {value.KindName} (at \"{at}\")"),
            }));
        }

        return new ObjectNode(fields, ors);
    }

    private static Matcher ParseMatcher(JValue m, string at)
    {
        if (m is not JObject filter)
        {
            return m is JArray ? throw new EventPatternException($"Nested arrays are not allowed (at \"{at}\")") : new ExactMatcher(m);
        }

        if (filter.Count != 1)
        {
            throw new EventPatternException($"A content filter has exactly one key (at \"{at}\")");
        }

        var (kind, operand) = filter[0];
        return kind switch
        {
            "prefix" => StringFilter(operand, at, kind, (s, ignoreCase) => new PrefixMatcher(s, ignoreCase)),
            "suffix" => StringFilter(operand, at, kind, (s, ignoreCase) => new SuffixMatcher(s, ignoreCase)),
            "equals-ignore-case" => new IgnoreCaseMatcher(StringOperand(operand, at, kind)),
            "wildcard" => new WildcardMatcher(Wildcard(StringOperand(operand, at, kind), at)),
            "anything-but" => new AnythingButMatcher(AnythingBut(operand, at), operand is JObject),
            "numeric" => Numeric(operand, at),
            "exists" => operand is JBool b ? new ExistsMatcher(b.Value) : throw new EventPatternException($"exists match pattern must be either true or false (at \"{at}\")"),
            "cidr" => operand is JString s && IPNetwork.TryParse(s.Value, out var network)
                ? new CidrMatcher(network)
                : throw new EventPatternException($"Malformed CIDR, one '/' required (at \"{at}\")"),
            _ => throw new EventPatternException($"Unrecognized match type {kind} (at \"{at}\")"),
        };
    }

    private static Matcher StringFilter(JValue operand, string at, string kind, Func<string, bool, Matcher> create)
    {
        if (operand is JObject { Count: 1 } o && o[0].Key == "equals-ignore-case")
        {
            return create(StringOperand(o[0].Value, at, kind), true);
        }

        return create(StringOperand(operand, at, kind), false);
    }

    private static string StringOperand(JValue operand, string at, string kind) =>
        operand is JString s ? s.Value : throw new EventPatternException($"{kind} match pattern must be a string (at \"{at}\")");

    private static Matcher AnythingBut(JValue operand, string at)
    {
        switch (operand)
        {
            case JString or JNumber:
                return new ExactMatcher(operand);
            case JArray { Count: > 0 } list when list.All(v => v is JString) || list.All(v => v is JNumber):
                return new AnyOfMatcher(list.Select(v => (Matcher)new ExactMatcher(v)).ToList());
            case JArray:
                throw new EventPatternException($"Inside anything-but list, all values must be strings or all numbers (at \"{at}\")");
            case JObject { Count: 1 } o:
                var (kind, inner) = o[0];
                return kind switch
                {
                    "prefix" => new PrefixMatcher(StringOperand(inner, at, "anything-but prefix"), false),
                    "suffix" => new SuffixMatcher(StringOperand(inner, at, "anything-but suffix"), false),
                    "equals-ignore-case" => inner is JArray names && names.All(n => n is JString)
                        ? new AnyOfMatcher(names.Select(n => (Matcher)new IgnoreCaseMatcher(((JString)n).Value)).ToList())
                        : new IgnoreCaseMatcher(StringOperand(inner, at, "anything-but equals-ignore-case")),
                    "wildcard" => inner is JArray patterns && patterns.All(n => n is JString)
                        ? new AnyOfMatcher(patterns.Select(n => (Matcher)new WildcardMatcher(Wildcard(((JString)n).Value, at))).ToList())
                        : new WildcardMatcher(Wildcard(StringOperand(inner, at, "anything-but wildcard"), at)),
                    _ => throw new EventPatternException($"Unsupported anything-but pattern: {kind} (at \"{at}\")"),
                };
            default:
                throw new EventPatternException($"Value of anything-but must be an array, a string, a number or an object (at \"{at}\")");
        }
    }

    private static NumericMatcher Numeric(JValue operand, string at)
    {
        if (operand is not JArray { Count: 2 or 4 } terms)
        {
            throw new EventPatternException($"Value of numeric must be an array of one or two (operator, number) pairs (at \"{at}\")");
        }

        double? lower = null, upper = null, equal = null;
        bool lowerInclusive = false, upperInclusive = false;
        for (var i = 0; i < terms.Count; i += 2)
        {
            if (terms[i] is not JString { Value: var op } || terms[i + 1] is not JNumber { Value: var n })
            {
                throw new EventPatternException($"numeric takes pairs of an operator and a number (at \"{at}\")");
            }

            if (Math.Abs(n) > 5e9)
            {
                throw new EventPatternException($"Value {NumberFormat.Format(n)} is out of range: numeric matching works between -5.0e9 and 5.0e9 (at \"{at}\")");
            }

            switch (op)
            {
                case "=" when terms.Count == 2:
                    equal = n;
                    break;
                case ">" or ">=" when lower is null:
                    (lower, lowerInclusive) = (n, op == ">=");
                    break;
                case "<" or "<=" when upper is null:
                    (upper, upperInclusive) = (n, op == "<=");
                    break;
                default:
                    throw new EventPatternException($"Bad numeric range: {terms.ToJson()} (at \"{at}\")");
            }
        }

        if (lower is { } lo && upper is { } hi && lo >= hi)
        {
            throw new EventPatternException($"Bad numeric range: the lower bound must be below the upper bound (at \"{at}\")");
        }

        return new NumericMatcher(lower, lowerInclusive, upper, upperInclusive, equal);
    }

    /// <summary>
    /// A wildcard pattern as a regular expression: <c>*</c> is any run of characters, <c>\*</c> a literal
    /// star and <c>\\</c> a literal backslash; consecutive stars and other escapes are refused.
    /// </summary>
    private static Regex Wildcard(string pattern, string at)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length || pattern[i + 1] is not ('*' or '\\'))
                {
                    throw new EventPatternException($"Invalid use of backslash escape character in wildcard pattern (at \"{at}\")");
                }

                regex.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else if (c == '*')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                {
                    throw new EventPatternException($"Consecutive wildcard characters are not allowed (at \"{at}\")");
                }

                regex.Append(".*");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    // ---- the pattern tree -----------------------------------------------------------------------

    private abstract record Node;

    private sealed record ObjectNode(IReadOnlyList<(string Field, Node Child)> Fields, IReadOnlyList<IReadOnlyList<ObjectNode>> Ors) : Node;

    private sealed record LeafNode(IReadOnlyList<Matcher> Matchers) : Node;

    private abstract class Matcher
    {
        public abstract bool Matches(JValue leaf);
    }

    private sealed class ExactMatcher(JValue expected) : Matcher
    {
        public JValue Expected { get; } = expected;

        public override bool Matches(JValue leaf) => (Expected, leaf) switch
        {
            (JNumber a, JNumber b) => a.Value.Equals(b.Value),
            _ => Expected.Equals(leaf),
        };
    }

    private sealed class AnyOfMatcher(IReadOnlyList<Matcher> alternatives) : Matcher
    {
        public override bool Matches(JValue leaf) => alternatives.Any(a => a.Matches(leaf));
    }

    private sealed class PrefixMatcher(string prefix, bool ignoreCase) : Matcher
    {
        public override bool Matches(JValue leaf) =>
            leaf is JString s && s.Value.StartsWith(prefix, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private sealed class SuffixMatcher(string suffix, bool ignoreCase) : Matcher
    {
        public override bool Matches(JValue leaf) =>
            leaf is JString s && s.Value.EndsWith(suffix, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private sealed class IgnoreCaseMatcher(string expected) : Matcher
    {
        public override bool Matches(JValue leaf) => leaf is JString s && string.Equals(s.Value, expected, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class WildcardMatcher(Regex regex) : Matcher
    {
        public override bool Matches(JValue leaf) => leaf is JString s && regex.IsMatch(s.Value);
    }

    /// <summary>
    /// Matches a present value the inner matcher does not (an absent field has no value, so it never
    /// matches). A string-only exclusion (prefix, suffix, equals-ignore-case, wildcard) only ever matches strings.
    /// </summary>
    private sealed class AnythingButMatcher(Matcher excluded, bool stringsOnly) : Matcher
    {
        public override bool Matches(JValue leaf) => (!stringsOnly || leaf is JString) && !excluded.Matches(leaf);
    }

    private sealed class NumericMatcher(double? lower, bool lowerInclusive, double? upper, bool upperInclusive, double? equal) : Matcher
    {
        public override bool Matches(JValue leaf)
        {
            if (leaf is not JNumber { Value: var n })
            {
                return false;
            }

            if (equal is { } e)
            {
                return n.Equals(e);
            }

            return (lower is not { } lo || (lowerInclusive ? n >= lo : n > lo))
                && (upper is not { } hi || (upperInclusive ? n <= hi : n < hi));
        }
    }

    private sealed class ExistsMatcher(bool exists) : Matcher
    {
        public bool Exists { get; } = exists;

        public override bool Matches(JValue leaf) => Exists;
    }

    private sealed class CidrMatcher(IPNetwork network) : Matcher
    {
        public override bool Matches(JValue leaf) =>
            leaf is JString s && IPAddress.TryParse(s.Value, out var address) && address.AddressFamily == network.BaseAddress.AddressFamily && network.Contains(address);
    }
}
