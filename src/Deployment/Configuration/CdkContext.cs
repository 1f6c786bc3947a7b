using System.Text.Json;

namespace BlueGreen.Deployment.Configuration;

/// <summary>
/// The CDK context the app runs with. Under the CDK CLI that is <c>CDK_CONTEXT_JSON</c> (cdk.json's context merged
/// with <c>-c</c> options); under a plain <c>dotnet run</c> it is read from <c>cdk.json</c> at the repository root,
/// so both ways synthesize the same template with the same feature flags and settings.
/// </summary>
public static class CdkContext
{
    /// <summary>
    /// The context, plus <c>-c key=value</c> (or <c>--context key=value</c>) arguments of a plain <c>dotnet run</c>, which
    /// override cdk.json as they do under the CLI: <c>dotnet run --project src/Infra.Cdk -- -c bluegreen:clusterNamePrefixes=shop-</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An argument that is not a <c>-c key=value</c> pair.</exception>
    public static (IReadOnlyDictionary<string, object?> Values, bool FromCli) Load(string repositoryRoot, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var (values, fromCli) = Load(repositoryRoot);
        if (args.Count == 0)
        {
            return (values, fromCli);
        }

        var merged = new Dictionary<string, object?>(values, StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            var pair = i + 1 < args.Count && args[i] is "-c" or "--context" ? args[i + 1] : null;
            var at = pair?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            if (pair is null || at <= 0)
            {
                throw new ArgumentException($"Unexpected argument \"{args[i]}\": give context values as -c key=value (e.g. -c bluegreen:clusterNamePrefixes=shop-).", nameof(args));
            }

            merged[pair[..at]] = pair[(at + 1)..];
        }

        return (merged, fromCli);
    }

    public static (IReadOnlyDictionary<string, object?> Values, bool FromCli) Load(string repositoryRoot)
    {
        var fromCli = System.Environment.GetEnvironmentVariable("CDK_CONTEXT_JSON");
        if (!string.IsNullOrWhiteSpace(fromCli))
        {
            using var doc = JsonDocument.Parse(fromCli);
            return (ToDictionary(doc.RootElement), true);
        }

        return (LoadFile(repositoryRoot), false);
    }

    /// <summary>The context of <c>cdk.json</c> alone (what a plain <c>cdk deploy</c> without <c>-c</c> options synthesizes with).</summary>
    public static IReadOnlyDictionary<string, object?> LoadFile(string repositoryRoot)
    {
        var cdkJson = Path.Combine(repositoryRoot, "cdk.json");
        if (!File.Exists(cdkJson))
        {
            return new Dictionary<string, object?>();
        }

        using var file = JsonDocument.Parse(File.ReadAllText(cdkJson));
        return file.RootElement.TryGetProperty("context", out var context) ? ToDictionary(context) : new Dictionary<string, object?>();
    }

    /// <summary>JSON object to plain .NET values (string, double, bool, object[], dictionaries) that jsii can marshal.</summary>
    public static Dictionary<string, object?> ToDictionary(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => Plain(p.Value), StringComparer.Ordinal);

    private static object? Plain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => value.EnumerateArray().Select(Plain).ToArray(),
        JsonValueKind.Object => ToDictionary(value),
        _ => null,
    };
}
