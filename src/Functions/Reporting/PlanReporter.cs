using System.Globalization;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Reporting;

/// <summary>
/// Says what an upgrade will do, in the words an operator uses: Green against Blue, what preflight warns about, how
/// traffic will move and what that takes. A dry run returns it; a real run records it and sends it with the start
/// notification. Built only from the plan, preflight's result and Green's spec, so it never reads AWS itself.
/// </summary>
public static class PlanReporter
{
    /// <summary>Standard workflows: $0.025 per 1,000 state transitions (https://aws.amazon.com/step-functions/pricing/).</summary>
    public const decimal DollarsPerTransition = 0.000025m;

    // The traffic phase's transitions, measured on the rehearsal (rehearse --json, transitionsByStateMachine, 2026-12-05):
    // a step's shift-step execution makes 13 (the read-back after its change included), the adapter's read-back 2, each
    // bake execution 2 plus 4 per alarm check (the demo's bakes: 4 executions of 10 checks, 168; the 24-hour bake: 27
    // executions, 2,910 checks, 11,694), and a bake execution runs at most 120 checks (statemachines/bake.asl.json) before
    // the next one takes over. The weight change itself is the provider's.
    private const int ShiftStepTransitions = 13 + 2;
    private const int BakeExecutionTransitions = 2;
    private const int CheckTransitions = 4;
    private const int ChecksPerBakeExecution = 120;

    public static PlanReport Describe(DescribePlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (plan, preflight, green) = (request.Plan, request.Preflight, request.GreenSpec);
        var provider = TrafficProviders.For(plan.Traffic);
        var steps = preflight.Strategy.Steps;
        var lines = new List<string>
        {
            $"Upgrade {plan.BlueClusterName} (Kubernetes {preflight.BlueVersion}) to {plan.GreenClusterName} (Kubernetes {plan.TargetVersion}), run {plan.RunId}"
                + (plan.DryRun ? ": dry run, nothing will be created" : string.Empty),
            "Green, a copy of Blue:",
            $"  Kubernetes {preflight.BlueVersion} -> {plan.TargetVersion}" + (preflight.VersionsSkipped.Count > 0 ? $" (skips {string.Join(", ", preflight.VersionsSkipped)})" : string.Empty)
                + $", {preflight.TargetVersionStatus.ToLowerInvariant().Replace('_', ' ')}",
        };
        lines.AddRange(green.Nodegroups.Select(g => $"  nodegroup {g.NodegroupName}: {g.AmiType ?? "custom launch template"}, {Join(g.InstanceTypes) ?? "instance types from the launch template"}, "
            + (g.ScalingConfig is { } s ? $"{Count(s.DesiredSize ?? 0, "node")} ({s.MinSize} to {s.MaxSize})" : "scaling as Blue's")));
        lines.Add($"  {Count(green.Addons.Count, "add-on")}: {Join(green.Addons.Select(a => $"{a.AddonName} {a.AddonVersion}")) ?? "none"}");
        lines.Add($"  {Count(green.AccessEntries.Count, "access entry", "access entries")}, {Count(green.PodIdentityAssociations.Count, "Pod Identity association")}");
        lines.AddRange(green.Notes.Select(n => $"  changed: {n}"));
        lines.AddRange(green.Skipped.Select(s => $"  not copied: {s.Kind} {s.Name} ({s.Reason})"));
        if (preflight.Warnings.Count > 0)
        {
            lines.Add("Preflight warnings:");
            lines.AddRange(preflight.Warnings.Select(w => $"  {w}"));
        }

        lines.Add($"Traffic ({provider.Type}), strategy {preflight.Strategy.Name}: "
            + string.Join(", ", steps.Select(s => $"{s.Weight}% " + (s.BakeSeconds == 0 ? "without a bake" : $"for {Duration(s.BakeSeconds)}"))));
        lines.Add($"  alarms watched: {string.Join(", ", plan.Alarms.Names)} (every {plan.Alarms.PollSeconds} s; INSUFFICIENT_DATA counts as {(plan.Alarms.InsufficientData == "alarm" ? "firing" : "quiet")})");
        var gates = (plan.Approvals.BeforeTraffic ? 1 : 0) + (plan.Approvals.BeforeFinalize ? 1 : 0);
        lines.Add("  approvals: " + (gates == 0 ? "none" : string.Join(" and ", new[] { plan.Approvals.BeforeTraffic ? "before traffic" : null, plan.Approvals.BeforeFinalize ? "before finalizing" : null }.OfType<string>())
            + $", each waiting up to {Duration(plan.Approvals.TimeoutSeconds)}"));
        lines.Add($"  Blue afterwards: {plan.Blue.Decommission}" + (plan.Blue.RetentionSeconds is { } keep ? $" (kept {Duration(keep)})" : string.Empty)
            + $"; Green if the run fails before traffic moves: {plan.Green.OnFailure}");

        var transitions = steps.Sum(s => (long)ShiftStepTransitions + provider.TransitionsPerChange
            + (BakeExecutionTransitions * (long)Math.Ceiling(s.AlarmChecks / (double)ChecksPerBakeExecution)) + (CheckTransitions * (long)s.AlarmChecks));
        var estimate = new PlanEstimate
        {
            BakeSeconds = steps.Sum(s => (long)s.BakeSeconds),
            HealthTimeoutSeconds = plan.Health.TimeoutSeconds,
            ApprovalTimeoutSeconds = gates * (long)plan.Approvals.TimeoutSeconds,
            TrafficStateTransitions = transitions,
            TrafficDollars = Math.Round(transitions * DollarsPerTransition, 4),
        };
        lines.Add($"Takes: {Duration(estimate.BakeSeconds)} of bakes once Green is healthy (the health wait up to {Duration(estimate.HealthTimeoutSeconds)}"
            + (gates > 0 ? $", approvals up to {Duration(estimate.ApprovalTimeoutSeconds)}" : string.Empty) + ")");
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"Costs: about {transitions:N0} state transitions to move traffic (${estimate.TrafficDollars:0.0000} of Step Functions), plus reading Blue and creating Green (about 280 for a small cluster)"));
        return new PlanReport { Lines = lines, Text = string.Join('\n', lines), Estimate = estimate };
    }

    private static string? Join(IEnumerable<string>? items) => items?.ToList() is { Count: > 0 } list ? string.Join(", ", list) : null;

    private static string Count(int n, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? singular : plural ?? singular + "s")}");

    private static string Duration(long seconds) => seconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60.0:0.#} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600.0:0.#} h"),
    };
}
