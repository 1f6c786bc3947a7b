namespace BlueGreen.Simulator.Aws;

/// <summary>A service whose Kubernetes clusters answer at API endpoints (EKS).</summary>
public interface IClusterEndpoints
{
    /// <summary>The cluster whose API endpoint is <paramref name="endpoint"/> (compared without a final slash, ignoring case), if one answers there now.</summary>
    string? ClusterAt(string endpoint);
}

/// <summary>
/// Which cluster answers at an API endpoint, shared across services: EKS registers its clusters; GitOps reads it to
/// name the cluster an Argo CD cluster secret points at. Lookups go through here rather than through EKS's API, so they
/// are neither logged nor subject to fault injection (Argo CD connects to the endpoint; it does not call EKS).
/// </summary>
public sealed class ClusterDirectory
{
    private readonly List<IClusterEndpoints> _sources = [];

    public void Register(IClusterEndpoints source) => _sources.Add(source);

    /// <summary>The cluster answering at <paramref name="endpoint"/>, or null when none does.</summary>
    public string? ClusterAt(string endpoint)
    {
        var wanted = endpoint.TrimEnd('/');
        return _sources.Select(s => s.ClusterAt(wanted)).FirstOrDefault(c => c is not null);
    }
}
