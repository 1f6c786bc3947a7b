using System.Text.Json.Serialization;

namespace BlueGreen.Functions.Traffic;

/// <summary>
/// The part of the traffic plan that finds Blue's share again: what the decommission input carries, so the decommission
/// can refuse while Blue still gets traffic. Written like <see cref="TrafficPlan"/>, <c>type</c> first; older inputs that
/// also carry the other provider's members as null read the same.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(AlbBlueShare), TrafficTypes.Alb)]
[JsonDerivedType(typeof(Route53BlueShare), TrafficTypes.Route53)]
public abstract record BlueShare
{
    [JsonIgnore]
    public abstract string Type { get; }
}

/// <summary>Blue's target group, and the rule or listener whose forward action may still send traffic to it.</summary>
public sealed record AlbBlueShare : BlueShare
{
    [JsonIgnore]
    public override string Type => TrafficTypes.Alb;

    [JsonPropertyName("listenerArn")] public required string ListenerArn { get; init; }

    [JsonPropertyName("ruleArn"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? RuleArn { get; init; }

    [JsonPropertyName("blueTargetGroupArn")] public required string BlueTargetGroupArn { get; init; }
}

/// <summary>Blue's weighted record: name (as Route 53 lists it), type and set identifier in one hosted zone.</summary>
public sealed record Route53BlueShare : BlueShare
{
    [JsonIgnore]
    public override string Type => TrafficTypes.Route53;

    [JsonPropertyName("hostedZoneId")] public required string HostedZoneId { get; init; }

    /// <summary>As ListResourceRecordSets lists it (<see cref="Route53RecordName.Listed"/>).</summary>
    [JsonPropertyName("recordName")] public required string RecordName { get; init; }

    [JsonPropertyName("recordType")] public required string RecordType { get; init; }

    [JsonPropertyName("blueSetIdentifier")] public required string BlueSetIdentifier { get; init; }
}
