using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>A Fargate profile: which pods (namespace and labels) run on Fargate, and as which role.</summary>
public sealed class EksFargateProfile
{
    public required string Name { get; init; }

    public required string Arn { get; init; }

    public required string ClusterName { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required string PodExecutionRoleArn { get; init; }

    public IReadOnlyList<string> Subnets { get; init; } = [];

    /// <summary>Selectors in Step Functions' shape: <c>[{Namespace, Labels?}]</c>.</summary>
    public JArray Selectors { get; init; } = JArray.Empty;

    public string Status { get; init; } = "ACTIVE";

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Fargate profiles: ListFargateProfiles and DescribeFargateProfile. Blue's Fargate profiles are read by preflight,
/// which refuses them (Blue/Green upgrades do not copy them); profiles come from the world's eks.fargateProfiles.
/// </summary>
internal sealed class EksFargate(EksStore store) : EksResource(store)
{
    public JObject List(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        var names = cluster.FargateProfiles.Keys.Order(StringComparer.Ordinal).ToList();
        var (page, next) = EksWire.Page(names, p.OptionalInt("MaxResults"), p.OptionalString("NextToken"), "fargateProfiles", Invalid);
        return WithNextToken(JObject.Of(("FargateProfileNames", EksWire.Strings(page))), next);
    }

    public JObject Describe(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        var name = p.RequiredString("FargateProfileName");
        var profile = cluster.FargateProfiles.GetValueOrDefault(name)
            ?? throw NotFound($"No Fargate Profile found with name: {name}.");
        return JObject.Of(("FargateProfile", new JObjectBuilder()
            .Add("FargateProfileName", profile.Name)
            .Add("FargateProfileArn", profile.Arn)
            .Add("ClusterName", profile.ClusterName)
            .Add("CreatedAt", EksWire.Timestamp(profile.CreatedAt))
            .Add("PodExecutionRoleArn", profile.PodExecutionRoleArn)
            .Add("Subnets", EksWire.Strings(profile.Subnets))
            .Add("Selectors", profile.Selectors)
            .Add("Status", profile.Status)
            .Add("Tags", JObject.From(profile.Tags.Select(t => new KeyValuePair<string, JValue>(t.Key, t.Value))))
            .Build()));
    }

    /// <summary>World field <c>eks.fargateProfiles: [ { clusterName, name, podExecutionRoleArn?, selectors?, subnets?, tags? } ]</c>.</summary>
    public void Seed(WorldReader r)
    {
        var clusterName = r.Req("clusterName");
        var name = r.Req("name");
        if (!Clusters.TryGetValue(clusterName, out var cluster))
        {
            r.Problem($"clusterName '{clusterName}' is not a cluster of the world");
            return;
        }

        if (cluster.FargateProfiles.ContainsKey(name))
        {
            r.Problem($"cluster {clusterName} already has a Fargate profile '{name}'");
            return;
        }

        var selectors = new List<JValue>();
        foreach (var (item, path) in r.Items("selectors"))
        {
            var s = new WorldReader(item, path, r.Problems, "namespace", "labels");
            var selector = new JObjectBuilder().Add("Namespace", s.Req("namespace"));
            if (s.Map("labels") is { Count: > 0 } labels)
            {
                selector.Add("Labels", JObject.From(labels.Select(l => new KeyValuePair<string, JValue>(l.Key, l.Value))));
            }

            selectors.Add(selector.Build());
        }

        cluster.FargateProfiles[name] = new EksFargateProfile
        {
            Name = name,
            ClusterName = clusterName,
            Arn = Account.Arn("eks", $"fargateprofile/{clusterName}/{name}/{Ids.Uuid(new Random(StableHash.Of(clusterName + "/" + name)))}"),
            CreatedAt = cluster.CreatedAt,
            PodExecutionRoleArn = r.Str("podExecutionRoleArn") ?? $"arn:aws:iam::{Account.AccountId}:role/eks-fargate-pod-execution-role",
            Subnets = r.Strs("subnets") is { Count: > 0 } subnets ? subnets : cluster.VpcConfig.SubnetIds,
            Selectors = JArray.From(selectors),
            Tags = r.Map("tags"),
        };
    }
}
