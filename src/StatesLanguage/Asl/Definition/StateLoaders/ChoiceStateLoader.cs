using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// Choice: its rules in order (each condition loaded by <see cref="ChoiceConditionLoader"/>) and the Default.
/// </summary>
internal sealed class ChoiceStateLoader : IStateLoader
{
    public string Type => "Choice";

    public IReadOnlySet<string> Fields { get; } = new HashSet<string>(StringComparer.Ordinal) { "InputPath", "OutputPath", "Choices", "Default", "Assign" };

    public State? Load(StateHeader header, JObject o, string location, LoadContext context) => new ChoiceState
    {
        Name = header.Name, Type = header.Type, InputPath = header.InputPath, OutputPath = header.OutputPath, Assign = header.Assign,
        Choices = ChoicesOf(context, o, location),
        Default = context.StringOf(o, "Default", location),
    };

    private static List<ChoiceRule> ChoicesOf(LoadContext context, JObject o, string location)
    {
        var rules = new List<ChoiceRule>();
        if (o.GetArray("Choices") is not { Count: > 0 } choices)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Choices] (a non-empty array)", location);
            return rules;
        }

        for (var i = 0; i < choices.Count; i++)
        {
            var ruleLocation = $"{location}/Choices[{i}]";
            if (choices[i] is not JObject rule)
            {
                context.Error("SCHEMA_VALIDATION_FAILED", "A choice rule must be an object", ruleLocation);
                continue;
            }

            var next = rule.GetString("Next");
            if (next is null)
            {
                context.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Next]", ruleLocation);
            }

            var condition = ChoiceConditionLoader.Load(context, rule, ruleLocation, topLevel: true);
            if (condition is not null && next is not null)
            {
                rules.Add(new ChoiceRule(condition, next, context.AssignOf(rule, ruleLocation)));
            }
        }

        return rules;
    }
}
