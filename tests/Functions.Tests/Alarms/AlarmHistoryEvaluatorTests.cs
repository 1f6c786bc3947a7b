using System.Text.Json;
using BlueGreen.Functions.Alarms;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.Alarms;

public class AlarmHistoryEvaluatorTests
{
    private const string Since = "2025-06-01T10:00:00.000Z";

    private static UpgradePlan OkPolicy() =>
        Inputs.AlbPlan() with { Alarms = Inputs.AlbPlan().Alarms with { InsufficientData = InsufficientDataPolicies.Ok } };

    /// <summary>A StateUpdate item shaped as CloudWatch writes it (HistoryData is JSON text).</summary>
    private static AlarmHistoryItem Change(string from, string to, string at, string alarm = "shop-5xx-rate") => new()
    {
        AlarmName = alarm,
        AlarmType = "MetricAlarm",
        Timestamp = JsonDocument.Parse($"\"{at}\"").RootElement.Clone(),
        HistoryItemType = "StateUpdate",
        HistorySummary = $"Alarm updated from {from} to {to}",
        HistoryData = $$$"""{"version":"1.0","oldState":{"stateValue":"{{{from}}}","stateReason":"was {{{from}}}"},"newState":{"stateValue":"{{{to}}}","stateReason":"Threshold Crossed: now {{{to}}}"}}""",
    };

    private static AlarmHistoryVerdict Evaluate(UpgradePlan plan, params AlarmHistoryItem[] items) =>
        AlarmHistoryEvaluator.Evaluate(new EvaluateAlarmHistoryRequest
        {
            Plan = plan,
            AlarmName = "shop-5xx-rate",
            Since = Since,
            History = new DescribeAlarmHistoryOutput { AlarmHistoryItems = items },
        });

    [Fact]
    public void Evaluate_FiredAndRecovered_IsAlarmAndSaysWhen()
    {
        var verdict = Evaluate(OkPolicy(),
            Change("ALARM", "OK", "2025-06-01T10:04:00.000Z"),
            Change("OK", "ALARM", "2025-06-01T10:02:00.000Z"));

        Assert.Equal(AlarmVerdicts.Alarm, verdict.Verdict);
        Assert.Equal("2025-06-01T10:02:00.000Z", verdict.FiredAt);
        Assert.Equal(2, verdict.StateChanges);
        Assert.StartsWith("shop-5xx-rate went from OK to ALARM at 2025-06-01T10:02:00.000Z, after 2025-06-01T10:00:00.000Z", verdict.Summary, StringComparison.Ordinal);
        Assert.EndsWith("Threshold Crossed: now ALARM", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_OnlyMissingDataUnderInsufficientDataOk_IsOk()
    {
        var verdict = Evaluate(OkPolicy(),
            Change("OK", "INSUFFICIENT_DATA", "2025-06-01T10:02:00.000Z"),
            Change("INSUFFICIENT_DATA", "OK", "2025-06-01T10:04:00.000Z"));

        Assert.Equal(AlarmVerdicts.Ok, verdict.Verdict);
        Assert.Null(verdict.FiredAt);
        Assert.Equal(2, verdict.StateChanges);
    }

    [Fact]
    public void Evaluate_MissingDataUnderInsufficientDataAlarm_IsAlarm()
    {
        var verdict = Evaluate(Inputs.AlbPlan(), Change("OK", "INSUFFICIENT_DATA", "2025-06-01T10:02:00.000Z"));

        Assert.Equal(AlarmVerdicts.Alarm, verdict.Verdict);
    }

    [Fact]
    public void Evaluate_ChangesBeforeSinceOtherAlarmsAndOtherItemTypes_AreIgnored()
    {
        var configuration = Change("OK", "ALARM", "2025-06-01T10:03:00.000Z") with { HistoryItemType = "ConfigurationUpdate" };

        var verdict = Evaluate(OkPolicy(),
            Change("OK", "ALARM", "2025-06-01T09:59:59.999Z"),
            Change("OK", "ALARM", "2025-06-01T10:02:00.000Z", alarm: "shop-p99-latency"),
            configuration,
            Change("OK", "INSUFFICIENT_DATA", "2025-06-01T10:04:00.000Z"));

        Assert.Equal(AlarmVerdicts.Ok, verdict.Verdict);
        Assert.Equal(1, verdict.StateChanges);
    }

    [Fact]
    public void Evaluate_HistoryDataNotJson_FallsBackToTheSummary()
    {
        var verdict = Evaluate(OkPolicy(), Change("OK", "ALARM", "2025-06-01T10:02:00.000Z") with { HistoryData = "not json" });

        Assert.Equal(AlarmVerdicts.Alarm, verdict.Verdict);
        Assert.StartsWith("shop-5xx-rate went from OK to ALARM", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TransitionThatCannotBeRead_FailsSafeToAlarm()
    {
        var unreadable = Change("OK", "INSUFFICIENT_DATA", "2025-06-01T10:02:00.000Z") with { HistoryData = null, HistorySummary = "Something changed" };

        var verdict = Evaluate(OkPolicy(), unreadable);

        Assert.Equal(AlarmVerdicts.Alarm, verdict.Verdict);
        Assert.Contains("to UNKNOWN", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_EmptyPage_IsOk()
    {
        var verdict = Evaluate(OkPolicy());

        Assert.Equal((AlarmVerdicts.Ok, 0), (verdict.Verdict, verdict.StateChanges));
    }

    [Fact]
    public void Evaluate_BadSinceAndAnAlarmOutsideThePlan_ListsBothProblems()
    {
        var error = Assert.Throws<InvalidInput>(() => AlarmHistoryEvaluator.Evaluate(new EvaluateAlarmHistoryRequest
        {
            Plan = OkPolicy(),
            AlarmName = "someone-elses-alarm",
            Since = "yesterday-ish",
            History = new DescribeAlarmHistoryOutput(),
        }));

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith("since:", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("someone-elses-alarm", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_LeavingAlarmAfterSince_IsAlarm()
    {
        // It entered ALARM before since (between two polls) and recovered after: it was in ALARM after since.
        var verdict = Evaluate(OkPolicy(), Change("ALARM", "OK", "2025-06-01T10:01:00.000Z"));

        Assert.Equal(AlarmVerdicts.Alarm, verdict.Verdict);
        Assert.StartsWith("shop-5xx-rate went from ALARM to OK at 2025-06-01T10:01:00.000Z", verdict.Summary, StringComparison.Ordinal);
    }

    private static EvaluateAlarmHistoryRequest Read(string? changedAt, string? nextToken, params AlarmHistoryItem[] items) => new()
    {
        Plan = OkPolicy(),
        AlarmName = "shop-5xx-rate",
        Since = Since,
        ChangedAt = changedAt,
        History = new DescribeAlarmHistoryOutput { AlarmHistoryItems = items, NextToken = nextToken },
    };

    [Fact]
    public void Evaluate_LastPageWithoutTheReportedChange_IsNotInHistoryYetThenAlarmOnRecheck()
    {
        var request = Read("2025-06-01T10:04:00.000Z", null, Change("OK", "INSUFFICIENT_DATA", "2025-06-01T10:02:00.000Z"));

        var first = AlarmHistoryEvaluator.Evaluate(request);
        var again = AlarmHistoryEvaluator.Evaluate(request with { Recheck = true });

        Assert.Equal((AlarmVerdicts.NotInHistoryYet, "2025-06-01T10:02:00.000Z"), (first.Verdict, first.LatestSeen));
        Assert.Equal(AlarmVerdicts.Alarm, again.Verdict);
        Assert.Contains("still does not show the state change at 2025-06-01T10:04:00.000Z", again.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ReportedChangeOnThePage_IsOk()
    {
        var verdict = AlarmHistoryEvaluator.Evaluate(Read("2025-06-01T10:04:00.000Z", null,
            Change("OK", "INSUFFICIENT_DATA", "2025-06-01T10:02:00.000Z"), Change("INSUFFICIENT_DATA", "OK", "2025-06-01T10:04:00.000Z")));

        Assert.Equal((AlarmVerdicts.Ok, "2025-06-01T10:04:00.000Z"), (verdict.Verdict, verdict.LatestSeen));
    }

    [Fact]
    public void Evaluate_ReportedChangeOnAnEarlierPage_IsOkOnAnEmptyLastPage()
    {
        // Page 1 held the change; page 2 (the last) is empty: latestSeen carries page 1's newest change.
        var page1 = AlarmHistoryEvaluator.Evaluate(Read("2025-06-01T10:04:00.000Z", "more",
            Change("OK", "INSUFFICIENT_DATA", "2025-06-01T10:02:00.000Z"), Change("INSUFFICIENT_DATA", "OK", "2025-06-01T10:04:00.000Z")));
        var page2 = AlarmHistoryEvaluator.Evaluate(Read("2025-06-01T10:04:00.000Z", null) with { LatestSeen = page1.LatestSeen });

        Assert.Equal(AlarmVerdicts.Ok, page1.Verdict);
        Assert.Equal(AlarmVerdicts.Ok, page2.Verdict);
    }

    [Fact]
    public void Evaluate_NoReportedChangeTime_DoesNotWaitForIt()
    {
        var verdict = AlarmHistoryEvaluator.Evaluate(Read(null, null));

        Assert.Equal(AlarmVerdicts.Ok, verdict.Verdict);
        Assert.Null(verdict.LatestSeen);
    }

    [Fact]
    public void Evaluate_BadChangedAtAndLatestSeen_AreInvalidInput()
    {
        var error = Assert.Throws<InvalidInput>(() => AlarmHistoryEvaluator.Evaluate(Read("soon", null) with { LatestSeen = "earlier" }));

        Assert.Equal(["changedAt", "latestSeen"], error.Problems.Select(p => p.Split(':')[0]));
    }

    [Fact]
    public void Evaluate_HistoryStampedJustBeforeTheReportedChange_IsTheSameChange()
    {
        var verdict = AlarmHistoryEvaluator.Evaluate(Read("2025-06-01T10:04:00.500Z", null, Change("INSUFFICIENT_DATA", "OK", "2025-06-01T10:04:00.000Z")));

        Assert.Equal(AlarmVerdicts.Ok, verdict.Verdict);
    }

    [Fact]
    public void Evaluate_UnreadableOldState_FailsSafeToAlarm()
    {
        // It may have been leaving ALARM: failing safe means Blue.
        var noOldState = Change("OK", "INSUFFICIENT_DATA", "2025-06-01T10:02:00.000Z") with
        {
            HistoryData = """{"version":"1.0","newState":{"stateValue":"INSUFFICIENT_DATA"}}""",
        };

        var verdict = Evaluate(OkPolicy(), noOldState);

        Assert.Equal(AlarmVerdicts.Alarm, verdict.Verdict);
        Assert.StartsWith("shop-5xx-rate went from UNKNOWN to INSUFFICIENT_DATA", verdict.Summary, StringComparison.Ordinal);
    }
}
