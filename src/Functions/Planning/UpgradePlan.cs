using System.Text.Json.Serialization;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Planning;

// The normalized plan PlanUpgrade returns and every later handler receives back. Our own contracts use
// camelCase (like the execution input); AWS request/response shapes keep the API's PascalCase.
// Optional members are always written, as null when unset, so the state machine can test them with
// IsNull instead of failing on a missing path.

public sealed record UpgradePlan
{
    [JsonPropertyName("runId")] public required string RunId { get; init; }
    [JsonPropertyName("executionId")] public required string ExecutionId { get; init; }
    [JsonPropertyName("executionName")] public required string ExecutionName { get; init; }
    [JsonPropertyName("startedAt")] public required string StartedAt { get; init; }
    /// <summary>Who or what started the run: the input's requestedBy, else "execution:NAME" (never null: run records store it).</summary>
    [JsonPropertyName("requestedBy")] public required string RequestedBy { get; init; }
    [JsonPropertyName("dryRun")] public required bool DryRun { get; init; }
    [JsonPropertyName("blueClusterName")] public required string BlueClusterName { get; init; }
    [JsonPropertyName("greenClusterName")] public required string GreenClusterName { get; init; }
    [JsonPropertyName("greenClusterNameDerived")] public required bool GreenClusterNameDerived { get; init; }
    [JsonPropertyName("targetVersion")] public required string TargetVersion { get; init; }
    [JsonPropertyName("clientRequestToken")] public required string ClientRequestToken { get; init; }
    [JsonPropertyName("traffic")] public required TrafficPlan Traffic { get; init; }
    [JsonPropertyName("strategy")] public required StrategyPlan Strategy { get; init; }
    [JsonPropertyName("alarms")] public required AlarmPlan Alarms { get; init; }
    [JsonPropertyName("health")] public required HealthPlan Health { get; init; }
    [JsonPropertyName("approvals")] public required ApprovalPlan Approvals { get; init; }
    [JsonPropertyName("hooks")] public required HookPlan Hooks { get; init; }
    [JsonPropertyName("gitops"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public GitOpsPlan? GitOps { get; init; }
    [JsonPropertyName("blue")] public required BluePlan Blue { get; init; }
    [JsonPropertyName("green")] public required GreenPlan Green { get; init; }
    [JsonPropertyName("records")] public required RunRecordKeys Records { get; init; }
    /// <summary>Cluster names cut to fit SNS subjects (under 100 characters); null only in hand-built plans.</summary>
    [JsonPropertyName("labels"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public NotificationLabels? Labels { get; init; }
}

/// <summary>
/// Blue's and Green's names as SNS subjects show them: at most <see cref="ClusterNames.MaxLabelLength"/>
/// characters, so the longest subject the workflow writes stays under SNS's 100-character limit.
/// </summary>
public sealed record NotificationLabels
{
    [JsonPropertyName("blue")] public required string Blue { get; init; }
    [JsonPropertyName("green")] public required string Green { get; init; }
}

/// <summary>
/// Where this run's records live in the upgrades table (one table, two item kinds per cluster):
/// the cluster's lock (<c>pk = CLUSTER#name, sk = LOCK</c>: one upgrade per cluster at a time) and the
/// run item (<c>sk = RUN#startedAt#runId</c>), so a Query on <c>pk</c> with <c>begins_with(sk, "RUN#")</c>
/// and <c>ScanIndexForward = false</c> lists a cluster's runs newest first.
/// </summary>
public sealed record RunRecordKeys
{
    public const string LockSortKey = "LOCK";
    public const int RetentionDays = 730;

    [JsonPropertyName("pk")] public required string Pk { get; init; }
    [JsonPropertyName("runSk")] public required string RunSk { get; init; }
    [JsonPropertyName("lockSk")] public required string LockSk { get; init; }
    /// <summary>The run item's TTL (epoch seconds): startedAt plus <see cref="RetentionDays"/>. The lock has none: it must outlive any run.</summary>
    [JsonPropertyName("expiresAt")] public required long ExpiresAt { get; init; }

    /// <summary>How long the lock holds without a renewal (<see cref="ClusterLockLease"/>); written on the lock as <c>leaseSeconds</c>.</summary>
    [JsonPropertyName("leaseSeconds")] public required int LeaseSeconds { get; init; }

    public static RunRecordKeys For(string clusterName, string startedAt, string runId, int leaseSeconds) => new()
    {
        LeaseSeconds = leaseSeconds,
        Pk = $"CLUSTER#{clusterName}",
        RunSk = $"RUN#{startedAt}#{runId}",
        LockSk = LockSortKey,
        ExpiresAt = Timestamps.TryParse(startedAt, out var start) ? start.AddDays(RetentionDays).ToUnixTimeSeconds() : 0,
    };
}

public sealed record StrategyPlan
{
    /// <summary>The preset name, or "Custom" for explicit steps.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("steps")] public required IReadOnlyList<ShiftStep> Steps { get; init; }
}

public sealed record ShiftStep
{
    /// <summary>1-based position, for run records and state names.</summary>
    [JsonPropertyName("index")] public required int Index { get; init; }
    /// <summary>Percent of traffic on Green after this step (1..100).</summary>
    [JsonPropertyName("weight")] public required int Weight { get; init; }
    [JsonPropertyName("bakeSeconds")] public required int BakeSeconds { get; init; }
    /// <summary>How many alarm checks the bake consists of (at least 1).</summary>
    [JsonPropertyName("alarmChecks")] public required int AlarmChecks { get; init; }
    /// <summary>Seconds to wait before each alarm check; alarmChecks x this covers bakeSeconds (0 when bakeSeconds is 0).</summary>
    [JsonPropertyName("checkIntervalSeconds")] public required int CheckIntervalSeconds { get; init; }
    [JsonPropertyName("isFinal")] public required bool IsFinal { get; init; }
}

public static class InsufficientDataPolicies
{
    public const string Ok = "ok";
    public const string Alarm = "alarm";
}

public sealed record AlarmPlan
{
    [JsonPropertyName("names")] public required IReadOnlyList<string> Names { get; init; }
    [JsonPropertyName("pollSeconds")] public required int PollSeconds { get; init; }
    [JsonPropertyName("insufficientData")] public required string InsufficientData { get; init; }
}

public sealed record HealthPlan
{
    [JsonPropertyName("timeoutSeconds")] public required int TimeoutSeconds { get; init; }
    [JsonPropertyName("pollSeconds")] public required int PollSeconds { get; init; }
    [JsonPropertyName("minHealthyTargets")] public required int MinHealthyTargets { get; init; }
    /// <summary>Green's target group whose healthy targets are counted; null when there is none to check (Route 53 without one).</summary>
    [JsonPropertyName("targetGroupArn"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? TargetGroupArn { get; init; }
    [JsonPropertyName("argoCd"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public ArgoCdPlan? ArgoCd { get; init; }
}

public sealed record ArgoCdPlan
{
    [JsonPropertyName("namespace")] public required string Namespace { get; init; }
    [JsonPropertyName("applications")] public required IReadOnlyList<string> Applications { get; init; }
    /// <summary>The eks:call Path that lists the applications: /apis/argoproj.io/v1alpha1/namespaces/NS/applications.</summary>
    [JsonPropertyName("path")] public required string Path { get; init; }
}

public sealed record ApprovalPlan
{
    [JsonPropertyName("beforeTraffic")] public required bool BeforeTraffic { get; init; }
    [JsonPropertyName("beforeFinalize")] public required bool BeforeFinalize { get; init; }
    [JsonPropertyName("timeoutSeconds")] public required int TimeoutSeconds { get; init; }
}

public sealed record HookPlan
{
    [JsonPropertyName("beforeAllowTraffic")] public required IReadOnlyList<string> BeforeAllowTraffic { get; init; }
    [JsonPropertyName("afterAllowTraffic")] public required IReadOnlyList<string> AfterAllowTraffic { get; init; }

    /// <summary>Every hook function, once each: preflight reads each before anything is created.</summary>
    [JsonPropertyName("all")] public IReadOnlyList<string> All => [.. BeforeAllowTraffic.Concat(AfterAllowTraffic).Distinct(StringComparer.Ordinal)];
}

public sealed record GitOpsPlan
{
    /// <summary>The label that makes Argo CD treat a Kubernetes secret as a cluster registration.</summary>
    public const string SecretTypeLabel = "argocd.argoproj.io/secret-type";

    /// <summary>Secrets Manager's 50 tags per secret, less the secret-type label and the two ownership tags.</summary>
    public const int MaxLabels = 47;

    [JsonPropertyName("clusterSecretName")] public required string ClusterSecretName { get; init; }
    [JsonPropertyName("labels")] public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>
    /// The labels as Secrets Manager tags (<c>[{Key, Value}]</c>, the shape CreateSecret takes; the States
    /// Language cannot turn a map into such a list), always including the Argo CD cluster secret-type label,
    /// plus the ownership tags (<see cref="GreenTags.ManagedBy"/>, <see cref="GreenTags.RunId"/>) the workflow
    /// checks before it overwrites an existing secret of this name.
    /// </summary>
    [JsonPropertyName("secretTags")] public IReadOnlyList<SecretTag> SecretTags { get; init; } = [];

    public static GitOpsPlan For(string clusterSecretName, IReadOnlyDictionary<string, string> labels, string runId) => new()
    {
        ClusterSecretName = clusterSecretName,
        Labels = labels,
        SecretTags =
        [
            new SecretTag { Key = SecretTypeLabel, Value = "cluster" },
            .. labels.Where(l => l.Key != SecretTypeLabel).Select(l => new SecretTag { Key = l.Key, Value = l.Value }),
            new SecretTag { Key = GreenTags.ManagedBy, Value = GreenTags.ManagedByValue },
            new SecretTag { Key = GreenTags.RunId, Value = runId },
        ],
    };
}

public sealed record SecretTag
{
    [JsonPropertyName("Key")] public required string Key { get; init; }
    [JsonPropertyName("Value")] public required string Value { get; init; }
}

public static class DecommissionPolicies
{
    public const string Never = "never";
    public const string Immediately = "immediately";
    public const string AfterRetention = "afterRetention";
}

public sealed record BluePlan
{
    [JsonPropertyName("decommission")] public required string Decommission { get; init; }
    [JsonPropertyName("retentionSeconds"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public int? RetentionSeconds { get; init; }
}

public static class GreenFailurePolicies
{
    public const string Delete = "delete";
    public const string Keep = "keep";
}

public sealed record GreenPlan
{
    [JsonPropertyName("onFailure")] public required string OnFailure { get; init; }
}
