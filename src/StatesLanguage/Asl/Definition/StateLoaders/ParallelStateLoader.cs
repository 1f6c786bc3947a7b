using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// Parallel: its branches, each a state machine loaded in the same context (state names stay unique).
/// </summary>
internal sealed class ParallelStateLoader : IStateLoader
{
    public string Type => "Parallel";

    public IReadOnlySet<string> Fields { get; } = new HashSet<string>(StringComparer.Ordinal) { "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Branches", "Retry", "Catch", "Assign" };

    public State? Load(StateHeader header, JObject o, string location, LoadContext context)
    {
        var branches = new List<StateMachineDefinition>();
        if (o.GetArray("Branches") is not { Count: > 0 } branchesJson)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Branches] (a non-empty array)", location);
        }
        else
        {
            for (var i = 0; i < branchesJson.Count; i++)
            {
                if (branchesJson[i] is JObject b && context.LoadBranch(b, $"{location}/Branches[{i}]") is { } branch)
                {
                    branches.Add(branch);
                }
                else if (branchesJson[i] is not JObject)
                {
                    context.Error("SCHEMA_VALIDATION_FAILED", "Each branch must be an object with StartAt and States", $"{location}/Branches[{i}]");
                }
            }
        }

        return new ParallelState
        {
            Name = header.Name, Type = header.Type, Next = header.Next, End = header.End, InputPath = header.InputPath, OutputPath = header.OutputPath, Assign = header.Assign,
            Branches = branches,
            ResultPath = context.PathFieldOf(o, "ResultPath", location, referenceOnly: true),
            Parameters = context.TemplateOf(o, "Parameters", location),
            ResultSelector = context.TemplateOf(o, "ResultSelector", location),
            Retry = RetryCatchLoader.Retriers(context, o, location),
            Catch = RetryCatchLoader.Catchers(context, o, location),
        };
    }
}
