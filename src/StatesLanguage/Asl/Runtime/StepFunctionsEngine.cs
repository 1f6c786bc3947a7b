using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Mocking;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>Limits and identity of the local engine; the defaults are Step Functions' Standard-workflow quotas.</summary>
public sealed record EngineOptions
{
    public string Region { get; init; } = "us-east-1";

    public string AccountId { get; init; } = "123456789012";

    /// <summary>History events per execution; event number N is the ExecutionFailed event. 0 disables the quota (as for Express workflows).</summary>
    public int MaxHistoryEvents { get; init; } = 25_000;

    /// <summary>Maximum size of any input, output or result, in UTF-8 bytes (256 KiB).</summary>
    public int MaxPayloadBytes { get; init; } = 256 * 1024;

    /// <summary>A Standard workflow may run for at most one year.</summary>
    public int MaxExecutionSeconds { get; init; } = 365 * 24 * 3600;

    /// <summary>Seed for retry jitter, States.UUID, States.MathRandom and task tokens: same seed, same run.</summary>
    public int Seed { get; init; } = 20_241_122;

    /// <summary>Keep every history event in memory (turn off only for throughput benchmarks).</summary>
    public bool KeepHistory { get; init; } = true;
}

/// <summary>Options of one StartExecution call.</summary>
public sealed record StartExecutionOptions
{
    public string StateMachineName { get; init; } = "StateMachine";

    /// <summary>The execution name; a deterministic one is generated when omitted.</summary>
    public string? Name { get; init; }

    public string? RoleArn { get; init; }

    public MockTestCase? Mocks { get; init; }
}

/// <summary>
/// The in-process Step Functions data plane: starts, stops and describes executions, and answers the
/// task-token calls. Every execution shares one <see cref="VirtualScheduler"/> and one
/// <see cref="TaskRegistry"/>, so simulated services and state machines live on the same clock.
/// </summary>
public sealed class StepFunctionsEngine(VirtualScheduler scheduler, TaskRegistry tasks, EngineOptions? options = null)
{
    private readonly Dictionary<string, ExecutionRunner> _runners = new(StringComparer.Ordinal);
    private readonly List<Execution> _executions = [];
    private readonly Dictionary<string, PendingToken> _tokens = new(StringComparer.Ordinal);
    private int _executionCounter;

    public VirtualScheduler Scheduler { get; } = scheduler;

    public TaskRegistry Tasks { get; } = tasks;

    public EngineOptions Options { get; } = options ?? new EngineOptions();

    public IReadOnlyList<Execution> Executions => _executions;

    /// <summary>Raised when an execution reaches a terminal status.</summary>
    public event Action<Execution>? ExecutionFinished;

    public string StateMachineArn(string stateMachineName) => $"arn:aws:states:{Options.Region}:{Options.AccountId}:stateMachine:{stateMachineName}";

    /// <summary>
    /// Starts an execution; it runs as the scheduler runs (see <see cref="VirtualScheduler.Run{T}"/>).
    /// An input over the payload quota is refused here, before any execution exists, as the API refuses it.
    /// </summary>
    /// <exception cref="InvalidExecutionInputException">The input is larger than <see cref="EngineOptions.MaxPayloadBytes"/>.</exception>
    public Execution StartExecution(StateMachineDefinition definition, JValue input, StartExecutionOptions? start = null)
    {
        if (input.Utf8Size > Options.MaxPayloadBytes)
        {
            throw new InvalidExecutionInputException($"Invalid State Machine Execution Input: 'The input size ({input.Utf8Size:N0} bytes) exceeds the maximum of {Options.MaxPayloadBytes:N0} bytes.'");
        }

        start ??= new StartExecutionOptions();
        _executionCounter++;
        var name = start.Name ?? $"execution-{_executionCounter:D4}";
        var arn = $"arn:aws:states:{Options.Region}:{Options.AccountId}:execution:{start.StateMachineName}:{name}";
        var history = new HistoryLog(Options.MaxHistoryEvents, Options.KeepHistory);
        var execution = new Execution(StateMachineArn(start.StateMachineName), start.StateMachineName, name, arn, definition, input, Scheduler.Now, history);
        var role = start.RoleArn ?? $"arn:aws:iam::{Options.AccountId}:role/{start.StateMachineName}-role";
        execution.RoleArn = role;
        var runner = new ExecutionRunner(this, execution, start.Mocks, role, Options.Seed ^ StableHash.Of(name));
        _executions.Add(execution);
        _runners[arn] = runner;
        Scheduler.Post(() => _ = runner.RunAsync());
        return execution;
    }

    /// <summary>StopExecution: the execution ends ABORTED with the given error and cause.</summary>
    public void StopExecution(Execution execution, string? error = null, string? cause = null)
    {
        if (_runners.TryGetValue(execution.Arn, out var runner))
        {
            runner.Stop(ExecutionStatus.Aborted, error, cause);
        }
    }

    public Execution? FindExecution(string arn) => _runners.TryGetValue(arn, out var r) ? r.Execution : null;

    public void SendTaskSuccess(string taskToken, JValue output) => Resolve(taskToken).Completion.TrySetResult(output);

    public void SendTaskFailure(string taskToken, string? error, string? cause) =>
        Resolve(taskToken).Completion.TrySetException(new StatesException(error ?? string.Empty, cause));

    public void SendTaskHeartbeat(string taskToken) => Resolve(taskToken).LastHeartbeat = Scheduler.Now;

    internal void OnExecutionFinished(Execution execution) => ExecutionFinished?.Invoke(execution);

    private const string TokenPrefix = "AQB";

    /// <summary>Base64url with padding: what <see cref="NewTaskToken"/> issues after the prefix.</summary>
    private static readonly System.Buffers.SearchValues<char> TokenAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=");

    internal string NewTaskToken(Random random)
    {
        var bytes = new byte[96];
        random.NextBytes(bytes);
        var token = TokenPrefix + Convert.ToBase64String(bytes).Replace('/', '_').Replace('+', '-');
        _tokens[token] = new PendingToken(Scheduler.Now);
        return token;
    }

    internal async Task<JValue> WaitForTaskToken(string token, CancellationToken cancellation)
    {
        var pending = _tokens[token];
        await using var registration = cancellation.Register(() => pending.Completion.TrySetCanceled(cancellation));
        return await pending.Completion.Task;
    }

    internal DateTimeOffset LastHeartbeat(string token) => _tokens[token].LastHeartbeat;

    internal void CloseTaskToken(string token)
    {
        if (_tokens.TryGetValue(token, out var pending))
        {
            pending.Closed = true;
        }
    }

    private PendingToken Resolve(string token)
    {
        // A token this engine could never have issued (wrong prefix or alphabet, over 2,048 characters, which is
        // TaskToken's maximum) is malformed: InvalidToken. A well-formed one it does not know: TaskDoesNotExist.
        if (string.IsNullOrEmpty(token) || token.Length > 2048 || !token.StartsWith(TokenPrefix, StringComparison.Ordinal)
            || token.AsSpan(TokenPrefix.Length).ContainsAnyExcept(TokenAlphabet))
        {
            throw new TaskTokenException("InvalidToken", "Invalid token");
        }

        if (!_tokens.TryGetValue(token, out var pending))
        {
            throw new TaskTokenException("TaskDoesNotExist", "Task does not exist");
        }

        if (pending.Closed || pending.Completion.Task.IsCompleted)
        {
            throw new TaskTokenException("TaskTimedOut", "Task Timed Out");
        }

        return pending;
    }

    private sealed class PendingToken(DateTimeOffset issued)
    {
        public TaskCompletionSource<JValue> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTimeOffset LastHeartbeat { get; set; } = issued;

        public bool Closed { get; set; }
    }
}
