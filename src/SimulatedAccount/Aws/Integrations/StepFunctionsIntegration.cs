using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws.Services;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Integrations;

/// <summary>
/// The optimized <c>arn:aws:states:::states:startExecution</c>: StartExecution through the account (errors
/// <c>StepFunctions.*</c>), request-response, <c>.waitForTaskToken</c>, or <c>.sync</c> / <c>.sync:2</c>, which wait for
/// the child execution and answer with its description (Input and Output as text, or as JSON with <c>.sync:2</c>).
/// </summary>
internal sealed class StepFunctionsIntegration(SimulatedAccount account, StepFunctionsService stepFunctions)
{
    public const string StartExecutionResource = "arn:aws:states:::states:startExecution";

    public void Register(TaskRegistry tasks) => tasks.Register(StartExecutionResource, new DelegateTaskHandler(StartExecutionAsync));

    private async Task<JValue> StartExecutionAsync(TaskRequest request)
    {
        var parameters = request.ObjectParameters();

        // The optimized integration accepts Input as JSON and starts the child with its text.
        if (parameters["Input"] is { } input and not JString)
        {
            parameters = input is JNull ? parameters.Without("Input") : parameters.With("Input", input.ToJson());
        }

        var started = (JObject)await account.CallAsync(stepFunctions, "StartExecution", parameters, request.CallContext(account), errorPrefix: "StepFunctions");
        var engine = account.StepFunctions;
        var child = engine.FindExecution(started.GetString("ExecutionArn")!)!;
        var response = OptimizedIntegration.WithSdkMetadata(JObject.Of(("ExecutionArn", child.Arn), ("StartDate", ApiValues.EpochMillis(child.StartDate))), account);
        if (request.Pattern != IntegrationPattern.Sync)
        {
            return response;
        }

        request.ReportSubmitted(response);

        // When the parent task ends first (stopped, timed out, a sibling branch failed) the child is stopped
        // too. Awaiting the child directly (no WaitAsync, which would hop through the thread pool) keeps the
        // continuation on the scheduler thread, so the clock cannot move before it runs.
        using (request.CancellationToken.Register(() => engine.StopExecution(child)))
        {
            await child.Completion;
        }

        request.CancellationToken.ThrowIfCancellationRequested();

        var described = Describe(child, jsonPayloads: request.SyncVersion2);
        return child.Status == ExecutionStatus.Succeeded
            ? described
            : throw new StatesException(StatesErrors.TaskFailed, described.ToJson());
    }

    /// <summary>
    /// The child's description as <c>.sync</c> returns it: epoch-millisecond dates, members in alphabetical order, and
    /// Input and Output parsed when <paramref name="jsonPayloads"/> (<c>.sync:2</c>).
    /// </summary>
    private JObject Describe(Execution execution, bool jsonPayloads)
    {
        var o = new JObjectBuilder();
        if (execution.Cause is not null)
        {
            o.Add("Cause", execution.Cause);
        }

        if (execution.Error is not null)
        {
            o.Add("Error", execution.Error);
        }

        o.Add("ExecutionArn", execution.Arn)
            .Add("Input", jsonPayloads ? execution.Input : stepFunctions.InputTextOf(execution))
            .Add("InputDetails", JObject.Of(("Included", true)))
            .Add("Name", execution.Name);
        if (execution.Output is { } output)
        {
            o.Add("Output", jsonPayloads ? output : output.ToJson()).Add("OutputDetails", JObject.Of(("Included", true)));
        }

        o.Add("StartDate", ApiValues.EpochMillis(execution.StartDate)).Add("StateMachineArn", execution.StateMachineArn).Add("Status", execution.StatusName);
        if (execution.StopDate is { } stop)
        {
            o.Add("StopDate", ApiValues.EpochMillis(stop));
        }

        return o.Build();
    }
}
