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
        var states = CountStates(JsonNode.Parse(File.ReadAllText(Path("upgrade.asl.json")))!["States"]!.AsObject());

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

    private static int CountStates(JsonObject states) => states.Sum(s =>
    {
        var state = s.Value!.AsObject();
        var nested = (state["Branches"]?.AsArray() ?? []).Sum(b => CountStates(b!["States"]!.AsObject()))
            + ((state["ItemProcessor"] ?? state["Iterator"]) is JsonObject p ? CountStates(p["States"]!.AsObject()) : 0);
        return 1 + nested;
    });
}
