using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.Health;

public sealed record EvaluateHealthRequest
{
    [JsonPropertyName("plan")] public required UpgradePlan Plan { get; init; }
    /// <summary>When the health wait began ($$.State.EnteredTime of the first health state, kept in the state).</summary>
    [JsonPropertyName("waitStartedAt")] public required string WaitStartedAt { get; init; }
    /// <summary>$$.State.EnteredTime of this Task: handlers never read a clock, so runs replay exactly.</summary>
    [JsonPropertyName("now")] public required string Now { get; init; }
    /// <summary>DescribeCluster(Green).Cluster.</summary>
    [JsonPropertyName("cluster")] public required EksCluster Cluster { get; init; }
    /// <summary>DescribeAddon(...).Addon for each add-on created on Green.</summary>
    [JsonPropertyName("addons")] public required IReadOnlyList<Addon> Addons { get; init; }
    /// <summary>DescribeNodegroup(...).Nodegroup for each nodegroup created on Green.</summary>
    [JsonPropertyName("nodegroups")] public required IReadOnlyList<Nodegroup> Nodegroups { get; init; }
    /// <summary>DescribeTargetHealth(plan.health.targetGroupArn).TargetHealthDescriptions; required when that ARN is set.</summary>
    [JsonPropertyName("targetHealth")] public IReadOnlyList<TargetHealthDescription>? TargetHealth { get; init; }
    /// <summary>Each named Argo CD application as read from Green (eks:call GET plan.health.argoCd.path/NAME, trimmed); required when plan.health.argoCd is set.</summary>
    [JsonPropertyName("argoApplications")] public IReadOnlyList<ArgoApplicationHealth>? ArgoApplications { get; init; }
}

public sealed record HealthVerdict
{
    [JsonPropertyName("healthy")] public required bool Healthy { get; init; }
    /// <summary>Every unmet condition, empty when healthy.</summary>
    [JsonPropertyName("reasons")] public required IReadOnlyList<string> Reasons { get; init; }
    /// <summary>Seconds to wait before the next evaluation (0 when healthy); never past the deadline.</summary>
    [JsonPropertyName("waitSeconds")] public required int WaitSeconds { get; init; }
    [JsonPropertyName("deadline")] public required string Deadline { get; init; }
    [JsonPropertyName("secondsRemaining")] public required int SecondsRemaining { get; init; }
    /// <summary>Healthy targets in Green's target group, or null when none is checked.</summary>
    [JsonPropertyName("healthyTargets"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public int? HealthyTargets { get; init; }
}
