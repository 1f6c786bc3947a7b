using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Integrations;

/// <summary>
/// The optimized <c>arn:aws:states:::sns:publish</c>: Publish through the account (errors <c>SNS.*</c>), which also
/// accepts a JSON object as Message and publishes its JSON text.
/// </summary>
internal sealed class SnsIntegration(SimulatedAccount account, SnsService sns)
{
    public const string PublishResource = "arn:aws:states:::sns:publish";

    public void Register(TaskRegistry tasks) => tasks.Register(PublishResource, new DelegateTaskHandler(PublishAsync));

    private async Task<JValue> PublishAsync(TaskRequest request)
    {
        var parameters = request.Parameters as JObject ?? JObject.Empty;
        // The optimized integration publishes a JSON Message as its text, so "Message.$": "$" works.
        if (parameters["Message"] is { } message and not JString)
        {
            parameters = parameters.With("Message", message.ToJson());
        }

        var result = (JObject)await account.CallAsync(sns, "Publish", parameters, request.CallContext(account), errorPrefix: "SNS");
        return OptimizedIntegration.WithSdkMetadata(result, account);
    }
}
