using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.WorldImport;

/// <summary>What <c>world import</c> refuses, with every problem found (files missing or malformed, resources the simulator cannot model).</summary>
public sealed class WorldImportException(IReadOnlyList<string> problems)
    : Exception($"Cannot import this world:{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", problems)}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// The folder <c>tools/capture-world.sh</c> writes: one file per AWS CLI command, exactly as the CLI prints it
/// (<c>--output json</c>). Reading never stops at the first problem: each missing or malformed file is recorded with the
/// command that writes it, and the import reports them all.
/// </summary>
public sealed class CapturedFiles(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public List<string> Problems { get; } = [];

    /// <summary>A file the import needs; a problem naming <paramref name="command"/> when it is missing or not a JSON object.</summary>
    public JObject? Required(string relativePath, string command) => Read(relativePath, command, required: true);

    /// <summary>A file the import can do without (null when absent); a problem when present but malformed.</summary>
    public JObject? Optional(string relativePath) => Read(relativePath, command: null, required: false);

    /// <summary>Every file of <paramref name="folder"/> whose name starts with <paramref name="prefix"/>, by name.</summary>
    public IEnumerable<(string Name, JObject Json)> All(string folder, string prefix)
    {
        var dir = Path.Combine(Root, folder);
        if (!Directory.Exists(dir))
        {
            yield break;
        }

        foreach (var file in Directory.GetFiles(dir, prefix + "*.json").Order(StringComparer.Ordinal))
        {
            if (Optional(Path.Combine(folder, Path.GetFileName(file))) is { } json)
            {
                yield return (Path.GetFileNameWithoutExtension(file)[prefix.Length..], json);
            }
        }
    }

    /// <summary>The list member <paramref name="key"/> of <paramref name="o"/>; a problem when it is there but not a list.</summary>
    public JArray List(JObject? o, string key, string file)
    {
        if (o is null || !o.TryGet(key, out var value))
        {
            return JArray.Empty;
        }

        if (value is JArray array)
        {
            return array;
        }

        Problems.Add($"{file}: '{key}' must be a list (is this the AWS CLI's JSON output?)");
        return JArray.Empty;
    }

    /// <summary>The object member <paramref name="key"/> of <paramref name="o"/>; a problem when missing.</summary>
    public JObject? Member(JObject? o, string key, string file)
    {
        if (o is null)
        {
            return null;
        }

        if (o.GetObject(key) is { } member)
        {
            return member;
        }

        Problems.Add($"{file}: no '{key}' object (is this the AWS CLI's JSON output of the right command?)");
        return null;
    }

    /// <summary>A file name for a resource name or ARN: what the capture script writes (characters other than letters, digits, '.', '_' and '-' become '_').</summary>
    public static string SafeName(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray());

    private JObject? Read(string relativePath, string? command, bool required)
    {
        var path = Path.Combine(Root, relativePath);
        if (!File.Exists(path))
        {
            if (required)
            {
                Problems.Add($"{relativePath} is missing (written by: {command})");
            }

            return null;
        }

        if (!JValue.TryParse(File.ReadAllText(path), out var json, out var error))
        {
            Problems.Add($"{relativePath} is not JSON: {error}");
            return null;
        }

        if (json is JObject o)
        {
            return o;
        }

        Problems.Add($"{relativePath} must hold a JSON object, as the AWS CLI prints it, not {json.KindName}");
        return null;
    }
}

/// <summary>Builders for world files: a member only when the captured output has it.</summary>
internal static class ImportJson
{
    public static JObjectBuilder AddIf(this JObjectBuilder builder, string key, string? value) => value is null ? builder : builder.Add(key, value);

    public static JObjectBuilder AddIf(this JObjectBuilder builder, string key, double? value) => value is null ? builder : builder.Add(key, value.Value);

    public static JObjectBuilder AddIf(this JObjectBuilder builder, string key, JValue? value) => value is null ? builder : builder.Add(key, value);
}
