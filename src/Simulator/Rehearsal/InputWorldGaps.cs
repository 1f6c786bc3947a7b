using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.CloudWatch;
using BlueGreen.Simulator.Aws.Services.Eks;
using BlueGreen.Simulator.Aws.Services.Elbv2;
using BlueGreen.Simulator.Aws.Services.Route53;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>
/// What an execution input names that the scenario's simulated account does not have (newcomer review #3): with
/// <c>--input</c> the rehearsal still runs, and fails the way AWS would, but first says which cluster or alarms are
/// missing and lists what the world has, so a user rehearsing their own input knows to write a world for it (or import one:
/// <c>world import</c>). The traffic it names is checked too: the ALB listener, rule and target groups, or the Route 53 zone
/// and record.
/// </summary>
public static class InputWorldGaps
{
    public static IReadOnlyList<string> Find(SimulatedAccount account, JValue input, string world)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (input is not JObject o)
        {
            return [];
        }

        var gaps = new List<string>();
        var clusters = account.Service<EksService>().Clusters.Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        if (o.GetString("clusterName") is { } cluster && !clusters.Contains(cluster))
        {
            gaps.Add($"clusterName {cluster}: the simulated account (world {world}) has no such cluster; it has {List(clusters)}");
        }

        var alarms = account.Service<CloudWatchService>().AlarmNames;
        var missing = (o.GetObject("alarms")?.GetArray("names") ?? JArray.Empty).OfType<JString>().Select(n => n.Value).Where(n => !alarms.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            gaps.Add($"alarms.names {string.Join(", ", missing)}: not in the simulated account (world {world}); it has {List(alarms)}");
        }

        if (o.GetObject("traffic") is { } traffic)
        {
            gaps.AddRange(TrafficGaps(account, traffic, world));
        }

        return gaps;
    }

    private static IEnumerable<string> TrafficGaps(SimulatedAccount account, JObject traffic, string world)
    {
        var (targetGroups, listeners, rules) = account.Service<Elbv2Service>().Inventory;
        foreach (var (field, known) in new (string, IReadOnlyList<string>)[] {("listenerArn", listeners), ("ruleArn", rules), ("blueTargetGroupArn", targetGroups), ("greenTargetGroupArn", targetGroups) })
        {
            if (traffic.GetString(field) is { } arn && !known.Contains(arn))
            {
                yield return $"traffic.{field} {arn}: not in the simulated account (world {world}); it has {List(known)}";
            }
        }

        var zones = account.Service<Route53Service>().Zones;
        if (traffic.GetString("hostedZoneId") is not { } zoneId)
        {
            yield break;
        }

        var zone = zones.FirstOrDefault(z => z.Id == zoneId);
        if (zone.Id is null)
        {
            yield return $"traffic.hostedZoneId {zoneId}: not in the simulated account (world {world}); it has {List([.. zones.Select(z => z.Id)])}";
        }
        else if (traffic.GetString("recordName") is { } record && !zone.RecordNames.Contains(record.ToLowerInvariant().TrimEnd('.') + "."))
        {
            yield return $"traffic.recordName {record}: not in hosted zone {zoneId} (world {world}); it has {List(zone.RecordNames)}";
        }
    }

    private static string List(IReadOnlyCollection<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
