using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.Alarms;

/// <summary>
/// Reads the plan's alarms from DescribeAlarms. Any alarm in ALARM (or in INSUFFICIENT_DATA when the plan
/// counts that as alarm) makes the verdict ALARM. An alarm that does not exist is an error, never OK: a
/// typo in an alarm name must not turn the safety net off.
/// </summary>
public static class AlarmEvaluator
{
    public static AlarmVerdict Evaluate(EvaluateAlarmsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Timestamps.TryParse(request.Now, out var now))
        {
            throw new InvalidInput("now: must be an ISO-8601 timestamp ($$.State.EnteredTime)");
        }
        DateTimeOffset? quietSince = null;
        if (request.QuietSince is { } since)
        {
            quietSince = Timestamps.TryParse(since, out var parsed) ? parsed : throw new InvalidInput("quietSince: must be an ISO-8601 timestamp");
        }

        var budget = request.HistoryEventBudget ?? HistoryBudget.DefaultEventsPerCheck;
        if (budget is < 100 or > HistoryBudget.MaxEventsPerCheck)
        {
            throw new InvalidInput($"historyEventBudget: must be 100 to {HistoryBudget.MaxEventsPerCheck} history events, not {budget}");
        }

        var policy = request.Plan.Alarms.InsufficientData;
        var found = new Dictionary<string, (AlarmSummary Alarm, string Kind)>(StringComparer.Ordinal);
        foreach (var alarm in request.Alarms.MetricAlarms ?? [])
        {
            if (alarm.AlarmName is { } name)
            {
                found[name] = (alarm, "metric");
            }
        }
        foreach (var alarm in request.Alarms.CompositeAlarms ?? [])
        {
            if (alarm.AlarmName is { } name)
            {
                found[name] = (alarm, "composite");
            }
        }
        foreach (var alarm in request.Alarms.LogAlarms ?? [])
        {
            if (alarm.AlarmName is { } name)
            {
                found[name] = (alarm, "log");
            }
        }

        var missing = request.Plan.Alarms.Names.Where(n => !found.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            throw new AlarmNotFound([.. missing.Select(n =>
                $"{n} (not returned by DescribeAlarms; check the name, the Region, and that AlarmTypes includes CompositeAlarm and LogAlarm for composite and log alarms)")]);
        }

        var firing = new List<FiringAlarm>();
        var readHistoryOf = new List<AlarmToRead>();
        foreach (var name in request.Plan.Alarms.Names)
        {
            var (alarm, kind) = found[name];
            var state = alarm.StateValue;
            var transitioned = CloudWatchTimestamps.Read(alarm.StateTransitionedTimestamp);
            DateTimeOffset? changedAt = transitioned > quietSince ? transitioned : null;
            if (Counts(state, policy))
            {
                firing.Add(new FiringAlarm { Name = name, Kind = kind, State = state ?? "UNKNOWN", Reason = alarm.StateReason });
            }
            else if (changedAt is { } changed && policy == InsufficientDataPolicies.Alarm)
            {
                // Quiet now, but its state changed while it was not being polled: with every non-OK state counting as
                // an alarm, leaving OK means it fired.
                firing.Add(new FiringAlarm
                {
                    Name = name,
                    Kind = kind,
                    State = $"{state} since {Timestamps.Format(changed)}",
                    Reason = $"its state changed at {Timestamps.Format(changed)}, after {Timestamps.Format(quietSince!.Value)} when it was last seen quiet: it fired and recovered. {alarm.StateReason}".TrimEnd(),
                });
            }
            else if (quietSince is not null && (changedAt is not null || transitioned is null))
            {
                // Under insufficientData: ok the change may have been to INSUFFICIENT_DATA only, which the plan accepts:
                // only the alarm's history (EvaluateAlarmHistory) can tell whether it went through ALARM. An alarm that
                // does not say when it last changed is read too, under either policy.
                readHistoryOf.Add(new AlarmToRead { Name = name, ChangedAt = changedAt is { } at ? Timestamps.Format(at) : null });
            }
        }

        var reads = firing.Count == 0 ? HistoryBudget.Plan(readHistoryOf, quietSince, now, budget) : [];

        var checkedCount = request.Plan.Alarms.Names.Count;
        return new AlarmVerdict
        {
            Verdict = firing.Count == 0 ? AlarmVerdicts.Ok : AlarmVerdicts.Alarm,
            Firing = firing,
            CheckedAt = Timestamps.Format(now),
            AlarmsChecked = checkedCount,
            ReadHistoryOf = reads,
            HistoryCost = HistoryBudget.Cost(reads),
            Summary = firing.Count == 0
                ? $"all {checkedCount} alarm(s) OK"
                : $"{firing.Count} of {checkedCount} alarm(s) firing: " + string.Join(", ", firing.Select(f => $"{f.Name} ({f.State})")),
        };
    }

    /// <summary>Whether an alarm in <paramref name="state"/> stops the rollout under the plan's INSUFFICIENT_DATA policy.</summary>
    internal static bool Counts(string? state, string insufficientDataPolicy) => state switch
    {
        "OK" => false,
        "INSUFFICIENT_DATA" => insufficientDataPolicy == InsufficientDataPolicies.Alarm,
        // ALARM, and any state this code does not know, stop the rollout: failing safe means Blue.
        _ => true,
    };
}
