using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// How the simulated EKS behaves over virtual time (world section <c>eks.behaviour</c>). Defaults follow AWS's
/// published figures where there are any; see each member.
/// </summary>
public sealed class EksBehaviour
{
    private static readonly HashSet<string> Keys =
    [
        "clusterCreateMinutes", "clusterDeleteMinutes", "nodegroupCreateMinutes", "nodegroupDeleteMinutes",
        "addonCreateMinutes", "addonDeleteMinutes", "addonDegradedAfterMinutes", "appsReadyMinutes", "syncPollSeconds",
        "requireGitOpsRegistration", "greenNeverHealthy", "neverReadyClusters", "greenFaulty", "faultyClusters",
        "clusterOutcomes", "nodegroupOutcomes", "addonOutcomes", "maxClusters", "maxNodegroupsPerCluster",
        "creatorPrincipalArn", "enforceKubernetesAuth", "defaultVersion",
    ];

    /// <summary>
    /// CREATING to ACTIVE. "Amazon EKS reduces cluster creation time by 40%": a control plane "in 9 minutes or
    /// less, on average" (AWS What's New, 2021-03-19).
    /// </summary>
    public double ClusterCreateMinutes { get; set; } = 9;

    /// <summary>DELETING to gone. AWS publishes no figure; a few minutes is what deletions typically take.</summary>
    public double ClusterDeleteMinutes { get; set; } = 4;

    /// <summary>
    /// Managed node group CREATING to ACTIVE. AWS publishes no figure (the CLI waiter <c>nodegroup-active</c>
    /// polls every 30 s up to 80 times); launching and joining instances typically takes 2 to 5 minutes.
    /// </summary>
    public double NodegroupCreateMinutes { get; set; } = 4;

    /// <summary>DELETING to gone; "it takes about 3 minutes to delete" one node group (cloud-custodian PR #5585).</summary>
    public double NodegroupDeleteMinutes { get; set; } = 3;

    /// <summary>Add-on CREATING to ACTIVE (DaemonSet add-ons, or Deployment add-ons once nodes exist).</summary>
    public double AddonCreateMinutes { get; set; } = 1;

    public double AddonDeleteMinutes { get; set; } = 1;

    /// <summary>
    /// A Deployment add-on (CoreDNS, the EBS CSI controller) created on a cluster without nodes stays CREATING,
    /// then turns DEGRADED with InsufficientNumberOfReplicas after this long; it recovers once nodes come up.
    /// </summary>
    public double AddonDegradedAfterMinutes { get; set; } = 20;

    /// <summary>From "workloads can deploy" (cluster and all node groups ACTIVE, GitOps registered if required) to ready.</summary>
    public double AppsReadyMinutes { get; set; } = 6;

    /// <summary>
    /// How often a <c>.sync</c> task checks its job. Step Functions polls EKS jobs "at a rate of approximately
    /// 1 poll per minute" at first (Call Amazon EKS with Step Functions, RunJob).
    /// </summary>
    public double SyncPollSeconds { get; set; } = 60;

    /// <summary>Workloads deploy only after the cluster is registered with Argo CD (its cluster secret written).</summary>
    public bool RequireGitOpsRegistration { get; set; }

    /// <summary>Clusters created through the API never become ready (a bad Green).</summary>
    public bool GreenNeverHealthy { get; set; }

    public HashSet<string> NeverReadyClusters { get; } = new(StringComparer.Ordinal);

    /// <summary>Clusters created through the API are faulty: ready, but misbehaving under traffic.</summary>
    public bool GreenFaulty { get; set; }

    public HashSet<string> FaultyClusters { get; } = new(StringComparer.Ordinal);

    /// <summary>Cluster name to the status its creation ends in (<c>FAILED</c>).</summary>
    public Dictionary<string, string> ClusterOutcomes { get; } = new(StringComparer.Ordinal);

    /// <summary><c>cluster/nodegroup</c> or <c>nodegroup</c> to CREATE_FAILED or DEGRADED.</summary>
    public Dictionary<string, string> NodegroupOutcomes { get; } = new(StringComparer.Ordinal);

    /// <summary><c>cluster/addon</c> or <c>addon</c> to CREATE_FAILED or DEGRADED.</summary>
    public Dictionary<string, string> AddonOutcomes { get; } = new(StringComparer.Ordinal);

    /// <summary>EKS service quota "Clusters" per Region (default 100).</summary>
    public int MaxClusters { get; set; } = 100;

    /// <summary>EKS service quota "Managed node groups per cluster" (default 30).</summary>
    public int MaxNodegroupsPerCluster { get; set; } = 30;

    /// <summary>The IAM principal that creates clusters (the state machine's role); it gets the bootstrap admin access entry.</summary>
    public string? CreatorPrincipalArn { get; set; }

    /// <summary>
    /// <c>eks:call</c> answers 401 unless the calling execution's role has an access entry on the cluster, as the
    /// Kubernetes API does: Step Functions signs the call with the state machine's role, and only the role that created
    /// the cluster gets one without asking (<c>BootstrapClusterCreatorAdminPermissions</c>). On unless a world turns it off.
    /// </summary>
    public bool EnforceKubernetesAuth { get; set; } = true;

    public void Apply(JObject o, List<string> problems)
    {
        foreach (var key in o.Keys.Where(k => !Keys.Contains(k)))
        {
            problems.Add($"eks.behaviour: unknown field '{key}' (allowed: {string.Join(", ", Keys.Order(StringComparer.Ordinal))})");
        }

        ClusterCreateMinutes = Minutes(o, "clusterCreateMinutes", ClusterCreateMinutes, problems);
        ClusterDeleteMinutes = Minutes(o, "clusterDeleteMinutes", ClusterDeleteMinutes, problems);
        NodegroupCreateMinutes = Minutes(o, "nodegroupCreateMinutes", NodegroupCreateMinutes, problems);
        NodegroupDeleteMinutes = Minutes(o, "nodegroupDeleteMinutes", NodegroupDeleteMinutes, problems);
        AddonCreateMinutes = Minutes(o, "addonCreateMinutes", AddonCreateMinutes, problems);
        AddonDeleteMinutes = Minutes(o, "addonDeleteMinutes", AddonDeleteMinutes, problems);
        AddonDegradedAfterMinutes = Minutes(o, "addonDegradedAfterMinutes", AddonDegradedAfterMinutes, problems);
        AppsReadyMinutes = Minutes(o, "appsReadyMinutes", AppsReadyMinutes, problems);
        SyncPollSeconds = Minutes(o, "syncPollSeconds", SyncPollSeconds, problems);
        if (SyncPollSeconds <= 0)
        {
            problems.Add("eks.behaviour.syncPollSeconds must be positive");
            SyncPollSeconds = 60;
        }

        RequireGitOpsRegistration = o.GetBool("requireGitOpsRegistration") ?? RequireGitOpsRegistration;
        GreenNeverHealthy = o.GetBool("greenNeverHealthy") ?? GreenNeverHealthy;
        GreenFaulty = o.GetBool("greenFaulty") ?? GreenFaulty;
        EnforceKubernetesAuth = o.GetBool("enforceKubernetesAuth") ?? EnforceKubernetesAuth;
        CreatorPrincipalArn = o.GetString("creatorPrincipalArn") ?? CreatorPrincipalArn;
        MaxClusters = (int?)o.GetNumber("maxClusters") ?? MaxClusters;
        MaxNodegroupsPerCluster = (int?)o.GetNumber("maxNodegroupsPerCluster") ?? MaxNodegroupsPerCluster;
        NeverReadyClusters.UnionWith(EksWire.ReadStrings(o.GetArray("neverReadyClusters")));
        FaultyClusters.UnionWith(EksWire.ReadStrings(o.GetArray("faultyClusters")));
        ReadOutcomes(o, "clusterOutcomes", ClusterOutcomes, ["FAILED", "ACTIVE"], problems);
        ReadOutcomes(o, "nodegroupOutcomes", NodegroupOutcomes, ["CREATE_FAILED", "DEGRADED", "ACTIVE"], problems);
        ReadOutcomes(o, "addonOutcomes", AddonOutcomes, ["CREATE_FAILED", "DEGRADED", "ACTIVE"], problems);
    }

    /// <summary>The outcome configured for <paramref name="child"/> of <paramref name="cluster"/>, most specific first.</summary>
    public static string? OutcomeFor(Dictionary<string, string> outcomes, string cluster, string child) =>
        outcomes.GetValueOrDefault($"{cluster}/{child}") ?? outcomes.GetValueOrDefault(child);

    private static double Minutes(JObject o, string key, double current, List<string> problems)
    {
        if (!o.TryGet(key, out var value))
        {
            return current;
        }

        if (value is JNumber { Value: >= 0 } n)
        {
            return n.Value;
        }

        problems.Add($"eks.behaviour.{key} must be a non-negative number");
        return current;
    }

    private static void ReadOutcomes(JObject o, string key, Dictionary<string, string> into, string[] allowed, List<string> problems)
    {
        foreach (var (name, value) in o.GetObject(key) ?? JObject.Empty)
        {
            if (value is JString { Value: var status } && allowed.Contains(status))
            {
                into[name] = status;
            }
            else
            {
                problems.Add($"eks.behaviour.{key}.{name} must be one of {string.Join(", ", allowed)}");
            }
        }
    }
}
