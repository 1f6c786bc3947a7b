using System.Text;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.StepFunctions;

/// <summary>
/// Callbacks to tasks waiting on a token (<c>.waitForTaskToken</c>): SendTaskSuccess, SendTaskFailure and
/// SendTaskHeartbeat, with the engine's token errors as the API's (<c>TaskDoesNotExist</c>, <c>TaskTimedOut</c>,
/// <c>InvalidToken</c>) and the API's own checks of the output (<c>InvalidOutput</c>).
/// </summary>
internal sealed class TaskCallbacks(StepFunctionsService service)
{
    private StepFunctionsEngine Engine => service.Account.StepFunctions;

    public void Succeed(string taskToken, JValue output) => TokenCall(() => Engine.SendTaskSuccess(taskToken, output));

    public void Fail(string taskToken, string? error, string? cause) => TokenCall(() => Engine.SendTaskFailure(taskToken, error, cause));

    public void Heartbeat(string taskToken) => TokenCall(() => Engine.SendTaskHeartbeat(taskToken));

    // ---- the API ------------------------------------------------------------------------------------------------

    public JObject SendTaskSuccess(JObject parameters, AwsCallContext context)
    {
        var p = service.Read(parameters);
        var token = p.RequiredString("TaskToken");
        var outputText = ApiValues.JsonText(parameters["Output"]) ?? throw service.Invalid("1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null");
        if (!JValue.TryParse(outputText, out var output, out var error))
        {
            throw new AwsServiceException("InvalidOutput", $"Invalid Output: '{error}'");
        }

        if (Encoding.UTF8.GetByteCount(outputText) > Engine.Options.MaxPayloadBytes)
        {
            throw new AwsServiceException("InvalidOutput", "Invalid Output: 'The output exceeds the maximum size of 262144 bytes.'");
        }

        Succeed(token, output);
        return JObject.Empty;
    }

    public JObject SendTaskFailure(JObject parameters, AwsCallContext context)
    {
        var p = service.Read(parameters);
        var error = p.OptionalString("Error");
        var cause = p.OptionalString("Cause");
        if (error?.Length > 256 || cause?.Length > 32_768)
        {
            throw service.Invalid("1 validation error detected: Error must be at most 256 and Cause at most 32768 characters.");
        }

        Fail(p.RequiredString("TaskToken"), error, cause);
        return JObject.Empty;
    }

    public JObject SendTaskHeartbeat(JObject parameters, AwsCallContext context)
    {
        Heartbeat(service.Read(parameters).RequiredString("TaskToken"));
        return JObject.Empty;
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
}
