using System.Text.Json.Serialization;
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

    /// <summary>The wiring as the provider's adapter just read it (operation <c>read</c>): its whole output.</summary>
    [JsonPropertyName("current")] public TrafficReading? Current { get; init; }
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
        var current = request.Current ?? throw new InvalidInput("current: required (the traffic adapter's read)");
        return TrafficProviders.For(blue).CheckBlue(blue, current, cluster, replacedBy);
    }
}
