using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Health;

/// <summary>
/// Decides whether Green is ready for traffic: cluster, add-ons and nodegroups ACTIVE, enough healthy
/// targets in Green's target group, and the named Argo CD applications Synced and Healthy. Not ready
/// before the deadline: wait and ask again. Not ready at the deadline: <see cref="HealthCheckTimedOut"/>.
/// A resource in a terminal failure state fails at once with <see cref="GreenFailed"/>.
/// </summary>
public static class HealthEvaluator
{
    private static readonly string[] TerminalStates = ["FAILED", "CREATE_FAILED", "DELETE_FAILED", "DELETING"];

    public static HealthVerdict Evaluate(EvaluateHealthRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = request.Plan;
        if (!Timestamps.TryParse(request.WaitStartedAt, out var started))
        {
            throw new InvalidInput("waitStartedAt: must be an ISO-8601 timestamp ($$.State.EnteredTime)");
        }
        if (!Timestamps.TryParse(request.Now, out var now))
        {
            throw new InvalidInput("now: must be an ISO-8601 timestamp ($$.State.EnteredTime)");
        }
        if (plan.Health.TargetGroupArn is not null && request.TargetHealth is null)
        {
            throw new InvalidInput("targetHealth: required because plan.health.targetGroupArn is set (pass DescribeTargetHealth's TargetHealthDescriptions)");
        }
        if (plan.Health.ArgoCd is not null && request.ArgoApplications is null)
        {
            throw new InvalidInput("argoApplications: required because plan.health.argoCd is set (pass each application's eks:call result, trimmed)");
        }

        var reasons = new List<string>();
        var failures = new List<string>();
        CheckCluster(plan, request.Cluster, reasons, failures);
        CheckAddons(request.Addons, reasons, failures);
        CheckNodegroups(request.Nodegroups, reasons, failures);
        var healthyTargets = CheckTargets(plan, request.TargetHealth, reasons);
        CheckArgo(plan.Health.ArgoCd, request.ArgoApplications, reasons);

        if (failures.Count > 0)
        {
            throw new GreenFailed(failures);
        }

        var deadline = started.AddSeconds(plan.Health.TimeoutSeconds);
        var remaining = (int)Math.Ceiling((deadline - now).TotalSeconds);
        if (reasons.Count > 0 && remaining <= 0)
        {
            throw new HealthCheckTimedOut(deadline, reasons);
        }
        return new HealthVerdict
        {
            Healthy = reasons.Count == 0,
            Reasons = reasons,
            WaitSeconds = reasons.Count == 0 ? 0 : Math.Clamp(remaining, 1, plan.Health.PollSeconds),
            Deadline = Timestamps.Format(deadline),
            SecondsRemaining = Math.Max(0, remaining),
            HealthyTargets = healthyTargets,
        };
    }

    private static void CheckCluster(UpgradePlan plan, EksCluster cluster, List<string> reasons, List<string> failures)
    {
        if (cluster.Name is not null && cluster.Name != plan.GreenClusterName)
        {
            throw new InvalidInput($"cluster: the described cluster is \"{cluster.Name}\" but Green is \"{plan.GreenClusterName}\"");
        }
        if (cluster.Status == "ACTIVE")
        {
            return;
        }
        var text = $"cluster {plan.GreenClusterName} is {cluster.Status ?? "in an unknown state"}" + Issues(cluster.Health?.Issues);
        (TerminalStates.Contains(cluster.Status) ? failures : reasons).Add(text);
    }

    private static void CheckAddons(IReadOnlyList<Addon> addons, List<string> reasons, List<string> failures)
    {
        foreach (var addon in addons.Where(a => a.Status != "ACTIVE"))
        {
            var text = $"add-on {addon.AddonName} is {addon.Status ?? "in an unknown state"}" + Issues(addon.Health?.Issues);
            (TerminalStates.Contains(addon.Status) ? failures : reasons).Add(text);
        }
    }

    private static void CheckNodegroups(IReadOnlyList<Nodegroup> nodegroups, List<string> reasons, List<string> failures)
    {
        foreach (var group in nodegroups.Where(g => g.Status != "ACTIVE"))
        {
            var text = $"nodegroup {group.NodegroupName} is {group.Status ?? "in an unknown state"}" + Issues(group.Health?.Issues);
            (TerminalStates.Contains(group.Status) ? failures : reasons).Add(text);
        }
    }

    private static int? CheckTargets(UpgradePlan plan, IReadOnlyList<TargetHealthDescription>? targets, List<string> reasons)
    {
        if (plan.Health.TargetGroupArn is not { } arn || targets is null)
        {
            return null;
        }
        var healthy = targets.Count(t => t.TargetHealth?.State == "healthy");
        if (healthy < plan.Health.MinHealthyTargets)
        {
            var others = targets
                .Where(t => t.TargetHealth?.State != "healthy")
                .GroupBy(t => $"{t.TargetHealth?.State ?? "unknown"}{(t.TargetHealth?.Reason is { } r ? " (" + r + ")" : "")}")
                .Select(g => $"{g.Count()} {g.Key}");
            var name = ElbArn.Parse(arn, ElbArn.TargetGroup)?.TargetGroupName() ?? arn;
            reasons.Add($"target group {name} has {healthy} healthy target(s), needs {plan.Health.MinHealthyTargets}"
                + (targets.Count == healthy ? "" : "; others: " + string.Join(", ", others)));
        }
        return healthy;
    }

    private static void CheckArgo(ArgoCdPlan? argo, IReadOnlyList<ArgoApplicationHealth>? applications, List<string> reasons)
    {
        if (argo is null || applications is null)
        {
            return;
        }
        foreach (var name in argo.Applications)
        {
            var app = applications.FirstOrDefault(a => a.Name == name);
            switch (app?.Status)
            {
                case null or ArgoApplicationStatuses.NotFound:
                    // An ApplicationSet generates its Applications some time after Green is registered, and Argo CD may
                    // itself still be installing: not found is "not yet", and a name that never appears ends at the deadline.
                    reasons.Add($"Argo CD application {name} does not exist yet in namespace {argo.Namespace} on Green (404): its ApplicationSet may not have generated it yet, or Argo CD is not installed there yet");
                    continue;
                case ArgoApplicationStatuses.NoAnswer:
                    reasons.Add($"Argo CD application {name} could not be read ({app.Error ?? "no answer"}); it is asked again at the next check");
                    continue;
            }
            var sync = app.Sync is [var reported, ..] ? reported : "Unknown";
            var health = app.Health is [var first, ..] ? first : null;
            if (sync != "Synced" || health?.Status != "Healthy")
            {
                reasons.Add($"Argo CD application {name} is {sync}/{health?.Status ?? "Unknown"}, not Synced/Healthy"
                    + (string.IsNullOrEmpty(health?.Message) ? "" : ": " + health.Message));
            }
        }
    }

    private static string Issues(IReadOnlyList<HealthIssue>? issues) =>
        issues is { Count: > 0 } ? " (" + string.Join("; ", issues.Select(i => $"{i.Code}: {i.Message}")) + ")" : "";
}
