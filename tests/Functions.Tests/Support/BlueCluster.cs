using System.Text.Json;
using BlueGreen.Functions.Aws;

namespace BlueGreen.Functions.Tests.Support;

/// <summary>Descriptions of a realistic Blue (shop-blue, 1.32, ap-northeast-2) as SDK integrations return them.</summary>
internal static class BlueCluster
{
    public const string Account = "111122223333";
    public const string ClusterRole = "arn:aws:iam::111122223333:role/eks-cluster-role";
    public const string NodeRole = "arn:aws:iam::111122223333:role/eks-node-role";
    public const string WorkflowRole = "arn:aws:iam::111122223333:role/service-role/eks-bluegreen-statemachine";
    public const string AdminRole = "arn:aws:iam::111122223333:role/platform-admin";

    public static EksCluster Cluster() => new()
    {
        Name = "shop-blue",
        Arn = "arn:aws:eks:ap-northeast-2:111122223333:cluster/shop-blue",
        Version = "1.32",
        Status = "ACTIVE",
        RoleArn = ClusterRole,
        ResourcesVpcConfig = new VpcConfigResponse
        {
            SubnetIds = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
            SecurityGroupIds = ["sg-0123456789abcdef0"],
            ClusterSecurityGroupId = "sg-0fedcba9876543210",
            VpcId = "vpc-0abc1234def567890",
            EndpointPublicAccess = true,
            EndpointPrivateAccess = true,
            PublicAccessCidrs = ["203.0.113.0/24"],
        },
        KubernetesNetworkConfig = new KubernetesNetworkConfigResponse { ServiceIpv4Cidr = "10.100.0.0/16", IpFamily = "ipv4" },
        Logging = new EksLogging { ClusterLogging = [new LogSetup { Types = ["api", "audit"], Enabled = true }] },
        Tags = new Dictionary<string, string> { ["team"] = "shop", ["aws:cloudformation:stack-name"] = "shop", ["bluegreen:run-id"] = "old-run" },
        EncryptionConfig = [new EncryptionConfig { Resources = ["secrets"], Provider = new EncryptionProvider { KeyArn = "arn:aws:kms:ap-northeast-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" } }],
        AccessConfig = new AccessConfigResponse { AuthenticationMode = "API_AND_CONFIG_MAP", BootstrapClusterCreatorAdminPermissions = true },
        UpgradePolicy = JsonDocument.Parse("{\"SupportType\":\"STANDARD\"}").RootElement,
    };

    public static Nodegroup Nodegroup(string name = "general", string amiType = "AL2_x86_64") => new()
    {
        NodegroupName = name,
        ClusterName = "shop-blue",
        Version = "1.32",
        ReleaseVersion = "1.32.3-20250519",
        Status = "ACTIVE",
        CapacityType = "ON_DEMAND",
        ScalingConfig = new NodegroupScalingConfig { MinSize = 2, MaxSize = 10, DesiredSize = 4 },
        InstanceTypes = ["m6i.xlarge"],
        Subnets = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
        AmiType = amiType,
        NodeRole = NodeRole,
        Labels = new Dictionary<string, string> { ["workload"] = "general" },
        Taints = [new Taint { Key = "dedicated", Value = "general", Effect = "NO_SCHEDULE" }],
        DiskSize = 50,
        RemoteAccess = new RemoteAccessConfig { Ec2SshKey = "ops" },
        UpdateConfig = new NodegroupUpdateConfig { MaxUnavailablePercentage = 25 },
        Tags = new Dictionary<string, string> { ["team"] = "shop" },
    };

    public static Nodegroup WithLaunchTemplate(this Nodegroup group) => group with
    {
        DiskSize = null,
        RemoteAccess = null,
        LaunchTemplate = new LaunchTemplateSpecification { Id = "lt-0123456789abcdef0", Name = "shop-general", Version = "7" },
    };

    public static Addon Addon(string name, string version, string? arn = null) => new()
    {
        AddonName = name,
        ClusterName = "shop-blue",
        Status = "ACTIVE",
        AddonVersion = version,
        AddonArn = arn ?? $"arn:aws:eks:ap-northeast-2:111122223333:addon/shop-blue/{name}/0ac9a1b2-1111-2222-3333-444455556666",
    };

    public static AddonInfo Versions(string name, params (string Version, string Kubernetes, bool Default)[] versions) => new()
    {
        AddonName = name,
        AddonVersions = [.. versions.Select(v => new AddonVersionInfo
        {
            AddonVersion = v.Version,
            Compatibilities = [new AddonCompatibility { ClusterVersion = v.Kubernetes, DefaultVersion = v.Default }],
        })],
    };

    public static IReadOnlyList<AddonInfo> CoreAddonVersions() =>
    [
        Versions("vpc-cni", ("v1.19.5-eksbuild.3", "1.34", false), ("v1.20.0-eksbuild.1", "1.34", true), ("v1.20.1-eksbuild.1", "1.34", false)),
        Versions("kube-proxy", ("v1.34.0-eksbuild.2", "1.34", true)),
        Versions("coredns", ("v1.12.3-eksbuild.1", "1.34", true)),
    ];

    public static IReadOnlyList<Addon> CoreAddons() =>
    [
        Addon("vpc-cni", "v1.19.2-eksbuild.1"),
        Addon("kube-proxy", "v1.32.0-eksbuild.2"),
        Addon("coredns", "v1.11.4-eksbuild.2"),
    ];

    public static ClusterVersionInformation Version(string version, string status) =>
        new() { ClusterVersion = version, VersionStatus = status, ClusterType = "eks" };
}
