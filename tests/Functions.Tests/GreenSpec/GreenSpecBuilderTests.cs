using BlueGreen.Functions.Preflight;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.GreenSpec;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.GreenSpec;

public class GreenSpecBuilderTests
{
    private static BuildGreenSpecRequest Request(
        EksCluster? cluster = null,
        IReadOnlyList<Nodegroup>? nodegroups = null,
        IReadOnlyList<Addon>? addons = null,
        IReadOnlyList<AddonInfo>? addonVersions = null,
        IReadOnlyList<PodIdentityAssociation>? podIdentities = null,
        IReadOnlyList<BlueAccessEntry>? accessEntries = null) => new()
        {
            Plan = Inputs.AlbPlan(),
            Cluster = cluster ?? BlueCluster.Cluster(),
            Nodegroups = nodegroups ?? [BlueCluster.Nodegroup()],
            Addons = addons ?? BlueCluster.CoreAddons(),
            AddonVersions = addonVersions ?? BlueCluster.CoreAddonVersions(),
            PodIdentityAssociations = podIdentities ?? [],
            AccessEntries = accessEntries ?? [],
            CreatorRoleArn = BlueCluster.WorkflowRole,
        };

    private static BlueAccessEntry Entry(string principal, string type = "STANDARD", params AssociatedAccessPolicy[] policies) => new()
    {
        AccessEntry = new AccessEntry
        {
            ClusterName = "shop-blue",
            PrincipalArn = principal,
            Type = type,
            Username = type == "STANDARD" ? "admin" : "system:node:{{EC2PrivateDNSName}}",
            KubernetesGroups = type == "STANDARD" ? ["platform"] : ["system:nodes"],
        },
        AssociatedAccessPolicies = policies,
    };

    [Fact]
    public void Build_Cluster_CopiesBlueAtTheTargetVersion()
    {
        var spec = GreenSpecBuilder.Build(Request());
        var create = spec.CreateCluster;

        Assert.Equal("shop-green", create.Name);
        Assert.Equal("1.34", create.Version);
        Assert.Equal(BlueCluster.ClusterRole, create.RoleArn);
        Assert.Equal(["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"], create.ResourcesVpcConfig.SubnetIds);
        Assert.Equal(["sg-0123456789abcdef0"], create.ResourcesVpcConfig.SecurityGroupIds);
        Assert.Equal(["203.0.113.0/24"], create.ResourcesVpcConfig.PublicAccessCidrs);
        Assert.Equal("10.100.0.0/16", create.KubernetesNetworkConfig!.ServiceIpv4Cidr);
        Assert.Equal(["api", "audit"], create.Logging!.ClusterLogging![0].Types);
        Assert.Equal("arn:aws:kms:ap-northeast-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", create.EncryptionConfig![0].Provider!.KeyArn);
        Assert.Equal("API_AND_CONFIG_MAP", create.AccessConfig!.AuthenticationMode);
        Assert.True(create.AccessConfig.BootstrapClusterCreatorAdminPermissions);
        Assert.Equal(Inputs.AlbPlan().ClientRequestToken, create.ClientRequestToken);
        Assert.Equal("STANDARD", create.UpgradePolicy!.Value.GetProperty("SupportType").GetString());
    }

    [Fact]
    public void Build_Cluster_TagsKeepBlueOnesAndNameTheRun()
    {
        var tags = GreenSpecBuilder.Build(Request()).CreateCluster.Tags!;

        Assert.Equal("shop", tags["team"]);
        Assert.False(tags.ContainsKey("aws:cloudformation:stack-name"));
        Assert.Equal(Inputs.AlbPlan().RunId, tags["bluegreen:run-id"]);
        Assert.Equal("green", tags["bluegreen:role"]);
        Assert.Equal("shop-blue", tags["bluegreen:blue-cluster"]);
    }

    [Fact]
    public void Build_ConfigMapOnlyBlue_GreenUsesAModeWithAccessEntries()
    {
        var cluster = BlueCluster.Cluster() with { AccessConfig = new AccessConfigResponse { AuthenticationMode = "CONFIG_MAP" } };

        var spec = GreenSpecBuilder.Build(Request(cluster: cluster));

        Assert.Equal("API_AND_CONFIG_MAP", spec.CreateCluster.AccessConfig!.AuthenticationMode);
        Assert.Contains(spec.Notes, n => n.Contains("CONFIG_MAP", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_CoreAddonsManaged_DisablesSelfManagedBootstrap()
    {
        Assert.False(GreenSpecBuilder.Build(Request()).CreateCluster.BootstrapSelfManagedAddons);
        Assert.Null(GreenSpecBuilder.Build(Request(addons: [BlueCluster.Addon("vpc-cni", "v1.19.2-eksbuild.1")])).CreateCluster.BootstrapSelfManagedAddons);
    }

    [Fact]
    public void Build_Nodegroup_KeepsShapeAndMovesAl2ToAl2023()
    {
        var spec = GreenSpecBuilder.Build(Request());
        var group = Assert.Single(spec.Nodegroups);

        Assert.Equal("shop-green", group.ClusterName);
        Assert.Equal("general", group.NodegroupName);
        Assert.Equal("AL2023_x86_64_STANDARD", group.AmiType);
        Assert.Equal(new NodegroupScalingConfig { MinSize = 2, MaxSize = 10, DesiredSize = 4 }, group.ScalingConfig);
        Assert.Equal(["m6i.xlarge"], group.InstanceTypes);
        Assert.Equal("ON_DEMAND", group.CapacityType);
        Assert.Equal(BlueCluster.NodeRole, group.NodeRole);
        Assert.Equal("general", group.Labels!["workload"]);
        Assert.Equal("NO_SCHEDULE", Assert.Single(group.Taints!).Effect);
        Assert.Equal(25, group.UpdateConfig!.MaxUnavailablePercentage);
        Assert.Equal(50, group.DiskSize);
        Assert.Equal("ops", group.RemoteAccess!.Ec2SshKey);
        Assert.Equal("1.34", group.Version);
        Assert.Contains(spec.Notes, n => n == "nodegroup general: AMI type AL2_x86_64 -> AL2023_x86_64_STANDARD (Amazon Linux 2 AMIs are not published for Kubernetes 1.34)");
    }

    [Theory]
    [InlineData("AL2_x86_64", "AL2023_x86_64_STANDARD")]
    [InlineData("AL2_ARM_64", "AL2023_ARM_64_STANDARD")]
    [InlineData("AL2_x86_64_GPU", "AL2023_x86_64_NVIDIA")]
    [InlineData("BOTTLEROCKET_x86_64", "BOTTLEROCKET_x86_64")]
    [InlineData("AL2023_ARM_64_STANDARD", "AL2023_ARM_64_STANDARD")]
    public void Build_AmiTypes_MapToTheirTargetFamily(string blue, string green)
    {
        var group = Assert.Single(GreenSpecBuilder.Build(Request(nodegroups: [BlueCluster.Nodegroup("ng", blue)])).Nodegroups);

        Assert.Equal(green, group.AmiType);
    }

    [Theory]
    [InlineData("inf2.xlarge")]
    [InlineData("inf1.6xlarge", "inf2.24xlarge")]
    [InlineData("trn1.32xlarge", "trn1n.32xlarge")]
    [InlineData("trn2.48xlarge")]
    public void Build_Al2GpuOnInferentiaOrTrainium_MovesToTheNeuronAmi(params string[] instanceTypes)
    {
        var blue = BlueCluster.Nodegroup("ml", "AL2_x86_64_GPU") with { InstanceTypes = instanceTypes };

        var spec = GreenSpecBuilder.Build(Request(nodegroups: [blue]));

        Assert.Equal("AL2023_x86_64_NEURON", Assert.Single(spec.Nodegroups).AmiType);
        Assert.Contains(spec.Notes, n => n.StartsWith("nodegroup ml: AMI type AL2_x86_64_GPU -> AL2023_x86_64_NEURON", StringComparison.Ordinal) && n.Contains("Inferentia/Trainium", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("g5.xlarge")]
    [InlineData("p4d.24xlarge", "g6e.12xlarge")]
    public void Build_Al2GpuOnNvidiaInstances_KeepsTheNvidiaAmi(params string[] instanceTypes)
    {
        var blue = BlueCluster.Nodegroup("gpu", "AL2_x86_64_GPU") with { InstanceTypes = instanceTypes };

        Assert.Equal("AL2023_x86_64_NVIDIA", Assert.Single(GreenSpecBuilder.Build(Request(nodegroups: [blue])).Nodegroups).AmiType);
    }

    [Fact]
    public void Build_Al2GpuMixingNeuronAndNvidiaInstances_IsRefusedNamingBoth()
    {
        var blue = BlueCluster.Nodegroup("mixed", "AL2_x86_64_GPU") with { InstanceTypes = ["g5.2xlarge", "inf2.8xlarge"] };

        var error = Assert.Throws<UnsupportedClusterConfiguration>(() => GreenSpecBuilder.Build(Request(nodegroups: [BlueCluster.Nodegroup(), blue])));

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("nodegroup mixed uses AL2_x86_64_GPU on Inferentia/Trainium instance types (inf2.8xlarge) and others (g5.2xlarge)", problem, StringComparison.Ordinal);
        Assert.Contains("AL2023_x86_64_NEURON", problem, StringComparison.Ordinal);
        Assert.Contains("Split it", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Al2GpuWithInstanceTypesFromItsLaunchTemplate_IsRefused()
    {
        var blue = BlueCluster.Nodegroup("gpu", "AL2_x86_64_GPU").WithLaunchTemplate() with { InstanceTypes = null };

        var error = Assert.Throws<UnsupportedClusterConfiguration>(() => GreenSpecBuilder.Build(Request(nodegroups: [blue])));

        Assert.Contains("does not name its instance types", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Al2GpuBefore133_IsKeptWhateverTheInstanceTypes()
    {
        var request = Request(nodegroups: [BlueCluster.Nodegroup("mixed", "AL2_x86_64_GPU") with { InstanceTypes = null }]);
        request = request with { Plan = request.Plan with { TargetVersion = "1.32" } };

        var spec = GreenSpecBuilder.Build(request with { AddonVersions = [.. BlueCluster.CoreAddonVersions().Select(a => a with { AddonVersions = [.. a.AddonVersions!.Select(v => v with { Compatibilities = [new AddonCompatibility { ClusterVersion = "1.32", DefaultVersion = true }] })] })] });

        Assert.Equal("AL2_x86_64_GPU", Assert.Single(spec.Nodegroups).AmiType);
    }

    [Fact]
    public void Build_TargetBefore133_KeepsAl2()
    {
        var request = Request(nodegroups: [BlueCluster.Nodegroup("ng", "AL2_x86_64")]);
        request = request with { Plan = request.Plan with { TargetVersion = "1.32" } };

        var spec = GreenSpecBuilder.Build(request with { AddonVersions = [.. BlueCluster.CoreAddonVersions().Select(a => a with { AddonVersions = [.. a.AddonVersions!.Select(v => v with { Compatibilities = [new AddonCompatibility { ClusterVersion = "1.32", DefaultVersion = true }] })] })] });

        Assert.Equal("AL2_x86_64", Assert.Single(spec.Nodegroups).AmiType);
    }

    [Fact]
    public void Build_LaunchTemplate_KeptByIdAndVersionWithoutDiskSize()
    {
        var blue = BlueCluster.Nodegroup() with
        {
            LaunchTemplate = new LaunchTemplateSpecification { Id = "lt-0123456789abcdef0", Name = "shop-general", Version = "7" },
        };

        var spec = GreenSpecBuilder.Build(Request(nodegroups: [blue]));
        var group = Assert.Single(spec.Nodegroups);

        Assert.Equal(new LaunchTemplateSpecification { Id = "lt-0123456789abcdef0", Version = "7" }, group.LaunchTemplate);
        Assert.Null(group.DiskSize);
        Assert.Null(group.RemoteAccess);
        Assert.Contains(spec.Notes, n => n.Contains("launch template's user data must suit Amazon Linux 2023", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_LaunchTemplateByNameOnly_KeptByName()
    {
        var blue = BlueCluster.Nodegroup("ng", "AL2023_x86_64_STANDARD") with { LaunchTemplate = new LaunchTemplateSpecification { Name = "shop-general", Version = "3" } };

        var group = Assert.Single(GreenSpecBuilder.Build(Request(nodegroups: [blue])).Nodegroups);

        Assert.Equal(new LaunchTemplateSpecification { Name = "shop-general", Version = "3" }, group.LaunchTemplate);
    }

    [Fact]
    public void Build_Nodegroups_GetDistinctStableTokens()
    {
        var request = Request(nodegroups: [BlueCluster.Nodegroup("a"), BlueCluster.Nodegroup("b")]);

        var first = GreenSpecBuilder.Build(request).Nodegroups;
        var again = GreenSpecBuilder.Build(request).Nodegroups;

        Assert.NotEqual(first[0].ClientRequestToken, first[1].ClientRequestToken);
        Assert.Equal(first.Select(n => n.ClientRequestToken), again.Select(n => n.ClientRequestToken));
        Assert.All(first, n => Assert.InRange(n.ClientRequestToken.Length, 1, 64));
    }

    [Fact]
    public void Build_Addons_UseTheTargetsDefaultVersion()
    {
        var spec = GreenSpecBuilder.Build(Request());

        var cni = spec.Addons.Single(a => a.AddonName == "vpc-cni");
        Assert.Equal("v1.20.0-eksbuild.1", cni.AddonVersion);
        Assert.Equal("shop-green", cni.ClusterName);
        Assert.Equal("OVERWRITE", cni.ResolveConflicts);
        Assert.Contains(spec.Notes, n => n == "add-on vpc-cni: v1.19.2-eksbuild.1 -> v1.20.0-eksbuild.1 (the default for Kubernetes 1.34)");
    }

    [Fact]
    public void Build_AddonWithoutDefault_TakesNewestCompatible()
    {
        var versions = new[] { BlueCluster.Versions("aws-ebs-csi-driver", ("v1.44.0-eksbuild.1", "1.34", false), ("v1.45.0-eksbuild.2", "1.34", false), ("v1.9.0-eksbuild.1", "1.34", false)) };

        var spec = GreenSpecBuilder.Build(Request(addons: [BlueCluster.Addon("aws-ebs-csi-driver", "v1.40.0-eksbuild.1")], addonVersions: versions));

        Assert.Equal("v1.45.0-eksbuild.2", Assert.Single(spec.Addons).AddonVersion);
        Assert.Contains(spec.Notes, n => n.Contains("newest compatible", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_AddonsWithNoCompatibleVersion_ThrowsNamingEachOne()
    {
        var addons = new[] { BlueCluster.Addon("vpc-cni", "v1.19.2-eksbuild.1"), BlueCluster.Addon("legacy-addon", "v0.1.0"), BlueCluster.Addon("old-csi", "v1.0.0") };
        var versions = new[] { BlueCluster.Versions("vpc-cni", ("v1.20.0-eksbuild.1", "1.34", true)), BlueCluster.Versions("old-csi", ("v1.0.0", "1.31", true)) };

        var error = Assert.Throws<NoCompatibleAddonVersion>(() => GreenSpecBuilder.Build(Request(addons: addons, addonVersions: versions)));

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains("add-on legacy-addon", error.Message, StringComparison.Ordinal);
        Assert.Contains("add-on old-csi", error.Message, StringComparison.Ordinal);
        Assert.Contains("Kubernetes 1.34", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_AddonSettings_AreCarriedOver()
    {
        var addon = BlueCluster.Addon("vpc-cni", "v1.19.2-eksbuild.1") with
        {
            ServiceAccountRoleArn = "arn:aws:iam::111122223333:role/vpc-cni-irsa",
            ConfigurationValues = "{\"env\":{\"ENABLE_PREFIX_DELEGATION\":\"true\"}}",
            NamespaceConfig = new AddonNamespaceConfig { Namespace = "kube-system" },
        };

        var created = Assert.Single(GreenSpecBuilder.Build(Request(addons: [addon])).Addons);

        Assert.Equal("arn:aws:iam::111122223333:role/vpc-cni-irsa", created.ServiceAccountRoleArn);
        Assert.Equal(addon.ConfigurationValues, created.ConfigurationValues);
        Assert.Equal("kube-system", created.NamespaceConfig!.Namespace);
    }

    [Fact]
    public void Build_PodIdentities_SameRolesAndAddonOwnedOnesGoThroughTheAddon()
    {
        var addon = BlueCluster.Addon("aws-ebs-csi-driver", "v1.40.0-eksbuild.1");
        var owned = new PodIdentityAssociation
        {
            Namespace = "kube-system", ServiceAccount = "ebs-csi-controller-sa", RoleArn = "arn:aws:iam::111122223333:role/ebs-csi",
            AssociationArn = "arn:aws:eks:ap-northeast-2:111122223333:podidentityassociation/shop-blue/a-1", OwnerArn = addon.AddonArn,
        };
        var standalone = new PodIdentityAssociation
        {
            Namespace = "shop", ServiceAccount = "orders", RoleArn = "arn:aws:iam::111122223333:role/orders",
            AssociationArn = "arn:aws:eks:ap-northeast-2:111122223333:podidentityassociation/shop-blue/a-2",
            TargetRoleArn = "arn:aws:iam::444455556666:role/orders-cross-account", DisableSessionTags = true,
        };
        var versions = new[] { BlueCluster.Versions("aws-ebs-csi-driver", ("v1.45.0-eksbuild.1", "1.34", true)) };

        var spec = GreenSpecBuilder.Build(Request(addons: [addon], addonVersions: versions, podIdentities: [owned, standalone]));

        var created = Assert.Single(spec.PodIdentityAssociations);
        Assert.Equal(("shop-green", "shop", "orders", "arn:aws:iam::111122223333:role/orders"), (created.ClusterName, created.Namespace, created.ServiceAccount, created.RoleArn));
        Assert.Equal("arn:aws:iam::444455556666:role/orders-cross-account", created.TargetRoleArn);
        Assert.True(created.DisableSessionTags);
        var viaAddon = Assert.Single(Assert.Single(spec.Addons).PodIdentityAssociations!);
        Assert.Equal(("ebs-csi-controller-sa", "arn:aws:iam::111122223333:role/ebs-csi"), (viaAddon.ServiceAccount, viaAddon.RoleArn));
        Assert.Contains(spec.Skipped, s => s.Kind == "podIdentityAssociation" && s.Name == "kube-system/ebs-csi-controller-sa");
    }

    [Fact]
    public void Build_AccessEntries_SkipsCreatorAndManagedNodeRolesKeepsTheRest()
    {
        var adminPolicy = new AssociatedAccessPolicy
        {
            PolicyArn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            AccessScope = new AccessScope { Type = "cluster" },
        };
        var viewPolicy = new AssociatedAccessPolicy
        {
            PolicyArn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
            AccessScope = new AccessScope { Type = "namespace", Namespaces = ["shop"] },
        };
        var entries = new[]
        {
            // The workflow role's entry on Blue (listed without its path): EKS creates it on Green.
            Entry("arn:aws:iam::111122223333:role/eks-bluegreen-statemachine", "STANDARD", adminPolicy),
            Entry(BlueCluster.NodeRole, "EC2_LINUX"),
            Entry("arn:aws:iam::111122223333:role/self-managed-nodes", "EC2_LINUX"),
            Entry(BlueCluster.AdminRole, "STANDARD", adminPolicy, viewPolicy),
        };

        var spec = GreenSpecBuilder.Build(Request(accessEntries: entries));

        Assert.Equal(["arn:aws:iam::111122223333:role/self-managed-nodes", BlueCluster.AdminRole], spec.AccessEntries.Select(e => e.CreateAccessEntry.PrincipalArn));
        var nodes = spec.AccessEntries[0].CreateAccessEntry;
        Assert.Equal("EC2_LINUX", nodes.Type);
        Assert.Null(nodes.KubernetesGroups);
        Assert.Null(nodes.Username);
        var admin = spec.AccessEntries[1];
        Assert.Equal(["platform"], admin.CreateAccessEntry.KubernetesGroups);
        Assert.Equal("admin", admin.CreateAccessEntry.Username);
        Assert.Equal("shop-green", admin.CreateAccessEntry.ClusterName);
        Assert.Equal(2, admin.AssociateAccessPolicies.Count);
        Assert.Equal(["shop"], admin.AssociateAccessPolicies[1].AccessScope.Namespaces!);
        Assert.Equal(2, spec.Skipped.Count(s => s.Kind == "accessEntry"));
        Assert.Contains(spec.Skipped, s => s.Name == BlueCluster.NodeRole && s.Reason.Contains("managed nodegroup", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_OutpostsCluster_IsUnsupported()
    {
        var cluster = BlueCluster.Cluster() with { OutpostConfig = System.Text.Json.JsonDocument.Parse("{\"OutpostArns\":[\"x\"]}").RootElement };

        var error = Assert.Throws<UnsupportedClusterConfiguration>(() => GreenSpecBuilder.Build(Request(cluster: cluster)));

        Assert.Contains("Outposts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TooManyTags_IsUnsupported()
    {
        var tags = Enumerable.Range(0, 48).ToDictionary(i => $"tag{i}", i => "v");

        var error = Assert.Throws<UnsupportedClusterConfiguration>(() => GreenSpecBuilder.Build(Request(cluster: BlueCluster.Cluster() with { Tags = tags })));

        Assert.Contains("over EKS's limit of 50", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddonVersionSelector_ComparesVersionsNumerically()
    {
        var choice = AddonVersionSelector.Select("x", "1.34", [BlueCluster.Versions("x", ("v1.9.0-eksbuild.1", "1.34", true), ("v1.10.0-eksbuild.1", "1.34", true))]);

        Assert.Equal(new AddonVersionChoice("v1.10.0-eksbuild.1", IsDefault: true), choice);
    }

    [Fact]
    public void Build_WithTheDeploymentsRoles_RefusesEveryRoleGreenWouldGetThatItMayNotPass()
    {
        var deployment = Inputs.Deployment(clusterRoles: "some-other-cluster-role", nodeRoles: "some-other-node-role");
        var karpenter = "arn:aws:iam::111122223333:role/shop-karpenter-node";

        var error = Assert.Throws<PreflightFailed>(() => GreenSpecBuilder.Build(Request(accessEntries: [Entry(karpenter, "EC2_LINUX")]) with { Deployment = deployment }));

        Assert.Contains(error.Problems, p => p.Contains("(the cluster role) is not among the roles this deployment may pass (bluegreen:clusterRoles: some-other-cluster-role)", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("node role) is not among the roles this deployment may pass (bluegreen:nodeRoles", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith(karpenter + " (the EC2_LINUX access entry's node role)", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_WithTheDeploymentsRoles_PassesWhenEveryRoleIsAllowed()
    {
        var deployment = Inputs.Deployment(clusterRoles: "*", nodeRoles: "*");

        Assert.NotNull(GreenSpecBuilder.Build(Request() with { Deployment = deployment }));
    }
}
