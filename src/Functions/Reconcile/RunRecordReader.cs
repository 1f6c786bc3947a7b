using System.Text.Json;
using System.Text.Json.Serialization;
using BlueGreen.Functions.Common;

namespace BlueGreen.Functions.Reconcile;

/// <summary>A run item as a DynamoDB integration returned it (attribute values, either spelling).</summary>
public sealed record ReadRunRecordRequest
{
    [JsonPropertyName("item")] public Dictionary<string, JsonElement>? Item { get; init; }
}

/// <summary>
/// The run item as plain JSON, for states that pass a member on (reconcile-run hands the run's <c>plan.traffic</c> to the
/// traffic adapter): the run record keeps the plan as a map (issue 16), which the States Language cannot turn back into
/// the JSON the adapter takes.
/// </summary>
public static class RunRecordReader
{
    /// <summary>Attributes that records written before issue 16 kept as JSON text; they are read as the structure they hold.</summary>
    public static readonly IReadOnlyList<string> FormerlyJsonText = ["plan", "greenSpec", "preflightWarnings"];

    public static Dictionary<string, JsonElement> Read(ReadRunRecordRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var item = request.Item ?? throw new InvalidInput("item: required (the run item as GetItem or Query returned it)");
        var plain = AttributeValues.ItemToPlain(item, "item");
        foreach (var name in FormerlyJsonText)
        {
            if (plain.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String && LegacyJson(value.GetString()!) is { } parsed)
            {
                plain[name] = parsed;
            }
        }

        return plain;
    }

    private static JsonElement? LegacyJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
