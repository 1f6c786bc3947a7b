using System.Text.RegularExpressions;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Preflight;

/// <summary>
/// Checks, before anything is created, everything the input names that the deployed role will touch later: that the
/// alarms and hook functions exist, that every ARN is in the deployment's own account and Region, that the traffic
/// wiring carries the tag the role requires, and that no controller owns it (one would revert every weight the workflow
/// sets). Without these, a misspelled alarm built a whole Green (29 mutating calls) before failing <c>AlarmNotFound</c>.
/// </summary>
public static partial class ReachChecker
{
    public static void Check(PreflightRequest request, List<string> problems, List<string> controlled, List<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = request.Plan;
        if (request.Deployment is { } deployment)
        {
            CheckHome(plan, deployment, problems);
            CheckHooks(request.Hooks, deployment, problems);
        }

        CheckAlarms(plan, request.AlarmsFound, problems);
        TrafficProviders.For(plan.Traffic).CheckOwnership(plan.Traffic, request.Traffic, request.Deployment?.TrafficTag, problems, controlled);
        warnings.AddRange(TrafficProviders.For(plan.Traffic).Warnings(plan.Traffic, request.Traffic));
    }

    /// <summary>The workflow's role and calls reach its own account and Region only; an ARN elsewhere fails halfway otherwise.</summary>
    private static void CheckHome(UpgradePlan plan, DeploymentFacts deployment, List<string> problems)
    {
        if (deployment.Home is not { } home)
        {
            return;
        }

        var named = TrafficProviders.For(plan.Traffic).NamedArns(plan.Traffic).Select(n => (n.Field, (string?)n.Arn)).ToList();
        named.Add(("health.greenTargetGroupArn", plan.Health.TargetGroupArn));
        named.AddRange(plan.Hooks.BeforeAllowTraffic.Select(h => ("hooks.beforeAllowTraffic", (string?)h)));
        named.AddRange(plan.Hooks.AfterAllowTraffic.Select(h => ("hooks.afterAllowTraffic", (string?)h)));
        foreach (var (field, arn) in named.Distinct())
        {
            if (arn is null || RegionalArn().Match(arn) is not { Success: true } m)
            {
                continue;
            }

            var (partition, region, account) = (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value);
            if (partition != home.Partition || region != home.Region || account != home.Account)
            {
                problems.Add($"{field}: {arn} is in {(account != home.Account ? $"account {account}, " : "")}{region}, but this deployment runs in account {home.Account}, {home.Region}: "
                    + "the workflow can only reach resources of its own account and Region; deploy the product where the cluster runs, or correct the ARN");
            }
        }
    }

    private static void CheckAlarms(UpgradePlan plan, IReadOnlyList<string>? found, List<string> problems)
    {
        if (found is null)
        {
            return;
        }

        var missing = plan.Alarms.Names.Where(n => !found.Contains(n, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"alarms.names: {string.Join(", ", missing.Select(n => $"\"{n}\""))} {(missing.Count == 1 ? "does" : "do")} not exist in this account and Region (DescribeAlarms finds metric, composite and log alarms; names are case-sensitive)");
        }
    }

    private static void CheckHooks(IReadOnlyList<HookFound>? hooks, DeploymentFacts deployment, List<string> problems)
    {
        foreach (var hook in hooks ?? [])
        {
            if (!hook.Found)
            {
                // GetFunction is granted only on functions carrying the hook tag, so a missing function and an untagged
                // one look alike to the role; both would fail the Invoke the same way later.
                problems.Add($"hooks: {hook.Arn} does not exist, or is not tagged {deployment.HookTag}: this deployment may only invoke hook functions carrying that tag "
                    + $"(aws lambda tag-resource --resource {FunctionArn(hook.Arn)} --tags {deployment.HookTag.Key}={deployment.HookTag.Value})"
                    + (hook.Error is null ? "" : $" [{hook.Error}]"));
            }
        }
    }

    /// <summary>
    /// Clients may keep following the old split for a while after each weight change (resolvers keep a DNS answer for its
    /// TTL): a bake shorter than that would judge the alarms on the old split. Every bake therefore lasts at least as long
    /// as the provider says answers are cached; the run is refused when that no longer fits the execution.
    /// </summary>
    public static StrategyPlan BakeAtLeastTheTtl(UpgradePlan plan, TrafficReading? traffic, List<string> problems, List<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(warnings);
        if (plan.Strategy.Steps.Count == 0)
        {
            return plan.Strategy;
        }

        var ttl = TrafficProviders.For(plan.Traffic).CachedForSeconds(plan.Traffic, traffic);
        var shortest = plan.Strategy.Steps.Min(s => s.BakeSeconds);
        if (ttl <= shortest)
        {
            return plan.Strategy;
        }

        var steps = StrategyPresets.WithMinimumBake(plan.Strategy.Steps, ttl, plan.Alarms.PollSeconds);
        var added = steps.Sum(s => (long)s.BakeSeconds) - plan.Strategy.Steps.Sum(s => (long)s.BakeSeconds);
        var approvals = ((plan.Approvals.BeforeTraffic ? 1 : 0) + (plan.Approvals.BeforeFinalize ? 1 : 0)) * (long)plan.Approvals.TimeoutSeconds;
        var total = plan.Health.TimeoutSeconds + steps.Sum(s => (long)s.BakeSeconds) + approvals + UpgradePlanner.ExecutionReserveSeconds;
        if (total > UpgradePlanner.ExecutionTimeoutSeconds)
        {
            problems.Add($"records {Name(plan.Traffic)} have a TTL of {ttl} s: with every bake lasting at least that long the run could take {total / 3600.0:0.#} h, more than the execution's limit of {UpgradePlanner.ExecutionTimeoutSeconds / 3600} h; lower the TTL (60 s is common for weighted records) and start again");
            return plan.Strategy;
        }

        warnings.Add($"records {Name(plan.Traffic)} have a TTL of {ttl} s, longer than the shortest bake ({shortest} s): resolvers keep answering with the old weights for up to {ttl} s after each change, "
            + $"so every bake lasts at least {ttl} s ({added} s more in all). Lower the TTL (60 s is common for weighted records) for shorter steps");
        return plan.Strategy with { Steps = steps };
    }

    /// <summary>What the cached answers are named by (a record name, for DNS).</summary>
    private static string Name(TrafficPlan traffic) => traffic is Route53TrafficPlan dns ? dns.RecordName : traffic.Type;

    /// <summary>A Lambda ARN without its qualifier (tags live on the function).</summary>
    private static string FunctionArn(string arn) => arn.Split(':') is { Length: 8 } parts ? string.Join(':', parts[..7]) : arn;

    [GeneratedRegex(@"^arn:(aws[a-z-]*):[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):")]
    private static partial Regex RegionalArn();
}
