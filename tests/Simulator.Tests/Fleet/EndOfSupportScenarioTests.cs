using BlueGreen.Simulator.Cli;
using BlueGreen.Simulator.Fleet;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;
using BlueGreen.Simulator.Tests.Rehearsal;

namespace BlueGreen.Simulator.Tests.Fleet;

/// <summary>Every <c>run: eos-scan</c> scenario meets its expect block, through the same check <c>rehearse</c> exits by.</summary>
public sealed class EndOfSupportScenarioTests
{
    public static TheoryData<string> Scenarios => [.. RehearsalKit.EndOfSupportScenarioNames()];

    [Fact]
    public void ShippedScenarios_IncludeTheScanAndTheHealthEvent() =>
        Assert.Equal(["eos-health-event", "eos-scan"], RehearsalKit.EndOfSupportScenarioNames());

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Rehearse_EndOfSupportScenario_MeetsItsExpectations(string scenario)
    {
        using var rehearsal = EndOfSupportRehearsal.Prepare(Scenario.Load(scenario));

        var (_, checks) = rehearsal.Run();

        Assert.Contains(checks, c => c.Field == "status");
        Assert.Empty(checks.Where(c => !c.Met).Select(c => $"{c.Field}: expected {c.Expected}, was {c.Actual}"));
        Assert.Empty(rehearsal.Account.Denials);
    }

    [Fact]
    public void RehearseJson_EosScan_ListsEveryClustersDecision()
    {
        using var stdout = new StringWriter();

        var exit = RehearseCommand.Run(["--scenario", "eos-scan", "--json"], stdout);

        var summary = (JObject)JValue.Parse(stdout.ToString());
        Assert.Equal(RehearseCommand.ExitExpected, exit);
        Assert.Equal(24, summary.GetArray("decisions")!.Count);
        var blue = summary.GetArray("decisions")!.OfType<JObject>().Single(d => d.GetString("clusterName") == "shop-blue");
        Assert.Equal("create", blue.GetString("action"));
        Assert.Equal("2026-11-24T10:00:00", blue.GetObject("slot")!.GetString("localStart"));
        Assert.True(summary.GetObject("expectation")!.GetBool("met"));
        Assert.True(summary.GetNumber("stateTransitions") > 0);
    }

    [Fact]
    public void Expectations_ThatDiffer_AreReportedFieldByField()
    {
        var summary = JObject.Of(("status", "SUCCEEDED"), ("scans", 1), ("schedules", JArray.From([(JValue)"eos.a.1.35"])),
            ("decisions", JArray.From([(JValue)JObject.Of(("clusterName", "a"), ("action", "create"))])));
        var expect = JObject.Of(("status", "FAILED"), ("scans", 1), ("schedules", JArray.Empty), ("decisions", JObject.Of(("a", "keep"), ("b", "none"))));

        var checks = EndOfSupportRehearsal.Check(expect, summary);

        Assert.Equal(["status", "decisions.a", "decisions.b", "schedules"], checks.Where(c => !c.Met).Select(c => c.Field).Order(StringComparer.Ordinal).ToList().OrderBy(f => f == "status" ? 0 : f.StartsWith("decisions", StringComparison.Ordinal) ? 1 : 2));
        Assert.Contains(checks, c => c.Field == "scans" && c.Met);
    }
}
