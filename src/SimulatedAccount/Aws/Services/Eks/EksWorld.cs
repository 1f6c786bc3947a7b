using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// Builds EKS's part of the world from the scenario's <c>eks</c> section: behaviour, versions, network, Argo CD, and the
/// clusters with their node groups, add-ons, associations, access entries, insights and Fargate profiles. Every problem
/// of the section is reported at once.
/// </summary>
internal sealed class EksWorld(EksStore store, EksNodegroups nodegroups, EksPodIdentity podIdentity, EksAccessEntries accessEntries, EksVersionsAndInsights insights, EksFargate fargate) : EksResource(store)
{
    private static readonly string[] ClusterStatuses = ["ACTIVE", "CREATING", "FAILED", "UPDATING"];

    public void Seed(JObject section)
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
        Store.ArgoCd.Seed(root.Obj("argocd"), problems);
        foreach (var (item, path) in root.Items("clusters"))
        {
            SeedCluster(new WorldReader(item, path, problems,
                "name", "version", "status", "platformVersion", "createdAt", "roleArn", "authenticationMode", "resourcesVpcConfig",
                "kubernetesNetworkConfig", "enabledLogTypes", "endpoint", "certificateAuthorityData", "oidcIssuer", "supportType", "tags",
                "workloadsReady", "faulty", "nodegroups", "addons", "podIdentityAssociations", "accessEntries", "insights"));
        }

        foreach (var (item, path) in root.Items("fargateProfiles"))
        {
            fargate.Seed(new WorldReader(item, path, problems, "clusterName", "name", "podExecutionRoleArn", "selectors", "subnets", "tags"));
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
        var id = Ids.Hex(random, 32, upper: true);
        var vpc = new WorldReader(r.Obj("resourcesVpcConfig") ?? JObject.Empty, r.Path + ".resourcesVpcConfig", r.Problems,
            "subnetIds", "securityGroupIds", "clusterSecurityGroupId", "vpcId", "endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs");
        var subnets = vpc.Strs("subnetIds");
        var network = new WorldReader(r.Obj("kubernetesNetworkConfig") ?? JObject.Empty, r.Path + ".kubernetesNetworkConfig", r.Problems, "serviceIpv4Cidr", "ipFamily");
        var status = r.OneOf("status", ClusterStatuses) ?? "ACTIVE";
        var cluster = new SimulatedCluster
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
                vpc.Str("clusterSecurityGroupId") ?? $"sg-{Ids.Hex(random, 17, upper: false)}",
                vpc.Str("vpcId") ?? SeededVpcOf(subnets, r) ?? $"vpc-{Ids.Hex(random, 17, upper: false)}",
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
        if (Clusters.ContainsKey(name))
        {
            r.Problem($"cluster '{name}' is declared twice");
        }

        Clusters[name] = cluster;
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
            var association = podIdentity.New(cluster, a.Req("namespace"), a.Req("serviceAccount"), a.Req("roleArn"), a.Map("tags"), owner, disableSessionTags: false, a.Str("targetRoleArn"));
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
            cluster.Insights.Add(insights.ReadInsight(new WorldReader(item, path, r.Problems, EksVersionsAndInsights.InsightKeys), cluster));
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

    private void SeedNodegroup(SimulatedCluster cluster, WorldReader r)
    {
        var name = r.Req("name", "unnamed");
        var version = r.Str("version") ?? cluster.Version;
        var amiType = r.Req("amiType", "AL2023_x86_64_STANDARD");
        if (!EksAmiTypes.All.Contains(amiType))
        {
            r.Problem($"amiType '{amiType}' is not an EKS AMI type");
        }
        else if (EksAmiTypes.IsAl2(amiType) && KubernetesVersionCalendar.MinorOf(version) >= 33)
        {
            r.Problem($"AMI Type {amiType} is only supported for kubernetes versions 1.32 or earlier");
        }

        var scaling = new WorldReader(r.Obj("scalingConfig") ?? JObject.Empty, r.Path + ".scalingConfig", r.Problems, "minSize", "maxSize", "desiredSize");
        var taints = r.Items("taints").Select(t =>
        {
            var tr = new WorldReader(t.Item, t.Path, r.Problems, "key", "value", "effect");
            return new EksTaint(tr.Req("key"), tr.Str("value"), tr.OneOf("effect", "NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE") ?? "NO_SCHEDULE");
        }).ToList();
        var id = Ids.Uuid(Account.Random);
        var createdAt = r.Time("createdAt") ?? cluster.CreatedAt.AddMinutes(15);
        var launchTemplate = r.Obj("launchTemplate");
        cluster.Nodegroups[name] = new EksNodegroup
        {
            Name = name,
            Arn = Account.Arn("eks", $"nodegroup/{cluster.Name}/{name}/{id}"),
            ClusterName = cluster.Name,
            Version = version,
            ReleaseVersion = r.Str("releaseVersion") ?? nodegroups.ReleaseVersionFor(amiType, version),
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

    private void SeedAddon(SimulatedCluster cluster, WorldReader r)
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
            Arn = Account.Arn("eks", $"addon/{cluster.Name}/{name}/{Ids.Uuid(Account.Random)}"),
            CreatedAt = createdAt,
            ModifiedAt = createdAt,
            Status = r.OneOf("status", "ACTIVE", "CREATING", "DEGRADED", "CREATE_FAILED") ?? "ACTIVE",
            ServiceAccountRoleArn = r.Str("serviceAccountRoleArn"),
            ConfigurationValues = r.Str("configurationValues"),
            Tags = r.Map("tags"),
            NeedsNodes = info?.NeedsNodes ?? false,
        };
    }

    private void SeedAccessEntry(SimulatedCluster cluster, WorldReader r)
    {
        if (cluster.AuthenticationMode == "CONFIG_MAP")
        {
            r.Problem($"cluster '{cluster.Name}' uses authentication mode CONFIG_MAP, which has no access entries");
        }

        var type = r.OneOf("type", [.. EksAccessEntries.AccessEntryTypes]) ?? "STANDARD";
        var entry = accessEntries.New(cluster, r.Req("principalArn"), type, r.Strs("kubernetesGroups"), r.Str("username"), r.Map("tags"));
        foreach (var (item, path) in r.Items("accessPolicies"))
        {
            var pr = new WorldReader(item, path, r.Problems, "policyArn", "accessScope");
            var scope = new WorldReader(pr.Obj("accessScope") ?? JObject.Of(("type", "cluster")), path + ".accessScope", r.Problems, "type", "namespaces");
            var policyArn = pr.Req("policyArn");
            if (!policyArn.StartsWith(EksAccessEntries.AccessPolicyArnPrefix, StringComparison.Ordinal) || !EksAccessEntries.AccessPolicies.Contains(policyArn[EksAccessEntries.AccessPolicyArnPrefix.Length..]))
            {
                pr.Problem($"'{policyArn}' is not an EKS access policy ARN ({EksAccessEntries.AccessPolicyArnPrefix}NAME)");
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
}
