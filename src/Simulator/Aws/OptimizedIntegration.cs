using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws;

/// <summary>Conventions shared by Step Functions' optimized integrations (sns:publish, dynamodb:*, lambda:invoke...).</summary>
public static class OptimizedIntegration
{
    /// <summary>
    /// Optimized integrations return the service response plus <c>SdkHttpMetadata</c> and
    /// <c>SdkResponseMetadata</c>, which state machines sometimes read (e.g. the HTTP status).
    /// </summary>
    public static JObject WithSdkMetadata(JObject response, SimulatedAccount account)
    {
        var requestId = $"{account.Random.Next():x8}-{account.Random.Next(0x10000):x4}-4{account.Random.Next(0x1000):x3}-a{account.Random.Next(0x1000):x3}-{account.Random.NextInt64(0x1000000000000):x12}";
        return new JObjectBuilder(response)
            .Add("SdkHttpMetadata", JObject.Of(
                ("AllHttpHeaders", JObject.Of(("x-amzn-RequestId", JArray.Of(requestId)), ("Content-Type", JArray.Of("application/x-amz-json-1.0")))),
                ("HttpHeaders", JObject.Of(("x-amzn-RequestId", requestId), ("Content-Type", "application/x-amz-json-1.0"))),
                ("HttpStatusCode", 200)))
            .Add("SdkResponseMetadata", JObject.Of(("RequestId", requestId)))
            .Build();
    }
}
