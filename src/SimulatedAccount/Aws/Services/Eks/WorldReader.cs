using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// Reads one object of the <c>eks</c> world section, collecting every problem (unknown fields, wrong types,
/// missing members) with its path instead of stopping at the first, as scenario loading does.
/// </summary>
internal sealed class WorldReader
{
    private readonly JObject _o;
    private readonly List<string> _problems;

    public WorldReader(JObject o, string path, List<string> problems, params string[] allowed)
    {
        _o = o;
        Path = path;
        _problems = problems;
        foreach (var key in o.Keys.Where(k => !allowed.Contains(k)))
        {
            problems.Add($"{path}: unknown field '{key}' (allowed: {string.Join(", ", allowed)})");
        }
    }

    public string Path { get; }

    public JObject Raw => _o;

    /// <summary>The shared problem list, for readers of nested objects.</summary>
    public List<string> Problems => _problems;

    public void Problem(string message) => _problems.Add($"{Path}: {message}");

    public string? Str(string key)
    {
        if (!_o.TryGet(key, out var v) || v is JNull)
        {
            return null;
        }

        if (v is JString s)
        {
            return s.Value;
        }

        Problem($"'{key}' must be a string (quote numbers such as versions: \"1.32\")");
        return null;
    }

    public string Req(string key, string fallback = "")
    {
        var value = Str(key);
        if (value is null)
        {
            Problem($"'{key}' is required");
        }

        return value ?? fallback;
    }

    public bool? Bool(string key) => _o.TryGet(key, out var v) ? v is JBool b ? b.Value : Fail<bool?>($"'{key}' must be true or false") : null;

    public int? Int(string key) => _o.TryGet(key, out var v) ? v is JNumber { IsInteger: true } n ? (int)n.Value : Fail<int?>($"'{key}' must be an integer") : null;

    public JObject? Obj(string key) => _o.TryGet(key, out var v) && v is not JNull ? v as JObject ?? Fail<JObject?>($"'{key}' must be an object") : null;

    public IEnumerable<(JObject Item, string Path)> Items(string key)
    {
        if (!_o.TryGet(key, out var v) || v is JNull)
        {
            yield break;
        }

        if (v is not JArray array)
        {
            Problem($"'{key}' must be a list");
            yield break;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JObject item)
            {
                yield return (item, $"{Path}.{key}[{i}]");
            }
            else
            {
                _problems.Add($"{Path}.{key}[{i}] must be an object");
            }
        }
    }

    public List<string> Strs(string key)
    {
        if (!_o.TryGet(key, out var v) || v is JNull)
        {
            return [];
        }

        if (v is JArray a && a.All(x => x is JString))
        {
            return a.Select(x => x.AsString()).ToList();
        }

        Problem($"'{key}' must be a list of strings");
        return [];
    }

    public Dictionary<string, string> Map(string key)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, value) in Obj(key) ?? JObject.Empty)
        {
            if (value is JString or JNumber or JBool)
            {
                map[k] = value is JString s ? s.Value : value.ToJson();
            }
            else
            {
                Problem($"'{key}.{k}' must be a string");
            }
        }

        return map;
    }

    public DateTimeOffset? Time(string key)
    {
        var text = Str(key);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            return t;
        }

        Problem($"'{key}' is not an ISO 8601 timestamp");
        return null;
    }

    public string? OneOf(string key, params string[] allowed)
    {
        var value = Str(key);
        if (value is not null && !allowed.Contains(value))
        {
            Problem($"'{key}' must be one of {string.Join(", ", allowed)}, not '{value}'");
            return null;
        }

        return value;
    }

    /// <summary>World data is written with the API's camelCase names; Step Functions answers in PascalCase.</summary>
    public static JValue Pascalize(JValue value) => value switch
    {
        JObject o => JObject.From(o.Select(kv => new KeyValuePair<string, JValue>(kv.Key.Length == 0 ? kv.Key : char.ToUpperInvariant(kv.Key[0]) + kv.Key[1..], Pascalize(kv.Value)))),
        JArray a => JArray.From(a.Select(Pascalize)),
        _ => value,
    };

    private T Fail<T>(string message)
    {
        Problem(message);
        return default!;
    }
}
