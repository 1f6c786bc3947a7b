using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace BlueGreen.Functions.Common;

/// <summary>
/// Plain JSON to DynamoDB attribute-value JSON and back, for run-record attributes that are maps and lists (issue 16):
/// Step Functions' DynamoDB integrations take and return items only in attribute-value form, and the States Language
/// cannot convert a value of unknown shape, so the decision function that produces a value also returns it marshalled.
/// </summary>
/// <remarks>
/// Limits (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html, "Attributes" and "Items"):
/// an item is at most 400 KB, names and values counted in UTF-8; nested attributes go at most 32 levels deep. Empty strings
/// are allowed in non-key attributes; numbers carry up to 38 significant digits (a JSON number is written as its text).
/// Step Functions' AWS SDK integrations name the Java SDK's members (<c>Bool</c>, <c>Nul</c>, <c>Ss</c>, <c>Ns</c>,
/// <c>Bs</c>) where the optimized integration and the wire use <c>BOOL</c>, <c>NULL</c>, <c>SS</c>, <c>NS</c>, <c>BS</c>:
/// <see cref="ToPlain"/> reads both.
/// </remarks>
public static class AttributeValues
{
    /// <summary>How deep DynamoDB nests attributes: 32 levels.</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// The attribute value of <paramref name="value"/>: an object is <c>M</c>, an array <c>L</c>, a string <c>S</c>, a
    /// number <c>N</c>, true/false <c>BOOL</c>, null <c>NULL</c>.
    /// </summary>
    /// <exception cref="InvalidInput">The value nests deeper than DynamoDB allows; <paramref name="name"/> names it.</exception>
    public static JsonElement FromPlain(JsonElement value, string name)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value, 1, name);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>The plain JSON of an attribute value, in either spelling (optimized integration or AWS SDK integration).</summary>
    /// <exception cref="InvalidInput">Not an attribute value; <paramref name="path"/> names where.</exception>
    public static JsonElement ToPlain(JsonElement attribute, string path)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Read(writer, attribute, path);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Every attribute of an item, as plain JSON (<see cref="ToPlain"/>).</summary>
    public static Dictionary<string, JsonElement> ItemToPlain(IReadOnlyDictionary<string, JsonElement> item, string path)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.ToDictionary(a => a.Key, a => ToPlain(a.Value, $"{path}.{a.Key}"), StringComparer.Ordinal);
    }

    private static void Write(Utf8JsonWriter writer, JsonElement value, int depth, string name)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidInput($"{name}: nests deeper than the {MaxDepth} levels DynamoDB allows in an item");
        }

        writer.WriteStartObject();
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject("M");
                foreach (var member in value.EnumerateObject())
                {
                    writer.WritePropertyName(member.Name);
                    Write(writer, member.Value, depth + 1, name);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray("L");
                foreach (var item in value.EnumerateArray())
                {
                    Write(writer, item, depth + 1, name);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteString("S", value.GetString());
                break;
            case JsonValueKind.Number:
                writer.WriteString("N", value.GetRawText());
                break;
            case JsonValueKind.True or JsonValueKind.False:
                writer.WriteBoolean("BOOL", value.GetBoolean());
                break;
            default:
                writer.WriteBoolean("NULL", true);
                break;
        }

        writer.WriteEndObject();
    }

    private static void Read(Utf8JsonWriter writer, JsonElement attribute, string path)
    {
        if (attribute.ValueKind != JsonValueKind.Object || attribute.EnumerateObject().Take(2).Count() != 1)
        {
            throw new InvalidInput($"{path}: not a DynamoDB attribute value (an object with one member: S, N, BOOL, NULL, M, L, SS, NS, BS or B)");
        }

        var member = attribute.EnumerateObject().First();
        var value = member.Value;
        switch (member.Name)
        {
            case "S" or "B" when value.ValueKind == JsonValueKind.String:
                writer.WriteStringValue(value.GetString());
                break;
            case "N" when value.ValueKind == JsonValueKind.String:
                WriteNumber(writer, value.GetString()!, path);
                break;
            case "BOOL" or "Bool" when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                writer.WriteBooleanValue(value.GetBoolean());
                break;
            case "NULL" or "Nul":
                writer.WriteNullValue();
                break;
            case "M" when value.ValueKind == JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var m in value.EnumerateObject())
                {
                    writer.WritePropertyName(m.Name);
                    Read(writer, m.Value, $"{path}.{m.Name}");
                }

                writer.WriteEndObject();
                break;
            case "L" when value.ValueKind == JsonValueKind.Array:
                writer.WriteStartArray();
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Read(writer, item, $"{path}[{i++}]");
                }

                writer.WriteEndArray();
                break;
            case "SS" or "Ss" or "BS" or "Bs" or "NS" or "Ns" when value.ValueKind == JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    if (member.Name[0] == 'N')
                    {
                        WriteNumber(writer, item.GetString() ?? string.Empty, path);
                    }
                    else
                    {
                        writer.WriteStringValue(item.GetString());
                    }
                }

                writer.WriteEndArray();
                break;
            default:
                throw new InvalidInput($"{path}: '{member.Name}' with a {value.ValueKind.ToString().ToLowerInvariant()} is not a DynamoDB attribute value");
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string text, string path)
    {
        try
        {
            // The text as DynamoDB keeps it, so what was written comes back digit for digit.
            writer.WriteRawValue(text);
        }
        catch (JsonException)
        {
            // DynamoDB accepts forms JSON does not ("+5", ".5"); a decimal writes them as JSON.
            writer.WriteNumberValue(decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? number : throw new InvalidInput($"{path}: N must hold a number"));
        }
    }
}
