using System.Text.Json;
using BlueGreen.Functions.EndOfSupport;

namespace BlueGreen.Deployment.Definitions;

/// <summary>
/// The upgrade profiles kept in git (<c>profiles/*.json</c>, schema <c>profiles/profile.schema.json</c>), validated when
/// the deployment is described: a bad profile stops synthesis (and a rehearsal's deployment) with every problem of every
/// file listed (<see cref="BlueGreen.Functions.InvalidProfile"/>).
/// </summary>
/// <remarks>
/// They are meant to be deployed inside the eos-scan definition, through an <c>${EndOfSupportProfiles}</c> substitution (a
/// JSON string the scan parses with States.StringToJson; added with the scan, since a value no definition uses is refused
/// by the deployment tests): the scan then reads no parameter or item to learn them, so it
/// stays a workflow of SDK integrations with no extra permission, the definition version in the console shows which
/// profiles a scan used, and changing a profile goes through the same review and deployment as the code.
/// </remarks>
public sealed class ProfileFiles
{
    private ProfileFiles(IReadOnlyList<UpgradeProfile> profiles, string json)
    {
        Profiles = profiles;
        Json = json;
    }

    public IReadOnlyList<UpgradeProfile> Profiles { get; }

    /// <summary>The profiles as one JSON array, in file-name order (what the decision function receives as "profiles").</summary>
    public string Json { get; }

    /// <summary><see cref="Json"/> escaped to stand inside a JSON string literal of the definition.</summary>
    public string AsJsonStringContent()
    {
        var quoted = JsonSerializer.Serialize(Json, ProfileJsonContext.Default.String);
        return quoted[1..^1];
    }

    /// <summary>Reads every <c>*.json</c> but the schema in <paramref name="directory"/>; none when it does not exist.</summary>
    /// <exception cref="BlueGreen.Functions.InvalidProfile">Every problem of every profile.</exception>
    public static ProfileFiles Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var files = Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [];
        var parent = Path.GetDirectoryName(Path.GetFullPath(directory)) ?? directory;
        var documents = new List<(string Source, JsonDocument Document)>();
        var problems = new List<string>();
        try
        {
            foreach (var file in files)
            {
                var source = Path.GetRelativePath(parent, file).Replace('\\', '/');
                try
                {
                    documents.Add((source, JsonDocument.Parse(File.ReadAllText(file))));
                }
                catch (JsonException e)
                {
                    problems.Add($"{source}: not valid JSON ({e.Message})");
                }
            }
            IReadOnlyList<UpgradeProfile> profiles;
            try
            {
                profiles = ProfileReader.ReadAll(documents.Select(d => (d.Source, d.Document.RootElement)));
            }
            catch (BlueGreen.Functions.InvalidProfile e)
            {
                throw new BlueGreen.Functions.InvalidProfile([.. problems, .. e.Problems]);
            }
            if (problems.Count > 0)
            {
                throw new BlueGreen.Functions.InvalidProfile(problems);
            }
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartArray();
                foreach (var (_, document) in documents)
                {
                    document.RootElement.WriteTo(writer);
                }
                writer.WriteEndArray();
            }
            return new ProfileFiles(profiles, System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
        finally
        {
            documents.ForEach(d => d.Document.Dispose());
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class ProfileJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
