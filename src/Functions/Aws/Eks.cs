using System.Text.Json;

namespace BlueGreen.Functions.Aws;

// EKS API shapes as Step Functions AWS SDK integrations present them: member names are the API's with the
// first letter capitalised (nodegroupName -> NodegroupName). Only the members the workflow reads or copies
// are declared; structures copied verbatim from Blue to Green whose request and response shapes are
// identical are kept as JsonElement so that members added to the API later are copied too.

public sealed record EksCluster
{
    public string? Name { get; init; }
    public string? Arn { get; init; }
    public string? Version { get; init; }
    public string? Status { get; init; }
    /// <summary>When the cluster was created (ISO 8601, as Step Functions' SDK integrations render timestamps).</summary>
    public string? CreatedAt { get; init; }
    public string? Endpoint { get; init; }
    public string? RoleArn { get; init; }
    public string? PlatformVersion { get; init; }
    public VpcConfigResponse? ResourcesVpcConfig { get; init; }
    public KubernetesNetworkConfigResponse? KubernetesNetworkConfig { get; init; }
    public EksLogging? Logging { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public IReadOnlyList<EncryptionConfig>? EncryptionConfig { get; init; }
    public AccessConfigResponse? AccessConfig { get; init; }
    public ComputeConfig? ComputeConfig { get; init; }
    public ClusterHealth? Health { get; init; }
    public bool? DeletionProtection { get; init; }
    public JsonElement? OutpostConfig { get; init; }
    public JsonElement? UpgradePolicy { get; init; }
    public JsonElement? ZonalShiftConfig { get; init; }
    public JsonElement? RemoteNetworkConfig { get; init; }
    public JsonElement? StorageConfig { get; init; }
    public JsonElement? ControlPlaneScalingConfig { get; init; }
    public JsonElement? KubeApiServerConfig { get; init; }
    public JsonElement? KubeSchedulerConfig { get; init; }
    public JsonElement? KubeControllerManagerConfig { get; init; }
}

public sealed record VpcConfigResponse
{
    public IReadOnlyList<string>? SubnetIds { get; init; }
    public IReadOnlyList<string>? SecurityGroupIds { get; init; }
    /// <summary>Output only: the security group EKS created for the cluster. Never sent to CreateCluster.</summary>
    public string? ClusterSecurityGroupId { get; init; }
    /// <summary>Output only: derived by EKS from the subnets.</summary>
    public string? VpcId { get; init; }
    public bool? EndpointPublicAccess { get; init; }
    public bool? EndpointPrivateAccess { get; init; }
    public IReadOnlyList<string>? PublicAccessCidrs { get; init; }
    public string? ControlPlaneEgressMode { get; init; }
}

public sealed record VpcConfigRequest
{
    public IReadOnlyList<string>? SubnetIds { get; init; }
    public IReadOnlyList<string>? SecurityGroupIds { get; init; }
    public bool? EndpointPublicAccess { get; init; }
    public bool? EndpointPrivateAccess { get; init; }
    public IReadOnlyList<string>? PublicAccessCidrs { get; init; }
    public string? ControlPlaneEgressMode { get; init; }
}

public sealed record KubernetesNetworkConfigResponse
{
    public string? ServiceIpv4Cidr { get; init; }
    /// <summary>Output only: EKS assigns it for IPv6 clusters.</summary>
    public string? ServiceIpv6Cidr { get; init; }
    public string? IpFamily { get; init; }
    public JsonElement? ElasticLoadBalancing { get; init; }
}

public sealed record KubernetesNetworkConfigRequest
{
    public string? ServiceIpv4Cidr { get; init; }
    public string? IpFamily { get; init; }
    public JsonElement? ElasticLoadBalancing { get; init; }
}

public sealed record EksLogging
{
    public IReadOnlyList<LogSetup>? ClusterLogging { get; init; }
}

public sealed record LogSetup
{
    public IReadOnlyList<string>? Types { get; init; }
    public bool? Enabled { get; init; }
}

public sealed record EncryptionConfig
{
    public IReadOnlyList<string>? Resources { get; init; }
    public EncryptionProvider? Provider { get; init; }
}

public sealed record EncryptionProvider
{
    public string? KeyArn { get; init; }
}

public sealed record AccessConfigResponse
{
    public bool? BootstrapClusterCreatorAdminPermissions { get; init; }
    public string? AuthenticationMode { get; init; }
}

public sealed record CreateAccessConfigRequest
{
    public bool? BootstrapClusterCreatorAdminPermissions { get; init; }
    public string? AuthenticationMode { get; init; }
}

/// <summary>EKS Auto Mode compute settings: the same members in requests and responses.</summary>
public sealed record ComputeConfig
{
    public bool? Enabled { get; init; }
    public IReadOnlyList<string>? NodePools { get; init; }
    public string? NodeRoleArn { get; init; }
}

public sealed record ClusterHealth
{
    public IReadOnlyList<HealthIssue>? Issues { get; init; }
}

/// <summary>ClusterIssue, AddonIssue and nodegroup Issue share these members.</summary>
public sealed record HealthIssue
{
    public string? Code { get; init; }
    public string? Message { get; init; }
    public IReadOnlyList<string>? ResourceIds { get; init; }
}

public sealed record CreateClusterRequest
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string RoleArn { get; init; }
    public required VpcConfigRequest ResourcesVpcConfig { get; init; }
    public KubernetesNetworkConfigRequest? KubernetesNetworkConfig { get; init; }
    public EksLogging? Logging { get; init; }
    public required string ClientRequestToken { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public IReadOnlyList<EncryptionConfig>? EncryptionConfig { get; init; }
    public CreateAccessConfigRequest? AccessConfig { get; init; }
    public bool? BootstrapSelfManagedAddons { get; init; }
    public JsonElement? UpgradePolicy { get; init; }
    public JsonElement? ZonalShiftConfig { get; init; }
    public JsonElement? RemoteNetworkConfig { get; init; }
    public ComputeConfig? ComputeConfig { get; init; }
    public JsonElement? StorageConfig { get; init; }
    public JsonElement? ControlPlaneScalingConfig { get; init; }
}

public sealed record ClusterVersionInformation
{
    public string? ClusterVersion { get; init; }
    public string? ClusterType { get; init; }
    public bool? DefaultVersion { get; init; }
    /// <summary>Deprecated lower-case form ("standard-support"); read only when VersionStatus is absent.</summary>
    public string? Status { get; init; }
    /// <summary>STANDARD_SUPPORT | EXTENDED_SUPPORT | UNSUPPORTED.</summary>
    public string? VersionStatus { get; init; }
    public JsonElement? EndOfStandardSupportDate { get; init; }
    /// <summary>botocore eks/2017-11-01 ClusterVersionInformation.endOfExtendedSupportDate (Timestamp).</summary>
    public JsonElement? EndOfExtendedSupportDate { get; init; }
    public JsonElement? ReleaseDate { get; init; }
}

public sealed record InsightSummary
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Category { get; init; }
    public string? KubernetesVersion { get; init; }
    public string? Description { get; init; }
    public InsightStatus? InsightStatus { get; init; }
}

public sealed record InsightStatus
{
    /// <summary>PASSING | WARNING | ERROR | UNKNOWN.</summary>
    public string? Status { get; init; }
    public string? Reason { get; init; }
}

public sealed record Nodegroup
{
    public string? NodegroupName { get; init; }
    public string? NodegroupArn { get; init; }
    public string? ClusterName { get; init; }
    public string? Version { get; init; }
    public string? ReleaseVersion { get; init; }
    public string? Status { get; init; }
    public string? CapacityType { get; init; }
    public NodegroupScalingConfig? ScalingConfig { get; init; }
    public IReadOnlyList<string>? InstanceTypes { get; init; }
    public IReadOnlyList<string>? Subnets { get; init; }
    public RemoteAccessConfig? RemoteAccess { get; init; }
    public string? AmiType { get; init; }
    public string? NodeRole { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyList<Taint>? Taints { get; init; }
    public int? DiskSize { get; init; }
    public NodegroupHealth? Health { get; init; }
    public NodegroupUpdateConfig? UpdateConfig { get; init; }
    public JsonElement? NodeRepairConfig { get; init; }
    public LaunchTemplateSpecification? LaunchTemplate { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public JsonElement? WarmPoolConfig { get; init; }
}

public sealed record NodegroupScalingConfig
{
    public int? MinSize { get; init; }
    public int? MaxSize { get; init; }
    public int? DesiredSize { get; init; }
}

public sealed record RemoteAccessConfig
{
    public string? Ec2SshKey { get; init; }
    public IReadOnlyList<string>? SourceSecurityGroups { get; init; }
}

public sealed record Taint
{
    public string? Key { get; init; }
    public string? Value { get; init; }
    public string? Effect { get; init; }
}

public sealed record NodegroupHealth
{
    public IReadOnlyList<HealthIssue>? Issues { get; init; }
}

public sealed record NodegroupUpdateConfig
{
    public int? MaxUnavailable { get; init; }
    public int? MaxUnavailablePercentage { get; init; }
    public string? UpdateStrategy { get; init; }
}

public sealed record LaunchTemplateSpecification
{
    public string? Name { get; init; }
    public string? Version { get; init; }
    public string? Id { get; init; }
}

public sealed record CreateNodegroupRequest
{
    public required string ClusterName { get; init; }
    public required string NodegroupName { get; init; }
    public NodegroupScalingConfig? ScalingConfig { get; init; }
    public int? DiskSize { get; init; }
    public required IReadOnlyList<string> Subnets { get; init; }
    public IReadOnlyList<string>? InstanceTypes { get; init; }
    public string? AmiType { get; init; }
    public RemoteAccessConfig? RemoteAccess { get; init; }
    public required string NodeRole { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyList<Taint>? Taints { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public required string ClientRequestToken { get; init; }
    public LaunchTemplateSpecification? LaunchTemplate { get; init; }
    public NodegroupUpdateConfig? UpdateConfig { get; init; }
    public JsonElement? NodeRepairConfig { get; init; }
    public string? CapacityType { get; init; }
    public string? Version { get; init; }
}

public sealed record Addon
{
    public string? AddonName { get; init; }
    public string? ClusterName { get; init; }
    public string? Status { get; init; }
    public string? AddonVersion { get; init; }
    public AddonHealth? Health { get; init; }
    public string? AddonArn { get; init; }
    public string? ServiceAccountRoleArn { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public string? ConfigurationValues { get; init; }
    public IReadOnlyList<string>? PodIdentityAssociations { get; init; }
    public AddonNamespaceConfig? NamespaceConfig { get; init; }
}

public sealed record AddonHealth
{
    public IReadOnlyList<HealthIssue>? Issues { get; init; }
}

public sealed record AddonNamespaceConfig
{
    public string? Namespace { get; init; }
}

public sealed record AddonInfo
{
    public string? AddonName { get; init; }
    public string? Type { get; init; }
    public IReadOnlyList<AddonVersionInfo>? AddonVersions { get; init; }
}

public sealed record AddonVersionInfo
{
    public string? AddonVersion { get; init; }
    public IReadOnlyList<AddonCompatibility>? Compatibilities { get; init; }
}

public sealed record AddonCompatibility
{
    public string? ClusterVersion { get; init; }
    public bool? DefaultVersion { get; init; }
}

public sealed record AddonPodIdentityAssociation
{
    public required string ServiceAccount { get; init; }
    public required string RoleArn { get; init; }
}

public sealed record CreateAddonRequest
{
    public required string ClusterName { get; init; }
    public required string AddonName { get; init; }
    public required string AddonVersion { get; init; }
    public string? ServiceAccountRoleArn { get; init; }
    public required string ResolveConflicts { get; init; }
    public required string ClientRequestToken { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public string? ConfigurationValues { get; init; }
    public IReadOnlyList<AddonPodIdentityAssociation>? PodIdentityAssociations { get; init; }
    public AddonNamespaceConfig? NamespaceConfig { get; init; }
}

public sealed record AccessEntry
{
    public string? ClusterName { get; init; }
    public string? PrincipalArn { get; init; }
    public IReadOnlyList<string>? KubernetesGroups { get; init; }
    public string? AccessEntryArn { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public string? Username { get; init; }
    /// <summary>STANDARD | EC2 | EC2_LINUX | EC2_WINDOWS | FARGATE_LINUX | HYBRID_LINUX | ...</summary>
    public string? Type { get; init; }
}

public sealed record AssociatedAccessPolicy
{
    public string? PolicyArn { get; init; }
    public AccessScope? AccessScope { get; init; }
}

public sealed record AccessScope
{
    /// <summary>cluster | namespace.</summary>
    public string? Type { get; init; }
    public IReadOnlyList<string>? Namespaces { get; init; }
}

public sealed record CreateAccessEntryRequest
{
    public required string ClusterName { get; init; }
    public required string PrincipalArn { get; init; }
    public IReadOnlyList<string>? KubernetesGroups { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public required string ClientRequestToken { get; init; }
    public string? Username { get; init; }
    public string? Type { get; init; }
}

public sealed record AssociateAccessPolicyRequest
{
    public required string ClusterName { get; init; }
    public required string PrincipalArn { get; init; }
    public required string PolicyArn { get; init; }
    public required AccessScope AccessScope { get; init; }
}

public sealed record PodIdentityAssociation
{
    public string? ClusterName { get; init; }
    public string? Namespace { get; init; }
    public string? ServiceAccount { get; init; }
    public string? RoleArn { get; init; }
    public string? AssociationArn { get; init; }
    public string? AssociationId { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    /// <summary>Set when an add-on owns the association; such associations are recreated through CreateAddon.</summary>
    public string? OwnerArn { get; init; }
    public bool? DisableSessionTags { get; init; }
    public string? TargetRoleArn { get; init; }
    public string? Policy { get; init; }
}

public sealed record CreatePodIdentityAssociationRequest
{
    public required string ClusterName { get; init; }
    public required string Namespace { get; init; }
    public required string ServiceAccount { get; init; }
    public required string RoleArn { get; init; }
    public required string ClientRequestToken { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public bool? DisableSessionTags { get; init; }
    public string? TargetRoleArn { get; init; }
    public string? Policy { get; init; }
}
