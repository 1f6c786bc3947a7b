using System.Globalization;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws.Services.CloudWatch;

/// <summary>Creating alarms: PutMetricAlarm, PutCompositeAlarm, DeleteAlarms and the world's <c>cloudwatch</c> section.</summary>
public sealed partial class CloudWatchService
{
    private static readonly string[] ComparisonOperators =
        ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold", "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"];

    private static readonly string[] Statistics = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

    private JObject PutMetricAlarm(JObject parameters, AwsCallContext context)
    {
        var alarm = BuildMetricAlarm(parameters, inferWatch: true, Invalid);
        if (_alarms.GetValueOrDefault(alarm.Name) is { } existing)
        {
            if (existing is not MetricAlarmModel old)
            {
                throw new AwsServiceException("InvalidParameterCombination", $"The alarm {alarm.Name} is a composite alarm.");
            }

            // "When you update an existing alarm, its state is left unchanged."
            CopyState(old, alarm);
            old.Pending?.Cancel();
            old.Revert?.Cancel();
            alarm.Breaching = old.Breaching;
        }
        else
        {
            AddHistory(alarm, $"Alarm \"{alarm.Name}\" created", "ConfigurationUpdate", JObject.Of(("version", "1.0"), ("type", "Create")));
        }

        _alarms[alarm.Name] = alarm;
        alarm.Breaching = IsBreaching(alarm);
        Resync(alarm);
        return JObject.Empty;
    }

    private JObject PutCompositeAlarm(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var name = p.RequiredString("AlarmName");
        var ruleText = p.RequiredString("AlarmRule");
        if (ruleText.Length > 10240)
        {
            throw Invalid("1 validation error detected: Value at 'alarmRule' failed to satisfy constraint: Member must have length less than or equal to 10240");
        }

        AlarmRule rule;
        try
        {
            rule = AlarmRule.Parse(ruleText);
        }
        catch (FormatException e)
        {
            throw new AwsServiceException("InvalidParameterValue", e.Message);
        }

        if (rule.Children.Select(NameOf).Contains(name))
        {
            throw new AwsServiceException("InvalidParameterValue", "A composite alarm cannot refer to itself in its alarm rule.");
        }

        var composite = _alarms.GetValueOrDefault(name) switch
        {
            CompositeAlarmModel existing => existing,
            null => NewComposite(name, ruleText, rule),
            _ => throw new AwsServiceException("InvalidParameterCombination", $"The alarm {name} is a metric alarm."),
        };
        composite.RuleText = ruleText;
        composite.Rule = rule;
        composite.Description = p.OptionalString("AlarmDescription");
        composite.ActionsEnabled = p.OptionalBool("ActionsEnabled") ?? true;
        composite.AlarmActions = p.Array("AlarmActions");
        composite.OkActions = p.Array("OKActions");
        composite.InsufficientDataActions = p.Array("InsufficientDataActions");
        composite.ConfigurationUpdated = context.Now;
        _alarms[name] = composite;
        EvaluateComposite(composite, trigger: null);
        return JObject.Empty;
    }

    private CompositeAlarmModel NewComposite(string name, string ruleText, AlarmRule rule)
    {
        var composite = new CompositeAlarmModel
        {
            Name = name,
            Arn = Account.Arn("cloudwatch", "alarm:" + name),
            RuleText = ruleText,
            Rule = rule,
            ConfigurationUpdated = Now,
            State = "INSUFFICIENT_DATA",
            StateReason = "Unchecked: Initial alarm creation",
            StateUpdated = Now,
            StateTransitioned = Now,
            Evaluated = "INSUFFICIENT_DATA",
        };
        AddHistory(composite, $"Alarm \"{name}\" created", "ConfigurationUpdate", JObject.Of(("version", "1.0"), ("type", "Create")));
        return composite;
    }

    private JObject DeleteAlarms(JObject parameters, AwsCallContext context)
    {
        var names = Read(parameters).Strings("AlarmNames");
        if (names.FirstOrDefault(n => !_alarms.ContainsKey(n)) is { } missing)
        {
            // "If you specify an incorrect alarm name or make any other error in the operation, no alarms are deleted."
            throw new AwsServiceException("ResourceNotFound", $"Alarm {missing} not found");
        }

        foreach (var name in names)
        {
            var alarm = _alarms[name];
            alarm.Pending?.Cancel();
            alarm.Revert?.Cancel();
            _alarms.Remove(name);
        }

        return JObject.Empty;
    }

    private static void CopyState(AlarmModel from, AlarmModel to)
    {
        to.State = from.State;
        to.StateReason = from.StateReason;
        to.StateReasonData = from.StateReasonData;
        to.StateUpdated = from.StateUpdated;
        to.StateTransitioned = from.StateTransitioned;
        to.Evaluated = from.Evaluated;
    }

    /// <summary>A metric alarm from PutMetricAlarm's parameters (PascalCase), validated as CloudWatch does.</summary>
    private MetricAlarmModel BuildMetricAlarm(JObject parameters, bool inferWatch, Func<string, AwsServiceException> invalid)
    {
        var p = Read(parameters);
        var name = parameters.GetString("AlarmName") is { Length: > 0 } n ? n : throw invalid("1 validation error detected: Value null at 'alarmName' failed to satisfy constraint: Member must not be null");
        var evaluationPeriods = p.OptionalInt("EvaluationPeriods") ?? throw invalid("1 validation error detected: Value null at 'evaluationPeriods' failed to satisfy constraint: Member must not be null");
        var comparison = p.OptionalString("ComparisonOperator") ?? throw invalid("1 validation error detected: Value null at 'comparisonOperator' failed to satisfy constraint: Member must not be null");
        if (!ComparisonOperators.Contains(comparison))
        {
            throw invalid($"1 validation error detected: Value '{comparison}' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", ComparisonOperators)}]");
        }

        if (evaluationPeriods < 1)
        {
            throw invalid("1 validation error detected: Value at 'evaluationPeriods' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }

        var datapoints = p.OptionalInt("DatapointsToAlarm");
        if (datapoints is < 1 || datapoints > evaluationPeriods)
        {
            throw new AwsServiceException("InvalidParameterValue", "DatapointsToAlarm must be between 1 and EvaluationPeriods.");
        }

        var metrics = parameters.GetArray("Metrics");
        var metricName = p.OptionalString("MetricName");
        var statistic = p.OptionalString("Statistic");
        var extended = p.OptionalString("ExtendedStatistic");
        var period = p.OptionalInt("Period");
        if (metrics is { Count: > 0 })
        {
            if (metricName is not null || statistic is not null || extended is not null || parameters.ContainsKey("Dimensions") || period is not null)
            {
                throw new AwsServiceException("InvalidParameterCombination", "Metrics cannot be combined with MetricName, Namespace, Statistic, ExtendedStatistic, Dimensions or Period.");
            }

            if (metrics.OfType<JObject>().Count(m => m.GetBool("ReturnData") ?? true) != 1)
            {
                throw new AwsServiceException("InvalidParameterValue", "Exactly one element of the metrics list should return data.");
            }
        }
        else
        {
            if (metricName is null || p.OptionalString("Namespace") is null)
            {
                throw new AwsServiceException("MissingParameter", "Either MetricName and Namespace, or Metrics, must be specified.");
            }

            if ((statistic is null) == (extended is null))
            {
                throw new AwsServiceException("InvalidParameterCombination", "Exactly one of Statistic and ExtendedStatistic must be specified.");
            }

            if (statistic is not null && !Statistics.Contains(statistic))
            {
                throw invalid($"1 validation error detected: Value '{statistic}' at 'statistic' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", Statistics)}]");
            }

            if (period is null)
            {
                throw new AwsServiceException("MissingParameter", "Period must be specified for an alarm on a single metric.");
            }
        }

        if (period is not null && (period < 10 || (period > 30 && period % 60 != 0) || (period < 60 && period is not (10 or 20 or 30))))
        {
            throw new AwsServiceException("InvalidParameterValue", "Period must be 10, 20, 30 or a multiple of 60.");
        }

        var threshold = parameters.GetNumber("Threshold");
        if (threshold is null && p.OptionalString("ThresholdMetricId") is null)
        {
            throw new AwsServiceException("MissingParameter", "Threshold must be specified.");
        }

        var alarm = new MetricAlarmModel
        {
            Name = name,
            Arn = Account.Arn("cloudwatch", "alarm:" + name),
            Description = p.OptionalString("AlarmDescription"),
            ActionsEnabled = p.OptionalBool("ActionsEnabled") ?? true,
            OkActions = p.Array("OKActions"),
            AlarmActions = p.Array("AlarmActions"),
            InsufficientDataActions = p.Array("InsufficientDataActions"),
            ConfigurationUpdated = Now,
            State = "INSUFFICIENT_DATA",
            StateReason = "Unchecked: Initial alarm creation",
            StateUpdated = Now,
            StateTransitioned = Now,
            Evaluated = "INSUFFICIENT_DATA",
            MetricName = metricName,
            Namespace = p.OptionalString("Namespace"),
            Statistic = statistic,
            ExtendedStatistic = extended,
            Dimensions = p.Array("Dimensions"),
            Period = period,
            Unit = p.OptionalString("Unit"),
            EvaluationPeriods = evaluationPeriods,
            DatapointsToAlarm = datapoints,
            Threshold = threshold,
            ComparisonOperator = comparison,
            TreatMissingData = p.OptionalString("TreatMissingData"),
            Metrics = metrics is { Count: > 0 } ? metrics : null,
            ThresholdMetricId = p.OptionalString("ThresholdMetricId"),
            Tags = [.. p.Array("Tags").OfType<JObject>().Select(t => new KeyValuePair<string, string>(t.GetString("Key") ?? string.Empty, t.GetString("Value") ?? string.Empty))],
        };
        if (inferWatch)
        {
            alarm.Watch = InferWatch(alarm);
        }

        return alarm;
    }

    /// <summary>
    /// An ELB alarm whose TargetGroup dimension names a target group bound to a cluster watches that
    /// target group's traffic (any share above 0%), as the real metric would.
    /// </summary>
    private AlarmWatch? InferWatch(MetricAlarmModel alarm)
    {
        var dimensionSets = new List<JArray> { alarm.Dimensions };
        dimensionSets.AddRange(alarm.Metrics?.OfType<JObject>().Select(m => m.GetObject("MetricStat")?.GetObject("Metric")?.GetArray("Dimensions")).OfType<JArray>() ?? []);
        var targetGroup = dimensionSets.SelectMany(d => d.OfType<JObject>())
            .Where(d => d.GetString("Name") == "TargetGroup")
            .Select(d => d.GetString("Value"))
            .OfType<string>()
            .FirstOrDefault(v => Account.Traffic.ClusterOf(new TrafficDestination.TargetGroup(v)) is not null);
        // The dimension is "targetgroup/NAME/ID"; the watch names the target group.
        return targetGroup is null ? null : new AlarmWatch(targetGroup.Split('/') is [_, var name, _] ? name : targetGroup, null, null, null, 0);
    }

    // ---- World -------------------------------------------------------------------------------------------

    public override void Seed(JObject section, SimulatedAccount account)
    {
        var problems = new List<string>();
        foreach (var key in section.Keys.Where(k => k is not ("metricAlarms" or "logAlarms" or "compositeAlarms" or "historyDelay")))
        {
            problems.Add($"cloudwatch: unknown field '{key}' (allowed: metricAlarms, logAlarms, compositeAlarms, historyDelay)");
        }

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
            try
            {
                var alarm = SeedMetricAlarm(metricAlarms[i] as JObject ?? throw new ScenarioException("must be an object"));
                if (!_alarms.TryAdd(alarm.Name, alarm))
                {
                    throw new ScenarioException($"alarm '{alarm.Name}' is defined twice");
                }
            }
            catch (ScenarioException e)
            {
                problems.Add($"cloudwatch.metricAlarms[{i}]: {e.Message}");
            }
        }

        var logAlarms = section.GetArray("logAlarms") ?? JArray.Empty;
        for (var i = 0; i < logAlarms.Count; i++)
        {
            try
            {
                var alarm = SeedLogAlarm(logAlarms[i] as JObject ?? throw new ScenarioException("must be an object"), account);
                if (!_alarms.TryAdd(alarm.Name, alarm))
                {
                    throw new ScenarioException($"alarm '{alarm.Name}' is defined twice");
                }
            }
            catch (ScenarioException e)
            {
                problems.Add($"cloudwatch.logAlarms[{i}]: {e.Message}");
            }
        }

        var composites = section.GetArray("compositeAlarms") ?? JArray.Empty;
        var seeded = new List<(CompositeAlarmModel Alarm, string? State)>();
        for (var i = 0; i < composites.Count; i++)
        {
            try
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
                if (!_alarms.TryAdd(name, composite))
                {
                    throw new ScenarioException($"alarm '{name}' is defined twice");
                }

                seeded.Add((composite, o.GetString("state")));
            }
            catch (ScenarioException e)
            {
                problems.Add($"cloudwatch.compositeAlarms[{i}]: {e.Message}");
            }
        }

        foreach (var (composite, _) in seeded)
        {
            foreach (var child in composite.Rule.Children.Where(c => !_alarms.ContainsKey(NameOf(c))))
            {
                problems.Add($"cloudwatch.compositeAlarms '{composite.Name}': its rule refers to '{child}', which is not an alarm of the world");
            }
        }

        if (problems.Count > 0)
        {
            throw new ScenarioException(string.Join(Environment.NewLine, problems));
        }

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
}
