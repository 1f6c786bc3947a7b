using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// Pass: passes its input on, or its <c>Result</c>, shaped by <c>Parameters</c> and placed by <c>ResultPath</c>.
/// </summary>
internal sealed class PassStateLoader : IStateLoader
{
    public string Type => "Pass";

    public IReadOnlySet<string> Fields { get; } = new HashSet<string>(StringComparer.Ordinal) { "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result", "Assign" };

    public State? Load(StateHeader header, JObject o, string location, LoadContext context) => new PassState
    {
        Name = header.Name, Type = header.Type, Next = header.Next, End = header.End, InputPath = header.InputPath, OutputPath = header.OutputPath, Assign = header.Assign,
        ResultPath = context.PathFieldOf(o, "ResultPath", location, referenceOnly: true),
        Result = o["Result"],
        Parameters = context.TemplateOf(o, "Parameters", location),
    };
}
