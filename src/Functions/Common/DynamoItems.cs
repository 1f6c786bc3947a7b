using System.Globalization;
using System.Text.Json;

namespace BlueGreen.Functions.Common;

/// <summary>Reads attributes of a DynamoDB item as the Step Functions DynamoDB integrations return it (DynamoDB JSON).</summary>
public static class DynamoItems
{
    /// <summary>A string attribute (<c>{"S": ...}</c>), or null.</summary>
    public static string? Text(IReadOnlyDictionary<string, JsonElement> item, string name) =>
        item.TryGetValue(name, out var value) ? TextOf(value) : null;

    /// <summary>A string attribute of an item held as one JSON object (<c>{"name": {"S": ...}}</c>), or null.</summary>
    public static string? Text(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) ? TextOf(value) : null;

    /// <summary>The item of a GetItem output (<c>{"Item": {...}}</c>), or null when the key matched none (<c>{}</c>).</summary>
    public static JsonElement? ItemOf(JsonElement? getItemOutput) =>
        getItemOutput is { ValueKind: JsonValueKind.Object } output && output.TryGetProperty("Item", out var item) && item.ValueKind == JsonValueKind.Object
            ? item
            : null;

    private static string? TextOf(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("S", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;

    /// <summary>A number attribute (<c>{"N": "..."}</c>) that is a whole number, or null.</summary>
    public static long? WholeNumber(IReadOnlyDictionary<string, JsonElement> item, string name) =>
        item.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Object && value.TryGetProperty("N", out var n) && n.ValueKind == JsonValueKind.String
        && long.TryParse(n.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;
}
