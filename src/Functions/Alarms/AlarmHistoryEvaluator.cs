using System.Text.Json;
using System.Text.RegularExpressions;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.Alarms;

/// <summary>
/// Decides from one page of an alarm's state history whether it fired after <c>since</c>. The alarm verdict asks for
/// this under <c>insufficientData: ok</c> when an alarm is quiet now but changed state while nobody polled (the change
/// may have been OK to INSUFFICIENT_DATA and back, accepted by the plan, or through ALARM, a rollback), and under
/// either policy when an alarm does not say when it last changed.
/// </summary>
public static partial class AlarmHistoryEvaluator
{
    private static readonly TimeSpan SameChangeTolerance = TimeSpan.FromSeconds(5);

    public static AlarmHistoryVerdict Evaluate(EvaluateAlarmHistoryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (since, changedAt, latestSeen) = Validate(request);
        var policy = request.Plan.Alarms.InsufficientData;
        var changes = (request.History.AlarmHistoryItems ?? [])
            .Where(item => item.AlarmName is null || item.AlarmName == request.AlarmName)
            .Where(item => item.HistoryItemType is null or "StateUpdate")
            // An item without a readable time is kept: it cannot be shown to be older than since.
            .Select(item => (Item: item, At: CloudWatchTimestamps.Read(item.Timestamp)))
            .Where(change => change.At is null || change.At >= since)
            .OrderBy(change => change.At ?? DateTimeOffset.MinValue)
            .ToList();

        foreach (var (item, at) in changes)
        {
            // Leaving a counting state after since means the alarm was in it after since; entering one is firing. A state
            // that cannot be read, old or new, counts: failing safe means Blue.
            var (from, to, reason) = Transition(item);
            if (AlarmEvaluator.Counts(from, policy) || AlarmEvaluator.Counts(to, policy))
            {
                var when = at is { } known ? Timestamps.Format(known) : "an unreadable time";
                return new AlarmHistoryVerdict
                {
                    Verdict = AlarmVerdicts.Alarm,
                    AlarmName = request.AlarmName,
                    StateChanges = changes.Count,
                    FiredAt = at is { } firedAt ? Timestamps.Format(firedAt) : null,
                    LatestSeen = latestSeen is { } seen ? Timestamps.Format(seen) : null,
                    Summary = $"{request.AlarmName} went from {from ?? "UNKNOWN"} to {to ?? "UNKNOWN"} at {when}, after {Timestamps.Format(since)} when it was last seen quiet; it is quiet again now. {reason}".TrimEnd(),
                };
            }
        }

        var newest = changes.Select(c => c.At).Append(latestSeen).Max();
        var lastPage = string.IsNullOrEmpty(request.History.NextToken);
        // A history item's time may differ slightly from StateTransitionedTimestamp for the same change. A metric
        // alarm's changes are at least one evaluation (10 s) apart, so an item within 5 s before it is that change.
        // A composite alarm, or one moved by SetAlarmState, can change faster: then an earlier harmless change could
        // stand in for an unseen one, a small chance accepted to avoid rolling back on clock differences.
        if (lastPage && changedAt is { } reported && !(newest >= reported - SameChangeTolerance))
        {
            // DescribeAlarms reported a change the history does not show yet: it cannot prove the alarm did not fire.
            var seenText = newest is { } n ? Timestamps.Format(n) : "none";
            return new AlarmHistoryVerdict
            {
                Verdict = request.Recheck ? AlarmVerdicts.Alarm : AlarmVerdicts.NotInHistoryYet,
                AlarmName = request.AlarmName,
                StateChanges = changes.Count,
                LatestSeen = newest is { } latest ? Timestamps.Format(latest) : null,
                Summary = request.Recheck
                    ? $"{request.AlarmName}: its history still does not show the state change at {Timestamps.Format(reported)} (newest change read: {seenText}), so it cannot be shown not to have fired; failing safe"
                    : $"{request.AlarmName}: its history does not show the state change at {Timestamps.Format(reported)} yet (newest change read: {seenText})",
            };
        }

        return new AlarmHistoryVerdict
        {
            Verdict = AlarmVerdicts.Ok,
            AlarmName = request.AlarmName,
            StateChanges = changes.Count,
            LatestSeen = newest is { } last ? Timestamps.Format(last) : null,
            Summary = $"{request.AlarmName}: {changes.Count} state change(s) since {Timestamps.Format(since)} on this page, none into or out of a state that counts as an alarm",
        };
    }

    private static (DateTimeOffset Since, DateTimeOffset? ChangedAt, DateTimeOffset? LatestSeen) Validate(EvaluateAlarmHistoryRequest request)
    {
        var problems = new List<string>();
        if (!Timestamps.TryParse(request.Since, out var since))
        {
            problems.Add("since: must be an ISO-8601 timestamp (the quietSince of the alarm verdict)");
        }
        if (!request.Plan.Alarms.Names.Contains(request.AlarmName, StringComparer.Ordinal))
        {
            problems.Add($"alarmName: {request.AlarmName} is not one of the plan's alarms");
        }
        var changedAt = OptionalTimestamp(request.ChangedAt, "changedAt", problems);
        var latestSeen = OptionalTimestamp(request.LatestSeen, "latestSeen", problems);
        return problems.Count > 0 ? throw new InvalidInput(problems) : (since, changedAt, latestSeen);
    }

    private static DateTimeOffset? OptionalTimestamp(string? text, string member, List<string> problems)
    {
        if (text is null)
        {
            return null;
        }

        if (Timestamps.TryParse(text, out var at))
        {
            return at;
        }

        problems.Add($"{member}: must be an ISO-8601 timestamp or null");
        return null;
    }

    /// <summary>
    /// The old and new state of a state update, from HistoryData (structured) or else from HistorySummary. A state that
    /// cannot be read is null, which <see cref="AlarmEvaluator.Counts"/> treats as firing: failing safe means Blue.
    /// </summary>
    private static (string? From, string? To, string? Reason) Transition(AlarmHistoryItem item)
    {
        if (item.HistoryData is { } data)
        {
            try
            {
                using var document = JsonDocument.Parse(data);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object
                    && root.TryGetProperty("newState", out var newState) && newState.ValueKind == JsonValueKind.Object
                    && newState.TryGetProperty("stateValue", out var to) && to.ValueKind == JsonValueKind.String)
                {
                    return (StateValue(root, "oldState"), to.GetString(), StringMember(newState, "stateReason"));
                }
            }
            catch (JsonException)
            {
                // Not JSON: the summary below may still say what happened.
            }
        }

        var summary = item.HistorySummary is { } text ? SummaryPattern().Match(text) : Match.Empty;
        return summary.Success ? (summary.Groups["from"].Value, summary.Groups["to"].Value, null) : (null, null, item.HistorySummary);
    }

    private static string? StateValue(JsonElement root, string member) =>
        root.TryGetProperty(member, out var state) && state.ValueKind == JsonValueKind.Object ? StringMember(state, "stateValue") : null;

    private static string? StringMember(JsonElement element, string member) =>
        element.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex(@"^Alarm updated from (?<from>[A-Z_]+) to (?<to>[A-Z_]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SummaryPattern();
}
