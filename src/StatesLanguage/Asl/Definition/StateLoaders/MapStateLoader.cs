using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// Map (inline): the item processor, ItemsPath, ItemSelector (or the legacy Parameters) and MaxConcurrency.
/// Distributed Map fields are refused: the local engine does not run Distributed Map.
/// </summary>
internal sealed class MapStateLoader : IStateLoader
{
    public string Type => "Map";

    public IReadOnlySet<string> Fields { get; } = new HashSet<string>(StringComparer.Ordinal) { "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "ItemsPath", "ItemSelector", "ItemProcessor", "Iterator", "MaxConcurrency", "MaxConcurrencyPath", "Retry", "Catch", "Assign", "ItemReader", "ResultWriter", "ItemBatcher", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label" };

    public State? Load(StateHeader header, JObject o, string location, LoadContext context)
    {
        var processorJson = o.GetObject("ItemProcessor") ?? o.GetObject("Iterator");
        var processorField = o.ContainsKey("ItemProcessor") ? "ItemProcessor" : "Iterator";
        if (o.ContainsKey("ItemProcessor") && o.ContainsKey("Iterator"))
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'ItemProcessor' or 'Iterator' can be set", location);
        }

        if (o.ContainsKey("ItemSelector") && o.ContainsKey("Parameters"))
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'ItemSelector' or 'Parameters' can be set", location);
        }

        foreach (var distributedOnly in (string[])["ItemReader", "ResultWriter", "ItemBatcher", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label"])
        {
            if (o.ContainsKey(distributedOnly))
            {
                context.Error("SCHEMA_VALIDATION_FAILED", $"'{distributedOnly}' belongs to Distributed Map, which the local engine does not run; use an inline Map", $"{location}/{distributedOnly}");
            }
        }

        if (processorJson?.GetObject("ProcessorConfig")?.GetString("Mode") is { } mode && mode != "INLINE")
        {
            context.Error("SCHEMA_VALIDATION_FAILED", $"ProcessorConfig Mode '{mode}' is not supported by the local engine; use INLINE", $"{location}/{processorField}/ProcessorConfig/Mode");
        }

        StateMachineDefinition? processor = null;
        if (processorJson is null)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [ItemProcessor]", location);
        }
        else
        {
            processor = context.LoadBranch(processorJson, $"{location}/{processorField}");
        }

        var maxConcurrency = o.TryGet("MaxConcurrency", out var mc) ? context.PositiveInteger(mc, "MaxConcurrency", $"{location}/MaxConcurrency", allowZero: true) ?? 0 : 0;
        var maxConcurrencyPath = context.ReferencePathOf(o, "MaxConcurrencyPath", location);
        if (o.ContainsKey("MaxConcurrency") && maxConcurrencyPath is not null)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'MaxConcurrency' or 'MaxConcurrencyPath' can be set", location);
        }

        var itemsPath = context.ReferencePathOf(o, "ItemsPath", location);
        return processor is null ? null : new MapState
        {
            Name = header.Name, Type = header.Type, Next = header.Next, End = header.End, InputPath = header.InputPath, OutputPath = header.OutputPath, Assign = header.Assign,
            Processor = processor,
            ItemsPath = itemsPath,
            ItemSelector = context.TemplateOf(o, o.ContainsKey("ItemSelector") ? "ItemSelector" : "Parameters", location),
            MaxConcurrency = maxConcurrency,
            MaxConcurrencyPath = maxConcurrencyPath,
            ResultPath = context.PathFieldOf(o, "ResultPath", location, referenceOnly: true),
            ResultSelector = context.TemplateOf(o, "ResultSelector", location),
            Retry = RetryCatchLoader.Retriers(context, o, location),
            Catch = RetryCatchLoader.Catchers(context, o, location),
        };
    }
}
