using System.Text.Json.Serialization;

namespace BlueGreen.Functions.Aws;

// What the health check keeps of each named Argo CD Application: the state machine GETs
// /apis/argoproj.io/v1alpha1/namespaces/<ns>/applications/<name> with eks:call and keeps only these members (a
// ResultSelector), so the result stays small whatever the Application's status holds (resources, history).

/// <summary>One named Argo CD application as the health check read it.</summary>
public sealed record ArgoApplicationHealth
{
    /// <summary>The application's name.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>
    /// <c>found</c> (the GET answered); <c>notFound</c> (404: not generated yet, or Argo CD not installed yet);
    /// <c>noAnswer</c> (429 or 5xx after the retries, or another failure except 401 and 403, which fail the run).
    /// </summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    /// <summary><c>status.sync.status</c> (Synced | OutOfSync | Unknown) as a list of at most one: empty when not reported yet.</summary>
    [JsonPropertyName("sync")]
    public IReadOnlyList<string>? Sync { get; init; }

    /// <summary><c>status.health</c> as a list of at most one: empty when not reported yet.</summary>
    [JsonPropertyName("health")]
    public IReadOnlyList<ArgoHealthStatus>? Health { get; init; }

    /// <summary>With <c>noAnswer</c>: the eks:call error (<c>EKS.503</c>, <c>States.TaskFailed</c>...).</summary>
    [JsonPropertyName("error")]
    public string? Error { get; init; }
}

public static class ArgoApplicationStatuses
{
    public const string Found = "found";
    public const string NotFound = "notFound";
    public const string NoAnswer = "noAnswer";
}

public sealed record ArgoHealthStatus
{
    /// <summary>Healthy | Progressing | Degraded | Suspended | Missing | Unknown.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
