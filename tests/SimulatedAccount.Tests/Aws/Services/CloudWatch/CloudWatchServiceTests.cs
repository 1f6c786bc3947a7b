using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.CloudWatch;
using BlueGreen.Simulator.Aws.Services.Route53;
using BlueGreen.Simulator.Json;
using static BlueGreen.Simulator.Tests.Aws.Services.TrafficTestKit;

namespace BlueGreen.Simulator.Tests.Aws.Services.CloudWatch;

public sealed class CloudWatchServiceTests : IDisposable
{
    private const string Cw = "cloudwatch";
    private const string Rate = "shop-5xx-rate";
    private const string Latency = "shop-p99-latency";
    private const string Composite = "shop-green-unhealthy";

    private readonly SimulatedAccount _account = DefaultWorld();

    public void Dispose() => _account.Dispose();

    private CloudWatchService Service => _account.Service<CloudWatchService>();

    private List<AwsEvent> StateChanges(string alarm) =>
        [.. _account.Events.Published.Where(e => e.DetailType == "CloudWatch Alarm State Change" && e.Detail.GetString("alarmName") == alarm)];

    private void Advance(double seconds) => _account.Scheduler.Advance(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void DescribeAlarms_ByName_ReturnsTheMetricAlarmsInFullShape()
    {
        var summary = Run(_account, SingleTask("arn:aws:states:::aws-sdk:cloudwatch:describeAlarms", $$"""{"AlarmNames":["{{Rate}}","{{Latency}}","no-such-alarm"]}"""));

        Assert.Equal("SUCCEEDED", summary.Status);
        var output = summary.Output!.AsObject();
        Assert.Empty(output.GetArray("CompositeAlarms")!);
        var alarms = output.GetArray("MetricAlarms")!.Select(a => a.AsObject()).ToList();
        Assert.Equal([Rate, Latency], alarms.Select(a => a.GetString("AlarmName")));
        Assert.All(alarms, a => Assert.Equal("OK", a.GetString("StateValue")));
        var latency = alarms[1];
        Assert.Equal("arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:shop-p99-latency", latency.GetString("AlarmArn"));
        Assert.Equal(("TargetResponseTime", "AWS/ApplicationELB", "p99", 60.0, 1.5, "GreaterThanThreshold"),
            (latency.GetString("MetricName"), latency.GetString("Namespace"), latency.GetString("ExtendedStatistic"), latency.GetNumber("Period")!.Value, latency.GetNumber("Threshold")!.Value, latency.GetString("ComparisonOperator")));
        Assert.StartsWith("Threshold Crossed: 1 out of the last 3 datapoints [0.18 (", latency.GetString("StateReason"), StringComparison.Ordinal);
        Assert.Equal("2026-11-23T09:00:00.000Z", latency.GetString("StateUpdatedTimestamp"));
        Assert.Equal(2, latency.GetArray("Dimensions")!.Count);
        Assert.Equal(3, alarms[0].GetArray("Metrics")!.Count);
        Assert.Equal(2, alarms[0].GetNumber("DatapointsToAlarm"));
    }

    [Fact]
    public void DescribeAlarms_CompositeAlarmsOnlyWhenAskedFor()
    {
        var both = Call(_account, Cw, "DescribeAlarms", """{"AlarmTypes":["CompositeAlarm","MetricAlarm"]}""");
        var composites = Call(_account, Cw, "DescribeAlarms", """{"AlarmTypes":["CompositeAlarm"]}""");

        Assert.Equal(2, both.GetArray("MetricAlarms")!.Count);
        var composite = Assert.Single(composites.GetArray("CompositeAlarms")!).AsObject();
        Assert.Equal((Composite, "OK", "ALARM(shop-5xx-rate) OR ALARM(shop-p99-latency)"), (composite.GetString("AlarmName"), composite.GetString("StateValue"), composite.GetString("AlarmRule")));
        Assert.Empty(composites.GetArray("MetricAlarms")!);
    }

    [Fact]
    public void DescribeAlarms_FiltersByPrefixStateAndActionPrefix()
    {
        Call(_account, Cw, "SetAlarmState", $$"""{"AlarmName":"{{Latency}}","StateValue":"ALARM","StateReason":"testing"}""");

        Assert.Equal([Rate, Latency], Names(Call(_account, Cw, "DescribeAlarms", """{"AlarmNamePrefix":"shop-"}""")));
        Assert.Equal([Latency], Names(Call(_account, Cw, "DescribeAlarms", """{"StateValue":"ALARM"}""")));
        Assert.Equal([Rate, Latency], Names(Call(_account, Cw, "DescribeAlarms", """{"ActionPrefix":"arn:aws:sns:"}""")));
        Assert.Empty(Names(Call(_account, Cw, "DescribeAlarms", """{"AlarmNames":["nope"]}""")));
    }

    [Fact]
    public void DescribeAlarms_PagesWithMaxRecordsAndNextToken()
    {
        var first = Call(_account, Cw, "DescribeAlarms", """{"MaxRecords":1}""");
        var second = Call(_account, Cw, "DescribeAlarms", $$"""{"MaxRecords":1,"NextToken":"{{first.GetString("NextToken")}}"}""");

        Assert.Equal([Rate], Names(first));
        Assert.Equal([Latency], Names(second));
        Assert.Null(second.GetString("NextToken"));
        Assert.Equal("CloudWatch.InvalidNextTokenException", CallFails(_account, Cw, "DescribeAlarms", """{"NextToken":"garbage"}""").Error);
    }

    [Fact]
    public void DescribeAlarms_NamesWithPrefix_FailsWithInvalidParameterCombination()
    {
        var e = CallFails(_account, Cw, "DescribeAlarms", $$"""{"AlarmNames":["{{Rate}}"],"AlarmNamePrefix":"shop"}""");

        Assert.Equal("CloudWatch.InvalidParameterCombinationException", e.Error);
    }

    [Fact]
    public void DescribeAlarms_MoreThan100Names_IsRejected()
    {
        var names = string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"a{i}\""));

        var e = CallFails(_account, Cw, "DescribeAlarms", $$"""{"AlarmNames":[{{names}}]}""");

        Assert.Equal("CloudWatch.ValidationErrorException", e.Error);
    }

    [Fact]
    public void FaultyGreenTakingTraffic_GoesToAlarmAfterDatapointsToAlarmPeriods_AndBackToOkWhenTrafficLeaves()
    {
        _account.Workloads.SetFaulty("shop-green", true);
        ModifyRule(_account, 90, 10);

        Advance(119);
        Assert.Equal("OK", Service.StateOf(Rate));
        Advance(1);
        Assert.Equal("ALARM", Service.StateOf(Rate));
        Assert.Equal("OK", Service.StateOf(Latency)); // 10% is below its 20% threshold

        ModifyRule(_account, 100, 0);
        Advance(119);
        Assert.Equal("ALARM", Service.StateOf(Rate));
        Advance(1);
        Assert.Equal("OK", Service.StateOf(Rate));

        var changes = StateChanges(Rate);
        Assert.Equal(2, changes.Count);
        var alarm = changes[0];
        Assert.Equal(("aws.cloudwatch", "111122223333", "ap-northeast-2"), (alarm.Source, alarm.Account, alarm.Region));
        Assert.Equal(["arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:shop-5xx-rate"], alarm.Resources);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 2, 0, TimeSpan.Zero), alarm.Time);
        var detail = alarm.Detail;
        Assert.Equal(["alarmName", "configuration", "previousState", "state"], detail.Keys);
        Assert.Equal(("ALARM", "OK"), (detail.GetObject("state")!.GetString("value"), detail.GetObject("previousState")!.GetString("value")));
        Assert.Equal("2026-11-23T09:02:00.000+0000", detail.GetObject("state")!.GetString("timestamp"));
        Assert.Equal(
            "Threshold Crossed: 2 out of the last 3 datapoints [23.5 (23/11/26 09:01:00), 23.5 (23/11/26 09:00:00)] were greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition).",
            detail.GetObject("state")!.GetString("reason"));
        Assert.Equal(23.5, JValue.Parse(detail.GetObject("state")!.GetString("reasonData")!).AsObject().GetArray("recentDatapoints")![0].AsNumber());
        Assert.Equal("IF(m2 > 0, 100 * m1 / m2, 0)", detail.GetObject("configuration")!.GetArray("metrics")![0].AsObject().GetString("expression"));
        Assert.Equal(("OK", "ALARM"), (changes[1].Detail.GetObject("state")!.GetString("value"), changes[1].Detail.GetObject("previousState")!.GetString("value")));
        Assert.Contains("were not greater than the threshold (5.0) (minimum 2 datapoints for ALARM -> OK transition)", changes[1].Detail.GetObject("state")!.GetString("reason"), StringComparison.Ordinal);
    }

    [Fact]
    public void FaultyGreen_ThresholdShareOfTraffic_TriggersOnlyAboveIt()
    {
        _account.Workloads.SetFaulty("shop-green", true);
        ModifyRule(_account, 80, 20);
        Advance(600);
        Assert.Equal("OK", Service.StateOf(Latency)); // 20% is not above 20%

        ModifyRule(_account, 70, 30);
        Advance(179);
        Assert.Equal("OK", Service.StateOf(Latency));
        Advance(1);
        Assert.Equal("ALARM", Service.StateOf(Latency));
        Assert.Equal("p99", JValue.Parse(Single(StateChanges(Latency)).Detail.GetObject("configuration")!.ToJson()).AsObject()
            .GetArray("metrics")![0].AsObject().GetObject("metricStat")!.GetString("stat"));
    }

    [Fact]
    public void HealthyGreen_NeverAlarms()
    {
        ModifyRule(_account, 0, 100);
        Advance(3600);

        Assert.Equal(("OK", "OK"), (Service.StateOf(Rate), Service.StateOf(Latency)));
        Assert.Empty(StateChanges(Rate));
    }

    [Fact]
    public void BreachEndingBeforeDatapointsToAlarm_NeverAlarms()
    {
        _account.Workloads.SetFaulty("shop-green", true);
        ModifyRule(_account, 90, 10);
        Advance(60);
        ModifyRule(_account, 100, 0);
        Advance(600);

        Assert.Empty(StateChanges(Rate));
    }

    [Fact]
    public void GreenTurningFaultyUnderTraffic_Alarms()
    {
        ModifyRule(_account, 50, 50);
        Advance(300);
        _account.Workloads.SetFaulty("shop-green", true);
        Advance(120);

        Assert.Equal("ALARM", Service.StateOf(Rate));
    }

    [Fact]
    public void CompositeAlarm_FollowsItsChildren()
    {
        _account.Workloads.SetFaulty("shop-green", true);
        ModifyRule(_account, 90, 10);
        Advance(120);
        var firing = Service.StateOf(Composite);
        ModifyRule(_account, 100, 0);
        Advance(120);

        Assert.Equal(("ALARM", "OK"), (firing, Service.StateOf(Composite)));
        var change = StateChanges(Composite)[0].Detail;
        Assert.Equal("ALARM(shop-5xx-rate) OR ALARM(shop-p99-latency)", change.GetObject("configuration")!.GetString("alarmRule"));
        Assert.Equal("arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:shop-5xx-rate transitioned to ALARM at Monday 23 November, 2026 09:02:00 UTC", change.GetObject("state")!.GetString("reason"));
        Assert.Contains("triggeringAlarms", change.GetObject("state")!.GetString("reasonData"), StringComparison.Ordinal);
    }

    [Fact]
    public void Route53Weights_ReachTheAlarmOnceInSync()
    {
        _account.Workloads.SetFaulty("shop-green", true);
        var record = Call(_account, "route53", "ListResourceRecordSets", $$"""{"HostedZoneId":"{{ZoneId}}","StartRecordName":"api.example.com","StartRecordType":"A","StartRecordIdentifier":"green","MaxItems":1}""")
            .GetArray("ResourceRecordSets")![0].AsObject().With("Weight", 50);
        Call(_account, "route53", "ChangeResourceRecordSets", $$"""{"HostedZoneId":"{{ZoneId}}","ChangeBatch":{"Changes":[{"Action":"UPSERT","ResourceRecordSet":""" + record.ToJson() + "}]}}");

        Advance(30 + 119);
        Assert.Equal("OK", Service.StateOf(Rate));
        Advance(1);
        Assert.Equal("ALARM", Service.StateOf(Rate));
        Assert.True(_account.Service<Route53Service>().ServedPercentOfCluster("shop-green") > 0);
    }

    [Fact]
    public void SetAlarmStateFromStateMachine_LastsUntilTheNextEvaluation()
    {
        var summary = Run(_account, SingleTask("arn:aws:states:::aws-sdk:cloudwatch:setAlarmState", $$"""{"AlarmName":"{{Latency}}","StateValue":"ALARM","StateReason":"Game day"}"""));

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal("ALARM", Service.StateOf(Latency));
        Assert.Equal("Game day", StateChanges(Latency)[0].Detail.GetObject("state")!.GetString("reason"));
        Advance(60);
        Assert.Equal("OK", Service.StateOf(Latency));
        Assert.Equal(2, StateChanges(Latency).Count);
    }

    [Fact]
    public void SetAlarmState_UnknownAlarm_FailsWithResourceNotFound()
    {
        var e = CallFails(_account, Cw, "SetAlarmState", """{"AlarmName":"nope","StateValue":"ALARM","StateReason":"x"}""");

        Assert.Equal("CloudWatch.ResourceNotFoundException", e.Error);
        Assert.Equal("Alarm nope not found", e.Cause);
    }

    [Fact]
    public void SetAlarmState_ReasonDataNotJson_FailsWithInvalidFormat()
    {
        var e = CallFails(_account, Cw, "SetAlarmState", $$"""{"AlarmName":"{{Rate}}","StateValue":"ALARM","StateReason":"x","StateReasonData":"{not json"}""");

        Assert.Equal("CloudWatch.InvalidFormatException", e.Error);
    }

    [Fact]
    public void SetAlarmStateEvent_FiresAtItsTimeAndHoldsForItsDuration()
    {
        using var account = DefaultWorld(events: (JArray)JValue.Parse("""[{"at":"5m","do":"setAlarmState","alarm":"shop-5xx-rate","state":"ALARM","for":"3m"}]"""));
        var cloudWatch = account.Service<CloudWatchService>();

        account.Scheduler.Advance(TimeSpan.FromSeconds(299));
        var before = cloudWatch.StateOf(Rate);
        account.Scheduler.Advance(TimeSpan.FromSeconds(1));
        var during = cloudWatch.StateOf(Rate);
        account.Scheduler.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(("OK", "ALARM", "OK"), (before, during, cloudWatch.StateOf(Rate)));
        Assert.Equal(2, account.Events.Published.Count(e => e.Detail.GetString("alarmName") == Rate));
    }

    [Fact]
    public void SetAlarmStateEvent_WithoutDuration_Holds()
    {
        using var account = DefaultWorld(events: (JArray)JValue.Parse("""[{"at":"1m","do":"setAlarmState","alarm":"shop-p99-latency","state":"ALARM","reason":"Synthetic canary failing"}]"""));

        account.Scheduler.Advance(TimeSpan.FromHours(2));

        Assert.Equal("ALARM", account.Service<CloudWatchService>().StateOf(Latency));
        Assert.Equal("Synthetic canary failing", account.Events.Published.Single(e => e.Detail.GetString("alarmName") == Latency).Detail.GetObject("state")!.GetString("reason"));
    }

    [Fact]
    public void DescribeAlarmHistory_ListsStateUpdatesNewestFirst()
    {
        Call(_account, Cw, "SetAlarmState", $$"""{"AlarmName":"{{Rate}}","StateValue":"ALARM","StateReason":"first"}""");
        Advance(60);

        var items = Call(_account, Cw, "DescribeAlarmHistory", $$"""{"AlarmName":"{{Rate}}","HistoryItemType":"StateUpdate"}""").GetArray("AlarmHistoryItems")!;

        Assert.Equal(["Alarm updated from ALARM to OK", "Alarm updated from OK to ALARM"], items.Select(i => i.AsObject().GetString("HistorySummary")));
        var data = JValue.Parse(items[1].AsObject().GetString("HistoryData")!).AsObject();
        Assert.Equal(("OK", "ALARM"), (data.GetObject("oldState")!.GetString("stateValue"), data.GetObject("newState")!.GetString("stateValue")));
    }

    [Fact]
    public void DescribeAlarmHistory_WithAHistoryDelay_ShowsAChangeOnlyOnceTheDelayHasPassed()
    {
        using var lagging = DefaultWorld(JObject.Of(("cloudwatch", JObject.Of(("historyDelay", "5s")))));
        Call(lagging, Cw, "SetAlarmState", $$"""{"AlarmName":"{{Rate}}","StateValue":"ALARM","StateReason":"now"}""");
        const string request = $$"""{"AlarmName":"{{Rate}}","HistoryItemType":"StateUpdate"}""";

        var before = Call(lagging, Cw, "DescribeAlarmHistory", request).GetArray("AlarmHistoryItems")!;
        lagging.Scheduler.Advance(TimeSpan.FromSeconds(5));
        var after = Call(lagging, Cw, "DescribeAlarmHistory", request).GetArray("AlarmHistoryItems")!;

        Assert.Equal("ALARM", Call(lagging, Cw, "DescribeAlarms", $$"""{"AlarmNames":["{{Rate}}"]}""").GetArray("MetricAlarms")![0].AsObject().GetString("StateValue"));
        Assert.Empty(before);
        Assert.Equal("Alarm updated from OK to ALARM", Assert.Single(after).AsObject().GetString("HistorySummary"));
    }

    [Fact]
    public void World_BadHistoryDelay_IsNamed()
    {
        var e = Assert.Throws<BlueGreen.Simulator.Scenarios.ScenarioException>(() => DefaultWorld(JObject.Of(("cloudwatch", JObject.Of(("historyDelay", JObject.Empty))))));

        Assert.Contains("cloudwatch.historyDelay", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PutMetricAlarm_OnGreensTargetGroup_WatchesItAndStartsInsufficientData()
    {
        Call(_account, Cw, "PutMetricAlarm", """
            {"AlarmName":"green-5xx-count","Namespace":"AWS/ApplicationELB","MetricName":"HTTPCode_Target_5XX_Count","Statistic":"Sum",
             "Dimensions":[{"Name":"TargetGroup","Value":"targetgroup/shop-green-tg/3e1f2a7b9c4d5e60"}],
             "Period":60,"EvaluationPeriods":1,"Threshold":10,"ComparisonOperator":"GreaterThanThreshold"}
            """);
        var created = Service.StateOf("green-5xx-count");
        Advance(60);
        var evaluated = Service.StateOf("green-5xx-count");
        _account.Workloads.SetFaulty("shop-green", true);
        ModifyRule(_account, 99, 1);
        Advance(60);

        Assert.Equal(("INSUFFICIENT_DATA", "OK", "ALARM"), (created, evaluated, Service.StateOf("green-5xx-count")));
    }

    [Fact]
    public void PutMetricAlarm_DatapointsAboveEvaluationPeriods_IsRejected()
    {
        var e = CallFails(_account, Cw, "PutMetricAlarm", """
            {"AlarmName":"x","Namespace":"AWS/ApplicationELB","MetricName":"RequestCount","Statistic":"Sum","Period":60,
             "EvaluationPeriods":1,"DatapointsToAlarm":2,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}
            """);

        Assert.Equal("CloudWatch.InvalidParameterValueException", e.Error);
    }

    [Fact]
    public void PutCompositeAlarm_EvaluatesItsRuleAtOnce()
    {
        Call(_account, Cw, "SetAlarmState", $$"""{"AlarmName":"{{Rate}}","StateValue":"ALARM","StateReason":"x"}""");

        Call(_account, Cw, "PutCompositeAlarm", """{"AlarmName":"both","AlarmRule":"ALARM(\"shop-5xx-rate\") AND NOT OK(shop-p99-latency)"}""");
        var both = Service.StateOf("both");
        Call(_account, Cw, "PutCompositeAlarm", """{"AlarmName":"either","AlarmRule":"ALARM(shop-5xx-rate) OR (TRUE AND ALARM(arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:shop-p99-latency))"}""");

        Assert.Equal(("OK", "ALARM"), (both, Service.StateOf("either")));
        Assert.Equal("CloudWatch.InvalidParameterValueException", CallFails(_account, Cw, "PutCompositeAlarm", """{"AlarmName":"bad","AlarmRule":"ALARM(x"}""").Error);
    }

    [Fact]
    public void Seed_AlarmWatchingAnUnknownTargetGroup_IsAWorldProblem()
    {
        var e = Assert.Throws<BlueGreen.Simulator.Scenarios.ScenarioException>(() => DefaultWorld((JObject)JValue.Parse("""
            {"cloudwatch":{"metricAlarms":[{"name":"x","namespace":"AWS/ApplicationELB","metricName":"RequestCount","statistic":"Sum",
              "period":60,"evaluationPeriods":1,"threshold":1,"comparisonOperator":"GreaterThanThreshold","watches":{"targetGroup":"nope-tg"}}]}}
            """)));

        Assert.Contains("no target group 'nope-tg'", e.Message, StringComparison.Ordinal);
    }

    private static List<string?> Names(JObject describeAlarms) =>
        [.. describeAlarms.GetArray("MetricAlarms")!.Concat(describeAlarms.GetArray("CompositeAlarms")!).Select(a => a.AsObject().GetString("AlarmName"))];

    private static AwsEvent Single(List<AwsEvent> events) => Assert.Single(events);
}
