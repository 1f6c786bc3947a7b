using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// Wait: exactly one of Seconds, SecondsPath, Timestamp (an RFC 3339 timestamp, see
/// <see cref="Rfc3339Timestamp"/>) and TimestampPath.
/// </summary>
internal sealed class WaitStateLoader : IStateLoader
{
    private static readonly string[] Durations = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];

    public string Type => "Wait";

    public IReadOnlySet<string> Fields { get; } = new HashSet<string>(StringComparer.Ordinal) { "Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath", "Assign" };

    public State? Load(StateHeader header, JObject o, string location, LoadContext context)
    {
        var present = Durations.Where(o.ContainsKey).ToList();
        if (present.Count != 1)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "Exactly one of 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath' is required", location);
        }

        DateTimeOffset? timestamp = null;
        if (o.TryGet("Timestamp", out var tsValue))
        {
            if (tsValue is JString s && Rfc3339Timestamp.TryParse(s.Value, out var parsed))
            {
                timestamp = parsed;
            }
            else
            {
                context.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Timestamp' must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z", $"{location}/Timestamp");
            }
        }

        return new WaitState
        {
            Name = header.Name, Type = header.Type, Next = header.Next, End = header.End, InputPath = header.InputPath, OutputPath = header.OutputPath, Assign = header.Assign,
            Seconds = o.TryGet("Seconds", out var sec) ? context.PositiveInteger(sec, "Seconds", $"{location}/Seconds", allowZero: true) : null,
            SecondsPath = context.ReferencePathOf(o, "SecondsPath", location),
            Timestamp = timestamp,
            TimestampPath = context.ReferencePathOf(o, "TimestampPath", location),
        };
    }
}
