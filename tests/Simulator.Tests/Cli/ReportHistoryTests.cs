using System.Text.RegularExpressions;
using BlueGreen.Simulator.Cli;
using BlueGreen.Simulator.Json;
using Xunit.Abstractions;

namespace BlueGreen.Simulator.Tests.Cli;

/// <summary>
/// <c>rehearse --history-out DIR</c> writes what <c>aws stepfunctions get-execution-history --output json</c> prints for the
/// upgrade and each child execution; <c>report --history DIR</c> draws the same page from them, following the children.
/// </summary>
public sealed partial class ReportHistoryTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("report-history-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Histories(string scenario, params string[] more)
    {
        var folder = Path.Combine(_directory, scenario);
        var stdout = new StringWriter();
        Assert.Equal(0, RehearseCommand.Run(["--scenario", scenario, "--history-out", folder, "--json", .. more], stdout));
        return folder;
    }

    private string Report(params string[] args)
    {
        var file = Path.Combine(_directory, "run.html");
        var stdout = new StringWriter();
        Assert.Equal(0, ReportCommand.Run(["--out", file, .. args], stdout));
        output.WriteLine(stdout.ToString());
        return File.ReadAllText(file);
    }

    [Fact]
    public void HistoryOut_WritesOneGetExecutionHistoryDocumentPerExecution()
    {
        var stdout = new StringWriter();
        var folder = Path.Combine(_directory, "happy");
        RehearseCommand.Run(["--history-out", folder, "--json"], stdout);
        var summary = JValue.Parse(stdout.ToString()).AsObject();

        var files = Directory.GetFiles(folder, "*.json");
        Assert.Equal((int)summary.GetNumber("childExecutions")!.Value + 1, files.Length);
        var upgrade = JValue.Parse(File.ReadAllText(Path.Combine(folder, summary.GetString("executionArn")!.Split(':')[^1] + ".json"))).AsObject();
        var events = upgrade.GetArray("events")!.OfType<JObject>().ToList();
        Assert.Equal((int)summary.GetNumber("historyEvents")!.Value, events.Count);
        var started = events[0];
        Assert.Equal(("ExecutionStarted", 1.0, 0.0), (started.GetString("type"), started.GetNumber("id")!.Value, started.GetNumber("previousEventId")!.Value));
        Assert.Matches(CliTimestamp(), started.GetString("timestamp")!);
        Assert.Equal("shop-blue", JValue.Parse(started.GetObject("executionStartedEventDetails")!.GetString("input")!).AsObject().GetString("clusterName"));
        Assert.Equal("ExecutionSucceeded", events[^1].GetString("type"));
    }

    [Fact]
    public void Report_FromHistories_DrawsTheRehearsalsTrafficRollbackAndAlarm()
    {
        var folder = Histories("alarm-at-25");
        var rehearsed = Report("--scenario", "alarm-at-25");

        var html = Report("--history", folder);

        Assert.Equal(ReportCommandTests.Steps(rehearsed), ReportCommandTests.Steps(html));
        Assert.Equal(["0", "10", "25", "0"], ReportCommandTests.Steps(html).Select(s => s.Green));
        Assert.Contains("<line id=\"rollback\" class=\"rollback\" data-at=\"2026-11-23 09:26:00\"", html, StringComparison.Ordinal);
        Assert.Contains("<line class=\"alarm-marker\" data-alarm=\"shop-p99-latency\" data-at=\"2026-11-23 09:26:00\"", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"outcome RolledBack\">RolledBack</span>", html, StringComparison.Ordinal);
        Assert.Contains("UpgradeRolledBack", html, StringComparison.Ordinal);
        Assert.Contains("history shop-blue-to-1-34.json and 16 child execution(s)", html, StringComparison.Ordinal);
        Assert.Contains("Move traffic to this step and bake it", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_FromHistories_FindsChildrenByTheirInput_AndSaysWhichWereNotGiven()
    {
        var folder = Histories("alarm-at-25");
        var upgrade = Path.Combine(folder, "shop-blue-to-1-34.json");
        var n = 0;
        var renamed = CopyChildren(folder, "renamed", _ => $"child-{n++}.json");

        var byInput = Report("--history", upgrade, "--history", renamed);
        var alone = Report("--history", upgrade);

        Assert.Equal(["0", "10", "25", "0"], ReportCommandTests.Steps(byInput).Select(s => s.Green));
        Assert.Equal(["0"], ReportCommandTests.Steps(alone).Select(s => s.Green));
        Assert.Contains("and 0 child execution(s) (", alone, StringComparison.Ordinal);
        Assert.Contains("named but not given", alone, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_MarksTheApprovalQuestionAndItsAnswer_FromTheRehearsalHistoriesAndTheRunRecord()
    {
        var folder = Histories("approval-refused-at-finalize");
        var summary = Path.Combine(_directory, "summary.json");
        var json = new StringWriter();
        RehearseCommand.Run(["--scenario", "approval-refused-at-finalize", "--json"], json);
        File.WriteAllText(summary, json.ToString());

        var rehearsed = Approvals(Report("--scenario", "approval-refused-at-finalize"));
        var fromHistory = Approvals(Report("--history", folder));
        var fromSummary = Approvals(Report("--history", summary));

        Assert.Equal([("beforeFinalize", "asked", "2026-11-23 09:24:30"), ("beforeFinalize", "refused", "2026-11-23 09:35:00")], rehearsed);
        Assert.Equal(rehearsed, fromHistory);
        Assert.Equal(rehearsed, fromSummary);
    }

    [Fact]
    public void Report_MarksATimedOutApproval()
    {
        var html = Report("--history", Histories("approval-timeout"));

        Assert.Equal([("beforeTraffic", "asked", "2026-11-23 09:19:30"), ("beforeTraffic", "timed out", "2026-11-23 09:29:30")], Approvals(html));
        Assert.Contains("<table id=\"approvals\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_FromHistories_WithoutAnUpgradesHistory_SaysSo()
    {
        var folder = Histories("happy-alb");
        var children = CopyChildren(folder, "children", Path.GetFileName);

        var e = Assert.Throws<UsageException>(() => ReportCommand.Run(["--out", Path.Combine(_directory, "x.html"), "--history", children], new StringWriter()));
        Assert.Contains("is an upgrade's", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The whole path a user takes: histories as the CLI saves them, the report, the page in headless Chromium.</summary>
    [Fact]
    public void Report_FromHistories_RendersInHeadlessChromium_WithTheApprovalAndWeights()
    {
        if (!File.Exists(ReportCommandTests.Chromium))
        {
            output.WriteLine($"Not run: {ReportCommandTests.Chromium} is not installed (apt-get install -y chromium).");
            return;
        }

        var page = Path.Combine(_directory, "run.html");
        Assert.Equal(0, ReportCommand.Run(["--out", page, "--history", Histories("approval-refused-at-finalize")], new StringWriter()));
        var screenshot = Path.Combine(_directory, "run.png");

        var (exit, log) = ReportCommandTests.RunChromium(screenshot, page);

        Assert.True(exit == 0, $"chromium exited {exit}: {log}");
        var png = Png.Read(File.ReadAllBytes(screenshot));
        output.WriteLine($"screenshot {png.Width}x{png.Height}: green {png.Count(0x2d, 0xa4, 0x4e)}, blue {png.Count(0x09, 0x69, 0xda)}, refused red {png.Count(0xcf, 0x22, 0x2e)} pixels");
        Assert.True(png.Count(0x2d, 0xa4, 0x4e) > 500, $"Green's share: {png.Count(0x2d, 0xa4, 0x4e)} pixels");
        Assert.True(png.Count(0x09, 0x69, 0xda) > 5_000, $"Blue's share: {png.Count(0x09, 0x69, 0xda)} pixels");
        // The refusal's dot and its dotted line (no alarm fires in this run, so #cf222e is the refusal's).
        Assert.True(png.Count(0xcf, 0x22, 0x2e) > 20, $"refusal marker: {png.Count(0xcf, 0x22, 0x2e)} pixels");
        Assert.DoesNotContain(":CONSOLE", log, StringComparison.Ordinal);
    }

    /// <summary>Copies every history but the upgrade's (<c>shop-blue-to-1-34.json</c>) into a new folder, named by <paramref name="name"/>.</summary>
    private string CopyChildren(string folder, string into, Func<string, string> name)
    {
        var target = Directory.CreateDirectory(Path.Combine(_directory, into)).FullName;
        foreach (var file in Directory.GetFiles(folder).Where(f => !f.EndsWith("shop-blue-to-1-34.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            File.Copy(file, Path.Combine(target, name(file)));
        }

        return target;
    }

    private static List<(string Kind, string Event, string At)> Approvals(string html) =>
        ApprovalElements().Matches(html).Select(m => (m.Groups["kind"].Value, m.Groups["event"].Value, m.Groups["at"].Value)).ToList();

    [GeneratedRegex("""<g id="approval-\d+" class="[^"]+" data-kind="(?<kind>[^"]+)" data-event="(?<event>[^"]+)" data-at="(?<at>[^"]+)">""")]
    private static partial Regex ApprovalElements();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$")]
    private static partial Regex CliTimestamp();
}
