using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// The cluster lock is a lease (docs/workflow.md, "The lock lease"): the running upgrade renews it, and a new run takes a
/// stale one over only when the lease has lapsed, the holder's execution has ended and the traffic is not split.
/// </summary>
public class LockLeaseTests
{
    private static List<JObject> RunRecords(UpgradeRehearsal rehearsal)
    {
        var account = rehearsal.Account;
        var items = RehearsalKit.Call(account, account.Service<DynamoDbService>(), "Query", JObject.Of(
            ("TableName", rehearsal.Deployment.TableName),
            ("KeyConditionExpression", "pk = :pk AND begins_with(sk, :run)"),
            ("ExpressionAttributeValues", JObject.Of((":pk", JObject.Of(("S", "CLUSTER#shop-blue"))), (":run", JObject.Of(("S", "RUN#")))))))!.GetArray("Items")!;
        return items.Select(i => DynamoDbWorld.FromItem((JObject)i)).ToList();
    }

    [Fact]
    public void HappyRun_RenewsTheLeaseAtEveryStep_AndTheLockCarriesIt()
    {
        var (rehearsal, summary) = RehearsalKit.Run("happy-alb");
        using var _ = rehearsal;

        Assert.Equal("Completed", summary.Outcome);
        var renewals = rehearsal.Account.Calls.Calls.Count(c => c.Name == "dynamodb:UpdateItem" && c.StateName is "Confirm this run still holds the lock" or "Renew the lock now that Green is healthy");
        Assert.Equal(1 + 4, renewals);
        var run = Assert.Single(RunRecords(rehearsal));
        Assert.Equal("Took the free lock.", run.GetString("lockNote"));
    }

    [Fact]
    public void StaleLock_HolderFailedAndTrafficOnBlue_IsTakenOverAfterTheLease()
    {
        var (rehearsal, summary) = RehearsalKit.Run("stale-lock-taken-over");
        using var _ = rehearsal;

        Assert.Empty(ScenarioExpectation.Check(rehearsal.Scenario.Expect, summary).Where(c => !c.Met).Select(c => $"{c.Field}: expected {c.Expected}, was {c.Actual}"));
        var records = RunRecords(rehearsal);
        var second = Assert.Single(records, r => r.GetString("requestedBy") == "bob@example.com");
        Assert.Equal("Succeeded", second.GetString("status"));
        Assert.StartsWith("Took over the lock of run shop-blue-to-1-34-", second.GetString("lockNote"), StringComparison.Ordinal);
        Assert.Contains("which ended (FAILED) without releasing it", second.GetString("lockNote"), StringComparison.Ordinal);
        Assert.Contains("the traffic is all on Blue", second.GetString("lockNote"), StringComparison.Ordinal);
        // The first run's lock was never released by anyone but the takeover; the second run released its own at the end.
        Assert.Null(RehearsalKit.Lock(rehearsal, "shop-blue"));
        Assert.Single(rehearsal.Account.Calls.Calls, c => c.Name == "states:DescribeExecution" && c.StateName == "Is the holder still running?");
    }

    [Fact]
    public void HeldLock_WithinItsLease_IsRefusedWithoutLookingFurther()
    {
        var (rehearsal, _) = RehearsalKit.Run("concurrent-run");
        using var __ = rehearsal;

        var second = rehearsal.Account.StepFunctions.Executions.Single(e => e.Name == "shop-blue-second-attempt");
        Assert.Equal("UpgradeInProgress", second.Error);
        Assert.Contains("its lease was last renewed at", second.Cause, StringComparison.Ordinal);
        Assert.DoesNotContain(rehearsal.Account.Calls.Calls, c => c.StateName == "Is the holder still running?");
    }
}
