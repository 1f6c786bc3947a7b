using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.Eks;
using BlueGreen.Simulator.Aws.Services.Lambda;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Aws.Services.StepFunctions;

namespace BlueGreen.Simulator.Aws.Integrations;

/// <summary>
/// Step Functions' optimized integrations, a layer beside the simulated services (as localstack has it): each one turns
/// a Task resource (<c>arn:aws:states:::lambda:invoke</c>, <c>eks:createCluster.sync</c>...) into calls through
/// <see cref="SimulatedAccount.CallAsync"/>, so the call log, fault injection and IAM see every call, and maps the
/// request and response the way that integration does. The services themselves know nothing of Task resources.
/// </summary>
public static class ServiceIntegrations
{
    /// <summary>Registers the Task resources that reach <paramref name="service"/>, if it has any (called as the service joins <paramref name="account"/>).</summary>
    public static void Register(SimulatedAccount account, IAwsService service)
    {
        ArgumentNullException.ThrowIfNull(account);
        switch (service)
        {
            case EksService eks:
                new EksIntegration(account, eks).Register(account.Tasks);
                break;
            case LambdaService lambda:
                new LambdaIntegration(account, lambda).Register(account.Tasks);
                break;
            case SnsService sns:
                new SnsIntegration(account, sns).Register(account.Tasks);
                break;
            case DynamoDbService dynamoDb:
                new DynamoDbIntegration(account, dynamoDb).Register(account.Tasks);
                break;
            case StepFunctionsService stepFunctions:
                new StepFunctionsIntegration(account, stepFunctions).Register(account.Tasks);
                break;
        }
    }
}
