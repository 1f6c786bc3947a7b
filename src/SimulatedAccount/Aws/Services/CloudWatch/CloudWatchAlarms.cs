using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.CloudWatch;

/// <summary>Creating alarms: PutMetricAlarm, PutCompositeAlarm and DeleteAlarms (the world's alarms are <c>CloudWatchWorld.cs</c>).</summary>
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
}
