using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws;

/// <summary>Builds the simulated account with every simulated service, optionally seeded from a scenario.</summary>
public static class AccountFactory
{
    /// <summary>An account with every service and an empty world.</summary>
    public static SimulatedAccount Create(AccountOptions? options = null)
    {
        var account = new SimulatedAccount(options);
        // Order matters for seeding: a service may look up resources of services added before it.
        account.AddService(new SnsService());
        account.AddService(new DynamoDbService()); // dynalite starts only when DynamoDB is first used
        return account;
    }

    /// <summary>An account built and seeded as <paramref name="scenario"/> describes.</summary>
    public static SimulatedAccount Create(Scenario scenario)
    {
        var account = Create(scenario.AccountOptions);
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
