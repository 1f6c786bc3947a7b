using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Planning;

// How traffic moves and what is watched meanwhile: the strategy's steps, the alarms, and Green's health wait (with its
// history budget), each read from the input with every problem named.
public static partial class UpgradePlanner
{
    private static (string Name, IReadOnlyList<StepRequest> Steps)? ReadStrategy(JsonFields root, ProblemList problems)
    {
        var raw = root.Raw("strategy", required: true);
        if (raw is null)
        {
            return null;
        }
        // Shorthand: "strategy": "Canary10Percent5Minutes".
        if (raw.Value.ValueKind == JsonValueKind.String)
        {
            return ReadPreset(raw.Value.GetString()!, "strategy", problems);
        }
        if (JsonFields.Open(raw.Value, "strategy", problems) is not { } strategy)
        {
            return null;
        }
        var preset = strategy.String("preset");
        var steps = strategy.Array("steps");
        strategy.RejectUnknown();
        if (preset is not null && steps is not null)
        {
            // Report the conflict and whatever else is wrong with either, so one run shows every problem.
            problems.Add("strategy", "give either preset or steps, not both");
            ReadPreset(preset, "strategy.preset", problems);
            ReadSteps(steps, problems);
            return null;
        }
        if (preset is not null)
        {
            return ReadPreset(preset, "strategy.preset", problems);
        }
        if (steps is null)
        {
            if (!strategy.Has("preset"))
            {
                problems.Add("strategy", "needs a preset or explicit steps");
            }
            return null;
        }
        var parsed = ReadSteps(steps, problems);
        return parsed is null ? null : (StrategyPresets.Custom, parsed);
    }

    /// <summary>
    /// The waits a run may spend (health deadline, every bake, every approval's timeout) must fit in the
    /// execution's TimeoutSeconds with room for the rest; otherwise Step Functions would time the run out
    /// midway and leave the cleanup to restore-blue.
    /// </summary>
    private static void CheckRunFitsTheExecution(IReadOnlyList<StepRequest> steps, HealthPlan health, ApprovalPlan approvals, ProblemList problems)
    {
        var bakeSeconds = steps.Sum(s => (long)s.BakeMinutes * 60);
        var approvalCount = (approvals.BeforeTraffic ? 1 : 0) + (approvals.BeforeFinalize ? 1 : 0);
        var approvalSeconds = (long)approvalCount * approvals.TimeoutSeconds;
        var total = health.TimeoutSeconds + bakeSeconds + approvalSeconds + ExecutionReserveSeconds;
        if (total > ExecutionTimeoutSeconds)
        {
            problems.Add("strategy", string.Create(CultureInfo.InvariantCulture,
                $"the run could last {Hours(total)} (health.timeoutMinutes {Hours(health.TimeoutSeconds)}, bakes {Hours(bakeSeconds)}, "
                + $"{approvalCount} approval(s) x approvals.timeoutMinutes {Hours(approvals.TimeoutSeconds)}, {Hours(ExecutionReserveSeconds)} to create Green and move traffic), "
                + $"more than the upgrade execution's limit of {Hours(ExecutionTimeoutSeconds)}: shorten the bakes or the approval timeout"));
        }
    }

    private static string Hours(long seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600.0:0.#} h");

    private static (string, IReadOnlyList<StepRequest>)? ReadPreset(string name, string path, ProblemList problems)
    {
        if (StrategyPresets.Expand(name) is { } steps)
        {
            return (name, steps);
        }
        problems.Add(path, $"unknown preset {JsonFields.Quote(name)} (expected one of: {string.Join(", ", StrategyPresets.Names)})");
        return null;
    }

    private static List<StepRequest>? ReadSteps(IReadOnlyList<JsonElement> steps, ProblemList problems)
    {
        if (steps.Count == 0 || steps.Count > MaxSteps)
        {
            problems.Add("strategy.steps", $"must have between 1 and {MaxSteps} steps, not {steps.Count}");
            return null;
        }
        var result = new List<StepRequest>();
        var ok = true;
        for (var i = 0; i < steps.Count; i++)
        {
            var path = JsonFields.Index("strategy.steps", i);
            if (JsonFields.Open(steps[i], path, problems) is not { } step)
            {
                ok = false;
                continue;
            }
            var weight = step.Int("weight", 1, 100, required: true);
            var bake = step.Int("bakeMinutes", 0, MaxBakeMinutes, required: true);
            step.RejectUnknown();
            if (weight is null || bake is null)
            {
                ok = false;
                continue;
            }
            if (result.Count > 0 && weight <= result[^1].Weight)
            {
                problems.Add(step.PathOf("weight"), $"must be greater than the previous step's {result[^1].Weight} (weights strictly increase)");
                ok = false;
            }
            result.Add(new StepRequest(weight.Value, bake.Value));
        }
        if (ok && result[^1].Weight != 100)
        {
            problems.Add(JsonFields.Index("strategy.steps", steps.Count - 1) + ".weight", $"the last step must move 100% of traffic to Green, not {result[^1].Weight}%");
            ok = false;
        }
        return ok ? result : null;
    }

    private static AlarmPlan? ReadAlarms(JsonFields? alarms, ProblemList problems)
    {
        if (alarms is null)
        {
            return null;
        }
        var names = alarms.Array("names", required: true);
        var poll = alarms.Int("pollSeconds", 10, 3600) ?? (alarms.Has("pollSeconds") ? (int?)null : DefaultAlarmPollSeconds);
        var insufficient = alarms.String("insufficientData");
        alarms.RejectUnknown();
        var policyOk = insufficient is null or InsufficientDataPolicies.Ok or InsufficientDataPolicies.Alarm;
        if (insufficient is not null && !policyOk)
        {
            problems.Add("alarms.insufficientData", $"must be \"ok\" or \"alarm\", not {JsonFields.Quote(insufficient)}");
        }
        // The names are checked even when the policy is wrong: every problem is reported at once.
        var list = ReadStringList(names, "alarms.names", 1, MaxAlarms, problems, (name, path) =>
            name.Length > 255 ? "must be at most 255 characters (CloudWatch alarm names)" : null);
        return list is null || poll is null || !policyOk
            ? null
            : new AlarmPlan { Names = list, PollSeconds = poll.Value, InsufficientData = insufficient ?? DefaultInsufficientData };
    }

    private static HealthPlan? ReadHealth(JsonFields? health, TrafficPlan? traffic, ProblemList problems)
    {
        var timeout = DefaultHealthTimeoutMinutes;
        var minTargets = DefaultMinHealthyTargets;
        string? route53TargetGroup = null;
        ArgoCdPlan? argo = null;
        var ok = true;
        if (health is not null)
        {
            var t = health.Int("timeoutMinutes", 1, int.MaxValue);
            if (t > MaxHealthTimeoutMinutes)
            {
                problems.Add("health.timeoutMinutes", string.Create(CultureInfo.InvariantCulture,
                    $"must be at most {MaxHealthTimeoutMinutes}, not {t}: Green is checked every {HealthPollSeconds} s and each check adds about 36 events to the execution history, which Step Functions stops at 25,000"));
                t = null;
            }
            var m = health.Int("minHealthyTargets", 1, 1000);
            ok &= (t is not null || !health.Has("timeoutMinutes")) && (m is not null || !health.Has("minHealthyTargets"));
            timeout = t ?? timeout;
            minTargets = m ?? minTargets;
            var tg = AlbTrafficProvider.ReadArn(health, "greenTargetGroupArn", ElbArn.TargetGroup, "an ELBv2 target group ARN", required: false, problems);
            if (tg is not null && traffic is not null && TrafficProviders.For(traffic).GreenTargetGroupArn(traffic) is not null)
            {
                problems.Add("health.greenTargetGroupArn", $"only applies when traffic names no target group of Green's (with \"{traffic.Type}\", traffic.greenTargetGroupArn is checked)");
            }
            ok &= tg is not null || !health.Has("greenTargetGroupArn");
            route53TargetGroup = tg?.Text;
            var apps = health.Object("applications");
            if (apps is not null)
            {
                argo = ReadArgo(apps, problems);
                ok &= argo is not null;
            }
            health.RejectUnknown();
        }
        if (!ok)
        {
            return null;
        }
        return new HealthPlan
        {
            TimeoutSeconds = timeout * 60,
            PollSeconds = HealthPollSecondsFor(timeout * 60, argo?.Applications.Count ?? 0),
            MinHealthyTargets = minTargets,
            TargetGroupArn = (traffic is null ? null : TrafficProviders.For(traffic).GreenTargetGroupArn(traffic)) ?? route53TargetGroup,
            ArgoCd = argo,
        };
    }

    /// <summary>
    /// Every <see cref="HealthPollSeconds"/>, or less often when the checks of a long wait with many Argo CD applications
    /// (each read with its own GET) would pass <see cref="HealthHistoryBudget"/>: 50 applications for 4 hours are checked
    /// every 6 minutes or so.
    /// </summary>
    public static int HealthPollSecondsFor(int timeoutSeconds, int argoApplications)
    {
        var eventsPerCheck = HealthEventsPerCheck + (HealthEventsPerArgoApplication * argoApplications);
        var checks = Math.Max(1, HealthHistoryBudget / eventsPerCheck);
        return Math.Max(HealthPollSeconds, (int)Math.Ceiling((double)timeoutSeconds / checks));
    }

    private static ArgoCdPlan? ReadArgo(JsonFields apps, ProblemList problems)
    {
        var ns = apps.String("namespace") ?? (apps.Has("namespace") ? null : DefaultArgoCdNamespace);
        if (ns is not null && !DnsLabel().IsMatch(ns))
        {
            problems.Add("health.applications.namespace", $"not a Kubernetes namespace name: {JsonFields.Quote(ns)}");
            ns = null;
        }
        var names = ReadStringList(apps.Array("names", required: true), "health.applications.names", 1, 50, problems, (name, _) =>
            DnsSubdomain().IsMatch(name) ? null : "not a Kubernetes object name (lower-case letters, digits, '-' and '.')");
        apps.RejectUnknown();
        return ns is null || names is null
            ? null
            : new ArgoCdPlan { Namespace = ns, Applications = names, Path = $"/apis/argoproj.io/v1alpha1/namespaces/{ns}/applications" };
    }
}
