using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Elbv2;

/// <summary>The writes the upgrade makes: ModifyRule, ModifyListener (forward weights) and SetRulePriorities; a forward change raises <see cref="WeightsChanged"/>.</summary>
public sealed partial class Elbv2Service
{
    private JObject ModifyRule(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var arn = CheckArn(p.RequiredString("RuleArn"), "listener rule");
        var rule = FindRule(arn);
        var defaultListener = rule is null ? FindDefaultRuleListener(arn) : null;
        if (rule is null && defaultListener is null)
        {
            throw RuleNotFound();
        }

        var listener = rule?.Listener ?? defaultListener!;
        JArray? conditions = null;
        if (p.Raw.GetArray("Conditions") is { } newConditions)
        {
            if (rule is null)
            {
                throw new AwsServiceException("OperationNotPermitted", "The conditions of a default rule cannot be modified");
            }

            conditions = ValidateConditions(newConditions);
        }

        // Validate everything before changing anything: a rejected call leaves the rule as it was.
        var actions = p.Raw.GetArray("Actions") is { } newActions ? NormalizeActions(newActions, listener) : null;
        if (conditions is not null)
        {
            rule!.Conditions = conditions;
        }

        if (actions is not null)
        {
            RememberStickyClients(rule?.Arn ?? listener.DefaultRuleArn, rule?.Actions ?? listener.DefaultActions, actions);
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

        return JObject.Of(("Rules", JArray.Of(rule?.ToJson() ?? listener.DefaultRuleJson())));
    }

    private JObject ModifyListener(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var arn = CheckArn(p.RequiredString("ListenerArn"), "listener");
        var listener = FindListener(arn) ?? throw ListenerNotFound();
        var port = p.OptionalInt("Port");
        if (port is < 1 or > 65535)
        {
            throw Invalid($"1 validation error detected: Value '{port}' at 'port' failed to satisfy constraint: Member must have value between 1 and 65535");
        }

        if (port is not null && port != listener.Port && listener.LoadBalancer.Listeners.Any(l => l.Port == port))
        {
            throw new AwsServiceException("DuplicateListener", $"A listener already exists on this port for this load balancer '{listener.LoadBalancer.Arn}'");
        }

        var protocol = p.OptionalString("Protocol");
        var allowed = listener.LoadBalancer.Type == "network" ? (string[])["TCP", "TLS", "UDP", "TCP_UDP"] : ["HTTP", "HTTPS"];
        if (protocol is not null && !allowed.Contains(protocol))
        {
            throw new AwsServiceException("UnsupportedProtocol", $"Protocol '{protocol}' is not supported with {listener.LoadBalancer.Type} load balancers");
        }

        var certificates = p.Raw.GetArray("Certificates");
        if ((protocol ?? listener.Protocol) is "HTTPS" or "TLS" && (certificates ?? listener.Certificates).Count == 0)
        {
            throw new AwsServiceException("CertificateNotFound", "A certificate must be specified for HTTPS listeners");
        }

        var actions = p.Raw.GetArray("DefaultActions") is { } newActions ? NormalizeActions(newActions, listener, protocol) : null;
        listener.Port = port ?? listener.Port;
        listener.Protocol = protocol ?? listener.Protocol;
        listener.Certificates = certificates ?? listener.Certificates;
        listener.SslPolicy = p.OptionalString("SslPolicy") ?? listener.SslPolicy;
        listener.AlpnPolicy = p.Raw.GetArray("AlpnPolicy") ?? listener.AlpnPolicy;
        if (actions is not null)
        {
            RememberStickyClients(listener.DefaultRuleArn, listener.DefaultActions, actions);
            listener.DefaultActions = actions;
            WeightsChanged?.Invoke();
        }

        return JObject.Of(("Listeners", JArray.Of(listener.ToJson())));
    }

    private JObject SetRulePriorities(JObject parameters, AwsCallContext context)
    {
        var pairs = Read(parameters).Array("RulePriorities").OfType<JObject>().ToList();
        var changes = new List<(RuleModel Rule, int Priority)>();
        foreach (var pair in pairs)
        {
            var arn = CheckArn(pair.GetString("RuleArn") ?? throw Invalid("A rule ARN must be specified"), "listener rule");
            if (FindDefaultRuleListener(arn) is not null)
            {
                throw new AwsServiceException("OperationNotPermitted", "The priority of a default rule cannot be changed");
            }

            var rule = FindRule(arn) ?? throw RuleNotFound();
            var priority = (int?)pair.GetNumber("Priority") ?? throw Invalid("A priority must be specified");
            if (priority is < 1 or > 50000)
            {
                throw Invalid($"1 validation error detected: Value '{priority}' at 'rulePriorities.member.priority' failed to satisfy constraint: Member must have value between 1 and 50000");
            }

            changes.Add((rule, priority));
        }

        foreach (var group in changes.GroupBy(c => c.Rule.Listener))
        {
            var moved = group.Select(c => c.Rule).ToHashSet();
            var taken = group.Key.Rules.Where(r => !moved.Contains(r)).Select(r => r.Priority).ToHashSet();
            if (group.Any(c => taken.Contains(c.Priority)) || group.Select(c => c.Priority).Distinct().Count() != group.Count())
            {
                throw new AwsServiceException("PriorityInUse", "The specified priority is in use");
            }
        }

        foreach (var (rule, priority) in changes)
        {
            rule.Priority = priority;
        }

        return JObject.Of(("Rules", JArray.From(changes.Select(c => (JValue)c.Rule.ToJson()))));
    }
}
