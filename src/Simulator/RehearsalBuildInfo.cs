using System.Reflection;

namespace BlueGreen.Simulator;

/// <summary>
/// What the rehearsal's build recorded about the product: the decision functions' published code package (what the CDK
/// app ships as the Lambda asset), which a rehearsal deploys into the simulated Lambda. The account's own paths are in
/// <see cref="BuildInfo"/>.
/// </summary>
public static class RehearsalBuildInfo
{
    /// <summary>The decision functions' published code package.</summary>
    public static string HandlersDirectory { get; } =
        typeof(RehearsalBuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "HandlersDir")?.Value
        ?? throw new InvalidOperationException("The build did not record 'HandlersDir'.");
}
