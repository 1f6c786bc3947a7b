using System.Text.RegularExpressions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Services.Eks;

/// <summary>
/// Checks every member the simulated EKS answers with against the official API model shipped in
/// @aws-sdk/client-eks (its TypeScript declarations), with Step Functions' capitalized names. Map members
/// (tags, labels, additionalInfo) hold user data and are not checked.
/// </summary>
public sealed partial class EksApiModelTests : IDisposable
{
    private static readonly Lazy<Dictionary<string, Dictionary<string, string>>?> Model = new(LoadModel);

    private readonly EksTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [GeneratedRegex(@"export interface (\w+)[^{]*\{(.*?)\n\}", RegexOptions.Singleline)]
    private static partial Regex InterfaceRegex();

    [GeneratedRegex(@"^\s*(?:readonly\s+)?(\w+)\??:\s*(.+?);\s*$", RegexOptions.Multiline)]
    private static partial Regex MemberRegex();

    [GeneratedRegex(@"/\*\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex CommentRegex();

    private static Dictionary<string, Dictionary<string, string>>? LoadModel()
    {
        var file = Path.Combine(BuildInfo.NodeDir, "node_modules", "@aws-sdk", "client-eks", "dist-types", "models", "models_0.d.ts");
        if (!File.Exists(file))
        {
            return null;
        }

        var text = CommentRegex().Replace(File.ReadAllText(file), string.Empty);
        return InterfaceRegex().Matches(text).ToDictionary(
            m => m.Groups[1].Value,
            m => MemberRegex().Matches(m.Groups[2].Value).ToDictionary(x => char.ToUpperInvariant(x.Groups[1].Value[0]) + x.Groups[1].Value[1..], x => x.Groups[2].Value.Replace(" | undefined", string.Empty, StringComparison.Ordinal)));
    }

    /// <summary>Every member path of <paramref name="value"/> that the model's <paramref name="shape"/> does not have.</summary>
    private static IEnumerable<string> Unknown(JValue value, string shape, string path)
    {
        var model = Model.Value!;
        if (value is JArray array)
        {
            foreach (var item in array.SelectMany((v, i) => Unknown(v, shape, $"{path}[{i}]")))
            {
                yield return item;
            }

            yield break;
        }

        if (value is not JObject o || !model.TryGetValue(shape, out var members))
        {
            yield break;
        }

        foreach (var (key, child) in o)
        {
            if (!members.TryGetValue(key, out var type))
            {
                yield return $"{path}.{key} (not a member of {shape})";
                continue;
            }

            var element = type.TrimEnd(']', '[');
            if (!element.StartsWith("Record<", StringComparison.Ordinal) && model.ContainsKey(element))
            {
                foreach (var problem in Unknown(child, element, $"{path}.{key}"))
                {
                    yield return problem;
                }
            }
        }
    }

    private void AssertMatchesModel(string action, string parameters, string outputShape)
    {
        if (Model.Value is null)
        {
            return; // npm packages not installed: the build prints how to restore them
        }

        var output = _bed.Call(action, parameters);

        Assert.Empty(Unknown(output, outputShape, action));
    }

    [Fact]
    public void Unknown_MisspelledNestedMember_IsReported()
    {
        if (Model.Value is null)
        {
            return;
        }

        var answer = JObject.Of(("Cluster", JObject.Of(("Name", "x"), ("ResourcesVpcConfig", JObject.Of(("SubnetIDs", JArray.Empty))))));

        Assert.Equal(["DescribeCluster.Cluster.ResourcesVpcConfig.SubnetIDs (not a member of VpcConfigResponse)"], Unknown(answer, "DescribeClusterResponse", "DescribeCluster"));
    }

    [Theory]
    [InlineData("DescribeCluster", """{"Name":"shop-blue"}""", "DescribeClusterResponse")]
    [InlineData("ListClusters", "{}", "ListClustersResponse")]
    [InlineData("DescribeClusterVersions", """{"IncludeAll":true}""", "DescribeClusterVersionsResponse")]
    [InlineData("DescribeNodegroup", """{"ClusterName":"shop-blue","NodegroupName":"batch"}""", "DescribeNodegroupResponse")]
    [InlineData("ListNodegroups", """{"ClusterName":"shop-blue"}""", "ListNodegroupsResponse")]
    [InlineData("DescribeAddon", """{"ClusterName":"shop-blue","AddonName":"coredns"}""", "DescribeAddonResponse")]
    [InlineData("ListAddons", """{"ClusterName":"shop-blue"}""", "ListAddonsResponse")]
    [InlineData("DescribeAddonVersions", """{"KubernetesVersion":"1.33"}""", "DescribeAddonVersionsResponse")]
    [InlineData("ListPodIdentityAssociations", """{"ClusterName":"shop-blue"}""", "ListPodIdentityAssociationsResponse")]
    [InlineData("ListAccessEntries", """{"ClusterName":"shop-blue"}""", "ListAccessEntriesResponse")]
    [InlineData("DescribeAccessEntry", """{"ClusterName":"shop-blue","PrincipalArn":"arn:aws:iam::111122223333:role/platform-ops"}""", "DescribeAccessEntryResponse")]
    [InlineData("ListAssociatedAccessPolicies", """{"ClusterName":"shop-blue","PrincipalArn":"arn:aws:iam::111122223333:role/platform-ops"}""", "ListAssociatedAccessPoliciesResponse")]
    [InlineData("ListInsights", """{"ClusterName":"shop-blue"}""", "ListInsightsResponse")]
    [InlineData("DescribeInsight", """{"ClusterName":"shop-blue","Id":"9a7f2b8e-4c0d-4e1f-9a3b-4c5d6e7f8a94"}""", "DescribeInsightResponse")]
    [InlineData("ListTagsForResource", """{"ResourceArn":"arn:aws:eks:ap-northeast-2:111122223333:cluster/shop-blue"}""", "ListTagsForResourceResponse")]
    public void ReadAnswers_UseOnlyMembersOfTheApiModel(string action, string parameters, string shape) =>
        AssertMatchesModel(action, parameters, shape);

    [Fact]
    public void CreateAnswers_UseOnlyMembersOfTheApiModel()
    {
        if (Model.Value is null)
        {
            return;
        }

        var cluster = _bed.Call("CreateCluster", EksTestBed.GreenCluster());
        _bed.Advance(TimeSpan.FromMinutes(9));
        var nodegroup = _bed.Call("CreateNodegroup", EksTestBed.Nodegroup(extra: ""","Taints":[{"Key":"a","Value":"b","Effect":"NO_SCHEDULE"}],"Labels":{"x":"y"}"""));
        var addon = _bed.Call("CreateAddon", """{"ClusterName":"shop-green","AddonName":"aws-ebs-csi-driver","PodIdentityAssociations":[{"ServiceAccount":"ebs-csi-controller-sa","RoleArn":"arn:aws:iam::111122223333:role/shop-ebs-csi-driver"}]}""");
        var association = _bed.Call("CreatePodIdentityAssociation", """{"ClusterName":"shop-green","Namespace":"storefront","ServiceAccount":"storefront-api","RoleArn":"arn:aws:iam::111122223333:role/shop-storefront-api"}""");
        var entry = _bed.Call("CreateAccessEntry", """{"ClusterName":"shop-green","PrincipalArn":"arn:aws:iam::111122223333:role/platform-ops"}""");
        var policy = _bed.Call("AssociateAccessPolicy", """{"ClusterName":"shop-green","PrincipalArn":"arn:aws:iam::111122223333:role/platform-ops","PolicyArn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy","AccessScope":{"Type":"cluster"}}""");
        var deleted = _bed.Call("DeleteAddon", """{"ClusterName":"shop-green","AddonName":"aws-ebs-csi-driver"}""");

        Assert.Empty(Unknown(cluster, "CreateClusterResponse", "CreateCluster")
            .Concat(Unknown(nodegroup, "CreateNodegroupResponse", "CreateNodegroup"))
            .Concat(Unknown(addon, "CreateAddonResponse", "CreateAddon"))
            .Concat(Unknown(association, "CreatePodIdentityAssociationResponse", "CreatePodIdentityAssociation"))
            .Concat(Unknown(entry, "CreateAccessEntryResponse", "CreateAccessEntry"))
            .Concat(Unknown(policy, "AssociateAccessPolicyResponse", "AssociateAccessPolicy"))
            .Concat(Unknown(deleted, "DeleteAddonResponse", "DeleteAddon")));
    }
}
