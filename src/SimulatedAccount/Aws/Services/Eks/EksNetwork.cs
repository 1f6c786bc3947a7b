using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// The subnets the world knows (section <c>eks.network.subnets</c>), so CreateCluster and CreateNodegroup can
/// check them as EKS does: subnets must exist, be in one VPC and, for a cluster, span at least two AZs. With no
/// subnets declared, any subnet ID is accepted.
/// </summary>
public sealed class EksNetwork
{
    private readonly Dictionary<string, (string VpcId, string AvailabilityZone)> _subnets = new(StringComparer.Ordinal);

    public void Add(string subnetId, string vpcId, string availabilityZone) => _subnets[subnetId] = (vpcId, availabilityZone);

    public bool IsEmpty => _subnets.Count == 0;

    /// <summary>The VPC of <paramref name="subnets"/> for a cluster, or null when the world declares no subnets.</summary>
    public string? VpcOf(IReadOnlyList<string> subnets, Func<string, AwsServiceException> invalid)
    {
        if (IsEmpty)
        {
            return null;
        }

        var known = Check(subnets, invalid);
        if (known.Select(s => s.AvailabilityZone).Distinct(StringComparer.Ordinal).Count() < 2)
        {
            throw invalid("Subnets specified must be in at least two different AZs");
        }

        return known[0].VpcId;
    }

    /// <summary>Checks a node group's subnets: they exist and lie in the cluster's VPC.</summary>
    public void CheckNodegroupSubnets(IReadOnlyList<string> subnets, string clusterVpcId, Func<string, AwsServiceException> invalid)
    {
        if (IsEmpty)
        {
            return;
        }

        var known = Check(subnets, invalid);
        if (known.Any(s => s.VpcId != clusterVpcId))
        {
            throw invalid($"Subnets are not in the cluster VPC {clusterVpcId}.");
        }
    }

    public void Seed(JObject? network, List<string> problems)
    {
        foreach (var s in (network?.GetArray("subnets") ?? JArray.Empty).OfType<JObject>())
        {
            if (s.GetString("subnetId") is { } id && s.GetString("vpcId") is { } vpc && s.GetString("availabilityZone") is { } az)
            {
                Add(id, vpc, az);
            }
            else
            {
                problems.Add("eks.network.subnets[]: 'subnetId', 'vpcId' and 'availabilityZone' are required");
            }
        }
    }

    private List<(string VpcId, string AvailabilityZone)> Check(IReadOnlyList<string> subnets, Func<string, AwsServiceException> invalid)
    {
        var known = new List<(string VpcId, string AvailabilityZone)>();
        foreach (var id in subnets)
        {
            known.Add(_subnets.TryGetValue(id, out var s) ? s : throw invalid($"The subnet ID '{id}' does not exist"));
        }

        if (known.Select(s => s.VpcId).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            throw invalid("Subnets specified must be in the same VPC.");
        }

        return known;
    }
}
