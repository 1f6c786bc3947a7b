using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace BlueGreen.Functions.Serialization;

/// <summary>
/// Stream -> Stream plumbing shared by the handlers: parse with the source-generated metadata, turn malformed
/// input into <see cref="InvalidInput"/> naming the JSON path, and write the result.
/// </summary>
public static class HandlerJson
{
    public static T Read<T>(Stream input, JsonTypeInfo<T> typeInfo) where T : class
    {
        ArgumentNullException.ThrowIfNull(input);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(input, typeInfo);
        }
        catch (JsonException e)
        {
            // e.Message names the path ($.plan.traffic) and what was wrong; it never contains input values.
            throw new InvalidInput($"{e.Path ?? "$"}: the handler input is not valid JSON of the expected shape ({FirstSentence(e.Message)})");
        }
        catch (NotSupportedException e) when (e.InnerException is NotSupportedException)
        {
            // A polymorphic object (traffic plan, Blue share, reading) without "type": System.Text.Json names the path
            // in the outer message and the type in the inner one, never an input value.
            var at = e.Message.IndexOf("Path: ", StringComparison.Ordinal) is var i and >= 0 ? e.Message[(i + 6)..].Split(' ')[0] : "$";
            throw new InvalidInput($"{at}: the handler input is not valid JSON of the expected shape (an object here must name its \"type\")");
        }
        return value ?? throw new InvalidInput("$: the handler input must be a JSON object, not null");
    }

    public static Stream Write<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var output = new MemoryStream();
        JsonSerializer.Serialize(output, value, typeInfo);
        output.Position = 0;
        return output;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}
