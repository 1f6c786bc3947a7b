using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;

namespace BlueGreen.Functions.Traffic;

/// <summary>
/// The traffic wiring as the provider's adapter read it (operation <c>read</c>, or <c>inspect</c>, which adds who owns
/// it): the adapter's whole output, <c>type</c> first. Callers pass it on as one value, so none of them names a
/// provider's members.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(AlbTrafficReading), TrafficTypes.Alb)]
[JsonDerivedType(typeof(Route53TrafficReading), TrafficTypes.Route53)]
public abstract record TrafficReading
{
    [JsonIgnore]
    public abstract string Type { get; }
}

/// <summary>An ALB rule's or listener's actions, as <c>traffic-alb</c> reads them.</summary>
public sealed record AlbTrafficReading : TrafficReading
{
    [JsonIgnore]
    public override string Type => TrafficTypes.Alb;

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

/// <summary>Route 53's records, as <c>traffic-route53</c> lists them.</summary>
public sealed record Route53TrafficReading : TrafficReading
{
    [JsonIgnore]
    public override string Type => TrafficTypes.Route53;

    /// <summary>ListResourceRecordSets from the record's name and type on (other names may follow, and external-dns's TXT records).</summary>
    [JsonPropertyName("currentRecords")] public IReadOnlyList<ResourceRecordSet>? CurrentRecords { get; init; }
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

/// <summary>The share each side gets, as percentages that add up to 100.</summary>
public sealed record WeightSplit(int GreenPercent, bool Rollback)
{
    public int BluePercent => 100 - GreenPercent;
}

/// <summary>Whether Blue still gets a share, and the sentence that says why (the decommission's Cause).</summary>
public sealed record BlueTrafficVerdict
{
    [JsonPropertyName("servesTraffic")] public required bool ServesTraffic { get; init; }

    [JsonPropertyName("reason")] public required string Reason { get; init; }
}
