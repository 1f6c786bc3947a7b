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
