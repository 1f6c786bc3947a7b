using System.Text.Json.Nodes;
using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Mocking;
using BlueGreen.Simulator.Json;
using JObject = BlueGreen.Simulator.Json.JObject;
using JValue = BlueGreen.Simulator.Json.JValue;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Describe Blue follows NextToken on the per-item list calls too: ListAssociatedAccessPolicies (per access
/// entry) and DescribeAddonVersions (per add-on). The simulated EKS never pages these (at most a dozen access
/// policies exist, and one add-on name gives one entry), so these tests run the real iteration of
/// upgrade.asl.json on the engine with mocked AWS answers that do: a first page with a NextToken, then a last page.
/// </summary>
public class DescribeBluePagingTests
{
    /// <summary>The ItemProcessor of describe-blue's Map state named <paramref name="map"/>, as a definition of its own.</summary>
    private static string Iteration(string map)
    {
        var definition = JsonNode.Parse(File.ReadAllText(Path.Combine(BuildInfo.RepositoryRoot, "statemachines", "describe-blue.asl.json")))!;
        var found = Find(definition, map) ?? throw new InvalidOperationException($"no Map state '{map}' in describe-blue.asl.json");
        var processor = found["ItemProcessor"]!.AsObject();
        return new JsonObject { ["StartAt"] = processor["StartAt"]!.DeepClone(), ["States"] = processor["States"]!.DeepClone() }.ToJsonString();
    }

    private static JsonNode? Find(JsonNode? node, string name) => node switch
    {
        JsonObject o when o["States"] is JsonObject states && states[name] is JsonObject state => state,
        JsonObject o => o.Select(p => Find(p.Value, name)).FirstOrDefault(n => n is not null),
        JsonArray a => a.Select(n => Find(n, name)).FirstOrDefault(n => n is not null),
        _ => null,
    };

    private static RunSummary Run(string map, string input, string mocks)
    {
        var config = MockConfig.Parse(JValue.Parse(mocks));
        var summary = LocalRunner.Run(Iteration(map), JValue.Parse(input), config.TestCase("Upgrade", "Paged"), "Upgrade");
        Assert.True(summary.Status == "SUCCEEDED", $"{summary.Error}: {summary.Cause}");
        return summary;
    }

    private static List<JObject> Requests(RunSummary summary, string resource) =>
        [.. summary.History.Where(e => e.Type == "TaskScheduled" && e.ToJson().ToJson().Contains(resource, StringComparison.Ordinal))
            .Select(e => (JObject)JValue.Parse(e.ToJson().GetObject("taskScheduledEventDetails")!.GetString("parameters")!))];

    [Fact]
    public void AccessEntry_PoliciesOnTwoPages_AreAllKept()
    {
        var summary = Run("Describe each access entry",
            """{"ClusterName":"shop-blue","PrincipalArn":"arn:aws:iam::111122223333:role/ops"}""",
            """
            {"StateMachines":{"Upgrade":{"TestCases":{"Paged":{
               "Describe the access entry":"Entry",
               "List the entry's access policies":"TwoPages"}}}},
             "MockedResponses":{
               "Entry":{"0":{"Return":{"AccessEntry":{"PrincipalArn":"arn:aws:iam::111122223333:role/ops","Type":"STANDARD"}}}},
               "TwoPages":{
                 "0":{"Return":{"ClusterName":"shop-blue","AssociatedAccessPolicies":[{"PolicyArn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"}],"NextToken":"page-2"}},
                 "1":{"Return":{"ClusterName":"shop-blue","AssociatedAccessPolicies":[{"PolicyArn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"}]}}}}}
            """);

        var output = summary.Output!.AsObject();
        Assert.Equal("arn:aws:iam::111122223333:role/ops", output.GetObject("accessEntry")!.GetString("PrincipalArn"));
        Assert.Equal(
            ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"],
            output.GetArray("associatedAccessPolicies")!.Select(p => p.AsObject().GetString("PolicyArn")));
        var requests = Requests(summary, "listAssociatedAccessPolicies");
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].GetString("NextToken"));
        Assert.Equal("page-2", requests[1].GetString("NextToken"));
        Assert.Equal("arn:aws:iam::111122223333:role/ops", requests[1].GetString("PrincipalArn"));
    }

    [Fact]
    public void Addon_VersionsOnTwoPages_AreAllKept()
    {
        var summary = Run("Describe each add-on",
            """{"ClusterName":"shop-blue","AddonName":"vpc-cni","KubernetesVersion":"1.34"}""",
            """
            {"StateMachines":{"Upgrade":{"TestCases":{"Paged":{
               "Describe the add-on":"Addon",
               "List the add-on's versions for the target":"TwoPages"}}}},
             "MockedResponses":{
               "Addon":{"0":{"Return":{"Addon":{"AddonName":"vpc-cni","AddonVersion":"v1.18.0-eksbuild.1"}}}},
               "TwoPages":{
                 "0":{"Return":{"Addons":[],"NextToken":"page-2"}},
                 "1":{"Return":{"Addons":[{"AddonName":"vpc-cni","AddonVersions":[{"AddonVersion":"v1.20.0-eksbuild.1"}]}]}}}}}
            """);

        var output = summary.Output!.AsObject();
        Assert.Equal("vpc-cni", output.GetObject("addon")!.GetString("AddonName"));
        var versions = output.GetArray("versions")!;
        Assert.Equal("v1.20.0-eksbuild.1", Assert.Single(versions).AsObject().GetArray("AddonVersions")![0].AsObject().GetString("AddonVersion"));
        var requests = Requests(summary, "describeAddonVersions");
        Assert.Equal(2, requests.Count);
        Assert.Equal("page-2", requests[1].GetString("NextToken"));
        Assert.Equal("1.34", requests[1].GetString("KubernetesVersion"));
    }
}
