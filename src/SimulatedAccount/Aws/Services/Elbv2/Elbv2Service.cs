using System.Text.RegularExpressions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Elbv2;

/// <summary>
/// Elastic Load Balancing v2: load balancers, listeners, listener rules and target groups seeded from the
/// world, reached through <c>arn:aws:states:::aws-sdk:elasticloadbalancingv2:*</c> (errors
/// <c>ElasticLoadBalancingV2.*</c>). Weighted forward actions are what the upgrade workflow turns;
/// the service publishes them to <see cref="SimulatedAccount.Traffic"/>, where the rehearsal summary and
/// CloudWatch see them. Target health follows the bound cluster's workloads (<see cref="SimulatedAccount.Workloads"/>).
/// </summary>
/// <remarks>World section <c>elbv2</c>: see <c>scenarios/README.md</c>.</remarks>
public sealed partial class Elbv2Service : AwsServiceBase
{
    private readonly List<LoadBalancerModel> _loadBalancers = [];
    private readonly List<TargetGroupModel> _targetGroups = [];
    private readonly HashSet<string> _everReady = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _notReadySince = new(StringComparer.Ordinal);
    private static readonly List<KeyValuePair<string, string>> NoTags = [];
    private SimulatedAccount? _account;

    public Elbv2Service()
    {
        On("DescribeLoadBalancers", DescribeLoadBalancers);
        On("DescribeListeners", DescribeListeners);
        On("DescribeRules", DescribeRules);
        On("DescribeTargetGroups", DescribeTargetGroups);
        On("DescribeTargetHealth", DescribeTargetHealth);
        On("DescribeTags", DescribeTags);
        On("ModifyRule", ModifyRule);
        On("ModifyListener", ModifyListener);
        On("SetRulePriorities", SetRulePriorities);
    }

    public override string SdkName => "elasticloadbalancingv2";

    public override string ErrorPrefix => "ElasticLoadBalancingV2";

    public override string IamPrefix => "elasticloadbalancing";

    /// <summary>The world section and file are <c>elbv2</c>, the service's everyday name.</summary>
    public override string WorldSection => "elbv2";

    public override string ThrottlingErrorCode => "Throttling";

    public override string ValidationErrorCode => "ValidationError";

    /// <summary>Raised (synchronously, on the scheduler thread) after any forward weight changes.</summary>
    public event Action? WeightsChanged;

    /// <summary>Every target group of every forward action (rules and listener default actions), with raw weights and percentages.</summary>
    public IReadOnlyList<ForwardWeight> Weights =>
        [.. AllActionOwners().SelectMany(o => ForwardWeightsOf(o.OwnerArn, o.Listener.Arn, o.Actions))];

    /// <summary>
    /// The forward weights of one rule, or of a listener's default action when given the listener's ARN (the
    /// two ways the upgrade names the traffic it moves).
    /// </summary>
    public IReadOnlyList<ForwardWeight> WeightsOf(string ruleOrListenerArn)
    {
        var owner = _loadBalancers.SelectMany(l => l.Listeners).FirstOrDefault(l => l.Arn == ruleOrListenerArn)?.DefaultRuleArn ?? ruleOrListenerArn;
        return [.. Weights.Where(w => w.ActionOwnerArn == owner)];
    }

    /// <summary>The largest share (0-100) of any forward action's traffic that reaches <paramref name="targetGroupName"/>.</summary>
    public double TrafficPercentOfTargetGroup(string targetGroupName) =>
        Weights.Where(w => w.TargetGroupName == targetGroupName).Select(w => w.Percent).DefaultIfEmpty(0).Max();

    /// <summary>The largest share (0-100) of any forward action's traffic that reaches a target group bound to <paramref name="cluster"/>.</summary>
    public double TrafficPercentOfCluster(string cluster) =>
        Weights.Where(w => w.Cluster == cluster).Select(w => w.Percent).DefaultIfEmpty(0).Max();

    /// <summary>The cluster a target group (by name, ARN or CloudWatch dimension <c>targetgroup/NAME/ID</c>) is bound to.</summary>
    public string? ClusterOfTargetGroup(string nameArnOrDimension) =>
        _targetGroups.FirstOrDefault(t => t.Name == nameArnOrDimension || t.Arn == nameArnOrDimension || t.Dimension == nameArnOrDimension)?.Cluster;

    /// <summary>True when a target group with this name exists.</summary>
    public override IReadOnlyDictionary<string, string>? ResourceTags(string arn)
    {
        var tags = _loadBalancers.FirstOrDefault(l => l.Arn == arn)?.Tags
            ?? _loadBalancers.SelectMany(l => l.Listeners).FirstOrDefault(l => l.Arn == arn)?.Tags
            ?? _loadBalancers.SelectMany(l => l.Listeners).SelectMany(l => l.Rules).FirstOrDefault(r => r.Arn == arn)?.Tags
            ?? _targetGroups.FirstOrDefault(t => t.Arn == arn)?.Tags;
        return tags?.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
    }

    public bool HasTargetGroup(string name) => _targetGroups.Any(t => t.Name == name);

    /// <summary>What a Route 53 alias record needs to point at a load balancer: its DNS name and canonical hosted zone.</summary>
    public (string DnsName, string HostedZoneId)? AliasTargetOf(string loadBalancerName) =>
        _loadBalancers.FirstOrDefault(l => l.Name == loadBalancerName) is { } lb ? (lb.DnsName, lb.CanonicalHostedZoneId) : null;

    /// <summary>The ARNs of every target group, listener and (non-default) rule, for saying what the world has.</summary>
    public (IReadOnlyList<string> TargetGroups, IReadOnlyList<string> Listeners, IReadOnlyList<string> Rules) Inventory =>
        ([.. _targetGroups.Select(t => t.Arn)], [.. _loadBalancers.SelectMany(l => l.Listeners).Select(l => l.Arn)],
         [.. _loadBalancers.SelectMany(l => l.Listeners).SelectMany(l => l.Rules).Select(r => r.Arn)]);

    /// <summary>The ARN of the target group named <paramref name="name"/>.</summary>
    public string? TargetGroupArn(string name) => _targetGroups.FirstOrDefault(t => t.Name == name)?.Arn;

    public override void Attach(SimulatedAccount account)
    {
        _account = account;
        account.Traffic.Register(new Elbv2Traffic(this));
        WeightsChanged += account.Traffic.NotifyChanged;
        account.Workloads.Changed += (cluster, state) =>
        {
            if (state.Ready)
            {
                _everReady.Add(cluster);
                _notReadySince.Remove(cluster);
            }
            else if (_everReady.Contains(cluster) && !_notReadySince.ContainsKey(cluster))
            {
                _notReadySince[cluster] = account.Scheduler.Now;
            }
        };
        account.RegisterEventAction("setTargetHealth", SetTargetHealthEvent);
        account.RegisterEventAction("setForwardWeights", SetForwardWeightsEvent);
    }

    private SimulatedAccount Account => _account ?? throw new InvalidOperationException("The ELBv2 service is not attached to an account.");

    // ---- Describe* ---------------------------------------------------------------------------------------

    private JObject DescribeLoadBalancers(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var arns = p.Strings("LoadBalancerArns");
        var names = p.Strings("Names");
        if (arns.Count > 0 && names.Count > 0)
        {
            throw Invalid("Load balancer names and load balancer ARNs cannot be specified at the same time");
        }

        IEnumerable<LoadBalancerModel> selected = _loadBalancers.OrderBy(l => l.Name, StringComparer.Ordinal);
        if (arns.Count > 0)
        {
            selected = arns.Select(a => FindLoadBalancer(a) ?? throw LoadBalancerNotFound());
        }
        else if (names.Count > 0)
        {
            selected = names.Select(n => _loadBalancers.FirstOrDefault(l => l.Name == n) ?? throw LoadBalancerNotFound());
        }

        return Page("lb", [.. selected.Select(l => l.ToJson())], p, "LoadBalancers");
    }

    private JObject DescribeListeners(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var arns = p.Strings("ListenerArns");
        var lbArn = p.OptionalString("LoadBalancerArn");
        if (arns.Count == 0 && lbArn is null)
        {
            throw Invalid("You must specify either listener ARNs or a load balancer ARN");
        }

        if (arns.Count > 0 && lbArn is not null)
        {
            throw Invalid("Listener ARNs and a load balancer ARN cannot be specified at the same time");
        }

        IEnumerable<ListenerModel> selected = arns.Count > 0
            ? arns.Select(a => FindListener(CheckArn(a, "listener")) ?? throw ListenerNotFound())
            : (FindLoadBalancer(lbArn!) ?? throw LoadBalancerNotFound()).Listeners.OrderBy(l => l.Port);
        return Page("listener", [.. selected.Select(l => l.ToJson())], p, "Listeners");
    }

    private JObject DescribeRules(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var arns = p.Strings("RuleArns");
        var listenerArn = p.OptionalString("ListenerArn");
        if (arns.Count == 0 && listenerArn is null)
        {
            throw Invalid("You must specify either listener ARN or rule ARNs");
        }

        if (arns.Count > 0 && listenerArn is not null)
        {
            throw Invalid("A listener ARN and rule ARNs cannot be specified at the same time");
        }

        List<JObject> rules;
        if (arns.Count > 0)
        {
            rules = [.. arns.Select(a => FindRuleJson(CheckArn(a, "listener rule")) ?? throw RuleNotFound())];
        }
        else
        {
            var listener = FindListener(CheckArn(listenerArn!, "listener")) ?? throw ListenerNotFound();
            rules = [.. listener.Rules.OrderBy(r => r.Priority).Select(r => r.ToJson()), listener.DefaultRuleJson()];
        }

        return Page("rule", rules, p, "Rules");
    }

    private JObject DescribeTargetGroups(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var arns = p.Strings("TargetGroupArns");
        var names = p.Strings("Names");
        var lbArn = p.OptionalString("LoadBalancerArn");
        if ((arns.Count > 0 ? 1 : 0) + (names.Count > 0 ? 1 : 0) + (lbArn is null ? 0 : 1) > 1)
        {
            throw Invalid("Only one of load balancer ARN, target group ARNs and names can be specified");
        }

        IEnumerable<TargetGroupModel> selected = _targetGroups.OrderBy(t => t.Name, StringComparer.Ordinal);
        if (arns.Count > 0)
        {
            selected = arns.Select(a => FindTargetGroup(CheckArn(a, "target group")) ?? throw TargetGroupNotFound(a));
        }
        else if (names.Count > 0)
        {
            selected = names.Select(n => _targetGroups.FirstOrDefault(t => t.Name == n) ?? throw new AwsServiceException("TargetGroupNotFound", $"Target groups '{n}' not found"));
        }
        else if (lbArn is not null)
        {
            var lb = FindLoadBalancer(lbArn) ?? throw LoadBalancerNotFound();
            selected = selected.Where(t => LoadBalancersUsing(t).Contains(lb.Arn));
        }

        return Page("tg", [.. selected.Select(t => t.ToJson(LoadBalancersUsing(t)))], p, "TargetGroups");
    }

    private JObject DescribeTargetHealth(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var arn = CheckArn(p.RequiredString("TargetGroupArn"), "target group");
        var tg = FindTargetGroup(arn) ?? throw TargetGroupNotFound(arn);
        var include = p.Strings("Include");
        var anomaly = include.Contains("AnomalyDetection") || include.Contains("All");
        var requested = p.Array("Targets").OfType<JObject>().ToList();
        var health = HealthOf(tg);

        IEnumerable<JObject> descriptions;
        if (requested.Count > 0)
        {
            descriptions = requested.Select(r =>
            {
                var id = r.GetString("Id") ?? throw Invalid("A target ID must be specified");
                var port = (int?)r.GetNumber("Port");
                var target = tg.Targets.FirstOrDefault(t => t.Id == id && (port is null || t.Port == port));
                return target is null
                    ? Describe(new TargetModel(id, port ?? tg.Port, r.GetString("AvailabilityZone") ?? string.Empty), ("unused", "Target.NotRegistered", "Target is not registered to the target group"), tg, anomaly)
                    : Describe(target, health, tg, anomaly);
            });
        }
        else
        {
            descriptions = tg.Targets.Select(t => Describe(t, health, tg, anomaly));
        }

        return JObject.Of(("TargetHealthDescriptions", JArray.From(descriptions)));
    }

    private JObject DescribeTags(JObject parameters, AwsCallContext context)
    {
        var arns = Read(parameters).Strings("ResourceArns");
        if (arns.Count == 0)
        {
            throw Invalid("At least one resource ARN must be specified");
        }

        if (arns.Count > 20)
        {
            throw Invalid("1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to 20");
        }

        var descriptions = arns.Select(arn =>
        {
            var tags = FindLoadBalancer(arn)?.Tags
                ?? FindTargetGroup(arn)?.Tags
                ?? FindListener(arn)?.Tags
                ?? FindRule(arn)?.Tags
                ?? (FindDefaultRuleListener(arn) is not null ? NoTags : null)
                ?? throw NotFoundFor(arn);
            return (JValue)JObject.Of(
                ("ResourceArn", arn),
                ("Tags", JArray.From(tags.Select(t => (JValue)JObject.Of(("Key", t.Key), ("Value", t.Value))))));
        });
        return JObject.Of(("TagDescriptions", JArray.From(descriptions)));
    }

    // ---- Lookups and errors ------------------------------------------------------------------------------

    private IEnumerable<(string OwnerArn, ListenerModel Listener, JArray Actions)> AllActionOwners()
    {
        foreach (var listener in _loadBalancers.SelectMany(l => l.Listeners))
        {
            yield return (listener.DefaultRuleArn, listener, listener.DefaultActions);
            foreach (var rule in listener.Rules.OrderBy(r => r.Priority))
            {
                yield return (rule.Arn, listener, rule.Actions);
            }
        }
    }

    private IEnumerable<ForwardWeight> ForwardWeightsOf(string ownerArn, string listenerArn, JArray actions)
    {
        foreach (var action in actions.OfType<JObject>().Where(a => a.GetString("Type") == "forward"))
        {
            var tuples = action.GetObject("ForwardConfig")?.GetArray("TargetGroups")?.OfType<JObject>().ToList() ?? [];
            var percents = EffectivePercents(ownerArn, action, ConfiguredPercents(action));
            foreach (var tuple in tuples)
            {
                var tgArn = tuple.GetString("TargetGroupArn")!;
                var tg = FindTargetGroup(tgArn);
                var weight = (int)(tuple.GetNumber("Weight") ?? 1);
                yield return new ForwardWeight(ownerArn, listenerArn, tg?.Name ?? tgArn, tgArn, tg?.Cluster, weight, percents.GetValueOrDefault(tgArn));
            }
        }
    }

    private List<string> LoadBalancersUsing(TargetGroupModel tg) =>
        [.. AllActionOwners().Where(o => ReferencedTargetGroups(o.Actions).Contains(tg.Arn)).Select(o => o.Listener.LoadBalancer.Arn).Distinct()];

    private static IEnumerable<string> ReferencedTargetGroups(JArray actions) =>
        actions.OfType<JObject>()
            .SelectMany(a => (a.GetObject("ForwardConfig")?.GetArray("TargetGroups")?.OfType<JObject>().Select(t => t.GetString("TargetGroupArn")) ?? [])
                .Append(a.GetString("TargetGroupArn")))
            .OfType<string>();

    private LoadBalancerModel? FindLoadBalancer(string arn) => _loadBalancers.FirstOrDefault(l => l.Arn == arn);

    private ListenerModel? FindListener(string arn) => _loadBalancers.SelectMany(l => l.Listeners).FirstOrDefault(l => l.Arn == arn);

    private RuleModel? FindRule(string arn) => _loadBalancers.SelectMany(l => l.Listeners).SelectMany(l => l.Rules).FirstOrDefault(r => r.Arn == arn);

    private ListenerModel? FindDefaultRuleListener(string arn) => _loadBalancers.SelectMany(l => l.Listeners).FirstOrDefault(l => l.DefaultRuleArn == arn);

    private JObject? FindRuleJson(string arn) => FindRule(arn)?.ToJson() ?? FindDefaultRuleListener(arn)?.DefaultRuleJson();

    private TargetGroupModel? FindTargetGroup(string arn) => _targetGroups.FirstOrDefault(t => t.Arn == arn);

    /// <summary>A target group a scenario event names by name or ARN.</summary>
    private TargetGroupModel TargetGroupNamed(string nameOrArn, string eventAction) =>
        _targetGroups.FirstOrDefault(t => t.Name == nameOrArn || t.Arn == nameOrArn)
        ?? throw new Scenarios.ScenarioException($"{eventAction}: no target group '{nameOrArn}'");

    /// <summary>Rejects text that is not an ARN of the expected kind, as ELBv2 does before looking anything up.</summary>
    private string CheckArn(string arn, string kind)
    {
        var type = kind switch
        {
            "listener" => "listener",
            "listener rule" => "listener-rule",
            _ => "targetgroup",
        };
        return ArnShape().Match(arn) is { Success: true } m && m.Groups["type"].Value == type
            ? arn
            : throw Invalid($"'{arn}' is not a valid {kind} ARN");
    }

    private JObject Page(string scope, List<JObject> items, Params p, string listKey)
    {
        var pageSize = p.OptionalInt("PageSize") ?? 400;
        if (pageSize is < 1 or > 400)
        {
            throw Invalid($"1 validation error detected: Value '{pageSize}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 400");
        }

        var page = Pagination.Of(items, p.OptionalString("Marker"), pageSize, PageTokens.Opaque(scope, ':'), _ => Invalid("The marker is not valid"));
        return new JObjectBuilder()
            .Add(listKey, JArray.From(page.Items.Select(i => (JValue)i)))
            .Maybe("NextMarker", page.NextToken)
            .Build();
    }

    private AwsServiceException NotFoundFor(string arn) => ArnShape().Match(arn) is { Success: true } m
        ? m.Groups["type"].Value switch
        {
            "loadbalancer" => LoadBalancerNotFound(),
            "listener" => ListenerNotFound(),
            "listener-rule" => RuleNotFound(),
            _ => TargetGroupNotFound(arn),
        }
        : Invalid($"'{arn}' is not a valid resource ARN");

    private static AwsServiceException LoadBalancerNotFound() => new("LoadBalancerNotFound", "One or more load balancers not found");

    private static AwsServiceException ListenerNotFound() => new("ListenerNotFound", "One or more listeners not found");

    private static AwsServiceException RuleNotFound() => new("RuleNotFound", "One or more rules not found");

    private static AwsServiceException TargetGroupNotFound(string arn) => new("TargetGroupNotFound", $"Target groups '{arn}' not found");

    [GeneratedRegex(@"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:(?<type>loadbalancer|listener|listener-rule|targetgroup)/.+$", RegexOptions.CultureInvariant)]
    private static partial Regex ArnShape();
}
