using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// The States Language's variable-scope rule: every Parallel branch and Map item processor is a scope of
/// its own, and "states in inner scopes MUST NOT assign to a variable with the same name as a variable in
/// an outer scope" (Variable Scope). A variable belongs to a scope when any state of that scope assigns
/// it, wherever that state is, so the check runs over whole scopes rather than in state order.
/// </summary>
internal static class VariableScopes
{
    public static void Check(JObject machine, string location, DiagnosticBag diagnostics) =>
        Check(machine, location, new HashSet<string>(StringComparer.Ordinal), diagnostics);

    private static void Check(JObject machine, string location, HashSet<string> outer, DiagnosticBag diagnostics)
    {
        var states = machine.GetObject("States") ?? JObject.Empty;
        var scope = new HashSet<string>(outer, StringComparer.Ordinal);
        foreach (var (name, value) in states)
        {
            foreach (var (variable, assignLocation) in Assignments(value as JObject, $"{location}/States/{name}"))
            {
                if (outer.Contains(variable))
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The variable '{variable}' is assigned in an outer scope; a state inside a Parallel branch or Map item processor cannot assign it", assignLocation);
                }

                scope.Add(variable);
            }
        }

        foreach (var (name, value) in states)
        {
            if (value is not JObject state)
            {
                continue;
            }

            var stateLocation = $"{location}/States/{name}";
            if (state.GetArray("Branches") is { } branches)
            {
                for (var i = 0; i < branches.Count; i++)
                {
                    if (branches[i] is JObject branch)
                    {
                        Check(branch, $"{stateLocation}/Branches[{i}]", scope, diagnostics);
                    }
                }
            }

            foreach (var field in (string[])["ItemProcessor", "Iterator"])
            {
                if (state.GetObject(field) is { } processor)
                {
                    Check(processor, $"{stateLocation}/{field}", scope, diagnostics);
                }
            }
        }
    }

    /// <summary>The variables a state assigns: its own Assign, its Choice rules' and its catchers'.</summary>
    private static IEnumerable<(string Variable, string Location)> Assignments(JObject? state, string location)
    {
        if (state is null)
        {
            yield break;
        }

        foreach (var assignment in Names(state.GetObject("Assign"), $"{location}/Assign"))
        {
            yield return assignment;
        }

        foreach (var field in (string[])["Choices", "Catch"])
        {
            var items = state.GetArray(field) ?? JArray.Empty;
            for (var i = 0; i < items.Count; i++)
            {
                foreach (var assignment in Names((items[i] as JObject)?.GetObject("Assign"), $"{location}/{field}[{i}]/Assign"))
                {
                    yield return assignment;
                }
            }
        }
    }

    private static IEnumerable<(string Variable, string Location)> Names(JObject? assign, string location) =>
        (assign ?? JObject.Empty).Keys.Select(key => (key.EndsWith(".$", StringComparison.Ordinal) ? key[..^2] : key, $"{location}/{key}"));
}
