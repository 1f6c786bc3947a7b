using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.Eks;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>Runs rehearsals for tests and reads the account back through its public APIs.</summary>
internal static class RehearsalKit
{
    public static (UpgradeRehearsal Rehearsal, RehearsalSummary Summary) Run(string scenario, JValue? input = null)
    {
        var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load(scenario), input);
        try
        {
            return (rehearsal, rehearsal.Run());
        }
        catch
        {
            rehearsal.Dispose();
            throw;
        }
    }

    /// <summary>The names of reconcile-run's states: the calls the reconciler makes carry them.</summary>
    public static IReadOnlySet<string> ReconcileStates { get; } = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(BuildInfo.RepositoryRoot, "statemachines", "reconcile-run.asl.json")))!["States"]!
        .AsObject().Select(s => s.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>The shipped upgrade scenarios (<c>run: eos-scan</c> ones are <see cref="EndOfSupportScenarioNames"/>).</summary>
    public static IEnumerable<string> ScenarioNames() => AllScenarioNames().Where(n => Scenario.Load(n).Run == "upgrade");

    public static IEnumerable<string> EndOfSupportScenarioNames() => AllScenarioNames().Where(n => Scenario.Load(n).Run == "eos-scan");

    private static IEnumerable<string> AllScenarioNames() =>
        Directory.GetFiles(Scenario.ScenariosDirectory, "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    /// <summary>DescribeCluster's <c>Cluster</c>, or null when EKS has no such cluster.</summary>
    public static JObject? Cluster(SimulatedAccount account, string name) => Call(account, account.Service<EksService>(), "DescribeCluster", JObject.Of(("Name", name)), "Eks.ResourceNotFoundException")?.GetObject("Cluster");

    public static IReadOnlyList<JObject> Nodegroups(SimulatedAccount account, string cluster)
    {
        var eks = account.Service<EksService>();
        var names = Call(account, eks, "ListNodegroups", JObject.Of(("ClusterName", cluster)))!.GetArray("Nodegroups")!;
        return names.Select(n => Call(account, eks, "DescribeNodegroup", JObject.Of(("ClusterName", cluster), ("NodegroupName", n)))!.GetObject("Nodegroup")!).ToList();
    }

    /// <summary>Runs <paramref name="action"/> once, the first time the virtual clock moves after <paramref name="when"/> holds of the calls made so far.</summary>
    public static void OnceWhen(UpgradeRehearsal rehearsal, Func<IReadOnlyList<AwsCallRecord>, bool> when, Action action)
    {
        var account = rehearsal.Account;
        var done = false;
        account.Scheduler.ClockAdvanced += previous =>
        {
            if (done || !when(account.Calls.Calls))
            {
                return;
            }

            done = true;
            action();
        };
    }

    /// <summary>A DynamoDB call on the cluster's lock, made through the account as an outsider (a test standing in for another workflow).</summary>
    public static void OnTheLock(UpgradeRehearsal rehearsal, string action, JObject parameters, string who)
    {
        var account = rehearsal.Account;
        _ = account.CallAsync(account.Service<DynamoDbService>(), action,
            parameters.With("TableName", rehearsal.Deployment.TableName).With("Key", JObject.Of(("pk", JObject.Of(("S", "CLUSTER#shop-blue"))), ("sk", JObject.Of(("S", "LOCK"))))),
            new AwsCallContext { Account = account, Cancellation = CancellationToken.None, StateName = who });
    }

    /// <summary>The cluster's lock item, or null when no upgrade holds it.</summary>
    public static JObject? Lock(UpgradeRehearsal rehearsal, string cluster)
    {
        var account = rehearsal.Account;
        var item = Call(account, account.Service<DynamoDbService>(), "GetItem", JObject.Of(
            ("TableName", rehearsal.Deployment.TableName),
            ("Key", JObject.Of(("pk", JObject.Of(("S", $"CLUSTER#{cluster}"))), ("sk", JObject.Of(("S", "LOCK"))))),
            ("ConsistentRead", true)))!.GetObject("Item");
        return item is null ? null : DynamoDbWorld.FromItem(item);
    }

    public static JObject? Call(SimulatedAccount account, IAwsService service, string action, JObject parameters, string? notFoundError = null)
    {
        JObject? result = null;
        account.Scheduler.Run(async () =>
        {
            try
            {
                result = (JObject)await account.CallAsync(service, action, parameters, new AwsCallContext { Account = account, Cancellation = CancellationToken.None, StateName = "test" });
            }
            catch (Simulator.Asl.StatesException e) when (e.Error == notFoundError)
            {
                result = null;
            }
        });
        return result;
    }
}
