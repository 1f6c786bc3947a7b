using System.Text;
using BlueGreen.Simulator.Asl.Paths;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.EventBridge;

/// <summary>
/// A target's InputTransformer: <c>InputPathsMap</c> names values of the event (JSONPath), and
/// <c>InputTemplate</c> places them with <c>&lt;name&gt;</c>. Inside a JSON string literal a value goes in as
/// raw text; elsewhere as JSON. A template that is not JSON at all (plain text) takes raw text everywhere.
/// Predefined: <c>aws.events.rule-arn</c>, <c>aws.events.rule-name</c>, <c>aws.events.event</c>,
/// <c>aws.events.event.json</c> and <c>aws.events.event.ingestion-time</c>.
/// </summary>
internal sealed class InputTransformer
{
    private readonly IReadOnlyList<(string Name, JsonPath Path)> _paths;
    private readonly string _template;

    private InputTransformer(IReadOnlyList<(string, JsonPath)> paths, string template)
    {
        _paths = paths;
        _template = template;
    }

    public static InputTransformer Parse(JObject transformer, Func<string, Exception> invalid)
    {
        var template = transformer.GetString("InputTemplate") ?? throw invalid("InputTransformer.InputTemplate is required.");
        var paths = new List<(string, JsonPath)>();
        foreach (var (name, value) in transformer.GetObject("InputPathsMap") ?? JObject.Empty)
        {
            if (name.StartsWith("aws.", StringComparison.Ordinal))
            {
                throw invalid($"InputTransformer.InputPathsMap: '{name}' is reserved (names starting with aws. are predefined).");
            }

            if (value is not JString { Value: var text } || !JsonPath.TryParse(text, out var path, out var error) || path!.Root != PathRoot.Data)
            {
                throw invalid($"InputTransformer.InputPathsMap: '{name}' must map to a JSONPath starting with $.");
            }

            paths.Add((name, path));
        }

        if (paths.Count > 100)
        {
            throw invalid("InputTransformer.InputPathsMap allows at most 100 entries.");
        }

        return new InputTransformer(paths, template);
    }

    public string Apply(JObject @event, string ruleName, string ruleArn)
    {
        var values = new Dictionary<string, JValue>(StringComparer.Ordinal)
        {
            ["aws.events.rule-arn"] = ruleArn,
            ["aws.events.rule-name"] = ruleName,
            ["aws.events.event"] = @event,
            ["aws.events.event.json"] = @event,
            ["aws.events.event.ingestion-time"] = @event.GetString("time") ?? string.Empty,
        };
        foreach (var (name, path) in _paths)
        {
            values[name] = path.TrySelect(@event, out var selected) ? selected : JNull.Instance;
        }

        var plainText = !JValue.TryParse(Substitute(values, plainText: false, probe: true), out _, out _);
        return Substitute(values, plainText, probe: false);
    }

    /// <summary>Replaces placeholders; with <paramref name="probe"/> each becomes <c>null</c>, to test whether the template is JSON.</summary>
    private string Substitute(Dictionary<string, JValue> values, bool plainText, bool probe)
    {
        var output = new StringBuilder(_template.Length);
        var inString = false;
        for (var i = 0; i < _template.Length; i++)
        {
            var c = _template[i];
            if (c == '<')
            {
                var end = _template.IndexOf('>', i + 1);
                if (end > i && values.TryGetValue(_template[(i + 1)..end], out var value))
                {
                    output.Append(probe ? (inString ? string.Empty : "null") : Render(value, raw: plainText || inString, escape: inString && !plainText));
                    i = end;
                    continue;
                }
            }

            if (c == '\\' && inString && i + 1 < _template.Length)
            {
                output.Append(c).Append(_template[++i]);
                continue;
            }

            if (c == '"')
            {
                inString = !inString;
            }

            output.Append(c);
        }

        return output.ToString();
    }

    private static string Render(JValue value, bool raw, bool escape)
    {
        if (!raw)
        {
            return value.ToJson();
        }

        var text = value is JString s ? s.Value : value.ToJson();
        if (!escape)
        {
            return text;
        }

        var quoted = new JString(text).ToJson();
        return quoted[1..^1];
    }
}
