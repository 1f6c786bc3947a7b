using System.Globalization;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;
using Xunit.Abstractions;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Under <c>insufficientData: ok</c> every alarm that changed state since the previous check has its history read. The
/// reads run in alarm-history child executions, so their pages never reach the bake's history: a bake still hands
/// over only after 120 checks, and each read's own history stays small (EvaluateAlarms bounds its pages).
/// </summary>
public class BakeHistoryBudgetTests(ITestOutputHelper output)
{
    [Fact]
    public void TwoAlarmsFlappingAtEveryCheck_TheReadsRunInChildren_AndEveryHistoryStaysFarBelowTheQuota()
    {
        // One 100% step baking 20 minutes with checks every 10 s: 120 checks, one execution's worth. Both alarms
        // lose and regain their data every 5 s from before the step to after the bake: two reads at every check.
        var events = JArray.From(Enumerable.Range(0, 2 * 312).Select(i =>
        {
            var second = 1140 + (i / 2 * 5);
            var alarm = i % 2 == 0 ? "shop-5xx-rate" : "shop-p99-latency";
            var state = i / 2 % 2 == 0 ? "INSUFFICIENT_DATA" : "OK";
            return (JValue)JObject.Of(("at", second), ("do", "setAlarmState"), ("alarm", alarm), ("state", state), ("reason", "sparse metric"));
        }));
        var input = Scenario.Load("happy-alb").Input!.AsObject()
            .With("strategy", JObject.Of(("steps", JArray.Of(JObject.Of(("weight", 100), ("bakeMinutes", 20))))))
            .With("alarms", JObject.Of(("names", JArray.Of("shop-5xx-rate", "shop-p99-latency")), ("pollSeconds", 10), ("insufficientData", "ok")));
        var scenario = Scenario.FromJson("flapping", JObject.Of(("world", "default"), ("input", input), ("events", events)), Scenario.Load("happy-alb").SourcePath);

        using var rehearsal = UpgradeRehearsal.Prepare(scenario);
        var summary = rehearsal.Run();

        Assert.Equal("Completed", summary.Outcome);
        var executions = rehearsal.Account.StepFunctions.Executions;
        var bake = Assert.Single(executions, e => e.StateMachineName == "bluegreen-dev-bake");
        var reads = executions.Where(e => e.StateMachineName == "bluegreen-dev-alarm-history").ToList();
        // Both alarms changed state before every check: each check reads both histories, in one child execution.
        Assert.Equal(120, reads.Count);
        Assert.Equal(2 * 120, rehearsal.Account.Calls.Calls.Count(c => c.Name == "cloudwatch:DescribeAlarmHistory"));
        output.WriteLine($"bake: {bake.History.Count} history events for 120 checks; largest read: {reads.Max(r => r.History.Count)} events");
        Assert.True(bake.History.Count < 3_000, $"{bake.History.Count} events");
        Assert.All(reads, r => Assert.True(r.History.Count < 200, $"{r.Name}: {r.History.Count} events"));
    }
}
