using System.Text.Json.Serialization;

namespace BlueGreen.Functions.Traffic;

/// <summary>The providers' names: the execution input's <c>traffic.type</c>, and the suffix of each adapter state machine.</summary>
public static class TrafficTypes
{
    public const string Alb = "alb";
    public const string Route53 = "route53";
}

/// <summary>
/// How traffic reaches Blue and Green, as the execution input names it: one record per provider, written with its
/// <c>type</c> first. The provider's adapter (<c>statemachines/traffic-{type}.asl.json</c>) reads its members.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(AlbTrafficPlan), TrafficTypes.Alb)]
[JsonDerivedType(typeof(Route53TrafficPlan), TrafficTypes.Route53)]
public abstract record TrafficPlan
{
    /// <summary>The provider's name (<see cref="TrafficTypes"/>); written as the discriminator.</summary>
    [JsonIgnore]
    public abstract string Type { get; }
}

/// <summary>An Application Load Balancer's listener rule, or its listener's default action, forwarding to both target groups.</summary>
public sealed record AlbTrafficPlan : TrafficPlan
{
    [JsonIgnore]
    public override string Type => TrafficTypes.Alb;

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

/// <summary>Two weighted records of one name and type in one hosted zone, Blue's and Green's.</summary>
public sealed record Route53TrafficPlan : TrafficPlan
{
    [JsonIgnore]
    public override string Type => TrafficTypes.Route53;

    [JsonPropertyName("hostedZoneId")] public required string HostedZoneId { get; init; }

    /// <summary>Lower case and fully qualified (<see cref="Route53RecordName"/>), as ListResourceRecordSets starts from it.</summary>
    [JsonPropertyName("recordName")] public required string RecordName { get; init; }

    [JsonPropertyName("recordType")] public required string RecordType { get; init; }

    [JsonPropertyName("blueSetIdentifier")] public required string BlueSetIdentifier { get; init; }

    [JsonPropertyName("greenSetIdentifier")] public required string GreenSetIdentifier { get; init; }
}
