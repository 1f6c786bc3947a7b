using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// Fail: Error and Cause, each either a string or a path (or intrinsic function) evaluated when it runs.
/// </summary>
internal sealed class FailStateLoader : IStateLoader
{
    public string Type => "Fail";

    public IReadOnlySet<string> Fields { get; } = new HashSet<string>(StringComparer.Ordinal) { "Error", "ErrorPath", "Cause", "CausePath" };

    public State? Load(StateHeader header, JObject o, string location, LoadContext context)
    {
        if (o.ContainsKey("Error") && o.ContainsKey("ErrorPath"))
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'Error' or 'ErrorPath' can be set", location);
        }

        if (o.ContainsKey("Cause") && o.ContainsKey("CausePath"))
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'Cause' or 'CausePath' can be set", location);
        }

        return new FailState
        {
            Name = header.Name, Type = header.Type,
            Error = context.StringOf(o, "Error", location),
            Cause = context.StringOf(o, "Cause", location),
            ErrorExpression = context.ExpressionOf(o, "ErrorPath", location),
            CauseExpression = context.ExpressionOf(o, "CausePath", location),
        };
    }
}
