using System.Globalization;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.CloudWatch;

/// <summary>What an alarm's state is and since when; shared by metric and composite alarms.</summary>
internal abstract class AlarmModel
{
    public required string Name { get; init; }

    public required string Arn { get; init; }

    public string? Description { get; set; }

    public bool ActionsEnabled { get; set; } = true;

    public JArray OkActions { get; set; } = JArray.Empty;

    public JArray AlarmActions { get; set; } = JArray.Empty;

    public JArray InsufficientDataActions { get; set; } = JArray.Empty;

    public required DateTimeOffset ConfigurationUpdated { get; set; }

    public required string State { get; set; }

    public required string StateReason { get; set; }

    public string? StateReasonData { get; set; }

    public required DateTimeOffset StateUpdated { get; set; }

    public required DateTimeOffset StateTransitioned { get; set; }

    /// <summary>The state CloudWatch's own evaluation arrived at; SetAlarmState overrides <see cref="State"/> only until the next evaluation.</summary>
    public required string Evaluated { get; set; }

    /// <summary>The next scheduled state change (an evaluation crossing, or the end of a SetAlarmState override).</summary>
    public VirtualScheduler.Timer? Pending { get; set; }

    /// <summary>When a SetAlarmState call's override ends and the alarm returns to <see cref="Evaluated"/>.</summary>
    public VirtualScheduler.Timer? Revert { get; set; }

    public List<KeyValuePair<string, string>> Tags { get; init; } = [];

    public abstract string Type { get; }

    public IEnumerable<string> AllActions => OkActions.Concat(AlarmActions).Concat(InsufficientDataActions).OfType<JString>().Select(a => a.Value);

    public abstract JObject ToJson();

    /// <summary>The <c>configuration</c> member of the "CloudWatch Alarm State Change" event.</summary>
    public abstract JObject EventConfiguration();

    protected JObjectBuilder Common() => new JObjectBuilder()
        .Add("AlarmName", Name)
        .Add("AlarmArn", Arn)
        .Maybe("AlarmDescription", Description)
        .Add("AlarmConfigurationUpdatedTimestamp", ServiceFormats.Iso(ConfigurationUpdated))
        .Add("ActionsEnabled", ActionsEnabled)
        .Add("OKActions", OkActions)
        .Add("AlarmActions", AlarmActions)
        .Add("InsufficientDataActions", InsufficientDataActions)
        .Add("StateValue", State)
        .Add("StateReason", StateReason)
        .Maybe("StateReasonData", StateReasonData)
        .Add("StateUpdatedTimestamp", ServiceFormats.Iso(StateUpdated));
}

/// <summary>
/// What a metric alarm watches in the simulated world: the traffic share of a target group, of a weighted
/// record, or of everything bound to a cluster. The alarm breaches while that cluster is faulty and its
/// share is above <see cref="AbovePercent"/>.
/// </summary>
internal sealed record AlarmWatch(string? TargetGroup, string? Record, string? SetIdentifier, string? Cluster, double AbovePercent)
{
    public JObject ToJson() => new JObjectBuilder()
        .Maybe("targetGroup", TargetGroup)
        .Maybe("record", Record)
        .Maybe("setIdentifier", SetIdentifier)
        .Maybe("cluster", Cluster)
        .Add("whenGreenWeightAbove", AbovePercent)
        .Build();
}

internal sealed class MetricAlarmModel : AlarmModel
{
    public string? MetricName { get; set; }

    public string? Namespace { get; set; }

    public string? Statistic { get; set; }

    public string? ExtendedStatistic { get; set; }

    /// <summary>Dimensions in the API shape: <c>[{Name, Value}]</c>.</summary>
    public JArray Dimensions { get; set; } = JArray.Empty;

    public int? Period { get; set; }

    public string? Unit { get; set; }

    public required int EvaluationPeriods { get; set; }

    public int? DatapointsToAlarm { get; set; }

    public double? Threshold { get; set; }

    public required string ComparisonOperator { get; set; }

    public string? TreatMissingData { get; set; }

    /// <summary>Metric math queries (API shape), when the alarm is on an expression.</summary>
    public JArray? Metrics { get; set; }

    public string? ThresholdMetricId { get; set; }

    public AlarmWatch? Watch { get; set; }

    public double? BreachingValue { get; set; }

    public double? NormalValue { get; set; }

    /// <summary>Whether the watched condition holds now (a faulty cluster taking more than its share of traffic).</summary>
    public bool Breaching { get; set; }

    public override string Type => "MetricAlarm";

    /// <summary>The period datapoints are aggregated over: the alarm's, or its first metric query's.</summary>
    public int EffectivePeriod => Period
        ?? Metrics?.OfType<JObject>().Select(m => (int?)(m.GetNumber("Period") ?? m.GetObject("MetricStat")?.GetNumber("Period"))).FirstOrDefault(p => p is not null)
        ?? 60;

    /// <summary>M of "M out of N": breaching datapoints needed for ALARM.</summary>
    public int Required => DatapointsToAlarm ?? EvaluationPeriods;

    public bool IsGreaterComparison => ComparisonOperator.StartsWith("Greater", StringComparison.Ordinal);

    public double ValueWhen(bool breaching)
    {
        var threshold = Threshold ?? 0;
        return breaching
            ? BreachingValue ?? (IsGreaterComparison ? (threshold > 0 ? threshold * 2 : threshold + 1) : threshold / 2)
            : NormalValue ?? (IsGreaterComparison ? 0 : (threshold > 0 ? threshold * 2 : threshold + 1));
    }

    public override JObject ToJson()
    {
        var builder = Common()
            .Maybe("MetricName", MetricName)
            .Maybe("Namespace", Namespace)
            .Maybe("Statistic", Statistic)
            .Maybe("ExtendedStatistic", ExtendedStatistic)
            .Add("Dimensions", Dimensions)
            .Maybe("Period", Period)
            .Maybe("Unit", Unit)
            .Add("EvaluationPeriods", EvaluationPeriods)
            .Maybe("DatapointsToAlarm", DatapointsToAlarm)
            .Maybe("Threshold", Threshold)
            .Add("ComparisonOperator", ComparisonOperator)
            .Maybe("TreatMissingData", TreatMissingData)
            .Maybe("Metrics", Metrics)
            .Maybe("ThresholdMetricId", ThresholdMetricId)
            .Add("StateTransitionedTimestamp", ServiceFormats.Iso(StateTransitioned));
        return builder.Build();
    }

    public override JObject EventConfiguration()
    {
        var metrics = Metrics is { Count: > 0 }
            ? Metrics.OfType<JObject>().Select(EventQuery)
            : [JObject.Of(
                ("id", Ids.StableHex("metric:" + Arn, 8) + "-" + Ids.StableHex("metric2:" + Arn, 4) + "-" + Ids.StableHex("metric3:" + Arn, 4) + "-" + Ids.StableHex("metric4:" + Arn, 4) + "-" + Ids.StableHex("metric5:" + Arn, 12)),
                ("metricStat", JObject.Of(
                    ("metric", new JObjectBuilder().Add("dimensions", DimensionMap(Dimensions)).Maybe("name", MetricName).Maybe("namespace", Namespace).Build()),
                    ("period", EffectivePeriod),
                    ("stat", ExtendedStatistic ?? Statistic ?? "Average"))),
                ("returnData", true))];
        return new JObjectBuilder().Maybe("description", Description).Add("metrics", JArray.From(metrics.Select(m => (JValue)m))).Build();
    }

    private static JObject EventQuery(JObject query)
    {
        var builder = new JObjectBuilder().Maybe("expression", query.GetString("Expression")).Add("id", query.GetString("Id") ?? "m1").Maybe("label", query.GetString("Label"));
        if (query.GetObject("MetricStat") is { } stat)
        {
            var metric = stat.GetObject("Metric") ?? JObject.Empty;
            builder.Add("metricStat", new JObjectBuilder()
                .Add("metric", new JObjectBuilder()
                    .Add("dimensions", DimensionMap(metric.GetArray("Dimensions") ?? JArray.Empty))
                    .Maybe("name", metric.GetString("MetricName"))
                    .Maybe("namespace", metric.GetString("Namespace"))
                    .Build())
                .Maybe("period", stat.GetNumber("Period"))
                .Maybe("stat", stat.GetString("Stat"))
                .Build());
        }

        return builder.Add("returnData", query.GetBool("ReturnData") ?? true).Build();
    }

    private static JObject DimensionMap(JArray dimensions) =>
        JObject.From(dimensions.OfType<JObject>().Select(d => new KeyValuePair<string, JValue>(d.GetString("Name") ?? string.Empty, d.GetString("Value") ?? string.Empty)));

    /// <summary>"greater than", "less than or equal to"...: how reasons describe the comparison.</summary>
    public string ComparisonText => ComparisonOperator switch
    {
        "GreaterThanOrEqualToThreshold" => "greater than or equal to",
        "GreaterThanThreshold" => "greater than",
        "LessThanThreshold" => "less than",
        "LessThanOrEqualToThreshold" => "less than or equal to",
        _ => ComparisonOperator,
    };

    public static string JavaDouble(double value) =>
        Math.Floor(value) == value && Math.Abs(value) < 1e7 ? value.ToString("0.0", CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);
}

internal sealed class CompositeAlarmModel : AlarmModel
{
    public required string RuleText { get; set; }

    public required AlarmRule Rule { get; set; }

    public override string Type => "CompositeAlarm";

    public override JObject ToJson() => Common()
        .Add("AlarmRule", RuleText)
        .Add("StateTransitionedTimestamp", ServiceFormats.Iso(StateTransitioned))
        .Build();

    public override JObject EventConfiguration() => new JObjectBuilder()
        .Add("alarmRule", RuleText)
        .Maybe("description", Description)
        .Build();
}

/// <summary>
/// An alarm on a scheduled CloudWatch Logs Insights query (AlarmType <c>LogAlarm</c>; CloudWatch API model, PutLogAlarm
/// and DescribeAlarmsOutput.LogAlarms). The simulator runs no queries: its state is the world's and the scenario's
/// (<c>setAlarmState</c>, SetAlarmState).
/// </summary>
internal sealed class LogAlarmModel : AlarmModel
{
    public required JObject ScheduledQueryConfiguration { get; init; }

    public required int QueryResultsToEvaluate { get; init; }

    public required int QueryResultsToAlarm { get; init; }

    public required double Threshold { get; init; }

    public required string ComparisonOperator { get; init; }

    public string? TreatMissingData { get; init; }

    public override string Type => "LogAlarm";

    public override JObject ToJson() => Common()
        .Add("ScheduledQueryConfiguration", ScheduledQueryConfiguration)
        .Add("QueryResultsToEvaluate", QueryResultsToEvaluate)
        .Add("QueryResultsToAlarm", QueryResultsToAlarm)
        .Add("Threshold", Threshold)
        .Add("ComparisonOperator", ComparisonOperator)
        .Maybe("TreatMissingData", TreatMissingData)
        .Add("StateTransitionedTimestamp", ServiceFormats.Iso(StateTransitioned))
        .Build();

    public override JObject EventConfiguration() => new JObjectBuilder()
        .Maybe("description", Description)
        .Add("query", ScheduledQueryConfiguration.GetString("QueryString") ?? string.Empty)
        .Build();
}
