using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Route53;

/// <summary>A hosted zone and its record sets, each kept in the canonical API shape Route 53 returns.</summary>
internal sealed class HostedZoneModel
{
    /// <summary>The bare id (<c>Z0123...</c>); the API shows it as <c>/hostedzone/Z0123...</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The zone's name, lower case, with the trailing dot.</summary>
    public required string Name { get; init; }

    public required string CallerReference { get; init; }

    public string? Comment { get; init; }

    public bool PrivateZone { get; init; }

    public required IReadOnlyList<string> NameServers { get; init; }

    /// <summary>Record sets as Route 53 stores them (what ListResourceRecordSets returns).</summary>
    public List<JObject> Records { get; set; } = [];

    /// <summary>Record sets as the authoritative name servers answer: <see cref="Records"/> as of the last change that reached INSYNC.</summary>
    public List<JObject> Served { get; set; } = [];

    /// <summary>The sequence number of the change whose records are <see cref="Served"/>.</summary>
    public long ServedSequence { get; set; }

    /// <summary>Which cluster serves each record's share of traffic (by <see cref="RecordKey"/>), from the world.</summary>
    public Dictionary<string, string> Clusters { get; } = new(StringComparer.Ordinal);

    public JObject ToJson() => JObject.Of(
        ("Id", "/hostedzone/" + Id),
        ("Name", Name),
        ("CallerReference", CallerReference),
        ("Config", new JObjectBuilder().Maybe("Comment", Comment).Add("PrivateZone", PrivateZone).Build()),
        ("ResourceRecordSetCount", Records.Count));

    /// <summary>Name, type and set identifier: what identifies a record set within a zone.</summary>
    public static string RecordKey(JObject record) =>
        $"{record.GetString("Name")}|{record.GetString("Type")}|{record.GetString("SetIdentifier")}";
}

/// <summary>A submitted change batch: PENDING until its records reach every Route 53 name server, then INSYNC.</summary>
internal sealed class ChangeModel
{
    public required string Id { get; init; }

    public required string ZoneId { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }

    public string? Comment { get; init; }

    public required long Sequence { get; init; }

    /// <summary>The zone's records right after this change, served once it is INSYNC.</summary>
    public required List<JObject> Snapshot { get; init; }

    public string Status { get; set; } = "PENDING";

    public JObject ToJson() => new JObjectBuilder()
        .Add("Id", "/change/" + Id)
        .Add("Status", Status)
        .Add("SubmittedAt", ServiceFormats.Iso(SubmittedAt))
        .Maybe("Comment", Comment)
        .Build();
}

/// <summary>One weighted record's share of its name's traffic, for rehearsal summaries and CloudWatch.</summary>
/// <param name="Weight">The raw weight (0-255).</param>
/// <param name="Percent">The record's share of its (name, type) group, 0-100, by the weights Route 53 stores.</param>
/// <param name="ServedPercent">The share the name servers answer with now (the old weights while a change is PENDING).</param>
/// <param name="InSync">False while a change to the record is still PENDING.</param>
public sealed record RecordWeight(string Zone, string Name, string Type, string SetIdentifier, string? Cluster, int Weight, double Percent, double ServedPercent, bool InSync);
