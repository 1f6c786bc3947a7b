using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.StepFunctions;

/// <summary>
/// What the Step Functions API tells about executions: DescribeExecution, DescribeStateMachineForExecution,
/// ListExecutions (newest first) and GetExecutionHistory (the engine's history, with or without data).
/// </summary>
internal sealed class ExecutionReads(StepFunctionsService service, StateMachineRegistry machines, ExecutionLifecycle executions)
{
    private StepFunctionsEngine Engine => service.Account.StepFunctions;

    /// <summary>DescribeExecution as the AWS SDK integration answers it (ISO timestamps, redrive members).</summary>
    public JObject DescribeExecution(JObject parameters, AwsCallContext context)
    {
        var execution = executions.FindOrThrow(service.Read(parameters).RequiredString("ExecutionArn"));
        var o = new JObjectBuilder()
            .Add("ExecutionArn", execution.Arn)
            .Add("StateMachineArn", execution.StateMachineArn)
            .Add("Name", execution.Name)
            .Add("Status", execution.StatusName)
            .Add("StartDate", ApiValues.Timestamp(execution.StartDate));
        if (execution.StopDate is { } stop)
        {
            o.Add("StopDate", ApiValues.Timestamp(stop));
        }

        o.Add("Input", executions.InputTextOf(execution)).Add("InputDetails", JObject.Of(("Included", true)));
        if (execution.Output is { } output)
        {
            o.Add("Output", output.ToJson()).Add("OutputDetails", JObject.Of(("Included", true)));
        }

        if (execution.Error is not null)
        {
            o.Add("Error", execution.Error);
        }

        if (execution.Cause is not null)
        {
            o.Add("Cause", execution.Cause);
        }

        return o.Add("RedriveCount", 0).Add("RedriveStatus", ExecutionLifecycle.RedriveStatus(execution)).Build();
    }

    public JObject DescribeStateMachineForExecution(JObject parameters, AwsCallContext context)
    {
        var execution = executions.FindOrThrow(service.Read(parameters).RequiredString("ExecutionArn"));
        var machine = machines.ByArn(execution.StateMachineArn);
        return new JObjectBuilder()
            .Add("StateMachineArn", execution.StateMachineArn)
            .Add("Name", execution.StateMachineName)
            .Add("Definition", machine?.DefinitionText ?? string.Empty)
            .Add("RoleArn", machine?.RoleArn ?? machines.DefaultRole(execution.StateMachineName))
            .Add("UpdateDate", ApiValues.Timestamp(machine?.CreationDate ?? execution.StartDate))
            .Build();
    }

    public JObject ListExecutions(JObject parameters, AwsCallContext context)
    {
        var p = service.Read(parameters);
        var machineArn = p.OptionalString("StateMachineArn") ?? throw service.Invalid("Must provide a StateMachine ARN or MapRun ARN");
        if (machines.ByArn(machineArn) is null && !Engine.Executions.Any(e => e.StateMachineArn == machineArn))
        {
            machines.OrThrow(machineArn);
        }

        var status = p.OptionalString("StatusFilter");
        var all = executions.ExecutionsOf(machineArn).Where(e => status is null || e.StatusName == status).ToList();
        var page = Pagination.Of(all, p.OptionalString("NextToken"), p.OptionalInt("MaxResults") is > 0 and var m ? m : 100, PageTokens.Offsets, SfnIdentifiers.InvalidToken);
        return new JObjectBuilder().Add("Executions", JArray.From(page.Items.Select(e =>
        {
            var item = new JObjectBuilder()
                .Add("ExecutionArn", e.Arn).Add("StateMachineArn", e.StateMachineArn).Add("Name", e.Name)
                .Add("Status", e.StatusName).Add("StartDate", ApiValues.Timestamp(e.StartDate));
            if (e.StopDate is { } stop)
            {
                item.Add("StopDate", ApiValues.Timestamp(stop));
            }

            return (JValue)item.Build();
        }))).Maybe("NextToken", page.NextToken).Build();
    }

    public JObject GetExecutionHistory(JObject parameters, AwsCallContext context)
    {
        var p = service.Read(parameters);
        var execution = executions.FindOrThrow(p.RequiredString("ExecutionArn"));
        var includeData = p.OptionalBool("IncludeExecutionData") ?? true;
        IEnumerable<HistoryEvent> events = execution.History.Events;
        if (p.OptionalBool("ReverseOrder") == true)
        {
            events = events.Reverse();
        }

        var page = Pagination.Of(events.ToList(), p.OptionalString("NextToken"), p.OptionalInt("MaxResults") is > 0 and var m ? Math.Min(m, 1000) : 100, PageTokens.Offsets, SfnIdentifiers.InvalidToken);
        return new JObjectBuilder()
            .Add("Events", JArray.From(page.Items.Select(e => ApiValues.Capitalize(includeData ? e.ToJson() : WithoutData(e.ToJson())))))
            .Maybe("NextToken", page.NextToken)
            .Build();
    }

    private static JObject WithoutData(JObject historyEvent) => JObject.From(historyEvent.Select(m => new KeyValuePair<string, JValue>(
        m.Key,
        m.Value is JObject details && m.Key.EndsWith("EventDetails", StringComparison.Ordinal)
            ? details.Without("input").Without("output").Without("parameters")
            : m.Value)));
}
