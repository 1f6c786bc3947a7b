using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.CloudWatch;
using BlueGreen.Simulator.Aws.Services.Eks;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>
/// What an execution input names that the scenario's simulated account does not have (newcomer review #3): with
/// <c>--input</c> the rehearsal still runs, and fails the way AWS would, but first says which cluster or alarms are
/// missing and lists what the world has, so a user rehearsing their own input knows to write a world for it.
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

        return gaps;
    }

    private static string List(IReadOnlyCollection<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
