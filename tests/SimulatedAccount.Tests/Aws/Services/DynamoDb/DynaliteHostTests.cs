using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;
using Xunit.Abstractions;

namespace BlueGreen.Simulator.Tests.Aws.Services.DynamoDb;

/// <summary>dynalite's lifetime: fast to start, and never outliving whoever started it.</summary>
public sealed class DynaliteHostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StartAsync_AnswersQuickly_AndDisposeLeavesNoProcess()
    {
        var host = await DynaliteHost.StartAsync();
        var pid = host.ProcessId;
        output.WriteLine($"dynalite started in {host.StartupTime.TotalMilliseconds:0} ms at {host.Endpoint}");

        Assert.True(Processes.IsRunning(pid));
        Assert.Equal("127.0.0.1", host.Endpoint.Host);
        // Typically 150-300 ms (Node's own start-up is most of it); generous for a loaded 2-core CI machine.
        Assert.InRange(host.StartupTime, TimeSpan.Zero, TimeSpan.FromSeconds(10));

        host.Dispose();

        Assert.True(host.HasExited);
        Assert.True(Processes.WaitUntilGone(pid, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void World_FirstCallCreatesItsTable_AndAccountDisposeStopsTheDynaliteItStarted()
    {
        DynamoDbService service;
        int pid;
        var scenario = Scenario.FromJson("world-with-a-table", JObject.Of(
            ("world", "default"),
            ("services", JObject.Of(("dynamodb", JObject.Of(("tables", JArray.Of(JObject.Of(("name", "bluegreen-upgrades"), ("partitionKey", "pk"), ("sortKey", "sk"))))))))));
        using (var account = AccountFactory.Create(scenario))
        {
            service = account.Service<DynamoDbService>();
            Assert.Null(service.Host); // lazy: nothing started yet

            var summary = LocalRunner.Run(account.StepFunctions, DefinitionLoader.Load("""
                {"StartAt":"List tables","States":{"List tables":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:dynamodb:listTables","Parameters":{},"End":true}}}
                """), JObject.Empty, new StartExecutionOptions());

            Assert.Equal("SUCCEEDED", summary.Status);
            Assert.Equal("""{"TableNames":["bluegreen-upgrades"]}""", summary.Output!.ToJson());
            pid = service.Host!.ProcessId;
            Assert.True(Processes.IsRunning(pid));
        }

        Assert.True(Processes.WaitUntilGone(pid, TimeSpan.FromSeconds(2)));
        Assert.Throws<ObjectDisposedException>(() => service.GetEndpoint());
    }

    [Fact]
    public async Task StartAsync_NodeMissing_SaysWhatToInstall()
    {
        var e = await Assert.ThrowsAsync<DynaliteUnavailableException>(() => DynaliteHost.StartAsync(new DynaliteOptions { NodePath = "/nonexistent/node" }));

        Assert.Contains("Node.js was not found at /nonexistent/node", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_PackageMissing_SaysToRunTheBuildOrNpmCi()
    {
        var empty = Directory.CreateTempSubdirectory("no-node-modules-");
        try
        {
            var e = await Assert.ThrowsAsync<DynaliteUnavailableException>(() => DynaliteHost.StartAsync(new DynaliteOptions { NodeDir = empty.FullName }));

            Assert.Contains("dynalite package is not installed", e.Message, StringComparison.Ordinal);
            Assert.Contains("npm ci", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public void StateMachineCall_DynaliteUnavailable_FailsWithUncatchableRuntimeError()
    {
        using var account = new SimulatedAccount();
        account.AddService(new DynamoDbService(new DynaliteOptions { NodePath = "/nonexistent/node" }));

        var summary = LocalRunner.Run(account.StepFunctions, DefinitionLoader.Load("""
            {"StartAt":"Read","States":{"Read":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem",
              "Parameters":{"TableName":"t","Key":{"pk":{"S":"x"}}},
              "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Swallowed"}],"End":true},
             "Swallowed":{"Type":"Succeed"}}}
            """), JObject.Empty, new StartExecutionOptions());

        Assert.Equal("FAILED", summary.Status);
        Assert.Equal("States.Runtime", summary.Error);
        Assert.Contains("Node.js was not found", summary.Cause, StringComparison.Ordinal);
    }
}
