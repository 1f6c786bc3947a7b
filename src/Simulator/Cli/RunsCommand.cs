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

    public static int Run(IReadOnlyList<string> args, TextWriter stdout)
    {
        if (args.Count == 0 || args[0] != "list")
        {
            throw new UsageException("runs needs a subcommand: list.");
        }

        var cl = new CommandLine(args.Skip(1).ToList(), new HashSet<string> { "json" });
        var state = cl.Get("state") ?? throw new UsageException("runs list needs --state DIR: the folder rehearse --state DIR kept the run table in.");
        var cluster = cl.Get("cluster");
        var status = cl.Get("status");
        var limitText = cl.Get("limit");
        var table = cl.Get("table");
        var json = cl.Flag("json");
        cl.RejectUnknown();
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
