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
        Assert.Equal(["eos-health-event", "eos-scan", "eos-scheduled-upgrade"], RehearsalKit.EndOfSupportScenarioNames());

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
    public void ScheduledUpgrade_ScheduleStartsTheUpgradeWithTheRenderedInput_AndDeletesItself()
    {
        using var rehearsal = EndOfSupportRehearsal.Prepare(Scenario.Load("eos-scheduled-upgrade"));

        var (summary, _) = rehearsal.Run();

        var account = rehearsal.Account;
        var upgrade = Assert.Single(account.StepFunctions.Executions, e => e.StateMachineName == rehearsal.Deployment.UpgradeStateMachine);
        var input = (JObject)upgrade.Input!;
        Assert.Equal("shop-blue", input.GetString("clusterName"));
        Assert.Equal("1.35", input.GetString("targetVersion"));
        Assert.Equal("eventbridge-schedule/eos.shop-blue.1.35", input.GetString("requestedBy"));
        Assert.Equal("Canary10Percent5Minutes", input.GetString("strategy"));
        Assert.Equal("immediately", input.GetObject("blue")!.GetString("decommission"));
        // Scheduler deleted the schedule after it fired (ActionAfterCompletion DELETE): neither scan deleted anything.
        Assert.DoesNotContain(account.Calls.Calls, c => c.Action == "DeleteSchedule");
        Assert.Equal(1, account.Calls.Calls.Count(c => c.Action == "CreateSchedule" && c.Outcome == "OK"));
        Assert.Empty(summary.GetArray("schedules")!);
        // Blue is gone (decommission immediately); Green, at the target, is matched by the same profile and left alone.
        Assert.Null(RehearsalKit.Cluster(account, "shop-blue"));
        var green = Assert.Single(summary.GetArray("decisions")!.OfType<JObject>());
        Assert.Equal(("shop-green", "1.35", "shop-unattended", "none"), (green.GetString("clusterName"), green.GetString("clusterVersion"), green.GetString("profile"), green.GetString("action")));
        Assert.Empty(account.Denials);
    }

    [Fact]
    public void Scenario_WithProfilesFolderThatDoesNotExist_IsRefused()
    {
        var e = Assert.Throws<ScenarioException>(() => Scenario.FromJson("x", JObject.Of(("run", "eos-scan"), ("profiles", "scenarios/profiles/no-such-folder"))));

        Assert.Contains("profiles 'scenarios/profiles/no-such-folder' is not a folder", e.Message, StringComparison.Ordinal);
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
        Assert.Equal("2026-11-26T10:00:00", blue.GetObject("slot")!.GetString("localStart"));
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
