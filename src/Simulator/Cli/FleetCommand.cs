using System.Globalization;
using System.Text.Json;
using BlueGreen.Functions.EndOfSupport;
using BlueGreen.Functions.Serialization;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Fleet;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Cli;

/// <summary>
/// <c>fleet report [--world NAME] [--at DATE] [--profiles DIR] [--json]</c>: each cluster's version, support status,
/// days left, cost of staying, profile and slot, decided by the code the eos-scan state machine runs.
/// </summary>
public static class FleetCommand
{
    public const string DefaultWorld = "fleet";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter? stderr = null)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        if (args.Count == 0 || args[0] != "report")
        {
            throw new UsageException("fleet needs a subcommand: report.");
        }

        var cl = new CommandLine(args.Skip(1).ToList(), new HashSet<string> { "json" });
        var world = cl.Get("world") ?? DefaultWorld;
        var at = cl.Get("at");
        var profilesDir = cl.Get("profiles") ?? Path.Combine(BuildInfo.RepositoryRoot, "profiles");
        var json = cl.Flag("json");
        cl.RejectUnknown();

        var raw = JObject.Of(("world", world));
        if (at is not null)
        {
            if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
            {
                throw new UsageException($"--at '{at}' is not a date (2026-11-23 or 2026-11-23T09:00:00Z).");
            }
            raw = raw.With("start", date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        IReadOnlyList<UpgradeProfile> profiles;
        try
        {
            profiles = FleetReport.LoadProfiles(profilesDir);
        }
        catch (BlueGreen.Functions.InvalidProfile e)
        {
            (stderr ?? Console.Error).WriteLine(e.Message);
            return 1;
        }

        using var account = AccountFactory.Create(Scenario.FromJson("fleet report", raw));
        var report = FleetReport.Build(account, profiles, FleetFacts.WorldTables(account));
        if (json)
        {
            var decisions = JsonSerializer.Serialize(report.Decisions.ToList(), FunctionsJsonContext.Default.ListEndOfSupportDecision);
            stdout.WriteLine(JObject.Of(
                ("at", report.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
                ("world", world),
                ("clusters", report.Decisions.Count),
                ("extraCostUntilUpgrade", (double)report.ExtraCost),
                ("decisions", JValue.Parse(decisions))).ToJson());
        }
        else
        {
            report.WriteText(stdout);
        }
        return 0;
    }
}
