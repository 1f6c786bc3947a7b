using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Preflight;

public sealed record PreflightRequest
{
    [JsonPropertyName("plan")] public required UpgradePlan Plan { get; init; }
    /// <summary>DescribeCluster(Name = plan.blueClusterName).Cluster.</summary>
    [JsonPropertyName("cluster")] public required EksCluster Cluster { get; init; }
    /// <summary>DescribeClusterVersions(ClusterVersions = [plan.targetVersion], IncludeAll = true).ClusterVersions.</summary>
    [JsonPropertyName("clusterVersions")] public required IReadOnlyList<ClusterVersionInformation> ClusterVersions { get; init; }
    /// <summary>ListInsights(ClusterName = Blue).Insights.</summary>
    [JsonPropertyName("insights")] public required IReadOnlyList<InsightSummary> Insights { get; init; }
    /// <summary>DescribeNodegroup(...).Nodegroup for every name ListNodegroups returned.</summary>
    [JsonPropertyName("nodegroups")] public required IReadOnlyList<Nodegroup> Nodegroups { get; init; }
    /// <summary>ListFargateProfiles(ClusterName = Blue, MaxResults = 100).FargateProfileNames; optional (null: not checked).</summary>
    [JsonPropertyName("fargateProfiles")] public IReadOnlyList<string>? FargateProfiles { get; init; }
    /// <summary>The deployment's settings the run depends on (tags, role patterns) and the execution ARN; optional (null: not checked).</summary>
    [JsonPropertyName("deployment")] public DeploymentFacts? Deployment { get; init; }
    /// <summary>The names DescribeAlarms(AlarmNames = plan.alarms.names) found, of every alarm type; optional.</summary>
    [JsonPropertyName("alarmsFound")] public IReadOnlyList<string>? AlarmsFound { get; init; }
    /// <summary>Each hook function read with GetFunction; optional.</summary>
    [JsonPropertyName("hooks")] public IReadOnlyList<HookFound>? Hooks { get; init; }
    /// <summary>
    /// The traffic wiring as the provider's adapter inspected it (ALB: actions and the tags of load balancer, listener and
    /// rule; Route 53: the records of the name, with any TXT record of that name); optional (null: not checked).
    /// </summary>
    [JsonPropertyName("traffic")] public TrafficReading? Traffic { get; init; }
}

public sealed record PreflightResult
{
    [JsonPropertyName("blueVersion")] public required string BlueVersion { get; init; }
    [JsonPropertyName("targetVersion")] public required string TargetVersion { get; init; }
    /// <summary>Minor versions Blue/Green jumps over (an in-place upgrade would have to visit each).</summary>
    [JsonPropertyName("versionsSkipped")] public required IReadOnlyList<string> VersionsSkipped { get; init; }
    [JsonPropertyName("targetVersionStatus")] public required string TargetVersionStatus { get; init; }
    /// <summary>Things that do not stop the upgrade but an operator should know (AL2 -> AL2023, WARNING insights...).</summary>
    [JsonPropertyName("warnings")] public required IReadOnlyList<string> Warnings { get; init; }
    [JsonPropertyName("insightsChecked")] public required int InsightsChecked { get; init; }
    [JsonPropertyName("nodegroupsChecked")] public required int NodegroupsChecked { get; init; }
    /// <summary>The plan's strategy, with every bake at least as long as the weighted records' TTL (the run goes on with this one).</summary>
    [JsonPropertyName("strategy")] public required StrategyPlan Strategy { get; init; }
}

/// <summary>One hook function as preflight found it: read with GetFunction under the hook-tag condition.</summary>
public sealed record HookFound
{
    [JsonPropertyName("arn")] public required string Arn { get; init; }
    /// <summary>False when GetFunction failed: the function does not exist, or it lacks the hook tag (IAM refuses both alike).</summary>
    [JsonPropertyName("found")] public required bool Found { get; init; }
    [JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Error { get; init; }
}
