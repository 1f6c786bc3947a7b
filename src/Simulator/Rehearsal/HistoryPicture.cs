using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>
/// The picture of a real execution from its history and its children's (<see cref="ExecutionHistories"/>): traffic from
/// the traffic adapters' weight changes (ELBv2 ModifyRule/ModifyListener forward weights, Route 53
/// ChangeResourceRecordSets weights), each from the moment its task succeeded; alarm states from every DescribeAlarms
/// answer (<c>StateValue</c> changes, at <c>StateUpdatedTimestamp</c>); the stages from the upgrade's own states; approvals
/// from the gates' <c>sns:publish.waitForTaskToken</c> task; the outcome from how the upgrade execution ended.
/// </summary>
public static class HistoryPicture
{
    public static RunPicture Build(SavedHistory root, IReadOnlyList<SavedHistory> tree, int childrenNotGiven)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(tree);
        var input = root.Input as JObject ?? JObject.Empty;
        var start = root.Started ?? throw new RunPictureException($"--history {root.Source}: the history has no events.");
        var last = root.Events[^1];
        var end = ExecutionHistories.Time(last["timestamp"]) ?? start;
        var (status, outcome, reason) = Ending(last);
        var traffic = input.GetObject("traffic") ?? JObject.Empty;
        var known = (Blue: 100.0, Green: 0.0);
        var weights = new List<WeightPoint> { new(start, 100, 0) };
        foreach (var (at, change) in tree.SelectMany(h => SucceededTasks(h, "modifyRule", "modifyListener", "changeResourceRecordSets")).OrderBy(t => t.At))
        {
            known = Weights(change, traffic, known);
            if (weights[^1].Blue != known.Blue || weights[^1].Green != known.Green)
            {
                weights.Add(new WeightPoint(at, known.Blue, known.Green));
            }
        }

        var facts = root.Events.Select(e => ExecutionHistories.Details(e, "stateExitedEventDetails")?.GetString("output")).Select(ExecutionHistories.TryJson).OfType<JObject>().ToList();
        var cluster = input.GetString("clusterName") ?? "?";
        return new RunPicture
        {
            Title = $"{cluster} ({root.Name})",
            Cluster = cluster,
            GreenCluster = facts.Select(f => f.GetObject("plan")?.GetString("greenClusterName")).FirstOrDefault(n => n is not null),
            BlueVersion = facts.Select(f => f.GetObject("preflight")?.GetString("blueVersion")).FirstOrDefault(n => n is not null),
            TargetVersion = input.GetString("targetVersion"),
            Outcome = outcome == "Completed" && facts.Any(f => f.GetString("outcome") == "Planned") ? "Planned" : outcome,
            Status = status,
            Start = start,
            End = end,
            Weights = weights,
            Alarms = AlarmChanges(tree),
            Stages = Stages(root),
            Approvals = Approvals(tree.Select(h => h.Events)),
            Reason = reason,
            Source = $"history {Path.GetFileName(root.Source)} and {tree.Count - 1} child execution(s)" + (childrenNotGiven > 0 ? $" ({childrenNotGiven} named but not given)" : string.Empty),
        };
    }

    /// <summary>Approval moments in the gates' histories: asked when the question is scheduled, then its answer.</summary>
    public static IReadOnlyList<ApprovalMark> Approvals(IEnumerable<IReadOnlyList<JObject>> histories)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var marks = new List<ApprovalMark>();
        foreach (var events in histories)
        {
            string? kind = null;
            foreach (var e in events)
            {
                var at = ExecutionHistories.Time(e["timestamp"]) ?? DateTimeOffset.MinValue;
                if (ExecutionHistories.Details(e, "taskScheduledEventDetails") is { } scheduled
                    && scheduled.GetString("resource") is "startExecution.waitForTaskToken" or "publish.waitForTaskToken")
                {
                    kind = ApprovalKind(ExecutionHistories.TryJson(scheduled.GetString("parameters")) as JObject);
                    marks.Add(new ApprovalMark(at, kind, "asked"));
                    continue;
                }

                if (kind is null)
                {
                    continue;
                }

                var (answer, detail) = e.GetString("type") switch
                {
                    "TaskSucceeded" => ExecutionHistories.TryJson(ExecutionHistories.Details(e, "taskSucceededEventDetails")?.GetString("output")) is JObject output
                        && output["approved"] is { } approved && !(approved is JBool { Value: true }) ? ("refused", "approved: " + approved.ToJson()) : ("approved", null),
                    "TaskFailed" => ("refused", ExecutionHistories.Details(e, "taskFailedEventDetails")?.GetString("error")),
                    "TaskTimedOut" => ("timed out", "States.Timeout"),
                    _ => ((string?)null, (string?)null),
                };
                if (answer is not null)
                {
                    marks.Add(new ApprovalMark(at, kind, answer, detail));
                    kind = null;
                }
            }
        }

        return [.. marks.OrderBy(m => m.At)];
    }

    /// <summary>
    /// The gate's kind (beforeTraffic, beforeFinalize) from its waiting task's parameters: the gate starts ask-approval
    /// with the token (<c>Input.gate.kind</c>); gates of earlier versions published the question themselves
    /// (<c>Message.approval.kind</c>). Parameters hold JSON text where the state gave a string.
    /// </summary>
    private static string ApprovalKind(JObject? parameters)
    {
        static JObject? Json(JValue? value) => value is JString text ? ExecutionHistories.TryJson(text.Value) as JObject : value as JObject;
        return Json(parameters?["Input"])?.GetObject("gate")?.GetString("kind")
            ?? Json(parameters?["Message"])?.GetObject("approval")?.GetString("kind")
            ?? "approval";
    }

    private static (string Status, string Outcome, string? Reason) Ending(JObject last)
    {
        var details = ExecutionHistories.Details(last, "executionFailedEventDetails", "executionAbortedEventDetails", "executionTimedOutEventDetails");
        var reason = RunPicture.JoinReason(details?.GetString("error"), details?.GetString("cause"));
        return last.GetString("type") switch
        {
            "ExecutionSucceeded" => ("SUCCEEDED", "Completed", null),
            "ExecutionFailed" => ("FAILED", details?.GetString("error") switch { "UpgradeRolledBack" => "RolledBack", "RollbackFailed" => "RollbackFailed", _ => "Failed" }, reason),
            "ExecutionAborted" => ("ABORTED", "Aborted", reason),
            "ExecutionTimedOut" => ("TIMED_OUT", "TimedOut", reason),
            _ => ("RUNNING", "Running", null),
        };
    }

    /// <summary>Each task of <paramref name="resources"/> that succeeded: when it did, and the parameters it was scheduled with.</summary>
    private static IEnumerable<(DateTimeOffset At, JObject Parameters)> SucceededTasks(SavedHistory history, params string[] resources)
    {
        JObject? pending = null;
        foreach (var e in history.Events)
        {
            if (ExecutionHistories.Details(e, "taskScheduledEventDetails") is { } scheduled)
            {
                pending = resources.Contains(scheduled.GetString("resource")) ? ExecutionHistories.TryJson(scheduled.GetString("parameters")) as JObject : null;
            }
            else if (pending is not null && e.GetString("type") is "TaskSucceeded" or "TaskFailed" or "TaskTimedOut")
            {
                if (e.GetString("type") == "TaskSucceeded" && ExecutionHistories.Time(e["timestamp"]) is { } at)
                {
                    yield return (at, pending);
                }

                pending = null;
            }
        }
    }

    /// <summary>The split after a weight change, from the run's traffic input (which target group or record set is whose).</summary>
    private static (double Blue, double Green) Weights(JObject change, JObject traffic, (double Blue, double Green) before)
    {
        var (blue, green) = before;
        var forward = (change.GetArray("Actions") ?? JArray.Empty).OfType<JObject>().Select(a => a.GetObject("ForwardConfig")?.GetArray("TargetGroups")).FirstOrDefault(g => g is not null);
        if (forward is not null)
        {
            double Weight(string? arn) => forward.OfType<JObject>().Where(g => g.GetString("TargetGroupArn") == arn).Sum(g => g.GetNumber("Weight") ?? 1);
            (blue, green) = (Weight(traffic.GetString("blueTargetGroupArn")), Weight(traffic.GetString("greenTargetGroupArn")));
        }

        foreach (var set in (change.GetObject("ChangeBatch")?.GetArray("Changes") ?? JArray.Empty).OfType<JObject>().Select(c => c.GetObject("ResourceRecordSet")).OfType<JObject>())
        {
            if (set.GetString("SetIdentifier") == traffic.GetString("blueSetIdentifier"))
            {
                blue = set.GetNumber("Weight") ?? blue;
            }
            else if (set.GetString("SetIdentifier") == traffic.GetString("greenSetIdentifier"))
            {
                green = set.GetNumber("Weight") ?? green;
            }
        }

        var total = blue + green;
        return total <= 0 ? (0, 0) : (Math.Round(100 * blue / total, 1), Math.Round(100 * green / total, 1));
    }

    /// <summary>Each alarm's state as every DescribeAlarms answer showed it; a change is drawn from when CloudWatch says it happened.</summary>
    private static List<AlarmChange> AlarmChanges(IReadOnlyList<SavedHistory> tree)
    {
        var answers = tree.SelectMany(h => h.Events)
            .Select(e => (At: ExecutionHistories.Time(e["timestamp"]), Details: ExecutionHistories.Details(e, "taskSucceededEventDetails")))
            .Where(a => a.At is not null && a.Details?.GetString("resource") == "describeAlarms")
            .OrderBy(a => a.At);
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        var changes = new List<AlarmChange>();
        foreach (var (at, details) in answers)
        {
            var output = ExecutionHistories.TryJson(details!.GetString("output")) as JObject ?? JObject.Empty;
            foreach (var alarm in (output.GetArray("MetricAlarms") ?? JArray.Empty).Concat(output.GetArray("CompositeAlarms") ?? JArray.Empty).OfType<JObject>())
            {
                if (alarm.GetString("AlarmName") is not { } name || alarm.GetString("StateValue") is not { } state || (states.TryGetValue(name, out var was) && was == state))
                {
                    continue;
                }

                var changedAt = ExecutionHistories.Time(alarm["StateUpdatedTimestamp"]) ?? at!.Value;
                changes.Add(new AlarmChange(changedAt > at!.Value ? at.Value : changedAt, name, states.GetValueOrDefault(name), state));
                states[name] = state;
            }
        }

        return changes;
    }

    /// <summary>The upgrade's states that act, wait or ask (not Choice or Pass), each at its first entry.</summary>
    private static IReadOnlyList<StageMark> Stages(SavedHistory root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. root.Events
            .Where(e => e.GetString("type") is { } type && type.EndsWith("StateEntered", StringComparison.Ordinal) && !type.StartsWith("Choice", StringComparison.Ordinal) && !type.StartsWith("Pass", StringComparison.Ordinal))
            .Select(e => (At: ExecutionHistories.Time(e["timestamp"]), Name: e.GetObject("stateEnteredEventDetails")?.GetString("name")))
            .Where(s => s.At is not null && s.Name is not null && seen.Add(s.Name))
            .Select(s => new StageMark(s.At!.Value, s.Name!))];
    }
}
