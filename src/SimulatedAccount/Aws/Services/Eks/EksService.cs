using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// Amazon EKS: clusters, managed node groups, add-ons, Pod Identity associations, access entries and insights,
/// changing state over virtual time. Reached through <c>arn:aws:states:::aws-sdk:eks:*</c> (errors <c>Eks.*</c>)
/// and the optimized integrations of <see cref="Integrations.EksIntegration"/> (errors <c>EKS.*</c>).
/// It also decides when each cluster's workloads are ready (<see cref="WorkloadRegistry"/>).
/// <para>
/// The service is the action table and the queries other parts of the simulation make; each resource is its own class
/// (<see cref="EksClusters"/>, <see cref="EksNodegroups"/>, <see cref="EksAddons"/>, <see cref="EksAccessEntries"/>,
/// <see cref="EksPodIdentity"/>, <see cref="EksVersionsAndInsights"/>, <see cref="EksFargate"/>, <see cref="EksTags"/>,
/// <see cref="KubernetesApiServer"/>), sharing state through <see cref="EksStore"/>.
/// </para>
/// </summary>
/// <remarks>World section <c>eks</c>: see scenarios/README.md.</remarks>
public sealed class EksService : AwsServiceBase, IClusterEndpoints
{
    private readonly EksStore _store;
    private readonly EksWorkloads _workloads;
    private readonly EksTags _tags;
    private readonly KubernetesApiServer _kubernetes;
    private readonly EksScenarioEvents _events;
    private readonly EksWorld _world;

    public EksService()
    {
        _store = new EksStore(this);
        _workloads = new EksWorkloads(_store);
        _tags = new EksTags(_store);
        _kubernetes = new KubernetesApiServer(_store);
        var accessEntries = new EksAccessEntries(_store);
        var podIdentity = new EksPodIdentity(_store);
        var addons = new EksAddons(_store, podIdentity);
        var nodegroups = new EksNodegroups(_store, accessEntries, addons, _workloads);
        var clusters = new EksClusters(_store, accessEntries, _workloads);
        var insights = new EksVersionsAndInsights(_store);
        var fargate = new EksFargate(_store);
        _events = new EksScenarioEvents(_store, clusters, nodegroups, addons, insights);
        _world = new EksWorld(_store, nodegroups, podIdentity, accessEntries, insights, fargate);
        On("CreateCluster", clusters.Create);
        On("DescribeCluster", clusters.Describe);
        On("ListClusters", clusters.List);
        On("DeleteCluster", clusters.Delete);
        On("DescribeClusterVersions", insights.DescribeClusterVersions);
        On("CreateNodegroup", nodegroups.Create);
        On("DescribeNodegroup", nodegroups.Describe);
        On("ListNodegroups", nodegroups.List);
        On("DeleteNodegroup", nodegroups.Delete);
        On("CreateAddon", addons.Create);
        On("DescribeAddon", addons.Describe);
        On("ListAddons", addons.List);
        On("DeleteAddon", addons.Delete);
        On("DescribeAddonVersions", addons.DescribeAddonVersions);
        On("CreatePodIdentityAssociation", podIdentity.Create);
        On("DescribePodIdentityAssociation", podIdentity.Describe);
        On("ListPodIdentityAssociations", podIdentity.List);
        On("DeletePodIdentityAssociation", podIdentity.Delete);
        On("CreateAccessEntry", accessEntries.Create);
        On("DescribeAccessEntry", accessEntries.Describe);
        On("ListAccessEntries", accessEntries.List);
        On("DeleteAccessEntry", accessEntries.Delete);
        On("AssociateAccessPolicy", accessEntries.AssociateAccessPolicy);
        On("ListAssociatedAccessPolicies", accessEntries.ListAssociatedAccessPolicies);
        On("ListFargateProfiles", fargate.List);
        On("DescribeFargateProfile", fargate.Describe);
        On("ListInsights", insights.ListInsights);
        On("DescribeInsight", insights.DescribeInsight);
        On("ListTagsForResource", _tags.ListTagsForResource);
        On("TagResource", _tags.TagResource);
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

    public EksBehaviour Behaviour => _store.Behaviour;

    public KubernetesVersionCalendar Calendar => _store.Calendar;

    public ArgoCdWorld ArgoCd => _store.ArgoCd;

    public EksNetwork Network => _store.Network;

    /// <summary>Every cluster, for assertions and other services.</summary>
    public IReadOnlyCollection<SimulatedCluster> Clusters => _store.Clusters.Values;

    public SimulatedCluster? FindCluster(string name) => _store.Clusters.GetValueOrDefault(name);

    /// <summary>The first cluster, in name order, whose endpoint DescribeCluster shows (ACTIVE, UPDATING or DELETING) and is <paramref name="endpoint"/>.</summary>
    public string? ClusterAt(string endpoint) =>
        _store.Clusters.Values
            .Where(c => c.Status is "ACTIVE" or "UPDATING" or "DELETING")
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault(c => string.Equals(c.Endpoint.TrimEnd('/'), endpoint.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))?.Name;

    public override void Attach(SimulatedAccount account)
    {
        _store.Attach(account);
        account.Clusters.Register(this);
        _workloads.Attach(account);
        _events.Attach(account);
    }

    public override void Seed(JObject section, SimulatedAccount account) => _world.Seed(section);

    public override IReadOnlyDictionary<string, string>? ResourceTags(string arn)
    {
        try
        {
            return _tags.TagsOf(arn);
        }
        catch (AwsServiceException)
        {
            return null;
        }
    }

    /// <summary>The ARN of a node group (its id is EKS's), or null when there is none.</summary>
    public string? NodegroupArn(string cluster, string nodegroup) => _store.Clusters.GetValueOrDefault(cluster)?.Nodegroups.GetValueOrDefault(nodegroup)?.Arn;

    public string? AddonArn(string cluster, string addon) => _store.Clusters.GetValueOrDefault(cluster)?.Addons.GetValueOrDefault(addon)?.Arn;

    public string? AccessEntryArn(string cluster, string principalArn) => _store.Clusters.GetValueOrDefault(cluster)?.AccessEntries.GetValueOrDefault(principalArn)?.Arn;

    public string? PodIdentityAssociationArn(string cluster, string associationId) =>
        _store.Clusters.GetValueOrDefault(cluster)?.PodIdentityAssociations.Values.FirstOrDefault(a => a.Arn.EndsWith("/" + associationId, StringComparison.Ordinal))?.Arn;

    /// <inheritdoc cref="KubernetesApiServer.KubernetesApi"/>
    public KubernetesResponse KubernetesApi(SimulatedCluster cluster, string method, string path, JObject query) => _kubernetes.KubernetesApi(cluster, method, path, query);

    /// <inheritdoc cref="KubernetesApiServer.CallKubernetesApi"/>
    public KubernetesResponse CallKubernetesApi(string clusterName, string endpoint, string certificateAuthority, string method, string path, JObject query, string? callerRoleArn) =>
        _kubernetes.CallKubernetesApi(clusterName, endpoint, certificateAuthority, method, path, query, callerRoleArn);
}
