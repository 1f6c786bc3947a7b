using System.Text.Json.Nodes;

namespace BlueGreen.Simulator.Tests.Definitions;

/// <summary>Walks a definition's nested scopes, for the tests that read statemachines/ (budgets, copies).</summary>
internal static class DefinitionScopes
{
    /// <summary>Each States object of a definition: the top level, every Parallel branch, every Map processor.</summary>
    public static IEnumerable<(string Scope, JsonObject States)> Of(string path, JsonObject states)
    {
        yield return (path, states);
        foreach (var (name, node) in states)
        {
            var state = node!.AsObject();
            if (state["Branches"] is JsonArray branches)
            {
                for (var i = 0; i < branches.Count; i++)
                {
                    foreach (var inner in Of($"{path}/{name}[{i}]", branches[i]!["States"]!.AsObject()))
                    {
                        yield return inner;
                    }
                }
            }

            if ((state["ItemProcessor"] ?? state["Iterator"]) is JsonObject processor)
            {
                foreach (var inner in Of($"{path}/{name}", processor["States"]!.AsObject()))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>Every state of a definition, nested ones included.</summary>
    public static IEnumerable<(string Name, JsonObject State)> States(JsonObject states) =>
        Of(string.Empty, states).SelectMany(s => s.States.Select(m => (m.Key, m.Value!.AsObject())));
}
