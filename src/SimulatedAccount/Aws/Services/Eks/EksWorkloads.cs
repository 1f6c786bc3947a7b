namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// Decides when each cluster's applications are ready, and tells the account's <see cref="WorkloadRegistry"/>; a
/// cluster whose workloads stop being ready (a scenario event, a deleted cluster) is re-examined.
/// </summary>
internal sealed class EksWorkloads(EksStore store) : EksResource(store)
{
    public void Attach(SimulatedAccount account) =>
        account.Workloads.Changed += (name, state) =>
        {
            if (!state.Ready && Clusters.TryGetValue(name, out var cluster))
            {
                Reevaluate(cluster);
            }
        };

    /// <summary>
    /// Decides when a cluster's applications are ready: <see cref="EksBehaviour.AppsReadyMinutes"/> after the
    /// cluster and all its node groups (at least one) are ACTIVE and, when the world requires GitOps
    /// registration, after the cluster's Argo CD secret was written. Ready workloads stay ready; a deleted
    /// cluster has none.
    /// </summary>
    public void Reevaluate(SimulatedCluster cluster)
    {
        var workloads = Account.Workloads;
        if (!Clusters.ContainsKey(cluster.Name) || cluster.Status == "DELETING")
        {
            cluster.ReadyTimer?.Cancel();
            cluster.ReadyTimer = null;
            cluster.DeployableSince = null;
            workloads.SetReady(cluster.Name, false);
            return;
        }

        if (workloads.IsReady(cluster.Name))
        {
            return;
        }

        var deployable = cluster.Status is "ACTIVE" or "UPDATING"
            && cluster.Nodegroups.Count > 0
            && cluster.Nodegroups.Values.All(n => n.Status == "ACTIVE")
            && (!Behaviour.RequireGitOpsRegistration || workloads.Get(cluster.Name).GitOpsRegisteredAt is not null);
        if (deployable && cluster.DeployableSince is null)
        {
            cluster.DeployableSince = Now;
            if (!cluster.NeverReady && !cluster.ForcedUnready)
            {
                cluster.ReadyTimer = Account.Scheduler.Schedule(Now + TimeSpan.FromMinutes(Behaviour.AppsReadyMinutes), () =>
                {
                    cluster.ReadyTimer = null;
                    if (cluster.DeployableSince is not null && !cluster.NeverReady && !cluster.ForcedUnready)
                    {
                        workloads.SetReady(cluster.Name, true);
                    }
                });
            }
        }
        else if (!deployable && cluster.DeployableSince is not null)
        {
            cluster.ReadyTimer?.Cancel();
            cluster.ReadyTimer = null;
            cluster.DeployableSince = null;
        }
    }
}
