namespace BlueGreen.Simulator.Aws;

/// <summary>A place a share of traffic can be sent to: a target group, or one weighted DNS record.</summary>
public abstract record TrafficDestination
{
    private TrafficDestination()
    {
    }

    /// <summary>An ELBv2 target group, named by its name, its ARN or its CloudWatch dimension (<c>targetgroup/NAME/ID</c>).</summary>
    public sealed record TargetGroup(string NameArnOrDimension) : TrafficDestination;

    /// <summary>The weighted record <paramref name="SetIdentifier"/> among the records named <paramref name="Name"/>.</summary>
    public sealed record WeightedRecord(string Name, string? SetIdentifier) : TrafficDestination;
}

/// <summary>What divides traffic among destinations: a listener's forward action, or a set of weighted records.</summary>
public abstract record TrafficSplit
{
    private TrafficSplit()
    {
    }

    /// <summary>The forward action of a listener rule, or of a listener's default action when given the listener's ARN.</summary>
    public sealed record ForwardAction(string RuleOrListenerArn) : TrafficSplit;

    /// <summary>The weighted records of one name and type (the name compared without its final dot, ignoring case).</summary>
    public sealed record RecordSet(string? Name, string? Type) : TrafficSplit;
}

/// <summary>One destination's share of one split, as its provider reports it.</summary>
/// <param name="Provider">The traffic provider, named as the upgrade input's <c>traffic.type</c> names it (<c>alb</c>, <c>route53</c>).</param>
/// <param name="Split">The provider's id of the split: the ARN of the rule (or the listener's default rule) owning the forward action, or the record name and type.</param>
/// <param name="Destination">What gets the share: the target group's ARN, or the record's set identifier.</param>
/// <param name="Cluster">The cluster the world binds to the destination, if any.</param>
/// <param name="Percent">The configured share, 0 to 100.</param>
public sealed record TrafficShare(string Provider, string Split, string Destination, string? Cluster, double Percent);

/// <summary>
/// A service that moves traffic between clusters (ELBv2 forward actions, Route 53 weighted records), as the rest of the
/// simulated world sees it. Each source answers only for its own kind of destination and split.
/// </summary>
public interface ITrafficSource
{
    /// <summary>The shares of every split this source holds.</summary>
    IEnumerable<TrafficShare> Shares { get; }

    /// <summary>Whether <paramref name="destination"/> exists; null when it is not of this source's kind, or the source cannot tell.</summary>
    bool? Knows(TrafficDestination destination);

    /// <summary>The cluster the world binds to <paramref name="destination"/>, or null.</summary>
    string? ClusterOf(TrafficDestination destination);

    /// <summary>The largest share (0-100) of any split's traffic that clients send to <paramref name="destination"/> now.</summary>
    double PercentOf(TrafficDestination destination);

    /// <summary>The largest share (0-100) of any split's traffic that clients send to a destination bound to <paramref name="cluster"/> now.</summary>
    double PercentOfCluster(string cluster);

    /// <summary>The shares of <paramref name="split"/> (empty when the split is not this source's, or has none).</summary>
    IReadOnlyList<TrafficShare> SharesOf(TrafficSplit split);

    /// <summary>What a DNS alias record needs to send traffic to the load balancer <paramref name="loadBalancerName"/>: its DNS name and canonical hosted zone; null when this source has no such load balancer.</summary>
    (string DnsName, string HostedZoneId)? AliasTargetOf(string loadBalancerName) => null;
}

/// <summary>
/// Where traffic goes, shared across services: ELBv2 and Route 53 register as sources and say when their weights
/// change; CloudWatch alarms, the rehearsal summary and the console progress read the shares here, without knowing
/// which service holds them. Modelled on <see cref="WorkloadRegistry"/>.
/// </summary>
public sealed class TrafficRegistry
{
    private readonly List<ITrafficSource> _sources = [];

    /// <summary>Raised (synchronously, on the scheduler thread) after a source's weights changed as clients see them.</summary>
    public event Action? Changed;

    /// <summary>Every share of every source, in the order the sources registered.</summary>
    public IReadOnlyList<TrafficShare> Shares => [.. _sources.SelectMany(s => s.Shares)];

    public void Register(ITrafficSource source) => _sources.Add(source);

    /// <summary>Called by a source after its weights changed.</summary>
    public void NotifyChanged() => Changed?.Invoke();

    /// <summary>
    /// Whether <paramref name="destination"/> exists; null when no registered source holds destinations of its kind
    /// (a world without a load balancer cannot say whether a target group exists).
    /// </summary>
    public bool? Knows(TrafficDestination destination)
    {
        bool? known = null;
        foreach (var source in _sources)
        {
            known = source.Knows(destination) switch
            {
                true => true,
                false => known ?? false,
                null => known,
            };
        }

        return known;
    }

    public string? ClusterOf(TrafficDestination destination) =>
        _sources.Select(s => s.ClusterOf(destination)).FirstOrDefault(c => c is not null);

    public double PercentOf(TrafficDestination destination) =>
        _sources.Select(s => s.PercentOf(destination)).DefaultIfEmpty(0).Max();

    public double PercentOfCluster(string cluster) =>
        _sources.Select(s => s.PercentOfCluster(cluster)).DefaultIfEmpty(0).Max();

    public IReadOnlyList<TrafficShare> SharesOf(TrafficSplit split) => [.. _sources.SelectMany(s => s.SharesOf(split))];

    /// <summary>The alias target of the load balancer <paramref name="loadBalancerName"/> (Route 53 worlds point records at load balancers by name).</summary>
    public (string DnsName, string HostedZoneId)? AliasTargetOf(string loadBalancerName) =>
        _sources.Select(s => s.AliasTargetOf(loadBalancerName)).FirstOrDefault(t => t is not null);
}
