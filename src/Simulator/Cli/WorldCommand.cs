using System.CommandLine;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.WorldImport;

namespace BlueGreen.Simulator.Cli;

/// <summary>
/// <c>world import DIR [--out WORLD_DIR] [--green-cluster NAME] [--json]</c>: a world from the AWS CLI output that
/// <c>tools/capture-world.sh</c> saved in DIR, written to WORLD_DIR (default DIR/world), ready for
/// <c>rehearse --world WORLD_DIR --input my.json</c>. Exits 0 when written, <see cref="ExitRefused"/> when refused (every
/// problem is printed, nothing is written), 64 for a usage error.
/// </summary>
public static class WorldCommand
{
    public const int ExitRefused = 1;

    private static readonly Argument<string> CapturedArgument = new("DIR")
    {
        Description = "The folder tools/capture-world.sh wrote (tools/capture-world.sh CLUSTER REGION DIR --load-balancer ARN).",
    };

    private static readonly Option<string> OutOption = CliOptions.Value("--out", "WORLD_DIR", "Where to write the world; default DIR/world.");

    private static readonly Option<string> GreenClusterOption = CliOptions.Value("--green-cluster", "NAME",
        "Green's cluster name in this world (use the same greenClusterName in your input); default the upgrade's rule: -blue and -green swap, else -1-NN for the next minor version.");

    private static readonly Option<bool> JsonOption = CliOptions.Json(
        "Prints one JSON object: imported, world, cluster, greenCluster, region, account, counts, bindings (or imported false and problems).");

    internal static Command Definition()
    {
        var import = new Command("import", CliOptions.Prose("""
            Builds a world from the AWS CLI output tools/capture-world.sh saved in DIR, for rehearse --world.
            The cluster, its nodegroups, add-ons, access entries and Pod Identity associations, the load balancer's rules,
            listeners and target groups, Route 53 records and CloudWatch alarms, written to WORLD_DIR (default DIR/world);
            then: rehearse --world WORLD_DIR --input my-upgrade.json.

            Exit codes: 0 when written, 1 when refused (every problem listed, nothing written), 64 for a usage error.
            """))
        {
            CapturedArgument, OutOption, GreenClusterOption, JsonOption,
        };
        import.SetAction(r => Run(r, r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return new Command("world", "Worlds from your own account: world import DIR.") { import };
    }

    /// <summary>As <c>world ARGS</c> on the command line (<c>import DIR ...</c>), with exceptions thrown rather than printed.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr) => SimulatorCli.Invoke(["world", .. args], stdout, stderr);

    private static int Run(ParseResult cl, TextWriter stdout, TextWriter stderr)
    {
        var captured = cl.GetRequiredValue(CapturedArgument);
        var output = cl.GetValue(OutOption) ?? Path.Combine(captured, "world");
        var green = cl.GetValue(GreenClusterOption);
        var json = cl.GetValue(JsonOption);

        ImportedWorld world;
        try
        {
            world = WorldImporter.Import(captured, green);
        }
        catch (WorldImportException e)
        {
            if (json)
            {
                stdout.WriteLine(JObject.Of(("imported", false), ("problems", JArray.From(e.Problems.Select(p => (JValue)p)))).ToJson());
            }

            stderr.WriteLine(e.Message);
            return ExitRefused;
        }

        WorldImporter.Write(world, output);
        var summary = Summary(world, output);
        if (json)
        {
            stdout.WriteLine(summary.ToJson());
            return 0;
        }

        stdout.WriteLine($"Imported {world.Blue.Name} (Kubernetes {world.Blue.Version}, account {world.Blue.AccountId}, {world.Blue.Region}) into {output}:");
        foreach (var (key, value) in summary.GetObject("counts")!)
        {
            stdout.WriteLine($"  {key}: {value.ToJson()}");
        }

        foreach (var binding in summary.GetArray("bindings")!.OfType<JObject>())
        {
            stdout.WriteLine($"  {binding.GetString("resource")} -> cluster {binding.GetString("cluster")}");
        }

        stdout.WriteLine($"Green's name in this world: {world.Green} (--green-cluster changes it; use the same greenClusterName in your input).");
        stdout.WriteLine($"Next: dotnet run --project src/Simulator -- rehearse --world {output} --input my-upgrade.json");
        return 0;
    }

    /// <summary>What was imported, and which target groups and records the world binds to which cluster.</summary>
    private static JObject Summary(ImportedWorld world, string output)
    {
        var cluster = world.Sections["eks"].GetArray("clusters")![0].AsObject();
        int Count(string section, string key) => world.Sections.GetValueOrDefault(section)?.GetArray(key)?.Count ?? 0;
        var targetGroups = world.Sections.GetValueOrDefault("elbv2")?.GetArray("targetGroups") ?? JArray.Empty;
        var records = (world.Sections.GetValueOrDefault("route53")?.GetArray("hostedZones") ?? JArray.Empty).OfType<JObject>()
            .SelectMany(z => z.GetArray("records") ?? JArray.Empty).OfType<JObject>();
        var bindings = targetGroups.OfType<JObject>().Where(t => t.GetString("cluster") is not null)
            .Select(t => (JValue)JObject.Of(("resource", $"target group {t.GetString("name")}"), ("cluster", t.GetString("cluster")!)))
            .Concat(records.Where(r => r.GetString("cluster") is not null)
                .Select(r => (JValue)JObject.Of(("resource", $"record {r.GetString("name")} {r.GetString("setIdentifier")}"), ("cluster", r.GetString("cluster")!))));
        return JObject.Of(
            ("imported", true),
            ("world", Path.GetFullPath(output)),
            ("cluster", world.Blue.Name),
            ("greenCluster", world.Green),
            ("region", world.Blue.Region),
            ("account", world.Blue.AccountId),
            ("counts", JObject.Of(
                ("nodegroups", cluster.GetArray("nodegroups")?.Count ?? 0),
                ("addons", cluster.GetArray("addons")?.Count ?? 0),
                ("accessEntries", cluster.GetArray("accessEntries")?.Count ?? 0),
                ("podIdentityAssociations", cluster.GetArray("podIdentityAssociations")?.Count ?? 0),
                ("targetGroups", targetGroups.Count),
                ("records", records.Count()),
                ("alarms", Count("cloudwatch", "metricAlarms") + Count("cloudwatch", "logAlarms") + Count("cloudwatch", "compositeAlarms")))),
            ("bindings", JArray.From(bindings)));
    }
}
