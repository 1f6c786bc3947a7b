using BlueGreen.Simulator.Asl.Paths;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>A compiled state machine, or one branch / item processor inside a Parallel or Map state.</summary>
public sealed class StateMachineDefinition
{
    public StateMachineDefinition(string startAt, IReadOnlyDictionary<string, State> states, int? timeoutSeconds, JObject source)
    {
        StartAt = startAt;
        States = states;
        TimeoutSeconds = timeoutSeconds;
        Source = source;
    }

    public string StartAt { get; }

    public IReadOnlyDictionary<string, State> States { get; }

    /// <summary>Top-level <c>TimeoutSeconds</c>: the execution fails with <c>States.Timeout</c> past it.</summary>
    public int? TimeoutSeconds { get; }

    /// <summary>The JSON this was compiled from.</summary>
    public JObject Source { get; }

    /// <summary>Every Task resource in this machine and its nested branches.</summary>
    public IEnumerable<string> TaskResources() => States.Values.SelectMany(s => s switch
    {
        TaskState t => [t.Resource],
        ParallelState p => p.Branches.SelectMany(b => b.TaskResources()),
        MapState m => m.Processor.TaskResources(),
        _ => [],
    });
}

/// <summary>InputPath / OutputPath / ResultPath: absent (the default), null (discard), or a path.</summary>
public readonly record struct PathField(JsonPath? Path, bool Discard)
{
    public static readonly PathField Default = new(null, false);
    public static readonly PathField Null = new(null, true);

    public bool IsDefault => Path is null && !Discard;
}

public enum JitterStrategy
{
    None,
    Full,
}

public sealed record Retrier(
    IReadOnlyList<string> ErrorEquals,
    double IntervalSeconds,
    int MaxAttempts,
    double BackoffRate,
    double? MaxDelaySeconds,
    JitterStrategy Jitter);

public sealed record Catcher(IReadOnlyList<string> ErrorEquals, string Next, PathField ResultPath, PayloadTemplate? Assign);

/// <summary>What every state has.</summary>
public abstract class State
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    public string? Next { get; init; }

    public bool End { get; init; }

    public PathField InputPath { get; init; } = PathField.Default;

    public PathField OutputPath { get; init; } = PathField.Default;

    public PayloadTemplate? Assign { get; init; }

    /// <summary>Event type prefix used in the history: Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map.</summary>
    public string EventPrefix => Type;
}

/// <summary>States that produce a result and place it with ResultPath.</summary>
public abstract class ResultState : State
{
    public PathField ResultPath { get; init; } = PathField.Default;
}

/// <summary>States with Retry and Catch (Task, Parallel, Map).</summary>
public abstract class RecoverableState : ResultState
{
    public PayloadTemplate? Parameters { get; init; }

    public PayloadTemplate? ResultSelector { get; init; }

    public IReadOnlyList<Retrier> Retry { get; init; } = [];

    public IReadOnlyList<Catcher> Catch { get; init; } = [];
}

public sealed class PassState : ResultState
{
    public JValue? Result { get; init; }

    public PayloadTemplate? Parameters { get; init; }
}

public sealed class TaskState : RecoverableState
{
    public required string Resource { get; init; }

    public int? TimeoutSeconds { get; init; }

    public JsonPath? TimeoutSecondsPath { get; init; }

    public int? HeartbeatSeconds { get; init; }

    public JsonPath? HeartbeatSecondsPath { get; init; }
}

public sealed class ChoiceState : State
{
    public required IReadOnlyList<ChoiceRule> Choices { get; init; }

    public string? Default { get; init; }
}

public sealed class WaitState : State
{
    public int? Seconds { get; init; }

    public JsonPath? SecondsPath { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public JsonPath? TimestampPath { get; init; }
}

public sealed class SucceedState : State;

public sealed class FailState : State
{
    public string? Error { get; init; }

    public JsonPath? ErrorPath { get; init; }

    public string? Cause { get; init; }

    public JsonPath? CausePath { get; init; }

    /// <summary>ErrorPath / CausePath may also hold an intrinsic function.</summary>
    public PayloadTemplate? ErrorExpression { get; init; }

    public PayloadTemplate? CauseExpression { get; init; }
}

public sealed class ParallelState : RecoverableState
{
    public required IReadOnlyList<StateMachineDefinition> Branches { get; init; }
}

public sealed class MapState : RecoverableState
{
    public required StateMachineDefinition Processor { get; init; }

    public JsonPath? ItemsPath { get; init; }

    /// <summary>ItemSelector, or the legacy Parameters field, evaluated once per item.</summary>
    public PayloadTemplate? ItemSelector { get; init; }

    public int MaxConcurrency { get; init; }

    public JsonPath? MaxConcurrencyPath { get; init; }
}
