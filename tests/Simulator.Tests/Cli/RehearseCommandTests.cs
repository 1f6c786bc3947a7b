using BlueGreen.Simulator.Cli;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Cli;

public class RehearseCommandTests
{
    private static readonly string[] ContractKeys =
        ["status", "outcome", "error", "finalWeights", "virtualSeconds", "stateTransitions", "historyEvents", "lambdaInvocations", "awsCalls", "mutatingAwsCalls", "runRecord"];

    [Fact]
    public void Rehearse_Json_PrintsOnlyTheSummaryObject()
    {
        var stdout = new StringWriter();

        var exit = RehearseCommand.Run(["--scenario", "happy-alb", "--json"], stdout);

        Assert.Equal(0, exit);
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var summary = Assert.Single(lines);
        var o = (JObject)JValue.Parse(summary);
        Assert.All(ContractKeys, k => Assert.True(o.ContainsKey(k), $"missing {k}"));
        Assert.Equal("Completed", o.GetString("outcome"));
        Assert.Equal("""{"blue":0,"green":100}""", o["finalWeights"]!.ToJson());
        Assert.All(o.GetArray("awsCalls")!, c => Assert.Matches("^[a-z0-9]+:[A-Za-z]+$", c.AsString()));
    }

    [Fact]
    public void Rehearse_WithoutJson_ShowsProgressAndTheRunRecord()
    {
        var stdout = new StringWriter();

        RehearseCommand.Run(["--scenario", "alarm-at-25"], stdout);

        var text = stdout.ToString();
        Assert.Contains("Plan the upgrade", text, StringComparison.Ordinal);
        Assert.Contains("alarm shop-p99-latency: OK → ALARM", text, StringComparison.Ordinal);
        Assert.Contains("Blue 75% · Green 25%", text, StringComparison.Ordinal);
        Assert.Contains("RolledBack", text, StringComparison.Ordinal);
        Assert.Contains("run record", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rehearse_UnknownScenario_ListsTheKnownOnes()
    {
        var e = Assert.Throws<Simulator.Scenarios.ScenarioException>(() => RehearseCommand.Run(["--scenario", "no-such-thing", "--json"], new StringWriter()));

        Assert.Contains("happy-alb", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rehearse_NegativeSpeed_IsAUsageError()
    {
        Assert.Throws<UsageException>(() => RehearseCommand.Run(["--speed", "-1"], new StringWriter()));
    }
}
