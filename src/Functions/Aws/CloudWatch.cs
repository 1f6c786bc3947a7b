using System.Text.Json;

namespace BlueGreen.Functions.Aws;

/// <summary>The members of DescribeAlarms' output that the alarm verdict reads.</summary>
public sealed record DescribeAlarmsOutput
{
    public IReadOnlyList<AlarmSummary>? MetricAlarms { get; init; }
    public IReadOnlyList<AlarmSummary>? CompositeAlarms { get; init; }
}

/// <summary>MetricAlarm and CompositeAlarm share these members.</summary>
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
