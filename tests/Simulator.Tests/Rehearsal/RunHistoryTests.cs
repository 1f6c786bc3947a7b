using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Run history across clusters: the run table's sparse index lists runs by time (a status is a filter) from attributes
/// every run item already has, and leaves the lock out (docs/operating.md gives the same queries for the AWS CLI).
/// </summary>
public class RunHistoryTests
{
    /// <summary>The runs newest first, as docs/operating.md queries them: all, or those of one status.</summary>
    private static IReadOnlyList<JObject> Runs(Simulator.Rehearsal.UpgradeRehearsal rehearsal, string? status = null, string itemType = "RUN")
    {
        var account = rehearsal.Account;
        var values = JObject.Of((":t", JObject.Of(("S", itemType))));
        var query = new JObjectBuilder()
            .Add("TableName", rehearsal.Deployment.TableName)
            .Add("IndexName", "runsByTime")
            .Add("KeyConditionExpression", "itemType = :t")
            .Add("ScanIndexForward", false);
        if (status is not null)
        {
            query.Add("FilterExpression", "#s = :s").Add("ExpressionAttributeNames", JObject.Of(("#s", "status")));
            values = values.With(":s", JObject.Of(("S", status)));
        }

        var result = RehearsalKit.Call(account, account.Service<DynamoDbService>(), "Query", query.Add("ExpressionAttributeValues", values).Build())!;
        return [.. result.GetArray("Items")!.OfType<JObject>().Select(DynamoDbWorld.FromItem)];
    }

    [Fact]
    public void RecentRuns_ListedByTime_AndByStatus_WithoutTheLockOrThePlan()
    {
        var (rehearsal, summary) = RehearsalKit.Run("happy-alb");
        using var _ = rehearsal;

        var run = Assert.Single(Runs(rehearsal));
        Assert.Equal((summary.RunRecord!.GetString("runId"), "shop-blue", "Completed"), (run.GetString("runId"), run.GetString("clusterName"), run.GetString("outcome")));
        Assert.Null(run["plan"]);
        Assert.Equal(run.GetString("runId"), Assert.Single(Runs(rehearsal, "Succeeded")).GetString("runId"));
        Assert.Empty(Runs(rehearsal, "Running"));
        Assert.Empty(Runs(rehearsal, itemType: "LOCK"));
    }

    [Fact]
    public void ARolledBackRun_IsListedUnderItsStatus() =>
        Assert.Single(WithRehearsal("alarm-at-25", r => Runs(r, "RolledBack")));

    private static T WithRehearsal<T>(string scenario, Func<Simulator.Rehearsal.UpgradeRehearsal, T> read)
    {
        var (rehearsal, _) = RehearsalKit.Run(scenario);
        using var _ = rehearsal;
        return read(rehearsal);
    }
}
