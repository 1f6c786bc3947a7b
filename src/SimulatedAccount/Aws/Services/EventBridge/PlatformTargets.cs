using BlueGreen.Simulator.Aws.Services.Lambda;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.EventBridge;

/// <summary>One delivery by an EventBridge rule or an EventBridge Scheduler schedule to its target.</summary>
/// <param name="Source">The rule or schedule ARN.</param>
/// <param name="Result">What the target made of it: the execution ARN, the message id, or the error.</param>
public sealed record TargetDelivery(DateTimeOffset Time, string Source, string TargetId, string TargetArn, string Input, bool Succeeded, string Result);

/// <summary>The role a rule or schedule delivers with, and who assumes it: the service principal and the rule or schedule ARN.</summary>
public sealed record TargetRole(string RoleArn, string ServicePrincipal, string SourceArn);

/// <summary>A delivery the target refused (unknown resource, input that is not JSON, an API error).</summary>
public sealed class TargetDeliveryException(string message) : Exception(message);

/// <summary>
/// How EventBridge rules and Scheduler schedules reach their targets in the simulated account: Step
/// Functions state machines (StartExecution with the input), Lambda functions (asynchronous Invoke), SNS
/// topics (Publish), the default event bus (PutEvents) and, for schedules, <c>aws-sdk</c> universal targets.
/// These are the services' own calls, so they are not in the account's call log and faults do not hit them.
/// </summary>
internal static class PlatformTargets
{
    public static async Task<string> DeliverAsync(SimulatedAccount account, string arn, string input, JObject? eventBridgeParameters = null, TargetRole? role = null)
    {
        var parts = arn.Split(':');
        var service = parts.Length > 2 ? parts[2] : string.Empty;
        var resource = parts.Length > 5 ? parts[5] : string.Empty;
        var context = new AwsCallContext { Account = account, Cancellation = CancellationToken.None };
        Authorize(account, role, service, resource, arn);
        try
        {
            switch (service)
            {
                case "states" when resource == "stateMachine":
                    {
                        var sfn = account.Services.OfType<StepFunctionsService>().SingleOrDefault() ?? throw new TargetDeliveryException("The account has no Step Functions service.");
                        if (!JValue.TryParse(input, out var json, out var error))
                        {
                            throw new TargetDeliveryException($"The input is not JSON, so it cannot start an execution: {error}");
                        }

                        return sfn.StartExecution(arn, json).Arn;
                    }

                case "lambda" when resource == "function":
                    {
                        var lambda = Required(account, "lambda");
                        var response = (JObject)await lambda.InvokeAsync("Invoke", JObject.Of(("FunctionName", arn), ("InvocationType", "Event"), ("Payload", input)), context);
                        return $"StatusCode {response.GetNumber("StatusCode")}";
                    }

                case "sns":
                    {
                        var response = (JObject)await Required(account, "sns").InvokeAsync("Publish", JObject.Of(("TopicArn", arn), ("Message", input)), context);
                        return response.GetString("MessageId") ?? "published";
                    }

                case "events" when resource.StartsWith("event-bus/", StringComparison.Ordinal):
                    {
                        if (resource != "event-bus/default")
                        {
                            throw new TargetDeliveryException($"Event bus {resource["event-bus/".Length..]} does not exist.");
                        }

                        var detail = JValue.TryParse(input, out var json, out _) && json is JObject o ? o : JObject.Of(("message", input));
                        var e = account.Events.Publish(
                            eventBridgeParameters?.GetString("Source") ?? "aws.scheduler",
                            eventBridgeParameters?.GetString("DetailType") ?? "Scheduled Event",
                            detail);
                        return e.Id;
                    }

                default:
                    throw new TargetDeliveryException($"The simulated account cannot deliver to '{arn}' (targets: state machines, Lambda functions, SNS topics, the default event bus).");
            }
        }
        catch (AwsServiceException e)
        {
            throw new TargetDeliveryException($"{e.Code}: {e.Message}");
        }
    }

    /// <summary>
    /// A rule or schedule acts as its role: the role must trust the service for this account (and rule), and allow the
    /// target's action. Roles the simulated IAM does not know are not checked (worlds without a deployment).
    /// </summary>
    private static void Authorize(SimulatedAccount account, TargetRole? role, string service, string resource, string arn)
    {
        var iam = account.Services.OfType<Iam.IamService>().SingleOrDefault();
        if (role is null || iam?.Role(role.RoleArn) is null)
        {
            return;
        }

        if (!iam.Trusts(role.RoleArn, role.ServicePrincipal, account.AccountId, role.SourceArn))
        {
            throw new TargetDeliveryException($"{role.ServicePrincipal} cannot assume {role.RoleArn}: its trust policy does not allow it for {role.SourceArn}.");
        }

        var action = (service, resource) switch
        {
            ("states", "stateMachine") => "states:StartExecution",
            ("lambda", "function") => "lambda:InvokeFunction",
            ("sns", _) => "sns:Publish",
            ("events", _) => "events:PutEvents",
            _ => null,
        };
        if (action is not null && account.Refusal(role.RoleArn, [new Iam.AuthorizationRequest(action, arn, Iam.RequestContext.Empty.WithResourceTags(account.ResourceTags(arn)))], stateName: null) is { } refusal)
        {
            throw new TargetDeliveryException($"AccessDeniedException: {refusal.Message}");
        }
    }

    private static IAwsService Required(SimulatedAccount account, string sdkName) =>
        account.ServiceBySdkName(sdkName) ?? throw new TargetDeliveryException($"The account has no '{sdkName}' service.");
}
