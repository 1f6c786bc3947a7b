using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;

namespace BlueGreen.Functions.Traffic;

// What the Route 53 provider reads and writes: its part of the plan, of a decommission's input, of an adapter's reading,
// and the call that changes weights. Registered as derived types in TrafficProviders.cs.

/// <summary>Two weighted records of one name and type in one hosted zone, Blue's and Green's.</summary>
public sealed record Route53TrafficPlan : TrafficPlan
{
    [JsonIgnore]
    public override string Type => Route53TrafficProvider.TypeName;

    [JsonPropertyName("hostedZoneId")] public required string HostedZoneId { get; init; }

    /// <summary>Lower case and fully qualified (<see cref="Route53RecordName"/>), as ListResourceRecordSets starts from it.</summary>
    [JsonPropertyName("recordName")] public required string RecordName { get; init; }

    [JsonPropertyName("recordType")] public required string RecordType { get; init; }

    [JsonPropertyName("blueSetIdentifier")] public required string BlueSetIdentifier { get; init; }

    [JsonPropertyName("greenSetIdentifier")] public required string GreenSetIdentifier { get; init; }
}

/// <summary>Blue's weighted record: name (as Route 53 lists it), type and set identifier in one hosted zone.</summary>
public sealed record Route53BlueShare : BlueShare
{
    [JsonIgnore]
    public override string Type => Route53TrafficProvider.TypeName;

    [JsonPropertyName("hostedZoneId")] public required string HostedZoneId { get; init; }

    /// <summary>As ListResourceRecordSets lists it (<see cref="Route53RecordName.Listed"/>).</summary>
    [JsonPropertyName("recordName")] public required string RecordName { get; init; }

    [JsonPropertyName("recordType")] public required string RecordType { get; init; }

    [JsonPropertyName("blueSetIdentifier")] public required string BlueSetIdentifier { get; init; }
}

/// <summary>Route 53's records, as <c>traffic-route53</c> lists them.</summary>
public sealed record Route53TrafficReading : TrafficReading
{
    [JsonIgnore]
    public override string Type => Route53TrafficProvider.TypeName;

    /// <summary>ListResourceRecordSets from the record's name and type on (other names may follow, and external-dns's TXT records).</summary>
    [JsonPropertyName("currentRecords")] public IReadOnlyList<ResourceRecordSet>? CurrentRecords { get; init; }
}

public sealed record ChangeResourceRecordSetsRequest : TrafficApiRequest
{
    public required string HostedZoneId { get; init; }
    public required ChangeBatch ChangeBatch { get; init; }
}

public sealed record ChangeBatch
{
    public string? Comment { get; init; }
    public required IReadOnlyList<RecordChange> Changes { get; init; }
}

public sealed record RecordChange
{
    public required string Action { get; init; }
    public required ResourceRecordSet ResourceRecordSet { get; init; }
}
