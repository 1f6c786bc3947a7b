using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Decommission;

/// <summary>What the decommission read of Blue's traffic wiring, and whose cluster it is about to delete.</summary>
public sealed record CheckBlueTrafficRequest
{
    [JsonPropertyName("clusterName")] public string? ClusterName { get; init; }

    /// <summary>The cluster that replaced Blue: where the operator should move the traffic.</summary>
    [JsonPropertyName("replacedBy")] public string? ReplacedBy { get; init; }

    /// <summary>The decommission input's <c>traffic</c>: Blue's share (PlanDecommission's <c>input.traffic</c>).</summary>
    [JsonPropertyName("traffic")] public BlueShare? Traffic { get; init; }

    /// <summary>ALB: the listener rule's actions or the listener's default actions, as the adapter read them.</summary>
    [JsonPropertyName("currentActions")] public IReadOnlyList<ElbAction>? CurrentActions { get; init; }

    /// <summary>Route 53: the records listed from Blue's record name on, as the adapter read them.</summary>
    [JsonPropertyName("currentRecords")] public IReadOnlyList<ResourceRecordSet>? CurrentRecords { get; init; }
}

/// <summary>
/// Decides whether Blue still serves traffic before the decommission deletes it: an operator may have moved traffic back
/// by hand during the retention period. The provider decides from the wiring its adapter just read; when in doubt Blue is kept.
/// </summary>
public static class BlueTrafficCheck
{
    public static BlueTrafficVerdict Check(CheckBlueTrafficRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cluster = request.ClusterName ?? throw new InvalidInput("clusterName: required");
        var replacedBy = request.ReplacedBy ?? throw new InvalidInput("replacedBy: required");
        var blue = request.Traffic ?? throw new InvalidInput("traffic: required");
        var current = new TrafficReading { CurrentActions = request.CurrentActions, CurrentRecords = request.CurrentRecords };
        return TrafficProviders.For(blue).CheckBlue(blue, current, cluster, replacedBy);
    }
}
