using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.Traffic;

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

public static class TrafficApiCalls
{
    public const string ModifyRule = "ModifyRule";
    public const string ModifyListener = "ModifyListener";
    public const string ChangeResourceRecordSets = "ChangeResourceRecordSets";
}

public sealed record TrafficShiftPlan
{
    [JsonPropertyName("type")] public required string Type { get; init; }
    /// <summary>Which of the three parameter objects to send: ModifyRule | ModifyListener | ChangeResourceRecordSets.</summary>
    [JsonPropertyName("apiCall")] public required string ApiCall { get; init; }
    [JsonPropertyName("greenPercent")] public required int GreenPercent { get; init; }
    [JsonPropertyName("blueWeight")] public required int BlueWeight { get; init; }
    [JsonPropertyName("greenWeight")] public required int GreenWeight { get; init; }
    [JsonPropertyName("rollback")] public required bool Rollback { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
    [JsonPropertyName("modifyRule"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public ModifyRuleRequest? ModifyRule { get; init; }
    [JsonPropertyName("modifyListener"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public ModifyListenerRequest? ModifyListener { get; init; }
    [JsonPropertyName("changeResourceRecordSets"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public ChangeResourceRecordSetsRequest? ChangeResourceRecordSets { get; init; }
}
