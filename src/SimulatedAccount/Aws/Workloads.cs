namespace BlueGreen.Simulator.Aws;

/// <summary>The applications running on one cluster, as the rest of the simulated world sees them.</summary>
/// <param name="Ready">The cluster's applications are deployed and serving.</param>
/// <param name="Faulty">The applications misbehave under traffic (a scenario's bad Green).</param>
/// <param name="ReadySince">When they became ready.</param>
/// <param name="GitOpsRegisteredAt">When the cluster was registered with Argo CD (its cluster secret written).</param>
public sealed record WorkloadState(bool Ready, bool Faulty, DateTimeOffset? ReadySince, DateTimeOffset? GitOpsRegisteredAt = null);

/// <summary>
/// What runs on each cluster, shared across services: EKS decides when a cluster's workloads become
/// ready (cluster and nodegroups ACTIVE, registered for GitOps, applications synced); ELBv2 reports
/// targets healthy from it; CloudWatch alarms fire when a <em>faulty</em> cluster takes traffic.
/// A scenario marks a cluster faulty to rehearse a bad Green.
/// </summary>
public sealed class WorkloadRegistry(SimulatedAccount account)
{
    private readonly Dictionary<string, WorkloadState> _clusters = new(StringComparer.Ordinal);

    /// <summary>Raised with the cluster name whenever its state changes.</summary>
    public event Action<string, WorkloadState>? Changed;

    public WorkloadState Get(string cluster) => _clusters.GetValueOrDefault(cluster) ?? new WorkloadState(false, false, null);

    public bool IsReady(string cluster) => Get(cluster).Ready;

    public bool IsFaulty(string cluster) => Get(cluster).Faulty;

    public void SetReady(string cluster, bool ready)
    {
        var current = Get(cluster);
        if (current.Ready != ready)
        {
            Set(cluster, current with { Ready = ready, ReadySince = ready ? account.Scheduler.Now : null });
        }
    }

    /// <summary>Records that the cluster was registered with GitOps (Secrets Manager calls this when an Argo CD cluster secret is written).</summary>
    public void MarkGitOpsRegistered(string cluster)
    {
        var current = Get(cluster);
        if (current.GitOpsRegisteredAt is null)
        {
            Set(cluster, current with { GitOpsRegisteredAt = account.Scheduler.Now });
        }
    }

    public void SetFaulty(string cluster, bool faulty)
    {
        var current = Get(cluster);
        if (current.Faulty != faulty)
        {
            Set(cluster, current with { Faulty = faulty });
        }
    }

    private void Set(string cluster, WorkloadState state)
    {
        _clusters[cluster] = state;
        Changed?.Invoke(cluster, state);
    }
}
