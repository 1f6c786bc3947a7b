using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.EventBridge;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// reconcile-run, started by the rule on every ending of the upgrade, makes the run record and the lock match how the run
/// really ended (docs/workflow.md, "The reconciler"), changes nothing when they already do, and never fights restore-blue:
/// whichever runs first, an aborted run ends with the same record and lock.
/// </summary>
public class ReconcilerTests
{
    private static readonly TrafficWeights AllBlue = new(100, 0);
    private static readonly TrafficWeights AllGreen = new(0, 100);

    [Fact]
    public void LockReleaseFailsAtTheEnd_TheReconcilerReleasesTheLockAndNotesItOnTheRecord()
    {
        var (rehearsal, summary) = RehearsalKit.Run("lock-release-fails-at-the-end");
        using var _ = rehearsal;

        // The failure happened: the upgrade's own release failed on every attempt and it still ended SUCCEEDED.
        var releases = rehearsal.Account.Calls.Calls.Where(c => c.Name == "dynamodb:DeleteItem" && c.StateName == "Release the lock").ToList();
        Assert.True(releases.Count > 1 && releases.All(c => c.InjectedFault is not null), $"{releases.Count} release attempts");
        Assert.Equal("SUCCEEDED", summary.Status);

        Assert.Null(RehearsalKit.Lock(rehearsal, "shop-blue"));
        Assert.Equal(AllGreen, summary.FinalWeights);
        Assert.Equal("Succeeded", summary.RunRecord!.GetString("status"));
        Assert.Equal("Completed", summary.Outcome);
        var reconcile = Assert.Single(summary.Reconciliations);
        Assert.Equal(["lock"], reconcile.Fixed);
        Assert.Equal("green", reconcile.Output!.GetString("traffic"));
        Assert.Equal([reconcile.Output.GetObject("fixed")!.GetString("lock")], summary.RunRecord.GetArray("reconciled")!.Select(v => ((JString)v).Value));
        Assert.EndsWith(":" + reconcile.Name, summary.RunRecord.GetString("reconciledBy"), StringComparison.Ordinal);
    }

    [Fact]
    public void RunRecordWritesFail_TheReconcilerRecordsTheRunFailedOnceDynamoDbAnswersAgain()
    {
        var (rehearsal, summary) = RehearsalKit.Run("run-record-writes-fail");
        using var _ = rehearsal;

        Assert.Equal("FAILED", summary.Status);
        Assert.Null(RehearsalKit.Lock(rehearsal, "shop-blue"));
        Assert.Null(RehearsalKit.Cluster(rehearsal.Account, "shop-green"));
        Assert.Equal(AllBlue, summary.FinalWeights);
        var record = summary.RunRecord!;
        Assert.Equal("Failed", record.GetString("status"));
        Assert.Equal(summary.Outcome, record.GetString("outcome"));
        // A map, as the upgrade writes its own (issue 16: no JSON text in the record).
        Assert.Equal(summary.Error, record.GetObject("reason")!.GetString("error"));
        Assert.Equal(summary.Cause, record.GetObject("reason")!.GetString("cause"));
        Assert.Equal(["runRecord"], Assert.Single(summary.Reconciliations).Fixed);

        // The reconciler's write met the same outage, retried, and got through once it ended (the scenario's until: 20m).
        var writes = rehearsal.Account.Calls.Calls.Where(c => c.StateName == "Finish the run record").ToList();
        Assert.Contains(writes, c => c.InjectedFault is not null);
        Assert.Equal("OK", writes[^1].Outcome);
        Assert.True(writes[^1].Time >= rehearsal.Account.Options.Start.AddMinutes(20));
        Assert.True(rehearsal.Upgrade!.StopDate < rehearsal.Account.Options.Start.AddMinutes(20), "the run ended during the outage");
    }

    [Fact]
    public void NormalSuccess_TheReconcilerFindsNothingToFixAndChangesNothing()
    {
        var (rehearsal, summary) = RehearsalKit.Run("happy-alb");
        using var _ = rehearsal;

        var reconcile = Assert.Single(summary.Reconciliations);
        Assert.Equal("SUCCEEDED", reconcile.Status);
        Assert.Empty(reconcile.Fixed);
        Assert.Equal("green", reconcile.Output!.GetString("traffic"));
        Assert.IsType<JNull>(reconcile.Output["notification"]);
        Assert.Null(summary.RunRecord!["reconciled"]);
        var after = rehearsal.Account.Calls.Calls.Where(c => c.Time >= rehearsal.Upgrade!.StopDate!.Value && RehearsalKit.ReconcileStates.Contains(c.StateName ?? string.Empty)).ToList();
        Assert.NotEmpty(after);
        Assert.DoesNotContain(after, c => c.ChangesAResource);
        Assert.DoesNotContain(rehearsal.Account.Calls.Calls, c => c.ChangesAResource && c.Time > rehearsal.Upgrade!.StopDate!.Value);
    }

    [Fact]
    public void Reconciler_StartedTwiceForTheSameEnding_SecondRunChangesNothing()
    {
        var (rehearsal, _) = RehearsalKit.Run("lock-release-fails-at-the-end");
        using var __ = rehearsal;
        var callsBefore = rehearsal.Account.Calls.Calls.Count;

        var again = StartAndFinish(rehearsal, rehearsal.Deployment.ReconcileStateMachine);

        Assert.Equal(ExecutionStatus.Succeeded, again.Status);
        Assert.Empty(((JObject)again.Output!).GetObject("fixed")!.Keys);
        Assert.DoesNotContain(rehearsal.Account.Calls.Calls.Skip(callsBefore), c => c.ChangesAResource);
    }

    /// <summary>The order in which restore-blue and reconcile-run meet an aborted run.</summary>
    public enum Order
    {
        /// <summary>Both rules deliver the ABORTED event at once (the deployment as it is).</summary>
        Together,

        /// <summary>restore-blue ends before reconcile-run starts.</summary>
        RestoreBlueFirst,

        /// <summary>reconcile-run runs to its end (it waits for restore-blue, then gives up) before restore-blue starts.</summary>
        ReconcilerFirst,

        /// <summary>reconcile-run starts first; restore-blue is delivered five minutes later, while it waits.</summary>
        RestoreBlueWhileTheReconcilerWaits,
    }

    [Theory]
    [InlineData(Order.Together)]
    [InlineData(Order.RestoreBlueFirst)]
    [InlineData(Order.ReconcilerFirst)]
    [InlineData(Order.RestoreBlueWhileTheReconcilerWaits)]
    public void AbortedMidShift_RestoreBlueAndTheReconciler_InAnyOrder_EndWithTheSameRecordAndLock(Order order)
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("abort-mid-shift"));
        var deployment = rehearsal.Deployment;
        switch (order)
        {
            case Order.RestoreBlueFirst:
                DisableRule(rehearsal, deployment.ReconcileRule);
                break;
            case Order.ReconcilerFirst:
                DisableRule(rehearsal, deployment.RestoreBlueRule);
                break;
            case Order.RestoreBlueWhileTheReconcilerWaits:
                DisableRule(rehearsal, deployment.RestoreBlueRule);
                rehearsal.Account.Events.Subscribe(e =>
                {
                    if (e.DetailType == StepFunctionsService.StatusChangeDetailType && e.Detail.GetString("status") == "ABORTED" && e.Detail.GetString("executionArn") == rehearsal.Upgrade?.Arn)
                    {
                        rehearsal.Account.Scheduler.Schedule(e.Time.AddMinutes(5), () => rehearsal.Account.Service<StepFunctionsService>().StartExecution(deployment.RestoreBlueStateMachine, e.ToJson(), "late-restore-blue"));
                    }
                });
                break;
        }

        rehearsal.Run();
        switch (order)
        {
            case Order.RestoreBlueFirst:
                StartAndFinish(rehearsal, deployment.ReconcileStateMachine);
                break;
            case Order.ReconcilerFirst:
                StartAndFinish(rehearsal, deployment.RestoreBlueStateMachine);
                break;
        }

        var record = RunRecord(rehearsal);
        Assert.Equal("ABORTED", rehearsal.Upgrade!.StatusName);
        Assert.Equal("RolledBack", record.GetString("status"));
        Assert.Equal("Restored by restore-blue", record.GetString("phase"));
        Assert.Null(record["reconciled"]); // the reconciler never wrote over restore-blue's record
        Assert.Null(RehearsalKit.Lock(rehearsal, "shop-blue"));
        Assert.Equal(AllBlue, TrafficProbe.Weights(rehearsal.Account, rehearsal.Input));
        var executions = rehearsal.Account.StepFunctions.Executions;
        Assert.All(executions, e => Assert.False(e.IsRunning));
        var restore = Assert.Single(executions, e => e.StateMachineName == deployment.RestoreBlueStateMachine);
        Assert.Equal(ExecutionStatus.Succeeded, restore.Status);
        var reconcile = Assert.Single(executions, e => e.StateMachineName == deployment.ReconcileStateMachine);
        Assert.Equal(ExecutionStatus.Succeeded, reconcile.Status);
        var output = (JObject)reconcile.Output!;
        Assert.Empty(output.GetObject("fixed")!.Keys);
        // No reconciler write, no traffic change by it: its only calls are reads (and, when it gave up, the notification).
        Assert.DoesNotContain(rehearsal.Account.Calls.Calls, c => c.ChangesAResource && c.Name != "sns:Publish" && RehearsalKit.ReconcileStates.Contains(c.StateName ?? string.Empty));
        var waited = reconcile.History.Events.Count(e => e.StateName == "Give restore-blue a minute" && e.Type.EndsWith("StateEntered", StringComparison.Ordinal));
        switch (order)
        {
            case Order.ReconcilerFirst:
                // It waited the whole hour for a restore-blue that had not started, left everything (the split traffic too) to it
                // and said so.
                Assert.Equal(60, waited);
                Assert.Equal("split", output.GetString("traffic"));
                Assert.Equal("Traffic of shop-blue is split after its upgrade ended ABORTED", output.GetObject("notification")!.GetString("subject"));
                Assert.Contains("restore-blue has not released the lock", output.GetObject("notification")!.GetString("description"), StringComparison.Ordinal);
                break;
            case Order.RestoreBlueWhileTheReconcilerWaits:
                // Five minutes before restore-blue started, then as long as restore-blue held the lock (it deletes Green first).
                var held = (restore.StopDate!.Value - restore.StartDate).TotalMinutes;
                Assert.InRange(waited, 5 + (int)Math.Floor(held), 7 + (int)Math.Ceiling(held));
                Assert.IsType<JNull>(output["notification"]);
                break;
            case Order.RestoreBlueFirst:
                Assert.Equal(0, waited);
                Assert.IsType<JNull>(output["notification"]);
                break;
            default:
                Assert.IsType<JNull>(output["notification"]);
                break;
        }
    }

    private static void DisableRule(UpgradeRehearsal rehearsal, string rule) =>
        RehearsalKit.Call(rehearsal.Account, rehearsal.Account.Service<EventBridgeService>(), "DisableRule", JObject.Of(("Name", rule)));

    /// <summary>Starts <paramref name="stateMachine"/> with the upgrade's status-change event, as its rule would, and runs it to its end.</summary>
    private static Execution StartAndFinish(UpgradeRehearsal rehearsal, string stateMachine)
    {
        var account = rehearsal.Account;
        var ended = account.Events.Published.Last(e => e.DetailType == StepFunctionsService.StatusChangeDetailType && e.Detail.GetString("executionArn") == rehearsal.Upgrade!.Arn);
        var execution = account.Service<StepFunctionsService>().StartExecution(stateMachine, ended.ToJson(), "by-hand-" + stateMachine);
        account.Scheduler.RunUntil(() => account.StepFunctions.Executions.All(e => !e.IsRunning));
        return execution;
    }

    private static JObject RunRecord(UpgradeRehearsal rehearsal)
    {
        var account = rehearsal.Account;
        var items = RehearsalKit.Call(account, account.Service<DynamoDbService>(), "Query", JObject.Of(
            ("TableName", rehearsal.Deployment.TableName),
            ("KeyConditionExpression", "pk = :pk AND begins_with(sk, :run)"),
            ("ExpressionAttributeValues", JObject.Of((":pk", JObject.Of(("S", "CLUSTER#shop-blue"))), (":run", JObject.Of(("S", "RUN#")))))))!.GetArray("Items")!;
        return DynamoDbWorld.FromItem((JObject)Assert.Single(items));
    }
}
