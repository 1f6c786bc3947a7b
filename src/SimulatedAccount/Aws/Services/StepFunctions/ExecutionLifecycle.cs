using System.Text;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.StepFunctions;

/// <summary>
/// Starting and stopping executions on the account's engine: StartExecution with Standard workflows' name rules (same
/// name and same input while the first is running returns that execution; otherwise the name is taken for 90 days:
/// <c>ExecutionAlreadyExists</c>), StopExecution, and "Step Functions Execution Status Change" events on the default
/// bus (RUNNING when an execution is started through the service, and the terminal status of every execution).
/// </summary>
internal sealed class ExecutionLifecycle(StepFunctionsService service, StateMachineRegistry machines)
{
    private static readonly TimeSpan NameRetention = TimeSpan.FromDays(90);

    /// <summary>Each execution's input as it was given (StartExecution keeps the text, with its spacing).</summary>
    private readonly Dictionary<string, string> _inputTexts = new(StringComparer.Ordinal);
    private Random _random = new(0);

    private SimulatedAccount Account => service.Account;

    private StepFunctionsEngine Engine => Account.StepFunctions;

    public void Attach(SimulatedAccount account)
    {
        _random = Ids.ServiceRandom(account, "sfn");
        account.StepFunctions.ExecutionFinished += PublishStatusChange;
    }

    public string InputTextOf(Execution execution) => _inputTexts.GetValueOrDefault(execution.Arn) ?? execution.Input.ToJson();

    /// <summary>Executions of <paramref name="stateMachine"/> (name or ARN), newest first.</summary>
    public IEnumerable<Execution> ExecutionsOf(string stateMachine)
    {
        var arn = machines.ArnOf(stateMachine);
        return Engine.Executions.Where(e => e.StateMachineArn == arn).Reverse();
    }

    public Execution FindOrThrow(string executionArn)
    {
        if (!SfnIdentifiers.IsExecutionArn(executionArn))
        {
            throw SfnIdentifiers.InvalidArn(executionArn);
        }

        return Engine.FindExecution(executionArn) ?? throw new AwsServiceException("ExecutionDoesNotExist", $"Execution Does Not Exist: '{executionArn}'");
    }

    public Execution Start(string stateMachineArn, string? inputText, string? name)
    {
        if (!SfnIdentifiers.IsStateMachineArn(stateMachineArn))
        {
            throw SfnIdentifiers.InvalidArn(stateMachineArn);
        }

        var machine = machines.ByArn(stateMachineArn)
            ?? throw new AwsServiceException("StateMachineDoesNotExist", $"State Machine Does Not Exist: '{stateMachineArn}'");
        inputText ??= "{}";
        if (Encoding.UTF8.GetByteCount(inputText) > Engine.Options.MaxPayloadBytes)
        {
            throw new AwsServiceException("InvalidExecutionInput", $"Invalid State Machine Execution Input: 'The input size ({Encoding.UTF8.GetByteCount(inputText)} bytes) exceeds the maximum of {Engine.Options.MaxPayloadBytes} bytes.'");
        }

        if (!JValue.TryParse(inputText, out var input, out var parseError))
        {
            throw new AwsServiceException("InvalidExecutionInput", $"Invalid State Machine Execution Input: '{parseError}'");
        }

        if (name is null)
        {
            name = Ids.Uuid(_random);
        }
        else
        {
            SfnIdentifiers.ValidateName(name, "name");
        }

        var executionArn = $"arn:aws:states:{Account.Region}:{Account.AccountId}:execution:{machine.Name}:{name}";
        if (Engine.FindExecution(executionArn) is { } existing && !(existing.StopDate is { } stopped && Account.Scheduler.Now - stopped > NameRetention))
        {
            // Standard workflows: the same name and input while the first is still running is idempotent;
            // a different input, or any input once it has closed, is refused.
            if (existing.IsRunning && existing.Input.Equals(input))
            {
                return existing;
            }

            throw new AwsServiceException("ExecutionAlreadyExists", $"Execution Already Exists: '{executionArn}'");
        }

        var execution = Engine.StartExecution(machine.Definition, input, new StartExecutionOptions
        {
            StateMachineName = machine.Name,
            Name = name,
            RoleArn = machine.RoleArn,
        });
        _inputTexts[execution.Arn] = inputText;
        PublishStatusChange(execution);
        return execution;
    }

    public Execution Stop(string executionArn, string? error, string? cause)
    {
        var execution = FindOrThrow(executionArn);
        Engine.StopExecution(execution, error, cause);
        return execution;
    }

    // ---- the API ------------------------------------------------------------------------------------------------

    public JObject StartExecution(JObject parameters, AwsCallContext context)
    {
        var p = service.Read(parameters);
        var execution = Start(p.RequiredString("StateMachineArn"), ApiValues.JsonText(parameters["Input"]), p.OptionalString("Name"));
        return JObject.Of(("ExecutionArn", execution.Arn), ("StartDate", ApiValues.Timestamp(execution.StartDate)));
    }

    public JObject StopExecution(JObject parameters, AwsCallContext context)
    {
        var p = service.Read(parameters);
        var error = p.OptionalString("Error");
        var cause = p.OptionalString("Cause");
        if (error?.Length > 256 || cause?.Length > 32_768)
        {
            throw service.Invalid("1 validation error detected: Error must be at most 256 and Cause at most 32768 characters.");
        }

        var execution = Stop(p.RequiredString("ExecutionArn"), error, cause);
        return JObject.Of(("StopDate", ApiValues.Timestamp(execution.StopDate ?? Account.Scheduler.Now)));
    }

    // ---- "Step Functions Execution Status Change" events -----------------------------------------------------------

    public static string RedriveStatus(Execution execution) =>
        execution.Status is ExecutionStatus.Failed or ExecutionStatus.TimedOut or ExecutionStatus.Aborted ? "REDRIVABLE" : "NOT_REDRIVABLE";

    private void PublishStatusChange(Execution execution)
    {
        var detail = new JObjectBuilder()
            .Add("executionArn", execution.Arn)
            .Add("stateMachineArn", execution.StateMachineArn)
            .Add("name", execution.Name)
            .Add("status", execution.StatusName)
            .Add("startDate", ApiValues.EpochMillis(execution.StartDate))
            .Add("stopDate", execution.StopDate is { } stop ? ApiValues.EpochMillis(stop) : JNull.Instance)
            .Add("input", InputTextOf(execution))
            .Add("output", execution.Output is { } output ? output.ToJson() : JNull.Instance)
            .Add("inputDetails", JObject.Of(("included", true)))
            .Add("outputDetails", execution.Output is null ? JNull.Instance : JObject.Of(("included", true)));
        if (execution.Error is not null)
        {
            detail.Add("error", execution.Error);
        }

        if (execution.Cause is not null)
        {
            detail.Add("cause", execution.Cause);
        }

        detail.Add("redriveCount", 0).Add("redriveDate", JNull.Instance).Add("redriveStatus", RedriveStatus(execution));
        Account.Events.Publish("aws.states", StepFunctionsService.StatusChangeDetailType, detail.Build(), execution.Arn);
    }
}
