using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.Alarms;

public sealed record EvaluateAlarmsRequest
{
    [JsonPropertyName("plan")] public required UpgradePlan Plan { get; init; }
    /// <summary>DescribeAlarms(AlarmNames = plan.alarms.names, AlarmTypes = [CompositeAlarm, MetricAlarm, LogAlarm]) output.</summary>
    [JsonPropertyName("alarms")] public required DescribeAlarmsOutput Alarms { get; init; }
    /// <summary>$$.State.EnteredTime: recorded as checkedAt.</summary>
    [JsonPropertyName("now")] public required string Now { get; init; }

    /// <summary>
    /// Optional: since when every alarm is known to have been quiet (the previous clean check of a bake; when Green took
    /// all traffic for the finalize check). Under <c>insufficientData: alarm</c> an alarm whose state changed after this
    /// instant left OK in between and counts as firing even if it is OK again: an alarm that fires and recovers between
    /// two polls, or during a long approval wait, must not be missed. Under <c>insufficientData: ok</c> such an alarm is
    /// listed in <see cref="AlarmVerdict.ReadHistoryOf"/> instead.
    /// </summary>
    [JsonPropertyName("quietSince")] public string? QuietSince { get; init; }

    /// <summary>
    /// Optional: the most history events this check's alarm history reads may add (default 6,000, at most 20,000): a
    /// bake's budget per check. The finalize check sends 3,000: the upgrade's own history may already hold up to four
    /// hours of health checks (about 17,300 events).
    /// </summary>
    [JsonPropertyName("historyEventBudget")] public int? HistoryEventBudget { get; init; }
}

public static class AlarmVerdicts
{
    public const string Ok = "OK";
    public const string Alarm = "ALARM";
    /// <summary>EvaluateAlarmHistory only: the history does not show the change DescribeAlarms reported yet.</summary>
    public const string NotInHistoryYet = "NOT_IN_HISTORY_YET";
}

public sealed record AlarmVerdict
{
    /// <summary>OK | ALARM: ALARM means roll back.</summary>
    [JsonPropertyName("verdict")] public required string Verdict { get; init; }
    [JsonPropertyName("firing")] public required IReadOnlyList<FiringAlarm> Firing { get; init; }
    [JsonPropertyName("checkedAt")] public required string CheckedAt { get; init; }
    [JsonPropertyName("alarmsChecked")] public required int AlarmsChecked { get; init; }
    /// <summary>
    /// With verdict OK: the alarms that are quiet now but changed state after <c>quietSince</c> under
    /// <c>insufficientData: ok</c>, and, under either policy, those that do not say when they last changed. Whether
    /// they were in ALARM is in their history: the state machine reads it (DescribeAlarmHistory) and asks
    /// EvaluateAlarmHistory. Empty when there is nothing to read.
    /// </summary>
    [JsonPropertyName("readHistoryOf")] public IReadOnlyList<AlarmToRead> ReadHistoryOf { get; init; } = [];
    /// <summary>
    /// The most history events reading <see cref="ReadHistoryOf"/> can add to the execution (every page read twice):
    /// a bake hands over to a new execution once these add up to its budget.
    /// </summary>
    [JsonPropertyName("historyCost")] public int HistoryCost { get; init; }
    /// <summary>One line for the run record and the rollback reason.</summary>
    [JsonPropertyName("summary")] public required string Summary { get; init; }
}

/// <summary>An alarm whose history must be read, and when DescribeAlarms says its state last changed.</summary>
public sealed record AlarmToRead
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>StateTransitionedTimestamp as ISO-8601, or null when DescribeAlarms gave none.</summary>
    [JsonPropertyName("changedAt"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? ChangedAt { get; init; }
    /// <summary>How many pages of 25 state changes may be read; an alarm with more counts as firing (<see cref="HistoryBudget"/>).</summary>
    [JsonPropertyName("maxPages")] public int MaxPages { get; init; } = 1;
}

public sealed record FiringAlarm
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>metric | composite | log.</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("state")] public required string State { get; init; }
    [JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Reason { get; init; }
}

public sealed record EvaluateAlarmHistoryRequest
{
    /// <summary>For the alarm names and the INSUFFICIENT_DATA policy.</summary>
    [JsonPropertyName("plan")] public required UpgradePlan Plan { get; init; }
    /// <summary>One of the plan's alarms (an entry of <see cref="AlarmVerdict.ReadHistoryOf"/>).</summary>
    [JsonPropertyName("alarmName")] public required string AlarmName { get; init; }
    /// <summary>The <c>quietSince</c> the alarm verdict was given: state changes at or after it count.</summary>
    [JsonPropertyName("since")] public required string Since { get; init; }
    /// <summary>One page of DescribeAlarmHistory(AlarmName, AlarmTypes = all three, HistoryItemType = StateUpdate, StartDate = since).</summary>
    [JsonPropertyName("history")] public required DescribeAlarmHistoryOutput History { get; init; }

    /// <summary>
    /// Optional: the alarm's StateTransitionedTimestamp from DescribeAlarms. The last page must show a change at or
    /// after it; otherwise the history has not caught up and cannot prove the alarm did not fire.
    /// </summary>
    [JsonPropertyName("changedAt")] public string? ChangedAt { get; init; }

    /// <summary>The newest change time seen on the earlier pages of this read (the previous page's <c>latestSeen</c>).</summary>
    [JsonPropertyName("latestSeen")] public string? LatestSeen { get; init; }

    /// <summary>True on the second read after NOT_IN_HISTORY_YET: a history still missing the change counts as firing.</summary>
    [JsonPropertyName("recheck")] public bool Recheck { get; init; }
}

public sealed record AlarmHistoryVerdict
{
    /// <summary>
    /// ALARM when the page shows the alarm in a state that counts after <c>since</c> (roll back); NOT_IN_HISTORY_YET
    /// when the last page does not reach <c>changedAt</c> (read again a little later); OK otherwise.
    /// </summary>
    [JsonPropertyName("verdict")] public required string Verdict { get; init; }
    [JsonPropertyName("alarmName")] public required string AlarmName { get; init; }
    /// <summary>State changes of this alarm since <c>since</c> on this page.</summary>
    [JsonPropertyName("stateChanges")] public required int StateChanges { get; init; }
    /// <summary>With verdict ALARM: when the change that shows it happened.</summary>
    [JsonPropertyName("firedAt")] public string? FiredAt { get; init; }
    /// <summary>The newest change time seen so far in this read, for the next page's request.</summary>
    [JsonPropertyName("latestSeen"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? LatestSeen { get; init; }
    /// <summary>One line for the run record and the rollback reason.</summary>
    [JsonPropertyName("summary")] public required string Summary { get; init; }
}
