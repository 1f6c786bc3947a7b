using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Issue 13 item 5: a stopped run's Green goes as its <c>green.onFailure</c> says, through restore-blue and the
/// decommission workflow, once traffic is safe; what happened is on the run record and in the notification.
/// </summary>
public sealed class GreenAfterStopTests
{
    [Fact]
    public void StopWhileGreensControlPlaneIsCreating_DeletesItOnceItIsActive_BeforeTheLockIsReleased()
    {
        var (rehearsal, summary) = RehearsalKit.Run("stop-while-green-cluster-creating");
        using var _ = rehearsal;
        var calls = rehearsal.Account.Calls.Calls;

        // DeleteCluster is refused while the cluster is CREATING, and retried until it is not.
        var deletes = calls.Where(c => c.Name == "eks:DeleteCluster").ToList();
        Assert.True(deletes.Count > 1, $"{deletes.Count} DeleteCluster calls");
        Assert.All(deletes.SkipLast(1), c => Assert.Contains("ResourceInUseException", c.Outcome, StringComparison.Ordinal));
        Assert.True(deletes[^1].Succeeded);
        // Green's deletion was under way before the lock was released: no new run could create a Green of that name meanwhile.
        var release = calls.Last(c => c.Name == "dynamodb:DeleteItem");
        Assert.True(deletes[^1].Time <= release.Time);
        Assert.Equal("Green shop-green deleted, as green.onFailure asks.", summary.RunRecord!.GetString("greenFate"));
        Assert.Equal(("absent", "deleted"), (summary.Green!.Status, summary.Green.Fate));
    }

    [Fact]
    public void AbortMidShift_DeletesGreenOnlyAfterTrafficIsBackOnBlue()
    {
        var (rehearsal, summary) = RehearsalKit.Run("abort-mid-shift");
        using var _ = rehearsal;
        var calls = rehearsal.Account.Calls.Calls;

        var rollback = calls.Last(c => c.Name == "elasticloadbalancing:ModifyRule" && c.Succeeded);
        var firstGreenDeletion = calls.First(c => c.Name is "eks:DeleteNodegroup" or "eks:DeleteCluster");
        Assert.True(rollback.Time <= firstGreenDeletion.Time, "Green was being deleted while it still had traffic");
        Assert.Contains(Messages(rehearsal), m => m.Contains("Green shop-green deleted", StringComparison.Ordinal));
    }

    [Fact]
    public void AbortWithKeep_KeepsGreen_AndSaysSo()
    {
        var (rehearsal, summary) = RehearsalKit.Run("abort-keeps-green");
        using var _ = rehearsal;

        Assert.Equal("ACTIVE", RehearsalKit.Cluster(rehearsal.Account, "shop-green")!.GetString("Status"));
        Assert.DoesNotContain(summary.AwsCalls, c => c is "eks:DeleteCluster" or "eks:DeleteNodegroup");
        Assert.StartsWith("Green shop-green is kept", summary.RunRecord!.GetString("greenFate"), StringComparison.Ordinal);
        Assert.Contains(Messages(rehearsal), m => m.Contains("Green shop-green is kept", StringComparison.Ordinal));
    }

    [Fact]
    public void GreenThatCannotBeDeleted_IsReported_AndTheLockIsStillReleased()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("abort-mid-shift"));
        // EKS refuses every DeleteCluster for the rest of the run: the decommission fails after its retries.
        rehearsal.Account.Faults.Add(new FaultRule("eks:DeleteCluster", FaultKind.Error, Error: "AccessDeniedException", Message: "not allowed today"));
        var summary = rehearsal.Run();

        Assert.Equal("RolledBack", summary.Outcome);
        Assert.False(summary.LockHeld, $"the lock is still held by {summary.LockHeldBy}");
        Assert.Equal(new TrafficWeights(100, 0), summary.FinalWeights);
        Assert.StartsWith("Green shop-green was NOT deleted", summary.RunRecord!.GetString("greenFate"), StringComparison.Ordinal);
        Assert.Contains(Messages(rehearsal), m => m.Contains("Green shop-green was NOT deleted", StringComparison.Ordinal));
        Assert.Equal("kept", summary.Green!.Fate);
    }

    private static List<string> Messages(UpgradeRehearsal rehearsal) =>
        [.. rehearsal.Account.Service<SnsService>().Messages.Select(m => m.Message)];
}
