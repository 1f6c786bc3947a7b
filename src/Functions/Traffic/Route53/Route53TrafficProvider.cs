using System.Globalization;
using System.Text.RegularExpressions;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;

namespace BlueGreen.Functions.Traffic;

/// <summary>
/// Two Route 53 weighted records of one name and type, Blue's and Green's. A change UPSERTs both in one batch (0..255; the
/// share itself, so they sum to 100, and never both 0, when Route 53 would answer with every record equally), each sent
/// back exactly as listed with only its weight changed; resolvers keep the old answer for the records' TTL.
/// </summary>
internal sealed partial class Route53TrafficProvider : TrafficProvider<Route53TrafficPlan, Route53BlueShare, Route53TrafficReading>
{
    /// <summary>The execution input's <c>traffic.type</c>, and the adapter's name suffix (<c>traffic-route53</c>).</summary>
    public const string TypeName = "route53";

    /// <summary>The <c>apiCall</c> the adapter branches on.</summary>
    public const string ChangeResourceRecordSetsCall = "ChangeResourceRecordSets";

    public const int MaxWeight = 255;

    /// <summary>The ownership mark external-dns writes in its TXT registry records.</summary>
    public const string ExternalDnsHeritage = "heritage=external-dns";

    private static readonly string[] RecordTypes = ["A", "AAAA", "CNAME"];

    public override string Type => TypeName;

    /// <summary>
    /// The choice, the change, then GetChange until INSYNC: 12 on average in the rehearsal (happy-route53: 10 changes, 120
    /// transitions; Route 53 reports most changes INSYNC within 60 seconds).
    /// </summary>
    public override int TransitionsPerChange => 12;

    public override IReadOnlyList<string> Members { get; } = ["hostedZoneId", "recordName", "recordType", "blueSetIdentifier", "greenSetIdentifier"];

    public override TrafficPlan? Read(JsonFields traffic, ProblemList problems)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        ArgumentNullException.ThrowIfNull(problems);
        var zone = traffic.String("hostedZoneId", required: true);
        string? zoneId = null;
        if (zone is not null)
        {
            var match = HostedZoneShape().Match(zone);
            if (match.Success)
            {
                zoneId = match.Groups[2].Value;
            }
            else
            {
                problems.Add(traffic.PathOf("hostedZoneId"), "not a Route 53 hosted zone id (like Z1D633PJN98FT9)");
            }
        }
        var recordName = traffic.String("recordName", required: true);
        if (recordName is not null && (recordName.TrimEnd('.').Length > 253 || !DnsNameShape().IsMatch(recordName)))
        {
            problems.Add(traffic.PathOf("recordName"), $"not a DNS name: {JsonFields.Quote(recordName)}");
            recordName = null;
        }
        var recordType = traffic.String("recordType", required: true);
        if (recordType is not null && !RecordTypes.Contains(recordType, StringComparer.Ordinal))
        {
            problems.Add(traffic.PathOf("recordType"), $"must be one of {string.Join(", ", RecordTypes)}, not {JsonFields.Quote(recordType)}");
            recordType = null;
        }
        var blueSet = ReadSetIdentifier(traffic, "blueSetIdentifier", problems);
        var greenSet = ReadSetIdentifier(traffic, "greenSetIdentifier", problems);
        if (blueSet is not null && greenSet is not null && blueSet == greenSet)
        {
            problems.Add(traffic.PathOf("greenSetIdentifier"), "must differ from blueSetIdentifier");
        }
        return zoneId is null || recordName is null || recordType is null || blueSet is null || greenSet is null
            ? null
            : new Route53TrafficPlan
            {
                HostedZoneId = zoneId,
                RecordName = Route53RecordName.Qualified(recordName),
                RecordType = recordType,
                BlueSetIdentifier = blueSet,
                GreenSetIdentifier = greenSet,
            };
    }

    protected override string? GreenTargetGroupArn(Route53TrafficPlan traffic) => null;

    protected override IEnumerable<(string Field, string Arn)> NamedArns(Route53TrafficPlan traffic) => [];

    protected override TrafficShiftPlan PlanShift(Route53TrafficPlan traffic, Route53TrafficReading current, WeightSplit split, string description)
    {
        var (blueWeight, greenWeight) = (split.BluePercent, split.GreenPercent);
        CheckWeight("Blue", blueWeight, MaxWeight);
        CheckWeight("Green", greenWeight, MaxWeight);
        var records = current.CurrentRecords
            ?? throw new InvalidInput("current.currentRecords: required for route53 (pass ListResourceRecordSets' ResourceRecordSets)");
        var problems = new List<string>();
        var blue = FindRecord(records, traffic, traffic.BlueSetIdentifier, problems);
        var green = FindRecord(records, traffic, traffic.GreenSetIdentifier, problems);
        if (blue is null || green is null)
        {
            throw new TrafficTargetNotFound(problems);
        }

        return new TrafficShiftPlan
        {
            Type = Type,
            ApiCall = ChangeResourceRecordSetsCall,
            GreenPercent = split.GreenPercent,
            BlueWeight = blueWeight,
            GreenWeight = greenWeight,
            Rollback = split.Rollback,
            Description = description,
            Request = new ChangeResourceRecordSetsRequest
            {
                HostedZoneId = traffic.HostedZoneId,
                ChangeBatch = new ChangeBatch
                {
                    // One batch: Route 53 applies both weights or neither.
                    Comment = description.Length > 256 ? description[..256] : description,
                    Changes =
                    [
                        // Each record is sent back exactly as listed, only its Weight changed.
                        new RecordChange { Action = "UPSERT", ResourceRecordSet = blue with { Weight = blueWeight } },
                        new RecordChange { Action = "UPSERT", ResourceRecordSet = green with { Weight = greenWeight } },
                    ],
                },
            },
        };
    }

    /// <summary>external-dns owns a name when its TXT registry record of that name says so: it would rewrite the weights on its next sync.</summary>
    protected override void CheckOwnership(Route53TrafficPlan traffic, Route53TrafficReading current, TagFact? requiredTag, List<string> problems, List<string> controlled)
    {
        foreach (var record in current.CurrentRecords ?? [])
        {
            if (record.Type == "TXT" && Route53RecordName.Same(record.Name, traffic.RecordName)
                && record.ResourceRecords?.Any(r => r.Value?.Contains(ExternalDnsHeritage, StringComparison.Ordinal) == true) == true)
            {
                controlled.Add($"{traffic.RecordName} is managed by external-dns (its TXT registry record says {ExternalDnsHeritage}): external-dns would rewrite the records, and their weights, on its next sync. "
                    + "Exclude this name from external-dns (its --domain-filter / --exclude-domains, or drop the hostname annotation) and manage the weighted records yourself, then start again");
            }
        }
    }

    /// <summary>The longest TTL of Blue's and Green's weighted records (alias records have none).</summary>
    protected override int CachedForSeconds(Route53TrafficPlan traffic, Route53TrafficReading current)
    {
        var ttls = (current.CurrentRecords ?? [])
            .Where(r => r.SetIdentifier is not null && (r.SetIdentifier == traffic.BlueSetIdentifier || r.SetIdentifier == traffic.GreenSetIdentifier) && r.Ttl is not null)
            .Select(r => r.Ttl!.Value)
            .ToList();
        return ttls.Count == 0 ? 0 : (int)Math.Min(int.MaxValue, ttls.Max());
    }

    protected override Route53BlueShare BlueShareOf(Route53TrafficPlan traffic) => new()
    {
        HostedZoneId = traffic.HostedZoneId,
        RecordName = Route53RecordName.Listed(traffic.RecordName),
        RecordType = traffic.RecordType,
        BlueSetIdentifier = traffic.BlueSetIdentifier,
    };

    protected override Route53BlueShare GreenShareOf(Route53TrafficPlan traffic) => BlueShareOf(traffic) with { BlueSetIdentifier = traffic.GreenSetIdentifier };

    /// <summary>
    /// Blue serves while its record (name, type and set identifier: the listing runs on into other names, which may reuse
    /// the set identifier) has a weight above 0, or weight 0 while every other record of that name and type has 0 too.
    /// A Blue record that no longer exists serves nothing.
    /// </summary>
    /// <summary>
    /// Green's record's weight among every weighted record of the name and type; all at 0 means Route 53 answers with each
    /// equally. Without Green's record, Green gets nothing.
    /// </summary>
    protected override double? GreenPercentNow(Route53TrafficPlan traffic, Route53TrafficReading current)
    {
        var set = (current.CurrentRecords ?? [])
            .Where(r => r.Weight is not null && Route53RecordName.Same(r.Name, traffic.RecordName) && r.Type == traffic.RecordType).ToList();
        var green = set.FirstOrDefault(r => r.SetIdentifier == traffic.GreenSetIdentifier);
        if (green is null)
        {
            return set.Count == 0 ? null : 0;
        }

        return set.All(r => r.Weight == 0) ? Share(1, set.Count) : Share(green.Weight!.Value, set.Sum(r => r.Weight!.Value));
    }

    protected override BlueTrafficVerdict CheckBlue(Route53BlueShare blue, Route53TrafficReading current, string cluster, string replacedBy)
    {
        var records = current.CurrentRecords ?? throw new InvalidInput("current.currentRecords: required for route53");
        var name = Route53RecordName.Listed(blue.RecordName);
        var set = records.Where(r => r.Weight is not null && Route53RecordName.Same(r.Name, name) && r.Type == blue.RecordType).ToList();
        var record = set.FirstOrDefault(r => r.SetIdentifier == blue.BlueSetIdentifier);
        var where = $"its weighted record {name} {blue.RecordType} (set identifier {blue.BlueSetIdentifier}) in hosted zone {blue.HostedZoneId}";
        if (record is null)
        {
            return new BlueTrafficVerdict { ServesTraffic = false, Reason = $"{cluster} has no weighted record {name} {blue.RecordType} (set identifier {blue.BlueSetIdentifier}) any more." };
        }

        if (record.Weight > 0)
        {
            return new BlueTrafficVerdict
            {
                ServesTraffic = true,
                Reason = string.Create(CultureInfo.InvariantCulture, $"{cluster} still serves traffic: {where} has weight {record.Weight}. Nothing was deleted; move all traffic to {replacedBy} and start the decommission again."),
            };
        }

        return set.Any(r => r.Weight > 0)
            ? new BlueTrafficVerdict { ServesTraffic = false, Reason = $"{where} has weight 0 and another record of that name and type gets the traffic." }
            : new BlueTrafficVerdict
            {
                ServesTraffic = true,
                Reason = $"{cluster} still serves traffic: {where} has weight 0, but so has every other record of that name and type, and Route 53 then answers with all of them equally. Nothing was deleted; give {replacedBy} a weight above 0 and start the decommission again.",
            };
    }

    private static ResourceRecordSet? FindRecord(IReadOnlyList<ResourceRecordSet> records, Route53TrafficPlan traffic, string setIdentifier, List<string> problems)
    {
        var record = records.FirstOrDefault(r => Route53RecordName.Same(r.Name, traffic.RecordName) && r.Type == traffic.RecordType && r.SetIdentifier == setIdentifier);
        var label = $"{traffic.RecordName} {traffic.RecordType} (SetIdentifier \"{setIdentifier}\")";
        if (record is null)
        {
            problems.Add($"record {label} is not in hosted zone {traffic.HostedZoneId}; create both weighted records before upgrading");
            return null;
        }
        if (record.Weight is null)
        {
            problems.Add($"record {label} is not a weighted record");
            return null;
        }
        if (record.TrafficPolicyInstanceId is not null)
        {
            problems.Add($"record {label} is managed by traffic policy instance {record.TrafficPolicyInstanceId} and cannot be changed directly");
            return null;
        }
        return record;
    }

    private static string? ReadSetIdentifier(JsonFields traffic, string name, ProblemList problems)
    {
        var value = traffic.String(name, required: true);
        if (value is { Length: > 128 })
        {
            problems.Add(traffic.PathOf(name), "must be at most 128 characters (Route 53 SetIdentifier)");
            return null;
        }
        return value;
    }

    [GeneratedRegex(@"^(/hostedzone/)?(Z[A-Z0-9]{1,31})$")]
    private static partial Regex HostedZoneShape();

    // A DNS name of up to 253 characters (without the final dot); labels of 1-63 letters, digits, hyphens,
    // underscores, and a leading "*." wildcard label.
    [GeneratedRegex(@"^(\*\.)?([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)+[A-Za-z]{2,63}\.?$")]
    private static partial Regex DnsNameShape();
}
