using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Cli;

/// <summary>
/// <c>report --out FILE [--scenario NAME|FILE] [--input FILE|JSON] [--template FILE | -c key=value ...]</c> rehearses the
/// scenario as <c>rehearse</c> does and writes one self-contained HTML page of the run (<see cref="RunReportHtml"/>);
/// <c>report --out FILE --history SUMMARY</c> draws a saved <c>rehearse --json</c> summary instead of rehearsing, and
/// <c>report --out FILE --history PATH [--history PATH ...]</c> draws saved <c>aws stepfunctions get-execution-history</c>
/// documents (files or folders): an upgrade execution's and its child executions' (<see cref="ExecutionHistories"/>).
/// Exits 0 when the page was written (whatever the run's outcome), 64 for a usage, scenario or summary error.
/// </summary>
public static class ReportCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var cl = new CommandLine(args, new HashSet<string>());
        var output = cl.Require("out");
        var history = cl.GetAll("history");
        var scenarioName = cl.Get("scenario");
        var inputArgument = cl.Get("input");
        var template = cl.Get("template");
        var context = cl.GetAll("context");
        cl.RejectUnknown();
        if (history.Count > 0 && (scenarioName is not null || inputArgument is not null || template is not null || context.Count > 0))
        {
            throw new UsageException("--history draws a saved summary: --scenario, --input, --template and -c apply to a rehearsal.");
        }

        var picture = history.Count == 0 ? Rehearse(scenarioName ?? RehearseCommand.DefaultScenario, inputArgument, RehearseCommand.Deployment(template, context))
            : history.Count == 1 && File.Exists(history[0]) && !IsHistory(history[0]) ? FromSummary(history[0]) : FromHistories(history);
        var full = Path.GetFullPath(output);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, RunReportHtml.Render(picture));
        stdout.WriteLine($"Wrote {output}: {picture.Cluster} {picture.Outcome}, {picture.Weights.Count} traffic split(s), {picture.Alarms.Count} alarm change(s), {picture.Stages.Count} stage(s), {picture.Approvals.Count} approval mark(s), {picture.Seconds:0} seconds, from {picture.Source}.");
        return 0;
    }

    private static RunPicture Rehearse(string scenarioName, string? inputArgument, Func<Aws.SimulatedAccount, ProductDeployment> deploy)
    {
        var scenario = Scenario.Load(scenarioName);
        if (scenario.Run != "upgrade")
        {
            throw new UsageException($"report draws an upgrade; scenario '{scenario.Name}' is a {scenario.Run} run.");
        }

        var input = inputArgument is null ? null : AslCommand.ReadJsonArgument(inputArgument, "input");
        using var rehearsal = UpgradeRehearsal.Prepare(scenario, input, deploy);
        var recorder = new RunPictureRecorder();
        rehearsal.Run(recorder);
        return recorder.Picture!;
    }

    private static bool IsHistory(string path) =>
        JValue.TryParse(File.ReadAllText(path), out var document, out _) && ExecutionHistories.IsHistoryDocument(document);

    /// <summary>Saved get-execution-history documents: the upgrade's and, where given, its child executions'.</summary>
    private static RunPicture FromHistories(IReadOnlyList<string> paths)
    {
        try
        {
            var (root, tree, notGiven) = ExecutionHistories.Tree(ExecutionHistories.Load(paths));
            return HistoryPicture.Build(root, tree, notGiven);
        }
        catch (RunPictureException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static RunPicture FromSummary(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"--history {path}: no such file (save one with: rehearse --json > {path}).");
        }

        JValue parsed;
        try
        {
            parsed = JValue.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new UsageException($"--history {path}: not JSON ({e.Message}).");
        }

        try
        {
            return parsed is JObject summary ? RunPicture.FromSummaryJson(summary, $"summary {Path.GetFileName(path)}")
                : throw new UsageException($"--history {path}: a rehearse --json summary is one JSON object.");
        }
        catch (RunPictureException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
