using BlueGreen.Simulator.Aws.Services.CloudWatch;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// DescribeAlarms of 100 alarms can return a result near Step Functions' 256 KiB payload quota (composite rules up to
/// 10,240 characters each, reason data up to 4,000). Every DescribeAlarms Task keeps only what EvaluateAlarms reads
/// (a ResultSelector), so a result just under the quota no longer carries the state past it. A result over the quota
/// still fails the task: the guide applies the quota to "the output of a connector", before any ResultSelector.
/// </summary>
public sealed class AlarmPayloadSizeTests
{
    private const int Quota = 256 * 1024;

    [Fact]
    public void Rehearse_HundredCompositeAlarmsDescribedJustUnderTheQuota_CompletesWithoutDataLimitExceeded()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(WithCompositeAlarms("alarms-near-the-quota", ruleLength: 2_000));
        var size = DescribeAllSize(rehearsal);
        Assert.InRange(size, 200 * 1024, Quota - 1);

        var summary = rehearsal.Run();

        Assert.True(summary.Status == "SUCCEEDED", $"{summary.Status} {summary.Error}: {summary.Cause}");
        Assert.Equal("Completed", summary.Outcome);
    }

    [Fact]
    public void Rehearse_HundredCompositeAlarmsWithTenKilobyteRules_FailBeforeAnyTrafficMoves()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(WithCompositeAlarms("alarms-over-the-quota", ruleLength: 10_000));
        Assert.True(DescribeAllSize(rehearsal) > Quota);

        var summary = rehearsal.Run();

        // Preflight describes the same names before anything is created, so such a set fails there, with nothing built or moved.
        Assert.Equal("States.DataLimitExceeded", summary.Error);
        Assert.Contains("Look up the alarms to watch", summary.Cause, StringComparison.Ordinal);
        Assert.DoesNotContain(summary.AwsCalls, c => c.StartsWith("eks:Create", StringComparison.Ordinal));
        Assert.Equal(new TrafficWeights(100, 0), summary.FinalWeights);
    }

    /// <summary>The demo world plus 100 composite alarms whose rules are about <paramref name="ruleLength"/> characters; the run watches them all.</summary>
    private static Scenario WithCompositeAlarms(string name, int ruleLength)
    {
        const string term = "ALARM(shop-5xx-rate) OR ALARM(shop-p99-latency) OR ";
        var rule = string.Concat(Enumerable.Repeat(term, ruleLength / term.Length)) + "ALARM(shop-5xx-rate)";
        var names = Enumerable.Range(1, 100).Select(i => $"shop-composite-{i:D3}").ToList();
        var composites = JArray.From(names.Select(n => (JValue)JObject.Of(("name", n), ("rule", rule), ("description", "Green misbehaves: any of its alarms"))));
        var happy = Scenario.Load("happy-alb");
        var input = happy.Input!.AsObject().With("alarms", JObject.Of(("names", JArray.From(names.Select(n => (JValue)n)))));
        return Scenario.FromJson(name, JObject.Of(
            ("world", "default"),
            ("services", JObject.Of(("cloudwatch", JObject.Of(("compositeAlarms", composites))))),
            ("input", input)), happy.SourcePath);
    }

    /// <summary>The size of DescribeAlarms' whole result for the run's alarms, as the Task receives it.</summary>
    private static long DescribeAllSize(UpgradeRehearsal rehearsal)
    {
        var account = rehearsal.Account;
        var names = rehearsal.Input.AsObject().GetObject("alarms")!.GetArray("names")!;
        var result = RehearsalKit.Call(account, account.Service<CloudWatchService>(), "DescribeAlarms", JObject.Of(
            ("AlarmNames", names), ("AlarmTypes", JArray.Of("CompositeAlarm", "MetricAlarm", "LogAlarm")), ("MaxRecords", 100)))!;
        return result.Utf8Size;
    }
}
