using System.Text.Json;
using BlueGreen.Functions.Common;

namespace BlueGreen.Functions.Aws;

/// <summary>
/// The members of DescribeAlarms' output that the alarm verdict reads (the state machine's ResultSelector keeps only
/// these; the whole output reads the same).
/// </summary>
public sealed record DescribeAlarmsOutput
{
    public IReadOnlyList<AlarmSummary>? MetricAlarms { get; init; }
    public IReadOnlyList<AlarmSummary>? CompositeAlarms { get; init; }
    /// <summary>Alarms on CloudWatch Logs queries (AlarmType LogAlarm); returned only when AlarmTypes names LogAlarm.</summary>
    public IReadOnlyList<AlarmSummary>? LogAlarms { get; init; }
}

/// <summary>MetricAlarm, CompositeAlarm and LogAlarm share these members.</summary>
public sealed record AlarmSummary
{
    public string? AlarmName { get; init; }
    public string? AlarmArn { get; init; }
    /// <summary>OK | ALARM | INSUFFICIENT_DATA.</summary>
    public string? StateValue { get; init; }
    public string? StateReason { get; init; }
    /// <summary>A timestamp; SDK integrations give ISO-8601 strings, kept as received.</summary>
    public JsonElement? StateUpdatedTimestamp { get; init; }
    /// <summary>When <see cref="StateValue"/> last changed (not its reason or evaluation state); ISO-8601 text or epoch seconds.</summary>
    public JsonElement? StateTransitionedTimestamp { get; init; }
}

/// <summary>The members of DescribeAlarmHistory's output that the history verdict reads.</summary>
public sealed record DescribeAlarmHistoryOutput
{
    public IReadOnlyList<AlarmHistoryItem>? AlarmHistoryItems { get; init; }
    public string? NextToken { get; init; }
}

/// <summary>One history item of an alarm.</summary>
public sealed record AlarmHistoryItem
{
    public string? AlarmName { get; init; }
    /// <summary>MetricAlarm | CompositeAlarm | LogAlarm.</summary>
    public string? AlarmType { get; init; }
    /// <summary>ISO-8601 text or epoch seconds.</summary>
    public JsonElement? Timestamp { get; init; }
    /// <summary>ConfigurationUpdate | StateUpdate | Action.</summary>
    public string? HistoryItemType { get; init; }
    /// <summary>For a state update: "Alarm updated from OK to ALARM".</summary>
    public string? HistorySummary { get; init; }
    /// <summary>JSON text; for a state update <c>{"version":"1.0","oldState":{"stateValue":..},"newState":{"stateValue":..,"stateReason":..}}</c>.</summary>
    public string? HistoryData { get; init; }
}

/// <summary>CloudWatch timestamps as SDK integrations return them.</summary>
public static class CloudWatchTimestamps
{
    /// <summary>ISO-8601 text or epoch seconds (fractions allowed); null when absent or unreadable.</summary>
    public static DateTimeOffset? Read(JsonElement? raw) => raw switch
    {
        { ValueKind: JsonValueKind.String } text when Timestamps.TryParse(text.GetString(), out var at) => at,
        { ValueKind: JsonValueKind.Number } seconds => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds.GetDouble() * 1000)),
        _ => null,
    };
}
