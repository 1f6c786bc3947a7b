using System.Text.Json;
using System.Text.Json.Serialization;

namespace BlueGreen.Functions.Planning;

/// <summary>PlanUpgrade's handler input: the execution input, untouched, plus the execution's identity.</summary>
public sealed record PlanUpgradeRequest
{
    [JsonPropertyName("input")] public JsonElement? Input { get; init; }
    [JsonPropertyName("execution")] public ExecutionInfo? Execution { get; init; }
}

/// <summary>From the context object: $$.Execution.Id, $$.Execution.Name, $$.Execution.StartTime.</summary>
public sealed record ExecutionInfo
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("startTime")] public string? StartTime { get; init; }
}
