using System.Text.Json;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;

namespace BlueGreen.Functions.EndOfSupport;

/// <summary>The Green that replaced a cluster: the run that moved its traffic there succeeded.</summary>
public sealed record Replacement(string Green, string? TargetVersion, string? FinishedAt)
{
    /// <summary>
    /// From the cluster's newest run item: it replaced the cluster when it <c>Succeeded</c>, names a Green other than the
    /// cluster, and started after the cluster was created. Run items are kept under the Blue's name, and the next upgrade
    /// may give its Green a former Blue's name back (-blue and -green swap), so an older cluster's runs are not this one's.
    /// </summary>
    public static Replacement? Of(EksCluster cluster, IReadOnlyList<IReadOnlyDictionary<string, JsonElement>>? newestFirst)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (newestFirst is not { Count: > 0 } runs)
        {
            return null;
        }

        var run = runs[0];
        var green = DynamoItems.Text(run, "greenClusterName");
        if (DynamoItems.Text(run, "status") != "Succeeded" || green is null || green == cluster.Name)
        {
            return null;
        }

        var started = Timestamps.TryParse(DynamoItems.Text(run, "startedAt"), out var s) ? s : (DateTimeOffset?)null;
        var created = Timestamps.TryParse(cluster.CreatedAt, out var c) ? c : (DateTimeOffset?)null;
        return started is not null && created is not null && created >= started
            ? null
            : new Replacement(green, DynamoItems.Text(run, "targetVersion"), DynamoItems.Text(run, "finishedAt"));
    }
}
