using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws.Services;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Integrations;

/// <summary>Conventions shared by Step Functions' optimized integrations (sns:publish, dynamodb:*, lambda:invoke...).</summary>
public static class OptimizedIntegration
{
    /// <summary>
    /// Optimized integrations return the service response plus <c>SdkHttpMetadata</c> and
    /// <c>SdkResponseMetadata</c>, which state machines sometimes read (e.g. the HTTP status).
    /// </summary>
    public static JObject WithSdkMetadata(JObject response, SimulatedAccount account)
    {
        var requestId = Ids.RequestId(account.Random);
        return new JObjectBuilder(response)
            .Add("SdkHttpMetadata", JObject.Of(
                ("AllHttpHeaders", JObject.Of(("x-amzn-RequestId", JArray.Of(requestId)), ("Content-Type", JArray.Of("application/x-amz-json-1.0")))),
                ("HttpHeaders", JObject.Of(("x-amzn-RequestId", requestId), ("Content-Type", "application/x-amz-json-1.0"))),
                ("HttpStatusCode", 200)))
            .Add("SdkResponseMetadata", JObject.Of(("RequestId", requestId)))
            .Build();
    }

    /// <summary>The context of a call a Task state makes: its state, its execution (and so the execution's role).</summary>
    public static AwsCallContext CallContext(this TaskRequest request, SimulatedAccount account, bool sdkIntegration = false) => new()
    {
        Account = account,
        Cancellation = request.CancellationToken,
        StateName = request.StateName,
        Execution = request.Execution,
        SdkIntegration = sdkIntegration,
    };

    /// <summary>The Task's parameters, which every service integration needs as a JSON object.</summary>
    public static JObject ObjectParameters(this TaskRequest request) =>
        request.Parameters as JObject ?? throw new StatesException(StatesErrors.Runtime, $"The parameters of '{request.Resource}' must be a JSON object.");
}
