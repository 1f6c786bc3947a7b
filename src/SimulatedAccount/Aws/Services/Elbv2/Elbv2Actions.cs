using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Elbv2;

/// <summary>
/// The rules ELBv2 enforces on listener and rule actions, and the canonical form it stores and returns them in.
/// Sources: "Forward actions" in the ALB guide (weights 0-999, a weight for every target group when there
/// are several, stickiness 1-604800 s and required when a member target group is sticky), the ALB quotas
/// (5 target groups per action), and the ModifyRule / ModifyListener error lists.
/// </summary>
public sealed partial class Elbv2Service
{
    public const int MaxTargetGroupsPerAction = 5;
    public const int MaxWeight = 999;
    public const int MaxStickinessSeconds = 604_800;

    private static readonly string[] ActionTypes = ["authenticate-cognito", "authenticate-oidc", "fixed-response", "forward", "jwt-validation", "redirect"];
    private static readonly string[] RoutingActionTypes = ["forward", "redirect", "fixed-response"];
    private static readonly string[] ConditionFields = ["host-header", "path-pattern", "http-header", "http-request-method", "query-string", "source-ip"];

    /// <summary>
    /// Validates <paramref name="actions"/> for <paramref name="listener"/> and returns them as ELBv2 stores them:
    /// ordered, every forward action with a <c>ForwardConfig</c> (weight 1 when alone) and its stickiness.
    /// Throws the service's error on the first problem; nothing is changed by a rejected call.
    /// </summary>
    private JArray NormalizeActions(JArray actions, ListenerModel listener, string? protocolOverride = null)
    {
        if (actions.Count == 0)
        {
            throw Invalid("At least one action must be specified");
        }

        var lb = listener.LoadBalancer;
        var protocol = protocolOverride ?? listener.Protocol;
        var ordered = new List<(int Order, JObject Action)>();
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i] as JObject ?? throw Invalid($"1 validation error detected: Value at 'actions.{i + 1}.member' failed to satisfy constraint: Member must be a structure");
            var type = action.GetString("Type")
                ?? throw Invalid($"1 validation error detected: Value null at 'actions.{i + 1}.member.type' failed to satisfy constraint: Member must not be null");
            if (!ActionTypes.Contains(type))
            {
                throw Invalid($"1 validation error detected: Value '{type}' at 'actions.{i + 1}.member.type' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", ActionTypes)}]");
            }

            var order = (int?)action.GetNumber("Order") ?? i + 1;
            if (order is < 1 or > 50000)
            {
                throw Invalid($"1 validation error detected: Value '{order}' at 'actions.{i + 1}.member.order' failed to satisfy constraint: Member must have value between 1 and 50000");
            }

            ordered.Add((order, action));
        }

        if (ordered.Select(o => o.Order).Distinct().Count() != ordered.Count)
        {
            throw new AwsServiceException("InvalidLoadBalancerAction", "Each action must have a unique order");
        }

        ordered.Sort((a, b) => a.Order.CompareTo(b.Order));
        var routing = ordered.Count(o => RoutingActionTypes.Contains(o.Action.GetString("Type")));
        if (routing != 1)
        {
            throw new AwsServiceException("InvalidLoadBalancerAction", "Exactly one of the following actions must be specified: forward, redirect, fixed-response");
        }

        if (!RoutingActionTypes.Contains(ordered[^1].Action.GetString("Type")))
        {
            throw new AwsServiceException("InvalidLoadBalancerAction", "The forward, redirect or fixed-response action must be the last action to be performed");
        }

        if (ordered.Count > 2)
        {
            throw new AwsServiceException("TooManyActions", "A rule can have at most one authentication action and one routing action");
        }

        var normalized = new List<JValue>();
        foreach (var (order, action) in ordered)
        {
            var type = action.GetString("Type")!;
            if (lb.Type == "network" && type != "forward")
            {
                throw new AwsServiceException("InvalidLoadBalancerAction", $"The action type '{type}' is not valid with network load balancer");
            }

            if (type.StartsWith("authenticate-", StringComparison.Ordinal) && protocol != "HTTPS")
            {
                throw new AwsServiceException("InvalidLoadBalancerAction", $"The action type '{type}' is supported only on HTTPS listeners");
            }

            normalized.Add(type switch
            {
                "forward" => NormalizeForward(action, order, lb),
                "redirect" => Passthrough(action, order, "RedirectConfig", "StatusCode"),
                "fixed-response" => Passthrough(action, order, "FixedResponseConfig", "StatusCode"),
                _ => action.With("Order", order),
            });
        }

        return JArray.From(normalized);
    }

    private JObject NormalizeForward(JObject action, int order, LoadBalancerModel lb)
    {
        var single = action.GetString("TargetGroupArn");
        var config = action.GetObject("ForwardConfig");
        var tuples = config?.GetArray("TargetGroups")?.ToList() ?? [];
        if (single is null && tuples.Count == 0)
        {
            throw Invalid("A target group ARN must be specified for a forward action, in TargetGroupArn or in ForwardConfig.TargetGroups");
        }

        if (tuples.Count > MaxTargetGroupsPerAction)
        {
            throw Invalid($"A forward action can distribute traffic among at most {MaxTargetGroupsPerAction} target groups, but {tuples.Count} were specified");
        }

        var groups = new List<(string Arn, int? Weight)>();
        for (var i = 0; i < tuples.Count; i++)
        {
            var tuple = tuples[i] as JObject ?? throw Invalid($"1 validation error detected: Value at 'forwardConfig.targetGroups.{i + 1}.member' failed to satisfy constraint: Member must be a structure");
            var arn = tuple.GetString("TargetGroupArn") ?? throw Invalid("A target group ARN must be specified for each target group of a forward action");
            groups.Add((arn, tuple.GetNumber("Weight") is { } w ? (int)w : null));
        }

        if (single is not null)
        {
            if (groups.Count == 0)
            {
                groups.Add((single, null));
            }
            else if (groups.Count != 1 || groups[0].Arn != single)
            {
                throw Invalid("If you specify both TargetGroupArn and ForwardConfig, ForwardConfig can contain only one target group and it must be the target group specified in TargetGroupArn");
            }
        }

        if (groups.Count > 1 && lb.Type == "network")
        {
            throw new AwsServiceException("InvalidLoadBalancerAction", "For Network Load Balancers, you can specify a single target group");
        }

        var models = new List<TargetGroupModel>();
        foreach (var (arn, weight) in groups)
        {
            CheckArn(arn, "target group");
            if (weight is null && groups.Count > 1)
            {
                throw Invalid("You must specify a weight for each target group when a forward action has more than one target group");
            }

            if (weight is < 0 or > MaxWeight)
            {
                throw Invalid($"The weight for each target group must be between 0 and {MaxWeight}, inclusive");
            }

            if (groups.Count(g => g.Arn == arn) > 1)
            {
                throw Invalid($"Target group '{arn}' is specified more than once in the forward action");
            }

            models.Add(FindTargetGroup(arn) ?? throw TargetGroupNotFound(arn));
        }

        foreach (var tg in models)
        {
            if (LoadBalancersUsing(tg).Any(other => other != lb.Arn))
            {
                throw new AwsServiceException("TargetGroupAssociationLimit", $"The following target groups cannot be associated with more than one load balancer: {tg.Arn}");
            }

            if (tg.VpcId != lb.VpcId)
            {
                throw new AwsServiceException("InvalidConfigurationRequest", $"The target group '{tg.Arn}' is in VPC '{tg.VpcId}', but the load balancer is in VPC '{lb.VpcId}'");
            }

            var compatible = lb.Type == "network" ? tg.Protocol is "TCP" or "TLS" or "UDP" or "TCP_UDP" : tg.Protocol is "HTTP" or "HTTPS";
            if (!compatible)
            {
                throw new AwsServiceException("IncompatibleProtocols", $"The target group '{tg.Arn}' uses protocol '{tg.Protocol}', which is not supported by {lb.Type} load balancers");
            }
        }

        var stickiness = config?.GetObject("TargetGroupStickinessConfig");
        var enabled = stickiness?.GetBool("Enabled") ?? false;
        var duration = stickiness?.GetNumber("DurationSeconds");
        if (enabled && duration is null)
        {
            throw Invalid("You must specify DurationSeconds when you enable target group stickiness");
        }

        if (duration is < 1 or > MaxStickinessSeconds)
        {
            throw Invalid($"The target group stickiness duration must be between 1 and {MaxStickinessSeconds} seconds");
        }

        if (!enabled && models.Count > 1 && models.FirstOrDefault(t => t.StickinessEnabled) is { } sticky)
        {
            throw new AwsServiceException("InvalidConfigurationRequest", $"Target group stickiness must be enabled for a forward action with more than one target group when a target group has sticky sessions enabled ('{sticky.Arn}')");
        }

        var stickinessJson = new JObjectBuilder().Add("Enabled", enabled);
        if (enabled)
        {
            stickinessJson.Add("DurationSeconds", duration!.Value);
        }

        var builder = new JObjectBuilder().Add("Type", "forward");
        if (groups.Count == 1)
        {
            builder.Add("TargetGroupArn", groups[0].Arn);
        }

        return builder
            .Add("Order", order)
            .Add("ForwardConfig", JObject.Of(
                ("TargetGroups", JArray.From(groups.Select(g => (JValue)JObject.Of(("TargetGroupArn", g.Arn), ("Weight", g.Weight ?? 1))))),
                ("TargetGroupStickinessConfig", stickinessJson.Build())))
            .Build();
    }

    private JObject Passthrough(JObject action, int order, string configName, string required)
    {
        var config = action.GetObject(configName) ?? throw Invalid($"{configName} must be specified for a '{action.GetString("Type")}' action");
        if (config.GetString(required) is null)
        {
            throw Invalid($"1 validation error detected: Value null at '{char.ToLowerInvariant(configName[0])}{configName[1..]}.{char.ToLowerInvariant(required[0])}{required[1..]}' failed to satisfy constraint: Member must not be null");
        }

        return action.With("Order", order);
    }

    /// <summary>Checks rule conditions and returns them with both <c>Values</c> and the typed config, as ELBv2 echoes them.</summary>
    private JArray ValidateConditions(JArray conditions)
    {
        var result = new List<JValue>();
        var evaluations = 0;
        foreach (var item in conditions)
        {
            var condition = item as JObject ?? throw Invalid("Each condition must be a structure");
            var field = condition.GetString("Field") ?? throw Invalid("A condition field must be specified");
            if (!ConditionFields.Contains(field))
            {
                throw Invalid($"Condition field '{field}' is not supported; supported fields: {string.Join(", ", ConditionFields)}");
            }

            var configName = field switch
            {
                "host-header" => "HostHeaderConfig",
                "path-pattern" => "PathPatternConfig",
                _ => null,
            };
            var values = condition.GetArray("Values") ?? (configName is null ? null : condition.GetObject(configName)?.GetArray("Values"));
            evaluations += values?.Count ?? 1;
            if (values is not null && configName is not null)
            {
                condition = condition.With("Values", values).With(configName, (condition.GetObject(configName) ?? JObject.Empty).With("Values", values));
            }

            result.Add(condition);
        }

        if (evaluations > 5)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"A rule can have at most 5 condition values, but {evaluations} were specified"));
        }

        return JArray.From(result);
    }
}
