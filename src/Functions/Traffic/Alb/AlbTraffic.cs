using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;

namespace BlueGreen.Functions.Traffic;

// What the ALB provider reads and writes: its part of the plan, of a decommission's input, of an adapter's reading, and
// the two calls that change weights. Registered as derived types in TrafficProviders.cs.

/// <summary>An Application Load Balancer's listener rule, or its listener's default action, forwarding to both target groups.</summary>
public sealed record AlbTrafficPlan : TrafficPlan
{
    [JsonIgnore]
    public override string Type => AlbTrafficProvider.TypeName;

    [JsonPropertyName("listenerArn")] public required string ListenerArn { get; init; }

    /// <summary>Null: the listener's default action carries the traffic.</summary>
    [JsonPropertyName("ruleArn"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? RuleArn { get; init; }

    [JsonPropertyName("blueTargetGroupArn")] public required string BlueTargetGroupArn { get; init; }

    [JsonPropertyName("greenTargetGroupArn")] public required string GreenTargetGroupArn { get; init; }

    /// <summary>
    /// The load balancer, listener and rule whose tags preflight reads (the traffic tag the role requires, and the AWS Load
    /// Balancer Controller's ownership tags).
    /// </summary>
    [JsonPropertyName("taggedResources")]
    public IReadOnlyList<string> TaggedResources => [.. new[] { ElbArn.LoadBalancerOfListener(ListenerArn), ListenerArn, RuleArn }.OfType<string>()];

    /// <summary>The rule, or the listener when the default action carries the traffic: what a weight change modifies.</summary>
    [JsonIgnore]
    public string Changed => RuleArn ?? ListenerArn;
}

/// <summary>Blue's target group, and the rule or listener whose forward action may still send traffic to it.</summary>
public sealed record AlbBlueShare : BlueShare
{
    [JsonIgnore]
    public override string Type => AlbTrafficProvider.TypeName;

    [JsonPropertyName("listenerArn")] public required string ListenerArn { get; init; }

    [JsonPropertyName("ruleArn"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? RuleArn { get; init; }

    [JsonPropertyName("blueTargetGroupArn")] public required string BlueTargetGroupArn { get; init; }
}

/// <summary>An ALB rule's or listener's actions, as <c>traffic-alb</c> reads them.</summary>
public sealed record AlbTrafficReading : TrafficReading
{
    [JsonIgnore]
    public override string Type => AlbTrafficProvider.TypeName;

    /// <summary>The rule's Actions (DescribeRules) or the listener's DefaultActions (DescribeListeners).</summary>
    [JsonPropertyName("currentActions")] public IReadOnlyList<ElbAction>? CurrentActions { get; init; }

    /// <summary>Inspect only: DescribeTags of the load balancer, listener and rule.</summary>
    [JsonPropertyName("tags")] public TagsRead? Tags { get; init; }
}

/// <summary>DescribeTags' answer as the adapter keeps it (a state's result is always an object).</summary>
public sealed record TagsRead
{
    [JsonPropertyName("descriptions")] public required IReadOnlyList<ResourceTagDescription> Descriptions { get; init; }
}

/// <summary>DescribeTags' TagDescriptions item.</summary>
public sealed record ResourceTagDescription
{
    public required string ResourceArn { get; init; }
    public IReadOnlyList<ResourceTag>? Tags { get; init; }
}

public sealed record ResourceTag
{
    public required string Key { get; init; }
    public string? Value { get; init; }
}

public sealed record ModifyListenerRequest : TrafficApiRequest
{
    public required string ListenerArn { get; init; }
    public required IReadOnlyList<ElbAction> DefaultActions { get; init; }
}

public sealed record ModifyRuleRequest : TrafficApiRequest
{
    public required string RuleArn { get; init; }
    public required IReadOnlyList<ElbAction> Actions { get; init; }
}
