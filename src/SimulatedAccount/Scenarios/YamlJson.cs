using System.Globalization;
using BlueGreen.Simulator.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BlueGreen.Simulator.Scenarios;

/// <summary>
/// Reads YAML into <see cref="JValue"/> with JSON's types: plain scalars that look like numbers,
/// booleans or null become those; quoted scalars stay strings (so <c>"111122223333"</c> is a string).
/// </summary>
public static class YamlJson
{
    public static JValue Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ScenarioException($"YAML error at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }

        return stream.Documents.Count == 0 ? JObject.Empty : Convert(stream.Documents[0].RootNode);
    }

    private static JValue Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => JObject.From(map.Children.Select(kv => new KeyValuePair<string, JValue>(((YamlScalarNode)kv.Key).Value ?? string.Empty, Convert(kv.Value)))),
        YamlSequenceNode seq => JArray.From(seq.Children.Select(Convert)),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new ScenarioException($"Unsupported YAML node at line {node.Start.Line}."),
    };

    private static JValue Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return new JString(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return JNull.Instance;
            case "true" or "True" or "TRUE":
                return JBool.True;
            case "false" or "False" or "FALSE":
                return JBool.False;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && char.IsAsciiDigit(text[^1])
            ? new JNumber(number)
            : new JString(text);
    }
}
