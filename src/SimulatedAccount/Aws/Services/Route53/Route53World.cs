using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws.Services.Route53;

/// <summary>
/// Seeding from the world's <c>route53</c> section (documented in scenarios/README.md): hosted zones with their NS and SOA
/// records, and records checked the way ChangeResourceRecordSets checks a CREATE; a record may name the cluster behind it.
/// </summary>
public sealed partial class Route53Service
{
    public override void Seed(JObject section, SimulatedAccount account)
    {
        var problems = new WorldProblems();
        problems.UnknownFields(section, "route53", "hostedZones", "changePropagationSeconds", "rejectChangesWhilePending");

        if (section["changePropagationSeconds"] is { } delay)
        {
            PropagationDelay = problems.Try("route53.changePropagationSeconds", () => ServiceFormats.Duration(delay, "changePropagationSeconds"));
        }

        RejectChangesWhilePending = section.GetBool("rejectChangesWhilePending") ?? false;
        var zones = section.GetArray("hostedZones") ?? JArray.Empty;
        for (var i = 0; i < zones.Count; i++)
        {
            var index = i;
            problems.Try($"route53.hostedZones[{i}]", () => _zones.Add(SeedZone(zones[index] as JObject ?? throw new ScenarioException("must be an object"), account, problems, $"route53.hostedZones[{index}]")));
        }

        problems.ThrowIfAny();
    }

    private HostedZoneModel SeedZone(JObject o, SimulatedAccount account, WorldProblems problems, string path)
    {
        var name = Fqdn(o.GetString("name") ?? throw new ScenarioException("'name' is required"));
        var id = o.GetString("id") ?? "Z" + Ids.StableUpper($"zone:{account.AccountId}:{name}", 20);
        var seed = (uint)StableHash.Of(name);
        string[] tlds = ["com", "net", "org", "co.uk"];
        var zone = new HostedZoneModel
        {
            Id = id,
            Name = name,
            CallerReference = o.GetString("callerReference") ?? $"bluegreen-{Ids.StableHex("ref:" + name, 12)}",
            Comment = o.GetString("comment"),
            PrivateZone = o.GetBool("privateZone") ?? false,
            NameServers = [.. tlds.Select((tld, i) => $"ns-{(seed >> (i * 8)) % 2048}.awsdns-{((seed >> (i * 4)) + (uint)i) % 64:D2}.{tld}")],
        };
        var soa = $"{zone.NameServers[0]}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400";
        zone.Records.Add(Canonical(JObject.Of(("Name", name), ("Type", "NS"), ("TTL", 172800), ("ResourceRecords", JArray.From(zone.NameServers.Select(n => (JValue)JObject.Of(("Value", n + "."))))))));
        zone.Records.Add(Canonical(JObject.Of(("Name", name), ("Type", "SOA"), ("TTL", 900), ("ResourceRecords", JArray.Of(JObject.Of(("Value", soa)))))));

        var records = o.GetArray("records") ?? JArray.Empty;
        for (var i = 0; i < records.Count; i++)
        {
            var index = i;
            problems.Try($"{path}.records[{i}]", () =>
            {
                var r = records[index] as JObject ?? throw new ScenarioException("must be an object");
                var record = WorldRecord(r, zone, account);
                if (Apply(zone, zone.Records, "CREATE", record, []) is { } message)
                {
                    throw new ScenarioException(message);
                }

                if (r.GetString("cluster") is { } cluster)
                {
                    zone.Clusters[HostedZoneModel.RecordKey(record)] = cluster;
                }
            });
        }

        zone.Served = zone.Records;
        return zone;
    }

    private JObject WorldRecord(JObject r, HostedZoneModel zone, SimulatedAccount account)
    {
        var recordName = r.GetString("name") ?? throw new ScenarioException("'name' is required");
        var fqdn = Fqdn(recordName);
        if (fqdn != zone.Name && !fqdn.EndsWith("." + zone.Name, StringComparison.Ordinal))
        {
            fqdn = Fqdn($"{recordName}.{zone.Name}");
        }

        var builder = new JObjectBuilder().Add("Name", fqdn).Add("Type", r.GetString("type") ?? "A")
            .Maybe("SetIdentifier", r.GetString("setIdentifier"))
            .Maybe("Weight", r.GetNumber("weight"));
        if (r.GetObject("aliasTarget") is { } alias)
        {
            string dns, hostedZone;
            if (alias.GetString("loadBalancer") is { } lbName)
            {
                var elb = account.Traffic.AliasTargetOf(lbName)
                    ?? throw new ScenarioException($"aliasTarget.loadBalancer: no load balancer '{lbName}' in elbv2.loadBalancers");
                (dns, hostedZone) = ("dualstack." + elb.DnsName, elb.HostedZoneId);
            }
            else
            {
                dns = alias.GetString("dnsName") ?? throw new ScenarioException("aliasTarget needs 'loadBalancer', or 'dnsName' and 'hostedZoneId'");
                hostedZone = alias.GetString("hostedZoneId") ?? throw new ScenarioException("aliasTarget needs 'hostedZoneId' with 'dnsName'");
            }

            builder.Add("AliasTarget", JObject.Of(("HostedZoneId", hostedZone), ("DNSName", dns), ("EvaluateTargetHealth", alias.GetBool("evaluateTargetHealth") ?? true)));
        }
        else
        {
            var values = r.GetArray("values") ?? throw new ScenarioException("a record needs 'values' (with 'ttl') or 'aliasTarget'");
            builder.Add("TTL", r.GetNumber("ttl") ?? 300).Add("ResourceRecords", JArray.From(values.Select(v => (JValue)JObject.Of(("Value", v is JString s ? s.Value : v.ToJson())))));
        }

        builder.Maybe("HealthCheckId", r.GetString("healthCheckId"));
        try
        {
            return CheckChange(JObject.Of(("Action", "CREATE"), ("ResourceRecordSet", builder.Build())), 1).Record;
        }
        catch (AwsServiceException e)
        {
            throw new ScenarioException($"{e.Code}: {e.Message}");
        }
    }
}
