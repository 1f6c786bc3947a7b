using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// Succeed: ends its state machine (or branch, or iteration) successfully; only InputPath and OutputPath.
/// </summary>
internal sealed class SucceedStateLoader : IStateLoader
{
    public string Type => "Succeed";

    public IReadOnlySet<string> Fields { get; } = new HashSet<string>(StringComparer.Ordinal) { "InputPath", "OutputPath" };

    public State? Load(StateHeader header, JObject o, string location, LoadContext context) =>
        new SucceedState { Name = header.Name, Type = header.Type, InputPath = header.InputPath, OutputPath = header.OutputPath };
}
