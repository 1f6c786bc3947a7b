using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.Alarms;

public sealed record EvaluateAlarmsRequest
{
    [JsonPropertyName("plan")] public required UpgradePlan Plan { get; init; }
    /// <summary>DescribeAlarms(AlarmNames = plan.alarms.names, AlarmTypes = [CompositeAlarm, MetricAlarm]) output.</summary>
    [JsonPropertyName("alarms")] public required DescribeAlarmsOutput Alarms { get; init; }
    /// <summary>$$.State.EnteredTime: recorded as checkedAt.</summary>
    [JsonPropertyName("now")] public required string Now { get; init; }

    /// <summary>
    /// Optional: since when every alarm is known to have been quiet (when Green took all traffic, right after the last
    /// bake's clean checks). Under <c>insufficientData: alarm</c> an alarm whose state changed after this instant left
    /// OK in between and counts as firing even if it is OK again: the finalize check after a long approval wait must
    /// not miss an alarm that fired and recovered while nobody was polling.
    /// </summary>
    [JsonPropertyName("quietSince")] public string? QuietSince { get; init; }
}

public static class AlarmVerdicts
{
    public const string Ok = "OK";
    public const string Alarm = "ALARM";
}

public sealed record AlarmVerdict
{
    /// <summary>OK | ALARM: ALARM means roll back.</summary>
    [JsonPropertyName("verdict")] public required string Verdict { get; init; }
    [JsonPropertyName("firing")] public required IReadOnlyList<FiringAlarm> Firing { get; init; }
    [JsonPropertyName("checkedAt")] public required string CheckedAt { get; init; }
    [JsonPropertyName("alarmsChecked")] public required int AlarmsChecked { get; init; }
    /// <summary>One line for the run record and the rollback reason.</summary>
    [JsonPropertyName("summary")] public required string Summary { get; init; }
}

public sealed record FiringAlarm
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>metric | composite.</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("state")] public required string State { get; init; }
    [JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Reason { get; init; }
}
