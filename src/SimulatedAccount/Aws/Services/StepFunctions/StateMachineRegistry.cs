using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.StepFunctions;

/// <summary>
/// The state machines of the simulated Step Functions: CreateStateMachine, UpdateStateMachine, DeleteStateMachine,
/// DescribeStateMachine and ListStateMachines, and registration from C# (deployments, worlds). A definition is
/// compiled by the engine's loader when it is registered, so an invalid one fails as <c>InvalidDefinition</c>.
/// </summary>
internal sealed class StateMachineRegistry(StepFunctionsService service)
{
    /// <summary>
    /// What CreateStateMachine checks of a role the simulated IAM knows: Step Functions must be able to assume it ("Neither
    /// the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided
    /// role"), and a definition that waits on child executions (<c>states:startExecution.sync</c>) needs the role to manage
    /// the EventBridge rule Step Functions uses for them, checked at creation ("... is not authorized to create
    /// managed-rule.", Step Functions developer guide, "IAM policies for integrated services").
    /// </summary>
    private static readonly string[] ManagedRuleActions = ["events:PutTargets", "events:PutRule", "events:DescribeRule"];

    private readonly Dictionary<string, StateMachineInfo> _machines = new(StringComparer.Ordinal);

    public IReadOnlyCollection<StateMachineInfo> All => _machines.Values;

    private SimulatedAccount Account => service.Account;

    private StepFunctionsEngine Engine => Account.StepFunctions;

    /// <summary>
    /// Registers state machine <paramref name="name"/> (its DefinitionSubstitutions already applied) and
    /// returns its ARN. Registering the same name again replaces the definition, as UpdateStateMachine does.
    /// </summary>
    public string Register(string name, string definitionJson, string? roleArn)
    {
        SfnIdentifiers.ValidateName(name, "name");
        var definition = Compile(definitionJson);
        var arn = Engine.StateMachineArn(name);
        CheckRole(roleArn, definitionJson);
        var created = _machines.TryGetValue(arn, out var existing) ? existing.CreationDate : Account.Scheduler.Now;
        _machines[arn] = new StateMachineInfo(name, arn, definitionJson, definition, roleArn ?? DefaultRole(name), "STANDARD", created);
        return arn;
    }

    /// <summary>The state machine named by <paramref name="nameOrArn"/>, if registered.</summary>
    public StateMachineInfo? Find(string nameOrArn) =>
        _machines.GetValueOrDefault(ArnOf(nameOrArn));

    /// <summary>The state machine whose ARN is exactly <paramref name="arn"/>, if registered.</summary>
    public StateMachineInfo? ByArn(string arn) => _machines.GetValueOrDefault(arn);

    /// <summary>The ARN of the state machine <paramref name="nameOrArn"/> names (an ARN is itself).</summary>
    public string ArnOf(string nameOrArn) => nameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? nameOrArn : Engine.StateMachineArn(nameOrArn);

    public StateMachineInfo OrThrow(string arn)
    {
        if (!SfnIdentifiers.IsStateMachineArn(arn))
        {
            throw SfnIdentifiers.InvalidArn(arn);
        }

        return _machines.GetValueOrDefault(arn) ?? throw new AwsServiceException("StateMachineDoesNotExist", $"State Machine Does Not Exist: '{arn}'");
    }

    public string DefaultRole(string name) => $"arn:aws:iam::{Account.AccountId}:role/{name}-role";

    /// <summary>
    /// A state machine a scenario names: its name, or the name it was deployed from (<c>upgrade</c> is the one
    /// deployed machine whose name ends with <c>-upgrade</c>, whatever the deployment's prefix and environment).
    /// </summary>
    public string ScenarioName(string name)
    {
        if (name.StartsWith("arn:", StringComparison.Ordinal) || _machines.Values.Any(m => m.Name == name))
        {
            return name;
        }

        var deployed = _machines.Values.Where(m => m.Name.EndsWith("-" + name, StringComparison.Ordinal)).ToList();
        return deployed.Count == 1 ? deployed[0].Name : name;
    }

    // ---- the API ------------------------------------------------------------------------------------------------

    public JObject Create(JObject parameters, AwsCallContext context)
    {
        var p = service.Read(parameters);
        var name = p.RequiredString("Name");
        var definition = p.RequiredString("Definition");
        var role = p.RequiredString("RoleArn");
        var type = p.OptionalString("Type") ?? "STANDARD";
        if (type is not ("STANDARD" or "EXPRESS"))
        {
            throw service.Invalid($"1 validation error detected: Value '{type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]");
        }

        SfnIdentifiers.ValidateName(name, "name");
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

    public JObject Update(JObject parameters, AwsCallContext context)
    {
        var p = service.Read(parameters);
        var machine = OrThrow(p.RequiredString("StateMachineArn"));
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

    public JObject Delete(JObject parameters, AwsCallContext context)
    {
        var arn = service.Read(parameters).RequiredString("StateMachineArn");
        if (!SfnIdentifiers.IsStateMachineArn(arn))
        {
            throw new AwsServiceException("InvalidArn", $"Invalid Arn: '{arn}'");
        }

        _machines.Remove(arn);
        return JObject.Empty;
    }

    public JObject Describe(JObject parameters, AwsCallContext context)
    {
        var machine = OrThrow(service.Read(parameters).RequiredString("StateMachineArn"));
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

    public JObject List(JObject parameters, AwsCallContext context)
    {
        var p = service.Read(parameters);
        var page = Pagination.Of(_machines.Values.ToList(), p.OptionalString("NextToken"), p.OptionalInt("MaxResults") is > 0 and var m ? m : 100, PageTokens.Offsets, SfnIdentifiers.InvalidToken);
        return new JObjectBuilder()
            .Add("StateMachines", JArray.From(page.Items.Select(s => (JValue)JObject.Of(
                ("StateMachineArn", s.Arn), ("Name", s.Name), ("Type", s.Type), ("CreationDate", ApiValues.Timestamp(s.CreationDate))))))
            .Maybe("NextToken", page.NextToken)
            .Build();
    }

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
}
