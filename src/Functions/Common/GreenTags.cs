namespace BlueGreen.Functions.Common;

/// <summary>
/// Tags for everything created on Green: Blue's own tags (so cost allocation and ownership carry over),
/// minus AWS-reserved "aws:" tags and tags of an earlier Blue/Green run, plus tags naming this run.
/// </summary>
public static class GreenTags
{
    public const string Prefix = "bluegreen:";
    public const string RunId = "bluegreen:run-id";
    public const string Role = "bluegreen:role";
    public const string BlueCluster = "bluegreen:blue-cluster";
    public const string ManagedBy = "bluegreen:managed-by";
    public const string ManagedByValue = "eks-bluegreen-upgrade";

    /// <summary>EKS allows 50 tags per resource.</summary>
    public const int MaxTags = 50;

    /// <summary><paramref name="source"/>'s tags (Blue's, for the resource Green's copy is made from) plus the run's own.</summary>
    public static SortedDictionary<string, string> For(string runId, string blueClusterName, IReadOnlyDictionary<string, string>? source)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in source ?? new Dictionary<string, string>())
        {
            if (!key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) && !key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                tags[key] = value;
            }
        }
        tags[RunId] = runId;
        tags[Role] = "green";
        tags[BlueCluster] = blueClusterName;
        tags[ManagedBy] = ManagedByValue;
        return tags;
    }
}
