using System.CommandLine;
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

    private static readonly Option<string> WorldOption = CliOptions.Value("--world", "NAME", $"The world whose clusters to report; default {DefaultWorld}.");

    private static readonly Option<string> AtOption = CliOptions.Value("--at", "DATE",
        "The virtual date to decide at (2026-11-23 or 2026-11-23T09:00:00Z, UTC); default the world's start.");

    private static readonly Option<string> ProfilesOption = CliOptions.Value("--profiles", "DIR", "The upgrade profiles to match clusters against; default profiles/.");

    private static readonly Option<bool> JsonOption = CliOptions.Json(
        "Prints one JSON object (at, world, clusters, extraCostUntilUpgrade, decisions: the EndOfSupportDecision of each cluster) instead of the table.");

    internal static Command Definition()
    {
        var report = new Command("report", CliOptions.Prose("""
            Each cluster of the world at a virtual date: support status, days left, cost of staying, profile, slot and action.
            Version, support status, days to the end of standard and extended support, cost of staying, matching profile
            (profiles/), target, maintenance-window slot and the eos-scan's action, decided by the PlanEndOfSupport code the
            eos-scan state machine runs.

            Exit codes: 0 when reported, 1 when a profile is invalid (its problems printed), 64 for a usage error.
            """))
        {
            WorldOption, AtOption, ProfilesOption, JsonOption,
        };
        report.SetAction(r => Run(r, r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return new Command("fleet", "The fleet's end of support: fleet report.") { report };
    }

    /// <summary>As <c>fleet ARGS</c> on the command line (<c>report ...</c>), with exceptions thrown rather than printed.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter? stderr = null) => SimulatorCli.Invoke(["fleet", .. args], stdout, stderr);

    private static int Run(ParseResult cl, TextWriter stdout, TextWriter? stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var world = cl.GetValue(WorldOption) ?? DefaultWorld;
        var at = cl.GetValue(AtOption);
        var profilesDir = cl.GetValue(ProfilesOption) ?? Path.Combine(BuildInfo.RepositoryRoot, "profiles");
        var json = cl.GetValue(JsonOption);

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
