using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;

namespace BlueGreen.Functions.GreenSpec;

/// <summary>What Green's copy of a nodegroup runs: a new AMI type, nothing to change, or a reason it cannot be chosen.</summary>
/// <param name="Replacement">The AMI type Green must use instead of Blue's; null when Blue's is fine for the target (or when refused).</param>
/// <param name="Refusal">Why no AMI type can be chosen for Green's copy; null when one can.</param>
/// <param name="Reason">Why <paramref name="Replacement"/> was chosen among several, for the notes (accelerated AMIs only).</param>
public sealed record AmiTypeChoice(string? Replacement, string? Refusal, string? Reason = null)
{
    public static AmiTypeChoice Unchanged { get; } = new(null, null);
}

/// <summary>
/// EKS stopped publishing Amazon Linux 2 optimized AMIs; none exist for Kubernetes 1.33 and later, so an
/// AL2 nodegroup copied to such a Green moves to the Amazon Linux 2023 equivalent. The AL2 accelerated AMI
/// (<c>AL2_x86_64_GPU</c>) served NVIDIA GPU and Inferentia/Trainium instances alike; AL2023 has one AMI type for
/// each (<c>AL2023_x86_64_NVIDIA</c>, <c>AL2023_x86_64_NEURON</c>; EKS API model, AMITypes; EKS User Guide,
/// "Use EKS-optimized accelerated AMIs for GPU instances"), so the nodegroup's instance types decide.
/// </summary>
public static class AmiTypeMigration
{
    public const string Al2Accelerated = "AL2_x86_64_GPU";
    public const string Al2023Nvidia = "AL2023_x86_64_NVIDIA";
    public const string Al2023Neuron = "AL2023_x86_64_NEURON";

    public static KubernetesVersion FirstVersionWithoutAl2 { get; } = new(1, 33);

    private static readonly Dictionary<string, string> Al2023Equivalents = new(StringComparer.Ordinal)
    {
        ["AL2_x86_64"] = "AL2023_x86_64_STANDARD",
        ["AL2_ARM_64"] = "AL2023_ARM_64_STANDARD",
    };

    /// <summary>
    /// Inferentia and Trainium instance families (inf1, inf2, trn1, trn1n, trn2, and later generations): the AL2023
    /// Neuron AMI serves them (the User Guide lists inf1, inf2, trn1, trn2), the NVIDIA AMI has no Neuron driver.
    /// </summary>
    public static bool IsNeuronInstanceType(string instanceType)
    {
        ArgumentNullException.ThrowIfNull(instanceType);
        var family = instanceType.Split('.')[0];
        return family.StartsWith("inf", StringComparison.OrdinalIgnoreCase) || family.StartsWith("trn", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The AMI type Green's copy of <paramref name="group"/> must use for <paramref name="target"/>.</summary>
    public static AmiTypeChoice Choose(Nodegroup group, KubernetesVersion target)
    {
        ArgumentNullException.ThrowIfNull(group);
        var amiType = group.AmiType;
        if (amiType is null || target < FirstVersionWithoutAl2)
        {
            return AmiTypeChoice.Unchanged;
        }
        if (Al2023Equivalents.TryGetValue(amiType, out var replacement))
        {
            return new AmiTypeChoice(replacement, null);
        }
        if (amiType != Al2Accelerated)
        {
            return AmiTypeChoice.Unchanged;
        }

        var name = group.NodegroupName ?? "(unnamed)";
        var types = group.InstanceTypes ?? [];
        if (types.Count == 0)
        {
            return new AmiTypeChoice(null,
                $"nodegroup {name} uses {Al2Accelerated}, which has no Amazon Linux 2023 successor for Kubernetes {target} that serves every accelerator: " +
                $"{Al2023Nvidia} is for NVIDIA GPU instances and {Al2023Neuron} for Inferentia/Trainium, and the nodegroup does not name its instance types " +
                "(they come from its launch template). Name the instance types on the nodegroup, or move it to the AL2023 accelerated AMI type that fits them, then start again");
        }

        var neuron = types.Where(IsNeuronInstanceType).ToList();
        if (neuron.Count == types.Count)
        {
            return new AmiTypeChoice(Al2023Neuron, null, $"its instance types {string.Join(", ", types)} are Inferentia/Trainium");
        }
        if (neuron.Count == 0)
        {
            return new AmiTypeChoice(Al2023Nvidia, null, $"its instance types {string.Join(", ", types)} are not Inferentia/Trainium");
        }

        return new AmiTypeChoice(null,
            $"nodegroup {name} uses {Al2Accelerated} on Inferentia/Trainium instance types ({string.Join(", ", neuron)}) and others " +
            $"({string.Join(", ", types.Except(neuron, StringComparer.Ordinal))}); Amazon Linux 2023 serves them with two AMI types, {Al2023Neuron} and {Al2023Nvidia}, " +
            "and one nodegroup has one AMI type. Split it into a Neuron nodegroup and an NVIDIA one on Blue, then start again");
    }
}
