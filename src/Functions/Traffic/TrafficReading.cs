using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;

namespace BlueGreen.Functions.Traffic;

/// <summary>
/// The traffic wiring as the provider's adapter read it (<c>read</c>, or <c>inspect</c> with ownership): an ALB's actions
/// and tags, or Route 53's records. A provider reads only its own members.
/// </summary>
public sealed record TrafficReading
{
    /// <summary>ALB: the rule's Actions (DescribeRules) or the listener's DefaultActions (DescribeListeners).</summary>
    public IReadOnlyList<ElbAction>? CurrentActions { get; init; }

    /// <summary>Route 53: ListResourceRecordSets from the record's name and type on (other names may follow).</summary>
    public IReadOnlyList<ResourceRecordSet>? CurrentRecords { get; init; }

    /// <summary>ALB, inspect only: DescribeTags of the load balancer, listener and rule.</summary>
    public IReadOnlyList<ResourceTagDescription>? Tags { get; init; }
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
