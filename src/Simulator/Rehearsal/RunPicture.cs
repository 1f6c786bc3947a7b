using System.Globalization;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>Traffic from this moment on: percent on Blue and on Green.</summary>
public sealed record WeightPoint(DateTimeOffset At, double Blue, double Green);

/// <summary>A CloudWatch alarm's state change (its "CloudWatch Alarm State Change" event).</summary>
public sealed record AlarmChange(DateTimeOffset At, string Alarm, string? From, string To);

/// <summary>A stage of the run: the first time the upgrade entered a state (or, from a summary, a notification).</summary>
public sealed record StageMark(DateTimeOffset At, string Name);

/// <summary>
/// An approval gate's moment: <c>asked</c> (the question went out and the gate waits), <c>approved</c>, <c>refused</c> or
/// <c>timed out</c>; <paramref name="Kind"/> is the gate (<c>beforeTraffic</c>, <c>beforeFinalize</c>).
/// </summary>
public sealed record ApprovalMark(DateTimeOffset At, string Kind, string Event, string? Detail = null);

/// <summary>
/// What <c>report</c> draws: who was upgraded to what, how it ended, traffic over virtual time, alarm changes, stages and
/// the run record's reason. Built from a rehearsal as it runs (<see cref="RunPictureRecorder"/>) or from a saved
/// <c>rehearse --json</c> summary (<see cref="FromSummaryJson"/>).
/// </summary>
public sealed record RunPicture
{
    public required string Title { get; init; }

    public required string Cluster { get; init; }

    public string? GreenCluster { get; init; }

    public string? BlueVersion { get; init; }

    public string? TargetVersion { get; init; }

    public required string Outcome { get; init; }

    public required string Status { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public IReadOnlyList<WeightPoint> Weights { get; init; } = [];

    public IReadOnlyList<AlarmChange> Alarms { get; init; } = [];

    public IReadOnlyList<StageMark> Stages { get; init; } = [];

    /// <summary>Approval questions and answers: from the gates' histories, or from the run record's <c>approvals</c>.</summary>
    public IReadOnlyList<ApprovalMark> Approvals { get; init; } = [];

    /// <summary>The run record's <c>reason</c> (why it rolled back or failed), else the execution's error and cause.</summary>
    public string? Reason { get; init; }

    /// <summary>Where the picture came from: "rehearsal" or "summary FILE".</summary>
    public required string Source { get; init; }

    public double Seconds => Math.Max(0, (End - Start).TotalSeconds);

    /// <summary>When traffic went back to all Blue after Green had some, in a run that rolled back; null otherwise.</summary>
    public DateTimeOffset? RollbackAt
    {
        get
        {
            var greenHadSome = false;
            foreach (var w in Weights)
            {
                if (w.Green > 0)
                {
                    greenHadSome = true;
                }
                else if (greenHadSome && Outcome is "RolledBack" or "RollbackFailed")
                {
                    return w.At;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// The picture of a saved <c>rehearse --json</c> summary: traffic from the run record's steps (each step's
    /// <c>appliedAt</c> and weight) and its final weights, the alarm from <c>alarmReaction</c>, stages from the notifications.
    /// </summary>
    public static RunPicture FromSummaryJson(JObject summary, string source)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var record = summary.GetObject("runRecord");
        var transcript = (summary.GetArray("transcript") ?? JArray.Empty).OfType<JObject>()
            .Select(t => (At: Time(t.GetString("at")), Subject: t.GetString("subject") ?? string.Empty))
            .Where(t => t.At is not null).Select(t => new StageMark(t.At!.Value, t.Subject)).ToList();
        var start = Time(record?.GetString("startedAt")) ?? transcript.FirstOrDefault()?.At
            ?? throw new RunPictureException($"{source}: no runRecord.startedAt and no transcript: is this a rehearse --json summary?");
        var end = Time(record?.GetString("finishedAt")) ?? start.AddSeconds(summary.GetNumber("virtualSeconds") ?? 0);

        var weights = new List<WeightPoint>();
        if (record?.GetObject("steps") is { } steps)
        {
            weights.Add(new WeightPoint(start, 100, 0));
            foreach (var step in steps.Keys.Select(k => steps.GetObject(k)).OfType<JObject>()
                .Select(s => (At: Time(s.GetString("appliedAt")), Weight: s.GetNumber("weight"))).Where(s => s.At is not null && s.Weight is not null).OrderBy(s => s.At))
            {
                weights.Add(new WeightPoint(step.At!.Value, 100 - step.Weight!.Value, step.Weight.Value));
            }
        }

        if (summary.GetObject("finalWeights") is { } final && final.GetNumber("green") is { } green && final.GetNumber("blue") is { } blue
            && (weights.Count == 0 || weights[^1].Green != green || weights[^1].Blue != blue))
        {
            // The run record keeps each step's weight; the last change (the rollback, or a split that never moved) is the final split.
            weights.Add(new WeightPoint(weights.Count == 0 ? start : end, blue, green));
        }

        var alarms = new List<AlarmChange>();
        if (summary.GetObject("alarmReaction") is { } reaction && Time(reaction.GetString("alarmAt")) is { } alarmAt)
        {
            alarms.Add(new AlarmChange(alarmAt, reaction.GetString("alarm") ?? "?", null, "ALARM"));
        }

        var cluster = record?.GetString("clusterName") ?? "?";
        // The run record's approvals: {kind, requestedAt} when the gate asked, {kind, decision, decidedAt} when it was decided.
        var approvals = (record?.GetArray("approvals") ?? JArray.Empty).OfType<JObject>()
            .Select(a => (At: Time(a.GetString("decidedAt") ?? a.GetString("requestedAt")), Kind: a.GetString("kind") ?? "?", Decision: a.GetString("decision")))
            .Where(a => a.At is not null)
            .Select(a => new ApprovalMark(a.At!.Value, a.Kind, a.Decision switch { null => "asked", "approved" => "approved", "ApprovalTimedOut" => "timed out", _ => "refused" }, a.Decision))
            .OrderBy(a => a.At)
            .ToList();
        return new RunPicture
        {
            Title = summary.GetString("scenario") ?? cluster,
            Cluster = cluster,
            GreenCluster = record?.GetString("greenClusterName"),
            BlueVersion = record?.GetString("blueVersion"),
            TargetVersion = record?.GetString("targetVersion"),
            Outcome = summary.GetString("outcome") ?? "?",
            Status = summary.GetString("status") ?? "?",
            Start = start,
            End = end < start ? start : end,
            Weights = weights,
            Alarms = alarms,
            Stages = transcript,
            Approvals = approvals,
            Reason = ReasonOf(record) ?? JoinReason(summary.GetString("error"), summary.GetString("cause")),
            Source = source,
        };
    }

    /// <summary>
    /// A run record's <c>reason</c> as one line: the map <c>{error, cause}</c> the state machines and the reconciler write
    /// (issue 16), or the text of a record written before (JSON text of <c>{Error, Cause}</c>, or a sentence).
    /// </summary>
    public static string? ReasonOf(JObject? record) => record?["reason"] switch
    {
        JObject map => JoinReason(map.GetString("error"), map.GetString("cause")),
        JString text => text.Value,
        _ => null,
    };

    internal static string? JoinReason(string? error, string? cause) =>
        error is null && cause is null ? null : string.Join(": ", new[] { error, cause }.Where(s => !string.IsNullOrEmpty(s)));

    private static DateTimeOffset? Time(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}

/// <summary>A summary <c>report --history</c> cannot draw.</summary>
public sealed class RunPictureException(string message) : Exception(message);

/// <summary>
/// Watches a rehearsal for <c>report</c>: the traffic split each time it changes (as the load balancer or the name
/// servers apply it, <see cref="TrafficProbe"/>), the first entry of each upgrade state, and, at the end, the alarm
/// state changes CloudWatch published to EventBridge.
/// </summary>
public sealed class RunPictureRecorder : IRehearsalObserver
{
    private const string AlarmStateChange = "CloudWatch Alarm State Change";

    private readonly List<StageMark> _stages = [];
    private readonly HashSet<string> _entered = new(StringComparer.Ordinal);

    /// <summary>The picture, once the rehearsal has finished.</summary>
    public RunPicture? Picture { get; private set; }

    public void Started(UpgradeRehearsal rehearsal)
    {
        ArgumentNullException.ThrowIfNull(rehearsal);
        rehearsal.Upgrade!.EventRecorded += OnUpgradeEvent;
    }

    public void Finished(UpgradeRehearsal rehearsal, RehearsalSummary summary)
    {
        ArgumentNullException.ThrowIfNull(rehearsal);
        ArgumentNullException.ThrowIfNull(summary);
        var upgrade = rehearsal.Upgrade!;
        var input = rehearsal.Input as JObject;
        var record = summary.RunRecord;
        // Every alarm change the run saw, from CloudWatch's events (the ones before the upgrade started set the scene).
        var alarms = rehearsal.Account.Events.Published.Where(e => e.DetailType == AlarmStateChange)
            .Select(e => new AlarmChange(e.Time, e.Detail.GetString("alarmName") ?? "?", e.Detail.GetObject("previousState")?.GetString("value"), e.Detail.GetObject("state")?.GetString("value") ?? "?"))
            .ToList();
        // The split the rehearsal recorded whenever it changed (UpgradeRehearsal.Weights).
        var end = new[] { upgrade.StopDate ?? rehearsal.Account.Scheduler.Now }.Concat(rehearsal.Weights.Select(w => w.At)).Max();
        Picture = new RunPicture
        {
            Title = rehearsal.ScenarioInput ? rehearsal.Scenario.Name : $"{input?.GetString("clusterName") ?? "?"} (world {rehearsal.Scenario.Raw.GetString("world") ?? rehearsal.Scenario.Name})",
            Cluster = input?.GetString("clusterName") ?? "?",
            GreenCluster = record?.GetString("greenClusterName"),
            BlueVersion = record?.GetString("blueVersion"),
            TargetVersion = input?.GetString("targetVersion"),
            Outcome = summary.Outcome,
            Status = summary.Status,
            Start = upgrade.StartDate,
            End = end,
            Weights = [.. rehearsal.Weights],
            Alarms = alarms,
            Stages = _stages.ToList(),
            Approvals = HistoryPicture.Approvals(rehearsal.RunExecutions().Select(e => (IReadOnlyList<JObject>)[.. e.History.Events.Select(h => h.ToJson())])),
            Reason = RunPicture.ReasonOf(record) ?? RunPicture.JoinReason(summary.Error, summary.Cause),
            Source = "rehearsal",
        };
    }

    private void OnUpgradeEvent(Execution execution, HistoryEvent e)
    {
        // Choice and Pass states decide and shape data; the states that act (and wait, and ask) are the stages.
        if (e.Type.EndsWith("StateEntered", StringComparison.Ordinal) && e.StateName is { } name
            && !e.Type.StartsWith("Choice", StringComparison.Ordinal) && !e.Type.StartsWith("Pass", StringComparison.Ordinal) && _entered.Add(name))
        {
            _stages.Add(new StageMark(e.Timestamp, name));
        }
    }
}
