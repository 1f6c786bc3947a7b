using System.Reflection;

namespace BlueGreen.Infra.Cdk;

/// <summary>
/// Where the build put things: the repository (for <c>statemachines/</c>) and the published handlers
/// (the one code asset every function shares). Recorded as assembly metadata by the project file, so the
/// app finds them from any working directory (<c>cdk synth</c>, <c>dotnet run</c>, the test runner).
/// </summary>
public static class BuildPaths
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>The output of <c>dotnet publish src/Functions</c> made by the PublishHandlers target.</summary>
    public static string HandlersDirectory { get; } = Metadata("HandlersDir");

    public static string HandlersRuntimeIdentifier { get; } = Metadata("HandlersRuntimeIdentifier");

    public static string StateMachinesDirectory => Path.Combine(RepositoryRoot, "statemachines");

    /// <summary>The end-of-support upgrade profiles, validated at synth.</summary>
    public static string ProfilesDirectory => Path.Combine(RepositoryRoot, "profiles");

    private static string Metadata(string key) =>
        typeof(BuildPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The assembly has no '{key}' metadata; build it with its project file.");
}
