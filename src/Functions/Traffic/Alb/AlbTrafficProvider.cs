using System.Text.Json;
using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;

namespace BlueGreen.Functions.Traffic;

/// <summary>
/// An Application Load Balancer listener rule (or the listener's default action) forwarding to Blue's and Green's target
/// groups. A change rewrites the one forward action with both groups' weights (0..999; the share itself, so they sum to
/// 100) and keeps every other action and the stickiness as they are; it applies to the next request.
/// </summary>
internal sealed class AlbTrafficProvider : TrafficProvider<AlbTrafficPlan, AlbBlueShare, AlbTrafficReading>
{
    /// <summary>The execution input's <c>traffic.type</c>, and the adapter's name suffix (<c>traffic-alb</c>).</summary>
    public const string TypeName = "alb";

    /// <summary>The <c>apiCall</c> the adapter branches on.</summary>
    public const string ModifyRuleCall = "ModifyRule";

    /// <summary>The <c>apiCall</c> the adapter branches on.</summary>
    public const string ModifyListenerCall = "ModifyListener";

    public const int MaxWeight = 999;

    /// <summary>Tags the AWS Load Balancer Controller puts on what it creates for an Ingress (its "stack").</summary>
    public const string IngressTagPrefix = "ingress.k8s.aws/";

    public override string Type => TypeName;

    /// <summary>"What is asked?" and the one ModifyRule or ModifyListener, which applies at once.</summary>
    public override int TransitionsPerChange => 2;

    public override IReadOnlyList<string> Members { get; } = ["listenerArn", "ruleArn", "blueTargetGroupArn", "greenTargetGroupArn"];

    public override TrafficPlan? Read(JsonFields traffic, ProblemList problems)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        ArgumentNullException.ThrowIfNull(problems);
        var listener = ReadArn(traffic, "listenerArn", ElbArn.Listener, "an ELBv2 listener ARN of an Application Load Balancer", required: true, problems);
        var rule = ReadArn(traffic, "ruleArn", ElbArn.ListenerRule, "an ELBv2 listener rule ARN of an Application Load Balancer", required: false, problems);
        var blueTg = ReadArn(traffic, "blueTargetGroupArn", ElbArn.TargetGroup, "an ELBv2 target group ARN", required: true, problems);
        var greenTg = ReadArn(traffic, "greenTargetGroupArn", ElbArn.TargetGroup, "an ELBv2 target group ARN", required: true, problems);

        if (listener is not null && rule is not null && rule.Value.Arn.ListenerPathOfRule() != listener.Value.Arn.Path)
        {
            problems.Add(traffic.PathOf("ruleArn"), "must be a rule of the listener in listenerArn");
        }
        if (blueTg is not null && greenTg is not null && blueTg.Value.Text == greenTg.Value.Text)
        {
            problems.Add(traffic.PathOf("greenTargetGroupArn"), "must differ from blueTargetGroupArn");
        }
        foreach (var (name, tg) in new[] { ("blueTargetGroupArn", blueTg), ("greenTargetGroupArn", greenTg) })
        {
            if (listener is not null && tg is not null
                && (tg.Value.Arn.Region != listener.Value.Arn.Region || tg.Value.Arn.Account != listener.Value.Arn.Account))
            {
                problems.Add(traffic.PathOf(name), "must be in the listener's account and Region (a forward action cannot reach other target groups)");
            }
        }

        return listener is null || blueTg is null || greenTg is null
            ? null
            : new AlbTrafficPlan
            {
                ListenerArn = listener.Value.Text,
                RuleArn = rule?.Text,
                BlueTargetGroupArn = blueTg.Value.Text,
                GreenTargetGroupArn = greenTg.Value.Text,
            };
    }

    /// <summary>An ELBv2 ARN of one kind, from the input (null, with a problem, when it is not one).</summary>
    internal static (string Text, ElbArn Arn)? ReadArn(JsonFields fields, string name, string kind, string description, bool required, ProblemList problems)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(problems);
        var text = fields.String(name, required);
        if (text is null)
        {
            return null;
        }
        if (ElbArn.Parse(text, kind) is { } arn)
        {
            return (text, arn);
        }
        problems.Add(fields.PathOf(name), $"not {description}");
        return null;
    }

    protected override string? GreenTargetGroupArn(AlbTrafficPlan traffic) => traffic.GreenTargetGroupArn;

    protected override IEnumerable<(string Field, string Arn)> NamedArns(AlbTrafficPlan traffic)
    {
        yield return ("traffic.listenerArn", traffic.ListenerArn);
        if (traffic.RuleArn is { } rule)
        {
            yield return ("traffic.ruleArn", rule);
        }

        yield return ("traffic.blueTargetGroupArn", traffic.BlueTargetGroupArn);
        yield return ("traffic.greenTargetGroupArn", traffic.GreenTargetGroupArn);
    }

    protected override TrafficShiftPlan PlanShift(AlbTrafficPlan traffic, AlbTrafficReading current, WeightSplit split, string description)
    {
        var (blueWeight, greenWeight) = (split.BluePercent, split.GreenPercent);
        CheckWeight("Blue", blueWeight, MaxWeight);
        CheckWeight("Green", greenWeight, MaxWeight);
        var (blueTg, greenTg) = (traffic.BlueTargetGroupArn, traffic.GreenTargetGroupArn);
        var where = traffic.RuleArn is null ? "the listener's default action" : "the listener rule";

        var weighted = new ForwardActionConfig
        {
            TargetGroups =
            [
                new TargetGroupTuple { TargetGroupArn = blueTg, Weight = blueWeight },
                new TargetGroupTuple { TargetGroupArn = greenTg, Weight = greenWeight },
            ],
        };
        IReadOnlyList<ElbAction> actions;
        if (current.CurrentActions is not { Count: > 0 } actionsNow)
        {
            actions = [new ElbAction { Type = "forward", ForwardConfig = weighted }];
        }
        else
        {
            var forwards = actionsNow.Where(a => a.Type == "forward").ToList();
            if (forwards.Count != 1)
            {
                throw new TrafficTargetNotFound([$"{where} has {forwards.Count} forward actions; exactly one is needed to split traffic"]);
            }
            var forward = forwards[0];
            var targets = (forward.ForwardConfig?.TargetGroups?.Select(t => t.TargetGroupArn) ?? [])
                .Append(forward.TargetGroupArn).OfType<string>().ToList();
            if (!targets.Contains(blueTg) && !targets.Contains(greenTg))
            {
                throw new TrafficTargetNotFound([$"{where} forwards to {string.Join(", ", targets)}, neither Blue's nor Green's target group; refusing to take over traffic it does not carry"]);
            }
            // The upgrade moves traffic between exactly two target groups. Green's must already be in the
            // forward action (weight 0): ALB health-checks only target groups a listener uses, so otherwise
            // Green's targets stay "unused" and Green can never pass the health check. A third target group
            // is refused rather than dropped: rewriting the action would silently take its share away.
            var problems = new List<string>();
            if (!targets.Contains(blueTg))
            {
                problems.Add($"{where} does not forward to Blue's target group {blueTg}; it must carry Blue's traffic");
            }
            // A rollback may find Green's group already gone: an earlier rollback (the alarm event's) forwarded to Blue alone.
            var greenAlreadyOut = split.Rollback && !targets.Contains(greenTg);
            if (!targets.Contains(greenTg) && !greenAlreadyOut)
            {
                problems.Add($"{where} does not forward to Green's target group {greenTg}: add it to the forward action with weight 0 before upgrading (a target group that no listener uses reports its targets unused, so Green could never pass the health check)");
            }
            var others = targets.Where(t => t != blueTg && t != greenTg).Distinct(StringComparer.Ordinal).ToList();
            if (others.Count > 0)
            {
                problems.Add($"{where} also forwards to {string.Join(", ", others)}: the upgrade moves traffic between exactly Blue's and Green's target groups, so remove the others first (their share would otherwise be dropped)");
            }
            if (problems.Count > 0)
            {
                throw new TrafficTargetNotFound(problems);
            }
            // Keep stickiness (sessions stay on one colour) and every non-forward action as it is; a rollback from a
            // sticky forward action sends Blue everything, sticky clients included.
            var stickiness = forward.ForwardConfig?.TargetGroupStickinessConfig;
            var rollbackPastStickiness = split.Rollback && stickiness is { Enabled: true };
            var replacement = forward with
            {
                TargetGroupArn = null,
                ForwardConfig = rollbackPastStickiness ? BlueAlone(blueTg)
                    : greenAlreadyOut ? BlueAlone(blueTg) with { TargetGroupStickinessConfig = stickiness }
                    : weighted with { TargetGroupStickinessConfig = stickiness },
            };
            actions = [.. actionsNow.Select(a => ReferenceEquals(a, forward) ? replacement : a)];
            if (rollbackPastStickiness)
            {
                description += $"; target group stickiness ({stickiness!.DurationSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} s) was on, so the rule now forwards to Blue's target group alone with stickiness off and clients it held on Green move too. "
                    + $"Before the next upgrade, put Green's target group {greenTg} back in the forward action with weight 0 (and stickiness back on if you want it)";
            }
        }

        return new TrafficShiftPlan
        {
            Type = Type,
            ApiCall = traffic.RuleArn is null ? ModifyListenerCall : ModifyRuleCall,
            GreenPercent = split.GreenPercent,
            BlueWeight = blueWeight,
            GreenWeight = greenWeight,
            Rollback = split.Rollback,
            Description = description,
            Request = traffic.RuleArn is { } rule
                ? new ModifyRuleRequest { RuleArn = rule, Actions = actions }
                : new ModifyListenerRequest { ListenerArn = traffic.ListenerArn, DefaultActions = actions },
        };
    }

    /// <summary>
    /// A rollback's forward action when target-group stickiness is on. ALB routes a request that carries the stickiness
    /// cookie (AWSALBTG) "to the target group specified in the cookie" when the rule has target-group stickiness enabled
    /// (ALB user guide, load-balancer-listeners.md, "Forward actions"), whatever the weights say: weight 0 alone would leave
    /// clients bound to Green there for up to the duration (fidelity audit A4). Turning stickiness off while keeping both
    /// groups is refused when a group has sticky sessions ("you must enable target group stickiness" for a forward action
    /// with more than one target group), so the action forwards to Blue's group alone, with stickiness off: a forward action
    /// routes only among its own target groups, so no cookie can reach Green.
    /// </summary>
    private static ForwardActionConfig BlueAlone(string blueTargetGroupArn) => new()
    {
        TargetGroups = [new TargetGroupTuple { TargetGroupArn = blueTargetGroupArn, Weight = 100 }],
        TargetGroupStickinessConfig = new TargetGroupStickinessConfig { Enabled = false },
    };

    /// <summary>
    /// The role may change a listener's or rule's weights only when it carries the traffic tag (its IAM condition); an
    /// Ingress's load balancer, listener or rule belongs to the AWS Load Balancer Controller, which reconciles it.
    /// </summary>
    protected override void CheckOwnership(AlbTrafficPlan traffic, AlbTrafficReading current, TagFact? requiredTag, List<string> problems, List<string> controlled)
    {
        if (current.Tags?.Descriptions is not { } tags)
        {
            return;
        }

        if (requiredTag is not null)
        {
            var description = tags.FirstOrDefault(t => t.ResourceArn == traffic.Changed);
            if (description?.Tags?.Any(t => t.Key == requiredTag.Key && t.Value == requiredTag.Value) != true)
            {
                problems.Add($"traffic: {traffic.Changed} is not tagged {requiredTag}, so this deployment may not change its weights "
                    + $"(aws elbv2 add-tags --resource-arns {traffic.Changed} --tags Key={requiredTag.Key},Value={requiredTag.Value})");
            }
        }

        foreach (var description in tags)
        {
            if (description.Tags?.FirstOrDefault(t => t.Key.StartsWith(IngressTagPrefix, StringComparison.Ordinal)) is { } tag)
            {
                controlled.Add($"{description.ResourceArn} is managed by the AWS Load Balancer Controller for an Ingress (tag {tag.Key}={tag.Value}): the controller reconciles it and would put back its own forward weights after every change. "
                    + "Move traffic with a listener rule you manage yourself (Terraform, CloudFormation, CDK) that forwards to Blue's and Green's target groups, each bound to its cluster with a TargetGroupBinding, and name that rule in traffic.ruleArn");
            }
        }
    }

    /// <summary>ModifyRule and ModifyListener apply to the next request: nothing caches the old weights.</summary>
    protected override int CachedForSeconds(AlbTrafficPlan traffic, AlbTrafficReading current) => 0;

    protected override AlbBlueShare BlueShareOf(AlbTrafficPlan traffic) =>
        new() { ListenerArn = traffic.ListenerArn, RuleArn = traffic.RuleArn, BlueTargetGroupArn = traffic.BlueTargetGroupArn };

    protected override AlbBlueShare GreenShareOf(AlbTrafficPlan traffic) =>
        new() { ListenerArn = traffic.ListenerArn, RuleArn = traffic.RuleArn, BlueTargetGroupArn = traffic.GreenTargetGroupArn };

    /// <summary>
    /// Blue serves while a forward action names its target group alone, or lists it with a weight other than 0 (a tuple
    /// without Weight counts: ELBv2 does not document its default).
    /// </summary>
    /// <summary>
    /// From the one forward action: its single target group gets everything, or each tuple its weight's share. A tuple without
    /// Weight makes the share unknown (ELBv2 does not document its default), and so does more than one forward action.
    /// </summary>
    protected override double? GreenPercentNow(AlbTrafficPlan traffic, AlbTrafficReading current)
    {
        var forwards = (current.CurrentActions ?? []).Where(a => a.Type == "forward").ToList();
        if (forwards.Count != 1)
        {
            return null;
        }

        var forward = forwards[0];
        if (forward.ForwardConfig?.TargetGroups is not { Count: > 0 } tuples)
        {
            return forward.TargetGroupArn == traffic.GreenTargetGroupArn ? 100 : 0;
        }

        return tuples.Any(t => t.Weight is null)
            ? null
            : Share(tuples.Where(t => t.TargetGroupArn == traffic.GreenTargetGroupArn).Sum(t => t.Weight!.Value), tuples.Sum(t => t.Weight!.Value));
    }

    /// <summary>
    /// Target-group stickiness takes precedence over the weights until a client's stickiness expires (AWS re:Post, accepted
    /// AWS Expert answer: https://repost.aws/questions/QUugYm4uzWSI2af5mnmMjlZQ; fidelity audit A4), so a rollback moves new
    /// sessions at once but leaves clients already sent to Green there for up to the duration.
    /// </summary>
    protected override IEnumerable<string> Warnings(AlbTrafficPlan traffic, AlbTrafficReading current)
    {
        foreach (var forward in (current.CurrentActions ?? []).Where(a => a.Type == "forward"))
        {
            if (forward.ForwardConfig?.TargetGroupStickinessConfig is { Enabled: true } sticky)
            {
                yield return $"traffic: target group stickiness is on for {sticky.DurationSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "an unknown number of"} seconds on {traffic.Changed}: stickiness takes precedence over the weights, "
                    + "so a rollback forwards to Blue's target group alone with stickiness off (sticky clients move too), and you put Green's target group back with weight 0 before the next upgrade";
            }
        }
    }

    protected override BlueTrafficVerdict CheckBlue(AlbBlueShare blue, AlbTrafficReading current, string cluster, string replacedBy)
    {
        var actions = current.CurrentActions ?? throw new InvalidInput("current.currentActions: required for alb");
        var forwards = actions.Where(a => a.Type == "forward").ToList();
        var serves = forwards.Any(a =>
            a.TargetGroupArn == blue.BlueTargetGroupArn
            || (a.ForwardConfig?.TargetGroups ?? []).Any(t => t.TargetGroupArn == blue.BlueTargetGroupArn && t.Weight is not 0));
        var source = blue.RuleArn ?? blue.ListenerArn;
        return serves
            ? new BlueTrafficVerdict
            {
                ServesTraffic = true,
                Reason = $"{cluster} still serves traffic: its target group {blue.BlueTargetGroupArn} is forwarded to at a weight other than 0 by {source} (forward: {JsonSerializer.Serialize(forwards, ForwardJsonContext.Default.ListElbAction)}). Nothing was deleted; move all traffic to {replacedBy} and start the decommission again.",
            }
            : new BlueTrafficVerdict { ServesTraffic = false, Reason = $"{source} forwards nothing to {cluster}'s target group {blue.BlueTargetGroupArn}." };
    }
}

/// <summary>Serializes the forward actions quoted in a verdict's reason, as ELBv2 spells them.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ElbAction>))]
internal sealed partial class ForwardJsonContext : JsonSerializerContext;
