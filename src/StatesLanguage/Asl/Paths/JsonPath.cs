using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Paths;

/// <summary>What a path is evaluated against.</summary>
public enum PathRoot
{
    /// <summary><c>$</c>: the state's input (or effective result, depending on the field).</summary>
    Data,

    /// <summary><c>$$</c>: the context object.</summary>
    Context,

    /// <summary><c>$name</c>: a workflow variable.</summary>
    Variable,
}

/// <summary>A path whose text is not valid JSONPath.</summary>
public sealed class PathSyntaxException(string path, string reason) : Exception($"Invalid JSONPath '{path}': {reason}")
{
    public string Path { get; } = path;
}

/// <summary>
/// A compiled JSONPath as Step Functions accepts it (the Jayway dialect): <c>$</c>, <c>$$</c> and
/// <c>$variable</c> roots; <c>.name</c>, <c>['name']</c>, <c>[n]</c>, <c>*</c>, <c>..</c>, slices, unions
/// and <c>[?(...)]</c> filters. A <em>definite</em> path selects at most one value; anything else
/// (wildcards, descent, slices, unions, filters) selects a list and always yields an array.
/// Paths are compiled once per definition and are immutable, so they are shared freely.
/// </summary>
public sealed class JsonPath
{
    private static readonly Dictionary<string, JsonPath> Cache = new(StringComparer.Ordinal);
    private static readonly Lock CacheLock = new();

    private JsonPath(string text, PathRoot root, string? variable, PathSegment[] segments)
    {
        Text = text;
        Root = root;
        VariableName = variable;
        Segments = segments;
        IsDefinite = segments.All(s => s.IsDefinite);
        IsReferencePath = segments.All(s => s is ChildSegment or IndexSegment { Index: >= 0 });
    }

    public string Text { get; }

    public PathRoot Root { get; }

    /// <summary>For <see cref="PathRoot.Variable"/>: the variable's name without the dollar sign.</summary>
    public string? VariableName { get; }

    internal PathSegment[] Segments { get; }

    /// <summary>True when the path can select at most one value.</summary>
    public bool IsDefinite { get; }

    /// <summary>True for a Reference Path (the spec's term): only names and non-negative indexes.</summary>
    public bool IsReferencePath { get; }

    /// <summary>Whether <paramref name="text"/> looks like a path at all (starts with <c>$</c>).</summary>
    public static bool LooksLikePath(string text) => text.Length > 0 && text[0] == '$';

    public static JsonPath Parse(string text)
    {
        lock (CacheLock)
        {
            if (Cache.TryGetValue(text, out var cached))
            {
                return cached;
            }
        }

        var parsed = new PathParser(text).ParsePath();
        lock (CacheLock)
        {
            Cache[text] = parsed;
        }

        return parsed;
    }

    public static bool TryParse(string text, out JsonPath? path, out string? error)
    {
        try
        {
            path = Parse(text);
            error = null;
            return true;
        }
        catch (PathSyntaxException e)
        {
            path = null;
            error = e.Message;
            return false;
        }
    }

    internal static JsonPath Create(string text, PathRoot root, string? variable, PathSegment[] segments) => new(text, root, variable, segments);

    /// <summary>
    /// Selects from <paramref name="root"/>. A definite path returns the value or <c>false</c> when
    /// nothing is there; an indefinite path always succeeds with an array of what matched.
    /// </summary>
    public bool TrySelect(JValue root, out JValue result)
    {
        if (Segments.Length == 0)
        {
            result = root;
            return true;
        }

        if (IsDefinite)
        {
            var current = root;
            foreach (var segment in Segments)
            {
                if (!segment.TrySelectOne(current, out current))
                {
                    result = JNull.Instance;
                    return false;
                }
            }

            result = current;
            return true;
        }

        var matches = new List<JValue> { root };
        var next = new List<JValue>();
        foreach (var segment in Segments)
        {
            next.Clear();
            foreach (var m in matches)
            {
                segment.SelectAll(m, root, next);
            }

            (matches, next) = (next, matches);
        }

        result = JArray.From(matches);
        return true;
    }

    public override string ToString() => Text;
}
