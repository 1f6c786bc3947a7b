using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws;

/// <summary>
/// An error a simulated service returns, with the service's own error code (<c>ResourceNotFoundException</c>,
/// <c>RuleNotFound</c>, <c>InvalidChangeBatch</c>). Step Functions reports it as
/// <c>ServicePrefix.CodeException</c>; see <see cref="ToStatesError"/>.
/// </summary>
public sealed class AwsServiceException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>
    /// The error name a Catch sees: the service's PascalCase name, a dot, and the error code with an
    /// <c>Exception</c> suffix added when missing (the AWS SDK integration convention).
    /// </summary>
    public StatesException ToStatesError(string errorPrefix) =>
        new($"{errorPrefix}.{(Code.EndsWith("Exception", StringComparison.Ordinal) ? Code : Code + "Exception")}", Message);
}

/// <summary>What a simulated call knows about where it comes from.</summary>
public sealed class AwsCallContext
{
    public required SimulatedAccount Account { get; init; }

    public required CancellationToken Cancellation { get; init; }

    /// <summary>The Task state making the call, when a state machine makes it.</summary>
    public string? StateName { get; init; }

    public Execution? Execution { get; init; }

    /// <summary>
    /// The IAM role the call is made as: the execution's role for a state machine's Task, the rule's or schedule's role for
    /// a target EventBridge or Scheduler starts; null for calls the simulation makes itself (worlds, summaries, tests).
    /// </summary>
    public string? PrincipalArn
    {
        get => _principalArn ?? Execution?.RoleArn;
        init => _principalArn = value;
    }

    private readonly string? _principalArn;

    /// <summary>
    /// For a call EventBridge or EventBridge Scheduler makes to deliver to a target, the rule or schedule ARN (recorded as
    /// <see cref="AwsCallRecord.DeliveredBy"/>); null for every other call.
    /// </summary>
    public string? DeliveredBy { get; init; }

    /// <summary>
    /// True for calls through <c>arn:aws:states:::aws-sdk:*</c>, whose errors are named from the service's
    /// API model (AWS SDK for Java 2.x); optimized integrations name them <c>Prefix.CodeException</c>.
    /// </summary>
    public bool SdkIntegration { get; init; }

    public VirtualScheduler Scheduler => Account.Scheduler;

    public DateTimeOffset Now => Account.Scheduler.Now;
}

/// <summary>
/// One simulated AWS service. Requests and responses use Step Functions' SDK-integration conventions:
/// PascalCase member names (even where the service's own API is camelCase) and errors raised as
/// <see cref="AwsServiceException"/> with the service's error code.
/// </summary>
public interface IAwsService
{
    /// <summary>The service name in SDK-integration resources: <c>arn:aws:states:::aws-sdk:NAME:action</c> (e.g. <c>eks</c>).</summary>
    string SdkName { get; }

    /// <summary>The PascalCase service name that prefixes error names (<c>Eks</c>, <c>ElasticLoadBalancingV2</c>).</summary>
    string ErrorPrefix { get; }

    /// <summary>
    /// The name of this service's section in a scenario's <c>services</c> and of its world file
    /// (<c>worlds/NAME/SECTION.yaml</c>); the SDK name unless the service says otherwise (<c>elbv2</c>).
    /// </summary>
    string WorldSection => SdkName;

    /// <summary>The IAM service prefix, used in call logs and policies (<c>eks</c>, <c>elasticloadbalancing</c>).</summary>
    string IamPrefix { get; }

    /// <summary>The error code this service uses when it throttles (<c>ThrottlingException</c>, <c>Throttling</c>).</summary>
    string ThrottlingErrorCode { get; }

    /// <summary>The error code of an internal service failure.</summary>
    string InternalErrorCode { get; }

    /// <summary>True when <paramref name="action"/> (PascalCase) exists.</summary>
    bool Supports(string action);

    /// <summary>The actions a scenario fault may target (<c>service:Action</c>): the supported ones, plus any integration-only action (<c>eks:call</c>).</summary>
    IEnumerable<string> FaultActions { get; }

    bool AcceptsFaultOn(string action) => FaultActions.Contains(action, StringComparer.Ordinal);

    /// <summary>Error codes this simulated service raises that its API model may not define (throttling, internal, validation...).</summary>
    IEnumerable<string> OwnErrorCodes => [ThrottlingErrorCode, InternalErrorCode];

    /// <summary>True when <paramref name="code"/> is an error of this service: in its API model (checked through <paramref name="validator"/>) or among <see cref="OwnErrorCodes"/>.</summary>
    bool HasErrorCode(string code, IRequestValidator? validator) =>
        OwnErrorCodes.Contains(code, StringComparer.Ordinal) || validator?.IsModeledError(SdkName, code) != false;

    /// <summary>As <see cref="HasErrorCode(string, IRequestValidator?)"/>, for a fault on <paramref name="action"/> (<c>*</c>: any).</summary>
    bool HasErrorCode(string code, string action, IRequestValidator? validator) => HasErrorCode(code, validator);

    /// <summary>True when <paramref name="action"/> changes nothing (Describe*, List*, Get*).</summary>
    bool IsReadOnly(string action);

    /// <summary>
    /// The tags IAM sees as <c>aws:ResourceTag/*</c> on the resource named by <paramref name="arn"/>, or null when this
    /// service has no such resource (or does not model tags on it).
    /// </summary>
    IReadOnlyDictionary<string, string>? ResourceTags(string arn) => null;

    /// <summary>Performs <paramref name="action"/> (PascalCase, e.g. <c>DescribeCluster</c>).</summary>
    Task<JValue> InvokeAsync(string action, JObject parameters, AwsCallContext context);

    /// <summary>Called once when the service joins <paramref name="account"/>: register optimized integrations and event actions here.</summary>
    void Attach(SimulatedAccount account);

    /// <summary>Builds this service's part of the world from its scenario section (called once, before any call).</summary>
    void Seed(JObject section, SimulatedAccount account);
}

/// <summary>
/// Convenience base: a table from action name to handler. Handlers read PascalCase parameters with the
/// <see cref="Params"/> helpers, which raise the service's validation error on bad input.
/// </summary>
public abstract class AwsServiceBase : IAwsService
{
    private readonly Dictionary<string, Func<JObject, AwsCallContext, Task<JValue>>> _actions = new(StringComparer.Ordinal);

    public abstract string SdkName { get; }

    public abstract string ErrorPrefix { get; }

    public abstract string IamPrefix { get; }

    public virtual string WorldSection => SdkName;

    public virtual string ThrottlingErrorCode => "ThrottlingException";

    public virtual string InternalErrorCode => "InternalFailure";

    /// <summary>The code of this service's "your request is invalid" error.</summary>
    public virtual string ValidationErrorCode => "ValidationException";

    public IEnumerable<string> Actions => _actions.Keys;

    public virtual IEnumerable<string> FaultActions => _actions.Keys;

    public virtual IEnumerable<string> OwnErrorCodes => [ThrottlingErrorCode, InternalErrorCode, ValidationErrorCode];

    public virtual bool HasErrorCode(string code, string action, IRequestValidator? validator) =>
        OwnErrorCodes.Contains(code, StringComparer.Ordinal) || validator?.IsModeledError(SdkName, code) != false;

    public bool Supports(string action) => _actions.ContainsKey(action);

    public virtual bool IsReadOnly(string action) =>
        action.StartsWith("Describe", StringComparison.Ordinal) || action.StartsWith("List", StringComparison.Ordinal) || action.StartsWith("Get", StringComparison.Ordinal);

    public Task<JValue> InvokeAsync(string action, JObject parameters, AwsCallContext context) =>
        _actions.TryGetValue(action, out var handler)
            ? handler(parameters, context)
            : throw new AwsServiceException("UnknownOperationException", $"The simulated {ErrorPrefix} service does not implement {action}.");

    public virtual void Attach(SimulatedAccount account)
    {
    }

    public virtual IReadOnlyDictionary<string, string>? ResourceTags(string arn) => null;

    public virtual void Seed(JObject section, SimulatedAccount account)
    {
    }

    protected void On(string action, Func<JObject, AwsCallContext, JValue> handler) =>
        _actions[action] = (p, c) => Task.FromResult(handler(p, c));

    protected void OnAsync(string action, Func<JObject, AwsCallContext, Task<JValue>> handler) => _actions[action] = handler;

    /// <summary>Typed access to request members that fails the way the service would (for the service and the parts it is made of).</summary>
    public Params Read(JObject parameters) => new(parameters, this);

    public readonly struct Params(JObject parameters, AwsServiceBase service)
    {
        public JObject Raw => parameters;

        public string RequiredString(string name) =>
            parameters.GetString(name) is { Length: > 0 } s ? s : throw service.Invalid($"Missing required parameter {name}.");

        public string? OptionalString(string name) => parameters.GetString(name);

        public int? OptionalInt(string name) => parameters.GetNumber(name) is { } n ? (int)n : null;

        public bool? OptionalBool(string name) => parameters.GetBool(name);

        public JObject? OptionalObject(string name) => parameters.GetObject(name);

        public JArray Array(string name) => parameters.GetArray(name) ?? JArray.Empty;

        public IReadOnlyList<string> Strings(string name) => Array(name).OfType<JString>().Select(s => s.Value).ToList();
    }

    /// <summary>The service's validation error with <paramref name="message"/>.</summary>
    public AwsServiceException Invalid(string message) => new(ValidationErrorCode, message);
}
