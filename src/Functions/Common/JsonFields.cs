using System.Globalization;
using System.Text.Json;

namespace BlueGreen.Functions.Common;

/// <summary>Collects "field.path: problem" lines so that validation reports everything at once.</summary>
public sealed class ProblemList
{
    private readonly List<string> _items = [];

    public IReadOnlyList<string> Items => _items;
    public bool Any => _items.Count > 0;

    public void Add(string path, string problem) => _items.Add($"{path}: {problem}");
}

/// <summary>
/// Reads one JSON object field by field, reporting wrong types and missing required fields, and at the
/// end every field nobody asked for (a misspelt optional field must not be silently ignored).
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement _object;
    private readonly string _path;
    private readonly ProblemList _problems;
    private readonly List<string> _known = [];

    private JsonFields(JsonElement obj, string path, ProblemList problems)
    {
        _object = obj;
        _path = path;
        _problems = problems;
    }

    /// <summary>Null (and a problem) when <paramref name="element"/> is not an object.</summary>
    public static JsonFields? Open(JsonElement element, string path, ProblemList problems)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return new JsonFields(element, path, problems);
        }
        problems.Add(path, $"must be a JSON object, not {Describe(element)}");
        return null;
    }

    public string PathOf(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    /// <summary>Every member name, for objects whose members are data (label maps).</summary>
    public IEnumerable<string> MemberNames() => _object.EnumerateObject().Select(p => p.Name).ToList();

    public bool Has(string name) => _object.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>The raw value, or null when absent or JSON null (a problem when required).</summary>
    public JsonElement? Raw(string name, bool required = false)
    {
        _known.Add(name);
        if (_object.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }
        if (required)
        {
            _problems.Add(PathOf(name), "required");
        }
        return null;
    }

    /// <summary>A string member; empty text is a problem unless <paramref name="allowEmpty"/> (Kubernetes label values may be empty).</summary>
    public string? String(string name, bool required = false, bool allowEmpty = false)
    {
        var value = Raw(name, required);
        if (value is null)
        {
            return null;
        }
        if (value.Value.ValueKind != JsonValueKind.String)
        {
            _problems.Add(PathOf(name), $"must be a string, not {Describe(value.Value)}");
            return null;
        }
        var text = value.Value.GetString()!;
        if (text.Length == 0 && !allowEmpty)
        {
            _problems.Add(PathOf(name), "must not be empty");
            return null;
        }
        return text;
    }

    public bool? Bool(string name)
    {
        var value = Raw(name);
        if (value is null)
        {
            return null;
        }
        if (value.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.Value.GetBoolean();
        }
        _problems.Add(PathOf(name), $"must be true or false, not {Describe(value.Value)}");
        return null;
    }

    /// <summary>An integer within [min, max]; fractions, strings and out-of-range numbers are problems.</summary>
    public int? Int(string name, int min, int max, bool required = false)
    {
        var value = Raw(name, required);
        return value is null ? null : ReadInt(value.Value, PathOf(name), min, max, _problems);
    }

    public static int? ReadInt(JsonElement value, string path, int min, int max, ProblemList problems)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            problems.Add(path, $"must be a whole number, not {Describe(value)}");
            return null;
        }
        if (!value.TryGetInt32(out var number))
        {
            // Either a fraction or a number too large for an int: say which.
            problems.Add(path, value.TryGetDouble(out var d) && Math.Abs(d) < int.MaxValue
                ? $"must be a whole number, not {value.GetRawText()}"
                : $"must be between {min} and {max}");
            return null;
        }
        if (number < min || number > max)
        {
            problems.Add(path, $"must be between {min} and {max}, not {number}");
            return null;
        }
        return number;
    }

    public JsonFields? Object(string name, bool required = false)
    {
        var value = Raw(name, required);
        return value is null ? null : Open(value.Value, PathOf(name), _problems);
    }

    public IReadOnlyList<JsonElement>? Array(string name, bool required = false)
    {
        var value = Raw(name, required);
        if (value is null)
        {
            return null;
        }
        if (value.Value.ValueKind != JsonValueKind.Array)
        {
            _problems.Add(PathOf(name), $"must be an array, not {Describe(value.Value)}");
            return null;
        }
        return [.. value.Value.EnumerateArray()];
    }

    /// <summary>Reports every member that no accessor asked for. Call once, after reading the object.</summary>
    public void RejectUnknown()
    {
        foreach (var property in _object.EnumerateObject())
        {
            if (!_known.Contains(property.Name, StringComparer.Ordinal))
            {
                _problems.Add(PathOf(property.Name), $"unknown field (expected one of: {string.Join(", ", _known)})");
            }
        }
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "the number " + value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    public static string Quote(string text) =>
        "\"" + (text.Length > 80 ? text[..77] + "..." : text) + "\"";

    public static string Index(string path, int i) => string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
}
