using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Evaluation;
using BlueGreen.Simulator.Asl.Paths;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// Task: one attempt (Retry and Catch are the executor's). Resolves the resource to a mocked answer or a
/// registered handler, applies TimeoutSeconds and HeartbeatSeconds in virtual time, waits for the task
/// token of a <c>.waitForTaskToken</c> call, and records the Task (or LambdaFunction) events.
/// </summary>
internal static class TaskStateRunner
{
    public static async Task<StateResult> RunAttemptAsync(ExecutionRunner runner, TaskState state, JValue raw, StateVisit visit)
    {
        var (baseResource, pattern, syncV2) = TaskRegistry.ParseResource(state.Resource);
        visit.TaskToken = pattern == IntegrationPattern.WaitForTaskToken ? runner.Engine.NewTaskToken(runner.Random) : null;
        var input = DataFlow.ApplyInputPath(state.InputPath, raw, visit);
        var parameters = state.Parameters?.Evaluate(new PathEnv(input, visit)) ?? input;
        runner.CheckSize(parameters, "The state/task", state.Name, "input");
        var env = new PathEnv(input, visit);
        var timeout = state.TimeoutSecondsPath is { } tp ? PositiveSeconds(env, tp, "TimeoutSecondsPath") : state.TimeoutSeconds;
        var heartbeat = state.HeartbeatSecondsPath is { } hp ? PositiveSeconds(env, hp, "HeartbeatSecondsPath") : state.HeartbeatSeconds;
        var lambdaArn = baseResource.StartsWith("arn:aws:lambda:", StringComparison.Ordinal);
        var prefix = lambdaArn ? "LambdaFunction" : "Task";
        runner.Emit(prefix + "Scheduled", state.Name, parameters, resource: state.Resource, region: runner.Options.Region);
        runner.Emit(prefix + "Started", state.Name, resource: state.Resource);

        JValue result;
        try
        {
            result = await InvokeWithTimeouts(runner, state, baseResource, pattern, syncV2, parameters, visit, timeout, heartbeat);
        }
        catch (StatesException e) when (!visit.Frame.Token.IsCancellationRequested && e is not HistoryLimitExceededException)
        {
            runner.Emit(prefix + (StatesErrors.IsTimeout(e.Error) ? "TimedOut" : "Failed"), state.Name, error: e.Error, cause: e.Cause, resource: state.Resource);
            throw;
        }
        finally
        {
            if (visit.TaskToken is { } token)
            {
                runner.Engine.CloseTaskToken(token);
            }
        }

        runner.Emit(prefix + "Succeeded", state.Name, result, resource: state.Resource);
        return runner.ExitWithResult(state, raw, result, visit);
    }

    private static int PositiveSeconds(PathEnv env, JsonPath path, string field)
    {
        var value = env.Select(path, $"the field '{field}'");
        return value is JNumber { IsInteger: true } n && n.Value is > 0 and <= 99_999_999
            ? (int)n.Value
            : throw new StatesException(StatesErrors.Runtime, $"The {field} parameter does not reference a valid positive integer: {value.ToJson()}");
    }

    private static async Task<JValue> InvokeWithTimeouts(ExecutionRunner runner, TaskState state, string baseResource, IntegrationPattern pattern, bool syncV2, JValue parameters, StateVisit visit, int? timeout, int? heartbeat)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(visit.Frame.Token);
        var work = Invoke(runner, state, baseResource, pattern, syncV2, parameters, visit, attempt.Token);
        if (timeout is null && (heartbeat is null || visit.TaskToken is null))
        {
            return await work;
        }

        var watchers = new List<Task> { work };
        Task? timeoutTask = null;
        Task? heartbeatTask = null;
        if (timeout is { } t)
        {
            timeoutTask = runner.Scheduler.Delay(TimeSpan.FromSeconds(t), attempt.Token);
            watchers.Add(timeoutTask);
        }

        if (heartbeat is { } hb && visit.TaskToken is { } token)
        {
            heartbeatTask = WatchHeartbeat(runner, token, TimeSpan.FromSeconds(hb), attempt.Token);
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

    private static async Task WatchHeartbeat(ExecutionRunner runner, string token, TimeSpan interval, CancellationToken cancellation)
    {
        while (true)
        {
            var last = runner.Engine.LastHeartbeat(token);
            await runner.Scheduler.WaitUntil(last + interval, cancellation);
            if (runner.Engine.LastHeartbeat(token) == last)
            {
                return;
            }
        }
    }

    private static async Task<JValue> Invoke(ExecutionRunner runner, TaskState state, string baseResource, IntegrationPattern pattern, bool syncV2, JValue parameters, StateVisit visit, CancellationToken cancellation)
    {
        if (runner.TryMockAnswer(state.Name, out var mocked))
        {
            return mocked;
        }

        if (!runner.Engine.Tasks.TryResolve(baseResource, out var handler))
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
            Execution = runner.Execution,
            TaskToken = visit.TaskToken,
            RetryCount = visit.RetryCount,
            Scheduler = runner.Scheduler,
            CancellationToken = cancellation,
            ReportSubmitted = output => runner.Emit("TaskSubmitted", state.Name, output, resource: state.Resource),
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

        runner.Emit("TaskSubmitted", state.Name, response, resource: state.Resource);
        return await runner.Engine.WaitForTaskToken(visit.TaskToken!, cancellation);
    }
}
