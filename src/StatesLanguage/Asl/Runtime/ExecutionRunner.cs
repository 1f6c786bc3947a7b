using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Evaluation;
using BlueGreen.Simulator.Asl.Mocking;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// Interprets one execution. States that finish at once (Pass, Choice, Succeed, Fail) run synchronously;
/// the rest await the virtual scheduler, so many executions, branches and iterations interleave in
/// virtual time, deterministically. Data flows as in the States Language: InputPath, Parameters,
/// the work, ResultSelector, ResultPath, OutputPath, with Assign and Retry/Catch around it.
/// </summary>
/// <remarks>
/// This is the executor, as in aws-local-stepfunctions: the execution's lifecycle, the state loop,
/// entering and leaving a state, Retry and Catch, the payload quota and the history. The work of each
/// kind of state is in StateRunners/ (<c>PassStateRunner</c> ... <c>MapStateRunner</c>); they share
/// this namespace because they and the loop call each other.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token source has no timer; Stop may cancel it after the run ends, so it is left to the GC.")]
internal sealed class ExecutionRunner
{
    private readonly StepFunctionsEngine _engine;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly MockTestCase? _mocks;
    private readonly Dictionary<string, int> _mockCalls = new(StringComparer.Ordinal);
    private (ExecutionStatus Status, string? Error, string? Cause)? _stop;

    public ExecutionRunner(StepFunctionsEngine engine, Execution execution, MockTestCase? mocks, string roleArn, int seed)
    {
        _engine = engine;
        Execution = execution;
        _mocks = mocks;
        RoleArn = roleArn;
        Random = new Random(seed);
    }

    public Execution Execution { get; }

    public Random Random { get; }

    public string RoleArn { get; }

    internal StepFunctionsEngine Engine => _engine;

    internal VirtualScheduler Scheduler => _engine.Scheduler;

    internal EngineOptions Options => _engine.Options;

    public async Task RunAsync()
    {
        // The role rides in the event's resource slot: ExecutionStartedEventDetails.roleArn.
        Emit("ExecutionStarted", data: Execution.Input, resource: RoleArn);
        var limit = Execution.Definition.TimeoutSeconds;
        var timeout = Scheduler.Schedule(Execution.StartDate + TimeSpan.FromSeconds(limit ?? Options.MaxExecutionSeconds), () =>
            Stop(ExecutionStatus.TimedOut, StatesErrors.Timeout, limit is null
                ? "The execution reached the maximum duration of a Standard workflow (one year)."
                : $"The execution ran longer than its TimeoutSeconds ({limit})."));
        try
        {
            var frame = new Frame(new VariableScope(null), _cancellation.Token);
            var output = await RunMachine(Execution.Definition, Execution.Input, frame);
            CheckSize(output, "The execution output");
            Complete(ExecutionStatus.Succeeded, output, null, null);
        }
        catch (OperationCanceledException) when (_stop is not null)
        {
            // Stop() has already recorded the outcome.
        }
        catch (StatesException e)
        {
            Complete(ExecutionStatus.Failed, null, e.Error, e.Cause);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing awaits this task, so an engine fault would otherwise vanish and leave the execution
            // RUNNING forever; it fails visibly instead.
            Complete(ExecutionStatus.Failed, null, StatesErrors.Runtime, $"The local engine failed: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            timeout.Cancel();
        }
    }

    /// <summary>Ends the execution now (StopExecution or a timeout); running states are cancelled.</summary>
    public void Stop(ExecutionStatus status, string? error, string? cause)
    {
        if (!Execution.IsRunning)
        {
            return;
        }

        _stop = (status, error, cause);
        Complete(status, null, error, cause);
        _cancellation.Cancel();
    }

    private void Complete(ExecutionStatus status, JValue? output, string? error, string? cause)
    {
        if (!Execution.IsRunning)
        {
            return;
        }

        // A Fail state without Error (or SendTaskFailure without one) leaves the error absent, as AWS
        // reports it: null in DescribeExecution and no "error" in the ExecutionFailed event, never "".
        if (error is { Length: 0 })
        {
            error = null;
        }

        var type = status switch
        {
            ExecutionStatus.Succeeded => "ExecutionSucceeded",
            ExecutionStatus.Failed => "ExecutionFailed",
            ExecutionStatus.TimedOut => "ExecutionTimedOut",
            _ => "ExecutionAborted",
        };
        var e = Execution.History.AddFinal(Scheduler.Now, type, output, error, cause);
        Execution.Record(e);
        Execution.Finish(status, Scheduler.Now, output, error, cause);
        _engine.OnExecutionFinished(Execution);
    }

    // ---- the state loop ------------------------------------------------------------------------

    internal async Task<JValue> RunMachine(StateMachineDefinition machine, JValue input, Frame frame)
    {
        var state = machine.States[machine.StartAt];
        var data = input;
        while (true)
        {
            frame.Token.ThrowIfCancellationRequested();
            var result = state switch
            {
                PassState p => PassStateRunner.Run(this, p, data, frame),
                ChoiceState c => ChoiceStateRunner.Run(this, c, data, frame),
                SucceedState s => SucceedStateRunner.Run(this, s, data, frame),
                FailState f => FailStateRunner.Run(this, f, data, frame),
                WaitState w => await WaitStateRunner.RunAsync(this, w, data, frame),
                RecoverableState r => await RunRecoverable(r, data, frame),
                _ => throw new InvalidOperationException($"Unsupported state type {state.Type}."),
            };

            if (result.Next is null)
            {
                return result.Output;
            }

            state = machine.States[result.Next];
            data = result.Output;
        }
    }

    internal StateVisit Enter(State state, JValue rawInput, Frame frame)
    {
        // Outputs are checked when a state ends; this catches what reaches a state any other way (a Map
        // iteration's input built by ItemSelector). Sizes are cached on the immutable values, so it is cheap.
        CheckSize(rawInput, "The state", state.Name, "input");

        // The event first: a state whose StateEntered would pass the history quota is never entered, so
        // it is not a transition either.
        Emit(state.EventPrefix + "StateEntered", state.Name, rawInput);
        Execution.StateTransitions++;
        return new StateVisit(this, state.Name, Scheduler.Now, frame);
    }

    internal StateResult Exit(State state, JValue output, StateVisit visit, PendingAssignment assignment)
    {
        CheckSize(output, "The state/task", state.Name, "output");
        assignment.Apply(visit.Frame.Variables);
        Emit(state.EventPrefix + "StateExited", state.Name, output);
        return new StateResult(output, state.End ? null : state.Next);
    }

    /// <summary>
    /// Ends a Task, Parallel or Map state with the result of its work: ResultSelector, Assign, ResultPath
    /// and OutputPath, then StateExited.
    /// </summary>
    internal StateResult ExitWithResult(RecoverableState state, JValue raw, JValue result, StateVisit visit)
    {
        CheckSize(result, "The state/task", state.Name, "result");
        var selected = state.ResultSelector?.Evaluate(new PathEnv(result, visit)) ?? result;
        var assignment = DataFlow.Assign(state.Assign, selected, visit);
        var output = DataFlow.ApplyOutputPath(state.OutputPath, DataFlow.ApplyResultPath(state.ResultPath, raw, selected, state.Name), visit);
        return Exit(state, output, visit, assignment);
    }

    // ---- Task, Parallel and Map: Retry and Catch ------------------------------------------------

    private async Task<StateResult> RunRecoverable(RecoverableState state, JValue raw, Frame frame)
    {
        var visit = Enter(state, raw, frame);
        var attempts = new int[state.Retry.Count];
        while (true)
        {
            try
            {
                return state switch
                {
                    TaskState t => await TaskStateRunner.RunAttemptAsync(this, t, raw, visit),
                    ParallelState p => await ParallelStateRunner.RunAttemptAsync(this, p, raw, visit),
                    _ => await MapStateRunner.RunAttemptAsync(this, (MapState)state, raw, visit),
                };
            }
            catch (StatesException e) when (!StatesErrors.IsTerminal(e.Error) && !frame.Token.IsCancellationRequested)
            {
                if (NextRetryDelay(state, e.Error, attempts) is { } delay)
                {
                    visit.RetryCount++;
                    Execution.StateTransitions++;
                    await Scheduler.Delay(delay, frame.Token);
                    continue;
                }

                foreach (var catcher in state.Catch)
                {
                    if (!Matches(catcher.ErrorEquals, e.Error))
                    {
                        continue;
                    }

                    var errorOutput = ErrorOutput(e);
                    var assignment = DataFlow.Assign(catcher.Assign, errorOutput, visit);
                    var output = DataFlow.ApplyResultPath(catcher.ResultPath, raw, errorOutput, state.Name);
                    CheckSize(output, "The state/task", state.Name, "output");
                    assignment.Apply(frame.Variables);
                    return new StateResult(output, catcher.Next);
                }

                throw;
            }
        }
    }

    private static JObject ErrorOutput(StatesException e) =>
        e.Cause is null ? JObject.Of(("Error", e.Error)) : JObject.Of(("Error", e.Error), ("Cause", e.Cause));

    /// <summary>
    /// The first retrier naming the error decides: it retries while attempts remain (its MaxAttempts may
    /// be 0), and once exhausted no later retrier is consulted.
    /// </summary>
    private TimeSpan? NextRetryDelay(RecoverableState state, string error, int[] attempts)
    {
        for (var i = 0; i < state.Retry.Count; i++)
        {
            var retrier = state.Retry[i];
            if (!Matches(retrier.ErrorEquals, error))
            {
                continue;
            }

            if (attempts[i] >= retrier.MaxAttempts)
            {
                return null;
            }

            var seconds = retrier.IntervalSeconds * Math.Pow(retrier.BackoffRate, attempts[i]);
            if (retrier.MaxDelaySeconds is { } max)
            {
                seconds = Math.Min(seconds, max);
            }

            // A large BackoffRate grows the interval past anything a clock can hold; no execution outlives
            // its maximum duration, so a longer wait ends the same way (the execution times out first).
            seconds = Math.Min(seconds, Options.MaxExecutionSeconds);
            if (retrier.Jitter == JitterStrategy.Full)
            {
                seconds = Random.NextDouble() * seconds;
            }

            attempts[i]++;
            return TimeSpan.FromMilliseconds(Math.Round(seconds * 1000));
        }

        return null;
    }

    /// <summary>
    /// ErrorEquals matching, in Task, Parallel and Map states alike: exact names; <c>States.ALL</c> for
    /// anything catchable; <c>States.TaskFailed</c> for anything except a timeout ("acts as a wildcard
    /// that matches any known error name except for States.Timeout"); and <c>States.Timeout</c> also for a
    /// missed heartbeat, which it covered before <c>States.HeartbeatTimeout</c> existed ("A Task state
    /// either ran longer than the TimeoutSeconds value, or failed to send a heartbeat ...").
    /// </summary>
    private static bool Matches(IReadOnlyList<string> errorEquals, string error)
    {
        foreach (var name in errorEquals)
        {
            if (name == error || name == StatesErrors.All
                || (name == StatesErrors.TaskFailed && !StatesErrors.IsTimeout(error))
                || (name == StatesErrors.Timeout && error == StatesErrors.HeartbeatTimeout))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The mock-config answer for a call of <paramref name="stateName"/> when the test case mocks it:
    /// counted per state, retries included; a <c>Throw</c> answer is thrown as its error.
    /// </summary>
    internal bool TryMockAnswer(string stateName, out JValue answer)
    {
        if (_mocks is null || !_mocks.Mocks(stateName))
        {
            answer = JNull.Instance;
            return false;
        }

        var index = _mockCalls.GetValueOrDefault(stateName);
        _mockCalls[stateName] = index + 1;
        answer = _mocks.ResponseFor(stateName).Answer(index);
        return true;
    }

    // ---- quotas and history --------------------------------------------------------------------

    private void CheckSize(JValue value, string what)
    {
        if (value.Utf8Size > Options.MaxPayloadBytes)
        {
            throw DataLimitExceeded(value, what);
        }
    }

    /// <summary>The check on every state's input and output: the message is only built when it fails.</summary>
    internal void CheckSize(JValue value, string kind, string stateName, string part)
    {
        if (value.Utf8Size > Options.MaxPayloadBytes)
        {
            throw DataLimitExceeded(value, $"{kind} '{stateName}' {part}");
        }
    }

    private StatesException DataLimitExceeded(JValue value, string what) =>
        new(StatesErrors.DataLimitExceeded, $"{what} has a size ({value.Utf8Size:N0} bytes) exceeding the maximum number of bytes service limit ({Options.MaxPayloadBytes:N0}).");

    internal void Emit(string type, string? stateName = null, JValue? data = null, string? error = null, string? cause = null, string? resource = null, int? index = null, string? region = null)
    {
        if (!Execution.IsRunning)
        {
            return;
        }

        var e = Execution.History.Add(Scheduler.Now, type, stateName, data, error, cause, resource, index, region);
        Execution.Record(e);
    }
}
