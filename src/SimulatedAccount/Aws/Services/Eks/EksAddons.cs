using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// Amazon EKS add-ons: CreateAddon (with its Pod Identity associations), DescribeAddon, ListAddons, DeleteAddon and
/// DescribeAddonVersions (from <see cref="AddonCatalog"/>). Add-ons that run as Deployments need nodes to become ACTIVE.
/// </summary>
internal sealed class EksAddons(EksStore store, EksPodIdentity podIdentity) : EksResource(store)
{
    public JObject Create(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var clusterName = p.RequiredString("ClusterName");
        var name = p.RequiredString("AddonName");
        var token = p.OptionalString("ClientRequestToken");
        var cluster = RequireCluster(clusterName);
        if (TryReplay("CreateAddon", clusterName, token, name, () => cluster.Addons.ContainsKey(name)))
        {
            return JObject.Of(("Addon", AddonJson(cluster.Addons[name])));
        }

        if (cluster.Status != "ACTIVE")
        {
            throw InvalidRequest($"Cluster '{clusterName}' is not in ACTIVE status");
        }

        var info = AddonCatalog.Find(name) ?? throw Invalid("Addon specified is not supported");
        if (cluster.Addons.ContainsKey(name))
        {
            throw InUse("Addon already exists.");
        }

        var requested = p.OptionalString("AddonVersion");
        var version = requested is null
            ? info.DefaultFor(cluster.Version) ?? throw Invalid("Addon specified is not supported")
            : info.CompatibleWith(cluster.Version).FirstOrDefault(v => v.Version == requested) ?? throw Invalid("Addon version specified is not supported");
        var serviceAccountRole = p.OptionalString("ServiceAccountRoleArn");
        if (serviceAccountRole is not null && !RoleArnRegex().IsMatch(serviceAccountRole))
        {
            throw Invalid($"serviceAccountRoleArn '{serviceAccountRole}' is not a valid IAM role ARN.");
        }

        var configuration = p.OptionalString("ConfigurationValues");
        if (configuration is { Length: > 0 } && configuration.TrimStart().StartsWith('{') && !JValue.TryParse(configuration, out _, out var error))
        {
            throw Invalid($"ConfigurationValue provided in request is not supported: {error}");
        }

        var resolve = p.OptionalString("ResolveConflicts");
        if (resolve is not null and not ("NONE" or "OVERWRITE" or "PRESERVE"))
        {
            throw Invalid($"Invalid resolveConflicts value {resolve}.");
        }

        var associations = p.Array("PodIdentityAssociations").OfType<JObject>()
            .Select(a => (ServiceAccount: a.GetString("ServiceAccount") ?? throw Invalid("podIdentityAssociations[].serviceAccount is required."),
                          RoleArn: a.GetString("RoleArn") ?? throw Invalid("podIdentityAssociations[].roleArn is required.")))
            .ToList();
        foreach (var (serviceAccount, roleArn) in associations)
        {
            podIdentity.CheckNew(cluster, "kube-system", serviceAccount, roleArn);
        }

        var addon = new EksAddon
        {
            Name = name,
            ClusterName = clusterName,
            Version = version.Version,
            Arn = Account.Arn("eks", $"addon/{clusterName}/{name}/{Ids.Uuid(context.Account.Random)}"),
            CreatedAt = Now,
            ModifiedAt = Now,
            ServiceAccountRoleArn = serviceAccountRole,
            Tags = ReadTags(p.OptionalObject("Tags")),
            ConfigurationValues = configuration,
            NeedsNodes = info.NeedsNodes,
            TargetStatus = EksBehaviour.OutcomeFor(Behaviour.AddonOutcomes, clusterName, name) ?? "ACTIVE",
        };
        foreach (var (serviceAccount, roleArn) in associations)
        {
            var association = podIdentity.New(cluster, "kube-system", serviceAccount, roleArn, addon.Tags, ownerArn: addon.Arn, disableSessionTags: false, targetRoleArn: null);
            addon.PodIdentityAssociationArns.Add(association.Arn);
        }

        cluster.Addons[name] = addon;
        RememberToken("CreateAddon", clusterName, token, name);
        Start(cluster, addon);
        return JObject.Of(("Addon", AddonJson(addon)));
    }

    /// <summary>
    /// DaemonSet add-ons finish after <see cref="EksBehaviour.AddonCreateMinutes"/>. Deployment add-ons (CoreDNS,
    /// the EBS CSI controller) need nodes: without an ACTIVE node group they stay CREATING and, after
    /// <see cref="EksBehaviour.AddonDegradedAfterMinutes"/>, turn DEGRADED (InsufficientNumberOfReplicas), as
    /// CoreDNS does on AWS when created before any node group.
    /// </summary>
    private void Start(SimulatedCluster cluster, EksAddon addon)
    {
        addon.StatusTimer?.Cancel();
        if (!addon.NeedsNodes || HasActiveNodes(cluster))
        {
            addon.WaitingForNodes = false;
            addon.StatusTimer = Account.Scheduler.Schedule(Now + TimeSpan.FromMinutes(Behaviour.AddonCreateMinutes), () => Finish(addon, addon.TargetStatus));
            return;
        }

        addon.WaitingForNodes = true;
        addon.StatusTimer = Account.Scheduler.Schedule(Now + TimeSpan.FromMinutes(Behaviour.AddonDegradedAfterMinutes), () =>
        {
            if (addon.Status == "CREATING" && addon.WaitingForNodes)
            {
                addon.Status = "DEGRADED";
                addon.ModifiedAt = Now;
                addon.HealthIssues.Add(new EksIssue("InsufficientNumberOfReplicas", "The add-on is unhealthy because it doesn't have the desired number of replicas.", []));
            }
        });
    }

    public void Finish(EksAddon addon, string status)
    {
        if (addon.Status is "DELETING")
        {
            return;
        }

        addon.Status = status;
        addon.ModifiedAt = Now;
        addon.WaitingForNodes = false;
        addon.HealthIssues.Clear();
        if (status == "DEGRADED")
        {
            addon.HealthIssues.Add(new EksIssue("InsufficientNumberOfReplicas", "The add-on is unhealthy because it doesn't have the desired number of replicas.", []));
        }
        else if (status == "CREATE_FAILED")
        {
            addon.HealthIssues.Add(new EksIssue("ConfigurationConflict", "Conflicts found when trying to apply. Will not continue due to resolve conflicts mode.", []));
        }
    }

    public static bool HasActiveNodes(SimulatedCluster cluster) => cluster.Nodegroups.Values.Any(n => n.Status is "ACTIVE" or "DEGRADED" or "UPDATING");

    public JObject Describe(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        return JObject.Of(("Addon", AddonJson(RequireAddon(cluster, p.RequiredString("AddonName")))));
    }

    private static EksAddon RequireAddon(SimulatedCluster cluster, string name) =>
        cluster.Addons.GetValueOrDefault(name) ?? throw NotFound($"No addon: {name} found in cluster: {cluster.Name}");

    public JObject List(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        var names = cluster.Addons.Keys.Order(StringComparer.Ordinal).ToList();
        var (page, next) = EksWire.Page(names, p.OptionalInt("MaxResults"), p.OptionalString("NextToken"), "addons", Invalid);
        return WithNextToken(JObject.Of(("Addons", EksWire.Strings(page))), next);
    }

    public JObject Delete(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        var addon = RequireAddon(cluster, p.RequiredString("AddonName"));
        if (addon.Status == "DELETING")
        {
            return JObject.Of(("Addon", AddonJson(addon)));
        }

        addon.StatusTimer?.Cancel();
        addon.Status = "DELETING";
        addon.ModifiedAt = Now;
        if (p.OptionalBool("Preserve") != true)
        {
            foreach (var association in cluster.PodIdentityAssociations.Values.Where(a => a.OwnerArn == addon.Arn).ToList())
            {
                cluster.PodIdentityAssociations.Remove(association.Id);
            }
        }

        addon.StatusTimer = Account.Scheduler.Schedule(Now + TimeSpan.FromMinutes(Behaviour.AddonDeleteMinutes), () => cluster.Addons.Remove(addon.Name));
        return JObject.Of(("Addon", AddonJson(addon)));
    }

    private static JObject AddonJson(EksAddon a)
    {
        var b = new JObjectBuilder()
            .Add("AddonName", a.Name)
            .Add("ClusterName", a.ClusterName)
            .Add("Status", a.Status)
            .Add("AddonVersion", a.Version)
            .Add("Health", JObject.Of(("Issues", JArray.From(a.HealthIssues.Select(i => (JValue)i.ToJson())))))
            .Add("AddonArn", a.Arn)
            .Add("CreatedAt", EksWire.Timestamp(a.CreatedAt))
            .Add("ModifiedAt", EksWire.Timestamp(a.ModifiedAt));
        if (a.ServiceAccountRoleArn is not null)
        {
            b.Add("ServiceAccountRoleArn", a.ServiceAccountRoleArn);
        }

        b.Add("Tags", EksWire.StringMap(a.Tags));
        if (a.ConfigurationValues is not null)
        {
            b.Add("ConfigurationValues", a.ConfigurationValues);
        }

        return b.Add("PodIdentityAssociations", EksWire.Strings(a.PodIdentityAssociationArns)).Build();
    }

    public JObject DescribeAddonVersions(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var kubernetesVersion = p.OptionalString("KubernetesVersion");
        var addonName = p.OptionalString("AddonName");
        var types = p.Strings("Types");
        var publishers = p.Strings("Publishers");
        var owners = p.Strings("Owners");
        var addons = AddonCatalog.All
            .Where(a => addonName is null || a.Name == addonName)
            .Where(a => types.Count == 0 || types.Contains(a.Type))
            .Where(a => publishers.Count == 0 || publishers.Contains("eks"))
            .Where(a => owners.Count == 0 || owners.Contains("aws"))
            .Select(a => (Info: a, Versions: (kubernetesVersion is null ? a.Versions : a.CompatibleWith(kubernetesVersion)).Reverse().ToList()))
            .Where(a => a.Versions.Count > 0)
            .ToList();
        var (page, next) = EksWire.Page(addons, p.OptionalInt("MaxResults"), p.OptionalString("NextToken"), "addonVersions", Invalid);
        return WithNextToken(JObject.Of(("Addons", JArray.From(page.Select(a => (JValue)JObject.Of(
            ("AddonName", a.Info.Name),
            ("Type", a.Info.Type),
            ("AddonVersions", JArray.From(a.Versions.Select(v => (JValue)JObject.Of(
                ("AddonVersion", v.Version),
                ("Architecture", JArray.Of("amd64", "arm64")),
                ("ComputeTypes", JArray.Of("ec2")),
                ("Compatibilities", JArray.From(v.ClusterVersions
                    .Where(cv => kubernetesVersion is null || cv == kubernetesVersion)
                    .Reverse()
                    .Select(cv => (JValue)JObject.Of(("ClusterVersion", cv), ("PlatformVersions", JArray.Of("*")), ("DefaultVersion", v.DefaultFor.Contains(cv)))))),
                ("RequiresConfiguration", false),
                ("RequiresIamPermissions", a.Info.RequiresIamPermissions))))),
            ("Publisher", "eks"),
            ("Owner", "aws"),
            ("DefaultNamespace", "kube-system")))))), next);
    }

    /// <summary>Node groups came: add-ons waiting for nodes may proceed.</summary>
    public void StartWaiting(SimulatedCluster cluster)
    {
        foreach (var addon in cluster.Addons.Values.Where(a => a.WaitingForNodes))
        {
            Start(cluster, addon);
        }
    }
}
