using System.Text.RegularExpressions;
using BlueGreen.Functions.Handlers;
using BlueGreen.Functions.Tests.Architecture;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.Handlers;

/// <summary>
/// Each function's errors are written in three places: <see cref="FunctionCatalog"/> (which the state machine's
/// Catch clauses are checked against), the handler's summary and the table in docs/functions.md. The catalog is
/// checked against what the handler's code can throw, and the other two against the catalog.
/// </summary>
public partial class FunctionErrorsTests
{
    public static TheoryData<string> Functions => [.. FunctionCatalog.All.Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(Functions))]
    public void CatalogErrors_AreWhatTheHandlerCanThrow(string name)
    {
        var function = FunctionCatalog.Get(name);

        var thrown = ReachableErrors.From(function.HandlerType.GetMethod("Handle", [typeof(Stream)])!);

        Assert.Equal(thrown.Order(StringComparer.Ordinal), function.Errors.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void HandlerSummary_ListsTheCatalogErrors(string name)
    {
        var function = FunctionCatalog.Get(name);
        var summaries = HandlerSummary().Matches(Repository.Read("src/Functions/Handlers/Handlers.cs"))
            .ToDictionary(m => m.Groups["class"].Value, m => m.Groups["errors"].Value);

        Assert.True(summaries.TryGetValue(function.HandlerType.Name, out var errors), $"{function.HandlerType.Name} has no summary ending \"Errors: ...\"");
        Assert.Equal(function.Errors.Order(StringComparer.Ordinal), errors.Split(", ").Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void DocsTable_ListsTheCatalogEntry(string name)
    {
        var function = FunctionCatalog.Get(name);
        var row = Repository.Read("docs/functions.md").Split('\n')
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .SingleOrDefault(cells => cells is [_, _, _, _, _, _] && cells[1] == name);

        Assert.True(row is not null, $"docs/functions.md has no table row for {name}");
        Assert.Equal($"`{function.Handler}`", row[2]);
        Assert.Equal($"`${{{function.DefinitionSubstitution}}}`", row[3]);
        Assert.Equal(function.Errors.Order(StringComparer.Ordinal), row[4].Split(", ").Select(e => e.Trim('`')).Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"/// <summary>[^\n]*Errors: (?<errors>[A-Za-z, ]+)\.</summary>\s*public sealed class (?<class>\w+)")]
    private static partial Regex HandlerSummary();
}
