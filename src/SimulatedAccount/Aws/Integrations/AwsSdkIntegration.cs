using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Integrations;

/// <summary>
/// <c>arn:aws:states:::aws-sdk:SERVICE:action</c>: dispatches to the simulated service named in the
/// resource, with the action's first letter raised (<c>describeCluster</c> is <c>DescribeCluster</c>).
/// AWS SDK integrations support request-response and <c>.waitForTaskToken</c>, not <c>.sync</c>.
/// </summary>
public sealed class AwsSdkIntegration(SimulatedAccount account) : ITaskHandler
{
    public const string ResourcePrefix = "arn:aws:states:::aws-sdk:";

    public async Task<JValue> InvokeAsync(TaskRequest request)
    {
        var parts = request.BaseResource[ResourcePrefix.Length..].Split(':');
        if (parts.Length != 2 || parts[1].Length == 0)
        {
            throw new StatesException(StatesErrors.Runtime, $"'{request.Resource}' is not an AWS SDK integration resource (arn:aws:states:::aws-sdk:service:action).");
        }

        if (request.Pattern == IntegrationPattern.Sync)
        {
            throw new StatesException(StatesErrors.Runtime, $"AWS SDK integrations do not support .sync ('{request.Resource}').");
        }

        var service = account.ServiceBySdkName(parts[0])
            ?? throw new StatesException(StatesErrors.Runtime, $"The simulated account has no '{parts[0]}' service ('{request.Resource}').");
        var parameters = request.ObjectParameters();
        var action = char.ToUpperInvariant(parts[1][0]) + parts[1][1..];
        return await account.CallAsync(service, action, parameters, request.CallContext(account, sdkIntegration: true));
    }
}
