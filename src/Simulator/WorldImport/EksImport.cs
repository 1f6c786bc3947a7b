using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.WorldImport;

/// <summary>The captured cluster: its name, and the account and Region its ARN names (the world's account).</summary>
public sealed record CapturedCluster(string Name, string Region, string AccountId, string Version);

/// <summary>
/// The <c>eks</c> world section from what the AWS CLI prints (EKS members are camelCase; shapes from botocore's
/// <c>eks/2017-11-01/service-2.json</c>: DescribeClusterResponse.cluster, DescribeNodegroupResponse.nodegroup,
/// DescribeAddonResponse.addon, DescribeAccessEntryResponse.accessEntry,
/// ListAssociatedAccessPoliciesResponse.associatedAccessPolicies, DescribePodIdentityAssociationResponse.association).
/// </summary>
public static class EksImport
{
    public static (JObject Section, CapturedCluster? Cluster) Read(CapturedFiles files)
    {
        var clusterFile = Path.Combine("eks", "describe-cluster.json");
        var c = files.Member(files.Required(clusterFile, "aws eks describe-cluster --name CLUSTER"), "cluster", clusterFile);
        if (c is null)
        {
            return (JObject.Empty, null);
        }

        var name = c.GetString("name");
        var arn = c.GetString("arn")?.Split(':');
        if (name is null || arn is not { Length: 6 } || arn[2] != "eks")
        {
            files.Problems.Add($"{clusterFile}: cluster.name and cluster.arn (arn:aws:eks:REGION:ACCOUNT:cluster/NAME) are required");
            return (JObject.Empty, null);
        }

        var captured = new CapturedCluster(name, arn[3], arn[4], c.GetString("version") ?? string.Empty);
        var cluster = new JObjectBuilder()
            .Add("name", name)
            .Add("version", c.GetString("version") ?? string.Empty)
            .Add("roleArn", c.GetString("roleArn") ?? string.Empty);
        Copy(cluster, c, "status", "platformVersion", "createdAt", "endpoint", "tags");
        if (c.GetObject("accessConfig")?.GetString("authenticationMode") is { } mode)
        {
            cluster.Add("authenticationMode", mode);
        }

        if (c.GetObject("upgradePolicy")?.GetString("supportType") is { } support)
        {
            cluster.Add("supportType", support);
        }

        if (c.GetObject("resourcesVpcConfig") is { } vpc)
        {
            cluster.Add("resourcesVpcConfig", Pick(vpc, "subnetIds", "securityGroupIds", "clusterSecurityGroupId", "vpcId", "endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs"));
        }

        if (c.GetObject("kubernetesNetworkConfig") is { } network)
        {
            cluster.Add("kubernetesNetworkConfig", Pick(network, "serviceIpv4Cidr", "ipFamily"));
        }

        // logging.clusterLogging: [{types, enabled}]; the world lists the enabled types.
        var logTypes = (c.GetObject("logging")?.GetArray("clusterLogging") ?? JArray.Empty).OfType<JObject>()
            .Where(l => l.GetBool("enabled") == true).SelectMany(l => l.GetArray("types") ?? JArray.Empty);
        cluster.Add("enabledLogTypes", JArray.From(logTypes));
        if (c.GetObject("certificateAuthority")?.GetString("data") is { } ca)
        {
            cluster.Add("certificateAuthorityData", ca);
        }

        if (c.GetObject("identity")?.GetObject("oidc")?.GetString("issuer") is { } issuer)
        {
            cluster.Add("oidcIssuer", issuer);
        }

        cluster.Add("nodegroups", JArray.From(Nodegroups(files)));
        var addons = Addons(files);
        cluster.Add("addons", JArray.From(addons.Select(a => (JValue)a.World)));
        cluster.Add("podIdentityAssociations", JArray.From(PodIdentities(files, addons)));
        cluster.Add("accessEntries", JArray.From(AccessEntries(files)));
        return (JObject.Of(("clusters", JArray.Of(cluster.Build()))), captured);
    }

    private static IEnumerable<JValue> Nodegroups(CapturedFiles files)
    {
        const string list = "eks/list-nodegroups.json";
        foreach (var name in Names(files, list, "aws eks list-nodegroups --cluster-name CLUSTER", "nodegroups"))
        {
            var file = $"eks/nodegroups/{CapturedFiles.SafeName(name)}.json";
            if (files.Member(files.Required(file, $"aws eks describe-nodegroup --cluster-name CLUSTER --nodegroup-name {name}"), "nodegroup", file) is not { } n)
            {
                continue;
            }

            var world = new JObjectBuilder().Add("name", n.GetString("nodegroupName") ?? name);
            Copy(world, n, "version", "releaseVersion", "status", "createdAt", "capacityType", "scalingConfig", "instanceTypes", "subnets",
                "amiType", "nodeRole", "labels", "taints", "diskSize", "updateConfig", "launchTemplate", "tags");
            yield return world.Build();
        }
    }

    private static List<(string Arn, string Name, JObject World)> Addons(CapturedFiles files)
    {
        var addons = new List<(string, string, JObject)>();
        foreach (var name in Names(files, "eks/list-addons.json", "aws eks list-addons --cluster-name CLUSTER", "addons"))
        {
            var file = $"eks/addons/{CapturedFiles.SafeName(name)}.json";
            if (files.Member(files.Required(file, $"aws eks describe-addon --cluster-name CLUSTER --addon-name {name}"), "addon", file) is not { } a)
            {
                continue;
            }

            var world = new JObjectBuilder().Add("name", a.GetString("addonName") ?? name);
            if (a.GetString("addonVersion") is { } version)
            {
                world.Add("version", version);
            }

            Copy(world, a, "status", "serviceAccountRoleArn", "configurationValues", "tags", "createdAt");
            addons.Add((a.GetString("addonArn") ?? string.Empty, name, world.Build()));
        }

        return addons;
    }

    private static IEnumerable<JValue> PodIdentities(CapturedFiles files, List<(string Arn, string Name, JObject World)> addons)
    {
        const string list = "eks/list-pod-identity-associations.json";
        var listed = files.List(files.Required(list, "aws eks list-pod-identity-associations --cluster-name CLUSTER"), "associations", list);
        foreach (var summary in listed.OfType<JObject>())
        {
            var id = summary.GetString("associationId") ?? string.Empty;
            var file = $"eks/pod-identity-associations/{CapturedFiles.SafeName(id)}.json";
            if (files.Member(files.Required(file, $"aws eks describe-pod-identity-association --cluster-name CLUSTER --association-id {id}"), "association", file) is not { } a)
            {
                continue;
            }

            var world = new JObjectBuilder();
            Copy(world, a, "namespace", "serviceAccount", "roleArn", "tags", "targetRoleArn");
            // An association an add-on created (ownerArn = the add-on's ARN) belongs to that add-on on Green too.
            if (a.GetString("ownerArn") is { } owner)
            {
                var addon = addons.FirstOrDefault(x => x.Arn == owner);
                if (addon.Name is null)
                {
                    files.Problems.Add($"{file}: ownerArn {owner} is not an add-on of eks/list-addons.json");
                }
                else
                {
                    world.Add("ownerAddon", addon.Name);
                }
            }

            yield return world.Build();
        }
    }

    private static IEnumerable<JValue> AccessEntries(CapturedFiles files)
    {
        foreach (var principal in Names(files, "eks/list-access-entries.json", "aws eks list-access-entries --cluster-name CLUSTER", "accessEntries"))
        {
            var safe = CapturedFiles.SafeName(principal);
            var file = $"eks/access-entries/{safe}.json";
            var policiesFile = $"eks/access-entries/{safe}.policies.json";
            var entry = files.Member(files.Required(file, $"aws eks describe-access-entry --cluster-name CLUSTER --principal-arn {principal}"), "accessEntry", file);
            var policies = files.List(files.Required(policiesFile, $"aws eks list-associated-access-policies --cluster-name CLUSTER --principal-arn {principal}"), "associatedAccessPolicies", policiesFile);
            if (entry is null)
            {
                continue;
            }

            var world = new JObjectBuilder();
            Copy(world, entry, "principalArn", "type", "kubernetesGroups", "username", "tags");
            world.Add("accessPolicies", JArray.From(policies.OfType<JObject>().Select(p => (JValue)Pick(p, "policyArn", "accessScope"))));
            yield return world.Build();
        }
    }

    private static IEnumerable<string> Names(CapturedFiles files, string list, string command, string key) =>
        files.List(files.Required(list, command), key, list).Select(n => n is JString s ? s.Value : n.ToJson());

    /// <summary>The members of <paramref name="o"/> named <paramref name="keys"/> that are present (the world's names are the API's).</summary>
    internal static JObject Pick(JObject o, params string[] keys) =>
        JObject.From(keys.Where(o.ContainsKey).Select(k => new KeyValuePair<string, JValue>(k, o[k]!)));

    private static void Copy(JObjectBuilder world, JObject o, params string[] keys)
    {
        foreach (var (key, value) in Pick(o, keys))
        {
            world.Add(key, value);
        }
    }
}
