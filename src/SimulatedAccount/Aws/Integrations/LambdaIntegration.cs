using System.Globalization;
using System.Text;
using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws.Services;
using BlueGreen.Simulator.Aws.Services.Lambda;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Integrations;

/// <summary>
/// Lambda as a Task resource, two ways, both calling Invoke through the account (errors <c>Lambda.*</c>):
/// <list type="bullet">
/// <item><c>arn:aws:states:::lambda:invoke</c> (and <c>.waitForTaskToken</c>), whose result is
/// <c>{ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}</c>;</item>
/// <item>a function ARN (<c>arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]</c>), whose result is the payload itself.</item>
/// </list>
/// A function error fails the Task with the payload's <c>errorType</c> and the payload as cause.
/// </summary>
internal sealed class LambdaIntegration(SimulatedAccount account, LambdaService lambda)
{
    public const string InvokeResource = "arn:aws:states:::lambda:invoke";
    public const string FunctionArnPrefix = "arn:aws:lambda:";

    public void Register(TaskRegistry tasks)
    {
        tasks.Register(InvokeResource, new DelegateTaskHandler(InvokeAsync));
        tasks.RegisterPrefix(FunctionArnPrefix, new DelegateTaskHandler(InvokeFunctionArnAsync));
    }

    private async Task<JValue> InvokeAsync(TaskRequest request)
    {
        if (request.Pattern == IntegrationPattern.Sync)
        {
            throw new StatesException(StatesErrors.Runtime, $"'{request.Resource}' is not supported: lambda:invoke has no .sync pattern.");
        }

        // The optimized integration sends a JSON Payload as its text, so "Payload.$": "$" works.
        var parameters = WithPayloadText(request.ObjectParameters());
        var response = (JObject)await account.CallAsync(lambda, "Invoke", parameters, request.CallContext(account), errorPrefix: "Lambda");
        var payloadText = response.GetString("Payload") ?? string.Empty;
        if (response.GetString("FunctionError") is not null)
        {
            throw FunctionFailure(payloadText);
        }

        var version = response.GetString("ExecutedVersion") ?? "$LATEST";
        var statusCode = response.GetNumber("StatusCode") ?? 200;
        var requestId = Ids.Uuid(lambda.RequestIds);
        return new JObjectBuilder()
            .Add("ExecutedVersion", version)
            .Add("Payload", ParsePayload(payloadText))
            .Add("SdkHttpMetadata", HttpMetadata(version, payloadText, requestId))
            .Add("SdkResponseMetadata", JObject.Of(("RequestId", requestId)))
            .Add("StatusCode", statusCode)
            .Build();
    }

    /// <summary>A function ARN as the Task resource: the input is the payload and the result is the function's own answer.</summary>
    private async Task<JValue> InvokeFunctionArnAsync(TaskRequest request)
    {
        if (request.Pattern != IntegrationPattern.RequestResponse)
        {
            throw new StatesException(StatesErrors.Runtime, $"'{request.Resource}': a Lambda function ARN supports neither .sync nor .waitForTaskToken; use arn:aws:states:::lambda:invoke.waitForTaskToken.");
        }

        var parameters = JObject.Of(("FunctionName", request.BaseResource), ("Payload", request.Parameters.ToJson()));
        var response = (JObject)await account.CallAsync(lambda, "Invoke", parameters, request.CallContext(account), errorPrefix: "Lambda");
        var payloadText = response.GetString("Payload") ?? string.Empty;
        return response.GetString("FunctionError") is not null ? throw FunctionFailure(payloadText) : ParsePayload(payloadText);
    }

    /// <summary>
    /// The Payload as the optimized integration sends it: JSON as its text, a string that is JSON text as is,
    /// and any other string as a JSON string.
    /// </summary>
    private static JObject WithPayloadText(JObject parameters) =>
        parameters["Payload"] switch
        {
            null => parameters,
            JString s when JValue.TryParse(s.Value, out _, out _) => parameters,
            JNull => parameters.Without("Payload"),
            var payload => parameters.With("Payload", payload.ToJson()),
        };

    /// <summary>
    /// A function error as Step Functions reports it: the error is the payload's <c>errorType</c> and the
    /// cause is the payload, re-serialized compactly.
    /// </summary>
    private static StatesException FunctionFailure(string payloadText)
    {
        if (JValue.TryParse(payloadText, out var payload, out _) && payload is JObject o)
        {
            return new StatesException(o.GetString("errorType") ?? "Exception", o.ToJson());
        }

        return new StatesException("Exception", payloadText);
    }

    /// <summary>A response payload as Step Functions reads it: JSON when it parses, the raw text otherwise.</summary>
    private static JValue ParsePayload(string text) =>
        text.Length > 0 && JValue.TryParse(text, out var json, out _) ? json : new JString(text);

    private JObject HttpMetadata(string version, string payloadText, string requestId)
    {
        var random = lambda.RequestIds;
        var now = account.Scheduler.Now;
        var length = Encoding.UTF8.GetByteCount(payloadText).ToString(CultureInfo.InvariantCulture);
        var date = now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
        var traceId = $"root=1-{now.ToUnixTimeSeconds():x8}-{random.NextInt64(0x1000000000000):x12}{random.Next(0x1000000):x6};parent={random.NextInt64(0x10000000000000):x16};sampled=0";
        (string Name, string Value)[] headers =
        [
            ("Connection", "keep-alive"),
            ("Content-Length", length),
            ("Content-Type", "application/json"),
            ("Date", date),
            ("X-Amz-Executed-Version", version),
            ("x-amzn-Remapped-Content-Length", "0"),
            ("x-amzn-RequestId", requestId),
            ("X-Amzn-Trace-Id", traceId),
        ];
        return JObject.Of(
            ("AllHttpHeaders", JObject.From(headers.Select(h => new KeyValuePair<string, JValue>(h.Name, JArray.Of(h.Value))))),
            ("HttpHeaders", JObject.From(headers.Select(h => new KeyValuePair<string, JValue>(h.Name, h.Value)))),
            ("HttpStatusCode", 200));
    }
}
