using System.Text.Json;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Reconcile;

/// <summary>
/// Makes the run record and the cluster lock match how an upgrade execution really ended (docs/workflow.md, "The
/// reconciler"). Only fixes what is still wrong, so running it twice, or after restore-blue, changes nothing more:
/// <list type="bullet">
/// <item>An abnormal ending (FAILED, TIMED_OUT, ABORTED) whose execution still holds the lock is restore-blue's: the
/// reconciler leaves traffic, lock and record alone and says so (it is only asked once it has waited for restore-blue).</item>
/// <item>A record still <c>Running</c> becomes terminal with the real ending: Succeeded for SUCCEEDED; otherwise from where
/// traffic is (all on Green: Succeeded; all on Blue: RolledBack if traffic had moved or the run said UpgradeRolledBack,
/// else Failed; not read: Failed if traffic never moved). Never while traffic is split or unknown after it moved.</item>
/// <item>A SUCCEEDED execution's lock is released once the traffic was read and is not split.</item>
/// <item>Split traffic (with no other upgrade holding the cluster), and anything left undone, is notified.</item>
/// </list>
/// </summary>
public static class RunReconciler
{
    public const string RunningStatus = "Running";

    private static readonly string[] Endings = ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

    public static ReconcileVerdict Reconcile(ReconcileRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var execution = request.Execution ?? throw new InvalidInput("execution: required (DescribeExecution of the ended upgrade)");
        var arn = execution.ExecutionArn ?? throw new InvalidInput("execution.ExecutionArn: required");
        var status = execution.Status ?? throw new InvalidInput("execution.Status: required");
        if (!Endings.Contains(status, StringComparer.Ordinal))
        {
            throw new InvalidInput($"execution.Status: {status} is not an ending ({string.Join(", ", Endings)}); a running execution is not reconciled");
        }

        if (!Timestamps.TryParse(request.Now, out var now))
        {
            throw new InvalidInput("now: required, an ISO 8601 time ($$.State.EnteredTime)");
        }

        var reconciler = request.Reconciler ?? throw new InvalidInput("reconciler: required ($$.Execution.Id)");
        var cluster = request.ClusterName ?? throw new InvalidInput("clusterName: required (the execution input's)");
        var lockItem = request.Lock?.Item;
        var heldByRun = lockItem is not null && Text(lockItem, "executionArn") == arn;
        var heldByOther = lockItem is not null && !heldByRun;
        var run = request.Run;
        var (traffic, trafficDescription) = ReadTraffic(request, heldByOther);
        var concerns = new List<string>();
        RecordUpdate? record = null;
        LockRelease? release = null;

        if (heldByRun && status != "SUCCEEDED")
        {
            // restore-blue's: it replays the rollback stored on the lock, records the run and releases the lock.
            concerns.Add($"restore-blue has not released the lock {arn} still holds after {request.RestoreBlueChecks} checks; the reconciler left traffic, lock and run record to it. Check the restore-blue execution for this upgrade (or start restore-blue with this execution's status-change event)");
        }
        else
        {
            if (run is not null && Text(run, "status") == RunningStatus)
            {
                var moved = Bool(run, "trafficMoved") == true;
                var recordStatus = RecordStatus(status, execution.Error, traffic, moved);
                if (recordStatus is null)
                {
                    concerns.Add($"the run record still says Running: traffic {trafficDescription}");
                }
                else
                {
                    record = Update(run, recordStatus, execution, traffic, now, reconciler);
                }
            }

            if (heldByRun)
            {
                if (traffic is "blue" or "green")
                {
                    release = new LockRelease
                    {
                        Key = new Dictionary<string, DynamoValue>(StringComparer.Ordinal) { ["pk"] = DynamoValue.Text(Text(lockItem!, "pk") ?? $"CLUSTER#{cluster}"), ["sk"] = DynamoValue.Text("LOCK") },
                        ExecutionArn = arn,
                        RunKey = run is null ? null : KeyOf(run),
                        Fix = $"lock: released the lock on {cluster} that {arn} still held after it ended {status}; traffic {trafficDescription}",
                    };
                }
                else
                {
                    concerns.Add($"the lock {arn} still holds is kept, so no new upgrade of {cluster} can start: traffic {trafficDescription}");
                }
            }
        }

        if (traffic == "split" && !concerns.Any(c => c.Contains(trafficDescription, StringComparison.Ordinal)))
        {
            concerns.Add($"traffic {trafficDescription}");
        }

        return new ReconcileVerdict
        {
            Ending = status,
            Traffic = traffic,
            TrafficDescription = trafficDescription,
            RecordUpdate = record,
            LockRelease = release,
            Notification = concerns.Count == 0 ? null : Notify(cluster, status, traffic, heldByRun, arn, ThreadId(run, lockItem, arn), concerns),
            Summary = Summary(status, record, release, concerns, trafficDescription),
        };
    }

    /// <summary>Where the traffic goes, as the adapter read it: split, blue, green, unknown or notRead, and a phrase saying so.</summary>
    private static (string State, string Description) ReadTraffic(ReconcileRunRequest request, bool heldByOther)
    {
        if (request.ReadError is { ValueKind: JsonValueKind.Object } error)
        {
            return TrafficState.Unreadable(error);
        }

        if (request.Current is not { } current)
        {
            return ("notRead", heldByOther
                ? "was not read: another upgrade holds the cluster and owns its traffic"
                : request.Run is null ? "was not read: the execution wrote no run record, so it moved no traffic" : "was not read");
        }

        return TrafficState.Of(request.Traffic ?? throw new InvalidInput("traffic: required with current (the run plan's traffic the adapter read)"), current);
    }

    /// <summary>The terminal status the record gets, or null when it cannot be told (split, or unknown after traffic moved).</summary>
    private static string? RecordStatus(string ending, string? error, string traffic, bool moved)
    {
        if (traffic == "split")
        {
            return null;
        }

        if (ending == "SUCCEEDED")
        {
            return "Succeeded";
        }

        return traffic switch
        {
            "green" => "Succeeded",
            "blue" => moved || error == "UpgradeRolledBack" ? "RolledBack" : "Failed",
            _ when error == "UpgradeRolledBack" => "RolledBack",
            _ => moved ? null : "Failed",
        };
    }

    private static RecordUpdate Update(Dictionary<string, JsonElement> run, string status, EndedExecution execution, string traffic, DateTimeOffset now, string reconciler)
    {
        var ending = execution.Status!;
        var fix = $"runRecord: Running, now {status} (the execution ended {ending}{(execution.Error is { } e ? " with " + e : string.Empty)})";
        var reason = execution.Status == "SUCCEEDED"
            ? DynamoValue.Text("The upgrade execution ended SUCCEEDED but its run record still said Running; the reconciler recorded the ending.")
            : new DynamoValue
            {
                M = new Dictionary<string, DynamoValue>(StringComparer.Ordinal)
                {
                    ["error"] = DynamoValue.Text(execution.Error ?? ending),
                    ["cause"] = DynamoValue.Text(FailureCause.Readable(execution.Cause) ?? $"The execution ended {ending} without a cause."),
                },
            };
        var values = new Dictionary<string, DynamoValue>(StringComparer.Ordinal)
        {
            [":status"] = DynamoValue.Text(status),
            [":outcome"] = DynamoValue.Text(status == "Succeeded" ? "Completed" : status),
            [":phase"] = DynamoValue.Text($"Reconciled after the execution ended {ending}"),
            [":reason"] = reason,
            [":finishedAt"] = DynamoValue.Text(Timestamps.Format(StopDate(execution.StopDate) ?? now)),
            [":now"] = DynamoValue.Text(Timestamps.Format(now)),
            [":by"] = DynamoValue.Text(reconciler),
            [":fixes"] = new DynamoValue { SS = [fix] },
            [":running"] = DynamoValue.Text(RunningStatus),
        };
        var set = "SET #status = :status, outcome = :outcome, phase = :phase, reason = :reason, finishedAt = :finishedAt, updatedAt = :now, reconciledAt = :now, reconciledBy = :by";
        if (traffic is "blue" or "green")
        {
            var green = traffic == "green" ? 100 : 0;
            values[":w"] = new DynamoValue { M = new Dictionary<string, DynamoValue>(StringComparer.Ordinal) { ["blue"] = DynamoValue.Number(100 - green), ["green"] = DynamoValue.Number(green) } };
            set += ", weights = :w";
        }

        return new RecordUpdate
        {
            Key = KeyOf(run),
            UpdateExpression = set + " ADD reconciled :fixes",
            ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#status"] = "status" },
            ExpressionAttributeValues = values,
            Status = status,
            Fix = fix,
        };
    }

    private static ReconcileNotification Notify(string cluster, string ending, string traffic, bool heldByRun, string arn, string threadId, List<string> concerns)
    {
        var label = ClusterNames.Label(cluster);
        var (subject, title) = traffic == "split"
            ? ($"Traffic of {label} is split after its upgrade ended {ending}", $"Traffic of {cluster} is split after its upgrade ended {ending}")
            : heldByRun && ending != "SUCCEEDED"
                ? ($"{label}: restore-blue has not released the lock", $"{cluster}: restore-blue has not released the lock")
                : ($"{label}: the reconciler could not finish its upgrade's run", $"{cluster}: the reconciler could not finish its upgrade's run");
        return new ReconcileNotification
        {
            Subject = subject,
            Title = title,
            Description = $"The upgrade execution {arn} ended {ending}. " + string.Join("; ", concerns) + ".",
            ThreadId = threadId,
        };
    }

    private static string Summary(string ending, RecordUpdate? record, LockRelease? release, List<string> concerns, string trafficDescription)
    {
        var fixes = new[] { record?.Fix, release?.Fix }.OfType<string>().ToList();
        return $"The execution ended {ending} and its traffic {trafficDescription}. "
            + (fixes.Count == 0 ? "Nothing to fix." : "To fix: " + string.Join("; ", fixes) + ".")
            + (concerns.Count == 0 ? string.Empty : " Notified: " + string.Join("; ", concerns) + ".");
    }

    private static Dictionary<string, DynamoValue> KeyOf(Dictionary<string, JsonElement> item) => new(StringComparer.Ordinal)
    {
        ["pk"] = DynamoValue.Text(Text(item, "pk") ?? throw new InvalidInput("run.pk: required (the run item as Query returned it)")),
        ["sk"] = DynamoValue.Text(Text(item, "sk") ?? throw new InvalidInput("run.sk: required (the run item as Query returned it)")),
    };

    private static string ThreadId(Dictionary<string, JsonElement>? run, Dictionary<string, JsonElement>? lockItem, string arn) =>
        (run is null ? null : Text(run, "runId")) ?? (lockItem is null ? null : Text(lockItem, "runId")) ?? arn;

    private static DateTimeOffset? StopDate(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } text when Timestamps.TryParse(text.GetString(), out var at) => at,
        { ValueKind: JsonValueKind.Number } millis when millis.TryGetInt64(out var ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms),
        _ => null,
    };

    private static string? Text(Dictionary<string, JsonElement> item, string name) => DynamoItems.Text(item, name);

    /// <summary>A boolean attribute (<c>{"BOOL": ...}</c>, or the Java SDK's <c>Bool</c>), or null.</summary>
    private static bool? Bool(Dictionary<string, JsonElement> item, string name)
    {
        if (!item.TryGetValue(name, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var member in (string[])["BOOL", "Bool"])
        {
            if (value.TryGetProperty(member, out var b) && b.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return b.GetBoolean();
            }
        }

        return null;
    }
}
