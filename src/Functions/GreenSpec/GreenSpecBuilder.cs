using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.GreenSpec;

/// <summary>
/// Turns Blue's description into Green's create requests. Green is Blue at the target version: same IAM
/// roles, network, logging, encryption and tags; add-ons at versions valid for the target; nodegroups
/// with the same shape (Amazon Linux 2 moving to Amazon Linux 2023 where AL2 no longer exists).
/// </summary>
public static class GreenSpecBuilder
{
    // With these three as managed add-ons on Blue, Green gets them as managed add-ons too, so EKS must not
    // also install its unmanaged copies at cluster creation.
    private static readonly string[] CoreAddons = ["vpc-cni", "kube-proxy", "coredns"];

    private static readonly string[] NodeEntryTypes = ["EC2_LINUX", "EC2_WINDOWS"];

    public static GreenSpecification Build(BuildGreenSpecRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = request.Plan;
        var notes = new List<string>();
        var skipped = new List<SkippedItem>();
        var unsupported = new List<string>();
        var target = KubernetesVersion.Parse(plan.TargetVersion)
            ?? throw new InvalidInput($"plan.targetVersion: not a Kubernetes version: {plan.TargetVersion}");

        var createCluster = BuildCluster(request, notes, unsupported);
        var nodegroups = request.Nodegroups.Select(g => BuildNodegroup(plan, g, target, notes, unsupported)).ToList();
        var addons = BuildAddons(request, notes);
        var podIdentities = BuildPodIdentities(request, skipped);
        var accessEntries = BuildAccessEntries(request, skipped);

        if (unsupported.Count > 0)
        {
            throw new UnsupportedClusterConfiguration(unsupported);
        }

        if (request.Deployment is { } deployment && RolesNotPassable(deployment, createCluster, nodegroups, accessEntries, podIdentities, addons) is { Count: > 0 } unpassable)
        {
            throw new PreflightFailed(unpassable);
        }

        return new GreenSpecification
        {
            GreenClusterName = plan.GreenClusterName,
            CreateCluster = createCluster,
            AccessEntries = accessEntries,
            PodIdentityAssociations = podIdentities,
            Addons = addons,
            Nodegroups = nodegroups,
            Skipped = skipped,
            Notes = notes,
        };
    }

    /// <summary>
    /// Every role Green's create requests pass, checked against the roles the deployment may pass (its role's iam:PassRole
    /// statements come from the same settings): a role outside them would fail with AccessDenied while Green is half built.
    /// </summary>
    private static List<string> RolesNotPassable(DeploymentFacts deployment, CreateClusterRequest cluster, IReadOnlyList<CreateNodegroupRequest> nodegroups,
        IReadOnlyList<GreenAccessEntry> accessEntries, IReadOnlyList<CreatePodIdentityAssociationRequest> podIdentities, IReadOnlyList<CreateAddonRequest> addons)
    {
        var passed = new List<(string Role, string What, string Setting, string Patterns)>
        {
            (cluster.RoleArn, "the cluster role", "bluegreen:clusterRoles", deployment.ClusterRoles),
        };
        passed.AddRange(nodegroups.Select(g => (g.NodeRole, $"nodegroup {g.NodegroupName}'s node role", "bluegreen:nodeRoles", deployment.NodeRoles)));
        passed.AddRange(accessEntries.Where(e => NodeEntryTypes.Contains(e.CreateAccessEntry.Type))
            .Select(e => (e.CreateAccessEntry.PrincipalArn, $"the {e.CreateAccessEntry.Type} access entry's node role", "bluegreen:nodeRoles", deployment.NodeRoles)));
        passed.AddRange(podIdentities.Select(p => (p.RoleArn, $"the Pod Identity association of {p.Namespace}/{p.ServiceAccount}", "bluegreen:podIdentityRoles", deployment.PodIdentityRoles)));
        passed.AddRange(addons.SelectMany(a => (a.PodIdentityAssociations ?? []).Select(p => (p.RoleArn, $"add-on {a.AddonName}'s Pod Identity association", "bluegreen:podIdentityRoles", deployment.PodIdentityRoles))));
        return passed
            .Where(p => !deployment.MayPass(p.Patterns, p.Role))
            .Select(p => $"{p.Role} ({p.What}) is not among the roles this deployment may pass ({p.Setting}: {(p.Patterns.Length == 0 ? "(none)" : p.Patterns)}): "
                + $"add it to {p.Setting} for this environment and deploy again, or Green would fail with AccessDenied on iam:PassRole while half built")
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static CreateClusterRequest BuildCluster(BuildGreenSpecRequest request, List<string> notes, List<string> unsupported)
    {
        var plan = request.Plan;
        var blue = request.Cluster;
        if (blue.OutpostConfig is not null)
        {
            unsupported.Add("cluster: local clusters on AWS Outposts cannot be copied");
        }
        if (string.IsNullOrEmpty(blue.RoleArn) || blue.ResourcesVpcConfig?.SubnetIds is not { Count: > 0 })
        {
            unsupported.Add("cluster: Blue's description lacks RoleArn or ResourcesVpcConfig.SubnetIds (pass DescribeCluster's Cluster)");
        }

        // Access entries need an authentication mode that includes the EKS API.
        var blueMode = blue.AccessConfig?.AuthenticationMode;
        var mode = blueMode is "API" or "API_AND_CONFIG_MAP" ? blueMode : "API_AND_CONFIG_MAP";
        if (mode != blueMode)
        {
            notes.Add($"cluster: authentication mode {blueMode ?? "CONFIG_MAP (default)"} -> {mode}, so that Blue's access entries can be created on Green");
        }

        var managedAddonNames = request.Addons.Select(a => a.AddonName).ToHashSet(StringComparer.Ordinal);
        var autoMode = blue.ComputeConfig?.Enabled == true;
        bool? bootstrapSelfManaged = autoMode || CoreAddons.All(managedAddonNames.Contains) ? false : null;
        if (bootstrapSelfManaged == false)
        {
            notes.Add("cluster: BootstrapSelfManagedAddons = false, because " + (autoMode
                ? "EKS Auto Mode manages networking and DNS itself"
                : "vpc-cni, kube-proxy and coredns are created as managed add-ons"));
        }
        if (blue.DeletionProtection == true)
        {
            notes.Add("cluster: Blue has deletion protection; Green is created without it so that a failed run can remove Green. Enable it after the upgrade completes");
        }
        if (blue.KubeApiServerConfig is not null || blue.KubeSchedulerConfig is not null || blue.KubeControllerManagerConfig is not null)
        {
            notes.Add("cluster: control plane component settings (kube-apiserver, scheduler, controller-manager) are not copied; apply them to Green after creation");
        }

        var tags = GreenTags.For(plan.RunId, plan.BlueClusterName, blue.Tags);
        CheckTagCount("cluster", tags, unsupported);
        var vpc = blue.ResourcesVpcConfig;
        return new CreateClusterRequest
        {
            Name = plan.GreenClusterName,
            Version = plan.TargetVersion,
            RoleArn = blue.RoleArn ?? "",
            // ClusterSecurityGroupId and VpcId are output only: EKS creates a new cluster security group for Green.
            ResourcesVpcConfig = new VpcConfigRequest
            {
                SubnetIds = vpc?.SubnetIds,
                SecurityGroupIds = vpc?.SecurityGroupIds is { Count: > 0 } groups ? groups : null,
                EndpointPublicAccess = vpc?.EndpointPublicAccess,
                EndpointPrivateAccess = vpc?.EndpointPrivateAccess,
                // Only meaningful (and only accepted) with a public endpoint.
                PublicAccessCidrs = vpc?.EndpointPublicAccess == true && vpc.PublicAccessCidrs is { Count: > 0 } cidrs ? cidrs : null,
                ControlPlaneEgressMode = vpc?.ControlPlaneEgressMode,
            },
            KubernetesNetworkConfig = blue.KubernetesNetworkConfig is { } network
                ? new KubernetesNetworkConfigRequest
                {
                    // ServiceIpv6Cidr is assigned by EKS; only the IPv4 range can be requested.
                    ServiceIpv4Cidr = network.ServiceIpv4Cidr,
                    IpFamily = network.IpFamily,
                    ElasticLoadBalancing = network.ElasticLoadBalancing,
                }
                : null,
            Logging = blue.Logging,
            ClientRequestToken = plan.ClientRequestToken,
            Tags = tags,
            EncryptionConfig = blue.EncryptionConfig is { Count: > 0 } encryption
                ? [.. encryption.Select(e => new EncryptionConfig { Resources = e.Resources, Provider = e.Provider is null ? null : new EncryptionProvider { KeyArn = e.Provider.KeyArn } })]
                : null,
            AccessConfig = new CreateAccessConfigRequest
            {
                // The workflow's own role creates Green and needs cluster access for its eks:call health checks;
                // EKS creates that access entry itself.
                BootstrapClusterCreatorAdminPermissions = true,
                AuthenticationMode = mode,
            },
            BootstrapSelfManagedAddons = bootstrapSelfManaged,
            UpgradePolicy = blue.UpgradePolicy,
            ZonalShiftConfig = blue.ZonalShiftConfig,
            RemoteNetworkConfig = blue.RemoteNetworkConfig,
            ComputeConfig = blue.ComputeConfig,
            StorageConfig = blue.StorageConfig,
            ControlPlaneScalingConfig = blue.ControlPlaneScalingConfig,
        };
    }

    private static CreateNodegroupRequest BuildNodegroup(UpgradePlan plan, Nodegroup blue, KubernetesVersion target,
        List<string> notes, List<string> unsupported)
    {
        var name = blue.NodegroupName ?? "";
        if (name.Length == 0 || blue.Subnets is not { Count: > 0 } || string.IsNullOrEmpty(blue.NodeRole))
        {
            unsupported.Add($"nodegroup {name}: the description lacks NodegroupName, Subnets or NodeRole (pass DescribeNodegroup's Nodegroup)");
        }
        if (blue.AmiType == "CUSTOM")
        {
            unsupported.Add($"nodegroup {name}: custom AMIs (AmiType CUSTOM) are refused; they are built for Blue's Kubernetes version");
        }

        var amiType = blue.AmiType;
        var choice = AmiTypeMigration.Choose(blue, target);
        if (choice.Refusal is { } refusal)
        {
            unsupported.Add(refusal);
        }
        else if (choice.Replacement is { } replacement)
        {
            amiType = replacement;
            notes.Add($"nodegroup {name}: AMI type {blue.AmiType} -> {replacement} (Amazon Linux 2 AMIs are not published for Kubernetes {target}"
                + (choice.Reason is null ? ")" : $"; {choice.Reason})")
                + (blue.LaunchTemplate is null ? "" : "; its launch template's user data must suit Amazon Linux 2023 (nodeadm)"));
        }

        var launchTemplate = blue.LaunchTemplate is { } lt
            // CreateNodegroup takes the id or the name, not both; the id survives a template rename.
            ? new LaunchTemplateSpecification { Id = lt.Id, Name = lt.Id is null ? lt.Name : null, Version = lt.Version }
            : null;

        var tags = GreenTags.For(plan.RunId, plan.BlueClusterName, blue.Tags);
        CheckTagCount($"nodegroup {name}", tags, unsupported);
        return new CreateNodegroupRequest
        {
            ClusterName = plan.GreenClusterName,
            NodegroupName = name,
            ScalingConfig = blue.ScalingConfig,
            // With a launch template the disk and SSH access come from the template; EKS rejects them here.
            DiskSize = launchTemplate is null ? blue.DiskSize : null,
            Subnets = blue.Subnets ?? [],
            InstanceTypes = blue.InstanceTypes is { Count: > 0 } types ? types : null,
            AmiType = amiType,
            RemoteAccess = launchTemplate is null ? blue.RemoteAccess : null,
            NodeRole = blue.NodeRole ?? "",
            Labels = blue.Labels is { Count: > 0 } labels ? labels : null,
            Taints = blue.Taints is { Count: > 0 } taints ? taints : null,
            Tags = tags,
            ClientRequestToken = RunIdentity.TokenFor(plan.ClientRequestToken, "nodegroup/" + name),
            LaunchTemplate = launchTemplate,
            UpdateConfig = blue.UpdateConfig,
            NodeRepairConfig = blue.NodeRepairConfig,
            CapacityType = blue.CapacityType,
            Version = plan.TargetVersion,
        };
    }

    private static List<CreateAddonRequest> BuildAddons(BuildGreenSpecRequest request, List<string> notes)
    {
        var plan = request.Plan;
        var result = new List<CreateAddonRequest>();
        var missing = new List<string>();
        foreach (var addon in request.Addons)
        {
            var name = addon.AddonName ?? "";
            var choice = AddonVersionSelector.Select(name, plan.TargetVersion, request.AddonVersions);
            if (choice is null)
            {
                missing.Add($"add-on {name} (version {addon.AddonVersion} on Blue): DescribeAddonVersions lists no version compatible with Kubernetes {plan.TargetVersion}; remove it from Blue or wait for a compatible release");
                continue;
            }
            notes.Add($"add-on {name}: {addon.AddonVersion} -> {choice.Version}" + (choice.IsDefault
                ? $" (the default for Kubernetes {plan.TargetVersion})"
                : $" (no default for Kubernetes {plan.TargetVersion}; the newest compatible version)"));

            // Associations an add-on owns are recreated through the add-on, not on their own.
            var owned = request.PodIdentityAssociations
                .Where(p => (p.OwnerArn is not null && p.OwnerArn == addon.AddonArn)
                            || (p.AssociationArn is not null && addon.PodIdentityAssociations?.Contains(p.AssociationArn) == true))
                .Where(p => p.ServiceAccount is not null && p.RoleArn is not null)
                .Select(p => new AddonPodIdentityAssociation { ServiceAccount = p.ServiceAccount!, RoleArn = p.RoleArn! })
                .ToList();

            result.Add(new CreateAddonRequest
            {
                ClusterName = plan.GreenClusterName,
                AddonName = name,
                AddonVersion = choice.Version,
                ServiceAccountRoleArn = addon.ServiceAccountRoleArn,
                // Green is new: anything already there (EKS's bootstrap copies) is replaced by the managed add-on.
                ResolveConflicts = "OVERWRITE",
                ClientRequestToken = RunIdentity.TokenFor(plan.ClientRequestToken, "addon/" + name),
                Tags = GreenTags.For(plan.RunId, plan.BlueClusterName, addon.Tags),
                ConfigurationValues = string.IsNullOrEmpty(addon.ConfigurationValues) ? null : addon.ConfigurationValues,
                PodIdentityAssociations = owned.Count > 0 ? owned : null,
                NamespaceConfig = addon.NamespaceConfig?.Namespace is null ? null : addon.NamespaceConfig,
            });
        }
        if (missing.Count > 0)
        {
            throw new NoCompatibleAddonVersion(missing);
        }
        return result;
    }

    private static List<CreatePodIdentityAssociationRequest> BuildPodIdentities(BuildGreenSpecRequest request, List<SkippedItem> skipped)
    {
        var plan = request.Plan;
        var result = new List<CreatePodIdentityAssociationRequest>();
        foreach (var association in request.PodIdentityAssociations)
        {
            var name = $"{association.Namespace}/{association.ServiceAccount}";
            if (association.OwnerArn is not null)
            {
                skipped.Add(new SkippedItem { Kind = "podIdentityAssociation", Name = name, Reason = $"owned by {association.OwnerArn}; recreated by that add-on's CreateAddon" });
                continue;
            }
            if (association.Namespace is null || association.ServiceAccount is null || association.RoleArn is null)
            {
                skipped.Add(new SkippedItem { Kind = "podIdentityAssociation", Name = name, Reason = "incomplete description (pass DescribePodIdentityAssociation's Association)" });
                continue;
            }
            result.Add(new CreatePodIdentityAssociationRequest
            {
                ClusterName = plan.GreenClusterName,
                Namespace = association.Namespace,
                ServiceAccount = association.ServiceAccount,
                // The IAM role trusts pods.eks.amazonaws.com, not a cluster, so the same role works on Green.
                RoleArn = association.RoleArn,
                ClientRequestToken = RunIdentity.TokenFor(plan.ClientRequestToken, "pod-identity/" + name),
                Tags = GreenTags.For(plan.RunId, plan.BlueClusterName, association.Tags),
                DisableSessionTags = association.DisableSessionTags,
                TargetRoleArn = association.TargetRoleArn,
                Policy = association.Policy,
            });
        }
        return result;
    }

    private static List<GreenAccessEntry> BuildAccessEntries(BuildGreenSpecRequest request, List<SkippedItem> skipped)
    {
        var plan = request.Plan;
        var nodeRoles = request.Nodegroups.Select(g => g.NodeRole).OfType<string>().Select(IamRoleKey.Of).ToHashSet(StringComparer.Ordinal);
        var autoModeNodeRole = request.Cluster.ComputeConfig?.Enabled == true && request.Cluster.ComputeConfig.NodeRoleArn is { } role
            ? IamRoleKey.Of(role)
            : null;
        var creator = request.CreatorRoleArn is null ? null : IamRoleKey.Of(request.CreatorRoleArn);
        var result = new List<GreenAccessEntry>();
        foreach (var item in request.AccessEntries)
        {
            var entry = item.AccessEntry;
            var principal = entry.PrincipalArn ?? "";
            var key = IamRoleKey.Of(principal);
            var type = entry.Type ?? "STANDARD";
            string? reason =
                principal.Length == 0 ? "incomplete description (pass DescribeAccessEntry's AccessEntry)"
                : creator is not null && key == creator ? "the workflow's role creates Green; EKS creates its entry (BootstrapClusterCreatorAdminPermissions)"
                : NodeEntryTypes.Contains(type) && nodeRoles.Contains(key) ? "node role of a managed nodegroup; EKS creates its entry with the nodegroup"
                : type == "EC2" && key == autoModeNodeRole ? "EKS Auto Mode node role; EKS creates its entry with the cluster"
                : null;
            if (reason is not null)
            {
                skipped.Add(new SkippedItem { Kind = "accessEntry", Name = principal, Reason = reason });
                continue;
            }
            var standard = type == "STANDARD";
            result.Add(new GreenAccessEntry
            {
                CreateAccessEntry = new CreateAccessEntryRequest
                {
                    ClusterName = plan.GreenClusterName,
                    PrincipalArn = principal,
                    // Groups and user names can only be chosen for STANDARD entries; EKS sets them for node types.
                    KubernetesGroups = standard && entry.KubernetesGroups is { Count: > 0 } groups ? groups : null,
                    Username = standard ? entry.Username : null,
                    Type = type,
                    Tags = GreenTags.For(plan.RunId, plan.BlueClusterName, entry.Tags),
                    ClientRequestToken = RunIdentity.TokenFor(plan.ClientRequestToken, "access-entry/" + principal),
                },
                AssociateAccessPolicies = [.. (item.AssociatedAccessPolicies ?? [])
                    .Where(p => p.PolicyArn is not null)
                    .Select(p => new AssociateAccessPolicyRequest
                    {
                        ClusterName = plan.GreenClusterName,
                        PrincipalArn = principal,
                        PolicyArn = p.PolicyArn!,
                        AccessScope = p.AccessScope is { Type: not null } scope
                            ? new AccessScope { Type = scope.Type, Namespaces = scope.Type == "namespace" ? scope.Namespaces : null }
                            : new AccessScope { Type = "cluster" },
                    })],
            });
        }
        return result;
    }

    private static void CheckTagCount(string what, SortedDictionary<string, string> tags, List<string> unsupported)
    {
        if (tags.Count > GreenTags.MaxTags)
        {
            unsupported.Add($"{what}: Blue's tags plus the run's {GreenTags.Prefix}* tags come to {tags.Count}, over EKS's limit of {GreenTags.MaxTags}");
        }
    }
}
