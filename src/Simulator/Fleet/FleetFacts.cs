using System.Text.Json;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.EndOfSupport;
using BlueGreen.Functions.Serialization;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.Eks;
using BlueGreen.Simulator.Aws.Services.Scheduler;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Fleet;

/// <summary>
/// What the eos-scan state machine reads, read the same way (the same API calls, through the simulated account, with
/// its model checks): every cluster (ListClusters, every page; DescribeCluster), the version calendar
/// (DescribeClusterVersions, IncludeAll), the eos schedules (ListSchedules NamePrefix "eos.", GetSchedule), and each
/// cluster's lock item (GetItem pk CLUSTER#name, sk LOCK) in <paramref name="lockTables"/>.
/// </summary>
public sealed class FleetFacts
{
    public required IReadOnlyList<EksCluster> Clusters { get; init; }
    public required IReadOnlyList<ClusterVersionInformation> Versions { get; init; }
    public required IReadOnlyList<ExistingSchedule> Schedules { get; init; }
    public required IReadOnlySet<string> Locked { get; init; }

    public static FleetFacts Read(SimulatedAccount account, IReadOnlyList<string>? lockTables = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        var context = new AwsCallContext { Account = account, Cancellation = CancellationToken.None, StateName = "fleet report" };
        FleetFacts? facts = null;
        account.Scheduler.Run(async () =>
        {
            async Task<JObject> Call(IAwsService service, string action, JObject parameters) => (JObject)await account.CallAsync(service, action, parameters, context);
            var eks = account.Service<EksService>();
            var names = new List<string>();
            string? token = null;
            do
            {
                var page = await Call(eks, "ListClusters", token is null ? JObject.Empty : JObject.Of(("NextToken", token)));
                names.AddRange(page.GetArray("Clusters")?.OfType<JString>().Select(s => s.Value) ?? []);
                token = page.GetString("NextToken");
            }
            while (token is not null);

            var clusters = new List<EksCluster>();
            foreach (var name in names)
            {
                var described = await Call(eks, "DescribeCluster", JObject.Of(("Name", name)));
                clusters.Add(Convert(described.GetObject("Cluster")!, FunctionsJsonContext.Default.EksCluster));
            }

            var versions = new List<ClusterVersionInformation>();
            token = null;
            do
            {
                var parameters = JObject.Of(("IncludeAll", JBool.True));
                var page = await Call(eks, "DescribeClusterVersions", token is null ? parameters : parameters.With("NextToken", token));
                versions.AddRange(page.GetArray("ClusterVersions")?.OfType<JObject>().Select(v => Convert(v, FunctionsJsonContext.Default.ClusterVersionInformation)) ?? []);
                token = page.GetString("NextToken");
            }
            while (token is not null);

            var scheduler = account.Service<SchedulerService>();
            var schedules = new List<ExistingSchedule>();
            token = null;
            do
            {
                var parameters = JObject.Of(("NamePrefix", ScheduleNames.Prefix));
                var page = await Call(scheduler, "ListSchedules", token is null ? parameters : parameters.With("NextToken", token));
                foreach (var summary in page.GetArray("Schedules")?.OfType<JObject>() ?? [])
                {
                    var detail = await Call(scheduler, "GetSchedule", JObject.Of(("Name", summary.GetString("Name")!), ("GroupName", summary.GetString("GroupName") ?? "default")));
                    schedules.Add(Convert(detail, FunctionsJsonContext.Default.ExistingSchedule));
                }
                token = page.GetString("NextToken");
            }
            while (token is not null);

            var dynamo = account.Service<DynamoDbService>();
            var locked = new HashSet<string>(StringComparer.Ordinal);
            foreach (var table in lockTables ?? [])
            {
                foreach (var name in names)
                {
                    var key = JObject.Of(("pk", JObject.Of(("S", "CLUSTER#" + name))), ("sk", JObject.Of(("S", "LOCK"))));
                    var item = await Call(dynamo, "GetItem", JObject.Of(("TableName", table), ("Key", key), ("ConsistentRead", JBool.True)));
                    if (item.GetObject("Item") is not null)
                    {
                        locked.Add(name);
                    }
                }
            }

            facts = new FleetFacts { Clusters = clusters, Versions = versions, Schedules = schedules, Locked = locked };
        });
        return facts!;
    }

    /// <summary>The world's DynamoDB tables (ListTables): where <c>fleet report</c> looks for lock items.</summary>
    public static IReadOnlyList<string> WorldTables(SimulatedAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var context = new AwsCallContext { Account = account, Cancellation = CancellationToken.None, StateName = "fleet report" };
        var tables = new List<string>();
        account.Scheduler.Run(async () =>
        {
            var listed = (JObject)await account.CallAsync(account.Service<DynamoDbService>(), "ListTables", JObject.Empty, context);
            tables.AddRange(listed.GetArray("TableNames")?.OfType<JString>().Select(s => s.Value) ?? []);
        });
        return tables;
    }

    private static T Convert<T>(JObject value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(value.ToJson(), type)!;
}
