using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.GreenSpec;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.Preflight;

/// <summary>
/// Decides, before anything is created, whether Blue can be upgraded Blue/Green to the plan's target.
/// Problems with the requested target are the caller's to fix (<see cref="InvalidInput"/>); problems
/// with Blue itself are <see cref="PreflightFailed"/>. Either way every problem is listed at once.
/// </summary>
public static class PreflightChecker
{
    public const string StandardSupport = "STANDARD_SUPPORT";

    public static PreflightResult Check(PreflightRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = request.Plan;
        var cluster = request.Cluster;
        var targetProblems = new List<string>();
        var blueProblems = new List<string>();
        var warnings = new List<string>();

        var target = KubernetesVersion.Parse(plan.TargetVersion)
            ?? throw new InvalidInput($"plan.targetVersion: not a Kubernetes version: {plan.TargetVersion}");
        var blue = KubernetesVersion.Parse(cluster.Version);

        if (!string.Equals(cluster.Name, plan.BlueClusterName, StringComparison.Ordinal))
        {
            blueProblems.Add($"cluster: the described cluster is \"{cluster.Name}\" but the plan upgrades \"{plan.BlueClusterName}\"");
        }
        if (cluster.Status != "ACTIVE")
        {
            blueProblems.Add($"cluster {plan.BlueClusterName} is {cluster.Status ?? "in an unknown state"}, not ACTIVE: wait for it to settle and start again");
        }
        if (cluster.OutpostConfig is not null)
        {
            blueProblems.Add($"cluster {plan.BlueClusterName} is a local cluster on AWS Outposts, which Blue/Green upgrades do not support");
        }
        if (request.FargateProfiles is { Count: > 0 } fargate)
        {
            // Green is not given Blue's Fargate profiles, so the pods they select would stay Pending there.
            blueProblems.Add($"cluster {plan.BlueClusterName} has Fargate profiles ({string.Join(", ", fargate)}), which Blue/Green upgrades do not copy to Green: "
                + "the pods they select would have nowhere to run there. Move those workloads to nodegroups and delete the profiles, or upgrade this cluster in place, then start again");
        }

        if (blue is null)
        {
            blueProblems.Add($"cluster {plan.BlueClusterName} reports no Kubernetes version");
        }
        else if (target <= blue.Value)
        {
            targetProblems.Add(target == blue.Value
                ? $"targetVersion: {target} is Blue's current version; Blue/Green upgrades move to a newer version"
                : $"targetVersion: {target} is older than Blue's version {blue}; downgrades are not supported");
        }

        CheckArgoCdReachable(plan, cluster, blueProblems, warnings);
        var controlled = new List<string>();
        ReachChecker.Check(request, blueProblems, controlled, warnings);
        var strategy = ReachChecker.BakeAtLeastTheTtl(plan, request.Traffic, blueProblems, warnings);
        var targetStatus = CheckTargetVersion(request.ClusterVersions, target, targetProblems);
        CheckInsights(request.Insights, blue, target, blueProblems, warnings);
        CheckNodegroups(request.Nodegroups, plan.BlueClusterName, target, blueProblems, warnings);

        if (cluster.AccessConfig?.AuthenticationMode is null or "CONFIG_MAP")
        {
            warnings.Add($"cluster {plan.BlueClusterName} authenticates with the aws-auth ConfigMap only; Green will use API_AND_CONFIG_MAP, and aws-auth entries are not copied (deliver them with GitOps or move them to access entries)");
        }

        if (targetProblems.Count > 0)
        {
            // The request itself is wrong; say so first, but still mention what else was found.
            throw new InvalidInput([.. targetProblems, .. blueProblems.Select(p => "also: " + p)]);
        }
        if (controlled.Count > 0)
        {
            throw new TrafficOwnedByController([.. controlled, .. blueProblems.Select(p => "also: " + p)]);
        }
        if (blueProblems.Count > 0)
        {
            throw new PreflightFailed(blueProblems);
        }

        return new PreflightResult
        {
            BlueVersion = blue!.Value.ToString(),
            TargetVersion = target.ToString(),
            VersionsSkipped = [.. Enumerable.Range(blue.Value.Minor + 1, Math.Max(0, target.Minor - blue.Value.Minor - 1))
                .Select(minor => new KubernetesVersion(target.Major, minor).ToString())],
            TargetVersionStatus = targetStatus ?? StandardSupport,
            Warnings = warnings,
            InsightsChecked = request.Insights.Count,
            NodegroupsChecked = request.Nodegroups.Count,
            Strategy = strategy,
        };
    }

    /// <summary>
    /// Argo CD health is read with Step Functions' eks:call, which "supports only Kubernetes APIs with public endpoint
    /// access" (developer guide, connect-eks); Green copies Blue's endpoint settings, public access CIDRs included.
    /// </summary>
    private static void CheckArgoCdReachable(UpgradePlan plan, EksCluster cluster, List<string> problems, List<string> warnings)
    {
        if (plan.Health.ArgoCd is null || cluster.ResourcesVpcConfig is not { } vpc)
        {
            return;
        }
        if (vpc.EndpointPublicAccess == false)
        {
            problems.Add($"health.applications: Argo CD health is read through Step Functions' eks:call, which reaches only Kubernetes API endpoints with public access, and {plan.BlueClusterName}'s endpoint (which Green copies) has public access disabled. "
                + "Remove health.applications (and check the applications another way, for example with a beforeAllowTraffic hook), or enable public endpoint access on Blue, then start again");
        }
        else if (vpc.EndpointPublicAccess == true && vpc.PublicAccessCidrs is { Count: > 0 } cidrs && !cidrs.Contains("0.0.0.0/0"))
        {
            warnings.Add($"health.applications: Green copies {plan.BlueClusterName}'s public endpoint restricted to {string.Join(", ", cidrs)}; eks:call reaches it from Step Functions' own AWS addresses, which AWS does not publish and which are unlikely to be in these ranges, "
                + "so the Argo CD health checks may be refused or time out. If they fail, the run fails in the health wait with that error before any traffic moves");
        }
    }

    private static string? CheckTargetVersion(IReadOnlyList<ClusterVersionInformation> versions, KubernetesVersion target, List<string> problems)
    {
        var info = versions.FirstOrDefault(v => KubernetesVersion.Parse(v.ClusterVersion) == target);
        if (info is null)
        {
            problems.Add($"targetVersion: EKS does not offer Kubernetes {target} (DescribeClusterVersions does not list it)");
            return null;
        }
        // versionStatus replaced the older lower-case status member; read whichever is present.
        var status = info.VersionStatus ?? info.Status?.ToUpperInvariant().Replace('-', '_');
        if (status != StandardSupport)
        {
            problems.Add($"targetVersion: Kubernetes {target} is {Describe(status)}, not in standard support; upgrade to a version in standard support");
        }
        return status;
    }

    private static string Describe(string? status) => status switch
    {
        "EXTENDED_SUPPORT" => "in extended support",
        "UNSUPPORTED" => "unsupported",
        null => "of unknown support status",
        _ => status,
    };

    private static void CheckInsights(IReadOnlyList<InsightSummary> insights, KubernetesVersion? blue, KubernetesVersion target,
        List<string> problems, List<string> warnings)
    {
        foreach (var insight in insights)
        {
            var status = insight.InsightStatus?.Status;
            if (status is not ("ERROR" or "WARNING"))
            {
                continue;
            }
            // An upgrade insight names the version whose upgrade it checks; it matters when that version lies
            // on the way to the target (Blue < version <= target). Without a version it is taken to matter.
            var about = KubernetesVersion.Parse(insight.KubernetesVersion);
            var relevant = about is null || ((blue is null || about.Value > blue.Value) && about.Value <= target);
            if (!relevant)
            {
                continue;
            }
            var text = $"upgrade insight \"{insight.Name}\" ({insight.Id}, Kubernetes {insight.KubernetesVersion ?? "any"}) is {status}"
                + (string.IsNullOrEmpty(insight.InsightStatus?.Reason) ? "" : ": " + insight.InsightStatus!.Reason);
            if (status == "ERROR")
            {
                problems.Add(text);
            }
            else
            {
                warnings.Add(text);
            }
        }
    }

    private static void CheckNodegroups(IReadOnlyList<Nodegroup> nodegroups, string blueName, KubernetesVersion target,
        List<string> problems, List<string> warnings)
    {
        foreach (var group in nodegroups)
        {
            var name = group.NodegroupName ?? "(unnamed)";
            if (group.AmiType == "CUSTOM")
            {
                problems.Add($"nodegroup {name} uses a custom AMI (AmiType CUSTOM) from its launch template; that AMI is built for Blue's Kubernetes version and is refused. Switch the nodegroup to an EKS-optimized AMI type, or publish a launch template version with an AMI built for Kubernetes {target}, then start again");
            }
            // A nodegroup whose AMI type cannot be chosen is refused by BuildGreenSpec (UnsupportedClusterConfiguration).
            if (AmiTypeMigration.Choose(group, target) is { Replacement: { } replacement } choice)
            {
                warnings.Add($"nodegroup {name} uses {group.AmiType}; Green's copy will use {replacement} because Amazon Linux 2 AMIs are not published for Kubernetes {AmiTypeMigration.FirstVersionWithoutAl2} and later"
                    + (choice.Reason is null ? "" : $" ({choice.Reason})"));
            }
            if (group.Status is not null and not "ACTIVE")
            {
                warnings.Add($"nodegroup {name} on {blueName} is {group.Status}; Green's copy is created from its configuration regardless");
            }
        }
    }
}
