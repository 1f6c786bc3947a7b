using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Run history across clusters: the run table's two sparse indexes list runs by time and by status from attributes every
/// run item already has, and leave the lock out (docs/operating.md gives the same queries for the AWS CLI).
/// </summary>
public class RunHistoryTests
{
    private static IReadOnlyList<JObject> Query(Simulator.Rehearsal.UpgradeRehearsal rehearsal, string index, string key, string value)
    {
        var account = rehearsal.Account;
        var result = RehearsalKit.Call(account, account.Service<DynamoDbService>(), "Query", JObject.Of(
            ("TableName", rehearsal.Deployment.TableName),
            ("IndexName", index),
            ("KeyConditionExpression", "#k = :v"),
            ("ExpressionAttributeNames", JObject.Of(("#k", key))),
            ("ExpressionAttributeValues", JObject.Of((":v", JObject.Of(("S", value))))),
            ("ScanIndexForward", false)))!;
        return [.. result.GetArray("Items")!.OfType<JObject>().Select(DynamoDbWorld.FromItem)];
    }

    [Fact]
    public void RecentRuns_ListedByTime_AndByStatus_WithoutTheLockOrThePlan()
    {
        var (rehearsal, summary) = RehearsalKit.Run("happy-alb");
        using var _ = rehearsal;

        var run = Assert.Single(Query(rehearsal, "runsByTime", "itemType", "RUN"));
        Assert.Equal((summary.RunRecord!.GetString("runId"), "shop-blue", "Completed"), (run.GetString("runId"), run.GetString("clusterName"), run.GetString("outcome")));
        Assert.Null(run["plan"]);
        Assert.Equal(run.GetString("runId"), Assert.Single(Query(rehearsal, "runsByStatus", "status", "Succeeded")).GetString("runId"));
        Assert.Empty(Query(rehearsal, "runsByStatus", "status", "Running"));
        Assert.Empty(Query(rehearsal, "runsByTime", "itemType", "LOCK"));
    }

    [Fact]
    public void ARolledBackRun_IsListedUnderItsStatus() =>
        Assert.Single(WithRehearsal("alarm-at-25", r => Query(r, "runsByStatus", "status", "RolledBack")));

    private static T WithRehearsal<T>(string scenario, Func<Simulator.Rehearsal.UpgradeRehearsal, T> read)
    {
        var (rehearsal, _) = RehearsalKit.Run(scenario);
        using var _ = rehearsal;
        return read(rehearsal);
    }
}
