using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws.Iam;
using BlueGreen.Simulator.Aws.Integrations;
using BlueGreen.Simulator.Aws.Services;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws;

/// <summary>Identity, clock and seed of a simulated account.</summary>
public sealed record AccountOptions
{
    public string Region { get; init; } = "ap-northeast-2";

    public string AccountId { get; init; } = "111122223333";

    /// <summary>The virtual time at which the world starts.</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Seeds every random choice (faults, jitter, tokens): same seed, same rehearsal.</summary>
    public int Seed { get; init; } = 20_241_122;

    public int MaxHistoryEvents { get; init; } = 25_000;

    /// <summary>
    /// How long an event on the bus takes to reach a rule's target on the first attempt (zero: at once). Scenarios, and so
    /// every rehearsal, model one second (TargetDeliverer.ModelledRuleDeliveryLatency: AWS publishes no figure).
    /// </summary>
    public TimeSpan RuleDeliveryLatency { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// A folder where DynamoDB's tables are kept between runs (<c>rehearse --state DIR</c>): tables that exist there already
    /// are used as they are, as a deployment uses an existing table. In memory, fresh for each account, when null.
    /// </summary>
    public string? DynamoDbDirectory { get; init; }
}

/// <summary>How a request breaks its service's API model.</summary>
public enum RequestProblemKind
{
    /// <summary>A member the API does not have (a misspelled parameter).</summary>
    UnknownMember,

    /// <summary>A member of the wrong JSON type.</summary>
    WrongType,

    /// <summary>A required member that is absent.</summary>
    MissingRequired,

    /// <summary>A value outside the model's constraints (length, range, enum, pattern).</summary>
    ConstraintViolation,
}

public sealed record RequestProblem(RequestProblemKind Kind, string Path, string Message);

/// <summary>Checks SDK-integration requests against the official AWS API models.</summary>
public interface IRequestValidator
{
    /// <summary>Every problem of <paramref name="parameters"/> for <paramref name="sdkName"/>:<paramref name="action"/>; empty when valid.</summary>
    IReadOnlyList<RequestProblem> Validate(string sdkName, string action, JObject parameters);

    /// <summary>
    /// The message of the validation error the service itself returns for <paramref name="problems"/>
    /// (missing members, constraint violations), worded as that service words it.
    /// </summary>
    string DescribeForService(string sdkName, IReadOnlyList<RequestProblem> problems) => string.Join(" ", problems.Select(p => p.Message));

    /// <summary>
    /// The error name an AWS SDK integration (<c>arn:aws:states:::aws-sdk:*</c>) reports for the service
    /// error <paramref name="code"/>; see <see cref="Models.SdkIntegrationErrors"/>. Without a model of the
    /// service, the code with an <c>Exception</c> suffix.
    /// </summary>
    string SdkIntegrationErrorName(string sdkName, string errorPrefix, string code) => Models.SdkIntegrationErrors.Legacy(errorPrefix, code);

    /// <summary>
    /// <paramref name="parameters"/> (already valid) in the one form the simulated services read: member
    /// names spelled as in the model (<c>TTL</c> for <c>Ttl</c>) and scalars of the model's types.
    /// </summary>
    JObject Normalize(string sdkName, string action, JObject parameters) => parameters;

    /// <summary>Whether <paramref name="sdkName"/>'s API model defines the error <paramref name="code"/>; null when there is no model to ask.</summary>
    bool? IsModeledError(string sdkName, string code) => null;
}

/// <summary>
/// The simulated AWS account: one virtual clock shared by the Step Functions engine and every simulated
/// service, a call log, fault injection and the default event bus. State machines reach the services
/// through <c>arn:aws:states:::aws-sdk:*</c> (see <see cref="AwsSdkIntegration"/>) and the optimized
/// integrations of <see cref="ServiceIntegrations"/>, registered as each service is added. EventBridge rules and
/// Scheduler schedules reach their targets through <see cref="DeliveryCallAsync"/>, the same path.
/// </summary>
public sealed partial class SimulatedAccount : IDisposable
{
    private readonly Dictionary<string, IAwsService> _bySdkName = new(StringComparer.Ordinal);
    private readonly List<IAwsService> _services = [];
    private readonly List<IDisposable> _resources = [];
    private readonly Dictionary<string, Action<JObject>> _eventActions = new(StringComparer.Ordinal);
    private readonly List<Iam.Denial> _denials = [];

    public SimulatedAccount(AccountOptions? options = null)
    {
        Options = options ?? new AccountOptions();
        Scheduler = new VirtualScheduler(Options.Start);
        Tasks = new TaskRegistry();
        StepFunctions = new StepFunctionsEngine(Scheduler, Tasks, new EngineOptions
        {
            Region = Options.Region,
            AccountId = Options.AccountId,
            Seed = Options.Seed,
            MaxHistoryEvents = Options.MaxHistoryEvents,
        });
        Calls = new CallLog();
        Faults = new FaultInjector(Options.Seed);
        Events = new EventBus(this);
        Workloads = new WorkloadRegistry(this);
        Traffic = new TrafficRegistry();
        Clusters = new ClusterDirectory();
        GitOps = new GitOpsRegistry(this);
        Random = new Random(Options.Seed);
        Tasks.RegisterPrefix(AwsSdkIntegration.ResourcePrefix, new AwsSdkIntegration(this));
        Http = new HttpIntegration(this);
        Http.Register(Tasks);
    }

    public AccountOptions Options { get; }

    /// <summary>The HTTP Task (<c>arn:aws:states:::http:invoke</c>), its EventBridge connections and the requests it sent.</summary>
    public HttpIntegration Http { get; }

    public string Region => Options.Region;

    public string AccountId => Options.AccountId;

    public VirtualScheduler Scheduler { get; }

    public TaskRegistry Tasks { get; }

    public StepFunctionsEngine StepFunctions { get; }

    public CallLog Calls { get; }

    public FaultInjector Faults { get; }

    /// <summary>
    /// The scenario fault (if any) for a call made now: every call path asks here, so each counts the call and measures a
    /// fault's from/until window from the scenario's start alike (a delivery that skipped the time once was faulted at any hour).
    /// </summary>
    internal FaultRule? NextFault(string iamPrefix, string action, string? stateName) =>
        Faults.Next(iamPrefix, action, stateName, Scheduler.Now - Options.Start);

    public EventBus Events { get; }

    /// <summary>Readiness and health of what runs on each cluster, shared by EKS, ELBv2 and CloudWatch.</summary>
    public WorkloadRegistry Workloads { get; }

    /// <summary>Where traffic goes: ELBv2 and Route 53 publish their weights here; CloudWatch and the rehearsal read them.</summary>
    public TrafficRegistry Traffic { get; }

    /// <summary>Which cluster answers at an API endpoint: EKS registers its clusters here.</summary>
    public ClusterDirectory Clusters { get; }

    /// <summary>Argo CD cluster registrations: Secrets Manager reports written secrets here.</summary>
    public GitOpsRegistry GitOps { get; }

    /// <summary>The account's seeded random source, for services' own choices.</summary>
    public Random Random { get; }

    /// <summary>When set, every SDK-integration request is checked against the service's API model first.</summary>
    public IRequestValidator? Validator { get; set; }

    public IReadOnlyList<IAwsService> Services => _services;

    public SimulatedAccount AddService(IAwsService service)
    {
        _services.Add(service);
        _bySdkName[service.SdkName] = service;
        service.Attach(this);
        ServiceIntegrations.Register(this, service);
        return this;
    }

    public T Service<T>() where T : IAwsService =>
        _services.OfType<T>().SingleOrDefault() ?? throw new InvalidOperationException($"The account has no {typeof(T).Name}.");

    public IAwsService? ServiceBySdkName(string sdkName) => _bySdkName.GetValueOrDefault(sdkName);

    /// <summary>
    /// Runs the virtual clock until the account is at rest and at least <paramref name="notBefore"/>: no execution running,
    /// no rule or schedule still delivering or retrying (restore-blue's start, throttled, starts on a retry), and a
    /// scenario's last event (a later run, a Health event) has happened.
    /// </summary>
    public void RunUntilSettled(DateTimeOffset notBefore) =>
        Scheduler.RunUntil(() => Scheduler.Now >= notBefore && StepFunctions.Executions.All(e => !e.IsRunning)
            && Service<Services.EventBridge.EventBridgeService>().DeliveriesInProgress == 0
            && Service<Services.Scheduler.SchedulerService>().InvocationsInProgress == 0
            && _services.OfType<Services.DynamoDb.DynamoDbService>().All(d => d.Streams.CapturesInProgress == 0)
            && _services.OfType<Services.Pipes.PipesService>().All(p => p.InProgress == 0));

    /// <summary>
    /// Names something a scenario can make happen at a virtual time (<c>setAlarmState</c>,
    /// <c>failNodegroup</c>...). Services register their own actions; scenarios refer to them by name.
    /// </summary>
    public void RegisterEventAction(string name, Action<JObject> action) => _eventActions[name] = action;

    /// <summary>
    /// What drives the chat endpoint for the scenario events <c>slashCommand</c> and <c>clickButton</c> (set by the chat
    /// rehearsal, which signs requests as Slack does and sends them through the deployed function); null without one.
    /// </summary>
    public Action<string, JObject>? ChatDriver { get; set; }

    public bool TryGetEventAction(string name, out Action<JObject> action) => _eventActions.TryGetValue(name, out action!);

    public IEnumerable<string> EventActionNames => _eventActions.Keys;

    /// <summary>Ties the lifetime of an external resource (the dynalite process) to the account.</summary>
    public void Own(IDisposable resource) => _resources.Add(resource);

    /// <summary><c>arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE</c>; global services (Route 53) pass <paramref name="regional"/> false.</summary>
    public string Arn(string service, string resource, bool regional = true) =>
        $"arn:aws:{service}:{(regional ? Region : string.Empty)}:{(service == "route53" ? string.Empty : AccountId)}:{resource}";

    /// <summary>
    /// Makes one call the way Step Functions would: model validation, then fault injection, then the
    /// service, with the outcome logged and service errors renamed <c>Prefix.CodeException</c>.
    /// </summary>
    public async Task<JValue> CallAsync(IAwsService service, string action, JObject parameters, AwsCallContext context, string? errorPrefix = null)
    {
        errorPrefix ??= service.ErrorPrefix;
        if (!service.Supports(action))
        {
            throw new StatesException(StatesErrors.Runtime, $"The simulated account does not implement {service.SdkName}:{action}.");
        }

        var problems = Validator?.Validate(service.SdkName, action, parameters) ?? [];
        var structural = problems.Where(p => p.Kind is RequestProblemKind.UnknownMember or RequestProblemKind.WrongType).ToList();
        if (structural.Count > 0)
        {
            // Step Functions rejects such parameters itself, before calling the service.
            var entered = EnteredEventId(context) is { } id ? $" (entered at the event id #{id})" : string.Empty;
            throw new StatesException(StatesErrors.Runtime,
                $"An error occurred while executing the state '{context.StateName}'{entered}. The Parameters '{parameters.ToJson()}' could not be used to start the Task: [{string.Join(", ", structural.Select(p => p.Message))}]");
        }

        // The service authorizes the caller before it looks at the request any further.
        if (Authorize(service, action, parameters, context, errorPrefix) is { } denied)
        {
            Log(service, action, parameters, context, denied.Error, null);
            throw denied;
        }

        if (problems.Count > 0 && Validator is not null)
        {
            var rejected = StatesError(service, new AwsServiceException(service is AwsServiceBase b ? b.ValidationErrorCode : "ValidationException", Validator.DescribeForService(service.SdkName, problems)), errorPrefix, context);
            Log(service, action, parameters, context, rejected.Error, null);
            throw rejected;
        }

        // Services read one spelling and one type per member, whichever the state machine used.
        parameters = Validator?.Normalize(service.SdkName, action, parameters) ?? parameters;
        var fault = NextFault(service.IamPrefix, action, context.StateName);
        if (fault is { Kind: FaultKind.Latency })
        {
            await Scheduler.Delay(TimeSpan.FromSeconds(fault.LatencySeconds), context.Cancellation);
        }
        else if (fault is not null)
        {
            var error = StatesError(service, fault.ToServiceError(service), errorPrefix, context);
            Log(service, action, parameters, context, error.Error, fault.Kind.ToString());
            throw error;
        }

        try
        {
            var result = await service.InvokeAsync(action, parameters, context);
            Log(service, action, parameters, context, "OK", fault?.Kind.ToString());
            return result;
        }
        catch (AwsServiceException e)
        {
            var error = StatesError(service, e, errorPrefix, context);
            Log(service, action, parameters, context, error.Error, fault?.Kind.ToString());
            throw error;
        }
    }

    /// <summary>Every call IAM refused so far, in order (the rehearsal summary names them).</summary>
    public IReadOnlyList<Iam.Denial> Denials => _denials;

    /// <summary>The tags IAM sees on <paramref name="arn"/>, from whichever service owns it; null when none does.</summary>
    public IReadOnlyDictionary<string, string>? ResourceTags(string arn)
    {
        foreach (var service in _services)
        {
            if (service.ResourceTags(arn) is { } tags)
            {
                return tags;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="principalArn"/> may make every authorization in <paramref name="requests"/>; the first refused
    /// one is recorded and returned with IAM's message. Null when all are allowed, or when the principal is not a role of
    /// the simulated IAM (worlds without a deployment are not checked).
    /// </summary>
    public (AuthorizationRequest Request, string Message)? Refusal(string? principalArn, IEnumerable<AuthorizationRequest> requests, string? stateName)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var iam = _services.OfType<Iam.IamService>().SingleOrDefault();
        if (principalArn is null || iam?.Role(principalArn) is null)
        {
            return null;
        }

        foreach (var request in requests)
        {
            var result = iam.Authorize(principalArn, request)!;
            if (!result.IsAllowed)
            {
                var session = new string(Enumerable.Range(0, 32).Select(i => (char)((i % 2 == 0 ? 'a' : 'A') + (int)((uint)StableHash.Of($"{principalArn}/{i}") % 26))).ToArray());
                var message = Iam.AccessDenied.Message(principalArn, request, result, session);
                _denials.Add(new Iam.Denial(Scheduler.Now, principalArn, request.Action, request.Resource, stateName, result.Decision == AuthorizationDecision.ExplicitDeny, message));
                return (request, message);
            }
        }

        return null;
    }

    private StatesException? Authorize(IAwsService service, string action, JObject parameters, AwsCallContext context, string errorPrefix) =>
        RefusalMessage(service, action, parameters, context) is { } message
            ? Iam.AccessDenied.TaskError(service, message, context.SdkIntegration, errorPrefix, Validator, Ids.Uuid(Random))
            : null;

    /// <summary>IAM's message when <see cref="AwsCallContext.PrincipalArn"/> may not make this call; null when it may, or is not checked.</summary>
    private string? RefusalMessage(IAwsService service, string action, JObject parameters, AwsCallContext context)
    {
        if (context.PrincipalArn is not { } principal || !_services.OfType<Iam.IamService>().Any(i => i.Role(principal) is not null))
        {
            return null;
        }

        return Refusal(principal, Iam.RequiredPermissions.For(service, action, parameters, this), context.StateName)?.Message;
    }

    public void Dispose()
    {
        foreach (var resource in Enumerable.Reverse(_resources))
        {
            resource.Dispose();
        }

        _resources.Clear();
        Scheduler.Dispose();
    }

    /// <summary>
    /// The error a Catch sees for <paramref name="e"/>: named from the service's API model through an AWS SDK
    /// integration (<see cref="Models.SdkIntegrationErrors"/>), <c>Prefix.CodeException</c> through an
    /// optimized integration.
    /// </summary>
    private StatesException StatesError(IAwsService service, AwsServiceException e, string errorPrefix, AwsCallContext context) =>
        context.SdkIntegration && Validator is { } validator
            ? new StatesException(validator.SdkIntegrationErrorName(service.SdkName, errorPrefix, e.Code), e.Message)
            : e.ToStatesError(errorPrefix);

    /// <summary>The id of the history event where the calling Task state was entered (AWS names it in parameter errors).</summary>
    private static long? EnteredEventId(AwsCallContext context)
    {
        var events = context.Execution?.History.Events;
        for (var i = (events?.Count ?? 0) - 1; i >= 0; i--)
        {
            if (events![i].Type == "TaskStateEntered" && events[i].StateName == context.StateName)
            {
                return events[i].Id;
            }
        }

        return null;
    }

    private void Log(IAwsService service, string action, JObject parameters, AwsCallContext context, string outcome, string? fault) =>
        Calls.Add(new AwsCallRecord(Scheduler.Now, service.IamPrefix, action, !service.IsReadOnly(action), context.StateName, parameters, outcome, fault, context.PrincipalArn, context.DeliveredBy));
}
