using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>The status values of DescribeExecution.</summary>
public enum ExecutionStatus
{
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

/// <summary>One run of a state machine: its input, its progress, its history and, once done, its outcome.</summary>
public sealed class Execution
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal Execution(string stateMachineArn, string stateMachineName, string name, string arn, StateMachineDefinition definition, JValue input, DateTimeOffset startDate, HistoryLog history)
    {
        StateMachineArn = stateMachineArn;
        StateMachineName = stateMachineName;
        Name = name;
        Arn = arn;
        Definition = definition;
        Input = input;
        StartDate = startDate;
        History = history;
    }

    public string StateMachineArn { get; }

    public string StateMachineName { get; }

    public string Name { get; }

    public string Arn { get; }

    public StateMachineDefinition Definition { get; }

    public JValue Input { get; }

    /// <summary>The execution role: every call the execution makes is made, and authorized, as this role.</summary>
    public string RoleArn { get; internal set; } = string.Empty;

    public DateTimeOffset StartDate { get; }

    public DateTimeOffset? StopDate { get; private set; }

    public ExecutionStatus Status { get; private set; } = ExecutionStatus.Running;

    public JValue? Output { get; private set; }

    public string? Error { get; private set; }

    public string? Cause { get; private set; }

    public HistoryLog History { get; }

    /// <summary>State transitions as Step Functions bills them: every state entered and every retry attempt.</summary>
    public long StateTransitions { get; internal set; }

    /// <summary>Completes when the execution reaches a terminal status.</summary>
    public Task Completion => _completion.Task;

    public bool IsRunning => Status == ExecutionStatus.Running;

    /// <summary>Raised for every history event, in order (live progress displays listen here).</summary>
    public event Action<Execution, HistoryEvent>? EventRecorded;

    /// <summary>DescribeExecution's status string (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED).</summary>
    public string StatusName => Status switch
    {
        ExecutionStatus.Running => "RUNNING",
        ExecutionStatus.Succeeded => "SUCCEEDED",
        ExecutionStatus.Failed => "FAILED",
        ExecutionStatus.TimedOut => "TIMED_OUT",
        _ => "ABORTED",
    };

    internal void Record(HistoryEvent e) => EventRecorded?.Invoke(this, e);

    internal void Finish(ExecutionStatus status, DateTimeOffset stopDate, JValue? output, string? error, string? cause)
    {
        Status = status;
        StopDate = stopDate;
        Output = output;
        Error = error;
        Cause = cause;
        _completion.TrySetResult();
    }
}
