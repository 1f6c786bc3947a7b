using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

public sealed partial class EksService
{
    /// <summary>The AWS-managed access policies (<c>aws eks list-access-policies</c>).</summary>
    private static readonly HashSet<string> AccessPolicies =
    [
        "AmazonEKSAdminPolicy", "AmazonEKSAdminViewPolicy", "AmazonEKSAutoNodePolicy", "AmazonEKSBlockStorageClusterPolicy",
        "AmazonEKSClusterAdminPolicy", "AmazonEKSClusterInsightsPolicy", "AmazonEKSComputeClusterPolicy", "AmazonEKSEditPolicy",
        "AmazonEKSHybridPolicy", "AmazonEKSLoadBalancingClusterPolicy", "AmazonEKSNetworkingClusterPolicy", "AmazonEKSSecretReaderPolicy",
        "AmazonEKSViewPolicy", "AmazonEMRJobPolicy", "AmazonSagemakerHyperpodClusterPolicy", "AmazonSagemakerHyperpodControllerPolicy",
        "AmazonSagemakerHyperpodSystemNamespacePolicy",
    ];

    private static readonly HashSet<string> AccessEntryTypes = ["STANDARD", "EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "EC2", "HYBRID_LINUX", "HYPERPOD_LINUX"];

    private const string AccessPolicyArnPrefix = "arn:aws:eks::aws:cluster-access-policy/";

    // ---- Pod Identity associations -------------------------------------------------------------------------------

    private JObject CreatePodIdentityAssociation(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var clusterName = p.RequiredString("ClusterName");
        var ns = p.RequiredString("Namespace");
        var serviceAccount = p.RequiredString("ServiceAccount");
        var roleArn = p.RequiredString("RoleArn");
        var token = p.OptionalString("ClientRequestToken");
        var cluster = RequireCluster(clusterName);
        if (TryReplay("CreatePodIdentityAssociation", clusterName, token, $"{ns}/{serviceAccount}", () => FindAssociation(cluster, ns, serviceAccount) is not null))
        {
            return JObject.Of(("Association", AssociationJson(FindAssociation(cluster, ns, serviceAccount)!)));
        }

        RequireActiveCluster(clusterName);
        CheckNewAssociation(cluster, ns, serviceAccount, roleArn);
        var targetRoleArn = p.OptionalString("TargetRoleArn");
        if (targetRoleArn is not null && !RoleArnRegex().IsMatch(targetRoleArn))
        {
            throw Invalid($"targetRoleArn '{targetRoleArn}' is not a valid IAM role ARN.");
        }

        var association = NewAssociation(cluster, ns, serviceAccount, roleArn, ReadTags(p.OptionalObject("Tags")), ownerArn: null, p.OptionalBool("DisableSessionTags") ?? false, targetRoleArn);
        RememberToken("CreatePodIdentityAssociation", clusterName, token, $"{ns}/{serviceAccount}");
        return JObject.Of(("Association", AssociationJson(association)));
    }

    private static EksPodIdentityAssociation? FindAssociation(SimulatedCluster cluster, string ns, string serviceAccount) =>
        cluster.PodIdentityAssociations.Values.FirstOrDefault(a => a.Namespace == ns && a.ServiceAccount == serviceAccount);

    private void CheckNewAssociation(SimulatedCluster cluster, string ns, string serviceAccount, string roleArn)
    {
        if (!RoleArnRegex().IsMatch(roleArn))
        {
            throw Invalid($"roleArn '{roleArn}' is not a valid IAM role ARN.");
        }

        if (FindAssociation(cluster, ns, serviceAccount) is { } existing)
        {
            throw InUse($"A Pod Identity association already exists for service account {serviceAccount} in namespace {ns}: {existing.Id}");
        }
    }

    private EksPodIdentityAssociation NewAssociation(SimulatedCluster cluster, string ns, string serviceAccount, string roleArn, Dictionary<string, string> tags, string? ownerArn, bool disableSessionTags, string? targetRoleArn)
    {
        var id = "a-" + EksWire.Hex(Account.Random, 17, upper: false);
        var association = new EksPodIdentityAssociation
        {
            ClusterName = cluster.Name,
            Namespace = ns,
            ServiceAccount = serviceAccount,
            RoleArn = roleArn,
            Id = id,
            Arn = Account.Arn("eks", $"podidentityassociation/{cluster.Name}/{id}"),
            CreatedAt = Now,
            ModifiedAt = Now,
            Tags = tags,
            OwnerArn = ownerArn,
            DisableSessionTags = disableSessionTags,
            TargetRoleArn = targetRoleArn,
            ExternalId = targetRoleArn is null ? null : EksWire.Uuid(Account.Random),
            Sequence = ++_sequence,
        };
        cluster.PodIdentityAssociations[id] = association;
        return association;
    }

    private static EksPodIdentityAssociation RequireAssociation(SimulatedCluster cluster, string id) =>
        cluster.PodIdentityAssociations.GetValueOrDefault(id) ?? throw NotFound($"No Pod Identity association found for id: {id} in cluster: {cluster.Name}");

    private JObject DescribePodIdentityAssociation(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        return JObject.Of(("Association", AssociationJson(RequireAssociation(cluster, p.RequiredString("AssociationId")))));
    }

    private JObject ListPodIdentityAssociations(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        var ns = p.OptionalString("Namespace");
        var serviceAccount = p.OptionalString("ServiceAccount");
        var matching = cluster.PodIdentityAssociations.Values
            .Where(a => (ns is null || a.Namespace == ns) && (serviceAccount is null || a.ServiceAccount == serviceAccount))
            .OrderBy(a => a.Sequence)
            .ToList();
        var (page, next) = EksWire.Page(matching, p.OptionalInt("MaxResults"), p.OptionalString("NextToken"), "associations", Invalid);
        return WithNextToken(JObject.Of(("Associations", JArray.From(page.Select(a =>
        {
            var b = new JObjectBuilder()
                .Add("ClusterName", a.ClusterName)
                .Add("Namespace", a.Namespace)
                .Add("ServiceAccount", a.ServiceAccount)
                .Add("AssociationArn", a.Arn)
                .Add("AssociationId", a.Id);
            if (a.OwnerArn is not null)
            {
                b.Add("OwnerArn", a.OwnerArn);
            }

            return (JValue)b.Build();
        })))), next);
    }

    private JObject DeletePodIdentityAssociation(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        var association = RequireAssociation(cluster, p.RequiredString("AssociationId"));
        if (association.OwnerArn is not null && cluster.Addons.Values.Any(a => a.Arn == association.OwnerArn && a.Status != "DELETING"))
        {
            throw InvalidRequest($"Pod Identity association {association.Id} is owned by the add-on {association.OwnerArn}; update or delete the add-on instead.");
        }

        cluster.PodIdentityAssociations.Remove(association.Id);
        return JObject.Of(("Association", AssociationJson(association)));
    }

    private static JObject AssociationJson(EksPodIdentityAssociation a)
    {
        var b = new JObjectBuilder()
            .Add("ClusterName", a.ClusterName)
            .Add("Namespace", a.Namespace)
            .Add("ServiceAccount", a.ServiceAccount)
            .Add("RoleArn", a.RoleArn)
            .Add("AssociationArn", a.Arn)
            .Add("AssociationId", a.Id)
            .Add("Tags", EksWire.StringMap(a.Tags))
            .Add("CreatedAt", EksWire.Timestamp(a.CreatedAt))
            .Add("ModifiedAt", EksWire.Timestamp(a.ModifiedAt));
        if (a.OwnerArn is not null)
        {
            b.Add("OwnerArn", a.OwnerArn);
        }

        b.Add("DisableSessionTags", a.DisableSessionTags);
        if (a.TargetRoleArn is not null)
        {
            b.Add("TargetRoleArn", a.TargetRoleArn).Add("ExternalId", a.ExternalId!);
        }

        return b.Build();
    }

    // ---- access entries ------------------------------------------------------------------------------------------

    private EksAccessEntry NewAccessEntry(SimulatedCluster cluster, string principalArn, string type, IReadOnlyList<string> groups, string? username, Dictionary<string, string> tags)
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
            Arn = Account.Arn("eks", $"access-entry/{cluster.Name}/{kind}/{account}/{resourceName}/{EksWire.Uuid(Account.Random)}"),
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

    private JObject CreateAccessEntry(JObject parameters, AwsCallContext context)
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

        var entry = NewAccessEntry(cluster, principalArn, type, groups, type == "STANDARD" ? username : "system:node:{{EC2PrivateDNSName}}", ReadTags(p.OptionalObject("Tags")));
        cluster.AccessEntries[principalArn] = entry;
        RememberToken("CreateAccessEntry", clusterName, token, principalArn);
        return JObject.Of(("AccessEntry", AccessEntryJson(entry)));
    }

    private JObject DescribeAccessEntry(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        RequireAccessEntryApi(cluster);
        return JObject.Of(("AccessEntry", AccessEntryJson(RequireAccessEntry(cluster, p.RequiredString("PrincipalArn")))));
    }

    private JObject ListAccessEntries(JObject parameters, AwsCallContext context)
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

    private JObject DeleteAccessEntry(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        RequireAccessEntryApi(cluster);
        cluster.AccessEntries.Remove(RequireAccessEntry(cluster, p.RequiredString("PrincipalArn")).PrincipalArn);
        return JObject.Empty;
    }

    private JObject AssociateAccessPolicy(JObject parameters, AwsCallContext context)
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

    private JObject ListAssociatedAccessPolicies(JObject parameters, AwsCallContext context)
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

    // ---- insights ------------------------------------------------------------------------------------------------

    private JObject ListInsights(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        var filter = p.OptionalObject("Filter") ?? JObject.Empty;
        var categories = EksWire.ReadStrings(filter.GetArray("Categories"));
        var versions = EksWire.ReadStrings(filter.GetArray("KubernetesVersions"));
        var statuses = EksWire.ReadStrings(filter.GetArray("Statuses"));
        var matching = cluster.Insights
            .Where(i => (categories.Count == 0 || categories.Contains(i.Category))
                && (versions.Count == 0 || versions.Contains(i.KubernetesVersion))
                && (statuses.Count == 0 || statuses.Contains(i.Status)))
            .ToList();
        var (page, next) = EksWire.Page(matching, p.OptionalInt("MaxResults"), p.OptionalString("NextToken"), "insights", Invalid);
        return WithNextToken(JObject.Of(("Insights", JArray.From(page.Select(i => (JValue)i.ToSummaryJson())))), next);
    }

    private JObject DescribeInsight(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        var id = p.RequiredString("Id");
        var insight = cluster.Insights.FirstOrDefault(i => i.Id == id) ?? throw NotFound($"No insight found for id: {id}.");
        return JObject.Of(("Insight", insight.ToJson()));
    }
}
