using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// Managed node groups: CreateNodegroup (with EKS's checks of versions, AMI types, instance types, scaling and taints,
/// and the node role's access entry), DescribeNodegroup, ListNodegroups and DeleteNodegroup, changing state over
/// virtual time.
/// </summary>
internal sealed class EksNodegroups(EksStore store, EksAccessEntries accessEntries, EksAddons addons, EksWorkloads workloads) : EksResource(store)
{
    /// <summary>Nodes per managed node group (EKS service quota).</summary>
    private const int MaxNodesPerNodegroup = 450;

    public JObject Create(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var clusterName = p.RequiredString("ClusterName");
        var name = p.RequiredString("NodegroupName");
        var token = p.OptionalString("ClientRequestToken");
        var cluster = RequireCluster(clusterName);
        if (TryReplay("CreateNodegroup", clusterName, token, name, () => cluster.Nodegroups.ContainsKey(name)))
        {
            return JObject.Of(("Nodegroup", NodegroupJson(cluster.Nodegroups[name])));
        }

        if (cluster.Status != "ACTIVE")
        {
            throw InvalidRequest($"Cluster '{clusterName}' is not in ACTIVE status");
        }

        if (name.Length > 63 || !ClusterNameRegex().IsMatch(name))
        {
            throw Invalid($"The node group name '{name}' is invalid. It must be 1-63 characters, start with an alphanumeric character and contain only alphanumeric characters, hyphens and underscores.");
        }

        if (cluster.Nodegroups.ContainsKey(name))
        {
            throw InUse($"NodeGroup already exists with name {name} and cluster name {clusterName}");
        }

        if (cluster.Nodegroups.Count >= Behaviour.MaxNodegroupsPerCluster)
        {
            throw LimitExceeded($"Nodegroups limit exceeded for cluster {clusterName}: the quota is {Behaviour.MaxNodegroupsPerCluster} managed node groups per cluster.");
        }

        var nodeRole = p.RequiredString("NodeRole");
        if (!RoleArnRegex().IsMatch(nodeRole))
        {
            throw Invalid($"nodeRole '{nodeRole}' is not a valid IAM role ARN.");
        }

        var subnets = p.Strings("Subnets");
        if (subnets.Count == 0)
        {
            throw Invalid("Subnets are required.");
        }

        Network.CheckNodegroupSubnets(subnets, cluster.VpcConfig.VpcId, Invalid);
        var version = p.OptionalString("Version") ?? cluster.Version;
        var (versionMinor, clusterMinor) = (KubernetesVersionCalendar.MinorOf(version), KubernetesVersionCalendar.MinorOf(cluster.Version)!.Value);
        if (versionMinor is null || versionMinor > clusterMinor)
        {
            throw Invalid($"Requested Nodegroup Kubernetes version {version} is not supported for cluster version {cluster.Version}.");
        }

        if (versionMinor < clusterMinor - 3)
        {
            // Kubernetes supports kubelets at most three minor versions older than the control plane.
            throw Invalid($"Requested Nodegroup Kubernetes version {version} is more than three minor versions older than cluster version {cluster.Version}.");
        }

        var releaseVersion = p.OptionalString("ReleaseVersion");
        var launchTemplate = p.OptionalObject("LaunchTemplate");
        var instanceTypes = p.Strings("InstanceTypes");
        var amiType = p.OptionalString("AmiType");
        if (amiType is not null && !EksAmiTypes.All.Contains(amiType))
        {
            throw Invalid($"Invalid AMI type {amiType}.");
        }

        var arm = instanceTypes.Count > 0 && instanceTypes.All(EksAmiTypes.IsArmInstanceType);
        amiType ??= versionMinor >= 30
            ? (arm ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD") // new node groups default to AL2023 from 1.30
            : (arm ? "AL2_ARM_64" : "AL2_x86_64");
        if (EksAmiTypes.IsAl2(amiType) && versionMinor >= 33)
        {
            throw Invalid($"AMI Type {amiType} is only supported for kubernetes versions 1.32 or earlier");
        }

        if (amiType == "CUSTOM" && launchTemplate is null)
        {
            throw Invalid("A launch template with an AMI ID is required when amiType is CUSTOM.");
        }

        if (amiType != "CUSTOM" && instanceTypes.Count > 0 && instanceTypes.Any(t => EksAmiTypes.IsArmInstanceType(t) != EksAmiTypes.IsArm(amiType)))
        {
            throw Invalid($"The instance types [{string.Join(", ", instanceTypes)}] are not supported with AMI type {amiType}: its architecture is {(EksAmiTypes.IsArm(amiType) ? "arm64" : "x86_64")}.");
        }

        if (releaseVersion is not null && amiType != "CUSTOM" && !amiType.StartsWith("BOTTLEROCKET", StringComparison.Ordinal) && !releaseVersion.StartsWith(version + ".", StringComparison.Ordinal))
        {
            // A release version copied from a node group of another Kubernetes version names an AMI built for that version.
            throw Invalid($"Requested release version {releaseVersion} is not valid for kubernetes version {version}.");
        }

        var diskSize = p.OptionalInt("DiskSize");
        if (launchTemplate is not null && diskSize is not null)
        {
            throw Invalid("Disk size must be specified within the launch template.");
        }

        if (launchTemplate is not null && p.OptionalObject("RemoteAccess") is not null)
        {
            throw Invalid("Remote access configuration cannot be specified with a launch template.");
        }

        var capacityType = p.OptionalString("CapacityType") ?? "ON_DEMAND";
        if (capacityType is not ("ON_DEMAND" or "SPOT" or "CAPACITY_BLOCK"))
        {
            throw Invalid($"Invalid capacity type {capacityType}.");
        }

        var scaling = p.OptionalObject("ScalingConfig") ?? JObject.Empty;
        var (min, max, desired) = ((int)(scaling.GetNumber("MinSize") ?? 1), (int)(scaling.GetNumber("MaxSize") ?? 2), (int)(scaling.GetNumber("DesiredSize") ?? 2));
        CheckScaling(min, max, desired);
        var taints = ReadTaints(p.Array("Taints"));
        var labels = EksWire.ReadStringMap(p.OptionalObject("Labels"), Invalid, "labels");
        var random = context.Account.Random;
        var id = Ids.Uuid(random);
        var nodegroup = new EksNodegroup
        {
            Name = name,
            Arn = Account.Arn("eks", $"nodegroup/{clusterName}/{name}/{id}"),
            ClusterName = clusterName,
            Version = version,
            ReleaseVersion = releaseVersion ?? ReleaseVersionFor(amiType, version),
            CreatedAt = Now,
            ModifiedAt = Now,
            CapacityType = capacityType,
            MinSize = min,
            MaxSize = max,
            DesiredSize = desired,
            InstanceTypes = instanceTypes.Count > 0 || launchTemplate is not null ? instanceTypes : ["t3.medium"],
            Subnets = subnets,
            RemoteAccess = p.OptionalObject("RemoteAccess"),
            AmiType = amiType,
            NodeRole = nodeRole,
            Labels = labels,
            Taints = taints,
            AutoScalingGroupName = $"eks-{name}-{id}",
            DiskSize = launchTemplate is null ? diskSize ?? 20 : null,
            UpdateConfig = p.OptionalObject("UpdateConfig") ?? JObject.Of(("MaxUnavailable", 1)),
            LaunchTemplate = launchTemplate,
            NodeRepairConfig = p.OptionalObject("NodeRepairConfig"),
            Tags = ReadTags(p.OptionalObject("Tags")),
        };
        cluster.Nodegroups[name] = nodegroup;
        RememberToken("CreateNodegroup", clusterName, token, name);
        EnsureNodeAccessEntry(cluster, nodegroup);
        var outcome = EksBehaviour.OutcomeFor(Behaviour.NodegroupOutcomes, clusterName, name) ?? "ACTIVE";
        nodegroup.StatusTimer = Account.Scheduler.Schedule(Now + TimeSpan.FromMinutes(Behaviour.NodegroupCreateMinutes), () => FinishCreation(cluster, nodegroup, outcome));
        workloads.Reevaluate(cluster);
        return JObject.Of(("Nodegroup", NodegroupJson(nodegroup)));
    }

    private void CheckScaling(int min, int max, int desired)
    {
        if (min < 0 || max < 1 || desired < 0)
        {
            throw Invalid("minSize and desiredSize must be at least 0 and maxSize at least 1.");
        }

        if (max > MaxNodesPerNodegroup)
        {
            throw Invalid($"maxSize {max} is greater than the limit of {MaxNodesPerNodegroup} nodes per managed node group.");
        }

        if (min > max)
        {
            throw Invalid($"Minimum capacity {min} can't be greater than maximum capacity {max}");
        }

        if (desired > max)
        {
            throw Invalid($"Desired capacity {desired} can't be greater than max size {max}");
        }

        if (desired < min)
        {
            throw Invalid($"Desired capacity {desired} can't be less than minimum size {min}");
        }
    }

    private List<EksTaint> ReadTaints(JArray taints)
    {
        if (taints.Count > 50)
        {
            throw Invalid("A node group can have at most 50 taints.");
        }

        var list = new List<EksTaint>();
        foreach (var t in taints.OfType<JObject>())
        {
            var key = t.GetString("Key") is { Length: > 0 } k ? k : throw Invalid("Taint key is required.");
            var effect = t.GetString("Effect") ?? throw Invalid($"Taint {key} needs an effect.");
            if (effect is not ("NO_SCHEDULE" or "NO_EXECUTE" or "PREFER_NO_SCHEDULE"))
            {
                throw Invalid($"Invalid taint effect {effect}: use NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE.");
            }

            list.Add(new EksTaint(key, t.GetString("Value"), effect));
        }

        return list;
    }

    /// <summary>An AMI release version such as <c>1.32.9-20251113</c> (a Bottlerocket one for Bottlerocket AMIs).</summary>
    public string ReleaseVersionFor(string amiType, string version)
    {
        if (amiType.StartsWith("BOTTLEROCKET", StringComparison.Ordinal))
        {
            return "1.50.0-9f5e3ec6";
        }

        var patch = Calendar.Find(version)?.PatchVersion ?? version + ".0";
        return $"{patch}-{(Now - TimeSpan.FromDays(10)).UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// On clusters whose authentication mode allows access entries, EKS creates the node role's access entry
    /// (type EC2_LINUX, or EC2_WINDOWS) when a managed node group is created.
    /// </summary>
    private void EnsureNodeAccessEntry(SimulatedCluster cluster, EksNodegroup nodegroup)
    {
        if (cluster.AuthenticationMode == "CONFIG_MAP" || cluster.AccessEntries.ContainsKey(nodegroup.NodeRole))
        {
            return;
        }

        var type = nodegroup.AmiType.StartsWith("WINDOWS", StringComparison.Ordinal) ? "EC2_WINDOWS" : "EC2_LINUX";
        var entry = accessEntries.New(cluster, nodegroup.NodeRole, type, [], "system:node:{{EC2PrivateDNSName}}", []);
        cluster.AccessEntries[entry.PrincipalArn] = entry;
    }

    private void FinishCreation(SimulatedCluster cluster, EksNodegroup nodegroup, string outcome)
    {
        if (nodegroup.Status != "CREATING")
        {
            return;
        }

        nodegroup.Status = outcome;
        nodegroup.ModifiedAt = Now;
        if (outcome == "CREATE_FAILED")
        {
            nodegroup.HealthIssues.Add(new EksIssue("NodeCreationFailure", "Instances failed to join the kubernetes cluster", [$"i-{Ids.Hex(Account.Random, 17, upper: false)}"]));
        }
        else if (outcome == "DEGRADED")
        {
            nodegroup.HealthIssues.Add(new EksIssue("AsgInstanceLaunchFailures", $"Could not launch {(nodegroup.CapacityType == "SPOT" ? "Spot" : "On-Demand")} Instances. InsufficientInstanceCapacity - There is not enough capacity to fulfill your request.", [nodegroup.AutoScalingGroupName]));
        }

        NodesChanged(cluster);
    }

    public JObject Describe(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        return JObject.Of(("Nodegroup", NodegroupJson(RequireNodegroup(cluster, p.RequiredString("NodegroupName")))));
    }

    private static EksNodegroup RequireNodegroup(SimulatedCluster cluster, string name) =>
        cluster.Nodegroups.GetValueOrDefault(name) ?? throw NotFound($"No node group found for name: {name}.");

    public JObject List(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        var names = cluster.Nodegroups.Keys.Order(StringComparer.Ordinal).ToList();
        var (page, next) = EksWire.Page(names, p.OptionalInt("MaxResults"), p.OptionalString("NextToken"), "nodegroups", Invalid);
        return WithNextToken(JObject.Of(("Nodegroups", EksWire.Strings(page))), next);
    }

    public JObject Delete(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        var nodegroup = RequireNodegroup(cluster, p.RequiredString("NodegroupName"));
        if (nodegroup.Status == "DELETING")
        {
            return JObject.Of(("Nodegroup", NodegroupJson(nodegroup)));
        }

        if (nodegroup.Status is "CREATING" or "UPDATING")
        {
            throw InUse($"Nodegroup {nodegroup.Name} cannot be deleted while it is in {nodegroup.Status} state.");
        }

        nodegroup.StatusTimer?.Cancel();
        nodegroup.Status = "DELETING";
        nodegroup.ModifiedAt = Now;
        NodesChanged(cluster);
        nodegroup.StatusTimer = Account.Scheduler.Schedule(Now + TimeSpan.FromMinutes(Behaviour.NodegroupDeleteMinutes), () =>
        {
            cluster.Nodegroups.Remove(nodegroup.Name);
            NodesChanged(cluster);
        });
        return JObject.Of(("Nodegroup", NodegroupJson(nodegroup)));
    }

    private static JObject NodegroupJson(EksNodegroup n)
    {
        var b = new JObjectBuilder()
            .Add("NodegroupName", n.Name)
            .Add("NodegroupArn", n.Arn)
            .Add("ClusterName", n.ClusterName)
            .Add("Version", n.Version)
            .Add("ReleaseVersion", n.ReleaseVersion)
            .Add("CreatedAt", EksWire.Timestamp(n.CreatedAt))
            .Add("ModifiedAt", EksWire.Timestamp(n.ModifiedAt))
            .Add("Status", n.Status)
            .Add("CapacityType", n.CapacityType)
            .Add("ScalingConfig", JObject.Of(("MinSize", n.MinSize), ("MaxSize", n.MaxSize), ("DesiredSize", n.DesiredSize)))
            .Add("InstanceTypes", EksWire.Strings(n.InstanceTypes))
            .Add("Subnets", EksWire.Strings(n.Subnets));
        if (n.RemoteAccess is not null)
        {
            b.Add("RemoteAccess", n.RemoteAccess);
        }

        b.Add("AmiType", n.AmiType)
            .Add("NodeRole", n.NodeRole)
            .Add("Labels", EksWire.StringMap(n.Labels))
            .Add("Taints", JArray.From(n.Taints.Select(t => (JValue)t.ToJson())))
            .Add("Resources", JObject.Of(("AutoScalingGroups", JArray.Of(JObject.Of(("Name", n.AutoScalingGroupName))))));
        if (n.DiskSize is { } disk)
        {
            b.Add("DiskSize", disk);
        }

        b.Add("Health", JObject.Of(("Issues", JArray.From(n.HealthIssues.Select(i => (JValue)i.ToJson())))))
            .Add("UpdateConfig", n.UpdateConfig);
        if (n.NodeRepairConfig is not null)
        {
            b.Add("NodeRepairConfig", n.NodeRepairConfig);
        }

        if (n.LaunchTemplate is not null)
        {
            b.Add("LaunchTemplate", n.LaunchTemplate);
        }

        return b.Add("Tags", EksWire.StringMap(n.Tags)).Build();
    }

    /// <summary>Node groups came or went: add-ons waiting for nodes may proceed, and workloads may become deployable.</summary>
    public void NodesChanged(SimulatedCluster cluster)
    {
        if (EksAddons.HasActiveNodes(cluster))
        {
            addons.StartWaiting(cluster);
        }

        workloads.Reevaluate(cluster);
    }
}
