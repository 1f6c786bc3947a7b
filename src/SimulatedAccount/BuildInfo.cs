using System.Reflection;

namespace BlueGreen.Simulator;

/// <summary>Paths recorded at build time, so the simulated account finds its files from any working directory.</summary>
public static class BuildInfo
{
    /// <summary>The repository root (holds scenarios/ and statemachines/).</summary>
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>The folder with the pinned npm packages (package.json, node_modules).</summary>
    public static string NodeDir { get; } = Metadata("NodeDir");

    private static string Metadata(string key) =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The build did not record '{key}'.");
}
