using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// Clusters: CreateCluster (with the creator's access entry when the authentication mode allows access entries),
/// DescribeCluster, ListClusters and DeleteCluster, changing state over virtual time. The endpoint, OIDC issuer and
/// certificate authority show once the cluster is ACTIVE.
/// </summary>
internal sealed class EksClusters(EksStore store, EksAccessEntries accessEntries, EksWorkloads workloads) : EksResource(store)
{
    private static readonly string[] LogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

    public JObject Create(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var name = p.RequiredString("Name");
        var token = p.OptionalString("ClientRequestToken");
        if (TryReplay("CreateCluster", "-", token, name, () => Clusters.ContainsKey(name)))
        {
            return JObject.Of(("Cluster", ClusterJson(Clusters[name])));
        }

        if (name.Length > 100 || !ClusterNameRegex().IsMatch(name))
        {
            throw Invalid($"The cluster name '{name}' is invalid. It must be 1-100 characters, start with an alphanumeric character and contain only alphanumeric characters, hyphens and underscores.");
        }

        if (Clusters.ContainsKey(name))
        {
            throw InUse($"Cluster already exists with name: {name}");
        }

        if (Clusters.Count >= Behaviour.MaxClusters)
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
        var id = Ids.Hex(random, 32, upper: true);
        var cluster = new SimulatedCluster
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
        Clusters[name] = cluster;
        RememberToken("CreateCluster", "-", token, name);
        if (Behaviour.GreenFaulty || Behaviour.FaultyClusters.Contains(name))
        {
            Account.Workloads.SetFaulty(name, true);
        }

        if (bootstrap && authenticationMode != "CONFIG_MAP")
        {
            // The creator gets an access entry with cluster-admin, as EKS does with bootstrapClusterCreatorAdminPermissions.
            var entry = accessEntries.New(cluster, context.PrincipalArn ?? CreatorPrincipalArn, "STANDARD", [], null, []);
            entry.Policies.Add(new EksAssociatedPolicy { PolicyArn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", ScopeType = "cluster", AssociatedAt = Now, ModifiedAt = Now });
            cluster.AccessEntries[entry.PrincipalArn] = entry;
        }

        var outcome = Behaviour.ClusterOutcomes.GetValueOrDefault(name) ?? "ACTIVE";
        cluster.StatusTimer = Account.Scheduler.Schedule(Now + TimeSpan.FromMinutes(Behaviour.ClusterCreateMinutes), () => FinishCreation(cluster, outcome));
        return JObject.Of(("Cluster", ClusterJson(cluster)));
    }

    public void FinishCreation(SimulatedCluster cluster, string outcome)
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

        workloads.Reevaluate(cluster);
    }

    private EksVpcConfig ResolveVpcConfig(JObject vpc)
    {
        var subnets = EksWire.ReadStrings(vpc.GetArray("SubnetIds"));
        if (subnets.Count == 0)
        {
            throw Invalid("Subnets specified must be in at least two different AZs");
        }

        var vpcId = Network.VpcOf(subnets, Invalid) ?? $"vpc-{Ids.Hex(new Random(StableHash.Of(string.Join(',', subnets))), 17, upper: false)}";
        var random = Account.Random;
        return new EksVpcConfig(
            subnets,
            EksWire.ReadStrings(vpc.GetArray("SecurityGroupIds")),
            $"sg-{Ids.Hex(random, 17, upper: false)}",
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

    public JObject Describe(JObject parameters, AwsCallContext context) =>
        JObject.Of(("Cluster", ClusterJson(RequireCluster(Read(parameters).RequiredString("Name")))));

    public JObject List(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var names = Clusters.Keys.Order(StringComparer.Ordinal).ToList();
        var (page, next) = EksWire.Page(names, p.OptionalInt("MaxResults"), p.OptionalString("NextToken"), "clusters", Invalid);
        return WithNextToken(JObject.Of(("Clusters", EksWire.Strings(page))), next);
    }

    public JObject Delete(JObject parameters, AwsCallContext context)
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
        workloads.Reevaluate(cluster);
        cluster.StatusTimer = Account.Scheduler.Schedule(Now + TimeSpan.FromMinutes(Behaviour.ClusterDeleteMinutes), () =>
        {
            Clusters.Remove(cluster.Name);
            Account.Workloads.SetReady(cluster.Name, false);
        });
        return JObject.Of(("Cluster", ClusterJson(cluster)));
    }

    private static JObject ClusterJson(SimulatedCluster c)
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
}
