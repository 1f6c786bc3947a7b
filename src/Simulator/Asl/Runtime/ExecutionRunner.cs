using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Evaluation;
using BlueGreen.Simulator.Asl.Mocking;
using BlueGreen.Simulator.Asl.Paths;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// Interprets one execution. States that finish at once (Pass, Choice, Succeed, Fail) run synchronously;
/// the rest await the virtual scheduler, so many executions, branches and iterations interleave in
/// virtual time, deterministically. Data flows as in the States Language: InputPath, Parameters,
/// the work, ResultSelector, ResultPath, OutputPath, with Assign and Retry/Catch around it.
/// </summary>
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

    private VirtualScheduler Scheduler => _engine.Scheduler;

    private EngineOptions Options => _engine.Options;

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

    private async Task<JValue> RunMachine(StateMachineDefinition machine, JValue input, Frame frame)
    {
        var state = machine.States[machine.StartAt];
        var data = input;
        while (true)
        {
            frame.Token.ThrowIfCancellationRequested();
            var result = state switch
            {
                PassState p => RunPass(p, data, frame),
                ChoiceState c => RunChoice(c, data, frame),
                SucceedState s => RunSucceed(s, data, frame),
                FailState f => RunFail(f, data, frame),
                WaitState w => await RunWait(w, data, frame),
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

    private readonly record struct StateResult(JValue Output, string? Next);

    private StateVisit Enter(State state, JValue rawInput, Frame frame)
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

    private StateResult Exit(State state, JValue output, StateVisit visit, PendingAssignment assignment)
    {
        CheckSize(output, "The state/task", state.Name, "output");
        assignment.Apply(visit.Frame.Variables);
        Emit(state.EventPrefix + "StateExited", state.Name, output);
        return new StateResult(output, state.End ? null : state.Next);
    }

    private StateResult RunPass(PassState state, JValue raw, Frame frame)
    {
        var visit = Enter(state, raw, frame);
        var input = ApplyInputPath(state.InputPath, raw, visit);
        var effectiveInput = state.Parameters?.Evaluate(new PathEnv(input, visit)) ?? input;
        CheckSize(effectiveInput, "The state", state.Name, "input after Parameters");

        // Result is the output of the Pass state's "virtual task"; Parameters only shapes that task's
        // input, so when both are present the Result wins (ASL spec, Pass State).
        var result = state.Result ?? effectiveInput;
        var assignment = Assign(state.Assign, result, visit);
        var output = ApplyOutputPath(state.OutputPath, ApplyResultPath(state.ResultPath, raw, result, state.Name), visit);
        return Exit(state, output, visit, assignment);
    }

    private StateResult RunChoice(ChoiceState state, JValue raw, Frame frame)
    {
        var visit = Enter(state, raw, frame);
        var input = ApplyInputPath(state.InputPath, raw, visit);
        var env = new PathEnv(input, visit);
        string? next = null;
        PayloadTemplate? assign = null;
        foreach (var rule in state.Choices)
        {
            if (rule.Condition.Evaluate(env))
            {
                next = rule.Next;
                assign = rule.Assign;
                break;
            }
        }

        // A chosen rule's Assign replaces the state's own: "If a Choice Rule is chosen, the interpreter
        // evaluates the Choice Rule's Assign field, if any, and does not evaluate the state's top-level
        // Assign field. If no Choice Rules match, the interpreter evaluates the state's top-level Assign".
        if (next is null)
        {
            next = state.Default ?? throw new StatesException(StatesErrors.NoChoiceMatched, $"No choice rule matched and state '{state.Name}' has no Default.");
            assign = state.Assign;
        }

        var assignment = Assign(assign, input, visit);
        var output = ApplyOutputPath(state.OutputPath, input, visit);
        CheckSize(output, "The state", state.Name, "output");
        assignment.Apply(frame.Variables);
        Emit("ChoiceStateExited", state.Name, output);
        return new StateResult(output, next);
    }

    private StateResult RunSucceed(SucceedState state, JValue raw, Frame frame)
    {
        var visit = Enter(state, raw, frame);
        var output = ApplyOutputPath(state.OutputPath, ApplyInputPath(state.InputPath, raw, visit), visit);
        CheckSize(output, "The state", state.Name, "output");
        Emit("SucceedStateExited", state.Name, output);
        return new StateResult(output, null);
    }

    private StateResult RunFail(FailState state, JValue raw, Frame frame)
    {
        var visit = Enter(state, raw, frame);
        var env = new PathEnv(raw, visit);
        var error = state.ErrorExpression is { } ee ? StringValue(ee.Evaluate(env), "ErrorPath", state.Name) : state.Error;
        var cause = state.CauseExpression is { } ce ? StringValue(ce.Evaluate(env), "CausePath", state.Name) : state.Cause;
        throw new StatesException(error ?? string.Empty, cause);
    }

    private static string StringValue(JValue value, string field, string stateName) =>
        value as JString is { } s ? s.Value : throw new StatesException(StatesErrors.Runtime, $"The {field} of state '{stateName}' must resolve to a string but was {value.ToJson()}.");

    private async Task<StateResult> RunWait(WaitState state, JValue raw, Frame frame)
    {
        var visit = Enter(state, raw, frame);
        var input = ApplyInputPath(state.InputPath, raw, visit);
        var env = new PathEnv(input, visit);
        DateTimeOffset until;
        if (state.Seconds is { } seconds)
        {
            until = Scheduler.Now.AddSeconds(seconds);
        }
        else if (state.SecondsPath is { } secondsPath)
        {
            var value = env.Select(secondsPath, "the field 'SecondsPath'");
            if (value is not JNumber { IsInteger: true } n || n.Value < 0 || n.Value > 99_999_999)
            {
                throw new StatesException(StatesErrors.Runtime, $"The SecondsPath parameter does not reference a valid non-negative integer: {value.ToJson()}");
            }

            until = Scheduler.Now.AddSeconds(n.Value);
        }
        else if (state.Timestamp is { } timestamp)
        {
            until = timestamp;
        }
        else
        {
            var value = env.Select(state.TimestampPath!, "the field 'TimestampPath'");
            if (value is not JString s || !Rfc3339Timestamp.TryParse(s.Value, out until))
            {
                throw new StatesException(StatesErrors.Runtime, $"The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {value.ToJson()}");
            }
        }

        await Scheduler.WaitUntil(until, frame.Token);
        var assignment = Assign(state.Assign, input, visit);
        var output = ApplyOutputPath(state.OutputPath, input, visit);
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
                    TaskState t => await RunTaskAttempt(t, raw, visit),
                    ParallelState p => await RunParallel(p, raw, visit),
                    _ => await RunMap((MapState)state, raw, visit),
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
                    var assignment = Assign(catcher.Assign, errorOutput, visit);
                    var output = ApplyResultPath(catcher.ResultPath, raw, errorOutput, state.Name);
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

    private async Task<StateResult> RunTaskAttempt(TaskState state, JValue raw, StateVisit visit)
    {
        var (baseResource, pattern, syncV2) = TaskRegistry.ParseResource(state.Resource);
        visit.TaskToken = pattern == IntegrationPattern.WaitForTaskToken ? _engine.NewTaskToken(Random) : null;
        var input = ApplyInputPath(state.InputPath, raw, visit);
        var parameters = state.Parameters?.Evaluate(new PathEnv(input, visit)) ?? input;
        CheckSize(parameters, "The state/task", state.Name, "input");
        var env = new PathEnv(input, visit);
        var timeout = state.TimeoutSecondsPath is { } tp ? PositiveSeconds(env, tp, "TimeoutSecondsPath") : state.TimeoutSeconds;
        var heartbeat = state.HeartbeatSecondsPath is { } hp ? PositiveSeconds(env, hp, "HeartbeatSecondsPath") : state.HeartbeatSeconds;
        var lambdaArn = baseResource.StartsWith("arn:aws:lambda:", StringComparison.Ordinal);
        var prefix = lambdaArn ? "LambdaFunction" : "Task";
        Emit(prefix + "Scheduled", state.Name, parameters, resource: state.Resource, region: Options.Region);
        Emit(prefix + "Started", state.Name, resource: state.Resource);

        JValue result;
        try
        {
            result = await InvokeWithTimeouts(state, baseResource, pattern, syncV2, parameters, visit, timeout, heartbeat);
        }
        catch (StatesException e) when (!visit.Frame.Token.IsCancellationRequested && e is not HistoryLimitExceededException)
        {
            Emit(prefix + (StatesErrors.IsTimeout(e.Error) ? "TimedOut" : "Failed"), state.Name, error: e.Error, cause: e.Cause, resource: state.Resource);
            throw;
        }
        finally
        {
            if (visit.TaskToken is { } token)
            {
                _engine.CloseTaskToken(token);
            }
        }

        Emit(prefix + "Succeeded", state.Name, result, resource: state.Resource);
        CheckSize(result, "The state/task", state.Name, "result");
        var selected = state.ResultSelector?.Evaluate(new PathEnv(result, visit)) ?? result;
        var assignment = Assign(state.Assign, selected, visit);
        var output = ApplyOutputPath(state.OutputPath, ApplyResultPath(state.ResultPath, raw, selected, state.Name), visit);
        return Exit(state, output, visit, assignment);
    }

    private static int PositiveSeconds(PathEnv env, JsonPath path, string field)
    {
        var value = env.Select(path, $"the field '{field}'");
        return value is JNumber { IsInteger: true } n && n.Value is > 0 and <= 99_999_999
            ? (int)n.Value
            : throw new StatesException(StatesErrors.Runtime, $"The {field} parameter does not reference a valid positive integer: {value.ToJson()}");
    }

    private async Task<JValue> InvokeWithTimeouts(TaskState state, string baseResource, IntegrationPattern pattern, bool syncV2, JValue parameters, StateVisit visit, int? timeout, int? heartbeat)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(visit.Frame.Token);
        var work = Invoke(state, baseResource, pattern, syncV2, parameters, visit, attempt.Token);
        if (timeout is null && (heartbeat is null || visit.TaskToken is null))
        {
            return await work;
        }

        var watchers = new List<Task> { work };
        Task? timeoutTask = null;
        Task? heartbeatTask = null;
        if (timeout is { } t)
        {
            timeoutTask = Scheduler.Delay(TimeSpan.FromSeconds(t), attempt.Token);
            watchers.Add(timeoutTask);
        }

        if (heartbeat is { } hb && visit.TaskToken is { } token)
        {
            heartbeatTask = WatchHeartbeat(token, TimeSpan.FromSeconds(hb), attempt.Token);
            watchers.Add(heartbeatTask);
        }

        var first = await Task.WhenAny(watchers);
        if (first == work)
        {
            attempt.Cancel();
            return await work;
        }

        visit.Frame.Token.ThrowIfCancellationRequested();
        attempt.Cancel();
        _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        throw first == timeoutTask
            ? new StatesException(StatesErrors.Timeout, $"The task did not finish within its timeout of {timeout} seconds.")
            : new StatesException(StatesErrors.HeartbeatTimeout, $"No heartbeat was received within {heartbeat} seconds.");
    }

    private async Task WatchHeartbeat(string token, TimeSpan interval, CancellationToken cancellation)
    {
        while (true)
        {
            var last = _engine.LastHeartbeat(token);
            await Scheduler.WaitUntil(last + interval, cancellation);
            if (_engine.LastHeartbeat(token) == last)
            {
                return;
            }
        }
    }

    private async Task<JValue> Invoke(TaskState state, string baseResource, IntegrationPattern pattern, bool syncV2, JValue parameters, StateVisit visit, CancellationToken cancellation)
    {
        if (_mocks is not null && _mocks.Mocks(state.Name))
        {
            var index = _mockCalls.GetValueOrDefault(state.Name);
            _mockCalls[state.Name] = index + 1;
            return _mocks.ResponseFor(state.Name).Answer(index);
        }

        if (!_engine.Tasks.TryResolve(baseResource, out var handler))
        {
            throw new StatesException(StatesErrors.Runtime, $"No handler for resource '{state.Resource}' in state '{state.Name}'. Mock the state (--mock-config) or run against the simulated account (--scenario).");
        }

        var request = new TaskRequest
        {
            Resource = state.Resource,
            BaseResource = baseResource,
            Pattern = pattern,
            SyncVersion2 = syncV2,
            Parameters = parameters,
            StateName = state.Name,
            Execution = Execution,
            TaskToken = visit.TaskToken,
            RetryCount = visit.RetryCount,
            Scheduler = Scheduler,
            CancellationToken = cancellation,
            ReportSubmitted = output => Emit("TaskSubmitted", state.Name, output, resource: state.Resource),
        };

        JValue response;
        try
        {
            response = await handler.InvokeAsync(request);
        }
        catch (StatesException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // A handler bug must not take the simulator down; it fails the task visibly instead.
            throw new StatesException(StatesErrors.TaskFailed, $"{e.GetType().Name}: {e.Message}");
        }

        if (pattern != IntegrationPattern.WaitForTaskToken)
        {
            return response;
        }

        Emit("TaskSubmitted", state.Name, response, resource: state.Resource);
        return await _engine.WaitForTaskToken(visit.TaskToken!, cancellation);
    }

    private async Task<StateResult> RunParallel(ParallelState state, JValue raw, StateVisit visit)
    {
        var input = ApplyInputPath(state.InputPath, raw, visit);
        var parameters = state.Parameters?.Evaluate(new PathEnv(input, visit)) ?? input;
        CheckSize(parameters, "The state/task", state.Name, "input");
        Emit("ParallelStateStarted", state.Name);
        JValue[] results;
        try
        {
            results = await RunConcurrently(state.Branches.Count, 0, visit.Frame, (i, frame) => RunMachine(state.Branches[i], parameters, frame), onFailed: null);
        }
        catch (StatesException e) when (!visit.Frame.Token.IsCancellationRequested && e is not HistoryLimitExceededException)
        {
            Emit("ParallelStateFailed", state.Name, error: e.Error, cause: e.Cause);
            throw;
        }

        Emit("ParallelStateSucceeded", state.Name);
        return FinishAggregate(state, raw, JArray.Of(results), visit);
    }

    private async Task<StateResult> RunMap(MapState state, JValue raw, StateVisit visit)
    {
        var input = ApplyInputPath(state.InputPath, raw, visit);
        var env = new PathEnv(input, visit);
        var itemsValue = state.ItemsPath is { } itemsPath ? env.Select(itemsPath, "the field 'ItemsPath'") : input;
        if (itemsValue is not JArray items)
        {
            throw new StatesException(StatesErrors.Runtime, $"Map state '{state.Name}': the items to iterate ({(state.ItemsPath?.Text ?? "$")}) must be an array but are {itemsValue.KindName}.");
        }

        var maxConcurrency = state.MaxConcurrency;
        if (state.MaxConcurrencyPath is { } mcp)
        {
            var mc = env.Select(mcp, "the field 'MaxConcurrencyPath'");
            maxConcurrency = mc is JNumber { IsInteger: true } n && n.Value >= 0
                ? (int)Math.Min(n.Value, int.MaxValue)
                : throw new StatesException(StatesErrors.Runtime, $"The MaxConcurrencyPath parameter does not reference a valid non-negative integer: {mc.ToJson()}");
        }

        Emit("MapStateStarted", state.Name, JObject.Of(("length", items.Count)));
        JValue[] results;
        try
        {
            results = await RunConcurrently(items.Count, maxConcurrency, visit.Frame, async (i, frame) =>
            {
                Emit("MapIterationStarted", state.Name, index: i);
                var itemInput = items[i];
                if (state.ItemSelector is { } selector)
                {
                    visit.MapItem = (i, items[i]);
                    try
                    {
                        itemInput = selector.Evaluate(new PathEnv(input, visit));
                    }
                    finally
                    {
                        visit.MapItem = null;
                    }
                }

                var output = await RunMachine(state.Processor, itemInput, frame);
                Emit("MapIterationSucceeded", state.Name, index: i);
                return output;
            }, onFailed: (i, aborted) => Emit(aborted ? "MapIterationAborted" : "MapIterationFailed", state.Name, index: i));
        }
        catch (StatesException e) when (!visit.Frame.Token.IsCancellationRequested && e is not HistoryLimitExceededException)
        {
            Emit("MapStateFailed", state.Name, error: e.Error, cause: e.Cause);
            throw;
        }

        Emit("MapStateSucceeded", state.Name);
        return FinishAggregate(state, raw, JArray.Of(results), visit);
    }

    private StateResult FinishAggregate(RecoverableState state, JValue raw, JValue results, StateVisit visit)
    {
        CheckSize(results, "The state/task", state.Name, "result");
        var selected = state.ResultSelector?.Evaluate(new PathEnv(results, visit)) ?? results;
        var assignment = Assign(state.Assign, selected, visit);
        var output = ApplyOutputPath(state.OutputPath, ApplyResultPath(state.ResultPath, raw, selected, state.Name), visit);
        return Exit(state, output, visit, assignment);
    }

    /// <summary>
    /// Runs <paramref name="count"/> branches (or iterations) with at most <paramref name="maxConcurrency"/>
    /// at once (0 = all). The first failure cancels the rest and is rethrown once they have unwound.
    /// </summary>
    private static async Task<JValue[]> RunConcurrently(int count, int maxConcurrency, Frame parent, Func<int, Frame, Task<JValue>> run, Action<int, bool>? onFailed)
    {
        var results = new JValue[count];
        using var group = CancellationTokenSource.CreateLinkedTokenSource(parent.Token);
        StatesException? failure = null;
        var next = 0;

        async Task Worker()
        {
            while (next < count && failure is null && !group.IsCancellationRequested)
            {
                var i = next++;
                var frame = new Frame(new VariableScope(parent.Variables), group.Token);
                try
                {
                    results[i] = await run(i, frame);
                }
                catch (StatesException e) when (!parent.Token.IsCancellationRequested)
                {
                    if (failure is null)
                    {
                        failure = e;
                        group.Cancel();
                    }

                    onFailed?.Invoke(i, false);
                    return;
                }
                catch (OperationCanceledException) when (failure is not null && !parent.Token.IsCancellationRequested)
                {
                    onFailed?.Invoke(i, true);
                    return;
                }
            }
        }

        var workers = maxConcurrency <= 0 ? count : Math.Min(count, maxConcurrency);
        var tasks = new Task[workers];
        for (var w = 0; w < workers; w++)
        {
            tasks[w] = Worker();
        }

        await Task.WhenAll(tasks);
        parent.Token.ThrowIfCancellationRequested();
        return failure is null ? results : throw failure;
    }

    // ---- data flow helpers ---------------------------------------------------------------------

    private static JValue ApplyInputPath(PathField field, JValue raw, StateVisit visit) =>
        field.Discard ? JObject.Empty : field.Path is null ? raw : SelectWholePath(field.Path, raw, visit, "InputPath");

    private static JValue ApplyOutputPath(PathField field, JValue value, StateVisit visit) =>
        field.Discard ? JObject.Empty : field.Path is null ? value : SelectWholePath(field.Path, value, visit, "OutputPath");

    private static JValue SelectWholePath(JsonPath path, JValue data, StateVisit visit, string field)
    {
        if (new PathEnv(data, visit).TrySelect(path, out var value))
        {
            return value;
        }

        throw new StatesException(StatesErrors.Runtime, $"Invalid path '{path.Text}' : No results for path: {field} could not be applied to input '{Truncate(data.ToJson())}'");
    }

    /// <summary>Places <paramref name="result"/> into a copy of <paramref name="raw"/> at a Reference Path.</summary>
    private static JValue ApplyResultPath(PathField field, JValue raw, JValue result, string stateName)
    {
        if (field.Discard)
        {
            return raw;
        }

        if (field.Path is null || field.Path.Segments.Length == 0)
        {
            return result;
        }

        return SetAt(raw, field.Path, 0, result)
            ?? throw new StatesException(StatesErrors.ResultPathMatchFailure, $"Unable to apply ResultPath '{field.Path.Text}' of state '{stateName}' to input '{Truncate(raw.ToJson())}'");
    }

    private static JValue? SetAt(JValue node, JsonPath path, int i, JValue value)
    {
        var last = i == path.Segments.Length - 1;
        switch (path.Segments[i])
        {
            case ChildSegment child when node is JObject o:
                {
                    var existing = o[child.Name];
                    var replaced = last ? value : SetAt(existing ?? JObject.Empty, path, i + 1, value);
                    return replaced is null ? null : o.With(child.Name, replaced);
                }

            case IndexSegment index when node is JArray a && index.Index >= 0 && index.Index < a.Count:
                {
                    var replaced = last ? value : SetAt(a[index.Index], path, i + 1, value);
                    return replaced is null ? null : a.WithItem(index.Index, replaced);
                }

            default:
                return null;
        }
    }

    /// <summary>
    /// Evaluates Assign against <paramref name="data"/> now; the variables change only when the state
    /// completes, so every expression in one Assign sees the values from before it.
    /// </summary>
    private static PendingAssignment Assign(PayloadTemplate? assign, JValue data, StateVisit visit) =>
        assign is null ? default : new PendingAssignment((JObject)assign.Evaluate(new PathEnv(data, visit)));

    private readonly record struct PendingAssignment(JObject? Values)
    {
        public void Apply(VariableScope scope)
        {
            if (Values is null)
            {
                return;
            }

            foreach (var (name, value) in Values)
            {
                scope.Set(name, value);
            }
        }
    }

    private void CheckSize(JValue value, string what)
    {
        if (value.Utf8Size > Options.MaxPayloadBytes)
        {
            throw DataLimitExceeded(value, what);
        }
    }

    /// <summary>The check on every state's input and output: the message is only built when it fails.</summary>
    private void CheckSize(JValue value, string kind, string stateName, string part)
    {
        if (value.Utf8Size > Options.MaxPayloadBytes)
        {
            throw DataLimitExceeded(value, $"{kind} '{stateName}' {part}");
        }
    }

    private StatesException DataLimitExceeded(JValue value, string what) =>
        new(StatesErrors.DataLimitExceeded, $"{what} has a size ({value.Utf8Size:N0} bytes) exceeding the maximum number of bytes service limit ({Options.MaxPayloadBytes:N0}).");

    private static string Truncate(string json) => json.Length <= 1024 ? json : json[..1024] + "...";

    private void Emit(string type, string? stateName = null, JValue? data = null, string? error = null, string? cause = null, string? resource = null, int? index = null, string? region = null)
    {
        if (!Execution.IsRunning)
        {
            return;
        }

        var e = Execution.History.Add(Scheduler.Now, type, stateName, data, error, cause, resource, index, region);
        Execution.Record(e);
    }
}
