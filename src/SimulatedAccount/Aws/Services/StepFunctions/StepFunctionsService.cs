using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws.Services.StepFunctions;

/// <summary>A state machine registered with the simulated Step Functions service.</summary>
public sealed record StateMachineInfo(string Name, string Arn, string DefinitionText, StateMachineDefinition Definition, string RoleArn, string Type, DateTimeOffset CreationDate);

/// <summary>Something an operator did through a scenario event action (approve, reject, abort, startExecution), and what came of it.</summary>
public sealed record OperatorAction(DateTimeOffset Time, string Action, string? ExecutionArn, string Outcome);

/// <summary>
/// The Step Functions API of the simulated account, over the account's engine. The service is the action table and
/// the C# API; each concern is its own part:
/// <list type="bullet">
/// <item>state machines (<see cref="StateMachineRegistry"/>: CreateStateMachine..., or <see cref="RegisterStateMachine"/> from C#);</item>
/// <item>starting and stopping executions, with Standard workflows' name rules, and their status-change events
/// (<see cref="ExecutionLifecycle"/>);</item>
/// <item>DescribeExecution, ListExecutions, GetExecutionHistory (<see cref="ExecutionReads"/>);</item>
/// <item>callbacks: SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat (<see cref="TaskCallbacks"/>);</item>
/// <item>an operator's scenario actions: approve, reject, abort, startExecution (<see cref="ScenarioOperator"/>).</item>
/// </list>
/// Through <c>arn:aws:states:::aws-sdk:sfn:*</c> errors are <c>Sfn.*</c> (<c>Sfn.ExecutionAlreadyExistsException</c>); the
/// optimized <c>arn:aws:states:::states:startExecution</c> is <see cref="Integrations.StepFunctionsIntegration"/>.
/// </summary>
/// <remarks>World section <c>sfn</c>: <c>stateMachines: [ { name, definitionFile | definition, substitutions, roleArn } ]</c>.</remarks>
public sealed class StepFunctionsService : AwsServiceBase
{
    public const string StatusChangeDetailType = "Step Functions Execution Status Change";

    private readonly StateMachineRegistry _machines;
    private readonly ExecutionLifecycle _executions;
    private readonly TaskCallbacks _callbacks;
    private readonly ScenarioOperator _operator;
    private SimulatedAccount? _account;

    public StepFunctionsService()
    {
        _machines = new StateMachineRegistry(this);
        _executions = new ExecutionLifecycle(this, _machines);
        _callbacks = new TaskCallbacks(this);
        _operator = new ScenarioOperator(this, _machines, _callbacks);
        var reads = new ExecutionReads(this, _machines, _executions);
        On("CreateStateMachine", _machines.Create);
        On("UpdateStateMachine", _machines.Update);
        On("DeleteStateMachine", _machines.Delete);
        On("DescribeStateMachine", _machines.Describe);
        On("DescribeStateMachineForExecution", reads.DescribeStateMachineForExecution);
        On("ListStateMachines", _machines.List);
        On("StartExecution", _executions.StartExecution);
        On("StopExecution", _executions.StopExecution);
        On("DescribeExecution", reads.DescribeExecution);
        On("ListExecutions", reads.ListExecutions);
        On("GetExecutionHistory", reads.GetExecutionHistory);
        On("SendTaskSuccess", _callbacks.SendTaskSuccess);
        On("SendTaskFailure", _callbacks.SendTaskFailure);
        On("SendTaskHeartbeat", _callbacks.SendTaskHeartbeat);
    }

    public override string SdkName => "sfn";

    public override string ErrorPrefix => "Sfn";

    public override string IamPrefix => "states";

    public override string InternalErrorCode => "InternalServerException";

    public IReadOnlyCollection<StateMachineInfo> StateMachines => _machines.All;

    public IReadOnlyList<OperatorAction> OperatorActions => _operator.Actions;

    internal SimulatedAccount Account => _account ?? throw new InvalidOperationException("The Step Functions service is not attached to an account.");

    public override void Attach(SimulatedAccount account)
    {
        _account = account;
        _executions.Attach(account);
        _operator.Attach(account);
    }

    public override void Seed(JObject section, SimulatedAccount account)
    {
        var machines = section.GetArray("stateMachines") ?? JArray.Empty;
        for (var i = 0; i < machines.Count; i++)
        {
            var m = machines[i] as JObject ?? throw new ScenarioException($"sfn.stateMachines[{i}] must be an object");
            var name = m.GetString("name") ?? throw new ScenarioException($"sfn.stateMachines[{i}]: 'name' is required");
            var text = (m.GetString("definitionFile"), m["definition"]) switch
            {
                ({ } file, null) => ReadDefinitionFile(file, i),
                (null, JObject inline) => inline.ToJson(),
                (null, JString inline) => inline.Value,
                _ => throw new ScenarioException($"sfn.stateMachines[{i}]: give 'definitionFile' or 'definition' (exactly one)"),
            };
            foreach (var (key, value) in m.GetObject("substitutions") ?? JObject.Empty)
            {
                text = text.Replace("${" + key + "}", value is JString s ? s.Value : value.ToJson(), StringComparison.Ordinal);
            }

            try
            {
                RegisterStateMachine(name, text, m.GetString("roleArn"));
            }
            catch (AwsServiceException e)
            {
                throw new ScenarioException($"sfn.stateMachines[{i}] ({name}): {e.Message}");
            }
        }
    }

    private static string ReadDefinitionFile(string file, int index)
    {
        var path = Path.IsPathRooted(file) ? file : Path.Combine(BuildInfo.RepositoryRoot, file);
        return File.Exists(path) ? File.ReadAllText(path) : throw new ScenarioException($"sfn.stateMachines[{index}]: no such definition file '{path}'");
    }

    // ---- the C# API (rehearsal, tests, other services) -------------------------------------------

    /// <summary>
    /// Registers state machine <paramref name="name"/> (its DefinitionSubstitutions already applied) and
    /// returns its ARN. Registering the same name again replaces the definition, as UpdateStateMachine does.
    /// </summary>
    public string RegisterStateMachine(string name, string definitionJson, string? roleArn = null) => _machines.Register(name, definitionJson, roleArn);

    /// <summary>The state machine named by <paramref name="nameOrArn"/>, if registered.</summary>
    public StateMachineInfo? StateMachine(string nameOrArn) => _machines.Find(nameOrArn);

    /// <summary>StartExecution from C#: the same rules as the API, errors as <see cref="AwsServiceException"/>.</summary>
    public Execution StartExecution(string stateMachine, JValue? input = null, string? name = null) =>
        _executions.Start(_machines.ArnOf(stateMachine), input?.ToJson(), name);

    /// <summary>StopExecution from C#.</summary>
    public Execution StopExecution(string executionArn, string? error = null, string? cause = null) => _executions.Stop(executionArn, error, cause);

    public void SendTaskSuccess(string taskToken, JValue output) => _callbacks.Succeed(taskToken, output);

    public void SendTaskFailure(string taskToken, string? error = null, string? cause = null) => _callbacks.Fail(taskToken, error, cause);

    public void SendTaskHeartbeat(string taskToken) => _callbacks.Heartbeat(taskToken);

    /// <summary>Executions of <paramref name="stateMachine"/> (name or ARN), newest first.</summary>
    public IEnumerable<Execution> ExecutionsOf(string stateMachine) => _executions.ExecutionsOf(stateMachine);

    /// <summary>The execution's input as it was given (StartExecution keeps the text, with its spacing).</summary>
    internal string InputTextOf(Execution execution) => _executions.InputTextOf(execution);
}
