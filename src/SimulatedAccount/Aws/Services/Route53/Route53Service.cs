using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Route53;

/// <summary>
/// Amazon Route 53 hosted zones and record sets seeded from the world, reached through
/// <c>arn:aws:states:::aws-sdk:route53:*</c> (errors <c>Route53.*</c>). ChangeResourceRecordSets applies a
/// batch atomically and returns a <c>ChangeInfo</c> that stays <c>PENDING</c> until the change has
/// propagated, then <c>INSYNC</c> (GetChange). Route 53 "is designed to propagate updates you make to your
/// DNS records to its world-wide network of authoritative DNS servers within 60 seconds under normal
/// conditions" (Route 53 FAQ); the simulated delay is <c>changePropagationSeconds</c> (default 30).
/// Weighted records' shares are what <see cref="Weights"/> exposes; the name servers (and so CloudWatch,
/// through <see cref="SimulatedAccount.Traffic"/>) see new weights when their change is INSYNC.
/// </summary>
/// <remarks>World section <c>route53</c>: see <c>scenarios/README.md</c> and <c>Route53World.cs</c>.</remarks>
public sealed partial class Route53Service : AwsServiceBase
{
    public const int DefaultPropagationSeconds = 30;
    public const int MaxWeight = 255;

    private static readonly string[] RecordTypes = ["SOA", "A", "TXT", "NS", "CNAME", "MX", "NAPTR", "PTR", "SRV", "SPF", "AAAA", "CAA", "DS", "TLSA", "SSHFP", "SVCB", "HTTPS"];
    private static readonly string[] RoutingPolicyMembers = ["Weight", "Region", "Failover", "GeoLocation", "MultiValueAnswer", "CidrRoutingConfig", "GeoProximityLocation"];
    private static readonly string[] MemberOrder =
        ["Name", "Type", "SetIdentifier", "Weight", "Region", "GeoLocation", "Failover", "MultiValueAnswer", "TTL", "ResourceRecords", "AliasTarget", "HealthCheckId", "TrafficPolicyInstanceId", "CidrRoutingConfig", "GeoProximityLocation"];

    private readonly List<HostedZoneModel> _zones = [];
    private readonly Dictionary<string, ChangeModel> _changes = new(StringComparer.Ordinal);
    private long _changeSequence;
    private SimulatedAccount? _account;

    public Route53Service()
    {
        On("ListHostedZones", ListHostedZones);
        On("ListHostedZonesByName", ListHostedZonesByName);
        On("GetHostedZone", GetHostedZone);
        On("ListResourceRecordSets", ListResourceRecordSets);
        On("ChangeResourceRecordSets", ChangeResourceRecordSets);
        On("GetChange", GetChange);
    }

    public override string SdkName => "route53";

    public override string ErrorPrefix => "Route53";

    public override string IamPrefix => "route53";

    public override string ThrottlingErrorCode => "Throttling";

    public override string InternalErrorCode => "InternalError";

    public override string ValidationErrorCode => "InvalidInput";

    /// <summary>Virtual time from ChangeResourceRecordSets until its change is INSYNC.</summary>
    public TimeSpan PropagationDelay { get; private set; } = TimeSpan.FromSeconds(DefaultPropagationSeconds);

    /// <summary>When true, a change batch for a zone with a PENDING change fails with PriorRequestNotComplete.</summary>
    public bool RejectChangesWhilePending { get; private set; }

    /// <summary>Raised when the name servers start answering with different records (a change reached INSYNC).</summary>
    public event Action? WeightsChanged;

    /// <summary>Every weighted record: stored weight and share, the share the name servers answer with, and whether they agree.</summary>
    public IReadOnlyList<RecordWeight> Weights => [.. _zones.SelectMany(zone => zone.Records
        .Where(r => r.GetNumber("Weight") is not null)
        .Select(r =>
        {
            var key = HostedZoneModel.RecordKey(r);
            return new RecordWeight(
                zone.Name,
                r.GetString("Name")!,
                r.GetString("Type")!,
                r.GetString("SetIdentifier")!,
                zone.Clusters.GetValueOrDefault(key),
                (int)r.GetNumber("Weight")!.Value,
                Share(zone.Records, r),
                zone.Served.FirstOrDefault(s => HostedZoneModel.RecordKey(s) == key) is { } served ? Share(zone.Served, served) : 0,
                zone.Served.Any(s => s.Equals(r)));
        }))];

    /// <summary>The share (0-100) of <paramref name="name"/>'s answers that name the record <paramref name="setIdentifier"/>, as served now.</summary>
    public double ServedPercentOfRecord(string name, string setIdentifier)
    {
        var fqdn = Fqdn(name);
        return _zones.SelectMany(z => z.Served.Where(r => r.GetString("Name") == fqdn && r.GetString("SetIdentifier") == setIdentifier).Select(r => Share(z.Served, r)))
            .DefaultIfEmpty(0).Max();
    }

    /// <summary>The largest served share (0-100) of any weighted record bound to <paramref name="cluster"/>.</summary>
    public double ServedPercentOfCluster(string cluster) =>
        _zones.SelectMany(z => z.Served.Where(r => z.Clusters.GetValueOrDefault(HostedZoneModel.RecordKey(r)) == cluster).Select(r => Share(z.Served, r)))
            .DefaultIfEmpty(0).Max();

    /// <summary>Every hosted zone's id and the names of its records (as Route 53 lists them: lower case, trailing dot).</summary>
    public IReadOnlyList<(string Id, IReadOnlyList<string> RecordNames)> Zones =>
        [.. _zones.Select(z => (z.Id, (IReadOnlyList<string>)[.. z.Records.Select(r => r.GetString("Name")!).Distinct(StringComparer.Ordinal)]))];

    /// <summary>The cluster a record (by name and set identifier) is bound to in the world.</summary>
    public string? ClusterOfRecord(string name, string? setIdentifier)
    {
        var fqdn = Fqdn(name);
        return _zones.SelectMany(z => z.Clusters.Where(c => c.Key.StartsWith(fqdn + "|", StringComparison.Ordinal) && c.Key.EndsWith("|" + setIdentifier, StringComparison.Ordinal)))
            .Select(c => c.Value).FirstOrDefault();
    }

    public override void Attach(SimulatedAccount account)
    {
        _account = account;
        account.Traffic.Register(new Route53Traffic(this));
        WeightsChanged += account.Traffic.NotifyChanged;
    }

    private SimulatedAccount Account => _account ?? throw new InvalidOperationException("The Route 53 service is not attached to an account.");

    // ---- Hosted zones ------------------------------------------------------------------------------------

    private JObject ListHostedZones(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var max = MaxItems(parameters, 100);
        var ordered = _zones.OrderBy(z => z.Id, StringComparer.Ordinal).ToList();
        var start = p.OptionalString("Marker") is { } marker ? ordered.FindIndex(z => z.Id == BareId(marker, "hostedzone")) : 0;
        if (start < 0)
        {
            throw Invalid("The specified marker is not valid.");
        }

        var page = ordered.Skip(start).Take(max).ToList();
        var truncated = start + max < ordered.Count;
        var builder = new JObjectBuilder()
            .Add("HostedZones", JArray.From(page.Select(z => (JValue)z.ToJson())))
            .Maybe("Marker", p.OptionalString("Marker"))
            .Add("IsTruncated", truncated);
        if (truncated)
        {
            builder.Add("NextMarker", ordered[start + max].Id);
        }

        return builder.Add("MaxItems", max).Build();
    }

    private JObject ListHostedZonesByName(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var max = MaxItems(parameters, 100);
        var dnsName = p.OptionalString("DNSName");
        var zoneId = p.OptionalString("HostedZoneId");
        if (zoneId is not null && dnsName is null)
        {
            throw Invalid("HostedZoneId can be specified only together with DNSName.");
        }

        var ordered = _zones.OrderBy(z => ReverseLabels(z.Name), StringComparer.Ordinal).ThenBy(z => z.Id, StringComparer.Ordinal).ToList();
        var start = 0;
        if (dnsName is not null)
        {
            var key = ReverseLabels(Fqdn(dnsName));
            start = ordered.FindIndex(z =>
            {
                var c = string.CompareOrdinal(ReverseLabels(z.Name), key);
                return c > 0 || (c == 0 && (zoneId is null || string.CompareOrdinal(z.Id, BareId(zoneId, "hostedzone")) >= 0));
            });
            start = start < 0 ? ordered.Count : start;
        }

        var page = ordered.Skip(start).Take(max).ToList();
        var truncated = start + max < ordered.Count;
        var builder = new JObjectBuilder()
            .Add("HostedZones", JArray.From(page.Select(z => (JValue)z.ToJson())))
            .Maybe("DNSName", dnsName)
            .Maybe("HostedZoneId", zoneId)
            .Add("IsTruncated", truncated);
        if (truncated)
        {
            builder.Add("NextDNSName", ordered[start + max].Name).Add("NextHostedZoneId", ordered[start + max].Id);
        }

        return builder.Add("MaxItems", max).Build();
    }

    private JObject GetHostedZone(JObject parameters, AwsCallContext context)
    {
        var zone = FindZone(Read(parameters).RequiredString("Id"));
        var builder = new JObjectBuilder().Add("HostedZone", zone.ToJson());
        if (!zone.PrivateZone)
        {
            builder.Add("DelegationSet", JObject.Of(("NameServers", ServiceFormats.Strings(zone.NameServers))));
        }

        return builder.Build();
    }

    // ---- Helpers -----------------------------------------------------------------------------------------

    /// <summary>A record's share of its (name, type) group: weight / sum of weights, or an equal share when every weight is 0.</summary>
    private static double Share(List<JObject> records, JObject record)
    {
        if (record.GetNumber("Weight") is not { } weight)
        {
            return 100;
        }

        var group = records.Where(r => r.GetString("Name") == record.GetString("Name") && r.GetString("Type") == record.GetString("Type") && r.GetNumber("Weight") is not null).ToList();
        var total = group.Sum(r => r.GetNumber("Weight")!.Value);
        return total > 0 ? 100 * weight / total : 100.0 / group.Count;
    }

    private HostedZoneModel FindZone(string id)
    {
        var bare = BareId(id, "hostedzone");
        return _zones.FirstOrDefault(z => z.Id == bare) ?? throw new AwsServiceException("NoSuchHostedZone", $"No hosted zone found with ID: {bare}");
    }

    private int MaxItems(JObject parameters, int fallback)
    {
        var value = ServiceFormats.Number(parameters["MaxItems"]);
        return value switch
        {
            null => fallback,
            < 1 => throw Invalid("MaxItems must be a positive integer."),
            _ => (int)value.Value,
        };
    }

    /// <summary>Ids may arrive bare or as the API prints them (<c>/hostedzone/Z123</c>, <c>/change/C123</c>).</summary>
    private static string BareId(string id, string kind) =>
        id.StartsWith($"/{kind}/", StringComparison.Ordinal) ? id[(kind.Length + 2)..] : id;

    private static string Fqdn(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.EndsWith('.') ? lower : lower + ".";
    }

    private static string ReverseLabels(string fqdn) => string.Join('.', fqdn.TrimEnd('.').Split('.').Reverse());

    /// <summary>ListResourceRecordSets order: name with labels reversed, then type, then set identifier.</summary>
    private sealed class RecordOrder : IComparer<JObject>
    {
        public static readonly RecordOrder Instance = new();

        public int Compare(JObject? x, JObject? y)
        {
            var byName = string.CompareOrdinal(ReverseLabels(x!.GetString("Name")!), ReverseLabels(y!.GetString("Name")!));
            if (byName != 0)
            {
                return byName;
            }

            var byType = string.CompareOrdinal(x.GetString("Type"), y.GetString("Type"));
            return byType != 0 ? byType : string.CompareOrdinal(x.GetString("SetIdentifier") ?? string.Empty, y.GetString("SetIdentifier") ?? string.Empty);
        }
    }
}
