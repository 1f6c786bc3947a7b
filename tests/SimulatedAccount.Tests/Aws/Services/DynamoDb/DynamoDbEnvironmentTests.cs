using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Services.DynamoDb;

/// <summary>Changes process-wide environment variables, so it runs alone.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

[Collection(nameof(ProcessEnvironment))]
public sealed class DynamoDbEnvironmentTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>
{
    private static JObject Table(string name, JObject item) => JObject.Of(("tables", JArray.Of(JObject.Of(
        ("name", name), ("partitionKey", "pk"), ("sortKey", "sk"), ("items", JArray.Of(item))))));

    [Fact]
    public async Task CSharpClient_WithOnlyEnvironmentVariables_ReachesDynalite()
    {
        var table = dynalite.UniqueTable("env");
        using var account = dynalite.Account(Table(table, JObject.Of(("pk", "RUN#env"), ("sk", "RUN"), ("status", "Succeeded"))));
        var endpoint = await account.Service<DynamoDbService>().GetEndpointAsync();
        var saved = endpoint.EnvironmentVariables.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (name, value) in endpoint.EnvironmentVariables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            // Exactly what a handler's Lambda entry point does in production.
            using var client = new Amazon.DynamoDBv2.AmazonDynamoDBClient();
            var item = (await client.GetItemAsync(table, new()
            {
                ["pk"] = new() { S = "RUN#env" },
                ["sk"] = new() { S = "RUN" },
            })).Item;

            Assert.Equal("Succeeded", item["status"].S);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
