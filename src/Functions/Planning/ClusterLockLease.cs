
namespace BlueGreen.Functions.Planning;

/// <summary>
/// How long an upgrade's hold on its cluster lock lasts without a renewal (issue 13, docs/workflow.md "The lock lease").
/// The running execution renews the lease (<c>renewedAt</c> on the lock item) when it takes the lock, after Green is
/// created and healthy, before each traffic step and before each further bake of a step, so the lease only has to cover
/// the longest stretch between two of those: creating Green and waiting for its health; one bake execution (at most
/// <see cref="ChecksPerBakeExecution"/> alarm checks) followed by the approval before finalizing (the approval before
/// traffic comes right after the renewal that follows Green's health, so this covers it too).
/// <para>
/// A lapsed lease alone never lets another run in: a new run takes the lock only when the lease has lapsed, the holder's
/// execution is no longer RUNNING and the traffic is not split (Locking.ClusterLockCheck). A lease that is too short
/// therefore only makes a new run look sooner; one that is too long only delays the takeover of a lock whose every
/// release failed (the upgrade's own, restore-blue's and the reconciler's).
/// </para>
/// </summary>
public static class ClusterLockLease
{
    /// <summary>
    /// Creating Green's cluster, access entries, add-ons and nodegroups takes tens of minutes on EKS; a run still creating
    /// after two hours is overdue (the create-green execution itself may run 24 hours).
    /// </summary>
    public const int CreateGreenAllowanceSeconds = 2 * 3600;

    /// <summary>statemachines/bake.asl.json: a bake execution makes at most 120 alarm checks, then the step starts another.</summary>
    public const int ChecksPerBakeExecution = 120;

    /// <summary>Room for what happens between renewals besides the waits counted (hooks, traffic changes, DNS propagation, retries).</summary>
    public const int MarginSeconds = 30 * 60;

    /// <summary>
    /// Locks taken before leases existed carry no <c>leaseSeconds</c>: no execution of the upgrade lives longer than its
    /// TimeoutSeconds, so such a lock is certainly stale after that long.
    /// </summary>
    public const int LegacyLeaseSeconds = UpgradePlanner.ExecutionTimeoutSeconds;

    public static int SecondsFor(HealthPlan health, ApprovalPlan approvals, IReadOnlyList<ShiftStep> steps)
    {
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(approvals);
        ArgumentNullException.ThrowIfNull(steps);
        var createGreen = CreateGreenAllowanceSeconds + health.TimeoutSeconds;
        var approval = approvals.BeforeTraffic || approvals.BeforeFinalize ? approvals.TimeoutSeconds : 0;
        var bake = steps.Count == 0 ? 0 : steps.Max(s => Math.Min(s.AlarmChecks, ChecksPerBakeExecution) * s.CheckIntervalSeconds);
        return Math.Max(createGreen, bake + approval) + MarginSeconds;
    }
}
