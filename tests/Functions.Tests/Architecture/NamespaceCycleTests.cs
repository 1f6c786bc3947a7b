using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.Architecture;

/// <summary>
/// The namespaces of src/Functions form layers: the errors at the root, shared vocabulary (Common) and the AWS shapes
/// under the features, the handlers and the serializer over them. A cycle means two folders can only be read, or
/// moved, together.
/// </summary>
public class NamespaceCycleTests
{
    private static readonly NamespaceGraph Graph =
        NamespaceGraph.Of(typeof(WorkflowError).Assembly, "BlueGreen.Functions", Repository.PathOf("src/Functions"));

    [Fact]
    public void FunctionsNamespaces_HaveNoCycles()
    {
        var cycles = Graph.Cycles();

        Assert.True(cycles.Count == 0, "Namespaces that use each other:" + string.Concat(cycles.Select(Explain)));
    }

    [Fact]
    public void Common_UsesOnlyTheErrors()
    {
        // Common is where a type goes when several features need it; it stays below all of them.
        Assert.All(Graph.EdgesFrom("BlueGreen.Functions.Common"), edge => Assert.Equal("BlueGreen.Functions", edge.Key));
    }

    [Fact]
    public void Graph_ReadsMethodBodiesAndParentNamespaces()
    {
        // Guards the tests above against passing because the reader sees nothing: PlanUpgradeHandler calls
        // UpgradePlanner only in its body, and UpgradePlanner throws InvalidInput from the root namespace without a using.
        var compiled = NamespaceGraph.Of(typeof(WorkflowError).Assembly, "BlueGreen.Functions", sourceDirectory: null);

        Assert.Contains("BlueGreen.Functions.Planning", compiled.EdgesFrom("BlueGreen.Functions.Handlers").Keys);
        Assert.Contains("BlueGreen.Functions", compiled.EdgesFrom("BlueGreen.Functions.Planning").Keys);
    }

    [Fact]
    public void Graph_ReadsConstantUsesFromTheSource()
    {
        // A constant is copied into the IL of the code that reads it: only the source shows that Common would use Planning.
        var directory = Directory.CreateTempSubdirectory("namespace-graph-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "Limits.cs"), """
                namespace BlueGreen.Functions.Common;

                // BlueGreen.Functions.Alarms in a comment is no use.
                internal static class Limits
                {
                    public const int Health = BlueGreen.Functions.Planning.UpgradePlanner.MaxHealthTimeoutMinutes;
                }
                """);

            var graph = NamespaceGraph.Of(typeof(WorkflowError).Assembly, "BlueGreen.Functions", directory.FullName);

            Assert.Equal("Limits.cs names BlueGreen.Functions.Planning.UpgradePlanner.MaxHealthTimeoutMinutes",
                graph.EdgesFrom("BlueGreen.Functions.Common")["BlueGreen.Functions.Planning"]);
            Assert.DoesNotContain("BlueGreen.Functions.Alarms", graph.EdgesFrom("BlueGreen.Functions.Common").Keys);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string Explain(IReadOnlyList<string> cycle) =>
        Environment.NewLine + "- " + string.Join(", ", cycle) + ":" + string.Concat(
            cycle.SelectMany(from => Graph.EdgesFrom(from)
                .Where(edge => cycle.Contains(edge.Key))
                .Select(edge => $"{Environment.NewLine}    {from} -> {edge.Key} ({edge.Value})")));
}
