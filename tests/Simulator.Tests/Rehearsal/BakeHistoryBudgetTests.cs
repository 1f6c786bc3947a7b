using System.Globalization;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;
using Xunit.Abstractions;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Under <c>insufficientData: ok</c> every alarm that changed state since the previous check has its history read,
/// which costs history events: a bake execution hands over to a new one once the reads' worst-case cost reaches
/// 12,000 events, before its history could approach the 25,000-event quota, as it does after 120 checks.
/// </summary>
public class BakeHistoryBudgetTests(ITestOutputHelper output)
{
    [Fact]
    public void TwoAlarmsFlappingAtEveryCheck_TheBakeHandsOverOnceTheReadsCouldCost12000Events()
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
        var bakes = rehearsal.Account.StepFunctions.Executions.Where(e => e.StateMachineName == "bluegreen-dev-bake").OrderBy(e => e.StartDate).ToList();
        Assert.Equal(2, bakes.Count);
        // Each check reads two alarms, each allowed 2 pages for 10 s (BlueGreen.Functions.Alarms.HistoryBudget):
        // 2 x (10 + 32 x 2) = 148 events at worst, so 82 checks reach 12,000 and the execution hands over.
        Assert.Equal(120 - 82, bakes[0].Output!.AsObject().GetNumber("checksLeft"));
        Assert.Equal(2 * 82, rehearsal.Account.Calls.Calls.Count(c => c.Name == "cloudwatch:DescribeAlarmHistory" && c.Time <= bakes[0].StopDate));
        output.WriteLine($"first bake execution: {bakes[0].History.Count} history events for 82 checks and 164 history reads");
        Assert.True(bakes[0].History.Count < 12_000, $"{bakes[0].History.Count} events");
    }
}
