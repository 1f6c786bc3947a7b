using BlueGreen.Functions.Alarms;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.Alarms;

public class AlarmEvaluatorTests
{
    private const string Now = "2025-06-01T10:05:00.000Z";

    private static AlarmSummary Alarm(string name, string state) => new() { AlarmName = name, StateValue = state, StateReason = $"Threshold crossed for {name}" };

    private static UpgradePlan OkPolicy() =>
        Inputs.AlbPlan() with { Alarms = Inputs.AlbPlan().Alarms with { InsufficientData = InsufficientDataPolicies.Ok } };

    private static EvaluateAlarmsRequest Request(UpgradePlan plan, IReadOnlyList<AlarmSummary> metric, IReadOnlyList<AlarmSummary>? composite = null) =>
        new() { Plan = plan, Now = Now, Alarms = new DescribeAlarmsOutput { MetricAlarms = metric, CompositeAlarms = composite } };

    [Fact]
    public void Evaluate_AllOk_IsOk()
    {
        var verdict = AlarmEvaluator.Evaluate(Request(Inputs.AlbPlan(), [Alarm("shop-5xx-rate", "OK"), Alarm("shop-p99-latency", "OK")]));

        Assert.Equal(AlarmVerdicts.Ok, verdict.Verdict);
        Assert.Empty(verdict.Firing);
        Assert.Equal(Now, verdict.CheckedAt);
        Assert.Equal(2, verdict.AlarmsChecked);
    }

    [Fact]
    public void Evaluate_OneInAlarm_IsAlarmAndNamesIt()
    {
        var verdict = AlarmEvaluator.Evaluate(Request(Inputs.AlbPlan(), [Alarm("shop-5xx-rate", "ALARM"), Alarm("shop-p99-latency", "OK")]));

        Assert.Equal(AlarmVerdicts.Alarm, verdict.Verdict);
        var firing = Assert.Single(verdict.Firing);
        Assert.Equal(("shop-5xx-rate", "metric", "ALARM"), (firing.Name, firing.Kind, firing.State));
        Assert.Equal("1 of 2 alarm(s) firing: shop-5xx-rate (ALARM)", verdict.Summary);
    }

    [Fact]
    public void Evaluate_LogAlarmInAlarm_IsAlarmOfKindLog()
    {
        var request = new EvaluateAlarmsRequest
        {
            Plan = Inputs.AlbPlan(),
            Now = Now,
            Alarms = new DescribeAlarmsOutput { MetricAlarms = [Alarm("shop-5xx-rate", "OK")], CompositeAlarms = [], LogAlarms = [Alarm("shop-p99-latency", "ALARM")] },
        };

        var verdict = AlarmEvaluator.Evaluate(request);

        var firing = Assert.Single(verdict.Firing);
        Assert.Equal(("shop-p99-latency", "log", "ALARM"), (firing.Name, firing.Kind, firing.State));
    }

    [Fact]
    public void Evaluate_HandlerReadsLogAlarmsFromTheTrimmedDescribeResult()
    {
        // What the DescribeAlarms Task's ResultSelector passes on: only the members the verdict reads, per alarm type.
        var json = $$$"""
            {"plan":{{{System.Text.Json.JsonSerializer.Serialize(Inputs.AlbPlan(), BlueGreen.Functions.Serialization.FunctionsJsonContext.Default.UpgradePlan)}}},"now":"{{{Now}}}",
             "alarms":{"MetricAlarms":[{"AlarmName":"shop-5xx-rate","StateValue":"OK","StateReason":"fine","StateTransitionedTimestamp":"2025-06-01T08:00:00.000Z"}],
                       "CompositeAlarms":[],
                       "LogAlarms":[{"AlarmName":"shop-p99-latency","StateValue":"ALARM","StateReason":"Threshold Crossed: 1 out of the last 1 query results [37.0] was greater than the threshold (10.0)."}]}}
            """;

        using var output = new BlueGreen.Functions.Handlers.EvaluateAlarmsHandler().Handle(Inputs.ToStream(json));
        var verdict = System.Text.Json.Nodes.JsonNode.Parse(output)!;

        Assert.Equal("ALARM", (string?)verdict["verdict"]);
        Assert.Equal("log", (string?)verdict["firing"]![0]!["kind"]);
    }

    private static AlarmSummary Transitioned(string name, string state, string at) =>
        Alarm(name, state) with { StateTransitionedTimestamp = System.Text.Json.JsonDocument.Parse($"\"{at}\"").RootElement.Clone() };

    [Fact]
    public void Evaluate_OkAgainButChangedSinceGreenTookAllTraffic_CountsAsFired()
    {
        var request = Request(Inputs.AlbPlan(), [Transitioned("shop-5xx-rate", "OK", "2025-06-01T10:03:00.000Z"), Transitioned("shop-p99-latency", "OK", "2025-06-01T08:00:00.000Z")])
            with { QuietSince = "2025-06-01T10:00:00.000Z" };

        var verdict = AlarmEvaluator.Evaluate(request);

        Assert.Equal(AlarmVerdicts.Alarm, verdict.Verdict);
        var firing = Assert.Single(verdict.Firing);
        Assert.Equal("shop-5xx-rate", firing.Name);
        Assert.Equal("OK since 2025-06-01T10:03:00.000Z", firing.State);
        Assert.StartsWith("its state changed at 2025-06-01T10:03:00.000Z, after 2025-06-01T10:00:00.000Z when it was last seen quiet", firing.Reason, StringComparison.Ordinal);
        Assert.Empty(verdict.ReadHistoryOf);
    }

    [Fact]
    public void Evaluate_ChangedSinceButNoQuietSinceOrInsufficientDataOk_ReadsOnlyTheCurrentState()
    {
        var alarms = new[] { Transitioned("shop-5xx-rate", "OK", "2025-06-01T10:03:00.000Z"), Alarm("shop-p99-latency", "OK") };
        var okPolicy = OkPolicy();

        Assert.Equal(AlarmVerdicts.Ok, AlarmEvaluator.Evaluate(Request(Inputs.AlbPlan(), alarms)).Verdict);
        var underOk = AlarmEvaluator.Evaluate(Request(okPolicy, alarms) with { QuietSince = "2025-06-01T10:00:00.000Z" });
        Assert.Equal(AlarmVerdicts.Ok, underOk.Verdict);
        // shop-p99-latency does not say when it last changed: read too.
        Assert.Equal(["shop-5xx-rate", "shop-p99-latency"], underOk.ReadHistoryOf.Select(a => a.Name));
        Assert.Equal("2025-06-01T10:03:00.000Z", underOk.ReadHistoryOf[0].ChangedAt);
    }

    [Fact]
    public void Evaluate_InsufficientDataOk_AsksForTheHistoryOfQuietAlarmsThatChangedOnly()
    {
        var okPolicy = OkPolicy();
        var alarms = new[]
        {
            Transitioned("shop-5xx-rate", "INSUFFICIENT_DATA", "2025-06-01T10:04:00.000Z"),
            Transitioned("shop-p99-latency", "OK", "2025-06-01T09:59:59.999Z"),
        };

        var verdict = AlarmEvaluator.Evaluate(Request(okPolicy, alarms) with { QuietSince = "2025-06-01T10:00:00.000Z" });

        Assert.Equal(AlarmVerdicts.Ok, verdict.Verdict);
        Assert.Equal(["shop-5xx-rate"], verdict.ReadHistoryOf.Select(a => a.Name));
    }

    [Fact]
    public void Evaluate_InsufficientDataOkAndNoTransitionTime_ReadsTheHistoryWithoutAChangeTime()
    {
        // Without StateTransitionedTimestamp nothing says the alarm stayed quiet: its history is read.
        var alarms = new[] { Alarm("shop-5xx-rate", "OK"), Transitioned("shop-p99-latency", "OK", "2025-06-01T09:00:00.000Z") };

        var verdict = AlarmEvaluator.Evaluate(Request(OkPolicy(), alarms) with { QuietSince = "2025-06-01T10:00:00.000Z" });

        var read = Assert.Single(verdict.ReadHistoryOf);
        Assert.Equal(("shop-5xx-rate", null), (read.Name, read.ChangedAt));
    }

    [Fact]
    public void Evaluate_AlarmFiringNow_NeedsNoHistory()
    {
        var okPolicy = OkPolicy();
        var alarms = new[] { Transitioned("shop-5xx-rate", "OK", "2025-06-01T10:03:00.000Z"), Transitioned("shop-p99-latency", "ALARM", "2025-06-01T10:04:00.000Z") };

        var verdict = AlarmEvaluator.Evaluate(Request(okPolicy, alarms) with { QuietSince = "2025-06-01T10:00:00.000Z" });

        Assert.Equal(AlarmVerdicts.Alarm, verdict.Verdict);
        Assert.Empty(verdict.ReadHistoryOf);
    }

    [Fact]
    public void Evaluate_EpochSecondsTransitionTime_IsRead()
    {
        var alarm = Alarm("shop-5xx-rate", "OK") with { StateTransitionedTimestamp = System.Text.Json.JsonDocument.Parse("1748772180.5").RootElement.Clone() };

        var verdict = AlarmEvaluator.Evaluate(Request(Inputs.AlbPlan(), [alarm, Alarm("shop-p99-latency", "OK")]) with { QuietSince = "2025-06-01T10:00:00.000Z" });

        Assert.Equal("OK since 2025-06-01T10:03:00.500Z", Assert.Single(verdict.Firing).State);
    }

    [Fact]
    public void Evaluate_BadQuietSince_IsInvalidInput()
    {
        var request = Request(Inputs.AlbPlan(), [Alarm("shop-5xx-rate", "OK"), Alarm("shop-p99-latency", "OK")]) with { QuietSince = "after lunch" };

        Assert.Throws<InvalidInput>(() => AlarmEvaluator.Evaluate(request));
    }

    [Fact]
    public void Evaluate_MissingAlarm_ThrowsAlarmNotFoundNeverOk()
    {
        var error = Assert.Throws<AlarmNotFound>(() => AlarmEvaluator.Evaluate(Request(Inputs.AlbPlan(), [Alarm("shop-5xx-rate", "OK")])));

        Assert.Equal("shop-p99-latency", error.Problems.Single().Split(' ')[0]);
    }

    [Theory]
    [InlineData("alarm", "ALARM")]
    [InlineData("ok", "OK")]
    public void Evaluate_InsufficientData_CountsAsThePlanSays(string policy, string expected)
    {
        var plan = Inputs.Plan(Inputs.Alb().With("alarms.insufficientData", $"\"{policy}\""));

        var verdict = AlarmEvaluator.Evaluate(Request(plan, [Alarm("shop-5xx-rate", "INSUFFICIENT_DATA"), Alarm("shop-p99-latency", "OK")]));

        Assert.Equal(expected, verdict.Verdict);
    }

    [Fact]
    public void Evaluate_DefaultPolicy_TreatsInsufficientDataAsAlarm()
    {
        var verdict = AlarmEvaluator.Evaluate(Request(Inputs.AlbPlan(), [Alarm("shop-5xx-rate", "INSUFFICIENT_DATA"), Alarm("shop-p99-latency", "OK")]));

        Assert.Equal(AlarmVerdicts.Alarm, verdict.Verdict);
    }

    [Fact]
    public void Evaluate_CompositeAlarms_AreFoundAndJudged()
    {
        var plan = Inputs.Plan(Inputs.Alb().With("alarms.names", "[\"shop-5xx-rate\",\"shop-slo\"]"));

        var verdict = AlarmEvaluator.Evaluate(Request(plan, [Alarm("shop-5xx-rate", "OK")], [Alarm("shop-slo", "ALARM")]));

        var firing = Assert.Single(verdict.Firing);
        Assert.Equal(("shop-slo", "composite"), (firing.Name, firing.Kind));
    }

    [Fact]
    public void Evaluate_UnknownState_FailsSafeToAlarm()
    {
        var verdict = AlarmEvaluator.Evaluate(Request(Inputs.AlbPlan(), [new AlarmSummary { AlarmName = "shop-5xx-rate" }, Alarm("shop-p99-latency", "OK")]));

        Assert.Equal(AlarmVerdicts.Alarm, verdict.Verdict);
        Assert.Equal("UNKNOWN", verdict.Firing[0].State);
    }

    [Fact]
    public void Evaluate_AlarmsNotInThePlan_AreIgnored()
    {
        var verdict = AlarmEvaluator.Evaluate(Request(Inputs.AlbPlan(), [Alarm("shop-5xx-rate", "OK"), Alarm("shop-p99-latency", "OK"), Alarm("unrelated", "ALARM")]));

        Assert.Equal(AlarmVerdicts.Ok, verdict.Verdict);
    }

    [Fact]
    public void Evaluate_ReadsCarryTheirPageAllowanceAndWorstCaseCost()
    {
        var alarms = new[] { Transitioned("shop-5xx-rate", "OK", "2025-06-01T10:03:00.000Z"), Transitioned("shop-p99-latency", "OK", "2025-06-01T09:00:00.000Z") };

        // now - quietSince = 5 minutes: 30 changes at most, 2 pages of 25, and a spare one.
        var verdict = AlarmEvaluator.Evaluate(Request(OkPolicy(), alarms) with { QuietSince = "2025-06-01T10:00:00.000Z" });

        Assert.Equal(3, Assert.Single(verdict.ReadHistoryOf).MaxPages);
        Assert.Equal(10 + (32 * 3), verdict.HistoryCost);
    }

    [Fact]
    public void Evaluate_NoTransitionTimeUnderInsufficientDataAlarm_ReadsTheHistoryToo()
    {
        var alarms = new[] { Alarm("shop-5xx-rate", "OK"), Transitioned("shop-p99-latency", "OK", "2025-06-01T09:00:00.000Z") };

        var verdict = AlarmEvaluator.Evaluate(Request(Inputs.AlbPlan(), alarms) with { QuietSince = "2025-06-01T10:00:00.000Z" });

        Assert.Equal(AlarmVerdicts.Ok, verdict.Verdict);
        Assert.Equal(["shop-5xx-rate"], verdict.ReadHistoryOf.Select(a => a.Name));
    }

    [Theory]
    [InlineData(99)]
    [InlineData(20_001)]
    public void Evaluate_HistoryEventBudgetOutOfRange_IsInvalidInput(int budget)
    {
        var request = Request(Inputs.AlbPlan(), [Alarm("shop-5xx-rate", "OK"), Alarm("shop-p99-latency", "OK")]) with { HistoryEventBudget = budget };

        Assert.Contains("historyEventBudget", Assert.Throws<InvalidInput>(() => AlarmEvaluator.Evaluate(request)).Problems.Single(), StringComparison.Ordinal);
    }
}
