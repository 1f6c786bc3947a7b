namespace BlueGreen.Simulator.Aws.Services.Route53;

/// <summary>
/// Weighted record sets as a <see cref="ITrafficSource"/>. Alarms and clusters see the shares the name servers answer
/// with (the old weights while a change is PENDING); the shares of a split are the stored weights.
/// </summary>
internal sealed class Route53Traffic(Route53Service route53) : ITrafficSource
{
    public const string Provider = "route53";

    public IEnumerable<TrafficShare> Shares => route53.Weights.Select(Share);

    public bool? Knows(TrafficDestination destination) => null;

    public string? ClusterOf(TrafficDestination destination) =>
        destination is TrafficDestination.WeightedRecord record ? route53.ClusterOfRecord(record.Name, record.SetIdentifier) : null;

    public double PercentOf(TrafficDestination destination) =>
        destination is TrafficDestination.WeightedRecord record ? route53.ServedPercentOfRecord(record.Name, record.SetIdentifier ?? string.Empty) : 0;

    public double PercentOfCluster(string cluster) => route53.ServedPercentOfCluster(cluster);

    public IReadOnlyList<TrafficShare> SharesOf(TrafficSplit split)
    {
        if (split is not TrafficSplit.RecordSet set)
        {
            return [];
        }

        var name = set.Name?.TrimEnd('.');
        return [.. route53.Weights
            .Where(r => string.Equals(r.Name.TrimEnd('.'), name, StringComparison.OrdinalIgnoreCase) && r.Type == set.Type)
            .Select(Share)];
    }

    private static TrafficShare Share(RecordWeight r) => new(Provider, $"{r.Name}|{r.Type}", r.SetIdentifier, r.Cluster, r.Percent);
}
