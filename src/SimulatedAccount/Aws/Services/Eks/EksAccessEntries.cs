using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// Access entries (CreateAccessEntry, DescribeAccessEntry, ListAccessEntries, DeleteAccessEntry) and their access
/// policies (AssociateAccessPolicy, ListAssociatedAccessPolicies). They exist only on clusters whose authentication
/// mode is API or API_AND_CONFIG_MAP.
/// </summary>
internal sealed class EksAccessEntries(EksStore store) : EksResource(store)
{
    /// <summary>The AWS-managed access policies (<c>aws eks list-access-policies</c>).</summary>
    public static readonly HashSet<string> AccessPolicies =
    [
        "AmazonEKSAdminPolicy", "AmazonEKSAdminViewPolicy", "AmazonEKSAutoNodePolicy", "AmazonEKSBlockStorageClusterPolicy",
        "AmazonEKSClusterAdminPolicy", "AmazonEKSClusterInsightsPolicy", "AmazonEKSComputeClusterPolicy", "AmazonEKSEditPolicy",
        "AmazonEKSHybridPolicy", "AmazonEKSLoadBalancingClusterPolicy", "AmazonEKSNetworkingClusterPolicy", "AmazonEKSSecretReaderPolicy",
        "AmazonEKSViewPolicy", "AmazonEMRJobPolicy", "AmazonSagemakerHyperpodClusterPolicy", "AmazonSagemakerHyperpodControllerPolicy",
        "AmazonSagemakerHyperpodSystemNamespacePolicy",
    ];

    public static readonly HashSet<string> AccessEntryTypes = ["STANDARD", "EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "EC2", "HYBRID_LINUX", "HYPERPOD_LINUX"];

    public const string AccessPolicyArnPrefix = "arn:aws:eks::aws:cluster-access-policy/";

    public EksAccessEntry New(SimulatedCluster cluster, string principalArn, string type, IReadOnlyList<string> groups, string? username, Dictionary<string, string> tags)
    {
        // arn:aws:iam::111122223333:role/path/name -> role/111122223333/path/name
        var iam = principalArn.Split(':', 6);
        var kindAndName = iam.Length == 6 ? iam[5] : principalArn;
        var kind = kindAndName.Split('/')[0];
        var resourceName = kindAndName[(kind.Length + 1)..];
        var account = iam.Length == 6 ? iam[4] : Account.AccountId;
        username ??= kind == "role"
            ? $"arn:aws:sts::{account}:assumed-role/{resourceName.Split('/')[^1]}/{{{{SessionName}}}}"
            : principalArn;
        return new EksAccessEntry
        {
            ClusterName = cluster.Name,
            PrincipalArn = principalArn,
            KubernetesGroups = groups,
            Arn = Account.Arn("eks", $"access-entry/{cluster.Name}/{kind}/{account}/{resourceName}/{Ids.Uuid(Account.Random)}"),
            CreatedAt = Now,
            ModifiedAt = Now,
            Tags = tags,
            Username = username,
            Type = type,
        };
    }

    /// <summary>Access entries exist only when the cluster's authentication mode is API or API_AND_CONFIG_MAP.</summary>
    private static void RequireAccessEntryApi(SimulatedCluster cluster)
    {
        if (cluster.AuthenticationMode == "CONFIG_MAP")
        {
            throw InvalidRequest("The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.");
        }
    }

    private static EksAccessEntry RequireAccessEntry(SimulatedCluster cluster, string principalArn) =>
        cluster.AccessEntries.GetValueOrDefault(principalArn)
        ?? throw NotFound("The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.");

    public JObject Create(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var clusterName = p.RequiredString("ClusterName");
        var principalArn = p.RequiredString("PrincipalArn");
        var token = p.OptionalString("ClientRequestToken");
        var cluster = RequireCluster(clusterName);
        if (TryReplay("CreateAccessEntry", clusterName, token, principalArn, () => cluster.AccessEntries.ContainsKey(principalArn)))
        {
            return JObject.Of(("AccessEntry", AccessEntryJson(cluster.AccessEntries[principalArn])));
        }

        RequireAccessEntryApi(cluster);
        RequireActiveCluster(clusterName);
        if (!PrincipalArnRegex().IsMatch(principalArn))
        {
            throw Invalid($"The specified principalArn is invalid: {principalArn}. It must be the ARN of an IAM role or user.");
        }

        if (cluster.AccessEntries.ContainsKey(principalArn))
        {
            throw InUse("The specified access entry resource is already in use on this cluster.");
        }

        var type = p.OptionalString("Type") ?? "STANDARD";
        if (!AccessEntryTypes.Contains(type))
        {
            throw Invalid($"Invalid access entry type {type}.");
        }

        var groups = p.Strings("KubernetesGroups");
        var username = p.OptionalString("Username");
        if (type != "STANDARD" && (groups.Count > 0 || username is not null))
        {
            throw Invalid($"kubernetesGroups and username can't be specified for access entries of type {type}.");
        }

        if (groups.FirstOrDefault(g => g.StartsWith("system:", StringComparison.Ordinal)) is { } reserved)
        {
            throw Invalid($"The kubernetes group name {reserved} is invalid, it cannot start with system:");
        }

        if (username is not null && username.StartsWith("system:", StringComparison.Ordinal))
        {
            throw Invalid($"The username {username} is invalid, it cannot start with system:");
        }

        var entry = New(cluster, principalArn, type, groups, type == "STANDARD" ? username : "system:node:{{EC2PrivateDNSName}}", ReadTags(p.OptionalObject("Tags")));
        cluster.AccessEntries[principalArn] = entry;
        RememberToken("CreateAccessEntry", clusterName, token, principalArn);
        return JObject.Of(("AccessEntry", AccessEntryJson(entry)));
    }

    public JObject Describe(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        RequireAccessEntryApi(cluster);
        return JObject.Of(("AccessEntry", AccessEntryJson(RequireAccessEntry(cluster, p.RequiredString("PrincipalArn")))));
    }

    public JObject List(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        RequireAccessEntryApi(cluster);
        var policy = p.OptionalString("AssociatedPolicyArn");
        var principals = cluster.AccessEntries.Values
            .Where(e => policy is null || e.Policies.Any(x => x.PolicyArn == policy))
            .Select(e => e.PrincipalArn)
            .Order(StringComparer.Ordinal)
            .ToList();
        var (page, next) = EksWire.Page(principals, p.OptionalInt("MaxResults"), p.OptionalString("NextToken"), "accessEntries", Invalid);
        return WithNextToken(JObject.Of(("AccessEntries", EksWire.Strings(page))), next);
    }

    public JObject Delete(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        RequireAccessEntryApi(cluster);
        cluster.AccessEntries.Remove(RequireAccessEntry(cluster, p.RequiredString("PrincipalArn")).PrincipalArn);
        return JObject.Empty;
    }

    public JObject AssociateAccessPolicy(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        RequireAccessEntryApi(cluster);
        var entry = RequireAccessEntry(cluster, p.RequiredString("PrincipalArn"));
        var policyArn = p.RequiredString("PolicyArn");
        if (!policyArn.StartsWith(AccessPolicyArnPrefix, StringComparison.Ordinal) || !AccessPolicies.Contains(policyArn[AccessPolicyArnPrefix.Length..]))
        {
            throw Invalid($"The specified policyArn {policyArn} is not a valid access policy. List the available policies with 'list-access-policies'.");
        }

        if (entry.Type != "STANDARD")
        {
            throw InvalidRequest($"Access policies can't be associated with access entries of type {entry.Type}.");
        }

        var scope = p.OptionalObject("AccessScope") ?? throw Invalid("Missing required parameter AccessScope.");
        var scopeType = scope.GetString("Type") ?? throw Invalid("accessScope.type is required.");
        var namespaces = EksWire.ReadStrings(scope.GetArray("Namespaces"));
        if (scopeType is not ("cluster" or "namespace"))
        {
            throw Invalid($"Invalid access scope type {scopeType}: use cluster or namespace.");
        }

        if (scopeType == "namespace" && namespaces.Count == 0)
        {
            throw Invalid("Namespaces must be specified when the access scope type is namespace.");
        }

        if (scopeType == "cluster" && namespaces.Count > 0)
        {
            throw Invalid("Namespaces can't be specified when the access scope type is cluster.");
        }

        var association = entry.Policies.FirstOrDefault(x => x.PolicyArn == policyArn);
        if (association is null)
        {
            association = new EksAssociatedPolicy { PolicyArn = policyArn, ScopeType = scopeType, Namespaces = namespaces, AssociatedAt = Now, ModifiedAt = Now };
            entry.Policies.Add(association);
        }
        else
        {
            association.ScopeType = scopeType;
            association.Namespaces = namespaces;
            association.ModifiedAt = Now;
        }

        entry.ModifiedAt = Now;
        return JObject.Of(("ClusterName", cluster.Name), ("PrincipalArn", entry.PrincipalArn), ("AssociatedAccessPolicy", association.ToJson()));
    }

    public JObject ListAssociatedAccessPolicies(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        RequireAccessEntryApi(cluster);
        var entry = RequireAccessEntry(cluster, p.RequiredString("PrincipalArn"));
        var (page, next) = EksWire.Page(entry.Policies, p.OptionalInt("MaxResults"), p.OptionalString("NextToken"), "associatedPolicies", Invalid);
        var response = new JObjectBuilder()
            .Add("ClusterName", cluster.Name)
            .Add("PrincipalArn", entry.PrincipalArn);
        if (next is not null)
        {
            response.Add("NextToken", next);
        }

        return response.Add("AssociatedAccessPolicies", JArray.From(page.Select(x => (JValue)x.ToJson()))).Build();
    }

    private static JObject AccessEntryJson(EksAccessEntry e) => JObject.Of(
        ("ClusterName", e.ClusterName),
        ("PrincipalArn", e.PrincipalArn),
        ("KubernetesGroups", EksWire.Strings(e.KubernetesGroups)),
        ("AccessEntryArn", e.Arn),
        ("CreatedAt", EksWire.Timestamp(e.CreatedAt)),
        ("ModifiedAt", EksWire.Timestamp(e.ModifiedAt)),
        ("Tags", EksWire.StringMap(e.Tags)),
        ("Username", e.Username),
        ("Type", e.Type));
}
