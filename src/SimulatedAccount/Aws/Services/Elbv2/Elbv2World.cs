using System.Globalization;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws.Services.Elbv2;

/// <summary>Seeding from the world's <c>elbv2</c> section (documented in scenarios/README.md).</summary>
public sealed partial class Elbv2Service
{
    // Route 53 hosted zone ids of Elastic Load Balancing endpoints (alias targets), per Region:
    // https://docs.aws.amazon.com/general/latest/gr/elb.html
    private static readonly Dictionary<string, (string Application, string Network)> CanonicalZones = new(StringComparer.Ordinal)
    {
        ["ap-northeast-2"] = ("ZWKZPGTI48KDX", "ZIBE1TIR4HY56"),
        ["ap-northeast-1"] = ("Z14GRHDCWA56QT", "Z31USIVHYNEOWT"),
        ["us-east-1"] = ("Z35SXDOTRQ7X7K", "Z26RNL4JYFTOTI"),
        ["us-west-2"] = ("Z1H1FL5HABSF5", "Z18D5FSROUN65G"),
        ["eu-west-1"] = ("Z32O12XQLNTSW2", "Z2IFOLAFXWLO4F"),
    };

    public override void Seed(JObject section, SimulatedAccount account)
    {
        var problems = new WorldProblems();
        problems.UnknownFields(section, "elbv2", "vpcId", "availabilityZones", "targetGroups", "loadBalancers");

        var vpc = section.GetString("vpcId") ?? $"vpc-0{Ids.StableHex("vpc:" + account.AccountId, 16)}";
        var zones = section.GetArray("availabilityZones")?.OfType<JString>().Select(z => z.Value).ToList()
            ?? [account.Region + "a", account.Region + "b", account.Region + "c"];
        var tgs = section.GetArray("targetGroups") ?? JArray.Empty;
        for (var i = 0; i < tgs.Count; i++)
        {
            problems.Try($"elbv2.targetGroups[{i}]", () => _targetGroups.Add(SeedTargetGroup(tgs[i] as JObject ?? throw new ScenarioException("must be an object"), vpc, zones, account)));
        }

        foreach (var cluster in _targetGroups.Select(t => t.Cluster).OfType<string>().Where(account.Workloads.IsReady))
        {
            _everReady.Add(cluster);
        }

        var lbs = section.GetArray("loadBalancers") ?? JArray.Empty;
        for (var i = 0; i < lbs.Count; i++)
        {
            var index = i;
            problems.Try($"elbv2.loadBalancers[{i}]", () => SeedLoadBalancer(lbs[index] as JObject ?? throw new ScenarioException("must be an object"), $"elbv2.loadBalancers[{index}]", vpc, zones, account, problems));
        }

        problems.ThrowIfAny();
    }

    private static TargetGroupModel SeedTargetGroup(JObject o, string vpc, List<string> zones, SimulatedAccount account)
    {
        var name = o.GetString("name") ?? throw new ScenarioException("'name' is required");
        var id = o.GetString("id") ?? Ids.StableHex("tg:" + name);
        var protocol = o.GetString("protocol") ?? "HTTP";
        var port = (int)(o.GetNumber("port") ?? 80);
        var targetType = o.GetString("targetType") ?? "ip";
        var hc = o.GetObject("healthCheck") ?? JObject.Empty;
        var health = new HealthCheckSettings(
            hc.GetString("protocol") ?? (protocol is "HTTPS" ? "HTTPS" : protocol is "HTTP" ? "HTTP" : "TCP"),
            hc.GetString("port") ?? (hc.GetNumber("port") is { } hp ? hp.ToString(CultureInfo.InvariantCulture) : "traffic-port"),
            hc.GetString("path") ?? "/",
            (int)(hc.GetNumber("intervalSeconds") ?? 15),
            (int)(hc.GetNumber("timeoutSeconds") ?? 5),
            (int)(hc.GetNumber("healthyThreshold") ?? 2),
            (int)(hc.GetNumber("unhealthyThreshold") ?? 2),
            hc.GetString("matcher") ?? (hc.GetNumber("matcher") is { } m ? m.ToString(CultureInfo.InvariantCulture) : "200"));

        List<TargetModel> targets;
        if (o.GetArray("targets") is { } list)
        {
            targets = [.. list.OfType<JObject>().Select((t, i) => new TargetModel(
                t.GetString("id") ?? throw new ScenarioException($"targets[{i}]: 'id' is required"),
                (int)(t.GetNumber("port") ?? port),
                t.GetString("availabilityZone") ?? zones[i % zones.Count]))];
        }
        else
        {
            var count = (int)(o.GetNumber("targets") ?? 3);
            var seed = StableHash.Of(name) & 0x7fffffff;
            targets = [.. Enumerable.Range(0, count).Select(i =>
            {
                var zone = i % zones.Count;
                var targetId = targetType == "instance"
                    ? $"i-0{Ids.StableHex($"i:{name}:{i}", 16)}"
                    : $"10.0.{(zone * 32) + ((seed + i) % 32)}.{10 + ((seed / 7 + (i * 37)) % 240)}";
                return new TargetModel(targetId, port, zones[zone]);
            })];
        }

        return new TargetGroupModel
        {
            Name = name,
            Id = id,
            Arn = account.Arn("elasticloadbalancing", $"targetgroup/{name}/{id}"),
            Protocol = protocol,
            Port = port,
            VpcId = o.GetString("vpcId") ?? vpc,
            TargetType = targetType,
            ProtocolVersion = o.GetString("protocolVersion") ?? (protocol is "HTTP" or "HTTPS" ? "HTTP1" : string.Empty),
            HealthCheck = health,
            Targets = targets,
            Cluster = o.GetString("cluster"),
            StickinessEnabled = o.GetBool("stickiness") ?? false,
            Tags = Tags(o),
        };
    }

    private void SeedLoadBalancer(JObject o, string path, string vpc, List<string> zones, SimulatedAccount account, WorldProblems problems)
    {
        var name = o.GetString("name") ?? throw new ScenarioException("'name' is required");
        var id = o.GetString("id") ?? Ids.StableHex("lb:" + name);
        var type = o.GetString("type") ?? "application";
        if (type is not ("application" or "network"))
        {
            throw new ScenarioException($"type '{type}' is not supported (application, network)");
        }

        var scheme = o.GetString("scheme") ?? "internet-facing";
        var number = ((uint)StableHash.Of("dns:" + name + id) % 2_000_000_000u) + 100_000_000u;
        (string Application, string Network) zoneIds = CanonicalZones.GetValueOrDefault(account.Region, ("Z" + Ids.StableUpper("alb:" + account.Region, 12), "Z" + Ids.StableUpper("nlb:" + account.Region, 12)));
        var subnets = o.GetArray("subnets")?.OfType<JObject>().Select(s => (Zone: s.GetString("zone") ?? zones[0], Subnet: s.GetString("subnetId") ?? $"subnet-0{Ids.StableHex("subnet:" + s.GetString("zone"), 16)}")).ToList()
            ?? [.. zones.Select(z => (Zone: z, Subnet: $"subnet-0{Ids.StableHex($"subnet:{name}:{z}", 16)}"))];
        var lb = new LoadBalancerModel
        {
            Name = name,
            Id = id,
            Arn = account.Arn("elasticloadbalancing", $"loadbalancer/{(type == "network" ? "net" : "app")}/{name}/{id}"),
            Type = type,
            Scheme = scheme,
            VpcId = o.GetString("vpcId") ?? vpc,
            DnsName = $"{(scheme == "internal" ? "internal-" : string.Empty)}{name}-{number.ToString(CultureInfo.InvariantCulture)}.{account.Region}.elb.amazonaws.com",
            CanonicalHostedZoneId = type == "network" ? zoneIds.Network : zoneIds.Application,
            CreatedTime = account.Options.Start.AddDays(-200),
            AvailabilityZones = JArray.From(subnets.Select(s => (JValue)JObject.Of(("ZoneName", s.Zone), ("SubnetId", s.Subnet), ("LoadBalancerAddresses", JArray.Empty)))),
            SecurityGroups = o.GetArray("securityGroups")?.OfType<JString>().Select(s => s.Value).ToList()
                ?? (type == "application" ? [$"sg-0{Ids.StableHex("sg:" + name, 16)}"] : []),
            IpAddressType = o.GetString("ipAddressType") ?? "ipv4",
            Tags = Tags(o),
        };
        _loadBalancers.Add(lb);

        var listeners = o.GetArray("listeners") ?? JArray.Empty;
        for (var i = 0; i < listeners.Count; i++)
        {
            var index = i;
            problems.Try($"{path}.listeners[{i}]", () => SeedListener(listeners[index] as JObject ?? throw new ScenarioException("must be an object"), lb, $"{path}.listeners[{index}]", account, problems));
        }
    }

    private void SeedListener(JObject o, LoadBalancerModel lb, string path, SimulatedAccount account, WorldProblems problems)
    {
        var port = (int)(o.GetNumber("port") ?? 443);
        var protocol = o.GetString("protocol") ?? (lb.Type == "network" ? "TCP" : port == 443 ? "HTTPS" : "HTTP");
        var id = o.GetString("id") ?? Ids.StableHex($"listener:{lb.Name}:{port}");
        if (lb.Listeners.Any(l => l.Port == port))
        {
            throw new ScenarioException($"a listener already exists on port {port}");
        }

        var listener = new ListenerModel
        {
            Arn = account.Arn("elasticloadbalancing", $"listener/{lb.Path}/{id}"),
            Id = id,
            LoadBalancer = lb,
            Port = port,
            Protocol = protocol,
            DefaultRuleArn = account.Arn("elasticloadbalancing", $"listener-rule/{lb.Path}/{id}/{Ids.StableHex($"default-rule:{lb.Name}:{id}")}"),
            Certificates = o.GetString("certificateArn") is { } cert ? JArray.Of(JObject.Of(("CertificateArn", cert))) : JArray.Empty,
            SslPolicy = o.GetString("sslPolicy") ?? (protocol is "HTTPS" or "TLS" ? "ELBSecurityPolicy-TLS13-1-2-2021-06" : null),
            Tags = Tags(o),
        };
        if (protocol is "HTTPS" or "TLS" && listener.Certificates.Count == 0)
        {
            throw new ScenarioException($"an {protocol} listener needs 'certificateArn'");
        }

        lb.Listeners.Add(listener);
        var defaults = o.GetArray("defaultActions") ?? (o.GetArray("forward") is { } f ? CompactForward(f, o.GetObject("stickiness")) : null)
            ?? throw new ScenarioException("'defaultActions' (API shape) or 'forward' is required");
        listener.DefaultActions = ToScenario(() => NormalizeActions(defaults, listener), "defaultActions");

        var rules = o.GetArray("rules") ?? JArray.Empty;
        for (var i = 0; i < rules.Count; i++)
        {
            var index = i;
            problems.Try($"{path}.rules[{i}]", () => SeedRule(rules[index] as JObject ?? throw new ScenarioException("must be an object"), listener, account));
        }
    }

    private void SeedRule(JObject o, ListenerModel listener, SimulatedAccount account)
    {
        var priority = (int)(o.GetNumber("priority") ?? throw new ScenarioException("'priority' is required"));
        if (priority is < 1 or > 50000 || listener.Rules.Any(r => r.Priority == priority))
        {
            throw new ScenarioException($"priority {priority} is out of range (1-50000) or already in use");
        }

        var id = o.GetString("id") ?? Ids.StableHex($"rule:{listener.Arn}:{priority}");
        var conditions = o.GetArray("conditions") ?? JArray.From(
            (o.GetArray("hostHeader") is { } hosts ? [(JValue)JObject.Of(("Field", "host-header"), ("Values", hosts))] : Array.Empty<JValue>())
            .Concat(o.GetArray("pathPattern") is { } paths ? [(JValue)JObject.Of(("Field", "path-pattern"), ("Values", paths))] : []));
        if (conditions.Count == 0)
        {
            throw new ScenarioException("a rule needs 'conditions' (API shape), 'hostHeader' or 'pathPattern'");
        }

        var actions = o.GetArray("actions") ?? (o.GetArray("forward") is { } f ? CompactForward(f, o.GetObject("stickiness")) : null)
            ?? throw new ScenarioException("'actions' (API shape) or 'forward' is required");
        var rule = new RuleModel
        {
            Arn = account.Arn("elasticloadbalancing", $"listener-rule/{listener.LoadBalancer.Path}/{listener.Id}/{id}"),
            Listener = listener,
            Priority = priority,
            Conditions = ToScenario(() => ValidateConditions(conditions), "conditions"),
            Tags = Tags(o),
        };
        rule.Actions = ToScenario(() => NormalizeActions(actions, listener), "actions");
        listener.Rules.Add(rule);
    }

    /// <summary><c>forward: [ { targetGroup, weight } ]</c> and <c>stickiness: { enabled, durationSeconds }</c> as an API action list.</summary>
    private JArray CompactForward(JArray forward, JObject? stickiness)
    {
        var tuples = forward.OfType<JObject>().Select(f =>
        {
            var name = f.GetString("targetGroup") ?? throw new ScenarioException("forward[]: 'targetGroup' is required");
            var arn = TargetGroupArn(name) ?? throw new ScenarioException($"forward[]: no target group '{name}' in elbv2.targetGroups");
            var tuple = new JObjectBuilder().Add("TargetGroupArn", arn);
            if (f.GetNumber("weight") is { } weight)
            {
                tuple.Add("Weight", weight);
            }

            return (JValue)tuple.Build();
        });
        var config = new JObjectBuilder().Add("TargetGroups", JArray.From(tuples));
        if (stickiness is not null)
        {
            config.Add("TargetGroupStickinessConfig", new JObjectBuilder()
                .Add("Enabled", stickiness.GetBool("enabled") ?? false)
                .Maybe("DurationSeconds", stickiness.GetNumber("durationSeconds"))
                .Build());
        }

        return JArray.Of(JObject.Of(("Type", "forward"), ("ForwardConfig", config.Build())));
    }

    private static JArray ToScenario(Func<JArray> normalize, string what)
    {
        try
        {
            return normalize();
        }
        catch (AwsServiceException e)
        {
            throw new ScenarioException($"{what}: {e.Code}: {e.Message}");
        }
    }

    private static List<KeyValuePair<string, string>> Tags(JObject o) =>
        [.. (o.GetObject("tags") ?? JObject.Empty).Select(t => new KeyValuePair<string, string>(t.Key, t.Value is JString s ? s.Value : t.Value.ToJson()))];
}
