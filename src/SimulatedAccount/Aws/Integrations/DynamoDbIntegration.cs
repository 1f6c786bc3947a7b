using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Integrations;

/// <summary>
/// The optimized <c>arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem</c> (request-response only):
/// the call goes through the account to DynamoDB's optimized view, which names errors <c>DynamoDB.*</c> with
/// AWS SDK for Java 1.x causes and adds <c>SdkHttpMetadata</c> to the output.
/// </summary>
internal sealed class DynamoDbIntegration(SimulatedAccount account, DynamoDbService dynamoDb)
{
    public const string ResourcePrefix = "arn:aws:states:::dynamodb:";

    public void Register(TaskRegistry tasks)
    {
        foreach (var api in DynamoDbService.OptimizedApis)
        {
            var action = char.ToUpperInvariant(api[0]) + api[1..];
            tasks.Register(ResourcePrefix + api, new DelegateTaskHandler(request => InvokeAsync(action, request)));
        }
    }

    private async Task<JValue> InvokeAsync(string action, TaskRequest request)
    {
        if (request.Pattern != IntegrationPattern.RequestResponse)
        {
            throw new StatesException(StatesErrors.Runtime,
                $"'{request.Resource}': the optimized DynamoDB integration supports only request-response (no .sync, no .waitForTaskToken).");
        }

        var parameters = request.ObjectParameters();
        return await account.CallAsync(dynamoDb.OptimizedView, action, parameters, request.CallContext(account), errorPrefix: "DynamoDB");
    }
}
