using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws;

/// <summary>A cluster registered with Argo CD because its cluster secret was written to Secrets Manager.</summary>
/// <param name="DerivedFrom">How the cluster name was found: <c>server</c> (the EKS endpoint), <c>config.awsAuthConfig.clusterName</c>, or <c>name</c>.</param>
public sealed record GitOpsRegistration(DateTimeOffset Time, string SecretName, string Cluster, string DerivedFrom);

/// <summary>
/// Argo CD cluster registrations, shared across services: Secrets Manager reports every secret written, and a secret
/// that is an Argo CD cluster secret registers its cluster with GitOps (<see cref="WorkloadRegistry.MarkGitOpsRegistered"/>),
/// as External Secrets and Argo CD would do.
/// <para>
/// A value is a cluster secret when it is a JSON object carrying the label <c>argocd.argoproj.io/secret-type: cluster</c>
/// (as a tag of the secret, in the payload's <c>labels</c>, or in <c>metadata.labels</c> of a Kubernetes Secret manifest)
/// and a <c>server</c> (at the top level, or under <c>stringData</c>). The cluster's name is, in this order: the cluster
/// whose endpoint is <c>server</c> (<see cref="ClusterDirectory"/>: Argo CD connects to that endpoint, so it identifies the
/// cluster for certain); else <c>config.awsAuthConfig.clusterName</c> (the EKS cluster name Argo CD authenticates to);
/// else <c>name</c> (Argo CD's display name, which this product sets to the cluster name).
/// </para>
/// </summary>
public sealed class GitOpsRegistry(SimulatedAccount account)
{
    public const string ArgoCdSecretTypeLabel = "argocd.argoproj.io/secret-type";

    private readonly List<GitOpsRegistration> _registrations = [];

    /// <summary>Clusters registered with GitOps through their Argo CD cluster secret, in order.</summary>
    public IReadOnlyList<GitOpsRegistration> Registrations => _registrations;

    /// <summary>Called by Secrets Manager when the secret <paramref name="secretName"/> was written and its current value is the text <paramref name="value"/>.</summary>
    public void SecretWritten(string secretName, IEnumerable<(string Key, string Value)> tags, string value)
    {
        if (!JValue.TryParse(value, out var json, out _) || json is not JObject payload)
        {
            return;
        }

        var labelled = tags.Any(t => t.Key == ArgoCdSecretTypeLabel && t.Value == "cluster")
            || payload.GetObject("labels")?.GetString(ArgoCdSecretTypeLabel) == "cluster"
            || payload.GetObject("metadata")?.GetObject("labels")?.GetString(ArgoCdSecretTypeLabel) == "cluster";
        var fields = payload.GetObject("stringData") ?? payload;
        if (!labelled || fields.GetString("server") is not { Length: > 0 } server)
        {
            return;
        }

        var config = fields["config"] switch
        {
            JObject o => o,
            JString s when JValue.TryParse(s.Value, out var parsed, out _) && parsed is JObject o => o,
            _ => null,
        };
        var (cluster, derivedFrom) = account.Clusters.ClusterAt(server) is { } byEndpoint ? (byEndpoint, "server")
            : config?.GetObject("awsAuthConfig")?.GetString("clusterName") is { Length: > 0 } byAuth ? (byAuth, "config.awsAuthConfig.clusterName")
            : fields.GetString("name") is { Length: > 0 } byName ? (byName, "name")
            : (null, null);
        if (cluster is null)
        {
            return;
        }

        account.Workloads.MarkGitOpsRegistered(cluster);
        _registrations.Add(new GitOpsRegistration(account.Scheduler.Now, secretName, cluster, derivedFrom!));
    }
}
