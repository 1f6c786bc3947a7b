using System.Text.Json.Serialization;

namespace BlueGreen.Functions.Traffic;

/// <summary>
/// One weight change, planned by the provider: the split it sets and the one API call that sets it, as the provider's
/// adapter state machine sends it (<c>operation: apply</c>). Also what the lock keeps as the rollback.
/// </summary>
public sealed record TrafficShiftPlan
{
    [JsonPropertyName("type")] public required string Type { get; init; }
    /// <summary>The API the adapter calls (its <c>apply</c> operation branches on it), e.g. <c>ModifyRule</c>.</summary>
    [JsonPropertyName("apiCall")] public required string ApiCall { get; init; }
    [JsonPropertyName("greenPercent")] public required int GreenPercent { get; init; }
    [JsonPropertyName("blueWeight")] public required int BlueWeight { get; init; }
    [JsonPropertyName("greenWeight")] public required int GreenWeight { get; init; }
    [JsonPropertyName("rollback")] public required bool Rollback { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
    /// <summary>That call's parameters, as the SDK integration takes them.</summary>
    [JsonPropertyName("request")] public required TrafficApiRequest Request { get; init; }
}

/// <summary>The share each side gets, as percentages that add up to 100.</summary>
public sealed record WeightSplit(int GreenPercent, bool Rollback)
{
    public int BluePercent => 100 - GreenPercent;
}

/// <summary>Whether Blue still gets a share, and the sentence that says why (the decommission's Cause).</summary>
public sealed record BlueTrafficVerdict
{
    [JsonPropertyName("servesTraffic")] public required bool ServesTraffic { get; init; }

    [JsonPropertyName("reason")] public required string Reason { get; init; }
}
