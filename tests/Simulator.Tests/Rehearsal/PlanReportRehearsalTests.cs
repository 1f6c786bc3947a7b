using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// The plan report (DescribePlan) as a run carries it: in the dry run's output and run item, the real run's run item and
/// start notification; and its traffic estimate against the transitions the rehearsal bills.
/// </summary>
public class PlanReportRehearsalTests
{
    [Fact]
    public void DryRun_ReturnsAndRecordsTheReport()
    {
        var input = JValue.Parse(File.ReadAllText(Path.Combine(BuildInfo.RepositoryRoot, "statemachines", "examples", "dry-run.json")));
        var (rehearsal, summary) = RehearsalKit.Run("happy-alb", input);
        using var _ = rehearsal;

        Assert.Equal("Planned", summary.Outcome);
        var report = rehearsal.Upgrade!.Output!.AsObject().GetObject("report")!;
        Assert.Contains(": dry run, nothing will be created", report.GetString("text"), StringComparison.Ordinal);
        Assert.Equal(report.GetString("text"), summary.RunRecord!.GetString("report"));
    }

    [Fact]
    public void RealRun_RecordsTheReport_AndSendsItWithTheStartNotification()
    {
        var (rehearsal, summary) = RehearsalKit.Run("happy-alb");
        using var _ = rehearsal;

        var report = summary.RunRecord!.GetString("report")!;
        Assert.Contains("Traffic (alb), strategy Custom: 10% for 5 min, 25% for 5 min, 50% for 5 min, 100% for 5 min", report, StringComparison.Ordinal);
        var started = Assert.Single(rehearsal.Account.Service<BlueGreen.Simulator.Aws.Services.Sns.SnsService>().Messages, m => m.Subject?.StartsWith("Upgrading ", StringComparison.Ordinal) == true);
        Assert.Contains(report, JValue.Parse(started.Message).AsObject().GetObject("content")!.GetString("description"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("happy-alb")]
    [InlineData("happy-route53")]
    [InlineData("long-bake")]
    [InlineData("happy-alb-listener")]
    public void TrafficEstimate_IsWithinTenPercentOfWhatTheRehearsalBills(string scenario)
    {
        var (rehearsal, summary) = RehearsalKit.Run(scenario);
        using var _ = rehearsal;
        var described = rehearsal.Upgrade!.History.Events.Single(e => e.Type == "TaskStateExited" && e.StateName == "Describe the plan");
        var estimate = described.Data!.AsObject().GetObject("report")!.GetObject("estimate")!.GetNumber("trafficStateTransitions")!.Value;

        // The traffic phase: every step's shift-step and bake executions and the adapter's weight changes (its reads are
        // a few transitions more, so the measure is slightly above the estimate).
        var billed = summary.TransitionsByStateMachine
            .Where(t => t.StateMachine.EndsWith("-shift-step", StringComparison.Ordinal) || t.StateMachine.EndsWith("-bake", StringComparison.Ordinal) || t.StateMachine.Contains("-traffic-", StringComparison.Ordinal))
            .Sum(t => t.StateTransitions);

        Assert.InRange(estimate, billed * 0.9, billed * 1.1);
    }
}
