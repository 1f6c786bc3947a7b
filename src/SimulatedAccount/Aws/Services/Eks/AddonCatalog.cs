namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>One published version of an Amazon EKS add-on and the cluster versions it supports.</summary>
/// <param name="Version">The add-on version (<c>v1.11.4-eksbuild.2</c>).</param>
/// <param name="ClusterVersions">The Kubernetes minor versions it is compatible with.</param>
/// <param name="DefaultFor">The cluster versions for which it is the default (installed when no version is given).</param>
public sealed record PublishedAddonVersion(string Version, IReadOnlyList<string> ClusterVersions, IReadOnlyList<string> DefaultFor);

/// <summary>An Amazon EKS add-on as DescribeAddonVersions lists it.</summary>
/// <param name="Name">The add-on name (<c>coredns</c>).</param>
/// <param name="Type">Its category (<c>networking</c>, <c>storage</c>, <c>security</c>).</param>
/// <param name="NeedsNodes">
/// True when it runs a Deployment (CoreDNS, the EBS CSI controller) and so cannot become ACTIVE before the
/// cluster has nodes; DaemonSet add-ons (vpc-cni, kube-proxy, the Pod Identity agent) are ACTIVE with zero nodes.
/// </param>
/// <param name="RequiresIamPermissions">True when it needs an IAM role (a service account role or a Pod Identity association).</param>
public sealed record PublishedAddon(string Name, string Type, bool NeedsNodes, bool RequiresIamPermissions, IReadOnlyList<PublishedAddonVersion> Versions)
{
    public IEnumerable<PublishedAddonVersion> CompatibleWith(string clusterVersion) => Versions.Where(v => v.ClusterVersions.Contains(clusterVersion));

    public PublishedAddonVersion? DefaultFor(string clusterVersion) =>
        CompatibleWith(clusterVersion).FirstOrDefault(v => v.DefaultFor.Contains(clusterVersion)) ?? CompatibleWith(clusterVersion).LastOrDefault();
}

/// <summary>
/// The add-ons the workflow clones from Blue to Green, with realistic version strings per Kubernetes version.
/// </summary>
/// <remarks>
/// Latest versions per Kubernetes version are those the Amazon EKS User Guide lists (managing-coredns,
/// managing-kube-proxy, managing-vpc-cni: CoreDNS v1.11.4-eksbuild.22 for 1.29-1.32 and v1.12.3-eksbuild.1 for
/// 1.33, v1.10.1-eksbuild.38 for 1.28; VPC CNI v1.20.1-eksbuild.3 for 1.27-1.33; kube-proxy v1.31.3-eksbuild.2,
/// v1.30.7-eksbuild.2, v1.29.11-eksbuild.2, v1.28.15-eksbuild.4). The other strings follow the same
/// <c>vMAJOR.MINOR.PATCH-eksbuild.N</c> scheme. As on EKS, kube-proxy versions match exactly one cluster minor
/// version, and the default version is usually older than the latest.
/// </remarks>
public static class AddonCatalog
{
    private static readonly string[] Minors = ["1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"];

    public static IReadOnlyList<PublishedAddon> All { get; } =
    [
        new("vpc-cni", "networking", NeedsNodes: false, RequiresIamPermissions: true,
        [
            new("v1.18.6-eksbuild.1", Range("1.28", "1.32"), []),
            new("v1.19.2-eksbuild.1", Range("1.28", "1.33"), Range("1.28", "1.32")),
            new("v1.19.6-eksbuild.7", Range("1.28", "1.34"), ["1.33", "1.34"]),
            new("v1.20.1-eksbuild.3", Range("1.28", "1.35"), ["1.35"]),
            new("v1.20.4-eksbuild.2", Range("1.29", "1.35"), []),
        ]),
        new("coredns", "networking", NeedsNodes: true, RequiresIamPermissions: false,
        [
            new("v1.10.1-eksbuild.18", ["1.28"], ["1.28"]),
            new("v1.10.1-eksbuild.38", ["1.28"], []),
            new("v1.11.1-eksbuild.9", Range("1.29", "1.31"), Range("1.29", "1.31")),
            new("v1.11.4-eksbuild.2", Range("1.29", "1.32"), ["1.32"]),
            new("v1.11.4-eksbuild.22", Range("1.29", "1.32"), []),
            new("v1.12.1-eksbuild.2", ["1.33"], ["1.33"]),
            new("v1.12.3-eksbuild.1", Range("1.33", "1.34"), ["1.34"]),
            new("v1.12.4-eksbuild.1", Range("1.33", "1.35"), ["1.35"]),
        ]),
        new("kube-proxy", "networking", NeedsNodes: false, RequiresIamPermissions: false,
        [
            new("v1.28.8-eksbuild.5", ["1.28"], ["1.28"]),
            new("v1.28.15-eksbuild.4", ["1.28"], []),
            new("v1.29.3-eksbuild.5", ["1.29"], ["1.29"]),
            new("v1.29.11-eksbuild.2", ["1.29"], []),
            new("v1.30.0-eksbuild.3", ["1.30"], ["1.30"]),
            new("v1.30.7-eksbuild.2", ["1.30"], []),
            new("v1.31.2-eksbuild.3", ["1.31"], ["1.31"]),
            new("v1.31.3-eksbuild.2", ["1.31"], []),
            new("v1.32.0-eksbuild.2", ["1.32"], ["1.32"]),
            new("v1.32.6-eksbuild.12", ["1.32"], []),
            new("v1.33.0-eksbuild.2", ["1.33"], ["1.33"]),
            new("v1.33.3-eksbuild.4", ["1.33"], []),
            new("v1.34.0-eksbuild.2", ["1.34"], ["1.34"]),
            new("v1.34.1-eksbuild.3", ["1.34"], []),
            new("v1.35.0-eksbuild.2", ["1.35"], ["1.35"]),
        ]),
        new("eks-pod-identity-agent", "security", NeedsNodes: false, RequiresIamPermissions: false,
        [
            new("v1.3.4-eksbuild.1", Range("1.28", "1.32"), Range("1.28", "1.32")),
            new("v1.3.7-eksbuild.2", Range("1.28", "1.34"), ["1.33", "1.34"]),
            new("v1.3.8-eksbuild.2", Range("1.28", "1.35"), ["1.35"]),
        ]),
        new("aws-ebs-csi-driver", "storage", NeedsNodes: true, RequiresIamPermissions: true,
        [
            new("v1.38.1-eksbuild.2", Range("1.28", "1.32"), Range("1.28", "1.32")),
            new("v1.41.0-eksbuild.1", Range("1.28", "1.33"), ["1.33"]),
            new("v1.45.0-eksbuild.2", Range("1.29", "1.34"), ["1.34"]),
            new("v1.48.0-eksbuild.2", Range("1.30", "1.35"), ["1.35"]),
        ]),
    ];

    public static PublishedAddon? Find(string name) => All.FirstOrDefault(a => a.Name == name);

    private static string[] Range(string from, string to) =>
        Minors.SkipWhile(m => m != from).TakeWhile(m => m != to).Append(to).ToArray();
}
