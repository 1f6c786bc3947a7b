using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Elbv2;

/// <summary>A load balancer of the simulated account (Application or Network).</summary>
internal sealed class LoadBalancerModel
{
    public required string Name { get; init; }

    public required string Id { get; init; }

    public required string Arn { get; init; }

    /// <summary><c>application</c> or <c>network</c>.</summary>
    public required string Type { get; init; }

    public required string Scheme { get; init; }

    public required string VpcId { get; init; }

    public required string DnsName { get; init; }

    public required string CanonicalHostedZoneId { get; init; }

    public required DateTimeOffset CreatedTime { get; init; }

    public required JArray AvailabilityZones { get; init; }

    public required IReadOnlyList<string> SecurityGroups { get; init; }

    public required string IpAddressType { get; init; }

    public List<ListenerModel> Listeners { get; } = [];

    public List<KeyValuePair<string, string>> Tags { get; init; } = [];

    /// <summary>The ARN path segment after the resource type: <c>app/NAME/ID</c> (also the CloudWatch LoadBalancer dimension).</summary>
    public string Path => $"{(Type == "network" ? "net" : "app")}/{Name}/{Id}";

    public JObject ToJson() => new JObjectBuilder()
        .Add("LoadBalancerArn", Arn)
        .Add("DNSName", DnsName)
        .Add("CanonicalHostedZoneId", CanonicalHostedZoneId)
        .Add("CreatedTime", ServiceFormats.Iso(CreatedTime))
        .Add("LoadBalancerName", Name)
        .Add("Scheme", Scheme)
        .Add("VpcId", VpcId)
        .Add("State", JObject.Of(("Code", "active")))
        .Add("Type", Type)
        .Add("AvailabilityZones", AvailabilityZones)
        .Maybe("SecurityGroups", Type == "application" || SecurityGroups.Count > 0 ? ServiceFormats.Strings(SecurityGroups) : null)
        .Add("IpAddressType", IpAddressType)
        .Build();
}

/// <summary>A listener; its default actions are also its default rule's actions.</summary>
internal sealed class ListenerModel
{
    public required string Arn { get; init; }

    public required string Id { get; init; }

    public required LoadBalancerModel LoadBalancer { get; init; }

    public required int Port { get; set; }

    public required string Protocol { get; set; }

    public JArray Certificates { get; set; } = JArray.Empty;

    public string? SslPolicy { get; set; }

    public JArray? AlpnPolicy { get; set; }

    public JArray DefaultActions { get; set; } = JArray.Empty;

    public required string DefaultRuleArn { get; init; }

    public List<RuleModel> Rules { get; } = [];

    public List<KeyValuePair<string, string>> Tags { get; init; } = [];

    public JObject ToJson() => new JObjectBuilder()
        .Add("ListenerArn", Arn)
        .Add("LoadBalancerArn", LoadBalancer.Arn)
        .Add("Port", Port)
        .Add("Protocol", Protocol)
        .Maybe("Certificates", Certificates.Count > 0 ? Certificates : null)
        .Maybe("SslPolicy", SslPolicy)
        .Add("DefaultActions", DefaultActions)
        .Maybe("AlpnPolicy", AlpnPolicy)
        .Build();

    /// <summary>The default rule as DescribeRules shows it.</summary>
    public JObject DefaultRuleJson() => JObject.Of(
        ("RuleArn", DefaultRuleArn),
        ("Priority", "default"),
        ("Conditions", JArray.Empty),
        ("Actions", DefaultActions),
        ("IsDefault", true));
}

/// <summary>A non-default listener rule.</summary>
internal sealed class RuleModel
{
    public required string Arn { get; init; }

    public required ListenerModel Listener { get; init; }

    public required int Priority { get; set; }

    public JArray Conditions { get; set; } = JArray.Empty;

    public JArray Actions { get; set; } = JArray.Empty;

    public List<KeyValuePair<string, string>> Tags { get; init; } = [];

    public JObject ToJson() => JObject.Of(
        ("RuleArn", Arn),
        ("Priority", Priority.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Conditions", Conditions),
        ("Actions", Actions),
        ("IsDefault", false));
}

/// <summary>Health check settings of a target group.</summary>
internal sealed record HealthCheckSettings(
    string Protocol,
    string Port,
    string Path,
    int IntervalSeconds,
    int TimeoutSeconds,
    int HealthyThreshold,
    int UnhealthyThreshold,
    string Matcher);

/// <summary>One registered target.</summary>
internal sealed record TargetModel(string Id, int Port, string AvailabilityZone);

/// <summary>A target group, optionally bound (in the world) to the EKS cluster whose pods are its targets.</summary>
internal sealed class TargetGroupModel
{
    public required string Name { get; init; }

    public required string Id { get; init; }

    public required string Arn { get; init; }

    public required string Protocol { get; init; }

    public required int Port { get; init; }

    public required string VpcId { get; init; }

    public required string TargetType { get; init; }

    public required string ProtocolVersion { get; init; }

    public required HealthCheckSettings HealthCheck { get; init; }

    public required IReadOnlyList<TargetModel> Targets { get; init; }

    /// <summary>The cluster whose workloads serve this target group, when the world binds one.</summary>
    public string? Cluster { get; init; }

    /// <summary>Target-group-level sticky sessions (the <c>stickiness.enabled</c> attribute).</summary>
    public bool StickinessEnabled { get; init; }

    public List<KeyValuePair<string, string>> Tags { get; init; } = [];

    /// <summary>A scenario's forced health (<c>setTargetHealth</c>), or null to follow the workloads.</summary>
    public (string State, string? Reason, string? Description)? HealthOverride { get; set; }

    /// <summary>The ARN path after the resource type: <c>targetgroup/NAME/ID</c> (also the CloudWatch TargetGroup dimension).</summary>
    public string Dimension => $"targetgroup/{Name}/{Id}";

    public JObject ToJson(IReadOnlyList<string> loadBalancerArns) => new JObjectBuilder()
        .Add("TargetGroupArn", Arn)
        .Add("TargetGroupName", Name)
        .Add("Protocol", Protocol)
        .Add("Port", Port)
        .Add("VpcId", VpcId)
        .Add("HealthCheckProtocol", HealthCheck.Protocol)
        .Add("HealthCheckPort", HealthCheck.Port)
        .Add("HealthCheckEnabled", true)
        .Add("HealthCheckIntervalSeconds", HealthCheck.IntervalSeconds)
        .Add("HealthCheckTimeoutSeconds", HealthCheck.TimeoutSeconds)
        .Add("HealthyThresholdCount", HealthCheck.HealthyThreshold)
        .Add("UnhealthyThresholdCount", HealthCheck.UnhealthyThreshold)
        .Add("HealthCheckPath", HealthCheck.Path)
        .Add("Matcher", JObject.Of(("HttpCode", HealthCheck.Matcher)))
        .Add("LoadBalancerArns", ServiceFormats.Strings(loadBalancerArns))
        .Add("TargetType", TargetType)
        .Add("ProtocolVersion", ProtocolVersion)
        .Add("IpAddressType", "ipv4")
        .Build();
}

/// <summary>One target group's share of a forward action, for rehearsal summaries and CloudWatch.</summary>
/// <param name="ActionOwnerArn">The rule (for default actions, the listener's default rule) whose forward action this is.</param>
/// <param name="Weight">The raw weight (0-999).</param>
/// <param name="Percent">The share of the action's traffic, 0-100.</param>
public sealed record ForwardWeight(string ActionOwnerArn, string ListenerArn, string TargetGroupName, string TargetGroupArn, string? Cluster, int Weight, double Percent);
