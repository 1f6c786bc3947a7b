namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// What the parts of the simulated EKS share: the clusters (each holding its node groups, add-ons, access entries, Pod
/// Identity associations, insights and Fargate profiles), the world's behaviour, versions, network and Argo CD, the
/// account, and the client request tokens that make create calls idempotent.
/// </summary>
internal sealed class EksStore(EksService service)
{
    /// <summary>ClientRequestToken to the resource it created: <c>action|cluster|token</c> to the resource name.</summary>
    private readonly Dictionary<string, string> _requestTokens = new(StringComparer.Ordinal);

    private SimulatedAccount? _account;

    public EksService Service => service;

    public Dictionary<string, SimulatedCluster> Clusters { get; } = new(StringComparer.Ordinal);

    public EksBehaviour Behaviour { get; } = new();

    public KubernetesVersionCalendar Calendar { get; } = new();

    public ArgoCdWorld ArgoCd { get; } = new();

    public EksNetwork Network { get; } = new();

    public SimulatedAccount Account => _account ?? throw new InvalidOperationException("The EKS service is not attached to an account.");

    public void Attach(SimulatedAccount account) => _account = account;

    /// <summary>
    /// EKS create calls take a ClientRequestToken "to ensure the idempotency of the request": a retry with the
    /// same token for the same resource returns that resource instead of failing with ResourceInUseException.
    /// The same token for a different resource is rejected.
    /// </summary>
    public bool TryReplay(string action, string scope, string? token, string name, Func<bool> stillExists)
    {
        if (token is null || !_requestTokens.TryGetValue($"{action}|{scope}|{token}", out var created))
        {
            return false;
        }

        if (created != name)
        {
            throw service.Invalid($"The client request token '{token}' was already used for a different {action} request.");
        }

        if (stillExists())
        {
            return true;
        }

        _requestTokens.Remove($"{action}|{scope}|{token}");
        return false;
    }

    public void RememberToken(string action, string scope, string? token, string name)
    {
        if (token is not null)
        {
            _requestTokens[$"{action}|{scope}|{token}"] = name;
        }
    }
}
