using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.WorldImport;

/// <summary>An imported world: its sections by service, the account it is in, and what it binds to which cluster.</summary>
public sealed record ImportedWorld(CapturedCluster Blue, string Green, IReadOnlyDictionary<string, JObject> Sections)
{
    /// <summary>The world folder's account file (<see cref="Scenario.WorldAccountFile"/>): the captured account and Region.</summary>
    public JObject AccountFile => JObject.Of(("region", Blue.Region), ("account", Blue.AccountId));
}

/// <summary>
/// <c>world import DIR</c>: a world (<c>scenarios/worlds/</c>'s format) from the folder <c>tools/capture-world.sh</c> fills
/// with AWS CLI output. The import is refused, with every problem at once, when a file is missing or malformed, or when the
/// simulated account would not accept what it describes (an add-on version it does not know, a routing policy it does not
/// simulate...): the world is seeded into a simulated account before anything is written.
/// </summary>
public static class WorldImporter
{
    public static ImportedWorld Import(string capturedDirectory, string? greenCluster = null)
    {
        if (!Directory.Exists(capturedDirectory))
        {
            throw new WorldImportException([$"{capturedDirectory} is not a folder (write one with tools/capture-world.sh CLUSTER REGION {capturedDirectory})"]);
        }

        var files = new CapturedFiles(capturedDirectory);
        var (eks, blue) = EksImport.Read(files);
        if (blue is null)
        {
            throw new WorldImportException(files.Problems);
        }

        var green = greenCluster ?? GreenName(blue);
        var sections = new Dictionary<string, JObject>(StringComparer.Ordinal) { ["eks"] = eks };
        if (Elbv2Import.Read(files, blue, green) is { } elbv2)
        {
            sections["elbv2"] = elbv2;
        }

        if (DnsAndAlarmsImport.Route53(files, blue, green) is { } route53)
        {
            sections["route53"] = route53;
        }

        if (DnsAndAlarmsImport.CloudWatch(files) is { } cloudwatch)
        {
            sections["cloudwatch"] = cloudwatch;
        }

        var world = new ImportedWorld(blue, green, sections);
        var problems = files.Problems.Concat(SeedingProblems(world)).ToList();
        return problems.Count > 0 ? throw new WorldImportException(problems) : world;
    }

    /// <summary>Writes one file per service and the account file into <paramref name="worldDirectory"/> (created if needed).</summary>
    public static void Write(ImportedWorld world, string worldDirectory)
    {
        ArgumentNullException.ThrowIfNull(world);
        Directory.CreateDirectory(worldDirectory);
        File.WriteAllText(Path.Combine(worldDirectory, Scenario.WorldAccountFile + ".json"), world.AccountFile.ToIndentedJson() + Environment.NewLine);
        foreach (var (service, section) in world.Sections)
        {
            File.WriteAllText(Path.Combine(worldDirectory, service + ".json"), section.ToIndentedJson() + Environment.NewLine);
        }
    }

    /// <summary>
    /// The upgrade's own rule for Green's name (src/Functions/Planning/ClusterNames.DeriveGreen): "-blue" and "-green" swap,
    /// otherwise a "-1-NN" suffix for the target version; for the import, the next minor version after Blue's.
    /// </summary>
    public static string GreenName(CapturedCluster blue)
    {
        ArgumentNullException.ThrowIfNull(blue);
        if (blue.Name.EndsWith("-blue", StringComparison.Ordinal))
        {
            return blue.Name[..^"-blue".Length] + "-green";
        }

        if (blue.Name.EndsWith("-green", StringComparison.Ordinal))
        {
            return blue.Name[..^"-green".Length] + "-blue";
        }

        var minor = int.TryParse(blue.Version.Split('.').Last(), out var m) ? m + 1 : 0;
        var stem = System.Text.RegularExpressions.Regex.Replace(blue.Name, @"-1-\d{2}$", string.Empty);
        return $"{stem}-1-{minor}";
    }

    /// <summary>Seeds each section into a fresh simulated account in the captured account and Region, collecting every service's problems.</summary>
    private static List<string> SeedingProblems(ImportedWorld world)
    {
        var problems = new List<string>();
        using var account = AccountFactory.Create(new AccountOptions { Region = world.Blue.Region, AccountId = world.Blue.AccountId });
        foreach (var service in account.Services.Where(s => world.Sections.ContainsKey(s.WorldSection)))
        {
            try
            {
                service.Seed(world.Sections[service.WorldSection], account);
            }
            catch (ScenarioException e)
            {
                // One problem a line; EKS heads its list with "World section 'eks':" and marks items with "- ".
                problems.AddRange(e.Message.Split(Environment.NewLine).Where(line => !line.StartsWith("World section ", StringComparison.Ordinal))
                    .Select(line => line.StartsWith("- ", StringComparison.Ordinal) ? line[2..] : line).Where(line => line.Length > 0));
            }
        }

        return problems;
    }
}
