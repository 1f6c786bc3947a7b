using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Evaluation;
using BlueGreen.Simulator.Asl.Paths;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// The data flow around a state's work (ASL spec, Input and Output Processing): InputPath before it;
/// ResultPath, OutputPath and Assign after it. Parameters and ResultSelector are payload templates,
/// evaluated by the state runners themselves.
/// </summary>
internal static class DataFlow
{
    public static JValue ApplyInputPath(PathField field, JValue raw, StateVisit visit) =>
        field.Discard ? JObject.Empty : field.Path is null ? raw : SelectWholePath(field.Path, raw, visit, "InputPath");

    public static JValue ApplyOutputPath(PathField field, JValue value, StateVisit visit) =>
        field.Discard ? JObject.Empty : field.Path is null ? value : SelectWholePath(field.Path, value, visit, "OutputPath");

    private static JValue SelectWholePath(JsonPath path, JValue data, StateVisit visit, string field)
    {
        if (new PathEnv(data, visit).TrySelect(path, out var value))
        {
            return value;
        }

        throw new StatesException(StatesErrors.Runtime, $"Invalid path '{path.Text}' : No results for path: {field} could not be applied to input '{Truncate(data.ToJson())}'");
    }

    /// <summary>Places <paramref name="result"/> into a copy of <paramref name="raw"/> at a Reference Path.</summary>
    public static JValue ApplyResultPath(PathField field, JValue raw, JValue result, string stateName)
    {
        if (field.Discard)
        {
            return raw;
        }

        if (field.Path is null || field.Path.Segments.Length == 0)
        {
            return result;
        }

        return SetAt(raw, field.Path, 0, result)
            ?? throw new StatesException(StatesErrors.ResultPathMatchFailure, $"Unable to apply ResultPath '{field.Path.Text}' of state '{stateName}' to input '{Truncate(raw.ToJson())}'");
    }

    private static JValue? SetAt(JValue node, JsonPath path, int i, JValue value)
    {
        var last = i == path.Segments.Length - 1;
        switch (path.Segments[i])
        {
            case ChildSegment child when node is JObject o:
                {
                    var existing = o[child.Name];
                    var replaced = last ? value : SetAt(existing ?? JObject.Empty, path, i + 1, value);
                    return replaced is null ? null : o.With(child.Name, replaced);
                }

            case IndexSegment index when node is JArray a && index.Index >= 0 && index.Index < a.Count:
                {
                    var replaced = last ? value : SetAt(a[index.Index], path, i + 1, value);
                    return replaced is null ? null : a.WithItem(index.Index, replaced);
                }

            default:
                return null;
        }
    }

    /// <summary>
    /// Evaluates Assign against <paramref name="data"/> now; the variables change only when the state
    /// completes, so every expression in one Assign sees the values from before it.
    /// </summary>
    public static PendingAssignment Assign(PayloadTemplate? assign, JValue data, StateVisit visit) =>
        assign is null ? default : new PendingAssignment((JObject)assign.Evaluate(new PathEnv(data, visit)));

    private static string Truncate(string json) => json.Length <= 1024 ? json : json[..1024] + "...";
}
