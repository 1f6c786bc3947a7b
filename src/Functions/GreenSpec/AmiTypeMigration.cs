using BlueGreen.Functions.Preflight;

namespace BlueGreen.Functions.GreenSpec;

/// <summary>
/// EKS stopped publishing Amazon Linux 2 optimized AMIs; none exist for Kubernetes 1.33 and later, so an
/// AL2 nodegroup copied to such a Green moves to the Amazon Linux 2023 equivalent.
/// </summary>
public static class AmiTypeMigration
{
    public static KubernetesVersion FirstVersionWithoutAl2 { get; } = new(1, 33);

    private static readonly Dictionary<string, string> Al2023Equivalents = new(StringComparer.Ordinal)
    {
        ["AL2_x86_64"] = "AL2023_x86_64_STANDARD",
        ["AL2_ARM_64"] = "AL2023_ARM_64_STANDARD",
        ["AL2_x86_64_GPU"] = "AL2023_x86_64_NVIDIA",
    };

    /// <summary>The AMI type Green must use instead, or null when <paramref name="amiType"/> is fine for the target.</summary>
    public static string? Replacement(string? amiType, KubernetesVersion target) =>
        amiType is not null && target >= FirstVersionWithoutAl2 && Al2023Equivalents.TryGetValue(amiType, out var replacement)
            ? replacement
            : null;
}
