using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.CloudWatch;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Event-driven rollback (docs/workflow.md, "Event-driven rollback"): alarm-rollback trips the lock and puts traffic back
/// on Blue when a watched alarm fires; the upgrade notices at its next check, step or disarm and ends RolledBack.
/// </summary>
public class AlarmRollbackTests
{
    /// <summary>Trips the lock as alarm-rollback does, the first time the virtual clock moves after <paramref name="when"/> holds.</summary>
    private static void TripTheLockOnce(UpgradeRehearsal rehearsal, Func<IReadOnlyList<AwsCallRecord>, bool> when) =>
        RehearsalKit.OnceWhen(rehearsal, when, () => Trip(rehearsal));

    private static void Trip(UpgradeRehearsal rehearsal) =>
        RehearsalKit.OnTheLock(rehearsal, "UpdateItem", JObject.Of(
            ("UpdateExpression", "SET tripped = :alarm, trippedAt = :at"),
            ("ExpressionAttributeValues", JObject.Of((":alarm", JObject.Of(("S", "shop-p99-latency"))), (":at", JObject.Of(("S", "2026-11-23T09:20:00.000Z")))))), "test: alarm-rollback tripped the lock");

    private static int TrafficChanges(UpgradeRehearsal rehearsal) =>
        rehearsal.Account.Calls.Calls.Count(c => c.Name is "elasticloadbalancing:ModifyRule");

    [Fact]
    public void TrippedLock_AtTheNextStep_StopsTheStepWithAlarmFiredAndRollsBack()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        TripTheLockOnce(rehearsal, calls => calls.Any(c => c.Name == "elasticloadbalancing:ModifyRule"));

        var summary = rehearsal.Run();

        Assert.Equal("RolledBack", summary.Outcome);
        Assert.Equal("UpgradeRolledBack", summary.Error);
        Assert.Contains("alarm-rollback put all traffic back on Blue, so this step moved nothing", Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord), StringComparison.Ordinal);
        Assert.Equal(100, summary.FinalWeights!.Blue);
        // The first step's change and the rollback; the second step moved nothing.
        Assert.Equal(2, TrafficChanges(rehearsal));
    }

    [Fact]
    public void TrippedLock_AfterTheLastCheck_RollsBackInsteadOfFinishing()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        // Right after the last alarm check, before the disarm (the same virtual instant: no clock tick in between).
        var tripped = false;
        rehearsal.Account.Calls.Recorded += call =>
        {
            if (!tripped && call.StateName == "Check the alarms before finalizing")
            {
                tripped = true;
                Trip(rehearsal);
            }
        };

        var summary = rehearsal.Run();

        Assert.Equal("RolledBack", summary.Outcome);
        Assert.Contains("after the last check; alarm-rollback put all traffic back on Blue", Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord), StringComparison.Ordinal);
        Assert.Equal(100, summary.FinalWeights!.Blue);
        Assert.NotNull(RehearsalKit.Cluster(rehearsal.Account, "shop-blue"));
    }

    [Fact]
    public void AlarmEvent_PutsTrafficBackWithinSeconds_AndTheRunEndsRolledBack()
    {
        var (rehearsal, summary) = RehearsalKit.Run("alarm-event-rolls-back-in-seconds");
        using var _ = rehearsal;

        var reaction = Assert.IsType<AlarmReaction>(summary.AlarmReaction);
        Assert.Equal(1, reaction.EventSecondsToBlue);
        Assert.Equal(20, reaction.SecondsToDecision);
        var rollbacks = rehearsal.Account.StepFunctions.Executions.Where(e => e.StateMachineName.EndsWith("alarm-rollback", StringComparison.Ordinal)).ToList();
        Assert.Contains(rollbacks, e => e.Output is JObject o && o.GetArray("restores")!.Any(r => r.AsObject().GetBool("restored") == true));
        Assert.Equal("RolledBack", summary.RunRecord!.GetString("status"));
    }

    [Fact]
    public void AlarmNobodyWatches_ChangesNothing()
    {
        var (rehearsal, summary) = RehearsalKit.Run("happy-alb");
        using var _ = rehearsal;
        var account = rehearsal.Account;
        RehearsalKit.Call(account, account.Service<CloudWatchService>(), "SetAlarmState", JObject.Of(
            ("AlarmName", "shop-green-unhealthy"), ("StateValue", "ALARM"), ("StateReason", "test")));
        var before = account.Calls.Calls.Count(c => c.ChangesAResource);
        account.RunUntilSettled(account.Scheduler.Now);

        Assert.Equal("Completed", summary.Outcome);
        var rollback = Assert.Single(account.StepFunctions.Executions, e => e.StateMachineName.EndsWith("alarm-rollback", StringComparison.Ordinal));
        Assert.Equal("SUCCEEDED", rollback.StatusName);
        Assert.Equal(before, account.Calls.Calls.Count(c => c.ChangesAResource));
    }
}

/// <summary>Read back, don't assume: every weight change is read back, and weights someone put back are not taken for the plan's.</summary>
public class WeightReadBackTests
{
    /// <summary>Right after the <paramref name="nth"/> weight change, puts the rule's weights back as a controller that owns it would.</summary>
    private static void UndoChange(UpgradeRehearsal rehearsal, int nth, int blue, int green)
    {
        var account = rehearsal.Account;
        var seen = 0;
        account.Calls.Recorded += call =>
        {
            if (call.Name == "elasticloadbalancing:ModifyRule" && call.StateName != "setForwardWeights" && ++seen == nth && account.TryGetEventAction("setForwardWeights", out var set))
            {
                set(JObject.Of(("rule", "9683b2d02a6cabee"), ("weights", JObject.Of(("shop-blue-tg", blue), ("shop-green-tg", green)))));
            }
        };
    }

    [Fact]
    public void FirstChangeUndone_FailsCleanlyAsBeforeTrafficMoved()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        UndoChange(rehearsal, 1, 100, 0);

        var summary = rehearsal.Run();

        Assert.Equal("Failed", summary.Outcome);
        Assert.Equal("TrafficChangeNotApplied", summary.Error);
        Assert.Contains("The change to 10% Green was accepted, and the weights read back give Green nothing", summary.Cause, StringComparison.Ordinal);
        Assert.False(summary.LockHeld);
    }

    [Fact]
    public void LaterChangeUndone_RollsBack()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        UndoChange(rehearsal, 2, 90, 10);

        var summary = rehearsal.Run();

        Assert.Equal("RolledBack", summary.Outcome);
        Assert.Contains("TrafficNotAsPlanned", Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord), StringComparison.Ordinal);
        Assert.Contains("the weights read back give Green 10%, not 25%", Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord), StringComparison.Ordinal);
        Assert.Equal(100, summary.FinalWeights!.Blue);
    }
}
