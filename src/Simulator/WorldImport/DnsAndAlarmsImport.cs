using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.WorldImport;

/// <summary>
/// The <c>route53</c> and <c>cloudwatch</c> world sections from what the AWS CLI prints (PascalCase; shapes from botocore's
/// <c>route53/2013-04-01</c> ListResourceRecordSetsResponse.ResourceRecordSets and <c>cloudwatch/2010-08-01</c>
/// DescribeAlarmsOutput: MetricAlarms, CompositeAlarms, LogAlarms).
/// </summary>
public static class DnsAndAlarmsImport
{
    private static readonly string[] Unsimulated = ["Failover", "GeoLocation", "GeoProximityLocation", "Region", "MultiValueAnswer", "CidrRoutingConfig", "TrafficPolicyInstanceId"];

    /// <summary>
    /// One hosted zone per <c>route53/list-resource-record-sets-ZONEID.json</c>; the zone's name is its SOA record's. Of a
    /// name's weighted records, the one above weight 0 is bound to Blue and the one at 0 to Green when there is exactly one
    /// of each (which cluster serves a record is not in Route 53's answer).
    /// </summary>
    public static JObject? Route53(CapturedFiles files, CapturedCluster blue, string green)
    {
        var zones = new List<JValue>();
        foreach (var (zoneId, json) in files.All("route53", "list-resource-record-sets-"))
        {
            var file = $"route53/list-resource-record-sets-{zoneId}.json";
            var sets = files.List(json, "ResourceRecordSets", file).OfType<JObject>().ToList();
            if (json.GetBool("IsTruncated") == true)
            {
                files.Problems.Add($"{file}: IsTruncated is true: capture every page (the AWS CLI pages by itself unless --max-items or --no-paginate is given)");
            }

            var soa = sets.FirstOrDefault(s => s.GetString("Type") == "SOA")?.GetString("Name");
            if (soa is null)
            {
                files.Problems.Add($"{file}: no SOA record, so the zone's name is unknown (list every record of the zone)");
                continue;
            }

            var bindings = sets.Where(s => s.GetString("SetIdentifier") is not null && s.GetNumber("Weight") is not null)
                .GroupBy(s => (s.GetString("Name"), s.GetString("Type"))).Where(g => g.Count(s => s.GetNumber("Weight") > 0) == 1 && g.Count(s => s.GetNumber("Weight") == 0) == 1)
                .SelectMany(g => g.Select(s => (Record: s, Cluster: s.GetNumber("Weight") > 0 ? blue.Name : green))).ToDictionary(x => x.Record, x => x.Cluster);
            var records = new List<JValue>();
            foreach (var s in sets.Where(s => !(s.GetString("Name") == soa && s.GetString("Type") is "SOA" or "NS")))
            {
                if (Unsimulated.FirstOrDefault(s.ContainsKey) is { } routing)
                {
                    files.Problems.Add($"{file}: {s.GetString("Name")} {s.GetString("Type")} uses {routing} routing, which is not simulated (simple and weighted are)");
                    continue;
                }

                var record = new JObjectBuilder().Add("name", s.GetString("Name") ?? string.Empty).Add("type", s.GetString("Type") ?? "A")
                    .AddIf("setIdentifier", s.GetString("SetIdentifier")).AddIf("weight", s.GetNumber("Weight")).AddIf("healthCheckId", s.GetString("HealthCheckId"));
                if (s.GetObject("AliasTarget") is { } alias)
                {
                    record.Add("aliasTarget", JObject.Of(("dnsName", alias.GetString("DNSName") ?? string.Empty), ("hostedZoneId", alias.GetString("HostedZoneId") ?? string.Empty),
                        ("evaluateTargetHealth", alias.GetBool("EvaluateTargetHealth") ?? false)));
                }
                else
                {
                    record.AddIf("ttl", s.GetNumber("TTL")).Add("values", JArray.From((s.GetArray("ResourceRecords") ?? JArray.Empty).OfType<JObject>().Select(r => (JValue)(r.GetString("Value") ?? string.Empty))));
                }

                records.Add(record.AddIf("cluster", bindings.GetValueOrDefault(s)).Build());
            }

            zones.Add(JObject.Of(("name", soa), ("id", zoneId), ("records", JArray.From(records))));
        }

        return zones.Count == 0 ? null : JObject.Of(("hostedZones", JArray.From(zones)));
    }

    /// <summary>
    /// <c>cloudwatch/describe-alarms.json</c>. Alarms keep the state they were captured in; what a metric alarm watches is
    /// inferred by the simulator from a <c>TargetGroup</c> dimension naming a bound target group (scenarios/README.md).
    /// </summary>
    public static JObject? CloudWatch(CapturedFiles files)
    {
        const string file = "cloudwatch/describe-alarms.json";
        if (files.Optional(file) is not { } json)
        {
            return null;
        }

        var metric = files.List(json, "MetricAlarms", file).OfType<JObject>().Select(a => (JValue)Common(a)
            .AddIf("namespace", a.GetString("Namespace")).AddIf("metricName", a.GetString("MetricName")).AddIf("statistic", a.GetString("Statistic"))
            .AddIf("extendedStatistic", a.GetString("ExtendedStatistic")).AddIf("dimensions", a.GetArray("Dimensions")).AddIf("period", a.GetNumber("Period"))
            .AddIf("unit", a.GetString("Unit")).AddIf("evaluationPeriods", a.GetNumber("EvaluationPeriods")).AddIf("datapointsToAlarm", a.GetNumber("DatapointsToAlarm"))
            .AddIf("threshold", a.GetNumber("Threshold")).AddIf("comparisonOperator", a.GetString("ComparisonOperator")).AddIf("treatMissingData", a.GetString("TreatMissingData"))
            .AddIf("metrics", a.GetArray("Metrics")).AddIf("thresholdMetricId", a.GetString("ThresholdMetricId")).Build());
        var log = files.List(json, "LogAlarms", file).OfType<JObject>().Select(a =>
        {
            var query = a.GetObject("ScheduledQueryConfiguration") ?? JObject.Empty;
            return (JValue)Common(a).AddIf("queryString", query.GetString("QueryString")).AddIf("logGroups", query.GetArray("LogGroupIdentifiers"))
                .AddIf("scheduleExpression", query.GetObject("ScheduleConfiguration")?.GetString("ScheduleExpression")).AddIf("aggregationExpression", query.GetString("AggregationExpression"))
                .AddIf("queryResultsToEvaluate", a.GetNumber("QueryResultsToEvaluate")).AddIf("queryResultsToAlarm", a.GetNumber("QueryResultsToAlarm"))
                .AddIf("threshold", a.GetNumber("Threshold")).AddIf("comparisonOperator", a.GetString("ComparisonOperator")).AddIf("treatMissingData", a.GetString("TreatMissingData")).Build();
        });
        var composite = files.List(json, "CompositeAlarms", file).OfType<JObject>().Select(a => (JValue)Common(a).AddIf("rule", a.GetString("AlarmRule")).Build());
        return JObject.Of(("metricAlarms", JArray.From(metric)), ("logAlarms", JArray.From(log)), ("compositeAlarms", JArray.From(composite)));
    }

    private static JObjectBuilder Common(JObject a) => new JObjectBuilder()
        .Add("name", a.GetString("AlarmName") ?? string.Empty).AddIf("description", a.GetString("AlarmDescription"))
        .AddIf("actionsEnabled", a["ActionsEnabled"]).AddIf("alarmActions", a.GetArray("AlarmActions")).AddIf("okActions", a.GetArray("OKActions"))
        .AddIf("insufficientDataActions", a.GetArray("InsufficientDataActions")).AddIf("state", a.GetString("StateValue")).AddIf("stateReason", a.GetString("StateReason"));
}
