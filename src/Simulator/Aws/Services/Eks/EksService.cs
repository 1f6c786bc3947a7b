using System.Text.RegularExpressions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// Amazon EKS: clusters, managed node groups, add-ons, Pod Identity associations, access entries and insights,
/// changing state over virtual time. Reached through <c>arn:aws:states:::aws-sdk:eks:*</c> (errors <c>Eks.*</c>)
/// and the optimized integrations of <see cref="Integrations.EksIntegration"/> (errors <c>EKS.*</c>).
/// It also decides when each cluster's workloads are ready (<see cref="WorkloadRegistry"/>).
/// </summary>
/// <remarks>World section <c>eks</c>: see scenarios/README.md.</remarks>
public sealed partial class EksService : AwsServiceBase, IClusterEndpoints
{
    private static readonly string[] LogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

    private readonly Dictionary<string, EksCluster> _clusters = new(StringComparer.Ordinal);

    /// <summary>ClientRequestToken to the resource it created: <c>action|cluster|token</c> to the resource name.</summary>
    private readonly Dictionary<string, string> _requestTokens = new(StringComparer.Ordinal);

    private SimulatedAccount? _account;
    private long _sequence;

    public EksService()
    {
        On("CreateCluster", CreateCluster);
        On("DescribeCluster", DescribeCluster);
        On("ListClusters", ListClusters);
        On("DeleteCluster", DeleteCluster);
        On("DescribeClusterVersions", DescribeClusterVersions);
        On("CreateNodegroup", CreateNodegroup);
        On("DescribeNodegroup", DescribeNodegroup);
        On("ListNodegroups", ListNodegroups);
        On("DeleteNodegroup", DeleteNodegroup);
        On("CreateAddon", CreateAddon);
        On("DescribeAddon", DescribeAddon);
        On("ListAddons", ListAddons);
        On("DeleteAddon", DeleteAddon);
        On("DescribeAddonVersions", DescribeAddonVersions);
        On("CreatePodIdentityAssociation", CreatePodIdentityAssociation);
        On("DescribePodIdentityAssociation", DescribePodIdentityAssociation);
        On("ListPodIdentityAssociations", ListPodIdentityAssociations);
        On("DeletePodIdentityAssociation", DeletePodIdentityAssociation);
        On("CreateAccessEntry", CreateAccessEntry);
        On("DescribeAccessEntry", DescribeAccessEntry);
        On("ListAccessEntries", ListAccessEntries);
        On("DeleteAccessEntry", DeleteAccessEntry);
        On("AssociateAccessPolicy", AssociateAccessPolicy);
        On("ListAssociatedAccessPolicies", ListAssociatedAccessPolicies);
        On("ListFargateProfiles", ListFargateProfiles);
        On("DescribeFargateProfile", DescribeFargateProfile);
        On("ListInsights", ListInsights);
        On("DescribeInsight", DescribeInsight);
        On("ListTagsForResource", ListTagsForResource);
        On("TagResource", TagResource);
    }

    public override string SdkName => "eks";

    public override string ErrorPrefix => "Eks";

    public override string IamPrefix => "eks";

    public override string ThrottlingErrorCode => "ThrottlingException";

    /// <summary>EKS reports its own failures as <c>ServerException</c>.</summary>
    public override string InternalErrorCode => "ServerException";

    public override string ValidationErrorCode => "InvalidParameterException";

    /// <summary>Faults may also target <c>eks:call</c>, the Kubernetes API integration.</summary>
    public override IEnumerable<string> FaultActions => [.. Actions, "call"];

    /// <summary>
    /// <c>eks:call</c> fails with the Kubernetes API's HTTP status (<c>EKS.403</c>): a fault on it may name one (<c>error: "403"</c>);
    /// a throttle is 429 and an internal fault 500 there.
    /// </summary>
    public override bool HasErrorCode(string code, string action, IRequestValidator? validator) =>
        (action is "call" or "*" && IsHttpStatus(code)) || base.HasErrorCode(code, action, validator);

    private static bool IsHttpStatus(string code) => code.Length == 3 && int.TryParse(code, System.Globalization.CultureInfo.InvariantCulture, out var status) && status is >= 400 and <= 599;

    public EksBehaviour Behaviour { get; } = new();

    public KubernetesVersionCalendar Calendar { get; } = new();

    public ArgoCdWorld ArgoCd { get; } = new();

    public EksNetwork Network { get; } = new();

    /// <summary>Every cluster, for assertions and other services.</summary>
    public IReadOnlyCollection<EksCluster> Clusters => _clusters.Values;

    public EksCluster? FindCluster(string name) => _clusters.GetValueOrDefault(name);

    /// <summary>The first cluster, in name order, whose endpoint DescribeCluster shows (ACTIVE, UPDATING or DELETING) and is <paramref name="endpoint"/>.</summary>
    public string? ClusterAt(string endpoint) =>
        _clusters.Values
            .Where(c => c.Status is "ACTIVE" or "UPDATING" or "DELETING")
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault(c => string.Equals(c.Endpoint.TrimEnd('/'), endpoint.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))?.Name;

    private SimulatedAccount Account => _account ?? throw new InvalidOperationException("The EKS service is not attached to an account.");

    private DateTimeOffset Now => Account.Scheduler.Now;

    private string CreatorPrincipalArn => Behaviour.CreatorPrincipalArn ?? $"arn:aws:iam::{Account.AccountId}:role/bluegreen-upgrade-state-machine";

    // ---- errors, with the codes and wording EKS uses -------------------------------------------------------

    private static AwsServiceException NotFound(string message) => new("ResourceNotFoundException", message);

    private static AwsServiceException InUse(string message) => new("ResourceInUseException", message);

    private static AwsServiceException InvalidRequest(string message) => new("InvalidRequestException", message);

    private static AwsServiceException LimitExceeded(string message) => new("ResourceLimitExceededException", message);

    private EksCluster RequireCluster(string name) =>
        _clusters.GetValueOrDefault(name) ?? throw NotFound($"No cluster found for name: {name}.");

    /// <summary>Node groups, add-ons, access entries and associations can only be created on an ACTIVE cluster.</summary>
    private EksCluster RequireActiveCluster(string name)
    {
        var cluster = RequireCluster(name);
        return cluster.Status == "ACTIVE" ? cluster : throw InvalidRequest($"Cluster '{name}' is not in ACTIVE status");
    }

    // ---- idempotency -----------------------------------------------------------------------------------------

    /// <summary>
    /// EKS create calls take a ClientRequestToken "to ensure the idempotency of the request": a retry with the
    /// same token for the same resource returns that resource instead of failing with ResourceInUseException.
    /// The same token for a different resource is rejected.
    /// </summary>
    private bool TryReplay(string action, string scope, string? token, string name, Func<bool> stillExists)
    {
        if (token is null || !_requestTokens.TryGetValue($"{action}|{scope}|{token}", out var created))
        {
            return false;
        }

        if (created != name)
        {
            throw Invalid($"The client request token '{token}' was already used for a different {action} request.");
        }

        if (stillExists())
        {
            return true;
        }

        _requestTokens.Remove($"{action}|{scope}|{token}");
        return false;
    }

    private void RememberToken(string action, string scope, string? token, string name)
    {
        if (token is not null)
        {
            _requestTokens[$"{action}|{scope}|{token}"] = name;
        }
    }

    // ---- clusters ------------------------------------------------------------------------------------------------

    [GeneratedRegex("^[0-9A-Za-z][A-Za-z0-9\\-_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ClusterNameRegex();

    [GeneratedRegex("^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleArnRegex();

    [GeneratedRegex("^arn:aws[a-z-]*:iam::\\d{12}:(role|user)/[\\w+=,.@/-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PrincipalArnRegex();

    private JObject CreateCluster(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var name = p.RequiredString("Name");
        var token = p.OptionalString("ClientRequestToken");
        if (TryReplay("CreateCluster", "-", token, name, () => _clusters.ContainsKey(name)))
        {
            return JObject.Of(("Cluster", ClusterJson(_clusters[name])));
        }

        if (name.Length > 100 || !ClusterNameRegex().IsMatch(name))
        {
            throw Invalid($"The cluster name '{name}' is invalid. It must be 1-100 characters, start with an alphanumeric character and contain only alphanumeric characters, hyphens and underscores.");
        }

        if (_clusters.ContainsKey(name))
        {
            throw InUse($"Cluster already exists with name: {name}");
        }

        if (_clusters.Count >= Behaviour.MaxClusters)
        {
            throw LimitExceeded($"Cluster limit exceeded for account {Account.AccountId} in {Account.Region}: the quota is {Behaviour.MaxClusters} clusters.");
        }

        var version = p.OptionalString("Version") ?? Calendar.DefaultVersion(Now)?.Version ?? throw Invalid("No Kubernetes version is available.");
        if (!Calendar.CanCreate(version, Now))
        {
            throw Invalid($"unsupported Kubernetes version {version}");
        }

        var roleArn = p.RequiredString("RoleArn");
        if (!RoleArnRegex().IsMatch(roleArn))
        {
            throw Invalid($"roleArn '{roleArn}' is not a valid IAM role ARN.");
        }

        var vpc = p.OptionalObject("ResourcesVpcConfig") ?? throw Invalid("Missing required parameter ResourcesVpcConfig.");
        var vpcConfig = ResolveVpcConfig(vpc);
        var access = p.OptionalObject("AccessConfig") ?? JObject.Empty;
        var authenticationMode = access.GetString("AuthenticationMode") ?? "CONFIG_MAP";
        var bootstrap = access.GetBool("BootstrapClusterCreatorAdminPermissions") ?? true;
        if (authenticationMode is not ("API" or "API_AND_CONFIG_MAP" or "CONFIG_MAP"))
        {
            throw Invalid($"Invalid authenticationMode {authenticationMode}.");
        }

        if (authenticationMode == "CONFIG_MAP" && !bootstrap)
        {
            throw Invalid("bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP");
        }

        var network = p.OptionalObject("KubernetesNetworkConfig") ?? JObject.Empty;
        var info = Calendar.Find(version)!;
        var random = context.Account.Random;
        var id = EksWire.Hex(random, 32, upper: true);
        var cluster = new EksCluster
        {
            Name = name,
            Arn = Account.Arn("eks", $"cluster/{name}"),
            CreatedAt = Now,
            Version = version,
            PlatformVersion = info.PlatformVersion,
            RoleArn = roleArn,
            VpcConfig = vpcConfig,
            ServiceIpv4Cidr = network.GetString("ServiceIpv4Cidr") ?? "172.20.0.0/16",
            IpFamily = network.GetString("IpFamily") ?? "ipv4",
            EnabledLogTypes = (p.OptionalObject("Logging")?.GetArray("ClusterLogging") ?? JArray.Empty).OfType<JObject>()
                .Where(l => l.GetBool("Enabled") == true).SelectMany(l => EksWire.ReadStrings(l.GetArray("Types"))).Distinct().ToList(),
            Endpoint = $"https://{id}.gr7.{Account.Region}.eks.amazonaws.com",
            CertificateAuthorityData = EksWire.CertificateAuthorityData(random),
            OidcIssuer = $"https://oidc.eks.{Account.Region}.amazonaws.com/id/{id}",
            ClientRequestToken = token,
            Tags = ReadTags(p.OptionalObject("Tags")),
            AuthenticationMode = authenticationMode,
            BootstrapClusterCreatorAdminPermissions = bootstrap,
            SupportType = p.OptionalObject("UpgradePolicy")?.GetString("SupportType") ?? "EXTENDED",
            DeletionProtection = p.OptionalBool("DeletionProtection") ?? false,
            Extra = Passthrough(parameters, "EncryptionConfig", "ZonalShiftConfig", "ComputeConfig", "StorageConfig", "RemoteNetworkConfig", "ControlPlaneScalingConfig"),
            NeverReady = Behaviour.GreenNeverHealthy || Behaviour.NeverReadyClusters.Contains(name),
        };
        _clusters[name] = cluster;
        RememberToken("CreateCluster", "-", token, name);
        if (Behaviour.GreenFaulty || Behaviour.FaultyClusters.Contains(name))
        {
            Account.Workloads.SetFaulty(name, true);
        }

        if (bootstrap && authenticationMode != "CONFIG_MAP")
        {
            // The creator gets an access entry with cluster-admin, as EKS does with bootstrapClusterCreatorAdminPermissions.
            var entry = NewAccessEntry(cluster, context.PrincipalArn ?? CreatorPrincipalArn, "STANDARD", [], null, []);
            entry.Policies.Add(new EksAssociatedPolicy { PolicyArn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", ScopeType = "cluster", AssociatedAt = Now, ModifiedAt = Now });
            cluster.AccessEntries[entry.PrincipalArn] = entry;
        }

        var outcome = Behaviour.ClusterOutcomes.GetValueOrDefault(name) ?? "ACTIVE";
        cluster.StatusTimer = Account.Scheduler.Schedule(Now + TimeSpan.FromMinutes(Behaviour.ClusterCreateMinutes), () => FinishClusterCreation(cluster, outcome));
        return JObject.Of(("Cluster", ClusterJson(cluster)));
    }

    private void FinishClusterCreation(EksCluster cluster, string outcome)
    {
        if (cluster.Status != "CREATING")
        {
            return;
        }

        cluster.Status = outcome;
        if (outcome == "FAILED")
        {
            cluster.HealthIssues.Add(new EksIssue("InternalFailure", "The cluster could not be created. Delete the cluster and create it again.", [cluster.Name]));
        }

        ReevaluateWorkloads(cluster);
    }

    private EksVpcConfig ResolveVpcConfig(JObject vpc)
    {
        var subnets = EksWire.ReadStrings(vpc.GetArray("SubnetIds"));
        if (subnets.Count == 0)
        {
            throw Invalid("Subnets specified must be in at least two different AZs");
        }

        var vpcId = Network.VpcOf(subnets, Invalid) ?? $"vpc-{EksWire.Hex(new Random(StableHash.Of(string.Join(',', subnets))), 17, upper: false)}";
        var random = Account.Random;
        return new EksVpcConfig(
            subnets,
            EksWire.ReadStrings(vpc.GetArray("SecurityGroupIds")),
            $"sg-{EksWire.Hex(random, 17, upper: false)}",
            vpcId,
            vpc.GetBool("EndpointPublicAccess") ?? true,
            vpc.GetBool("EndpointPrivateAccess") ?? false,
            vpc.GetArray("PublicAccessCidrs") is { } cidrs ? EksWire.ReadStrings(cidrs) : ["0.0.0.0/0"]);
    }

    private static JObject Passthrough(JObject parameters, params string[] keys)
    {
        var builder = new JObjectBuilder();
        foreach (var key in keys)
        {
            if (parameters.TryGet(key, out var value))
            {
                builder.Add(key, value);
            }
        }

        return builder.Build();
    }

    private JObject DescribeCluster(JObject parameters, AwsCallContext context) =>
        JObject.Of(("Cluster", ClusterJson(RequireCluster(Read(parameters).RequiredString("Name")))));

    private JObject ListClusters(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var names = _clusters.Keys.Order(StringComparer.Ordinal).ToList();
        var (page, next) = EksWire.Page(names, p.OptionalInt("MaxResults"), p.OptionalString("NextToken"), "clusters", Invalid);
        return WithNextToken(JObject.Of(("Clusters", EksWire.Strings(page))), next);
    }

    private JObject DeleteCluster(JObject parameters, AwsCallContext context)
    {
        var cluster = RequireCluster(Read(parameters).RequiredString("Name"));
        if (cluster.Status == "DELETING")
        {
            return JObject.Of(("Cluster", ClusterJson(cluster)));
        }

        if (cluster.Nodegroups.Count > 0)
        {
            throw InUse("Cluster has nodegroups attached");
        }

        if (cluster.Status is "CREATING" or "UPDATING" or "PENDING")
        {
            throw InUse($"Cannot delete cluster {cluster.Name} while it is in {cluster.Status} state.");
        }

        if (cluster.DeletionProtection)
        {
            throw InvalidRequest($"Cluster {cluster.Name} has deletion protection enabled. Disable it before deleting the cluster.");
        }

        cluster.StatusTimer?.Cancel();
        cluster.Status = "DELETING";
        ReevaluateWorkloads(cluster);
        cluster.StatusTimer = Account.Scheduler.Schedule(Now + TimeSpan.FromMinutes(Behaviour.ClusterDeleteMinutes), () =>
        {
            _clusters.Remove(cluster.Name);
            Account.Workloads.SetReady(cluster.Name, false);
        });
        return JObject.Of(("Cluster", ClusterJson(cluster)));
    }

    private static JObject ClusterJson(EksCluster c)
    {
        var active = c.Status is "ACTIVE" or "UPDATING";
        var logging = new List<JValue>();
        var enabled = c.EnabledLogTypes;
        var disabled = LogTypes.Except(enabled, StringComparer.Ordinal).ToList();
        if (enabled.Count > 0)
        {
            logging.Add(JObject.Of(("Types", EksWire.Strings(enabled)), ("Enabled", true)));
        }

        if (disabled.Count > 0)
        {
            logging.Add(JObject.Of(("Types", EksWire.Strings(disabled)), ("Enabled", false)));
        }

        var b = new JObjectBuilder()
            .Add("Name", c.Name)
            .Add("Arn", c.Arn)
            .Add("CreatedAt", EksWire.Timestamp(c.CreatedAt))
            .Add("Version", c.Version);
        if (active || c.Status == "DELETING")
        {
            b.Add("Endpoint", c.Endpoint);
        }

        b.Add("RoleArn", c.RoleArn)
            .Add("ResourcesVpcConfig", JObject.Of(
                ("SubnetIds", EksWire.Strings(c.VpcConfig.SubnetIds)),
                ("SecurityGroupIds", EksWire.Strings(c.VpcConfig.SecurityGroupIds)),
                ("ClusterSecurityGroupId", c.VpcConfig.ClusterSecurityGroupId),
                ("VpcId", c.VpcConfig.VpcId),
                ("EndpointPublicAccess", c.VpcConfig.EndpointPublicAccess),
                ("EndpointPrivateAccess", c.VpcConfig.EndpointPrivateAccess),
                ("PublicAccessCidrs", EksWire.Strings(c.VpcConfig.PublicAccessCidrs))))
            .Add("KubernetesNetworkConfig", JObject.Of(
                ("ServiceIpv4Cidr", c.ServiceIpv4Cidr),
                ("IpFamily", c.IpFamily),
                ("ElasticLoadBalancing", JObject.Of(("Enabled", false)))))
            .Add("Logging", JObject.Of(("ClusterLogging", JArray.From(logging))));
        if (active || c.Status == "DELETING")
        {
            b.Add("Identity", JObject.Of(("Oidc", JObject.Of(("Issuer", c.OidcIssuer)))));
        }

        b.Add("Status", c.Status)
            .Add("CertificateAuthority", active || c.Status == "DELETING" ? JObject.Of(("Data", c.CertificateAuthorityData)) : JObject.Empty);
        if (c.ClientRequestToken is not null)
        {
            b.Add("ClientRequestToken", c.ClientRequestToken);
        }

        b.Add("PlatformVersion", c.PlatformVersion)
            .Add("Tags", EksWire.StringMap(c.Tags))
            .Add("Health", JObject.Of(("Issues", JArray.From(c.HealthIssues.Select(i => (JValue)i.ToJson())))))
            .Add("AccessConfig", JObject.Of(("AuthenticationMode", c.AuthenticationMode)))
            .Add("UpgradePolicy", JObject.Of(("SupportType", c.SupportType)));
        foreach (var (key, value) in c.Extra)
        {
            b.Add(key, value);
        }

        if (c.DeletionProtection)
        {
            b.Add("DeletionProtection", true);
        }

        return b.Build();
    }

    private static JObject WithNextToken(JObject response, string? next) => next is null ? response : response.With("NextToken", next);

    // ---- versions ------------------------------------------------------------------------------------------------

    private JObject DescribeClusterVersions(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var clusterType = p.OptionalString("ClusterType") ?? "eks";
        var includeAll = p.OptionalBool("IncludeAll") ?? false;
        var defaultOnly = p.OptionalBool("DefaultOnly") ?? false;
        var wanted = p.Strings("ClusterVersions");
        var versionStatus = p.OptionalString("VersionStatus");
        var legacyStatus = p.OptionalString("Status");
        var defaultVersion = Calendar.DefaultVersion(Now)?.Version;
        var versions = clusterType != "eks"
            ? []
            : Calendar.Released(Now)
                .Where(v => includeAll || v.VersionStatus(Now) != "UNSUPPORTED" || wanted.Contains(v.Version))
                .Where(v => !defaultOnly || v.Version == defaultVersion)
                .Where(v => wanted.Count == 0 || wanted.Contains(v.Version))
                .Where(v => versionStatus is null || v.VersionStatus(Now) == versionStatus)
                .Where(v => legacyStatus is null || v.LegacyStatus(Now) == legacyStatus)
                .ToList();
        var (page, next) = EksWire.Page(versions, p.OptionalInt("MaxResults"), p.OptionalString("NextToken"), "versions", Invalid);
        return WithNextToken(JObject.Of(("ClusterVersions", JArray.From(page.Select(v => (JValue)JObject.Of(
            ("ClusterVersion", v.Version),
            ("ClusterType", "eks"),
            ("DefaultPlatformVersion", v.PlatformVersion),
            ("DefaultVersion", v.Version == defaultVersion),
            ("ReleaseDate", EksWire.Timestamp(v.Release)),
            ("EndOfStandardSupportDate", EksWire.Timestamp(v.EndOfStandardSupport)),
            ("EndOfExtendedSupportDate", EksWire.Timestamp(v.EndOfExtendedSupport)),
            ("Status", v.LegacyStatus(Now)),
            ("VersionStatus", v.VersionStatus(Now)),
            ("KubernetesPatchVersion", v.PatchVersion)))))), next);
    }

    // ---- tags ----------------------------------------------------------------------------------------------------

    private Dictionary<string, string> ReadTags(JObject? tags)
    {
        var map = EksWire.ReadStringMap(tags, Invalid, "tags");
        if (map.Count > 50)
        {
            throw Invalid("The number of tags exceeds the limit of 50.");
        }

        if (map.Keys.FirstOrDefault(k => k.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)) is { } reserved)
        {
            throw Invalid($"Tag keys starting with 'aws:' are reserved: {reserved}.");
        }

        return map;
    }

    /// <summary>The tag map of the resource named by <paramref name="arn"/>: a cluster, node group, add-on, association or access entry.</summary>
    private Dictionary<string, string> TagsOf(string arn)
    {
        if (!arn.StartsWith("arn:aws:eks:", StringComparison.Ordinal))
        {
            throw new AwsServiceException("BadRequestException", $"Invalid ARN: {arn}");
        }

        foreach (var c in _clusters.Values)
        {
            if (c.Arn == arn)
            {
                return c.Tags;
            }

            var tags = c.Nodegroups.Values.FirstOrDefault(n => n.Arn == arn)?.Tags
                ?? c.Addons.Values.FirstOrDefault(a => a.Arn == arn)?.Tags
                ?? c.PodIdentityAssociations.Values.FirstOrDefault(a => a.Arn == arn)?.Tags
                ?? c.AccessEntries.Values.FirstOrDefault(a => a.Arn == arn)?.Tags;
            if (tags is not null)
            {
                return tags;
            }
        }

        throw new AwsServiceException("NotFoundException", $"Resource not found: {arn}");
    }

    public override IReadOnlyDictionary<string, string>? ResourceTags(string arn)
    {
        try
        {
            return TagsOf(arn);
        }
        catch (AwsServiceException)
        {
            return null;
        }
    }

    /// <summary>The ARN of a node group (its id is EKS's), or null when there is none.</summary>
    public string? NodegroupArn(string cluster, string nodegroup) => _clusters.GetValueOrDefault(cluster)?.Nodegroups.GetValueOrDefault(nodegroup)?.Arn;

    public string? AddonArn(string cluster, string addon) => _clusters.GetValueOrDefault(cluster)?.Addons.GetValueOrDefault(addon)?.Arn;

    public string? AccessEntryArn(string cluster, string principalArn) => _clusters.GetValueOrDefault(cluster)?.AccessEntries.GetValueOrDefault(principalArn)?.Arn;

    public string? PodIdentityAssociationArn(string cluster, string associationId) =>
        _clusters.GetValueOrDefault(cluster)?.PodIdentityAssociations.Values.FirstOrDefault(a => a.Arn.EndsWith("/" + associationId, StringComparison.Ordinal))?.Arn;

    private JObject ListTagsForResource(JObject parameters, AwsCallContext context) =>
        JObject.Of(("Tags", EksWire.StringMap(TagsOf(Read(parameters).RequiredString("ResourceArn")))));

    private JObject TagResource(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var tags = TagsOf(p.RequiredString("ResourceArn"));
        Dictionary<string, string> added;
        try
        {
            added = ReadTags(p.OptionalObject("Tags") ?? throw Invalid("Missing required parameter Tags."));
        }
        catch (AwsServiceException e) when (e.Code == ValidationErrorCode)
        {
            throw new AwsServiceException("BadRequestException", e.Message);
        }

        if (tags.Keys.Union(added.Keys).Count() > 50)
        {
            throw new AwsServiceException("BadRequestException", "The number of tags exceeds the limit of 50.");
        }

        foreach (var (key, value) in added)
        {
            tags[key] = value;
        }

        return JObject.Empty;
    }
}
