using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws.Services.Eks;

public sealed partial class EksService
{
    private static readonly string[] ClusterStatuses = ["ACTIVE", "CREATING", "FAILED", "UPDATING"];

    public override void Attach(SimulatedAccount account)
    {
        _account = account;
        account.Clusters.Register(this);
        account.Workloads.Changed += (name, state) =>
        {
            if (!state.Ready && _clusters.TryGetValue(name, out var cluster))
            {
                ReevaluateWorkloads(cluster);
            }
        };

        account.RegisterEventAction("failCluster", FailClusterEvent);
        account.RegisterEventAction("failNodegroup", FailNodegroupEvent);
        account.RegisterEventAction("degradeAddon", DegradeAddonEvent);
        account.RegisterEventAction("setWorkloadsReady", SetWorkloadsReadyEvent);
        account.RegisterEventAction("setWorkloadsFaulty", args => Account.Workloads.SetFaulty(EventCluster(args, "setWorkloadsFaulty"), args.GetBool("faulty") ?? true));
        account.RegisterEventAction("addInsight", AddInsightEvent);
    }

    // ---- workloads -----------------------------------------------------------------------------------------------

    /// <summary>
    /// Decides when a cluster's applications are ready: <see cref="EksBehaviour.AppsReadyMinutes"/> after the
    /// cluster and all its node groups (at least one) are ACTIVE and, when the world requires GitOps
    /// registration, after the cluster's Argo CD secret was written. Ready workloads stay ready; a deleted
    /// cluster has none.
    /// </summary>
    private void ReevaluateWorkloads(EksCluster cluster)
    {
        var workloads = Account.Workloads;
        if (!_clusters.ContainsKey(cluster.Name) || cluster.Status == "DELETING")
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

    // ---- event actions -------------------------------------------------------------------------------------------

    private static string EventCluster(JObject args, string action) =>
        args.GetString("cluster") ?? throw new ScenarioException($"event '{action}' needs 'cluster'");

    /// <summary>A cluster being created ends FAILED; one not created yet will fail when it is.</summary>
    private void FailClusterEvent(JObject args)
    {
        var name = EventCluster(args, "failCluster");
        if (_clusters.TryGetValue(name, out var cluster) && cluster.Status == "CREATING")
        {
            cluster.StatusTimer?.Cancel();
            FinishClusterCreation(cluster, "FAILED");
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
        if (!_clusters.TryGetValue(clusterName, out var cluster) || !cluster.Nodegroups.TryGetValue(name, out var nodegroup))
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
        OnNodesChanged(cluster);
    }

    private void DegradeAddonEvent(JObject args)
    {
        var clusterName = EventCluster(args, "degradeAddon");
        var name = args.GetString("addon") ?? throw new ScenarioException("event 'degradeAddon' needs 'addon'");
        if (!_clusters.TryGetValue(clusterName, out var cluster) || !cluster.Addons.TryGetValue(name, out var addon))
        {
            Behaviour.AddonOutcomes[$"{clusterName}/{name}"] = "DEGRADED";
            return;
        }

        addon.StatusTimer?.Cancel();
        FinishAddon(addon, "DEGRADED");
    }

    private void SetWorkloadsReadyEvent(JObject args)
    {
        var name = EventCluster(args, "setWorkloadsReady");
        var ready = args.GetBool("ready") ?? true;
        var cluster = _clusters.GetValueOrDefault(name);
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
        var cluster = _clusters.GetValueOrDefault(name) ?? throw new ScenarioException($"event 'addInsight': no cluster '{name}'");
        var problems = new List<string>();
        var insight = ReadInsight(new WorldReader(args.Without("cluster"), "addInsight", problems, InsightKeys), cluster);
        if (problems.Count > 0)
        {
            throw new ScenarioException(string.Join("; ", problems));
        }

        cluster.Insights.RemoveAll(i => i.Name == insight.Name && i.KubernetesVersion == insight.KubernetesVersion);
        cluster.Insights.Add(insight);
    }

    // ---- world ---------------------------------------------------------------------------------------------------

    public override void Seed(JObject section, SimulatedAccount account)
    {
        var problems = new List<string>();
        var root = new WorldReader(section, "eks", problems, "behaviour", "versions", "network", "argocd", "clusters", "fargateProfiles");
        if (root.Obj("behaviour") is { } behaviour)
        {
            Behaviour.Apply(behaviour, problems);
            if (behaviour.GetString("defaultVersion") is { } defaultVersion)
            {
                Calendar.DefaultVersionOverride = defaultVersion;
            }
        }

        foreach (var (item, path) in root.Items("versions"))
        {
            try
            {
                Calendar.AddOrReplace(KubernetesVersionCalendar.Parse(item, m => new ScenarioException(m)));
            }
            catch (ScenarioException e)
            {
                problems.Add($"{path}: {e.Message}");
            }
        }

        Network.Seed(root.Obj("network"), problems);
        ArgoCd.Seed(root.Obj("argocd"), problems);
        foreach (var (item, path) in root.Items("clusters"))
        {
            SeedCluster(new WorldReader(item, path, problems,
                "name", "version", "status", "platformVersion", "createdAt", "roleArn", "authenticationMode", "resourcesVpcConfig",
                "kubernetesNetworkConfig", "enabledLogTypes", "endpoint", "certificateAuthorityData", "oidcIssuer", "supportType", "tags",
                "workloadsReady", "faulty", "nodegroups", "addons", "podIdentityAssociations", "accessEntries", "insights"));
        }

        foreach (var (item, path) in root.Items("fargateProfiles"))
        {
            SeedFargateProfile(new WorldReader(item, path, problems, "clusterName", "name", "podExecutionRoleArn", "selectors", "subnets", "tags"));
        }

        if (problems.Count > 0)
        {
            throw new ScenarioException($"World section 'eks':{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", problems)}");
        }
    }

    private void SeedCluster(WorldReader r)
    {
        var name = r.Req("name", "unnamed");
        var version = r.Req("version", "1.32");
        if (Calendar.Find(version) is null)
        {
            r.Problem($"version '{version}' is not in the version calendar");
        }

        var random = Account.Random;
        var id = EksWire.Hex(random, 32, upper: true);
        var vpc = new WorldReader(r.Obj("resourcesVpcConfig") ?? JObject.Empty, r.Path + ".resourcesVpcConfig", r.Problems,
            "subnetIds", "securityGroupIds", "clusterSecurityGroupId", "vpcId", "endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs");
        var subnets = vpc.Strs("subnetIds");
        var network = new WorldReader(r.Obj("kubernetesNetworkConfig") ?? JObject.Empty, r.Path + ".kubernetesNetworkConfig", r.Problems, "serviceIpv4Cidr", "ipFamily");
        var status = r.OneOf("status", ClusterStatuses) ?? "ACTIVE";
        var cluster = new EksCluster
        {
            Name = name,
            Arn = Account.Arn("eks", $"cluster/{name}"),
            CreatedAt = r.Time("createdAt") ?? Now.AddDays(-300),
            Version = version,
            PlatformVersion = r.Str("platformVersion") ?? Calendar.Find(version)?.PlatformVersion ?? "eks.1",
            RoleArn = r.Req("roleArn"),
            VpcConfig = new EksVpcConfig(
                subnets,
                vpc.Strs("securityGroupIds"),
                vpc.Str("clusterSecurityGroupId") ?? $"sg-{EksWire.Hex(random, 17, upper: false)}",
                vpc.Str("vpcId") ?? SeededVpcOf(subnets, r) ?? $"vpc-{EksWire.Hex(random, 17, upper: false)}",
                vpc.Bool("endpointPublicAccess") ?? true,
                vpc.Bool("endpointPrivateAccess") ?? false,
                vpc.Raw.ContainsKey("publicAccessCidrs") ? vpc.Strs("publicAccessCidrs") : ["0.0.0.0/0"]),
            ServiceIpv4Cidr = network.Str("serviceIpv4Cidr") ?? "172.20.0.0/16",
            IpFamily = network.Str("ipFamily") ?? "ipv4",
            EnabledLogTypes = r.Strs("enabledLogTypes"),
            Endpoint = r.Str("endpoint") ?? $"https://{id}.gr7.{Account.Region}.eks.amazonaws.com",
            CertificateAuthorityData = r.Str("certificateAuthorityData") ?? EksWire.CertificateAuthorityData(random),
            OidcIssuer = r.Str("oidcIssuer") ?? $"https://oidc.eks.{Account.Region}.amazonaws.com/id/{id}",
            Status = status,
            Tags = r.Map("tags"),
            AuthenticationMode = r.OneOf("authenticationMode", "API", "API_AND_CONFIG_MAP", "CONFIG_MAP") ?? "CONFIG_MAP",
            SupportType = r.OneOf("supportType", "STANDARD", "EXTENDED") ?? "EXTENDED",
            Seeded = true,
        };
        if (_clusters.ContainsKey(name))
        {
            r.Problem($"cluster '{name}' is declared twice");
        }

        _clusters[name] = cluster;
        foreach (var (item, path) in r.Items("nodegroups"))
        {
            SeedNodegroup(cluster, new WorldReader(item, path, r.Problems,
                "name", "version", "releaseVersion", "status", "createdAt", "capacityType", "scalingConfig", "instanceTypes", "subnets",
                "amiType", "nodeRole", "labels", "taints", "diskSize", "updateConfig", "launchTemplate", "tags"));
        }

        foreach (var (item, path) in r.Items("addons"))
        {
            SeedAddon(cluster, new WorldReader(item, path, r.Problems, "name", "version", "status", "serviceAccountRoleArn", "configurationValues", "tags", "createdAt"));
        }

        foreach (var (item, path) in r.Items("podIdentityAssociations"))
        {
            var a = new WorldReader(item, path, r.Problems, "namespace", "serviceAccount", "roleArn", "tags", "ownerAddon", "targetRoleArn");
            var owner = a.Str("ownerAddon") is { } addonName ? cluster.Addons.GetValueOrDefault(addonName)?.Arn : null;
            var association = NewAssociation(cluster, a.Req("namespace"), a.Req("serviceAccount"), a.Req("roleArn"), a.Map("tags"), owner, disableSessionTags: false, a.Str("targetRoleArn"));
            if (owner is not null)
            {
                cluster.Addons.Values.First(x => x.Arn == owner).PodIdentityAssociationArns.Add(association.Arn);
            }
        }

        foreach (var (item, path) in r.Items("accessEntries"))
        {
            SeedAccessEntry(cluster, new WorldReader(item, path, r.Problems, "principalArn", "type", "kubernetesGroups", "username", "tags", "accessPolicies"));
        }

        foreach (var (item, path) in r.Items("insights"))
        {
            cluster.Insights.Add(ReadInsight(new WorldReader(item, path, r.Problems, InsightKeys), cluster));
        }

        if (status == "ACTIVE" && (r.Bool("workloadsReady") ?? true))
        {
            cluster.DeployableSince = Now;
            Account.Workloads.SetReady(name, true);
        }

        if (r.Bool("faulty") == true)
        {
            Account.Workloads.SetFaulty(name, true);
        }
    }

    private string? SeededVpcOf(List<string> subnets, WorldReader r)
    {
        try
        {
            return subnets.Count > 0 ? Network.VpcOf(subnets, Invalid) : null;
        }
        catch (AwsServiceException e)
        {
            r.Problem($"resourcesVpcConfig: {e.Message}");
            return null;
        }
    }

    private void SeedNodegroup(EksCluster cluster, WorldReader r)
    {
        var name = r.Req("name", "unnamed");
        var version = r.Str("version") ?? cluster.Version;
        var amiType = r.Req("amiType", "AL2023_x86_64_STANDARD");
        if (!AmiTypes.Contains(amiType))
        {
            r.Problem($"amiType '{amiType}' is not an EKS AMI type");
        }
        else if (IsAl2AmiType(amiType) && KubernetesVersionCalendar.MinorOf(version) >= 33)
        {
            r.Problem($"AMI Type {amiType} is only supported for kubernetes versions 1.32 or earlier");
        }

        var scaling = new WorldReader(r.Obj("scalingConfig") ?? JObject.Empty, r.Path + ".scalingConfig", r.Problems, "minSize", "maxSize", "desiredSize");
        var taints = r.Items("taints").Select(t =>
        {
            var tr = new WorldReader(t.Item, t.Path, r.Problems, "key", "value", "effect");
            return new EksTaint(tr.Req("key"), tr.Str("value"), tr.OneOf("effect", "NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE") ?? "NO_SCHEDULE");
        }).ToList();
        var id = EksWire.Uuid(Account.Random);
        var createdAt = r.Time("createdAt") ?? cluster.CreatedAt.AddMinutes(15);
        var launchTemplate = r.Obj("launchTemplate");
        cluster.Nodegroups[name] = new EksNodegroup
        {
            Name = name,
            Arn = Account.Arn("eks", $"nodegroup/{cluster.Name}/{name}/{id}"),
            ClusterName = cluster.Name,
            Version = version,
            ReleaseVersion = r.Str("releaseVersion") ?? ReleaseVersionFor(amiType, version),
            CreatedAt = createdAt,
            ModifiedAt = createdAt,
            Status = r.OneOf("status", "ACTIVE", "CREATING", "CREATE_FAILED", "DEGRADED", "UPDATING") ?? "ACTIVE",
            CapacityType = r.OneOf("capacityType", "ON_DEMAND", "SPOT", "CAPACITY_BLOCK") ?? "ON_DEMAND",
            MinSize = scaling.Int("minSize") ?? 1,
            MaxSize = scaling.Int("maxSize") ?? 2,
            DesiredSize = scaling.Int("desiredSize") ?? 2,
            InstanceTypes = r.Strs("instanceTypes"),
            Subnets = r.Raw.ContainsKey("subnets") ? r.Strs("subnets") : cluster.VpcConfig.SubnetIds,
            AmiType = amiType,
            NodeRole = r.Req("nodeRole"),
            Labels = r.Map("labels"),
            Taints = taints,
            AutoScalingGroupName = $"eks-{name}-{id}",
            DiskSize = launchTemplate is null ? r.Int("diskSize") ?? 20 : null,
            UpdateConfig = r.Obj("updateConfig") is { } update ? (JObject)WorldReader.Pascalize(update) : JObject.Of(("MaxUnavailable", 1)),
            LaunchTemplate = launchTemplate is null ? null : (JObject)WorldReader.Pascalize(launchTemplate),
            Tags = r.Map("tags"),
        };
    }

    private void SeedAddon(EksCluster cluster, WorldReader r)
    {
        var name = r.Req("name", "unnamed");
        var info = AddonCatalog.Find(name);
        var version = r.Str("version") ?? info?.DefaultFor(cluster.Version)?.Version ?? string.Empty;
        if (info is null)
        {
            r.Problem($"'{name}' is not in the add-on catalog ({string.Join(", ", AddonCatalog.All.Select(a => a.Name))})");
        }
        else if (!info.CompatibleWith(cluster.Version).Any(v => v.Version == version))
        {
            r.Problem($"version '{version}' of {name} is not compatible with Kubernetes {cluster.Version} (compatible: {string.Join(", ", info.CompatibleWith(cluster.Version).Select(v => v.Version))})");
        }

        var createdAt = r.Time("createdAt") ?? cluster.CreatedAt.AddMinutes(12);
        cluster.Addons[name] = new EksAddon
        {
            Name = name,
            ClusterName = cluster.Name,
            Version = version,
            Arn = Account.Arn("eks", $"addon/{cluster.Name}/{name}/{EksWire.Uuid(Account.Random)}"),
            CreatedAt = createdAt,
            ModifiedAt = createdAt,
            Status = r.OneOf("status", "ACTIVE", "CREATING", "DEGRADED", "CREATE_FAILED") ?? "ACTIVE",
            ServiceAccountRoleArn = r.Str("serviceAccountRoleArn"),
            ConfigurationValues = r.Str("configurationValues"),
            Tags = r.Map("tags"),
            NeedsNodes = info?.NeedsNodes ?? false,
        };
    }

    private void SeedAccessEntry(EksCluster cluster, WorldReader r)
    {
        if (cluster.AuthenticationMode == "CONFIG_MAP")
        {
            r.Problem($"cluster '{cluster.Name}' uses authentication mode CONFIG_MAP, which has no access entries");
        }

        var type = r.OneOf("type", [.. AccessEntryTypes]) ?? "STANDARD";
        var entry = NewAccessEntry(cluster, r.Req("principalArn"), type, r.Strs("kubernetesGroups"), r.Str("username"), r.Map("tags"));
        foreach (var (item, path) in r.Items("accessPolicies"))
        {
            var pr = new WorldReader(item, path, r.Problems, "policyArn", "accessScope");
            var scope = new WorldReader(pr.Obj("accessScope") ?? JObject.Of(("type", "cluster")), path + ".accessScope", r.Problems, "type", "namespaces");
            var policyArn = pr.Req("policyArn");
            if (!policyArn.StartsWith(AccessPolicyArnPrefix, StringComparison.Ordinal) || !AccessPolicies.Contains(policyArn[AccessPolicyArnPrefix.Length..]))
            {
                pr.Problem($"'{policyArn}' is not an EKS access policy ARN ({AccessPolicyArnPrefix}NAME)");
            }

            entry.Policies.Add(new EksAssociatedPolicy
            {
                PolicyArn = policyArn,
                ScopeType = scope.OneOf("type", "cluster", "namespace") ?? "cluster",
                Namespaces = scope.Strs("namespaces"),
                AssociatedAt = entry.CreatedAt,
                ModifiedAt = entry.CreatedAt,
            });
        }

        cluster.AccessEntries[entry.PrincipalArn] = entry;
    }

    private static readonly string[] InsightKeys =
        ["id", "name", "category", "kubernetesVersion", "status", "reason", "description", "recommendation", "lastRefreshTime", "lastTransitionTime", "additionalInfo", "resources", "categorySpecificSummary"];

    private EksInsight ReadInsight(WorldReader r, EksCluster cluster)
    {
        var nextMinor = KubernetesVersionCalendar.MinorOf(cluster.Version) + 1;
        return new EksInsight
        {
            Id = r.Str("id") ?? EksWire.Uuid(Account.Random),
            Name = r.Req("name"),
            Category = r.OneOf("category", "UPGRADE_READINESS", "MISCONFIGURATION", "ROLLBACK_READINESS") ?? "UPGRADE_READINESS",
            KubernetesVersion = r.Str("kubernetesVersion") ?? $"1.{nextMinor}",
            LastRefreshTime = r.Time("lastRefreshTime") ?? Now.AddHours(-6),
            LastTransitionTime = r.Time("lastTransitionTime") ?? Now.AddDays(-7),
            Description = r.Str("description") ?? string.Empty,
            Status = r.OneOf("status", "PASSING", "WARNING", "ERROR", "UNKNOWN") ?? "PASSING",
            Reason = r.Str("reason") ?? string.Empty,
            Recommendation = r.Str("recommendation") ?? string.Empty,
            AdditionalInfo = r.Map("additionalInfo"),
            Resources = r.Raw.GetArray("resources") is { } resources ? (JArray)WorldReader.Pascalize(resources) : JArray.Empty,
            CategorySpecificSummary = r.Obj("categorySpecificSummary") is { } summary ? (JObject)WorldReader.Pascalize(summary) : JObject.Empty,
        };
    }
}
