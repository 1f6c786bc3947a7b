using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.TrafficShift;

public sealed record PlanTrafficShiftRequest
{
    [JsonPropertyName("plan")] public required UpgradePlan Plan { get; init; }
    /// <summary>Percent of traffic Green should receive (0..100); ignored when <see cref="Rollback"/> is true.</summary>
    [JsonPropertyName("greenPercent")] public int? GreenPercent { get; init; }
    /// <summary>true: everything back to Blue (Green 0%).</summary>
    [JsonPropertyName("rollback")] public bool Rollback { get; init; }
    /// <summary>
    /// The wiring as the provider's adapter read it (its whole output). ALB: optional; when given, only the forward action
    /// is rewritten and other actions and stickiness are kept. Route 53: required (a change sends each record back as listed).
    /// </summary>
    [JsonPropertyName("current")] public TrafficReading? Current { get; init; }
}
