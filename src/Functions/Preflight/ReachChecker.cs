using System.Text.RegularExpressions;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.Preflight;

/// <summary>
/// Checks, before anything is created, everything the input names that the deployed role will touch later: that the
/// alarms and hook functions exist, that every ARN is in the deployment's own account and Region, that the traffic
/// wiring carries the tag the role requires, and that no controller owns it (one would revert every weight the workflow
/// sets). Without these, a misspelled alarm built a whole Green (29 mutating calls) before failing <c>AlarmNotFound</c>.
/// </summary>
public static partial class ReachChecker
{
    /// <summary>Tags the AWS Load Balancer Controller puts on what it creates for an Ingress (its "stack").</summary>
    public const string IngressTagPrefix = "ingress.k8s.aws/";

    /// <summary>The ownership mark external-dns writes in its TXT registry records.</summary>
    public const string ExternalDnsHeritage = "heritage=external-dns";

    public static void Check(PreflightRequest request, List<string> problems, List<string> controlled, List<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = request.Plan;
        if (request.Deployment is { } deployment)
        {
            CheckHome(plan, deployment, problems);
            CheckTrafficTag(plan, deployment, request.TrafficTags, problems);
            CheckHooks(request.Hooks, deployment, problems);
        }

        CheckAlarms(plan, request.AlarmsFound, problems);
        CheckControllers(plan, request.TrafficTags, request.Records, controlled);
    }

    /// <summary>The workflow's role and calls reach its own account and Region only; an ARN elsewhere fails halfway otherwise.</summary>
    private static void CheckHome(UpgradePlan plan, DeploymentFacts deployment, List<string> problems)
    {
        if (deployment.Home is not { } home)
        {
            return;
        }

        var named = new List<(string Field, string? Arn)>
        {
            ("traffic.listenerArn", plan.Traffic.ListenerArn),
            ("traffic.ruleArn", plan.Traffic.RuleArn),
            ("traffic.blueTargetGroupArn", plan.Traffic.BlueTargetGroupArn),
            ("traffic.greenTargetGroupArn", plan.Traffic.GreenTargetGroupArn),
            ("health.greenTargetGroupArn", plan.Health.TargetGroupArn),
        };
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

    /// <summary>The role may change a listener's or rule's weights only when it carries the traffic tag (its IAM condition).</summary>
    private static void CheckTrafficTag(UpgradePlan plan, DeploymentFacts deployment, IReadOnlyList<ResourceTagDescription>? tags, List<string> problems)
    {
        if (plan.Traffic.Type != "alb" || tags is null)
        {
            return;
        }

        var changed = plan.Traffic.RuleArn ?? plan.Traffic.ListenerArn;
        var description = tags.FirstOrDefault(t => t.ResourceArn == changed);
        var has = description?.Tags?.Any(t => t.Key == deployment.TrafficTag.Key && t.Value == deployment.TrafficTag.Value) == true;
        if (!has && changed is not null)
        {
            problems.Add($"traffic: {changed} is not tagged {deployment.TrafficTag}, so this deployment may not change its weights "
                + $"(aws elbv2 add-tags --resource-arns {changed} --tags Key={deployment.TrafficTag.Key},Value={deployment.TrafficTag.Value})");
        }
    }

    /// <summary>A controller that owns the traffic wiring would put its own weights back after every change this workflow makes.</summary>
    private static void CheckControllers(UpgradePlan plan, IReadOnlyList<ResourceTagDescription>? tags, IReadOnlyList<ResourceRecordSet>? records, List<string> controlled)
    {
        foreach (var description in tags ?? [])
        {
            if (description.Tags?.FirstOrDefault(t => t.Key.StartsWith(IngressTagPrefix, StringComparison.Ordinal)) is { } tag)
            {
                controlled.Add($"{description.ResourceArn} is managed by the AWS Load Balancer Controller for an Ingress (tag {tag.Key}={tag.Value}): the controller reconciles it and would put back its own forward weights after every change. "
                    + "Move traffic with a listener rule you manage yourself (Terraform, CloudFormation, CDK) that forwards to Blue's and Green's target groups, each bound to its cluster with a TargetGroupBinding, and name that rule in traffic.ruleArn");
            }
        }

        if (plan.Traffic.Type != "route53" || plan.Traffic.RecordName is not { } name)
        {
            return;
        }

        foreach (var record in records ?? [])
        {
            if (record.Type == "TXT" && SameName(record.Name, name)
                && record.ResourceRecords?.Any(r => r.Value?.Contains(ExternalDnsHeritage, StringComparison.Ordinal) == true) == true)
            {
                controlled.Add($"{name} is managed by external-dns (its TXT registry record says {ExternalDnsHeritage}): external-dns would rewrite the records, and their weights, on its next sync. "
                    + "Exclude this name from external-dns (its --domain-filter / --exclude-domains, or drop the hostname annotation) and manage the weighted records yourself, then start again");
            }
        }
    }

    /// <summary>
    /// Resolvers keep an answer for its TTL, so for that long after each weight change part of the clients still follow the
    /// old split: a bake shorter than the TTL would judge the alarms on the old split. Every bake therefore lasts at
    /// least the longest TTL of Blue's and Green's weighted records (alias records have none); the run is refused when
    /// that no longer fits the execution.
    /// </summary>
    public static StrategyPlan BakeAtLeastTheTtl(UpgradePlan plan, IReadOnlyList<ResourceRecordSet>? records, List<string> problems, List<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(warnings);
        if (plan.Traffic.Type != "route53" || records is null || plan.Strategy.Steps.Count == 0)
        {
            return plan.Strategy;
        }

        var weighted = records.Where(r => r.SetIdentifier is not null && (r.SetIdentifier == plan.Traffic.BlueSetIdentifier || r.SetIdentifier == plan.Traffic.GreenSetIdentifier) && r.Ttl is not null).ToList();
        if (weighted.Count == 0)
        {
            return plan.Strategy;
        }

        var ttl = (int)Math.Min(int.MaxValue, weighted.Max(r => r.Ttl!.Value));
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
            problems.Add($"records {plan.Traffic.RecordName} have a TTL of {ttl} s: with every bake lasting at least that long the run could take {total / 3600.0:0.#} h, more than the execution's limit of {UpgradePlanner.ExecutionTimeoutSeconds / 3600} h; lower the TTL (60 s is common for weighted records) and start again");
            return plan.Strategy;
        }

        warnings.Add($"records {plan.Traffic.RecordName} have a TTL of {ttl} s, longer than the shortest bake ({shortest} s): resolvers keep answering with the old weights for up to {ttl} s after each change, "
            + $"so every bake lasts at least {ttl} s ({added} s more in all). Lower the TTL (60 s is common for weighted records) for shorter steps");
        return plan.Strategy with { Steps = steps };
    }

    private static bool SameName(string a, string b) => string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    /// <summary>A Lambda ARN without its qualifier (tags live on the function).</summary>
    private static string FunctionArn(string arn) => arn.Split(':') is { Length: 8 } parts ? string.Join(':', parts[..7]) : arn;

    [GeneratedRegex(@"^arn:(aws[a-z-]*):[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):")]
    private static partial Regex RegionalArn();
}
