using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// Loads one state: checks its Type and that it has only the fields its kind allows, reads what every
/// state shares (Next or End, InputPath, OutputPath, Assign), then hands over to the loader of its kind.
/// </summary>
internal static class StateLoader
{
    private static readonly HashSet<string> CommonFields = ["Type", "Comment", "QueryLanguage"];

    private static readonly Dictionary<string, IStateLoader> Loaders = new IStateLoader[]
    {
        new PassStateLoader(),
        new TaskStateLoader(),
        new ChoiceStateLoader(),
        new WaitStateLoader(),
        new SucceedStateLoader(),
        new FailStateLoader(),
        new ParallelStateLoader(),
        new MapStateLoader(),
    }.ToDictionary(l => l.Type, StringComparer.Ordinal);

    public static State? Load(LoadContext context, string name, JObject o, string location)
    {
        var type = o.GetString("Type");
        if (type is null || !Loaders.TryGetValue(type, out var loader))
        {
            context.Error("SCHEMA_VALIDATION_FAILED", type is null ? "These fields are required: [Type]" : $"The value for the field 'Type' must be one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map but was '{type}'", $"{location}/Type");
            return null;
        }

        var allowed = loader.Fields;
        foreach (var key in o.Keys)
        {
            if (!allowed.Contains(key) && !CommonFields.Contains(key))
            {
                context.Error("SCHEMA_VALIDATION_FAILED", $"The field '{key}' is not supported by state type {type}", $"{location}/{key}");
            }
        }

        context.CheckQueryLanguage(o, location);
        var next = o.GetString("Next");
        var end = o.GetBool("End") ?? false;
        if (o.TryGet("End", out var endValue) && endValue is not JBool)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'End' must be a BOOLEAN", $"{location}/End");
        }

        if (o.TryGet("Next", out var nextValue) && nextValue is not JString)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Next' must be a STRING", $"{location}/Next");
        }

        if (allowed.Contains("Next"))
        {
            if (next is not null && end)
            {
                context.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'Next' or 'End' can be set", location);
            }
            else if (next is null && !end)
            {
                context.Error("SCHEMA_VALIDATION_FAILED", "Either 'Next' or 'End: true' is required", location);
            }
        }

        var inputPath = context.PathFieldOf(o, "InputPath", location, referenceOnly: false);
        var outputPath = context.PathFieldOf(o, "OutputPath", location, referenceOnly: false);
        var assign = context.AssignOf(o, location);
        return loader.Load(new StateHeader(name, type, next, end, inputPath, outputPath, assign), o, location, context);
    }
}
