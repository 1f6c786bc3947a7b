using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Elbv2;

/// <summary>
/// Target health, which follows the bound cluster's workloads (<see cref="SimulatedAccount.Workloads"/>), and the scenario
/// event actions on targets and weights (<c>setTargetHealth</c>, <c>setForwardWeights</c>).
/// </summary>
public sealed partial class Elbv2Service
{
    /// <summary>The health every target of <paramref name="tg"/> reports now (all targets of a group share their cluster's fate).</summary>
    private (string State, string? Reason, string? Description) HealthOf(TargetGroupModel tg)
    {
        if (tg.HealthOverride is { } forced)
        {
            return forced;
        }

        if (LoadBalancersUsing(tg).Count == 0)
        {
            return ("unused", "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer");
        }

        if (tg.Cluster is not { } cluster)
        {
            return ("healthy", null, null);
        }

        var now = Account.Scheduler.Now;
        var workload = Account.Workloads.Get(cluster);
        if (workload.Ready)
        {
            // A target must pass HealthyThresholdCount consecutive checks, one per interval, before it is
            // healthy; workloads that were ready when the world began have long passed them.
            var warmUp = TimeSpan.FromSeconds(tg.HealthCheck.HealthyThreshold * tg.HealthCheck.IntervalSeconds);
            return workload.ReadySince is { } since && since > Account.Options.Start && now - since < warmUp
                ? ("initial", "Elb.InitialHealthChecking", "Initial health checks in progress")
                : ("healthy", null, null);
        }

        if (!_everReady.Contains(cluster))
        {
            return ("initial", "Elb.RegistrationInProgress", "Target registration is in progress");
        }

        // A healthy target turns unhealthy only after UnhealthyThresholdCount consecutive failed checks.
        var grace = TimeSpan.FromSeconds(tg.HealthCheck.UnhealthyThreshold * tg.HealthCheck.IntervalSeconds);
        return _notReadySince.TryGetValue(cluster, out var down) && now - down < grace
            ? ("healthy", null, null)
            : ("unhealthy", "Target.FailedHealthChecks", "Health checks failed");
    }

    private JObject Describe(TargetModel target, (string State, string? Reason, string? Description) health, TargetGroupModel tg, bool anomaly)
    {
        var builder = new JObjectBuilder()
            .Add("Target", new JObjectBuilder().Add("Id", target.Id).Add("Port", target.Port).Maybe("AvailabilityZone", target.AvailabilityZone.Length > 0 ? target.AvailabilityZone : null).Build())
            .Add("HealthCheckPort", tg.HealthCheck.Port == "traffic-port" ? target.Port.ToString(CultureInfo.InvariantCulture) : tg.HealthCheck.Port)
            .Add("TargetHealth", new JObjectBuilder().Add("State", health.State).Maybe("Reason", health.Reason).Maybe("Description", health.Description).Build());
        if (anomaly)
        {
            var anomalous = tg.Cluster is { } c && Account.Workloads.IsFaulty(c) && TrafficPercentOfTargetGroup(tg.Name) > 0;
            builder.Add("AnomalyDetection", JObject.Of(("Result", anomalous ? "anomalous" : "normal"), ("MitigationInEffect", "no")));
        }

        return builder.Build();
    }

    private void SetTargetHealthEvent(JObject args)
    {
        var name = args.GetString("targetGroup") ?? throw new Scenarios.ScenarioException("setTargetHealth needs 'targetGroup'");
        var tg = TargetGroupNamed(name, "setTargetHealth");
        var state = args.GetString("state") ?? "auto";
        tg.HealthOverride = state switch
        {
            "auto" => null,
            "healthy" => ("healthy", null, null),
            "unhealthy" => ("unhealthy", args.GetString("reason") ?? "Target.FailedHealthChecks", args.GetString("description") ?? "Health checks failed"),
            "initial" => ("initial", args.GetString("reason") ?? "Elb.InitialHealthChecking", args.GetString("description") ?? "Initial health checks in progress"),
            "draining" => ("draining", "Target.DeregistrationInProgress", "Target deregistration is in progress"),
            _ => throw new Scenarios.ScenarioException($"setTargetHealth: unknown state '{state}' (healthy, unhealthy, initial, draining, auto)"),
        };
    }

    /// <summary>
    /// An operator edits the weights by hand (console or CLI), outside the workflow: the rule's (or, without
    /// <c>rule</c>, the listener's default) actions become one weighted forward to the named target groups.
    /// </summary>
    private void SetForwardWeightsEvent(JObject args)
    {
        const string Name = "setForwardWeights";
        var ruleRef = args.GetString("rule");
        var listenerRef = args.GetString("listener");
        RuleModel? rule = null;
        ListenerModel listener;
        if (ruleRef is not null)
        {
            rule = _loadBalancers.SelectMany(l => l.Listeners).SelectMany(l => l.Rules).FirstOrDefault(r => r.Arn == ruleRef || r.Arn.EndsWith("/" + ruleRef, StringComparison.Ordinal))
                ?? throw new Scenarios.ScenarioException($"{Name}: no rule '{ruleRef}'");
            listener = rule.Listener;
        }
        else
        {
            var listenerKey = listenerRef ?? throw new Scenarios.ScenarioException($"{Name} needs 'rule' or 'listener'");
            listener = _loadBalancers.SelectMany(l => l.Listeners).FirstOrDefault(l => l.Arn == listenerKey || l.Id == listenerKey)
                ?? throw new Scenarios.ScenarioException($"{Name}: no listener '{listenerKey}'");
        }

        var weights = args.GetObject("weights") is { Count: > 0 } w ? w : throw new Scenarios.ScenarioException($"{Name} needs 'weights' ({{ targetGroupName: weight }})");
        var tuples = weights.Select(kv =>
        {
            var tg = TargetGroupNamed(kv.Key, Name);
            var weight = kv.Value is JNumber { IsInteger: true } n ? n.Value : throw new Scenarios.ScenarioException($"{Name}: the weight of '{kv.Key}' must be a whole number");
            return (JValue)JObject.Of(("TargetGroupArn", tg.Arn), ("Weight", weight));
        }).ToArray();
        var actions = NormalizeActions(JArray.Of(JObject.Of(("Type", "forward"), ("ForwardConfig", JObject.Of(("TargetGroups", JArray.Of(tuples)))))), listener);
        if (rule is null)
        {
            listener.DefaultActions = actions;
        }
        else
        {
            rule.Actions = actions;
        }

        WeightsChanged?.Invoke();
    }
}
