using System.Text.Json;
using System.Text.Json.Serialization;
using BlueGreen.Functions.GreenSpec;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Preflight;

namespace BlueGreen.Functions.Reporting;

/// <summary>What the upgrade knows once Green's spec is built: enough to say what it will do, before it does anything.</summary>
public sealed record DescribePlanRequest
{
    [JsonPropertyName("plan")] public required UpgradePlan Plan { get; init; }
    [JsonPropertyName("preflight")] public required PreflightResult Preflight { get; init; }
    [JsonPropertyName("greenSpec")] public required GreenSpecification GreenSpec { get; init; }
}

/// <summary>The plan as a person reads it: the lines of the report, the same joined as text, and the estimate.</summary>
public sealed record PlanReport
{
    [JsonPropertyName("lines")] public required IReadOnlyList<string> Lines { get; init; }

    /// <summary>The lines joined with line breaks: the dry run's output, the run record and the start notification carry it.</summary>
    [JsonPropertyName("text")] public required string Text { get; init; }

    [JsonPropertyName("estimate")] public required PlanEstimate Estimate { get; init; }

    /// <summary>
    /// The run record's structured attributes, as DynamoDB attribute values the state machine puts as they are; the
    /// handler adds them (<c>Serialization.RunRecordAttributesWriter</c>: the plan is marshalled as the serializer writes it).
    /// </summary>
    [JsonPropertyName("record")] public RunRecordAttributes? Record { get; init; }
}

/// <summary>
/// The plan, Green's spec and preflight's warnings as DynamoDB attribute values (<c>M</c> and <c>L</c>, not JSON text), so
/// the run record keeps them structured (issue 16) and a query can read a member (<c>plan.M.traffic.M.type.S</c>).
/// Attribute values are about a fifth larger than the plain JSON (large-blue's whole Green spec: 113 KB plain, 134 KB marshalled);
/// an item holds at most 400 KB (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
/// </summary>
public sealed record RunRecordAttributes
{
    [JsonPropertyName("plan")] public required JsonElement Plan { get; init; }

    /// <summary>
    /// Green's spec, for a dry run only (null otherwise), without the run's tags on every request and the idempotency
    /// tokens: a real run carries the spec to create-green, and the spec twice (plain and as attribute values) would not
    /// fit Step Functions' 256 KiB state for a large Blue (scenario large-blue: 113 KB plain, 70 KB as recorded). A real
    /// run's record keeps the plan; Green itself carries its tags.
    /// </summary>
    [JsonPropertyName("greenSpec"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public JsonElement? GreenSpec { get; init; }

    [JsonPropertyName("preflightWarnings")] public required JsonElement PreflightWarnings { get; init; }
}

/// <summary>What the plan itself fixes; Green's creation and health wait depend on EKS and are given as bounds.</summary>
public sealed record PlanEstimate
{
    /// <summary>The bakes of every step: the least time from Green healthy to Green serving all traffic.</summary>
    [JsonPropertyName("bakeSeconds")] public required long BakeSeconds { get; init; }

    /// <summary>The longest Green's health wait may take before the run fails.</summary>
    [JsonPropertyName("healthTimeoutSeconds")] public required long HealthTimeoutSeconds { get; init; }

    /// <summary>The longest the approval gates may wait (0 without approvals).</summary>
    [JsonPropertyName("approvalTimeoutSeconds")] public required long ApprovalTimeoutSeconds { get; init; }

    /// <summary>State transitions of the traffic phase: the steps, their weight changes and their alarm checks.</summary>
    [JsonPropertyName("trafficStateTransitions")] public required long TrafficStateTransitions { get; init; }

    /// <summary><see cref="TrafficStateTransitions"/> at the Standard workflow price.</summary>
    [JsonPropertyName("trafficDollars")] public required decimal TrafficDollars { get; init; }
}
