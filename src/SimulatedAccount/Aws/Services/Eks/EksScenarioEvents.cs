using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// What a scenario can make happen to EKS at a virtual time: <c>failCluster</c>, <c>failNodegroup</c>, <c>degradeAddon</c>,
/// <c>setWorkloadsReady</c>, <c>setWorkloadsFaulty</c> and <c>addInsight</c>. An event about a resource that does not exist
/// yet decides how it will end when it is created.
/// </summary>
internal sealed class EksScenarioEvents(EksStore store, EksClusters clusters, EksNodegroups nodegroups, EksAddons addons, EksVersionsAndInsights insights) : EksResource(store)
{
    public void Attach(SimulatedAccount account)
    {
        account.RegisterEventAction("failCluster", FailClusterEvent);
        account.RegisterEventAction("failNodegroup", FailNodegroupEvent);
        account.RegisterEventAction("degradeAddon", DegradeAddonEvent);
        account.RegisterEventAction("setWorkloadsReady", SetWorkloadsReadyEvent);
        account.RegisterEventAction("setWorkloadsFaulty", args => Account.Workloads.SetFaulty(EventCluster(args, "setWorkloadsFaulty"), args.GetBool("faulty") ?? true));
        account.RegisterEventAction("addInsight", AddInsightEvent);
    }

    private static string EventCluster(JObject args, string action) =>
        args.GetString("cluster") ?? throw new ScenarioException($"event '{action}' needs 'cluster'");

    /// <summary>A cluster being created ends FAILED; one not created yet will fail when it is.</summary>
    private void FailClusterEvent(JObject args)
    {
        var name = EventCluster(args, "failCluster");
        if (Clusters.TryGetValue(name, out var cluster) && cluster.Status == "CREATING")
        {
            cluster.StatusTimer?.Cancel();
            clusters.FinishCreation(cluster, "FAILED");
        }
        else if (cluster is null)
        {
            Behaviour.ClusterOutcomes[name] = "FAILED";
        }
    }

    /// <summary>A creating node group ends CREATE_FAILED, an active one turns DEGRADED; a future one will fail.</summary>
    private void FailNodegroupEvent(JObject args)
    {
        var clusterName = EventCluster(args, "failNodegroup");
        var name = args.GetString("nodegroup") ?? throw new ScenarioException("event 'failNodegroup' needs 'nodegroup'");
        if (!Clusters.TryGetValue(clusterName, out var cluster) || !cluster.Nodegroups.TryGetValue(name, out var nodegroup))
        {
            Behaviour.NodegroupOutcomes[$"{clusterName}/{name}"] = "CREATE_FAILED";
            return;
        }

        var issue = new EksIssue(args.GetString("code") ?? "NodeCreationFailure", args.GetString("message") ?? "Instances failed to join the kubernetes cluster", [nodegroup.AutoScalingGroupName]);
        if (nodegroup.Status == "CREATING")
        {
            nodegroup.StatusTimer?.Cancel();
            nodegroup.Status = "CREATE_FAILED";
        }
        else if (nodegroup.Status is "ACTIVE" or "UPDATING")
        {
            nodegroup.Status = "DEGRADED";
        }
        else
        {
            return;
        }

        nodegroup.ModifiedAt = Now;
        nodegroup.HealthIssues.Add(issue);
        nodegroups.NodesChanged(cluster);
    }

    private void DegradeAddonEvent(JObject args)
    {
        var clusterName = EventCluster(args, "degradeAddon");
        var name = args.GetString("addon") ?? throw new ScenarioException("event 'degradeAddon' needs 'addon'");
        if (!Clusters.TryGetValue(clusterName, out var cluster) || !cluster.Addons.TryGetValue(name, out var addon))
        {
            Behaviour.AddonOutcomes[$"{clusterName}/{name}"] = "DEGRADED";
            return;
        }

        addon.StatusTimer?.Cancel();
        addons.Finish(addon, "DEGRADED");
    }

    private void SetWorkloadsReadyEvent(JObject args)
    {
        var name = EventCluster(args, "setWorkloadsReady");
        var ready = args.GetBool("ready") ?? true;
        var cluster = Clusters.GetValueOrDefault(name);
        if (cluster is not null)
        {
            cluster.ForcedUnready = !ready;
            if (ready)
            {
                cluster.NeverReady = false;
                cluster.DeployableSince ??= Now;
            }
            else
            {
                cluster.ReadyTimer?.Cancel();
                cluster.ReadyTimer = null;
            }
        }
        else if (!ready)
        {
            Behaviour.NeverReadyClusters.Add(name);
        }

        Account.Workloads.SetReady(name, ready);
    }

    private void AddInsightEvent(JObject args)
    {
        var name = EventCluster(args, "addInsight");
        var cluster = Clusters.GetValueOrDefault(name) ?? throw new ScenarioException($"event 'addInsight': no cluster '{name}'");
        var problems = new List<string>();
        var insight = insights.ReadInsight(new WorldReader(args.Without("cluster"), "addInsight", problems, EksVersionsAndInsights.InsightKeys), cluster);
        if (problems.Count > 0)
        {
            throw new ScenarioException(string.Join("; ", problems));
        }

        cluster.Insights.RemoveAll(i => i.Name == insight.Name && i.KubernetesVersion == insight.KubernetesVersion);
        cluster.Insights.Add(insight);
    }
}
