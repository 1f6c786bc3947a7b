using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>A health issue of a cluster, node group or add-on (<c>health.issues[]</c>).</summary>
public sealed record EksIssue(string Code, string Message, IReadOnlyList<string> ResourceIds)
{
    public JObject ToJson() => JObject.Of(("Code", Code), ("Message", Message), ("ResourceIds", EksWire.Strings(ResourceIds)));
}

/// <summary>A cluster's VPC configuration (<c>resourcesVpcConfig</c>).</summary>
public sealed record EksVpcConfig(
    IReadOnlyList<string> SubnetIds,
    IReadOnlyList<string> SecurityGroupIds,
    string ClusterSecurityGroupId,
    string VpcId,
    bool EndpointPublicAccess,
    bool EndpointPrivateAccess,
    IReadOnlyList<string> PublicAccessCidrs);

/// <summary>An EKS cluster and everything attached to it.</summary>
public sealed class SimulatedCluster
{
    public required string Name { get; init; }

    public required string Arn { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required string Version { get; set; }

    public required string PlatformVersion { get; set; }

    public required string RoleArn { get; init; }

    public required EksVpcConfig VpcConfig { get; init; }

    public string ServiceIpv4Cidr { get; init; } = "172.20.0.0/16";

    public string IpFamily { get; init; } = "ipv4";

    public IReadOnlyList<string> EnabledLogTypes { get; init; } = [];

    /// <summary>The API server endpoint; AWS shows it only once the cluster is ACTIVE.</summary>
    public required string Endpoint { get; init; }

    public required string CertificateAuthorityData { get; init; }

    public required string OidcIssuer { get; init; }

    public string Status { get; set; } = "CREATING";

    public string? ClientRequestToken { get; init; }

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    public string AuthenticationMode { get; init; } = "CONFIG_MAP";

    public bool BootstrapClusterCreatorAdminPermissions { get; init; } = true;

    public string SupportType { get; init; } = "EXTENDED";

    public bool DeletionProtection { get; init; }

    /// <summary>Request members echoed as given (EncryptionConfig, ZonalShiftConfig, ComputeConfig...).</summary>
    public JObject Extra { get; init; } = JObject.Empty;

    public List<EksIssue> HealthIssues { get; } = [];

    /// <summary>True for clusters the world starts with (Blue); false for clusters created through the API (Green).</summary>
    public bool Seeded { get; init; }

    public Dictionary<string, EksNodegroup> Nodegroups { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, EksAddon> Addons { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, EksPodIdentityAssociation> PodIdentityAssociations { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, EksAccessEntry> AccessEntries { get; } = new(StringComparer.Ordinal);

    public List<EksInsight> Insights { get; } = [];

    public Dictionary<string, EksFargateProfile> FargateProfiles { get; } = new(StringComparer.Ordinal);

    /// <summary>When the cluster's workloads could start deploying (cluster and nodes up, GitOps registered if required).</summary>
    public DateTimeOffset? DeployableSince { get; set; }

    public VirtualScheduler.Timer? ReadyTimer { get; set; }

    public VirtualScheduler.Timer? StatusTimer { get; set; }

    /// <summary>The workloads never become ready (a bad Green), whatever happens.</summary>
    public bool NeverReady { get; set; }

    /// <summary>A scenario event forced the workloads unready; they stay so until told otherwise.</summary>
    public bool ForcedUnready { get; set; }
}

/// <summary>A managed node group.</summary>
public sealed class EksNodegroup
{
    public required string Name { get; init; }

    public required string Arn { get; init; }

    public required string ClusterName { get; init; }

    public required string Version { get; init; }

    public required string ReleaseVersion { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ModifiedAt { get; set; }

    public string Status { get; set; } = "CREATING";

    public string CapacityType { get; init; } = "ON_DEMAND";

    public int MinSize { get; init; }

    public int MaxSize { get; init; }

    public int DesiredSize { get; init; }

    public IReadOnlyList<string> InstanceTypes { get; init; } = [];

    public IReadOnlyList<string> Subnets { get; init; } = [];

    public JObject? RemoteAccess { get; init; }

    public required string AmiType { get; init; }

    public required string NodeRole { get; init; }

    public Dictionary<string, string> Labels { get; init; } = new(StringComparer.Ordinal);

    public IReadOnlyList<EksTaint> Taints { get; init; } = [];

    public required string AutoScalingGroupName { get; init; }

    /// <summary>Null when a launch template sets the disk (AWS then omits diskSize).</summary>
    public int? DiskSize { get; init; }

    public List<EksIssue> HealthIssues { get; } = [];

    public JObject UpdateConfig { get; init; } = JObject.Of(("MaxUnavailable", 1));

    public JObject? LaunchTemplate { get; init; }

    public JObject? NodeRepairConfig { get; init; }

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    public VirtualScheduler.Timer? StatusTimer { get; set; }
}

public sealed record EksTaint(string Key, string? Value, string Effect)
{
    public JObject ToJson() => Value is null
        ? JObject.Of(("Key", Key), ("Effect", Effect))
        : JObject.Of(("Key", Key), ("Value", Value), ("Effect", Effect));
}

/// <summary>An Amazon EKS add-on installed on a cluster.</summary>
public sealed class EksAddon
{
    public required string Name { get; init; }

    public required string ClusterName { get; init; }

    public required string Version { get; init; }

    public required string Arn { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ModifiedAt { get; set; }

    public string Status { get; set; } = "CREATING";

    public List<EksIssue> HealthIssues { get; } = [];

    public string? ServiceAccountRoleArn { get; init; }

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    public string? ConfigurationValues { get; init; }

    public List<string> PodIdentityAssociationArns { get; } = [];

    public bool NeedsNodes { get; init; }

    /// <summary>The status a scenario wants the creation to end in (ACTIVE unless told otherwise).</summary>
    public string TargetStatus { get; init; } = "ACTIVE";

    /// <summary>A Deployment add-on waiting for the cluster's first nodes before it can finish.</summary>
    public bool WaitingForNodes { get; set; }

    public VirtualScheduler.Timer? StatusTimer { get; set; }
}

/// <summary>An EKS Pod Identity association.</summary>
public sealed class EksPodIdentityAssociation
{
    public required string ClusterName { get; init; }

    public required string Namespace { get; init; }

    public required string ServiceAccount { get; init; }

    public required string RoleArn { get; init; }

    public required string Id { get; init; }

    public required string Arn { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ModifiedAt { get; set; }

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The add-on that created (and owns) the association, when one did.</summary>
    public string? OwnerArn { get; init; }

    public bool DisableSessionTags { get; init; }

    public string? TargetRoleArn { get; init; }

    public string? ExternalId { get; init; }

    /// <summary>Creation order, for stable listings.</summary>
    public long Sequence { get; init; }
}

/// <summary>An access entry and its associated access policies.</summary>
public sealed class EksAccessEntry
{
    public required string ClusterName { get; init; }

    public required string PrincipalArn { get; init; }

    public IReadOnlyList<string> KubernetesGroups { get; init; } = [];

    public required string Arn { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ModifiedAt { get; set; }

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    public required string Username { get; init; }

    public string Type { get; init; } = "STANDARD";

    /// <summary>Associated access policies by policy ARN, in association order.</summary>
    public List<EksAssociatedPolicy> Policies { get; } = [];
}

public sealed class EksAssociatedPolicy
{
    public required string PolicyArn { get; init; }

    public required string ScopeType { get; set; }

    public IReadOnlyList<string> Namespaces { get; set; } = [];

    public required DateTimeOffset AssociatedAt { get; init; }

    public DateTimeOffset ModifiedAt { get; set; }

    public JObject ToJson() => JObject.Of(
        ("PolicyArn", PolicyArn),
        ("AccessScope", JObject.Of(("Type", ScopeType), ("Namespaces", EksWire.Strings(Namespaces)))),
        ("AssociatedAt", EksWire.Timestamp(AssociatedAt)),
        ("ModifiedAt", EksWire.Timestamp(ModifiedAt)));
}

/// <summary>An EKS cluster insight (upgrade readiness, misconfiguration).</summary>
public sealed class EksInsight
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string Category { get; init; } = "UPGRADE_READINESS";

    public required string KubernetesVersion { get; init; }

    public required DateTimeOffset LastRefreshTime { get; init; }

    public required DateTimeOffset LastTransitionTime { get; init; }

    public string Description { get; init; } = string.Empty;

    public string Status { get; init; } = "PASSING";

    public string Reason { get; init; } = string.Empty;

    public string Recommendation { get; init; } = string.Empty;

    public Dictionary<string, string> AdditionalInfo { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Already in Step Functions' PascalCase.</summary>
    public JArray Resources { get; init; } = JArray.Empty;

    /// <summary>Already in Step Functions' PascalCase.</summary>
    public JObject CategorySpecificSummary { get; init; } = JObject.Empty;

    public JObject StatusJson() => JObject.Of(("Status", Status), ("Reason", Reason));

    public JObject ToSummaryJson() => JObject.Of(
        ("Id", Id),
        ("Name", Name),
        ("Category", Category),
        ("KubernetesVersion", KubernetesVersion),
        ("LastRefreshTime", EksWire.Timestamp(LastRefreshTime)),
        ("LastTransitionTime", EksWire.Timestamp(LastTransitionTime)),
        ("Description", Description),
        ("InsightStatus", StatusJson()));

    public JObject ToJson() => new JObjectBuilder(ToSummaryJson())
        .Add("Recommendation", Recommendation)
        .Add("AdditionalInfo", EksWire.StringMap(AdditionalInfo))
        .Add("Resources", Resources)
        .Add("CategorySpecificSummary", CategorySpecificSummary)
        .Build();
}
