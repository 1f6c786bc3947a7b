using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.CloudWatch;

/// <summary>
/// Amazon CloudWatch metric, composite and log alarms seeded from the world, reached through
/// <c>arn:aws:states:::aws-sdk:cloudwatch:*</c> (errors <c>CloudWatch.*</c>).
/// <para>
/// Alarm states follow the scenario in two ways: event actions (<c>setAlarmState</c>) at given times, and
/// behaviour: a metric alarm that watches a target group, a weighted record or a cluster breaches while
/// that cluster is faulty (<see cref="WorkloadRegistry.IsFaulty"/>) and takes more than its threshold share
/// of traffic. Like CloudWatch's "M out of N" evaluation, it goes to ALARM after DatapointsToAlarm
/// (default EvaluationPeriods) breaching periods, and back to OK after EvaluationPeriods - DatapointsToAlarm
/// + 1 periods without a breach. Everything is driven by change notifications (<see cref="TrafficRegistry.Changed"/>,
/// <see cref="WorkloadRegistry.Changed"/>) and one timer per alarm, never by polling.
/// </para>
/// Every state change is kept in the alarm history and published on the default event bus as a
/// "CloudWatch Alarm State Change" event with the real event's detail shape.
/// </summary>
/// <remarks>World section <c>cloudwatch</c>: see <c>scenarios/README.md</c>.</remarks>
public sealed partial class CloudWatchService : AwsServiceBase
{
    /// <summary>Standard-resolution metric alarms are evaluated once a minute; a SetAlarmState override lasts until then.</summary>
    public static readonly TimeSpan EvaluationInterval = TimeSpan.FromMinutes(1);

    private static readonly string[] StateValues = ["OK", "ALARM", "INSUFFICIENT_DATA"];
    private static readonly string[] AlarmTypeValues = ["CompositeAlarm", "LogAlarm", "MetricAlarm"];

    private readonly SortedDictionary<string, AlarmModel> _alarms = new(StringComparer.Ordinal);
    private readonly List<(AlarmModel Alarm, DateTimeOffset Time, JObject Item)> _history = [];
    private SimulatedAccount? _account;

    public CloudWatchService()
    {
        On("DescribeAlarms", DescribeAlarms);
        On("SetAlarmState", SetAlarmState);
        On("DescribeAlarmHistory", DescribeAlarmHistory);
        On("PutMetricAlarm", PutMetricAlarm);
        On("PutCompositeAlarm", PutCompositeAlarm);
        On("DeleteAlarms", DeleteAlarms);
    }

    public override string SdkName => "cloudwatch";

    public override string ErrorPrefix => "CloudWatch";

    public override string IamPrefix => "cloudwatch";

    public override string ThrottlingErrorCode => "Throttling";

    public override string InternalErrorCode => "InternalServiceError";

    public override string ValidationErrorCode => "ValidationError";

    /// <summary>
    /// How long after a change its history item becomes visible to DescribeAlarmHistory (world field
    /// <c>historyDelay</c>, default none): a history that lags behind DescribeAlarms, which the workflow must survive.
    /// </summary>
    public TimeSpan HistoryDelay { get; private set; } = TimeSpan.Zero;

    /// <summary>The names of every alarm, in name order.</summary>
    public IReadOnlyList<string> AlarmNames => [.. _alarms.Keys];

    /// <summary>The current state of <paramref name="alarmName"/> (<c>OK</c>, <c>ALARM</c>, <c>INSUFFICIENT_DATA</c>), or null when it does not exist.</summary>
    public string? StateOf(string alarmName) => _alarms.GetValueOrDefault(alarmName)?.State;

    private SimulatedAccount Account => _account ?? throw new InvalidOperationException("The CloudWatch service is not attached to an account.");

    private DateTimeOffset Now => Account.Scheduler.Now;

    public override void Attach(SimulatedAccount account)
    {
        _account = account;
        account.Traffic.Changed += Reevaluate;
        account.Workloads.Changed += (_, _) => Reevaluate();
        account.RegisterEventAction("setAlarmState", SetAlarmStateEvent);
    }

    // ---- DescribeAlarms ----------------------------------------------------------------------------------

    private JObject DescribeAlarms(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var names = p.Strings("AlarmNames");
        var prefix = p.OptionalString("AlarmNamePrefix");
        var children = p.OptionalString("ChildrenOfAlarmName");
        var parents = p.OptionalString("ParentsOfAlarmName");
        var state = p.OptionalString("StateValue");
        var actionPrefix = p.OptionalString("ActionPrefix");
        var types = p.Strings("AlarmTypes");
        var max = p.OptionalInt("MaxRecords") ?? 50;
        if (names.Count > 100)
        {
            throw Invalid($"1 validation error detected: Value '[{string.Join(", ", names)}]' at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100");
        }

        if (max is < 1 or > 100)
        {
            throw Invalid($"1 validation error detected: Value '{max}' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and 100");
        }

        if (state is not null && !StateValues.Contains(state))
        {
            throw Invalid($"1 validation error detected: Value '{state}' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", StateValues)}]");
        }

        if (types.FirstOrDefault(t => !AlarmTypeValues.Contains(t)) is { } badType)
        {
            throw Invalid($"1 validation error detected: Value '[{badType}]' at 'alarmTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [{string.Join(", ", AlarmTypeValues)}]]");
        }

        if (names.Count > 0 && prefix is not null)
        {
            throw new AwsServiceException("InvalidParameterCombination", "AlarmNames and AlarmNamePrefix cannot be specified together.");
        }

        if ((children ?? parents) is not null && (names.Count > 0 || prefix is not null || state is not null || actionPrefix is not null || types.Count > 0 || (children is not null && parents is not null)))
        {
            throw new AwsServiceException("InvalidParameterCombination", "ChildrenOfAlarmName and ParentsOfAlarmName cannot be combined with any other filter except MaxRecords and NextToken.");
        }

        IEnumerable<AlarmModel> selected = _alarms.Values;
        if (children is not null)
        {
            var parent = _alarms.GetValueOrDefault(children) as CompositeAlarmModel;
            var childNames = parent?.Rule.Children.Select(NameOf).ToHashSet(StringComparer.Ordinal) ?? [];
            selected = selected.Where(a => childNames.Contains(a.Name));
        }
        else if (parents is not null)
        {
            selected = selected.OfType<CompositeAlarmModel>().Where(c => c.Rule.Children.Select(NameOf).Contains(parents));
        }
        else
        {
            // "If you omit this parameter, only metric alarms are returned, even if composite alarms exist."
            var wanted = types.Count > 0 ? types : ["MetricAlarm"];
            selected = selected.Where(a => wanted.Contains(a.Type));
        }

        if (names.Count > 0)
        {
            selected = selected.Where(a => names.Contains(a.Name));
        }

        if (prefix is not null)
        {
            selected = selected.Where(a => a.Name.StartsWith(prefix, StringComparison.Ordinal));
        }

        if (state is not null)
        {
            selected = selected.Where(a => a.State == state);
        }

        if (actionPrefix is not null)
        {
            selected = selected.Where(a => a.AllActions.Any(x => x.StartsWith(actionPrefix, StringComparison.Ordinal)));
        }

        var page = Pagination.Of(selected.ToList(), p.OptionalString("NextToken"), max, PageTokens.Opaque("alarms", ':'), _ => InvalidNextToken());
        return new JObjectBuilder()
            .Add("CompositeAlarms", JArray.From(page.Items.OfType<CompositeAlarmModel>().Select(a => (JValue)a.ToJson())))
            .Add("MetricAlarms", JArray.From(page.Items.OfType<MetricAlarmModel>().Select(a => (JValue)a.ToJson())))
            .Add("LogAlarms", JArray.From(page.Items.OfType<LogAlarmModel>().Select(a => (JValue)a.ToJson())))
            .Maybe("NextToken", page.NextToken)
            .Build();
    }

    // ---- SetAlarmState -----------------------------------------------------------------------------------

    /// <summary>
    /// "Temporarily sets the state of an alarm for testing purposes": a metric alarm returns to its
    /// evaluated state at the next evaluation (a minute later); a composite alarm when a child changes.
    /// </summary>
    private JObject SetAlarmState(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var name = p.RequiredString("AlarmName");
        var state = p.RequiredString("StateValue");
        var reason = p.OptionalString("StateReason") ?? throw new AwsServiceException("MissingParameter", "The parameter StateReason is required.");
        if (!StateValues.Contains(state))
        {
            throw Invalid($"1 validation error detected: Value '{state}' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", StateValues)}]");
        }

        var data = p.OptionalString("StateReasonData");
        if (data is not null && !JValue.TryParse(data, out _, out _))
        {
            throw new AwsServiceException("InvalidFormat", "StateReasonData is not valid JSON.");
        }

        var alarm = _alarms.GetValueOrDefault(name) ?? throw new AwsServiceException("ResourceNotFound", $"Alarm {name} not found");
        Transition(alarm, state, reason, data);
        if (alarm is MetricAlarmModel metric)
        {
            metric.Revert?.Cancel();
            metric.Revert = Account.Scheduler.Schedule(Now + EvaluationInterval, () =>
            {
                metric.Revert = null;
                if (metric.State != metric.Evaluated)
                {
                    var (r, d) = EvaluationReason(metric, metric.Evaluated, metric.State);
                    Transition(metric, metric.Evaluated, r, d);
                }
            });
        }

        return JObject.Empty;
    }

    /// <summary>
    /// Event action <c>setAlarmState { alarm, state, reason?, for? }</c>: the alarm's evaluation arrives at
    /// <c>state</c> (as if its metric said so) and stays there until the watched condition changes, or for
    /// the <c>for</c> duration, after which it returns to what it was evaluated as before.
    /// </summary>
    private void SetAlarmStateEvent(JObject args)
    {
        var name = args.GetString("alarm") ?? args.GetString("alarmName") ?? throw new Scenarios.ScenarioException("setAlarmState needs 'alarm'");
        var state = args.GetString("state") ?? "ALARM";
        if (!StateValues.Contains(state))
        {
            throw new Scenarios.ScenarioException($"setAlarmState: unknown state '{state}' (OK, ALARM, INSUFFICIENT_DATA)");
        }

        var alarm = _alarms.GetValueOrDefault(name) ?? throw new Scenarios.ScenarioException($"setAlarmState: no alarm '{name}'");
        var before = alarm.Evaluated;
        alarm.Pending?.Cancel();
        alarm.Pending = null;
        alarm.Revert?.Cancel();
        alarm.Revert = null;
        var reason = args.GetString("reason");
        var (evaluationReason, data) = alarm is MetricAlarmModel m ? EvaluationReason(m, state, alarm.State) : ($"Set by the scenario to {state}", null);
        alarm.Evaluated = state;
        Transition(alarm, state, reason ?? evaluationReason, reason is null ? data : null);
        if (args["for"] is { } duration)
        {
            alarm.Revert = Account.Scheduler.Schedule(Now + ServiceFormats.Duration(duration, "setAlarmState.for"), () =>
            {
                alarm.Revert = null;
                alarm.Evaluated = before;
                var (r, d) = alarm is MetricAlarmModel metric ? EvaluationReason(metric, before, alarm.State) : ($"Scenario override ended; back to {before}", null);
                Transition(alarm, before, r, d);
                if (alarm is MetricAlarmModel watched)
                {
                    Resync(watched);
                }
            });
        }
    }

    // ---- History -----------------------------------------------------------------------------------------

    private JObject DescribeAlarmHistory(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var name = p.OptionalString("AlarmName");
        var types = p.Strings("AlarmTypes");
        var itemType = p.OptionalString("HistoryItemType");
        var start = Date(p.OptionalString("StartDate"), "StartDate");
        var end = Date(p.OptionalString("EndDate"), "EndDate");
        var max = p.OptionalInt("MaxRecords") ?? 50;
        if (max is < 1 or > 100)
        {
            throw Invalid($"1 validation error detected: Value '{max}' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and 100");
        }

        var wanted = types.Count > 0 ? types : ["MetricAlarm"];
        var items = _history
            .Where(h => name is null || h.Alarm.Name == name)
            .Where(h => wanted.Contains(h.Alarm.Type))
            .Where(h => itemType is null || h.Item.GetString("HistoryItemType") == itemType)
            .Where(h => (start is null || h.Time >= start) && (end is null || h.Time <= end))
            .Where(h => h.Time + HistoryDelay <= Now)
            .Select(h => h.Item);
        var ordered = (p.OptionalString("ScanBy") ?? "TimestampDescending") == "TimestampAscending" ? items.ToList() : items.Reverse().ToList();
        var page = Pagination.Of(ordered, p.OptionalString("NextToken"), max, PageTokens.Opaque("history", ':'), _ => InvalidNextToken());
        return new JObjectBuilder()
            .Add("AlarmHistoryItems", JArray.From(page.Items.Select(i => (JValue)i)))
            .Maybe("NextToken", page.NextToken)
            .Build();
    }


    private static AwsServiceException InvalidNextToken() => new("InvalidNextToken", "The service returned an invalid next token.");

    private DateTimeOffset? Date(string? text, string member) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d
        : throw Invalid($"{member} '{text}' is not a valid timestamp.");

    private void AddHistory(AlarmModel alarm, string summary, string type, JObject data) =>
        _history.Add((alarm, Now, JObject.Of(
            ("AlarmName", alarm.Name),
            ("AlarmType", alarm.Type),
            ("Timestamp", ServiceFormats.Iso(Now)),
            ("HistoryItemType", type),
            ("HistorySummary", summary),
            ("HistoryData", data.ToJson()))));

    // ---- State changes -----------------------------------------------------------------------------------

    /// <summary>Moves <paramref name="alarm"/> to <paramref name="state"/>: history, the state-change event, then parent composites.</summary>
    private void Transition(AlarmModel alarm, string state, string reason, string? reasonData)
    {
        if (alarm.State == state)
        {
            return;
        }

        var previous = StateJson(alarm.State, alarm.StateReason, alarm.StateReasonData, alarm.StateUpdated);
        var previousValue = alarm.State;
        alarm.State = state;
        alarm.StateReason = reason;
        alarm.StateReasonData = reasonData;
        alarm.StateUpdated = Now;
        alarm.StateTransitioned = Now;
        var current = StateJson(state, reason, reasonData, Now);

        AddHistory(alarm, $"Alarm updated from {previousValue} to {state}", "StateUpdate", JObject.Of(
            ("version", "1.0"),
            ("oldState", HistoryState(previousValue, previous)),
            ("newState", HistoryState(state, current))));
        Account.Events.Publish("aws.cloudwatch", "CloudWatch Alarm State Change", JObject.Of(
            ("alarmName", alarm.Name),
            ("configuration", alarm.EventConfiguration()),
            ("previousState", previous),
            ("state", current)), alarm.Arn);

        foreach (var parent in _alarms.Values.OfType<CompositeAlarmModel>().Where(c => c.Rule.Children.Any(ch => ch == alarm.Name || ch == alarm.Arn)).ToList())
        {
            EvaluateComposite(parent, alarm);
        }
    }

    private static JObject StateJson(string value, string reason, string? reasonData, DateTimeOffset at) => new JObjectBuilder()
        .Add("reason", reason)
        .Maybe("reasonData", reasonData)
        .Add("timestamp", EventTime(at))
        .Add("value", value)
        .Build();

    private static JObject HistoryState(string value, JObject state)
    {
        var builder = new JObjectBuilder().Add("stateValue", value).Add("stateReason", state.GetString("reason")!);
        if (state.GetString("reasonData") is { } data && JValue.TryParse(data, out var parsed, out _))
        {
            builder.Add("stateReasonData", parsed);
        }

        return builder.Build();
    }

    private static string EventTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    private void EvaluateComposite(CompositeAlarmModel composite, AlarmModel? trigger)
    {
        var state = composite.Rule.Evaluate(StateOfChild) ? "ALARM" : "OK";
        composite.Evaluated = state;
        if (composite.State == state)
        {
            return;
        }

        var reason = trigger is null
            ? $"{composite.Arn} was created and its alarm rule evaluates to {state}"
            : $"{trigger.Arn} transitioned to {trigger.State} at {trigger.StateUpdated.UtcDateTime.ToString("dddd d MMMM, yyyy HH:mm:ss", CultureInfo.InvariantCulture)} UTC";
        var triggering = composite.Rule.Children.Select(c => _alarms.GetValueOrDefault(NameOf(c))).OfType<AlarmModel>()
            .Where(a => trigger is null || a == trigger)
            .Select(a => (JValue)JObject.Of(("arn", a.Arn), ("state", JObject.Of(("value", a.State), ("timestamp", EventTime(a.StateUpdated))))));
        Transition(composite, state, reason, JObject.Of(("triggeringAlarms", JArray.From(triggering))).ToJson());
    }

    private string? StateOfChild(string nameOrArn) => _alarms.GetValueOrDefault(NameOf(nameOrArn))?.State;

    private static string NameOf(string nameOrArn)
    {
        const string Marker = ":alarm:";
        var i = nameOrArn.IndexOf(Marker, StringComparison.Ordinal);
        return nameOrArn.StartsWith("arn:", StringComparison.Ordinal) && i >= 0 ? nameOrArn[(i + Marker.Length)..] : nameOrArn;
    }

    // ---- Behaviour: faulty clusters under traffic --------------------------------------------------------

    /// <summary>Re-checks every watching alarm's condition; on a change, reschedules its next transition.</summary>
    private void Reevaluate()
    {
        foreach (var alarm in _alarms.Values.OfType<MetricAlarmModel>().Where(a => a.Watch is not null))
        {
            var breaching = IsBreaching(alarm);
            if (breaching != alarm.Breaching)
            {
                alarm.Breaching = breaching;
                Resync(alarm);
            }
        }
    }

    /// <summary>
    /// Schedules the transition the evaluation will make from here: ALARM after M breaching periods, OK
    /// after N - M + 1 periods without a breach (one period from INSUFFICIENT_DATA).
    /// </summary>
    private void Resync(MetricAlarmModel alarm)
    {
        alarm.Pending?.Cancel();
        alarm.Pending = null;
        var period = TimeSpan.FromSeconds(alarm.EffectivePeriod);
        (string State, TimeSpan After)? next = alarm.Breaching
            ? alarm.Evaluated == "ALARM" ? null : ("ALARM", period * alarm.Required)
            : alarm.Evaluated switch
            {
                "ALARM" => ("OK", period * (alarm.EvaluationPeriods - alarm.Required + 1)),
                "INSUFFICIENT_DATA" => ("OK", period),
                _ => null,
            };
        if (next is { } n)
        {
            alarm.Pending = Account.Scheduler.Schedule(Now + n.After, () =>
            {
                alarm.Pending = null;
                var (reason, data) = EvaluationReason(alarm, n.State, alarm.Evaluated);
                alarm.Evaluated = n.State;
                alarm.Revert?.Cancel();
                alarm.Revert = null;
                Transition(alarm, n.State, reason, data);
            });
        }
    }

    private bool IsBreaching(MetricAlarmModel alarm)
    {
        if (alarm.Watch is not { } watch)
        {
            return false;
        }

        var traffic = Account.Traffic;
        TrafficDestination? targetGroup = watch.TargetGroup is { } tg ? new TrafficDestination.TargetGroup(tg) : null;
        TrafficDestination? record = watch.Record is { } rec ? new TrafficDestination.WeightedRecord(rec, watch.SetIdentifier) : null;
        var destination = targetGroup ?? record;
        var cluster = watch.Cluster
            ?? (targetGroup is null ? null : traffic.ClusterOf(targetGroup))
            ?? (record is null ? null : traffic.ClusterOf(record));
        if (cluster is null || !Account.Workloads.IsFaulty(cluster))
        {
            return false;
        }

        var percent = destination is null ? traffic.PercentOfCluster(cluster) : traffic.PercentOf(destination);
        return percent > watch.AbovePercent;
    }

    /// <summary>CloudWatch's "Threshold Crossed" reason and reason data for an evaluation arriving at <paramref name="state"/>.</summary>
    private (string Reason, string? Data) EvaluationReason(MetricAlarmModel alarm, string state, string from)
    {
        var period = alarm.EffectivePeriod;
        var n = alarm.EvaluationPeriods;
        var breaching = state == "ALARM";
        var count = state switch
        {
            "ALARM" => alarm.Required,
            "OK" when from == "ALARM" => n - alarm.Required + 1,
            _ => 1,
        };
        if (state == "INSUFFICIENT_DATA")
        {
            return ($"Insufficient Data: {n} datapoint{(n == 1 ? " was" : "s were")} unknown.", null);
        }

        var latest = new DateTimeOffset(Now.UtcTicks - (Now.UtcTicks % TimeSpan.FromSeconds(period).Ticks), TimeSpan.Zero) - TimeSpan.FromSeconds(period);
        var value = alarm.ValueWhen(breaching);
        var points = Enumerable.Range(0, count).Select(i => latest - TimeSpan.FromSeconds(period * i)).ToList();
        var list = string.Join(", ", points.Select(t => $"{MetricAlarmModel.JavaDouble(value)} ({t.UtcDateTime.ToString("dd/MM/yy HH:mm:ss", CultureInfo.InvariantCulture)})"));
        var threshold = MetricAlarmModel.JavaDouble(alarm.Threshold ?? 0);
        var reason = $"Threshold Crossed: {count} out of the last {n} datapoints [{list}] {(count == 1 ? "was" : "were")} {(breaching ? string.Empty : "not ")}{alarm.ComparisonText} the threshold ({threshold}) (minimum {count} datapoint{(count == 1 ? string.Empty : "s")} for {from} -> {state} transition).";
        var data = new JObjectBuilder()
            .Add("version", "1.0")
            .Add("queryDate", EventTime(Now))
            .Add("startDate", EventTime(points[^1]))
            .Maybe("statistic", alarm.Statistic)
            .Maybe("extendedStatistic", alarm.ExtendedStatistic)
            .Add("period", period)
            .Add("recentDatapoints", JArray.From(points.Select(_ => (JValue)value)))
            .Add("threshold", alarm.Threshold ?? 0)
            .Add("evaluatedDatapoints", JArray.From(points.Select(t => (JValue)JObject.Of(("timestamp", EventTime(t)), ("value", value)))))
            .Build();
        return (reason, data.ToJson());
    }
}
