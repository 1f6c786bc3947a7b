using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// EKS Pod Identity associations: CreatePodIdentityAssociation, DescribePodIdentityAssociation,
/// ListPodIdentityAssociations (in creation order) and DeletePodIdentityAssociation. An add-on may own associations,
/// which then go with it.
/// </summary>
internal sealed class EksPodIdentity(EksStore store) : EksResource(store)
{
    /// <summary>Creation order, for stable listings.</summary>
    private long _sequence;

    public JObject Create(JObject parameters, AwsCallContext context)
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
        CheckNew(cluster, ns, serviceAccount, roleArn);
        var targetRoleArn = p.OptionalString("TargetRoleArn");
        if (targetRoleArn is not null && !RoleArnRegex().IsMatch(targetRoleArn))
        {
            throw Invalid($"targetRoleArn '{targetRoleArn}' is not a valid IAM role ARN.");
        }

        var association = New(cluster, ns, serviceAccount, roleArn, ReadTags(p.OptionalObject("Tags")), ownerArn: null, p.OptionalBool("DisableSessionTags") ?? false, targetRoleArn);
        RememberToken("CreatePodIdentityAssociation", clusterName, token, $"{ns}/{serviceAccount}");
        return JObject.Of(("Association", AssociationJson(association)));
    }

    private static EksPodIdentityAssociation? FindAssociation(SimulatedCluster cluster, string ns, string serviceAccount) =>
        cluster.PodIdentityAssociations.Values.FirstOrDefault(a => a.Namespace == ns && a.ServiceAccount == serviceAccount);

    public void CheckNew(SimulatedCluster cluster, string ns, string serviceAccount, string roleArn)
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

    public EksPodIdentityAssociation New(SimulatedCluster cluster, string ns, string serviceAccount, string roleArn, Dictionary<string, string> tags, string? ownerArn, bool disableSessionTags, string? targetRoleArn)
    {
        var id = "a-" + Ids.Hex(Account.Random, 17, upper: false);
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
            ExternalId = targetRoleArn is null ? null : Ids.Uuid(Account.Random),
            Sequence = ++_sequence,
        };
        cluster.PodIdentityAssociations[id] = association;
        return association;
    }

    private static EksPodIdentityAssociation RequireAssociation(SimulatedCluster cluster, string id) =>
        cluster.PodIdentityAssociations.GetValueOrDefault(id) ?? throw NotFound($"No Pod Identity association found for id: {id} in cluster: {cluster.Name}");

    public JObject Describe(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        return JObject.Of(("Association", AssociationJson(RequireAssociation(cluster, p.RequiredString("AssociationId")))));
    }

    public JObject List(JObject parameters, AwsCallContext context)
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

    public JObject Delete(JObject parameters, AwsCallContext context)
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
}
