using System.Text.Json.Nodes;

namespace BlueGreen.Simulator.Tests.Definitions;

/// <summary>
/// The upgrade reads as its stages (issue 12's budgets): at most 80 states in the parent, nested ones included, and no
/// definition file over 1,500 lines. A part that grows past them becomes a child state machine.
/// </summary>
public class DefinitionBudgetTests
{
    private static string Path(string file) => System.IO.Path.Combine(BuildInfo.RepositoryRoot, "statemachines", file);

    [Fact]
    public void Upgrade_HasAtMost80States()
    {
        var states = DefinitionScopes.States(JsonNode.Parse(File.ReadAllText(Path("upgrade.asl.json")))!["States"]!.AsObject()).Count();

        Assert.InRange(states, 1, 80);
    }

    [Fact]
    public void EveryDefinition_IsAtMost1500Lines()
    {
        var sizes = Directory.GetFiles(System.IO.Path.Combine(BuildInfo.RepositoryRoot, "statemachines"), "*.asl.json")
            .Select(f => (File: System.IO.Path.GetFileName(f), Lines: File.ReadAllLines(f).Length)).ToList();

        Assert.All(sizes, s => Assert.True(s.Lines <= 1_500, $"{s.File}: {s.Lines} lines"));
    }

    [Fact]
    public void EverySourceFile_IsAtMost500Lines_OrSaysWhyInItsHeader()
    {
        // Issue 12: a file that grows past 500 lines is split (partial files, one type per file) unless its first
        // lines give the reason, with the words "over 500 lines".
        var source = System.IO.Path.Combine(BuildInfo.RepositoryRoot, "src");
        var large = Directory.GetFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{System.IO.Path.DirectorySeparatorChar}obj{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{System.IO.Path.DirectorySeparatorChar}bin{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: System.IO.Path.GetRelativePath(BuildInfo.RepositoryRoot, f), Lines: File.ReadAllLines(f)))
            .Where(f => f.Lines.Length > 500 && !f.Lines.Take(30).Any(l => l.Contains("over 500 lines", StringComparison.Ordinal)))
            .Select(f => $"{f.File}: {f.Lines.Length} lines");

        Assert.Empty(large);
    }

    [Fact]
    public void NoDefinition_ChainsMoreThanThreeChoiceStates()
    {
        // Issue 12: a decision that needs a longer chain of Choice states is a decision function in C#, with unit tests
        // (CheckBlueTraffic replaced 13 states of decommission-cluster). The longest chains today are 3.
        var chains = Directory.GetFiles(System.IO.Path.Combine(BuildInfo.RepositoryRoot, "statemachines"), "*.asl.json")
            .SelectMany(f =>
            {
                // The States Language makes state names unique in the whole state machine, nested scopes included.
                var states = DefinitionScopes.States(JsonNode.Parse(File.ReadAllText(f))!["States"]!.AsObject()).ToDictionary(s => s.Name, s => s.State, StringComparer.Ordinal);
                return states.Keys.Select(n => (File: System.IO.Path.GetFileName(f), State: n, Length: ChoiceChain(n, states, [])));
            })
            .Where(c => c.Length > 3)
            .Select(c => $"{c.File}: {c.Length} Choice states in a row from \"{c.State}\"");

        Assert.Empty(chains);
    }

    private static int ChoiceChain(string name, Dictionary<string, JsonObject> states, HashSet<string> seen)
    {
        if (!states.TryGetValue(name, out var state) || (string?)state["Type"] != "Choice" || !seen.Add(name))
        {
            return 0;
        }

        var next = state["Choices"]!.AsArray().Select(c => (string)c!["Next"]!).Append((string?)state["Default"]).OfType<string>();
        var longest = 1 + next.Max(n => ChoiceChain(n, states, seen));
        seen.Remove(name);
        return longest;
    }
}
