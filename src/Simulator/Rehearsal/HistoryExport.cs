using System.Globalization;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>
/// <c>rehearse --history-out DIR</c>: one file per execution of the run (the upgrade and every child execution), each what
/// <c>aws stepfunctions get-execution-history --execution-arn ARN --output json</c> prints for it, named
/// <c>&lt;execution name&gt;.json</c>; <c>report --history DIR</c> draws them.
/// </summary>
/// <remarks>
/// The shape is GetExecutionHistoryOutput of the Step Functions API model (botocore
/// <c>botocore/data/stepfunctions/2016-11-23/service-2.json</c>: <c>events</c>, each with <c>timestamp</c>, <c>type</c>,
/// <c>id</c>, <c>previousEventId</c> and one <c>*EventDetails</c> member). The AWS CLI prints timestamps in ISO 8601 with the
/// local offset and microseconds (its default <c>cli_timestamp_format = iso8601</c>); so does this export, in UTC.
/// </remarks>
public static class HistoryExport
{
    /// <summary>Writes the files and returns the execution names written, the upgrade's first.</summary>
    public static IReadOnlyList<string> Write(UpgradeRehearsal rehearsal, string directory)
    {
        ArgumentNullException.ThrowIfNull(rehearsal);
        Directory.CreateDirectory(directory);
        var names = new List<string>();
        foreach (var execution in rehearsal.RunExecutions())
        {
            File.WriteAllText(Path.Combine(directory, execution.Name + ".json"), Document(execution).ToJson());
            names.Add(execution.Name);
        }

        return names;
    }

    /// <summary>The GetExecutionHistory document of one execution, as the AWS CLI prints it.</summary>
    public static JObject Document(Execution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return JObject.Of(("events", JArray.From(execution.History.Events.Select(e => (JValue)e.ToJson().With("timestamp", CliTimestamp(e.Timestamp))))));
    }

    /// <summary>Python's <c>datetime.isoformat()</c>, which the AWS CLI prints: <c>2026-11-23T09:00:00.250000+00:00</c>.</summary>
    public static string CliTimestamp(DateTimeOffset at) =>
        at.ToUniversalTime().ToString(at.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'+00:00'" : "yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
}
