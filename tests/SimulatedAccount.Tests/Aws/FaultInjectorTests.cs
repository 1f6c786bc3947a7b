using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws;

public class FaultInjectorTests
{
    private static readonly int[] SecondsFromStart = [0, 59, 60, 600, 1199, 1200, 3600];

    [Fact]
    public void Next_OnCalls_HitsExactlyThoseCalls()
    {
        var faults = new FaultInjector(seed: 1);
        faults.Add(new FaultRule("eks:CreateCluster", FaultKind.Internal, OnCalls: [2, 3]));

        var hits = Enumerable.Range(1, 5).Select(_ => faults.Next("eks", "CreateCluster") is not null).ToList();

        Assert.Equal([false, true, true, false, false], hits);
        Assert.Null(faults.Next("eks", "DescribeCluster"));
    }

    [Fact]
    public void Next_Probability_IsSeededAndBoundedByTimes()
    {
        static List<bool> Sample(int seed)
        {
            var faults = new FaultInjector(seed);
            faults.Add(new FaultRule("elasticloadbalancing:*", FaultKind.Throttle, Probability: 0.5, Times: 10));
            return Enumerable.Range(0, 200).Select(_ => faults.Next("elasticloadbalancing", "ModifyRule") is not null).ToList();
        }

        var first = Sample(7);

        Assert.Equal(first, Sample(7));
        Assert.Equal(10, first.Count(h => h));
        Assert.NotEqual(first, Sample(8));
    }

    [Fact]
    public void Next_Window_HitsOnlyCallsMadeWithinIt()
    {
        var faults = new FaultInjector(seed: 1);
        faults.Add(new FaultRule("dynamodb:UpdateItem", FaultKind.Internal, From: TimeSpan.FromMinutes(1), Until: TimeSpan.FromMinutes(20)));

        var hits = SecondsFromStart.Select(s => faults.Next("dynamodb", "UpdateItem", elapsed: TimeSpan.FromSeconds(s)) is not null).ToList();

        Assert.Equal([false, false, true, true, true, false, false], hits);
    }

    [Fact]
    public void Parse_FromAndUntil_AreTimesLikeEventsAndUntilMustComeLater()
    {
        var start = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

        var rule = FaultRule.Parse((JObject)JValue.Parse("""{"target":"dynamodb:UpdateItem","kind":"internal","from":"90s","until":"2026-11-23T09:20:00Z"}"""), 0, start);

        Assert.Equal(TimeSpan.FromSeconds(90), rule.From);
        Assert.Equal(TimeSpan.FromMinutes(20), rule.Until);
        Assert.True(rule.IsActiveAt(TimeSpan.FromMinutes(5)));
        Assert.False(rule.IsActiveAt(TimeSpan.FromMinutes(20)));
        Assert.True(rule.IsActiveAt(null));
        var e = Assert.Throws<Simulator.Scenarios.ScenarioException>(() => FaultRule.Parse((JObject)JValue.Parse("""{"target":"dynamodb:UpdateItem","from":"20m","until":"5m"}"""), 3, start));
        Assert.Equal("faults[3]: 'until' must be later than 'from'", e.Message);
        var bad = Assert.Throws<Simulator.Scenarios.ScenarioException>(() => FaultRule.Parse((JObject)JValue.Parse("""{"target":"dynamodb:UpdateItem","until":"soon"}"""), 1, start));
        Assert.StartsWith("faults[1]: until: ", bad.Message, StringComparison.Ordinal);
    }
}
