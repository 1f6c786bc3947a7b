using BlueGreen.Simulator.Aws.Models;
using BlueGreen.Simulator.Aws.Services.CloudWatch;
using BlueGreen.Simulator.Aws.Services.Eks;
using BlueGreen.Simulator.Aws.Services.Elbv2;
using BlueGreen.Simulator.Aws.Services.EventBridge;
using BlueGreen.Simulator.Aws.Services.Lambda;
using BlueGreen.Simulator.Aws.Services.Route53;
using BlueGreen.Simulator.Aws.Services.Scheduler;
using BlueGreen.Simulator.Aws.Services.SecretsManager;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws;

/// <summary>Builds the simulated account with every simulated service, optionally seeded from a scenario.</summary>
public static class AccountFactory
{
    /// <summary>An account with every service and an empty world.</summary>
    public static SimulatedAccount Create(AccountOptions? options = null)
    {
        var account = new SimulatedAccount(options)
        {
            // Every SDK-integration request is checked against its service's official API model first.
            Validator = ApiModelValidator.Default,
        };
        // IAM first: deployments register roles, and every call a role makes is authorized against its policies.
        account.AddService(new Aws.Iam.IamService());
        // Order matters for seeding: a service may look up resources of services added before it.
        account.AddService(new EksService());
        account.AddService(new SnsService());
        account.AddService(new Services.Sqs.SqsService()); // dead-letter queues of rules and schedules
        // Traffic and alarms: ELBv2 before Route 53 (alias records point at load balancers), both before
        // CloudWatch (alarms watch their weights).
        account.AddService(new Elbv2Service());
        account.AddService(new Route53Service());
        account.AddService(new CloudWatchService());
        // Platform services. Targets of schedules and rules (state machines, functions, topics) are looked
        // up when they fire, so these may be seeded in any order.
        account.AddService(new SecretsManagerService());
        account.AddService(new LambdaService());
        account.AddService(new StepFunctionsService());
        account.AddService(new SchedulerService());
        account.AddService(new EventBridgeService());
        account.AddService(new DynamoDbService()); // dynalite starts only when DynamoDB is first used
        account.AddService(new Services.Pipes.PipesService()); // reads DynamoDB streams: after DynamoDB
        foreach (var chatEvent in new[] { "slashCommand", "clickButton" })
        {
            account.RegisterEventAction(chatEvent, a => (account.ChatDriver ?? throw new Scenarios.ScenarioException($"{chatEvent} needs the chat endpoint: a scenario with run: chat"))(chatEvent, a));
        }

        return account;
    }

    /// <summary>An account built and seeded as <paramref name="scenario"/> describes (with <paramref name="options"/> instead of the scenario's, when given).</summary>
    public static SimulatedAccount Create(Scenario scenario, AccountOptions? options = null)
    {
        var account = Create(options ?? scenario.AccountOptions);
        try
        {
            scenario.Apply(account);
            return account;
        }
        catch
        {
            account.Dispose();
            throw;
        }
    }
}
