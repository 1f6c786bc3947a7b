using System.Text.RegularExpressions;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.StepFunctions;

/// <summary>
/// What an operator does in a scenario, by event action: <c>startExecution</c>, <c>approve</c> and <c>reject</c> (the
/// latest task waiting on a token, found the way an operator finds it in the message the task sent) and <c>abort</c>.
/// Each action and what came of it is kept (<see cref="Actions"/>); an API error is an outcome, not a failure.
/// </summary>
internal sealed partial class ScenarioOperator(StepFunctionsService service, StateMachineRegistry machines, TaskCallbacks callbacks)
{
    private readonly List<OperatorAction> _actions = [];

    public IReadOnlyList<OperatorAction> Actions => _actions;

    private StepFunctionsEngine Engine => service.Account.StepFunctions;

    public void Attach(SimulatedAccount account)
    {
        account.RegisterEventAction("startExecution", a => Operator("startExecution", a, StartFromScenario));
        account.RegisterEventAction("approve", a => Operator("approve", a, Approve));
        account.RegisterEventAction("reject", a => Operator("reject", a, Reject));
        account.RegisterEventAction("abort", a => Operator("abort", a, Abort));
    }

    private void Operator(string action, JObject arguments, Func<JObject, (string? ExecutionArn, string Outcome)> perform)
    {
        (string? ExecutionArn, string Outcome) result;
        try
        {
            result = perform(arguments);
        }
        catch (AwsServiceException e)
        {
            result = (null, $"{e.Code}: {e.Message}");
        }

        _actions.Add(new OperatorAction(service.Account.Scheduler.Now, action, result.ExecutionArn, result.Outcome));
    }

    private (string?, string) StartFromScenario(JObject a)
    {
        var machine = a.GetString("stateMachine") ?? throw service.Invalid("startExecution needs 'stateMachine' (a name or ARN)");
        var execution = service.StartExecution(machines.ScenarioName(machine), a["input"] ?? JObject.Empty, a.GetString("name"));
        return (execution.Arn, "started");
    }

    private (string?, string) Approve(JObject a)
    {
        var (execution, token) = PendingCallback(a);
        if (token is null)
        {
            return (execution?.Arn, execution is null ? "no running execution matched" : "nothing is waiting for a callback");
        }

        callbacks.Succeed(token, a["output"] ?? JObject.Of(("approved", true)));
        return (execution!.Arn, "SendTaskSuccess");
    }

    private (string?, string) Reject(JObject a)
    {
        var (execution, token) = PendingCallback(a);
        if (token is null)
        {
            return (execution?.Arn, execution is null ? "no running execution matched" : "nothing is waiting for a callback");
        }

        callbacks.Fail(token, a.GetString("error") ?? "Rejected", a.GetString("cause") ?? "Rejected by the operator");
        return (execution!.Arn, "SendTaskFailure");
    }

    private (string?, string) Abort(JObject a)
    {
        var execution = RunningExecutions(a).FirstOrDefault();
        if (execution is null)
        {
            return (null, "no running execution matched");
        }

        Engine.StopExecution(execution, a.GetString("error"), a.GetString("cause"));
        return (execution.Arn, "StopExecution");
    }

    /// <summary>
    /// Running executions an action names: <c>execution</c> (name or ARN) and/or <c>stateMachine</c> (name or
    /// ARN); with neither, every running execution, oldest first.
    /// </summary>
    private IEnumerable<Execution> RunningExecutions(JObject a)
    {
        var execution = a.GetString("execution");
        var machine = a.GetString("stateMachine");
        var machineArn = machine is null ? null : machine.StartsWith("arn:", StringComparison.Ordinal) ? machine : Engine.StateMachineArn(machines.ScenarioName(machine));
        return Engine.Executions.Where(e => e.IsRunning
            && (execution is null || e.Arn == execution || e.Name == execution)
            && (machineArn is null || e.StateMachineArn == machineArn));
    }

    /// <summary>
    /// Finds the task token a waiting callback task handed out, the way an operator finds it in the message
    /// the task sent: in the parameters of the latest <c>.waitForTaskToken</c> task still waiting (optionally
    /// in state <c>state</c>). A candidate is confirmed with a heartbeat, which the engine refuses for tokens
    /// that are not open.
    /// </summary>
    private (Execution? Execution, string? Token) PendingCallback(JObject a)
    {
        var state = a.GetString("state");
        Execution? first = null;
        foreach (var execution in RunningExecutions(a).SelectMany(WithRunningDescendants))
        {
            first ??= execution;
            var scheduled = execution.History.Events
                .Where(e => e.Type == "TaskScheduled" && e.Resource?.EndsWith(".waitForTaskToken", StringComparison.Ordinal) == true && (state is null || e.StateName == state))
                .Reverse();
            foreach (var e in scheduled)
            {
                foreach (var candidate in TokenCandidates(e.Data))
                {
                    try
                    {
                        Engine.SendTaskHeartbeat(candidate);
                        return (execution, candidate);
                    }
                    catch (TaskTokenException)
                    {
                        // Not an open token: keep looking.
                    }
                }
            }
        }

        return (first, null);
    }

    /// <summary>
    /// The execution, then the running executions it started (and theirs): approving "the upgrade" approves what its
    /// nested gate waits on, as an operator does from the message that carries the nested task's token.
    /// </summary>
    private IEnumerable<Execution> WithRunningDescendants(Execution execution)
    {
        yield return execution;
        foreach (var child in Engine.Executions.Where(e => e.IsRunning && e.Input is JObject o && o.GetString("AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID") == execution.Arn))
        {
            foreach (var descendant in WithRunningDescendants(child))
            {
                yield return descendant;
            }
        }
    }

    private static IEnumerable<string> TokenCandidates(JValue? value)
    {
        switch (value)
        {
            case JString s:
                foreach (Match m in TokenRegex().Matches(s.Value))
                {
                    yield return m.Value;
                }

                if (s.Value.Length is > 0 and <= 2048)
                {
                    yield return s.Value;
                }

                break;
            case JObject o:
                foreach (var candidate in o.SelectMany(m => TokenCandidates(m.Value)))
                {
                    yield return candidate;
                }

                break;
            case JArray array:
                foreach (var candidate in array.SelectMany(TokenCandidates))
                {
                    yield return candidate;
                }

                break;
        }
    }

    /// <summary>Task tokens as the engine issues them, when embedded in a longer text (an approval message).</summary>
    [GeneratedRegex(@"AQB[A-Za-z0-9_-]{100,}", RegexOptions.CultureInvariant)]
    private static partial Regex TokenRegex();
}
