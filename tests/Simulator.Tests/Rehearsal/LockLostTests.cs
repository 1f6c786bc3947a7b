using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// An upgrade execution that is redriven after restore-blue put traffic back on Blue and released the lock
/// must not carry on without the lock. The local engine has no RedriveExecution, so these tests give the run
/// the lock state a redriven path would see: the lock is deleted (as restore-blue deletes it) while the run
/// is mid-way, and the next lock-guarded write must stop the run with LockLost before any traffic change.
/// </summary>
public class LockLostTests
{
    /// <summary>Deletes the cluster lock (as restore-blue deletes it) the first time the virtual clock moves after <paramref name="when"/> holds.</summary>
    private static void DeleteTheLockOnce(UpgradeRehearsal rehearsal, Func<IReadOnlyList<AwsCallRecord>, bool> when) =>
        RehearsalKit.OnceWhen(rehearsal, when, () => RehearsalKit.OnTheLock(rehearsal, "DeleteItem", JObject.Empty, "test: restore-blue released the lock"));

    private static int TrafficChanges(UpgradeRehearsal rehearsal) =>
        rehearsal.Account.Calls.Calls.Count(c => c.Name is "elasticloadbalancing:ModifyRule" or "elasticloadbalancing:ModifyListener");

    [Fact]
    public void Upgrade_LockReleasedDuringTheFirstBake_StopsWithLockLostBeforeTheNextTrafficChange()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        DeleteTheLockOnce(rehearsal, calls => calls.Any(c => c.Name == "elasticloadbalancing:ModifyRule"));

        var summary = rehearsal.Run();

        Assert.Equal("FAILED", summary.Status);
        Assert.Equal("LockLost", summary.Error);
        Assert.Contains("no longer holds the lock", summary.Cause, StringComparison.Ordinal);
        Assert.Equal(1, TrafficChanges(rehearsal));
        Assert.Null(RehearsalKit.Lock(rehearsal, "shop-blue"));
        Assert.NotNull(RehearsalKit.Cluster(rehearsal.Account, "shop-green"));
    }

    [Fact]
    public void Upgrade_LockReleasedBeforeFinalizing_StopsWithLockLostAndKeepsBlue()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("full-options"));
        DeleteTheLockOnce(rehearsal, calls => calls.Count(c => c.Name == "elasticloadbalancing:ModifyRule") == 2);

        var summary = rehearsal.Run();

        Assert.Equal("FAILED", summary.Status);
        Assert.Equal("LockLost", summary.Error);
        Assert.Equal(2, TrafficChanges(rehearsal));
        Assert.NotNull(RehearsalKit.Cluster(rehearsal.Account, "shop-blue"));
        Assert.DoesNotContain(rehearsal.Account.StepFunctions.Executions, e => e.StateMachineName == rehearsal.Deployment.DecommissionStateMachine);
    }
}
