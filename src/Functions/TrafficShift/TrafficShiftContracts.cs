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
    /// ALB, optional: the rule's current Actions (DescribeRules) or the listener's DefaultActions
    /// (DescribeListeners). When given, only the forward action is rewritten; others and stickiness are kept.
    /// </summary>
    [JsonPropertyName("currentActions")] public IReadOnlyList<ElbAction>? CurrentActions { get; init; }
    /// <summary>Route 53, required: ListResourceRecordSets(StartRecordName = recordName, StartRecordType = recordType).ResourceRecordSets.</summary>
    [JsonPropertyName("currentRecords")] public IReadOnlyList<ResourceRecordSet>? CurrentRecords { get; init; }
}
