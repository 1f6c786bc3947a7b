using System.Text.Json.Serialization;

namespace BlueGreen.Functions.Aws;

// The Argo CD ApplicationList returned by an eks:call GET of
// /apis/argoproj.io/v1alpha1/namespaces/<ns>/applications (Kubernetes JSON: camelCase members).

public sealed record ArgoApplicationList
{
    [JsonPropertyName("items")]
    public IReadOnlyList<ArgoApplication>? Items { get; init; }
}

public sealed record ArgoApplication
{
    [JsonPropertyName("metadata")]
    public ArgoMetadata? Metadata { get; init; }

    [JsonPropertyName("status")]
    public ArgoApplicationStatus? Status { get; init; }
}

public sealed record ArgoMetadata
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }
}

public sealed record ArgoApplicationStatus
{
    [JsonPropertyName("sync")]
    public ArgoSyncStatus? Sync { get; init; }

    [JsonPropertyName("health")]
    public ArgoHealthStatus? Health { get; init; }
}

public sealed record ArgoSyncStatus
{
    /// <summary>Synced | OutOfSync | Unknown.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }
}

public sealed record ArgoHealthStatus
{
    /// <summary>Healthy | Progressing | Degraded | Suspended | Missing | Unknown.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
