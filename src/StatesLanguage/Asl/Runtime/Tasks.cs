using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>The three service integration patterns of Step Functions.</summary>
public enum IntegrationPattern
{
    /// <summary>Call the API and continue with its response.</summary>
    RequestResponse,

    /// <summary><c>.sync</c> / <c>.sync:2</c>: call the API, then wait for the job it started to finish.</summary>
    Sync,

    /// <summary><c>.waitForTaskToken</c>: call the API with <c>$$.Task.Token</c>, then wait for SendTaskSuccess/Failure.</summary>
    WaitForTaskToken,
}

/// <summary>Everything a task handler needs for one attempt of one Task state.</summary>
public sealed class TaskRequest
{
    /// <summary>The Resource exactly as written in the definition.</summary>
    public required string Resource { get; init; }

    /// <summary>The Resource without its <c>.sync</c>, <c>.sync:2</c> or <c>.waitForTaskToken</c> suffix.</summary>
    public required string BaseResource { get; init; }

    public required IntegrationPattern Pattern { get; init; }

    /// <summary><c>.sync:2</c> asks for the response in its JSON form rather than escaped strings.</summary>
    public bool SyncVersion2 { get; init; }

    /// <summary>The task's effective parameters (after InputPath and Parameters).</summary>
    public required JValue Parameters { get; init; }

    public required string StateName { get; init; }

    public required Execution Execution { get; init; }

    public string? TaskToken { get; init; }

    /// <summary>How many times this state has been retried before this attempt.</summary>
    public int RetryCount { get; init; }

    public required VirtualScheduler Scheduler { get; init; }

    /// <summary>Cancelled when the attempt times out, a sibling branch fails or the execution stops.</summary>
    public required CancellationToken CancellationToken { get; init; }

    /// <summary>For <c>.sync</c> handlers: call once the job has been submitted (records TaskSubmitted).</summary>
    public required Action<JValue> ReportSubmitted { get; init; }
}

/// <summary>Runs Task states whose Resource it is registered for.</summary>
public interface ITaskHandler
{
    /// <summary>
    /// Performs the task and returns its raw result. Failures are reported by throwing
    /// <see cref="StatesException"/> with the error name a Catch would match.
    /// </summary>
    Task<JValue> InvokeAsync(TaskRequest request);
}

/// <summary>A handler from a delegate, for tests and small integrations.</summary>
public sealed class DelegateTaskHandler(Func<TaskRequest, Task<JValue>> invoke) : ITaskHandler
{
    public DelegateTaskHandler(Func<TaskRequest, JValue> invoke)
        : this(r => Task.FromResult(invoke(r)))
    {
    }

    public Task<JValue> InvokeAsync(TaskRequest request) => invoke(request);
}

/// <summary>
/// The one place Task resources are resolved: exact resource ARNs first, then the longest
/// registered prefix (so <c>arn:aws:states:::aws-sdk:eks:</c> can serve every EKS action).
/// Resources are matched without their integration-pattern suffix.
/// </summary>
public sealed class TaskRegistry
{
    private readonly Dictionary<string, ITaskHandler> _exact = new(StringComparer.Ordinal);
    private readonly List<(string Prefix, ITaskHandler Handler)> _prefixes = [];

    public TaskRegistry Register(string resource, ITaskHandler handler)
    {
        _exact[resource] = handler;
        return this;
    }

    public TaskRegistry Register(string resource, Func<TaskRequest, JValue> handler) => Register(resource, new DelegateTaskHandler(handler));

    public TaskRegistry RegisterPrefix(string prefix, ITaskHandler handler)
    {
        _prefixes.RemoveAll(p => p.Prefix == prefix);
        _prefixes.Add((prefix, handler));
        _prefixes.Sort((a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length));
        return this;
    }

    public bool TryResolve(string baseResource, out ITaskHandler handler)
    {
        if (_exact.TryGetValue(baseResource, out handler!))
        {
            return true;
        }

        foreach (var (prefix, h) in _prefixes)
        {
            if (baseResource.StartsWith(prefix, StringComparison.Ordinal))
            {
                handler = h;
                return true;
            }
        }

        return false;
    }

    /// <summary>Splits a Resource into its base ARN and integration pattern.</summary>
    public static (string BaseResource, IntegrationPattern Pattern, bool SyncVersion2) ParseResource(string resource)
    {
        if (resource.EndsWith(".waitForTaskToken", StringComparison.Ordinal))
        {
            return (resource[..^".waitForTaskToken".Length], IntegrationPattern.WaitForTaskToken, false);
        }

        if (resource.EndsWith(".sync:2", StringComparison.Ordinal))
        {
            return (resource[..^".sync:2".Length], IntegrationPattern.Sync, true);
        }

        if (resource.EndsWith(".sync", StringComparison.Ordinal))
        {
            return (resource[..^".sync".Length], IntegrationPattern.Sync, false);
        }

        return (resource, IntegrationPattern.RequestResponse, false);
    }
}

/// <summary>A task-token API call that AWS would reject (TaskDoesNotExist, TaskTimedOut, InvalidToken).</summary>
public sealed class TaskTokenException(string errorCode, string message) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;
}
