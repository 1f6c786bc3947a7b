using System.CommandLine;
using System.Globalization;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;

namespace BlueGreen.Simulator.Cli;

/// <summary>
/// <c>runs list --state DIR [--cluster C] [--status S] [--limit N] [--table NAME] [--json]</c>: the runs that rehearsals
/// with <c>--state DIR</c> recorded, newest first, read as docs/operating.md reads a deployed table (the <c>runsByTime</c>
/// index across clusters; the table's own key for one cluster; a status is a filter). Exits 0, or 64 for a usage error or a
/// folder without a kept table.
/// </summary>
public static class RunsCommand
{
    /// <summary>The statuses a run record takes (docs/workflow.md, Run records).</summary>
    public static readonly IReadOnlyList<string> Statuses = ["Planned", "Running", "Succeeded", "RolledBack", "Failed", "RollbackFailed"];

    private static readonly Option<string> StateOption = new("--state")
    {
        Description = "The folder rehearse --state DIR kept the run table in.",
        HelpName = "DIR",
        Required = true,
    };

    private static readonly Option<string> ClusterOption = CliOptions.Value("--cluster", "C", "One cluster's runs (the table's own key); default every cluster's (the runsByTime index).");

    private static readonly Option<string> StatusOption = CliOptions.Value("--status", "S", $"Only runs with this status: {string.Join(", ", Statuses)}.");

    private static readonly Option<string> LimitOption = CliOptions.Value("--limit", "N", "At most N runs; default 20.");

    private static readonly Option<string> TableOption = CliOptions.Value("--table", "NAME", "The run table's name, when the folder keeps more than one.");

    private static readonly Option<bool> JsonOption = CliOptions.Json("Prints one JSON object: tables, and runs (the run records, structured).");

    internal static Command Definition()
    {
        var list = new Command("list", CliOptions.Prose("""
            The runs rehearse --state DIR kept, newest first, read as docs/operating.md reads the deployed table.
            Across clusters through the runsByTime index, or one cluster's through the table's key; --status filters.

            Exit codes: 0 when listed, 64 for a usage error or a folder without a kept table.
            """))
        {
            StateOption, ClusterOption, StatusOption, LimitOption, TableOption, JsonOption,
        };
        list.SetAction(r => Run(r, r.InvocationConfiguration.Output));
        return new Command("runs", "The run history that rehearsals kept: runs list.") { list };
    }

    /// <summary>As <c>runs ARGS</c> on the command line (<c>list ...</c>), with exceptions thrown rather than printed.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout) => SimulatorCli.Invoke(["runs", .. args], stdout);

    private static int Run(ParseResult cl, TextWriter stdout)
    {
        var state = cl.GetRequiredValue(StateOption);
        var cluster = cl.GetValue(ClusterOption);
        var status = cl.GetValue(StatusOption);
        var limitText = cl.GetValue(LimitOption);
        var table = cl.GetValue(TableOption);
        var json = cl.GetValue(JsonOption);
        if (status is not null && !Statuses.Contains(status))
        {
            throw new UsageException($"--status takes a run status: {string.Join(", ", Statuses)}; not '{status}'.");
        }

        var limit = 20;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            throw new UsageException($"--limit must be a positive whole number, not '{limitText}'.");
        }

        var (tables, runs) = KeptRunTable.List(state, cluster, status, limit, table);
        var name = string.Join(", ", tables);
        if (json)
        {
            stdout.WriteLine(JObject.Of(("tables", JArray.From(tables.Select(t => (JValue)t))), ("runs", JArray.From(runs))).ToJson());
            return 0;
        }

        stdout.WriteLine($"Runs in {name}{(cluster is null ? " (index runsByTime)" : $" of {cluster}")}{(status is null ? string.Empty : $" with status {status}")}, newest first: {runs.Count}");
        string[] columns = ["startedAt", "clusterName", "blueVersion", "targetVersion", "status", "outcome", "runId"];
        var rows = runs.Select(r => columns.Select(c => r.GetString(c) ?? "-").ToArray()).Prepend(columns).ToList();
        var widths = columns.Select((_, i) => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            stdout.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        foreach (var run in runs.Where(r => RunPicture.ReasonOf(r) is not null))
        {
            stdout.WriteLine($"{run.GetString("runId")}: {RunPicture.ReasonOf(run)}");
        }

        return 0;
    }
}
