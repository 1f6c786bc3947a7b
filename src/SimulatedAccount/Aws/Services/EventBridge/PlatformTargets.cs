using BlueGreen.Simulator.Aws.Services.Scheduler;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.EventBridge;

/// <summary>The role a rule or schedule delivers with, and who assumes it: the service principal and the rule or schedule ARN.</summary>
public sealed record TargetRole(string RoleArn, string ServicePrincipal, string SourceArn);

/// <summary>
/// One failed delivery attempt: the target's error (<see cref="Code"/>, the service's wire code), or a refusal the
/// simulator makes itself (no code: an input it cannot build, a target it cannot reach). <see cref="Retryable"/> says
/// whether EventBridge or Scheduler tries again (<see cref="TargetRetryPolicy.IsRetryable"/>).
/// </summary>
public sealed class TargetDeliveryException(string message, string? code = null, bool retryable = false) : Exception(message)
{
    /// <summary>The code of a role the service could not assume (its trust policy does not allow it).</summary>
    public const string FailedToAssumeRole = "FailedToAssumeRole";

    public string? Code { get; } = code;

    public bool Retryable { get; } = retryable;

    /// <summary>What a <see cref="TargetDelivery"/> reports: <c>Code: message</c>, or the message of a refusal without a code.</summary>
    public string Result => Code is null ? Message : $"{Code}: {Message}";

    public static TargetDeliveryException From(AwsServiceException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new TargetDeliveryException(e.Message, e.Code, TargetRetryPolicy.IsRetryable(e.Code));
    }
}

/// <summary>
/// How EventBridge rules and Scheduler schedules reach their targets in the simulated account, one attempt at a time:
/// Step Functions state machines (StartExecution with the input), Lambda functions (asynchronous Invoke), SNS topics
/// (Publish), the default event bus (PutEvents) and, for schedules, <c>aws-sdk</c> universal targets (the action the
/// ARN names, with Input as its request). Each attempt is a call through the account's call path
/// (<see cref="SimulatedAccount.DeliveryCallAsync"/>) made as the rule's or schedule's role: the API model validates
/// it, IAM authorizes it against the role's policies, a scenario fault matching it (<c>states:StartExecution</c>) hits
/// it, and the call log records it with the rule or schedule ARN (<see cref="AwsCallRecord.DeliveredBy"/>). Before the
/// call, the service assumes the role: its trust policy must allow the service principal for this account and rule or
/// schedule (<c>aws:SourceAccount</c>, <c>aws:SourceArn</c>). The call is then authorized as any call is
/// (<see cref="Iam.RequiredPermissions"/>): <c>states:StartExecution</c> on the state machine, <c>lambda:InvokeFunction</c>
/// on the function, <c>sns:Publish</c> on the topic (and the KMS actions on an encrypted topic's key),
/// <c>events:PutEvents</c> on the bus, with the resource's tags. Roles the simulated IAM does not know are not checked
/// (worlds without a deployment). Retries, the retry policy and dead-letter queues are <see cref="TargetDeliverer"/>'s.
/// </summary>
internal static class PlatformTargets
{
    /// <summary>Makes one attempt to deliver <paramref name="input"/> to <paramref name="arn"/> and returns what the target answered.</summary>
    /// <exception cref="TargetDeliveryException">The attempt failed.</exception>
    public static async Task<string> DeliverAsync(SimulatedAccount account, string source, string arn, string input, TargetRole? role, JObject? eventBridgeParameters = null)
    {
        var (service, action, request, read) = arn.StartsWith(SchedulerService.UniversalTargetPrefix, StringComparison.Ordinal)
            ? Universal(account, arn, input)
            : Templated(account, arn, input, eventBridgeParameters);
        AssumeRole(account, role);
        var context = new AwsCallContext { Account = account, Cancellation = CancellationToken.None, PrincipalArn = role?.RoleArn, DeliveredBy = source };
        try
        {
            return read(await account.DeliveryCallAsync(service, action, request, context));
        }
        catch (AwsServiceException e)
        {
            throw TargetDeliveryException.From(e);
        }
        catch (NotSupportedException e)
        {
            // The simulated IAM has no rule for a universal target's action: say so rather than guess.
            throw new TargetDeliveryException(e.Message);
        }
    }

    private static (IAwsService Service, string Action, JObject Request, Func<JValue, string> Read) Templated(SimulatedAccount account, string arn, string input, JObject? eventBridgeParameters)
    {
        var parts = arn.Split(':');
        var service = parts.Length > 2 ? parts[2] : string.Empty;
        var resource = parts.Length > 5 ? parts[5] : string.Empty;
        switch (service)
        {
            case "states" when resource == "stateMachine":
                return (Required(account, "sfn"), "StartExecution", JObject.Of(("StateMachineArn", arn), ("Input", input)),
                    r => r.AsObject().GetString("ExecutionArn")!);
            case "lambda" when resource == "function":
                return (Required(account, "lambda"), "Invoke", JObject.Of(("FunctionName", arn), ("InvocationType", "Event"), ("Payload", input)),
                    r => $"StatusCode {r.AsObject().GetNumber("StatusCode")}");
            case "sns":
                return (Required(account, "sns"), "Publish", JObject.Of(("TopicArn", arn), ("Message", input)),
                    r => r.AsObject().GetString("MessageId") ?? "published");
            case "events" when resource.StartsWith("event-bus/", StringComparison.Ordinal):
                if (resource != "event-bus/default")
                {
                    throw new TargetDeliveryException($"Event bus {resource["event-bus/".Length..]} does not exist.", "ResourceNotFoundException");
                }

                var detail = JValue.TryParse(input, out var json, out _) && json is JObject o ? o : JObject.Of(("message", input));
                var entry = JObject.Of(
                    ("EventBusName", arn),
                    ("Source", eventBridgeParameters?.GetString("Source") ?? "aws.scheduler"),
                    ("DetailType", eventBridgeParameters?.GetString("DetailType") ?? "Scheduled Event"),
                    ("Detail", detail.ToJson()));
                return (Required(account, "eventbridge"), "PutEvents", JObject.Of(("Entries", JArray.Of(entry))), PutEventsResult);
            default:
                throw new TargetDeliveryException($"The simulated account cannot deliver to '{arn}' (targets: state machines, Lambda functions, SNS topics, the default event bus).");
        }
    }

    /// <summary>PutEvents answers 200 with the entry's own error: an event bus that refused the event is a failed delivery.</summary>
    private static string PutEventsResult(JValue response)
    {
        var entry = response.AsObject().GetArray("Entries")?.OfType<JObject>().FirstOrDefault();
        return entry?.GetString("EventId") is { } id
            ? id
            : throw new TargetDeliveryException(entry?.GetString("ErrorMessage") ?? "PutEvents refused the event.", entry?.GetString("ErrorCode") ?? "InternalException",
                TargetRetryPolicy.IsRetryable(entry?.GetString("ErrorCode") ?? "InternalException"));
    }

    /// <summary>
    /// A universal target (<c>arn:aws:scheduler:::aws-sdk:sfn:startExecution</c>): Input is the API request; its members
    /// are accepted in either case (<c>stateMachineArn</c> or <c>StateMachineArn</c>).
    /// </summary>
    private static (IAwsService Service, string Action, JObject Request, Func<JValue, string> Read) Universal(SimulatedAccount account, string arn, string input)
    {
        var parts = arn[SchedulerService.UniversalTargetPrefix.Length..].Split(':');
        if (parts.Length != 2 || parts[1].Length == 0)
        {
            throw new TargetDeliveryException($"'{arn}' is not a universal target (arn:aws:scheduler:::aws-sdk:service:apiAction).");
        }

        var service = Required(account, parts[0]);
        var action = char.ToUpperInvariant(parts[1][0]) + parts[1][1..];
        if (!service.Supports(action))
        {
            throw new TargetDeliveryException($"The simulated account does not implement {parts[0]}:{action}.");
        }

        if (!JValue.TryParse(input.Length > 0 ? input : "{}", out var json, out var error) || json is not JObject request)
        {
            throw new TargetDeliveryException($"The Input of a universal target must be a JSON object (the API request): {error}");
        }

        request = JObject.From(request.Select(m => new KeyValuePair<string, JValue>(char.ToUpperInvariant(m.Key[0]) + m.Key[1..], m.Value)));
        return (service, action, request, r => r is JObject o && o.GetString("ExecutionArn") is { } executionArn ? executionArn : r.ToJson());
    }

    /// <summary>
    /// The service assumes the rule's or schedule's role first: the role must trust the service for this account (and
    /// rule or schedule). A role that cannot be assumed is a permission error, not retried. Roles the simulated IAM does
    /// not know are not checked (worlds without a deployment).
    /// </summary>
    private static void AssumeRole(SimulatedAccount account, TargetRole? role)
    {
        var iam = account.Services.OfType<Iam.IamService>().SingleOrDefault();
        if (role is not null && iam?.Role(role.RoleArn) is not null && !iam.Trusts(role.RoleArn, role.ServicePrincipal, account.AccountId, role.SourceArn))
        {
            throw new TargetDeliveryException(
                $"{role.ServicePrincipal} cannot assume {role.RoleArn}: its trust policy does not allow it for {role.SourceArn}.", TargetDeliveryException.FailedToAssumeRole);
        }
    }

    private static IAwsService Required(SimulatedAccount account, string sdkName) =>
        account.ServiceBySdkName(sdkName) ?? throw new TargetDeliveryException($"The simulated account has no '{sdkName}' service.");
}
