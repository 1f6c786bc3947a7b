using BlueGreen.Simulator.Cli;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;

namespace BlueGreen.Simulator.Tests.Cli;

/// <summary>
/// <c>rehearse --state DIR</c> keeps the run table across rehearsals (dynalite on disk); <c>runs list</c> reads it as
/// docs/operating.md reads a deployed table: the runsByTime index across clusters, the table's key for one cluster.
/// </summary>
public sealed class RunsCommandTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("runs-state-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public void RunsList_AfterTwoKeptRehearsals_ListsBoth_NewestFirst_ByStatusAndByCluster()
    {
        Assert.Equal(0, RehearseCommand.Run(["--scenario", "happy-alb", "--state", _state, "--json"], new StringWriter()));
        Assert.Equal(0, RehearseCommand.Run(["--scenario", "alarm-at-25", "--state", _state, "--json"], new StringWriter()));

        var all = List("--json");
        var rolledBack = List("--status", "RolledBack", "--json");
        var latestOfCluster = List("--cluster", "shop-blue", "--limit", "1", "--json");
        var otherCluster = List("--cluster", "shop-green", "--json");

        Assert.Equal(["RolledBack", "Succeeded"], all.Select(r => r.GetString("status")));
        Assert.All(all, r => Assert.Equal("shop-blue", r.GetString("clusterName")));
        Assert.NotEqual(all[0].GetString("runId"), all[1].GetString("runId"));
        Assert.Equal(all[0].GetString("runId"), Assert.Single(rolledBack).GetString("runId"));
        Assert.Equal(all[0].GetString("runId"), Assert.Single(latestOfCluster).GetString("runId"));
        Assert.Empty(otherCluster);
        Assert.Null(all[0]["plan"]); // the index projects a run's summary, not its plan
        Assert.NotNull(latestOfCluster[0]["plan"]); // the table's own item has everything
    }

    [Fact]
    public void RunsList_Table_PrintsOneRowPerRun()
    {
        RehearseCommand.Run(["--scenario", "happy-alb", "--state", _state, "--json"], new StringWriter());
        var stdout = new StringWriter();

        Assert.Equal(0, RunsCommand.Run(["list", "--state", _state], stdout));

        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Runs in bluegreen-dev-upgrades-", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^startedAt\s+clusterName\s+blueVersion\s+targetVersion\s+status\s+outcome\s+runId$", lines[1]);
        Assert.Matches(@"^2026-11-23T09:00:00.000Z\s+shop-blue\s+1\.32\s+1\.34\s+Succeeded\s+Completed\s+shop-blue-to-1-34-", lines[2]);
    }

    [Fact]
    public void RunsList_WithoutAKeptTable_OrWithAnUnknownStatus_IsRefused()
    {
        Assert.Throws<RunTableException>(() => RunsCommand.Run(["list", "--state", _state], new StringWriter()));
        Assert.Throws<UsageException>(() => RunsCommand.Run(["list", "--state", _state, "--status", "Done"], new StringWriter()));
        Assert.Throws<UsageException>(() => RunsCommand.Run(["list"], new StringWriter()));
    }

    private List<JObject> List(params string[] options)
    {
        var stdout = new StringWriter();
        Assert.Equal(0, RunsCommand.Run(["list", "--state", _state, .. options], stdout));
        return [.. ((JObject)JValue.Parse(stdout.ToString())).GetArray("runs")!.OfType<JObject>()];
    }
}
