using System.Text;
using System.Text.Json;

namespace BlueGreen.Simulator.Json;

/// <summary>Input that is not JSON.</summary>
public sealed class JsonSyntaxException(string message) : Exception(message);

/// <summary>String escaping identical to JSON.stringify: only quote, backslash and control characters are escaped.</summary>
internal static class JsonEscaping
{
    public static void WriteQuoted(StringBuilder sb, string value)
    {
        sb.Append('"');
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 0x20 && c != '"' && c != '\\')
            {
                continue;
            }

            sb.Append(value, start, i - start);
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => $"\\u{(int)c:x4}",
            });
            start = i + 1;
        }

        sb.Append(value, start, value.Length - start);
        sb.Append('"');
    }

    public static int QuotedUtf8Length(string value)
    {
        var size = 2;
        foreach (var c in value)
        {
            size += c switch
            {
                '"' or '\\' or '\b' or '\f' or '\n' or '\r' or '\t' => 2,
                < (char)0x20 => 6,
                < (char)0x80 => 1,
                < (char)0x800 => 2,
                _ when char.IsSurrogate(c) => 2, // a pair is 4 bytes in UTF-8, 2 per half
                _ => 3,
            };
        }

        return size;
    }
}

/// <summary>Builds <see cref="JValue"/> trees straight from UTF-8 with the framework's reader.</summary>
internal static class JsonParser
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 512, CommentHandling = JsonCommentHandling.Disallow };

    public static JValue Parse(ReadOnlySpan<byte> utf8)
    {
        // Skip a UTF-8 byte order mark: files saved by editors on Windows often start with one.
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8 = utf8[3..];
        }

        var reader = new Utf8JsonReader(utf8, Options);
        try
        {
            if (!reader.Read())
            {
                throw new JsonSyntaxException("Empty JSON text.");
            }

            var value = ReadValue(ref reader);
            if (reader.Read())
            {
                throw new JsonSyntaxException($"Unexpected content after the JSON value at byte {reader.TokenStartIndex}.");
            }

            return value;
        }
        catch (JsonException e)
        {
            throw new JsonSyntaxException(e.Message);
        }
        catch (InvalidOperationException e)
        {
            // The reader refuses to unescape a string holding a lone UTF-16 surrogate ("\ud800"); that is
            // bad input, not a simulator fault, so it is reported like any other syntax error.
            throw new JsonSyntaxException($"Invalid string at byte {reader.TokenStartIndex}: {e.Message}");
        }
    }

    private static JValue ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                {
                    var builder = new JObjectBuilder();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        var key = reader.GetString()!;
                        reader.Read();
                        builder[key] = ReadValue(ref reader);
                    }

                    return builder.Count == 0 ? JObject.Empty : builder.Build();
                }

            case JsonTokenType.StartArray:
                {
                    var items = new List<JValue>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        items.Add(ReadValue(ref reader));
                    }

                    return items.Count == 0 ? JArray.Empty : new JArray([.. items]);
                }

            case JsonTokenType.String:
                return new JString(reader.GetString()!);
            case JsonTokenType.Number:
                {
                    // Numbers are IEEE doubles; a literal such as 1e400 has no finite double and is rejected
                    // as input rather than crashing the engine.
                    var number = reader.GetDouble();
                    return double.IsFinite(number)
                        ? new JNumber(number)
                        : throw new JsonSyntaxException($"The number at byte {reader.TokenStartIndex} is outside the range of a 64-bit floating-point number.");
                }
            case JsonTokenType.True:
                return JBool.True;
            case JsonTokenType.False:
                return JBool.False;
            case JsonTokenType.Null:
                return JNull.Instance;
            default:
                throw new JsonSyntaxException($"Unexpected token {reader.TokenType}.");
        }
    }
}

/// <summary>Two-space indented output for people.</summary>
internal static class JsonPretty
{
    public static string Format(JValue value)
    {
        var sb = new StringBuilder();
        Write(sb, value, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JValue value, int depth)
    {
        switch (value)
        {
            case JObject { Count: > 0 } o:
                sb.Append("{\n");
                for (var i = 0; i < o.Count; i++)
                {
                    sb.Append(' ', (depth + 1) * 2);
                    JsonEscaping.WriteQuoted(sb, o[i].Key);
                    sb.Append(": ");
                    Write(sb, o[i].Value, depth + 1);
                    sb.Append(i < o.Count - 1 ? ",\n" : "\n");
                }

                sb.Append(' ', depth * 2).Append('}');
                break;
            case JArray { Count: > 0 } a:
                sb.Append("[\n");
                for (var i = 0; i < a.Count; i++)
                {
                    sb.Append(' ', (depth + 1) * 2);
                    Write(sb, a[i], depth + 1);
                    sb.Append(i < a.Count - 1 ? ",\n" : "\n");
                }

                sb.Append(' ', depth * 2).Append(']');
                break;
            default:
                value.WriteTo(sb);
                break;
        }
    }
}
