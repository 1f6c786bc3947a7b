using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Cli;

/// <summary>
/// <c>report --out FILE [--scenario NAME|FILE] [--input FILE|JSON] [--template FILE | -c key=value ...]</c> rehearses the
/// scenario as <c>rehearse</c> does and writes one self-contained HTML page of the run (<see cref="RunReportHtml"/>);
/// <c>report --out FILE --history SUMMARY</c> draws a saved <c>rehearse --json</c> summary instead of rehearsing.
/// Exits 0 when the page was written (whatever the run's outcome), 64 for a usage, scenario or summary error.
/// </summary>
public static class ReportCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var cl = new CommandLine(args, new HashSet<string>());
        var output = cl.Require("out");
        var history = cl.Get("history");
        var scenarioName = cl.Get("scenario");
        var inputArgument = cl.Get("input");
        var template = cl.Get("template");
        var context = cl.GetAll("context");
        cl.RejectUnknown();
        if (history is not null && (scenarioName is not null || inputArgument is not null || template is not null || context.Count > 0))
        {
            throw new UsageException("--history draws a saved summary: --scenario, --input, --template and -c apply to a rehearsal.");
        }

        var picture = history is null ? Rehearse(scenarioName ?? RehearseCommand.DefaultScenario, inputArgument, RehearseCommand.Deployment(template, context)) : FromSummary(history);
        var full = Path.GetFullPath(output);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, RunReportHtml.Render(picture));
        stdout.WriteLine($"Wrote {output}: {picture.Cluster} {picture.Outcome}, {picture.Weights.Count} traffic split(s), {picture.Alarms.Count} alarm change(s), {picture.Stages.Count} stage(s), {picture.Seconds:0} virtual seconds.");
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
