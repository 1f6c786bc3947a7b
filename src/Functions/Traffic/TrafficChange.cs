using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;

namespace BlueGreen.Functions.Traffic;

/// <summary>The API call a provider's adapter makes to apply a change (its <c>apply</c> operation branches on it).</summary>
public static class TrafficApiCalls
{
    public const string ModifyRule = "ModifyRule";
    public const string ModifyListener = "ModifyListener";
    public const string ChangeResourceRecordSets = "ChangeResourceRecordSets";
}

/// <summary>
/// One weight change, planned by the provider: the split it sets and the one API call that sets it, as the provider's
/// adapter state machine sends it (<c>operation: apply</c>). Also what the lock keeps as the rollback.
/// </summary>
public sealed record TrafficShiftPlan
{
    [JsonPropertyName("type")] public required string Type { get; init; }
    /// <summary>The API the adapter calls (its <c>apply</c> operation branches on it): <see cref="TrafficApiCalls"/>.</summary>
    [JsonPropertyName("apiCall")] public required string ApiCall { get; init; }
    [JsonPropertyName("greenPercent")] public required int GreenPercent { get; init; }
    [JsonPropertyName("blueWeight")] public required int BlueWeight { get; init; }
    [JsonPropertyName("greenWeight")] public required int GreenWeight { get; init; }
    [JsonPropertyName("rollback")] public required bool Rollback { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
    /// <summary>That call's parameters, as the SDK integration takes them.</summary>
    [JsonPropertyName("request")] public required TrafficApiRequest Request { get; init; }
}
