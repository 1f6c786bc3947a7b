using System.Globalization;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws.Services.CloudWatch;

/// <summary>
/// Seeding from the world's <c>cloudwatch</c> section (documented in scenarios/README.md): metric, log and composite
/// alarms in the state the world gives them, and what a metric alarm watches (a target group, a weighted record or a
/// cluster under traffic).
/// </summary>
public sealed partial class CloudWatchService
{
    public override void Seed(JObject section, SimulatedAccount account)
    {
        var problems = new WorldProblems();
        problems.UnknownFields(section, "cloudwatch", "metricAlarms", "logAlarms", "compositeAlarms", "historyDelay");

        if (section.TryGet("historyDelay", out var delay))
        {
            try
            {
                HistoryDelay = ServiceFormats.Duration(delay, "historyDelay");
            }
            catch (ScenarioException e)
            {
                problems.Add($"cloudwatch.{e.Message}");
            }
        }

        var metricAlarms = section.GetArray("metricAlarms") ?? JArray.Empty;
        for (var i = 0; i < metricAlarms.Count; i++)
        {
            problems.Try($"cloudwatch.metricAlarms[{i}]", () => AddSeeded(SeedMetricAlarm(metricAlarms[i] as JObject ?? throw new ScenarioException("must be an object"))));
        }

        var logAlarms = section.GetArray("logAlarms") ?? JArray.Empty;
        for (var i = 0; i < logAlarms.Count; i++)
        {
            problems.Try($"cloudwatch.logAlarms[{i}]", () => AddSeeded(SeedLogAlarm(logAlarms[i] as JObject ?? throw new ScenarioException("must be an object"), account)));
        }

        var composites = section.GetArray("compositeAlarms") ?? JArray.Empty;
        var seeded = new List<(CompositeAlarmModel Alarm, string? State)>();
        for (var i = 0; i < composites.Count; i++)
        {
            problems.Try($"cloudwatch.compositeAlarms[{i}]", () =>
            {
                var o = composites[i] as JObject ?? throw new ScenarioException("must be an object");
                var name = o.GetString("name") ?? throw new ScenarioException("'name' is required");
                var ruleText = o.GetString("rule") ?? o.GetString("alarmRule") ?? throw new ScenarioException("'rule' is required");
                AlarmRule rule;
                try
                {
                    rule = AlarmRule.Parse(ruleText);
                }
                catch (FormatException e)
                {
                    throw new ScenarioException(e.Message);
                }

                var composite = new CompositeAlarmModel
                {
                    Name = name,
                    Arn = account.Arn("cloudwatch", "alarm:" + name),
                    RuleText = ruleText,
                    Rule = rule,
                    Description = o.GetString("description"),
                    ActionsEnabled = o.GetBool("actionsEnabled") ?? true,
                    AlarmActions = o.GetArray("alarmActions") ?? JArray.Empty,
                    OkActions = o.GetArray("okActions") ?? JArray.Empty,
                    InsufficientDataActions = o.GetArray("insufficientDataActions") ?? JArray.Empty,
                    ConfigurationUpdated = Now,
                    State = "INSUFFICIENT_DATA",
                    StateReason = "Unchecked: Initial alarm creation",
                    StateUpdated = Now,
                    StateTransitioned = Now,
                    Evaluated = "INSUFFICIENT_DATA",
                    Tags = Tags(o),
                };
                AddSeeded(composite);
                seeded.Add((composite, o.GetString("state")));
            });
        }

        foreach (var (composite, _) in seeded)
        {
            foreach (var child in composite.Rule.Children.Where(c => !_alarms.ContainsKey(NameOf(c))))
            {
                problems.Add($"cloudwatch.compositeAlarms '{composite.Name}': its rule refers to '{child}', which is not an alarm of the world");
            }
        }

        problems.ThrowIfAny();

        // World alarms exist before the world starts: their state is as given, without history or events.
        foreach (var (composite, state) in seeded)
        {
            var computed = composite.Rule.Evaluate(StateOfChild) ? "ALARM" : "OK";
            composite.State = composite.Evaluated = state ?? computed;
            composite.StateReason = $"{composite.Arn} was created and its alarm rule evaluates to {composite.State}";
        }

        foreach (var alarm in _alarms.Values.OfType<MetricAlarmModel>().Where(a => a.Watch is not null))
        {
            alarm.Breaching = IsBreaching(alarm);
            if (alarm.Breaching)
            {
                Resync(alarm);
            }
        }
    }

    private LogAlarmModel SeedLogAlarm(JObject o, SimulatedAccount account)
    {
        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            "name", "description", "queryString", "logGroups", "scheduleExpression", "aggregationExpression", "queryResultsToEvaluate",
            "queryResultsToAlarm", "threshold", "comparisonOperator", "treatMissingData", "actionsEnabled", "alarmActions", "okActions",
            "insufficientDataActions", "state", "stateReason", "tags",
        };
        if (o.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new ScenarioException($"unknown field '{unknown}' (allowed: {string.Join(", ", known)})");
        }

        var name = o.GetString("name") ?? throw new ScenarioException("'name' is required");
        var state = o.GetString("state") ?? "OK";
        if (!StateValues.Contains(state))
        {
            throw new ScenarioException($"state '{state}' is not one of OK, ALARM, INSUFFICIENT_DATA");
        }

        var query = new JObjectBuilder()
            .Add("QueryString", o.GetString("queryString") ?? throw new ScenarioException("'queryString' is required"))
            .Add("ScheduledQueryRoleARN", $"arn:aws:iam::{account.AccountId}:role/cloudwatch-log-alarm-query")
            .Add("ScheduleConfiguration", JObject.Of(("ScheduleExpression", o.GetString("scheduleExpression") ?? "rate(1 minute)"), ("StartTimeOffset", 300)))
            .Add("AggregationExpression", o.GetString("aggregationExpression") ?? "count(*)")
            .Maybe("LogGroupIdentifiers", o.GetArray("logGroups"))
            .Build();
        return new LogAlarmModel
        {
            Name = name,
            Arn = account.Arn("cloudwatch", "alarm:" + name),
            Description = o.GetString("description"),
            ActionsEnabled = o.GetBool("actionsEnabled") ?? true,
            AlarmActions = o.GetArray("alarmActions") ?? JArray.Empty,
            OkActions = o.GetArray("okActions") ?? JArray.Empty,
            InsufficientDataActions = o.GetArray("insufficientDataActions") ?? JArray.Empty,
            ConfigurationUpdated = Now,
            ScheduledQueryConfiguration = query,
            QueryResultsToEvaluate = (int)(o.GetNumber("queryResultsToEvaluate") ?? 1),
            QueryResultsToAlarm = (int)(o.GetNumber("queryResultsToAlarm") ?? 1),
            Threshold = o.GetNumber("threshold") ?? 0,
            ComparisonOperator = o.GetString("comparisonOperator") ?? "GreaterThanThreshold",
            TreatMissingData = o.GetString("treatMissingData"),
            State = state,
            Evaluated = state,
            StateReason = o.GetString("stateReason") ?? $"Query results evaluated to {state}",
            StateUpdated = Now,
            StateTransitioned = Now,
            Tags = Tags(o),
        };
    }

    private MetricAlarmModel SeedMetricAlarm(JObject o)
    {
        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            "name", "description", "namespace", "metricName", "statistic", "extendedStatistic", "dimensions", "period", "unit", "evaluationPeriods",
            "datapointsToAlarm", "threshold", "comparisonOperator", "treatMissingData", "metrics", "thresholdMetricId", "actionsEnabled", "alarmActions",
            "okActions", "insufficientDataActions", "state", "stateReason", "watches", "breachingValue", "normalValue", "tags",
        };
        if (o.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new ScenarioException($"unknown field '{unknown}' (allowed: {string.Join(", ", known)})");
        }

        var dimensions = o["dimensions"] switch
        {
            JObject map => JArray.From(map.Select(d => (JValue)JObject.Of(("Name", d.Key), ("Value", d.Value is JString s ? s.Value : d.Value.ToJson())))),
            JArray list => list,
            _ => null,
        };
        var request = new JObjectBuilder()
            .Maybe("AlarmName", o.GetString("name"))
            .Maybe("AlarmDescription", o.GetString("description"))
            .Maybe("ActionsEnabled", o["actionsEnabled"])
            .Maybe("OKActions", o["okActions"])
            .Maybe("AlarmActions", o["alarmActions"])
            .Maybe("InsufficientDataActions", o["insufficientDataActions"])
            .Maybe("MetricName", o.GetString("metricName"))
            .Maybe("Namespace", o.GetString("namespace"))
            .Maybe("Statistic", o.GetString("statistic"))
            .Maybe("ExtendedStatistic", o.GetString("extendedStatistic"))
            .Maybe("Dimensions", dimensions)
            .Maybe("Period", o["period"])
            .Maybe("Unit", o.GetString("unit"))
            .Maybe("EvaluationPeriods", o["evaluationPeriods"])
            .Maybe("DatapointsToAlarm", o["datapointsToAlarm"])
            .Maybe("Threshold", o["threshold"])
            .Maybe("ComparisonOperator", o.GetString("comparisonOperator"))
            .Maybe("TreatMissingData", o.GetString("treatMissingData"))
            .Maybe("Metrics", o["metrics"])
            .Maybe("ThresholdMetricId", o.GetString("thresholdMetricId"))
            .Build();
        MetricAlarmModel alarm;
        try
        {
            alarm = BuildMetricAlarm(request, inferWatch: o["watches"] is null, message => new AwsServiceException("ValidationError", message));
        }
        catch (AwsServiceException e)
        {
            throw new ScenarioException($"{e.Code}: {e.Message}");
        }

        alarm.Tags.AddRange(Tags(o));
        alarm.BreachingValue = o.GetNumber("breachingValue");
        alarm.NormalValue = o.GetNumber("normalValue");
        if (o["watches"] is JObject watches)
        {
            alarm.Watch = ParseWatch(watches);
        }

        var state = o.GetString("state") ?? "OK";
        if (!StateValues.Contains(state))
        {
            throw new ScenarioException($"state '{state}' is not one of OK, ALARM, INSUFFICIENT_DATA");
        }

        alarm.State = alarm.Evaluated = state;
        var (reason, data) = EvaluationReason(alarm, state, state == "OK" ? "ALARM" : "OK");
        alarm.StateReason = o.GetString("stateReason") ?? reason;
        alarm.StateReasonData = o.GetString("stateReason") is null ? data : null;
        return alarm;
    }

    private AlarmWatch ParseWatch(JObject watches)
    {
        var known = new[] { "targetGroup", "record", "setIdentifier", "cluster", "whenGreenWeightAbove" };
        if (watches.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new ScenarioException($"watches: unknown field '{unknown}' (allowed: {string.Join(", ", known)})");
        }

        var watch = new AlarmWatch(watches.GetString("targetGroup"), watches.GetString("record"), watches.GetString("setIdentifier"), watches.GetString("cluster"), watches.GetNumber("whenGreenWeightAbove") ?? 0);
        if (watch.TargetGroup is null && watch.Record is null && watch.Cluster is null)
        {
            throw new ScenarioException("watches needs 'targetGroup', 'record' (with 'setIdentifier') or 'cluster'");
        }

        if (watch.AbovePercent is < 0 or >= 100)
        {
            throw new ScenarioException(string.Create(CultureInfo.InvariantCulture, $"watches.whenGreenWeightAbove must be a percentage from 0 to below 100, not {watch.AbovePercent}"));
        }

        if (watch.TargetGroup is { } tg && Account.Traffic.Knows(new TrafficDestination.TargetGroup(tg)) == false)
        {
            throw new ScenarioException($"watches.targetGroup: no target group '{tg}' in elbv2.targetGroups");
        }

        if (watch.Record is not null && watch.SetIdentifier is null)
        {
            throw new ScenarioException("watches.record needs 'setIdentifier' (the weighted record whose share is watched)");
        }

        return watch;
    }

    private static List<KeyValuePair<string, string>> Tags(JObject o) =>
        [.. (o.GetObject("tags") ?? JObject.Empty).Select(t => new KeyValuePair<string, string>(t.Key, t.Value is JString s ? s.Value : t.Value.ToJson()))];

    private void AddSeeded(AlarmModel alarm)
    {
        if (!_alarms.TryAdd(alarm.Name, alarm))
        {
            throw new ScenarioException($"alarm '{alarm.Name}' is defined twice");
        }
    }
}
