using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>One saved <c>aws stepfunctions get-execution-history --output json</c> document.</summary>
/// <param name="Source">The file it came from.</param>
/// <param name="Name">The file's name without <c>.json</c>: the execution's name when saved as docs/operating.md does.</param>
/// <param name="Events">Its <c>events</c>, oldest first.</param>
public sealed record SavedHistory(string Source, string Name, IReadOnlyList<JObject> Events)
{
    /// <summary>The execution's input, from its ExecutionStarted event (<c>executionStartedEventDetails.input</c>).</summary>
    public JValue? Input => Events.FirstOrDefault(e => e.GetString("type") == "ExecutionStarted")?.GetObject("executionStartedEventDetails")?.GetString("input") is { } text
        ? ExecutionHistories.TryJson(text) : null;

    public DateTimeOffset? Started => Events.Count == 0 ? null : ExecutionHistories.Time(Events[0]["timestamp"]);
}

/// <summary>
/// Reads saved execution histories for <c>report --history</c>: one upgrade execution's and, where given, those of the
/// child executions it started (<c>states:startExecution.sync:2</c> tasks name each child's ARN in their output, and pass
/// its input in their parameters), followed down the tree.
/// </summary>
/// <remarks>
/// Shapes from the Step Functions API model (botocore <c>stepfunctions/2016-11-23/service-2.json</c>): GetExecutionHistoryOutput
/// has <c>events</c>; a HistoryEvent has <c>timestamp</c>, <c>type</c>, <c>id</c>, <c>previousEventId</c> and one details member:
/// <c>executionStartedEventDetails</c> (<c>input</c>, <c>roleArn</c>), <c>stateEnteredEventDetails</c> (<c>name</c>,
/// <c>input</c>), <c>taskScheduledEventDetails</c> (<c>resourceType</c>, <c>resource</c>, <c>region</c>, <c>parameters</c>),
/// <c>taskSubmittedEventDetails</c> and <c>taskSucceededEventDetails</c> (<c>resourceType</c>, <c>resource</c>, <c>output</c>),
/// <c>taskFailedEventDetails</c> (<c>error</c>, <c>cause</c>), <c>executionFailedEventDetails</c> (<c>error</c>, <c>cause</c>), ...
/// Inputs, outputs and parameters are JSON text. The CLI prints <c>timestamp</c> as ISO 8601 with an offset (or, under
/// <c>cli_timestamp_format = none</c>, as the API's epoch seconds); both are read.
/// </remarks>
public static class ExecutionHistories
{
    /// <summary>True for a GetExecutionHistory document: an object with an <c>events</c> array.</summary>
    public static bool IsHistoryDocument(JValue document) => document is JObject o && o.GetArray("events") is not null;

    /// <summary>Every <c>.json</c> file of the paths (files, or folders read in name order) that is a history document.</summary>
    /// <exception cref="RunPictureException">A path is missing, or a file is not JSON.</exception>
    public static IReadOnlyList<SavedHistory> Load(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal));
            }
            else
            {
                files.Add(File.Exists(path) ? path : throw new RunPictureException($"--history {path}: no such file or folder."));
            }
        }

        var histories = new List<SavedHistory>();
        foreach (var file in files)
        {
            if (!JValue.TryParse(File.ReadAllText(file), out var document, out var error))
            {
                throw new RunPictureException($"--history {file}: not JSON ({error}).");
            }

            if (IsHistoryDocument(document))
            {
                histories.Add(new SavedHistory(file, Path.GetFileNameWithoutExtension(file), [.. document.AsObject().GetArray("events")!.OfType<JObject>()]));
            }
        }

        return histories;
    }

    /// <summary>
    /// The upgrade's history (the first whose input names a cluster and its traffic and that no execution started) and
    /// every descendant among <paramref name="histories"/>, the upgrade first; and how many child executions the histories
    /// name that were not given.
    /// </summary>
    /// <exception cref="RunPictureException">No upgrade execution's history is among them.</exception>
    public static (SavedHistory Root, IReadOnlyList<SavedHistory> Tree, int ChildrenNotGiven) Tree(IReadOnlyList<SavedHistory> histories)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var root = histories.FirstOrDefault(h => h.Input is JObject input && input.GetString("clusterName") is not null && input.GetObject("traffic") is not null
                && input.GetString("AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID") is null)
            ?? throw new RunPictureException(histories.Count == 0
                ? "--history: no get-execution-history document (an object with an events array) among the files given."
                : $"--history: none of the {histories.Count} execution histories is an upgrade's (an execution input with clusterName and traffic, not started by another execution).");
        var tree = new List<SavedHistory> { root };
        var notGiven = 0;
        for (var i = 0; i < tree.Count; i++)
        {
            var (arns, inputs) = ChildExecutions(tree[i]);
            foreach (var arn in arns)
            {
                var name = arn[(arn.LastIndexOf(':') + 1)..];
                var child = histories.FirstOrDefault(h => h.Name == name || h.Name.EndsWith("." + name, StringComparison.Ordinal))
                    ?? histories.FirstOrDefault(h => !tree.Contains(h) && h.Input is { } input && inputs.Any(i => i.Equals(input)));
                if (child is null)
                {
                    notGiven++;
                }
                else if (!tree.Contains(child))
                {
                    tree.Add(child);
                }
            }
        }

        return (root, tree, notGiven);
    }

    /// <summary>The ARNs of the executions a history's <c>states</c> tasks started, and the inputs they passed.</summary>
    private static (IReadOnlyList<string> Arns, IReadOnlyList<JValue> Inputs) ChildExecutions(SavedHistory history)
    {
        var arns = new List<string>();
        var inputs = new List<JValue>();
        foreach (var e in history.Events)
        {
            if (Details(e, "taskScheduledEventDetails") is { } scheduled && scheduled.GetString("resourceType") == "states"
                && TryJson(scheduled.GetString("parameters")) is JObject parameters && parameters["Input"] is { } input)
            {
                inputs.Add(input is JString quoted && TryJson(quoted.Value) is { } parsed ? parsed : input);
            }

            var text = Details(e, "taskSubmittedEventDetails")?.GetString("output") ?? Details(e, "taskSucceededEventDetails")?.GetString("output")
                ?? Details(e, "taskFailedEventDetails")?.GetString("cause");
            if (Details(e, "taskSubmittedEventDetails", "taskSucceededEventDetails", "taskFailedEventDetails")?.GetString("resourceType") == "states"
                && TryJson(text) is JObject described && described.GetString("ExecutionArn") is { } arn && !arns.Contains(arn))
            {
                arns.Add(arn);
            }
        }

        return (arns, inputs);
    }

    /// <summary>The event's details member, when it has one of <paramref name="members"/>.</summary>
    public static JObject? Details(JObject historyEvent, params string[] members)
    {
        ArgumentNullException.ThrowIfNull(historyEvent);
        return members.Select(historyEvent.GetObject).FirstOrDefault(d => d is not null);
    }

    /// <summary>JSON text parsed, or null when it is absent or not JSON.</summary>
    public static JValue? TryJson(string? text) => text is not null && JValue.TryParse(text, out var value, out _) ? value : null;

    /// <summary>An ISO 8601 timestamp (any offset) or epoch seconds, as the CLI prints them.</summary>
    public static DateTimeOffset? Time(JValue? value) => value switch
    {
        JString s when DateTimeOffset.TryParse(s.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) => t,
        JNumber n => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(n.Value * 1000)),
        _ => null,
    };
}
