using System.Text.Json;
using System.Text.Json.Serialization;

namespace BlueGreen.Functions.Aws;

// Route 53 shapes (REST-XML API; Step Functions presents members in PascalCase as the API names them).

/// <summary>
/// A record set exactly as ListResourceRecordSets returns it. Traffic shifting UPSERTs it back with only
/// Weight changed, so every member must survive the round trip: the known ones are typed, anything newer
/// is kept in <see cref="OtherMembers"/>.
/// </summary>
public sealed record ResourceRecordSet
{
    public required string Name { get; init; }
    public required string Type { get; init; }
    public string? SetIdentifier { get; init; }
    public long? Weight { get; init; }
    public string? Region { get; init; }
    public JsonElement? GeoLocation { get; init; }
    public string? Failover { get; init; }
    public bool? MultiValueAnswer { get; init; }
    // Route 53 names the member "TTL"; the C# name follows .NET casing and maps to it.
    [JsonPropertyName("TTL")]
    public long? Ttl { get; init; }
    public IReadOnlyList<ResourceRecord>? ResourceRecords { get; init; }
    public AliasTarget? AliasTarget { get; init; }
    public string? HealthCheckId { get; init; }
    public string? TrafficPolicyInstanceId { get; init; }
    public JsonElement? CidrRoutingConfig { get; init; }
    public JsonElement? GeoProximityLocation { get; init; }

    // Settable rather than init-only: System.Text.Json cannot fill extension data through the
    // object-initializer path it uses for init-only and required members.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? OtherMembers { get; set; }
}

public sealed record ResourceRecord
{
    public required string Value { get; init; }
}

public sealed record AliasTarget
{
    public required string HostedZoneId { get; init; }
    [JsonPropertyName("DNSName")]
    public required string DnsName { get; init; }
    public required bool EvaluateTargetHealth { get; init; }
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
