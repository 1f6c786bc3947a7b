using System.Globalization;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.Traffic;

/// <summary>
/// Builds the one API call that puts a given share of traffic on Green.
///
/// Percent to weight: Green's weight is the percent and Blue's is 100 minus it. The weights always sum to
/// 100, so each weight is exactly that side's share, in both ALB forward actions (weights 0..999) and
/// Route 53 weighted records (weights 0..255); 0 sends a side no traffic, and the two are never both 0
/// (Route 53 would then answer with every record equally).
/// </summary>
public static class TrafficShiftPlanner
{
    public const int AlbMaxWeight = 999;
    public const int Route53MaxWeight = 255;

    public static TrafficShiftPlan Plan(PlanTrafficShiftRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = request.Plan;
        int percent;
        if (request.Rollback)
        {
            percent = 0;
        }
        else if (request.GreenPercent is not { } requested)
        {
            throw new InvalidInput("greenPercent: required unless rollback is true");
        }
        else if (requested is < 0 or > 100)
        {
            throw new InvalidInput($"greenPercent: must be between 0 and 100, not {requested}");
        }
        else
        {
            percent = requested;
        }
        var (blueWeight, greenWeight) = (100 - percent, percent);

        return plan.Traffic.Type switch
        {
            TrafficTypes.Alb => PlanAlb(plan, request, percent, blueWeight, greenWeight),
            TrafficTypes.Route53 => PlanRoute53(plan, request, percent, blueWeight, greenWeight),
            _ => throw new InvalidInput($"plan.traffic.type: unknown traffic type \"{plan.Traffic.Type}\""),
        };
    }

    private static void CheckWeight(string side, int weight, int max)
    {
        if (weight < 0 || weight > max)
        {
            throw new InvalidInput($"{side} weight {weight} is outside the allowed range 0..{max}");
        }
    }

    private static string Describe(UpgradePlan plan, int percent, bool rollback) => rollback
        ? $"eks-bluegreen {plan.RunId}: roll back, 100% to Blue ({plan.BlueClusterName})"
        : string.Create(CultureInfo.InvariantCulture, $"eks-bluegreen {plan.RunId}: {percent}% to Green ({plan.GreenClusterName}), {100 - percent}% to Blue ({plan.BlueClusterName})");

    private static TrafficShiftPlan PlanAlb(UpgradePlan plan, PlanTrafficShiftRequest request, int percent, int blueWeight, int greenWeight)
    {
        CheckWeight("Blue", blueWeight, AlbMaxWeight);
        CheckWeight("Green", greenWeight, AlbMaxWeight);
        var traffic = plan.Traffic;
        var blueTg = traffic.BlueTargetGroupArn ?? throw new InvalidInput("plan.traffic.blueTargetGroupArn: required for alb");
        var greenTg = traffic.GreenTargetGroupArn ?? throw new InvalidInput("plan.traffic.greenTargetGroupArn: required for alb");
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
        if (request.CurrentActions is not { Count: > 0 } current)
        {
            actions = [new ElbAction { Type = "forward", ForwardConfig = weighted }];
        }
        else
        {
            var forwards = current.Where(a => a.Type == "forward").ToList();
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
            if (!targets.Contains(greenTg))
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
            // Keep stickiness (sessions stay on one colour) and every non-forward action as it is.
            var replacement = forward with
            {
                TargetGroupArn = null,
                ForwardConfig = weighted with { TargetGroupStickinessConfig = forward.ForwardConfig?.TargetGroupStickinessConfig },
            };
            actions = [.. current.Select(a => ReferenceEquals(a, forward) ? replacement : a)];
        }

        var description = Describe(plan, percent, request.Rollback);
        return new TrafficShiftPlan
        {
            Type = TrafficTypes.Alb,
            ApiCall = traffic.RuleArn is null ? TrafficApiCalls.ModifyListener : TrafficApiCalls.ModifyRule,
            GreenPercent = percent,
            BlueWeight = blueWeight,
            GreenWeight = greenWeight,
            Rollback = request.Rollback,
            Description = description,
            ModifyRule = traffic.RuleArn is { } rule ? new ModifyRuleRequest { RuleArn = rule, Actions = actions } : null,
            ModifyListener = traffic.RuleArn is null
                ? new ModifyListenerRequest { ListenerArn = traffic.ListenerArn ?? throw new InvalidInput("plan.traffic.listenerArn: required for alb"), DefaultActions = actions }
                : null,
        };
    }

    private static TrafficShiftPlan PlanRoute53(UpgradePlan plan, PlanTrafficShiftRequest request, int percent, int blueWeight, int greenWeight)
    {
        CheckWeight("Blue", blueWeight, Route53MaxWeight);
        CheckWeight("Green", greenWeight, Route53MaxWeight);
        var traffic = plan.Traffic;
        var records = request.CurrentRecords
            ?? throw new InvalidInput("currentRecords: required for route53 (pass ListResourceRecordSets' ResourceRecordSets)");
        var problems = new List<string>();
        var blue = FindRecord(records, traffic, traffic.BlueSetIdentifier!, problems);
        var green = FindRecord(records, traffic, traffic.GreenSetIdentifier!, problems);
        if (blue is null || green is null)
        {
            throw new TrafficTargetNotFound(problems);
        }

        var description = Describe(plan, percent, request.Rollback);
        return new TrafficShiftPlan
        {
            Type = TrafficTypes.Route53,
            ApiCall = TrafficApiCalls.ChangeResourceRecordSets,
            GreenPercent = percent,
            BlueWeight = blueWeight,
            GreenWeight = greenWeight,
            Rollback = request.Rollback,
            Description = description,
            ChangeResourceRecordSets = new ChangeResourceRecordSetsRequest
            {
                HostedZoneId = traffic.HostedZoneId!,
                ChangeBatch = new ChangeBatch
                {
                    // One batch: Route 53 applies both weights or neither.
                    Comment = description.Length > 256 ? description[..256] : description,
                    Changes =
                    [
                        // Each record is sent back exactly as listed, only its Weight changed.
                        new RecordChange { Action = "UPSERT", ResourceRecordSet = blue with { Weight = blueWeight } },
                        new RecordChange { Action = "UPSERT", ResourceRecordSet = green with { Weight = greenWeight } },
                    ],
                },
            },
        };
    }

    private static ResourceRecordSet? FindRecord(IReadOnlyList<ResourceRecordSet> records, TrafficPlan traffic, string setIdentifier, List<string> problems)
    {
        var record = records.FirstOrDefault(r =>
            NormalizeName(r.Name) == NormalizeName(traffic.RecordName!) && r.Type == traffic.RecordType && r.SetIdentifier == setIdentifier);
        var label = $"{traffic.RecordName} {traffic.RecordType} (SetIdentifier \"{setIdentifier}\")";
        if (record is null)
        {
            problems.Add($"record {label} is not in hosted zone {traffic.HostedZoneId}; create both weighted records before upgrading");
            return null;
        }
        if (record.Weight is null)
        {
            problems.Add($"record {label} is not a weighted record");
            return null;
        }
        if (record.TrafficPolicyInstanceId is not null)
        {
            problems.Add($"record {label} is managed by traffic policy instance {record.TrafficPolicyInstanceId} and cannot be changed directly");
            return null;
        }
        return record;
    }

    /// <summary>Route 53 lists names lower-case, fully qualified, with "*" escaped as \052.</summary>
    private static string NormalizeName(string name) =>
        name.Replace("\\052", "*", StringComparison.Ordinal).ToLowerInvariant().TrimEnd('.') + ".";
}
