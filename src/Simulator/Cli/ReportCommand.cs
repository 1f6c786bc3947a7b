using System.CommandLine;
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
    private static readonly Option<string> OutOption = new("--out")
    {
        Description = "The HTML file to write (its folder is made if missing).",
        HelpName = "FILE",
        Required = true,
    };

    private static readonly Option<string[]> HistoryOption = new("--history")
    {
        Description = "Draws a saved run instead of rehearsing: one SUMMARY file (saved from rehearse --json), or execution "
            + "histories (aws stepfunctions get-execution-history --output json, or rehearse --history-out DIR): files or folders "
            + "holding the upgrade execution's and, where given, its child executions'; repeatable.",
        HelpName = "PATH",
    };

    private static readonly Option<string> ScenarioOption = CliOptions.Scenario("The scenario to rehearse, as for rehearse; default happy-alb.");

    private static readonly Option<string> InputOption = CliOptions.Input("The execution input to rehearse instead of the scenario's, as for rehearse.");

    private static readonly Option<string> TemplateOption = CliOptions.Template("Deploys a synthesized template instead of the manifest, as for rehearse.");

    private static readonly Option<string[]> ContextOption = CliOptions.Context();

    internal static Command Definition()
    {
        var command = new Command("report", CliOptions.Prose("""
            Writes one self-contained HTML page of a run: rehearsed, a saved summary, or execution histories.
            Rehearses as rehearse does (or reads SUMMARY, saved from rehearse --json, or the execution histories that
            aws stepfunctions get-execution-history --output json saved: files or folders holding the upgrade execution's and,
            where given, its child executions', as rehearse --history-out writes them) and writes one self-contained HTML page
            (inline CSS and SVG, nothing fetched): outcome and duration, traffic weights over virtual time (Green's share in
            green), alarm states as bands, the rollback moment, approvals (asked, approved, refused, timed out), the stages and
            the run record's reason.

            Forms:
              report --out FILE [--scenario NAME|FILE] [--input FILE|JSON]
                     [--template FILE | -c key=value ...]
              report --out FILE --history SUMMARY
              report --out FILE --history PATH [--history PATH ...]

            Exit codes: 0 when written (whatever the run's outcome), 64 for a usage or scenario error.
            """))
        {
            OutOption, HistoryOption, ScenarioOption, InputOption, TemplateOption, ContextOption,
        };
        command.SetAction(r => Run(r, r.InvocationConfiguration.Output));
        return command;
    }

    /// <summary>As <c>report ARGS</c> on the command line, with exceptions thrown rather than printed.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout) => SimulatorCli.Invoke(["report", .. args], stdout);

    private static int Run(ParseResult cl, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var output = cl.GetRequiredValue(OutOption);
        var history = cl.GetValue(HistoryOption) ?? [];
        var scenarioName = cl.GetValue(ScenarioOption);
        var inputArgument = cl.GetValue(InputOption);
        var template = cl.GetValue(TemplateOption);
        var context = cl.GetValue(ContextOption) ?? [];
        if (history.Length > 0 && (scenarioName is not null || inputArgument is not null || template is not null || context.Length > 0))
        {
            throw new UsageException("--history draws a saved summary: --scenario, --input, --template and -c apply to a rehearsal.");
        }

        var picture = history.Length == 0 ? Rehearse(scenarioName ?? RehearseCommand.DefaultScenario, inputArgument, RehearseCommand.Deployment(template, context))
            : history.Length == 1 && File.Exists(history[0]) && !IsHistory(history[0]) ? FromSummary(history[0]) : FromHistories(history);
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
