using System.Text.RegularExpressions;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>The AMI types of managed node groups, and what they imply (architecture, Amazon Linux 2).</summary>
internal static partial class EksAmiTypes
{
    public static readonly HashSet<string> All =
    [
        "AL2023_ARM_64_NVIDIA", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NEURON", "AL2023_x86_64_NVIDIA", "AL2023_x86_64_STANDARD",
        "AL2_ARM_64", "AL2_x86_64", "AL2_x86_64_GPU", "BOTTLEROCKET_ARM_64", "BOTTLEROCKET_ARM_64_FIPS", "BOTTLEROCKET_ARM_64_NVIDIA",
        "BOTTLEROCKET_ARM_64_NVIDIA_FIPS", "BOTTLEROCKET_x86_64", "BOTTLEROCKET_x86_64_FIPS", "BOTTLEROCKET_x86_64_NVIDIA",
        "BOTTLEROCKET_x86_64_NVIDIA_FIPS", "CUSTOM", "WINDOWS_CORE_2019_x86_64", "WINDOWS_CORE_2022_x86_64", "WINDOWS_CORE_2025_x86_64",
        "WINDOWS_FULL_2019_x86_64", "WINDOWS_FULL_2022_x86_64", "WINDOWS_FULL_2025_x86_64",
    ];

    [GeneratedRegex("^[a-z]+[0-9]+g[a-z]*$", RegexOptions.CultureInvariant)]
    private static partial Regex GravitonFamilyRegex();

    /// <summary>Graviton families (m6g, c7gn, r6gd, t4g, g5g, a1) are arm64; the rest are x86_64.</summary>
    public static bool IsArmInstanceType(string instanceType)
    {
        var family = instanceType.Split('.')[0];
        return family == "a1" || GravitonFamilyRegex().IsMatch(family);
    }

    public static bool IsArm(string amiType) => amiType.Contains("ARM_64", StringComparison.Ordinal);

    /// <summary>
    /// Amazon Linux 2 AMIs are not published for Kubernetes 1.33 and later; EKS answers
    /// "AMI Type AL2_x86_64 is only supported for kubernetes versions 1.32 or earlier".
    /// </summary>
    public static bool IsAl2(string amiType) => amiType.StartsWith("AL2_", StringComparison.Ordinal);
}
