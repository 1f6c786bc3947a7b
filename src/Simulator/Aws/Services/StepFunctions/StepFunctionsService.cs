using System.Text;
using System.Text.RegularExpressions;
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
/// The Step Functions API of the simulated account, over the account's engine:
/// <list type="bullet">
/// <item>a registry of state machines (CreateStateMachine, or <see cref="RegisterStateMachine"/> from C#);</item>
/// <item>executions: StartExecution with Standard workflows' name rules (same name and same input while the
/// first is running returns that execution; otherwise the name is taken for 90 days:
/// <c>ExecutionAlreadyExists</c>), StopExecution, DescribeExecution, ListExecutions, GetExecutionHistory;</item>
/// <item>callbacks: SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat (<c>TaskDoesNotExist</c>,
/// <c>TaskTimedOut</c>, <c>InvalidToken</c>, <c>InvalidOutput</c>);</item>
/// <item>"Step Functions Execution Status Change" events on the default bus: RUNNING when an execution is
/// started through this service, and the terminal status of every execution of the engine.</item>
/// </list>
/// Through <c>arn:aws:states:::aws-sdk:sfn:*</c> errors are <c>Sfn.*</c> (<c>Sfn.ExecutionAlreadyExistsException</c>); the
/// optimized <c>arn:aws:states:::states:startExecution</c> is <see cref="Integrations.StepFunctionsIntegration"/>.
/// </summary>
/// <remarks>World section <c>sfn</c>: <c>stateMachines: [ { name, definitionFile | definition, substitutions, roleArn } ]</c>.</remarks>
public sealed partial class StepFunctionsService : AwsServiceBase
{
    public const string StatusChangeDetailType = "Step Functions Execution Status Change";

    private static readonly TimeSpan NameRetention = TimeSpan.FromDays(90);

    private readonly Dictionary<string, StateMachineInfo> _machines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _inputTexts = new(StringComparer.Ordinal);
    private readonly List<OperatorAction> _operatorActions = [];
    private SimulatedAccount? _account;
    private Random _random = new(0);

    public StepFunctionsService()
    {
        On("CreateStateMachine", CreateStateMachine);
        On("UpdateStateMachine", UpdateStateMachine);
        On("DeleteStateMachine", DeleteStateMachine);
        On("DescribeStateMachine", DescribeStateMachine);
        On("DescribeStateMachineForExecution", DescribeStateMachineForExecution);
        On("ListStateMachines", ListStateMachines);
        On("StartExecution", StartExecutionAction);
        On("StopExecution", StopExecutionAction);
        On("DescribeExecution", (p, _) => Describe(FindExecutionOrThrow(Read(p).RequiredString("ExecutionArn"))));
        On("ListExecutions", ListExecutions);
        On("GetExecutionHistory", GetExecutionHistory);
        On("SendTaskSuccess", SendTaskSuccessAction);
        On("SendTaskFailure", SendTaskFailureAction);
        On("SendTaskHeartbeat", (p, _) =>
        {
            SendTaskHeartbeat(Read(p).RequiredString("TaskToken"));
            return JObject.Empty;
        });
    }

    public override string SdkName => "sfn";

    public override string ErrorPrefix => "Sfn";

    public override string IamPrefix => "states";

    public override string InternalErrorCode => "InternalServerException";

    public IReadOnlyCollection<StateMachineInfo> StateMachines => _machines.Values;

    public IReadOnlyList<OperatorAction> OperatorActions => _operatorActions;

    private SimulatedAccount Account => _account ?? throw new InvalidOperationException("The Step Functions service is not attached to an account.");

    private StepFunctionsEngine Engine => Account.StepFunctions;

    public override void Attach(SimulatedAccount account)
    {
        _account = account;
        _random = ApiValues.ServiceRandom(account, "sfn");
        account.StepFunctions.ExecutionFinished += PublishStatusChange;
        account.RegisterEventAction("startExecution", a => Operator("startExecution", a, StartFromScenario));
        account.RegisterEventAction("approve", a => Operator("approve", a, Approve));
        account.RegisterEventAction("reject", a => Operator("reject", a, Reject));
        account.RegisterEventAction("abort", a => Operator("abort", a, Abort));
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
    public string RegisterStateMachine(string name, string definitionJson, string? roleArn = null)
    {
        ValidateName(name, "name");
        var definition = Compile(definitionJson);
        var arn = Engine.StateMachineArn(name);
        CheckRole(roleArn, definitionJson);
        var created = _machines.TryGetValue(arn, out var existing) ? existing.CreationDate : Account.Scheduler.Now;
        _machines[arn] = new StateMachineInfo(name, arn, definitionJson, definition, roleArn ?? DefaultRole(name), "STANDARD", created);
        return arn;
    }

    /// <summary>
    /// What CreateStateMachine checks of a role the simulated IAM knows: Step Functions must be able to assume it ("Neither
    /// the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided
    /// role"), and a definition that waits on child executions (<c>states:startExecution.sync</c>) needs the role to manage
    /// the EventBridge rule Step Functions uses for them, checked at creation ("... is not authorized to create
    /// managed-rule.", Step Functions developer guide, "IAM policies for integrated services").
    /// </summary>
    private static readonly string[] ManagedRuleActions = ["events:PutTargets", "events:PutRule", "events:DescribeRule"];

    private void CheckRole(string? roleArn, string definitionJson)
    {
        var iam = Account.Services.OfType<Aws.Iam.IamService>().SingleOrDefault();
        if (roleArn is null || iam?.Role(roleArn) is null)
        {
            return;
        }

        if (!iam.Trusts(roleArn, "states.amazonaws.com", Account.AccountId))
        {
            throw new AwsServiceException("InvalidDefinition", $"Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided role: {roleArn}.");
        }

        if (definitionJson.Contains("arn:aws:states:::states:startExecution.sync", StringComparison.Ordinal))
        {
            var rule = Account.Arn("events", "rule/StepFunctionsGetEventsForStepFunctionsExecutionRule");
            var requests = ManagedRuleActions.Select(a => new Aws.Iam.AuthorizationRequest(a, rule, Aws.Iam.RequestContext.Empty));
            if (Account.Refusal(roleArn, requests, stateName: null) is not null)
            {
                throw new AwsServiceException("AccessDeniedException", $"'{roleArn}' is not authorized to create managed-rule.");
            }
        }
    }

    /// <summary>The state machine named by <paramref name="nameOrArn"/>, if registered.</summary>
    public StateMachineInfo? StateMachine(string nameOrArn) =>
        _machines.GetValueOrDefault(nameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? nameOrArn : Engine.StateMachineArn(nameOrArn));

    /// <summary>StartExecution from C#: the same rules as the API, errors as <see cref="AwsServiceException"/>.</summary>
    public Execution StartExecution(string stateMachine, JValue? input = null, string? name = null) =>
        Start(stateMachine.StartsWith("arn:", StringComparison.Ordinal) ? stateMachine : Engine.StateMachineArn(stateMachine), input?.ToJson(), name);

    /// <summary>StopExecution from C#.</summary>
    public Execution StopExecution(string executionArn, string? error = null, string? cause = null)
    {
        var execution = FindExecutionOrThrow(executionArn);
        Engine.StopExecution(execution, error, cause);
        return execution;
    }

    public void SendTaskSuccess(string taskToken, JValue output) => TokenCall(() => Engine.SendTaskSuccess(taskToken, output));

    public void SendTaskFailure(string taskToken, string? error = null, string? cause = null) => TokenCall(() => Engine.SendTaskFailure(taskToken, error, cause));

    public void SendTaskHeartbeat(string taskToken) => TokenCall(() => Engine.SendTaskHeartbeat(taskToken));

    /// <summary>Executions of <paramref name="stateMachine"/> (name or ARN), newest first.</summary>
    public IEnumerable<Execution> ExecutionsOf(string stateMachine)
    {
        var arn = stateMachine.StartsWith("arn:", StringComparison.Ordinal) ? stateMachine : Engine.StateMachineArn(stateMachine);
        return Engine.Executions.Where(e => e.StateMachineArn == arn).Reverse();
    }

    private static void TokenCall(Action call)
    {
        try
        {
            call();
        }
        catch (TaskTokenException e)
        {
            throw new AwsServiceException(e.ErrorCode, e.Message);
        }
    }

    // ---- StartExecution and its name rules -------------------------------------------------------

    private Execution Start(string stateMachineArn, string? inputText, string? name)
    {
        if (!StateMachineArnRegex().IsMatch(stateMachineArn))
        {
            throw new AwsServiceException("InvalidArn", $"Invalid Arn: 'Resource type not valid in this context: {stateMachineArn}'");
        }

        var machine = _machines.GetValueOrDefault(stateMachineArn)
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
            name = ApiValues.Uuid(_random);
        }
        else
        {
            ValidateName(name, "name");
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

    private JObject StartExecutionAction(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var execution = Start(p.RequiredString("StateMachineArn"), ApiValues.JsonText(parameters["Input"]), p.OptionalString("Name"));
        return JObject.Of(("ExecutionArn", execution.Arn), ("StartDate", ApiValues.Timestamp(execution.StartDate)));
    }

    private JObject StopExecutionAction(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var error = p.OptionalString("Error");
        var cause = p.OptionalString("Cause");
        if (error?.Length > 256 || cause?.Length > 32_768)
        {
            throw Invalid("1 validation error detected: Error must be at most 256 and Cause at most 32768 characters.");
        }

        var execution = StopExecution(p.RequiredString("ExecutionArn"), error, cause);
        return JObject.Of(("StopDate", ApiValues.Timestamp(execution.StopDate ?? Account.Scheduler.Now)));
    }

    private JObject SendTaskSuccessAction(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var token = p.RequiredString("TaskToken");
        var outputText = ApiValues.JsonText(parameters["Output"]) ?? throw Invalid("1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null");
        if (!JValue.TryParse(outputText, out var output, out var error))
        {
            throw new AwsServiceException("InvalidOutput", $"Invalid Output: '{error}'");
        }

        if (Encoding.UTF8.GetByteCount(outputText) > Engine.Options.MaxPayloadBytes)
        {
            throw new AwsServiceException("InvalidOutput", "Invalid Output: 'The output exceeds the maximum size of 262144 bytes.'");
        }

        SendTaskSuccess(token, output);
        return JObject.Empty;
    }

    private JObject SendTaskFailureAction(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var error = p.OptionalString("Error");
        var cause = p.OptionalString("Cause");
        if (error?.Length > 256 || cause?.Length > 32_768)
        {
            throw Invalid("1 validation error detected: Error must be at most 256 and Cause at most 32768 characters.");
        }

        SendTaskFailure(p.RequiredString("TaskToken"), error, cause);
        return JObject.Empty;
    }

    // ---- state machines -------------------------------------------------------------------------

    private JObject CreateStateMachine(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var name = p.RequiredString("Name");
        var definition = p.RequiredString("Definition");
        var role = p.RequiredString("RoleArn");
        var type = p.OptionalString("Type") ?? "STANDARD";
        if (type is not ("STANDARD" or "EXPRESS"))
        {
            throw Invalid($"1 validation error detected: Value '{type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]");
        }

        ValidateName(name, "name");
        var arn = Engine.StateMachineArn(name);
        if (_machines.TryGetValue(arn, out var existing))
        {
            // CreateStateMachine is idempotent for an identical request; anything else is a conflict.
            return existing.DefinitionText == definition && existing.RoleArn == role && existing.Type == type
                ? JObject.Of(("StateMachineArn", arn), ("CreationDate", ApiValues.Timestamp(existing.CreationDate)))
                : throw new AwsServiceException("StateMachineAlreadyExists", $"State Machine Already Exists: '{arn}'");
        }

        _machines[arn] = new StateMachineInfo(name, arn, definition, Compile(definition), role, type, context.Now);
        return JObject.Of(("StateMachineArn", arn), ("CreationDate", ApiValues.Timestamp(context.Now)));
    }

    private JObject UpdateStateMachine(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var machine = MachineOrThrow(p.RequiredString("StateMachineArn"));
        var definition = p.OptionalString("Definition");
        var updated = machine with
        {
            DefinitionText = definition ?? machine.DefinitionText,
            Definition = definition is null ? machine.Definition : Compile(definition),
            RoleArn = p.OptionalString("RoleArn") ?? machine.RoleArn,
        };
        _machines[machine.Arn] = updated;
        return JObject.Of(("UpdateDate", ApiValues.Timestamp(context.Now)));
    }

    private JObject DeleteStateMachine(JObject parameters, AwsCallContext context)
    {
        var arn = Read(parameters).RequiredString("StateMachineArn");
        if (!StateMachineArnRegex().IsMatch(arn))
        {
            throw new AwsServiceException("InvalidArn", $"Invalid Arn: '{arn}'");
        }

        _machines.Remove(arn);
        return JObject.Empty;
    }

    private JObject DescribeStateMachine(JObject parameters, AwsCallContext context)
    {
        var machine = MachineOrThrow(Read(parameters).RequiredString("StateMachineArn"));
        return new JObjectBuilder()
            .Add("StateMachineArn", machine.Arn)
            .Add("Name", machine.Name)
            .Add("Status", "ACTIVE")
            .Add("Definition", machine.DefinitionText)
            .Add("RoleArn", machine.RoleArn)
            .Add("Type", machine.Type)
            .Add("CreationDate", ApiValues.Timestamp(machine.CreationDate))
            .Add("LoggingConfiguration", JObject.Of(("Level", "OFF"), ("IncludeExecutionData", false)))
            .Add("TracingConfiguration", JObject.Of(("Enabled", false)))
            .Build();
    }

    private JObject DescribeStateMachineForExecution(JObject parameters, AwsCallContext context)
    {
        var execution = FindExecutionOrThrow(Read(parameters).RequiredString("ExecutionArn"));
        var machine = _machines.GetValueOrDefault(execution.StateMachineArn);
        return new JObjectBuilder()
            .Add("StateMachineArn", execution.StateMachineArn)
            .Add("Name", execution.StateMachineName)
            .Add("Definition", machine?.DefinitionText ?? string.Empty)
            .Add("RoleArn", machine?.RoleArn ?? DefaultRole(execution.StateMachineName))
            .Add("UpdateDate", ApiValues.Timestamp(machine?.CreationDate ?? execution.StartDate))
            .Build();
    }

    private JObject ListStateMachines(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var all = _machines.Values.ToList();
        var start = ApiValues.PageStart(p.OptionalString("NextToken"), t => new AwsServiceException("InvalidToken", $"Invalid Token: '{t}'"));
        var page = all.Skip(start).Take(p.OptionalInt("MaxResults") is > 0 and var m ? m : 100).ToList();
        var response = new JObjectBuilder().Add("StateMachines", JArray.From(page.Select(s => (JValue)JObject.Of(
            ("StateMachineArn", s.Arn), ("Name", s.Name), ("Type", s.Type), ("CreationDate", ApiValues.Timestamp(s.CreationDate))))));
        if (start + page.Count < all.Count)
        {
            response.Add("NextToken", ApiValues.PageToken(start + page.Count));
        }

        return response.Build();
    }

    private StateMachineInfo MachineOrThrow(string arn)
    {
        if (!StateMachineArnRegex().IsMatch(arn))
        {
            throw new AwsServiceException("InvalidArn", $"Invalid Arn: 'Resource type not valid in this context: {arn}'");
        }

        return _machines.GetValueOrDefault(arn) ?? throw new AwsServiceException("StateMachineDoesNotExist", $"State Machine Does Not Exist: '{arn}'");
    }

    private static StateMachineDefinition Compile(string definitionJson)
    {
        var (definition, diagnostics) = DefinitionLoader.Validate(definitionJson);
        if (definition is null || diagnostics.HasErrors)
        {
            var problems = diagnostics.Items.Where(d => d.Severity == "ERROR").Select(d => $"{d.Code}: {d.Message} at {d.Location}");
            throw new AwsServiceException("InvalidDefinition", $"Invalid State Machine Definition: '{string.Join(", ", problems)}'");
        }

        return definition;
    }

    private string DefaultRole(string name) => $"arn:aws:iam::{Account.AccountId}:role/{name}-role";

    /// <summary>Names of state machines and executions: 1-80 characters, none of whitespace, brackets, wildcards, the listed specials, or control characters.</summary>
    private static void ValidateName(string name, string member)
    {
        if (name.Length is 0 or > 80 || !ValidNameRegex().IsMatch(name))
        {
            throw new AwsServiceException("InvalidName", $"Invalid Name: '{name}' ({member})");
        }
    }

    // ---- executions -----------------------------------------------------------------------------

    private Execution FindExecutionOrThrow(string executionArn)
    {
        if (!ExecutionArnRegex().IsMatch(executionArn))
        {
            throw new AwsServiceException("InvalidArn", $"Invalid Arn: 'Resource type not valid in this context: {executionArn}'");
        }

        return Engine.FindExecution(executionArn) ?? throw new AwsServiceException("ExecutionDoesNotExist", $"Execution Does Not Exist: '{executionArn}'");
    }

    /// <summary>DescribeExecution as the AWS SDK integration answers it (ISO timestamps, redrive members).</summary>
    private JObject Describe(Execution execution)
    {
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

        o.Add("Input", InputTextOf(execution)).Add("InputDetails", JObject.Of(("Included", true)));
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

        return o.Add("RedriveCount", 0).Add("RedriveStatus", RedriveStatus(execution)).Build();
    }

    /// <summary>The execution's input as it was given (StartExecution keeps the text, with its spacing).</summary>
    internal string InputTextOf(Execution execution) => _inputTexts.GetValueOrDefault(execution.Arn) ?? execution.Input.ToJson();

    private static string RedriveStatus(Execution execution) =>
        execution.Status is ExecutionStatus.Failed or ExecutionStatus.TimedOut or ExecutionStatus.Aborted ? "REDRIVABLE" : "NOT_REDRIVABLE";

    private JObject ListExecutions(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var machineArn = p.OptionalString("StateMachineArn") ?? throw Invalid("Must provide a StateMachine ARN or MapRun ARN");
        if (!_machines.ContainsKey(machineArn) && !Engine.Executions.Any(e => e.StateMachineArn == machineArn))
        {
            MachineOrThrow(machineArn);
        }

        var status = p.OptionalString("StatusFilter");
        var all = ExecutionsOf(machineArn).Where(e => status is null || e.StatusName == status).ToList();
        var start = ApiValues.PageStart(p.OptionalString("NextToken"), t => new AwsServiceException("InvalidToken", $"Invalid Token: '{t}'"));
        var page = all.Skip(start).Take(p.OptionalInt("MaxResults") is > 0 and var m ? m : 100).ToList();
        var response = new JObjectBuilder().Add("Executions", JArray.From(page.Select(e =>
        {
            var item = new JObjectBuilder()
                .Add("ExecutionArn", e.Arn).Add("StateMachineArn", e.StateMachineArn).Add("Name", e.Name)
                .Add("Status", e.StatusName).Add("StartDate", ApiValues.Timestamp(e.StartDate));
            if (e.StopDate is { } stop)
            {
                item.Add("StopDate", ApiValues.Timestamp(stop));
            }

            return (JValue)item.Build();
        })));
        if (start + page.Count < all.Count)
        {
            response.Add("NextToken", ApiValues.PageToken(start + page.Count));
        }

        return response.Build();
    }

    private JObject GetExecutionHistory(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var execution = FindExecutionOrThrow(p.RequiredString("ExecutionArn"));
        var includeData = p.OptionalBool("IncludeExecutionData") ?? true;
        IEnumerable<HistoryEvent> events = execution.History.Events;
        if (p.OptionalBool("ReverseOrder") == true)
        {
            events = events.Reverse();
        }

        var all = events.ToList();
        var start = ApiValues.PageStart(p.OptionalString("NextToken"), t => new AwsServiceException("InvalidToken", $"Invalid Token: '{t}'"));
        var page = all.Skip(start).Take(p.OptionalInt("MaxResults") is > 0 and var m ? Math.Min(m, 1000) : 100).ToList();
        var response = new JObjectBuilder().Add("Events", JArray.From(page.Select(e => ApiValues.Capitalize(includeData ? e.ToJson() : WithoutData(e.ToJson())))));
        if (start + page.Count < all.Count)
        {
            response.Add("NextToken", ApiValues.PageToken(start + page.Count));
        }

        return response.Build();
    }

    private static JObject WithoutData(JObject historyEvent) => JObject.From(historyEvent.Select(m => new KeyValuePair<string, JValue>(
        m.Key,
        m.Value is JObject details && m.Key.EndsWith("EventDetails", StringComparison.Ordinal)
            ? details.Without("input").Without("output").Without("parameters")
            : m.Value)));

    // ---- "Step Functions Execution Status Change" events ----------------------------------------

    private void PublishStatusChange(Execution execution)
    {
        var inputText = InputTextOf(execution);
        var detail = new JObjectBuilder()
            .Add("executionArn", execution.Arn)
            .Add("stateMachineArn", execution.StateMachineArn)
            .Add("name", execution.Name)
            .Add("status", execution.StatusName)
            .Add("startDate", ApiValues.EpochMillis(execution.StartDate))
            .Add("stopDate", execution.StopDate is { } stop ? ApiValues.EpochMillis(stop) : JNull.Instance)
            .Add("input", inputText)
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
        Account.Events.Publish("aws.states", StatusChangeDetailType, detail.Build(), execution.Arn);
    }

    // ---- operator event actions -----------------------------------------------------------------

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

        _operatorActions.Add(new OperatorAction(Account.Scheduler.Now, action, result.ExecutionArn, result.Outcome));
    }

    private (string?, string) StartFromScenario(JObject a)
    {
        var machine = a.GetString("stateMachine") ?? throw Invalid("startExecution needs 'stateMachine' (a name or ARN)");
        var execution = StartExecution(ScenarioMachineName(machine), a["input"] ?? JObject.Empty, a.GetString("name"));
        return (execution.Arn, "started");
    }

    private (string?, string) Approve(JObject a)
    {
        var (execution, token) = PendingCallback(a);
        if (token is null)
        {
            return (execution?.Arn, execution is null ? "no running execution matched" : "nothing is waiting for a callback");
        }

        SendTaskSuccess(token, a["output"] ?? JObject.Of(("approved", true)));
        return (execution!.Arn, "SendTaskSuccess");
    }

    private (string?, string) Reject(JObject a)
    {
        var (execution, token) = PendingCallback(a);
        if (token is null)
        {
            return (execution?.Arn, execution is null ? "no running execution matched" : "nothing is waiting for a callback");
        }

        SendTaskFailure(token, a.GetString("error") ?? "Rejected", a.GetString("cause") ?? "Rejected by the operator");
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
    /// A state machine a scenario names: its name, or the name it was deployed from (<c>upgrade</c> is the one
    /// deployed machine whose name ends with <c>-upgrade</c>, whatever the deployment's prefix and environment).
    /// </summary>
    private string ScenarioMachineName(string name)
    {
        if (name.StartsWith("arn:", StringComparison.Ordinal) || _machines.Values.Any(m => m.Name == name))
        {
            return name;
        }

        var deployed = _machines.Values.Where(m => m.Name.EndsWith("-" + name, StringComparison.Ordinal)).ToList();
        return deployed.Count == 1 ? deployed[0].Name : name;
    }

    /// <summary>
    /// Running executions an action names: <c>execution</c> (name or ARN) and/or <c>stateMachine</c> (name or
    /// ARN); with neither, every running execution, oldest first.
    /// </summary>
    private IEnumerable<Execution> RunningExecutions(JObject a)
    {
        var execution = a.GetString("execution");
        var machine = a.GetString("stateMachine");
        var machineArn = machine is null ? null : machine.StartsWith("arn:", StringComparison.Ordinal) ? machine : Engine.StateMachineArn(ScenarioMachineName(machine));
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
        foreach (var execution in RunningExecutions(a))
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

    [GeneratedRegex(@"^arn:aws:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$", RegexOptions.CultureInvariant)]
    private static partial Regex StateMachineArnRegex();

    [GeneratedRegex(@"^arn:aws:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ExecutionArnRegex();

    [GeneratedRegex(@"^[^\s<>{}\[\]?*""#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidNameRegex();

    /// <summary>Task tokens as the engine issues them, when embedded in a longer text (an approval message).</summary>
    [GeneratedRegex(@"AQB[A-Za-z0-9_-]{100,}", RegexOptions.CultureInvariant)]
    private static partial Regex TokenRegex();
}
