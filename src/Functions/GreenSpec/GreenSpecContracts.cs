using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.GreenSpec;

public sealed record BuildGreenSpecRequest
{
    [JsonPropertyName("plan")] public required UpgradePlan Plan { get; init; }
    /// <summary>DescribeCluster(Blue).Cluster.</summary>
    [JsonPropertyName("cluster")] public required EksCluster Cluster { get; init; }
    /// <summary>DescribeNodegroup(...).Nodegroup for each of Blue's managed nodegroups.</summary>
    [JsonPropertyName("nodegroups")] public required IReadOnlyList<Nodegroup> Nodegroups { get; init; }
    /// <summary>DescribeAddon(...).Addon for each of Blue's add-ons.</summary>
    [JsonPropertyName("addons")] public required IReadOnlyList<Addon> Addons { get; init; }
    /// <summary>DescribeAddonVersions(KubernetesVersion = target).Addons (all pages, or one call per add-on name).</summary>
    [JsonPropertyName("addonVersions")] public required IReadOnlyList<AddonInfo> AddonVersions { get; init; }
    /// <summary>DescribePodIdentityAssociation(...).Association for each of Blue's associations.</summary>
    [JsonPropertyName("podIdentityAssociations")] public required IReadOnlyList<PodIdentityAssociation> PodIdentityAssociations { get; init; }
    /// <summary>One item per ListAccessEntries principal: DescribeAccessEntry's AccessEntry and ListAssociatedAccessPolicies' policies.</summary>
    [JsonPropertyName("accessEntries")] public required IReadOnlyList<BlueAccessEntry> AccessEntries { get; init; }
    /// <summary>$$.Execution.RoleArn: the role that creates Green, whose access entry EKS creates itself.</summary>
    [JsonPropertyName("creatorRoleArn")] public string? CreatorRoleArn { get; init; }
    /// <summary>The deployment's role settings; with them, a role Green would be given that the deployment may not pass is refused (optional).</summary>
    [JsonPropertyName("deployment")] public DeploymentFacts? Deployment { get; init; }
}

public sealed record BlueAccessEntry
{
    [JsonPropertyName("accessEntry")] public required AccessEntry AccessEntry { get; init; }
    [JsonPropertyName("associatedAccessPolicies")] public IReadOnlyList<AssociatedAccessPolicy>? AssociatedAccessPolicies { get; init; }
}

/// <summary>Green's create requests, each usable as-is as the Parameters of an aws-sdk:eks Task.</summary>
public sealed record GreenSpecification
{
    [JsonPropertyName("greenClusterName")] public required string GreenClusterName { get; init; }
    [JsonPropertyName("createCluster")] public required CreateClusterRequest CreateCluster { get; init; }
    [JsonPropertyName("accessEntries")] public required IReadOnlyList<GreenAccessEntry> AccessEntries { get; init; }
    [JsonPropertyName("podIdentityAssociations")] public required IReadOnlyList<CreatePodIdentityAssociationRequest> PodIdentityAssociations { get; init; }
    [JsonPropertyName("addons")] public required IReadOnlyList<CreateAddonRequest> Addons { get; init; }
    [JsonPropertyName("nodegroups")] public required IReadOnlyList<CreateNodegroupRequest> Nodegroups { get; init; }
    /// <summary>What was deliberately not copied, and why.</summary>
    [JsonPropertyName("skipped")] public required IReadOnlyList<SkippedItem> Skipped { get; init; }
    /// <summary>Every change from Blue's configuration (AMI family moves, add-on versions...), for the run record.</summary>
    [JsonPropertyName("notes")] public required IReadOnlyList<string> Notes { get; init; }
}

public sealed record GreenAccessEntry
{
    [JsonPropertyName("createAccessEntry")] public required CreateAccessEntryRequest CreateAccessEntry { get; init; }
    [JsonPropertyName("associateAccessPolicies")] public required IReadOnlyList<AssociateAccessPolicyRequest> AssociateAccessPolicies { get; init; }
}

public sealed record SkippedItem
{
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("reason")] public required string Reason { get; init; }
}
