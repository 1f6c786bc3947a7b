using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws;

/// <summary>
/// The call path of a service that calls another on a customer's behalf: an EventBridge rule or an EventBridge Scheduler
/// schedule delivering to its target (StartExecution, Invoke, Publish, PutEvents, a universal target's action) or to its
/// dead-letter queue. The same steps as a state machine's call (<see cref="CallAsync"/>): the API model's validation,
/// IAM authorization as <see cref="AwsCallContext.PrincipalArn"/> (the rule's or schedule's role), fault injection, the
/// service, and the call log (with <see cref="AwsCallContext.DeliveredBy"/>, the rule or schedule ARN). What differs is
/// how a failure comes back: as the service's own error (<see cref="AwsServiceException"/> with its wire code), which
/// is what EventBridge and Scheduler see and decide to retry on, not a Step Functions error name.
/// </summary>
public sealed partial class SimulatedAccount
{
    /// <summary>Makes one delivery call; a failure is the service's <see cref="AwsServiceException"/>, logged with the service's error name.</summary>
    /// <exception cref="AwsServiceException">The call failed: unknown operation, invalid request, denied, an injected fault, or the service's error.</exception>
    public async Task<JValue> DeliveryCallAsync(IAwsService service, string action, JObject parameters, AwsCallContext context)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(context);
        if (!service.Supports(action))
        {
            throw new AwsServiceException("UnknownOperationException", $"The simulated account does not implement {service.SdkName}:{action}.");
        }

        AwsServiceException Failed(AwsServiceException e, string? fault)
        {
            Log(service, action, parameters, context, e.ToStatesError(service.ErrorPrefix).Error, fault);
            return e;
        }

        // The service authorizes the caller before it looks at the request any further (as for a state machine's call).
        if (RefusalMessage(service, action, parameters, context) is { } denied)
        {
            throw Failed(new AwsServiceException(Iam.AccessDenied.Code(service.IamPrefix), denied), null);
        }

        // No Step Functions in front: every problem of the request is the service's own validation error.
        var problems = Validator?.Validate(service.SdkName, action, parameters) ?? [];
        if (problems.Count > 0 && Validator is not null)
        {
            var code = service is AwsServiceBase b ? b.ValidationErrorCode : "ValidationException";
            throw Failed(new AwsServiceException(code, Validator.DescribeForService(service.SdkName, problems)), null);
        }

        parameters = Validator?.Normalize(service.SdkName, action, parameters) ?? parameters;
        var fault = NextFault(service.IamPrefix, action, context.StateName);
        if (fault is { Kind: FaultKind.Latency })
        {
            await Scheduler.Delay(TimeSpan.FromSeconds(fault.LatencySeconds), context.Cancellation);
        }
        else if (fault is not null)
        {
            throw Failed(fault.ToServiceError(service), fault.Kind.ToString());
        }

        try
        {
            var result = await service.InvokeAsync(action, parameters, context);
            Log(service, action, parameters, context, "OK", fault?.Kind.ToString());
            return result;
        }
        catch (AwsServiceException e)
        {
            throw Failed(e, fault?.Kind.ToString());
        }
    }
}
