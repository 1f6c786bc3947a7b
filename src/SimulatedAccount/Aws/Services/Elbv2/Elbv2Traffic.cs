namespace BlueGreen.Simulator.Aws.Services.Elbv2;

/// <summary>
/// The load balancer's forward actions as a <see cref="ITrafficSource"/>: each rule's (or listener default action's)
/// target groups and their weighted shares. Answers for target groups and forward actions only.
/// </summary>
internal sealed class Elbv2Traffic(Elbv2Service elb) : ITrafficSource
{
    public const string Provider = "alb";

    public IEnumerable<TrafficShare> Shares => elb.Weights.Select(Share);

    /// <summary>Alarm watches name their target group by name.</summary>
    public bool? Knows(TrafficDestination destination) =>
        destination is TrafficDestination.TargetGroup tg ? elb.HasTargetGroup(tg.NameArnOrDimension) : null;

    public string? ClusterOf(TrafficDestination destination) =>
        destination is TrafficDestination.TargetGroup tg ? elb.ClusterOfTargetGroup(tg.NameArnOrDimension) : null;

    public double PercentOf(TrafficDestination destination) =>
        destination is TrafficDestination.TargetGroup tg ? elb.TrafficPercentOfTargetGroup(tg.NameArnOrDimension) : 0;

    public double PercentOfCluster(string cluster) => elb.TrafficPercentOfCluster(cluster);

    public IReadOnlyList<TrafficShare> SharesOf(TrafficSplit split) =>
        split is TrafficSplit.ForwardAction action ? [.. elb.WeightsOf(action.RuleOrListenerArn).Select(Share)] : [];

    public (string DnsName, string HostedZoneId)? AliasTargetOf(string loadBalancerName) => elb.AliasTargetOf(loadBalancerName);

    private static TrafficShare Share(ForwardWeight w) => new(Provider, w.ActionOwnerArn, w.TargetGroupArn, w.Cluster, w.Percent);
}
