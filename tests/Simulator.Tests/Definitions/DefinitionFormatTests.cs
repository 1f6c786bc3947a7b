using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace BlueGreen.Simulator.Tests.Definitions;

/// <summary>
/// Every definition is written as <c>tools/aslfmt.py</c> writes it (2-space indent; an array or object that fits within
/// 120 characters on its line stays on it), so a diff shows the change and nothing else. Run the tool after editing.
/// </summary>
public class DefinitionFormatTests
{
    private const int Width = 120;

    public static TheoryData<string> Files => new(Directory.GetFiles(System.IO.Path.Combine(BuildInfo.RepositoryRoot, "statemachines"), "*.asl.json").Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Files))]
    public void Definition_IsFormattedAsTheToolWritesIt(string file)
    {
        var text = File.ReadAllText(System.IO.Path.Combine(BuildInfo.RepositoryRoot, "statemachines", file));

        var expected = Format(JsonNode.Parse(text)!, 0, 0) + "\n";

        Assert.True(expected == text, $"{file} is not formatted: run python3 tools/aslfmt.py statemachines/{file}");
    }

    [Fact]
    public void Format_KeepsShortObjectsOnOneLine_AndBreaksLongOnes()
    {
        var node = JsonNode.Parse("""{"a":[1,2],"b":{"c":"x\ny"},"long":"%"}""".Replace("%", new string('z', 130), StringComparison.Ordinal))!;

        Assert.Equal("{\n  \"a\": [1, 2],\n  \"b\": {\"c\": \"x\\ny\"},\n  \"long\": \"" + new string('z', 130) + "\"\n}", Format(node, 0, 0));
    }

    // The same rules as tools/aslfmt.py: Python's json.dumps separators (", " and ": ") and escapes (ensure_ascii off).
    private static string Format(JsonNode? node, int indent, int prefix)
    {
        var one = OneLine(node);
        if (node is not (JsonObject or JsonArray) || indent + prefix + one.Length <= Width)
        {
            return one;
        }

        var pad = new string(' ', indent + 2);
        var close = new string(' ', indent);
        if (node is JsonArray array)
        {
            return "[\n" + string.Join(",\n", array.Select(x => pad + Format(x, indent + 2, 0))) + "\n" + close + "]";
        }

        return "{\n" + string.Join(",\n", ((JsonObject)node).Select(m =>
        {
            var key = Quote(m.Key) + ": ";
            return pad + key + Format(m.Value, indent + 2, key.Length);
        })) + "\n" + close + "}";
    }

    private static string OneLine(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{" + string.Join(", ", o.Select(m => Quote(m.Key) + ": " + OneLine(m.Value))) + "}",
        JsonArray a => "[" + string.Join(", ", a.Select(OneLine)) + "]",
        JsonValue v when v.TryGetValue(out string? s) => Quote(s),
        JsonValue v when v.TryGetValue(out bool b) => b ? "true" : "false",
        _ => node.ToJsonString(),
    };

    private static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
