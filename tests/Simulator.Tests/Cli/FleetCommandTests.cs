using BlueGreen.Simulator.Cli;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Cli;

/// <summary><c>fleet report</c> on the fleet world (scenarios/worlds/fleet) with the repository's profiles.</summary>
public sealed class FleetCommandTests
{
    private static JObject Report(params string[] args)
    {
        using var stdout = new StringWriter();
        Assert.Equal(0, FleetCommand.Run(["report", "--json", .. args], stdout));
        return (JObject)JValue.Parse(stdout.ToString());
    }

    private static JObject Decision(JObject report, string cluster) =>
        report.GetArray("decisions")!.OfType<JObject>().Single(d => d.GetString("clusterName") == cluster);

    [Fact]
    public void Json_CoversTheWholeFleet_From129To135_WithAndWithoutProfiles()
    {
        var report = Report();
        var decisions = report.GetArray("decisions")!.OfType<JObject>().ToList();

        Assert.True(decisions.Count >= 20, $"{decisions.Count} clusters");
        Assert.Equal(["1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"], decisions.Select(d => d.GetString("clusterVersion")!).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(decisions, d => d.GetString("profile") is null);
        Assert.Contains(decisions, d => d.GetString("profile") is not null);
        Assert.Equal("2026-11-23T09:00:00.000Z", report.GetString("at"));
    }

    [Fact]
    public void Json_ShopBlueIsScheduledInItsSeoulWindow_AndTheRunningClusterIsLeftAlone()
    {
        var report = Report();

        var blue = Decision(report, "shop-blue");
        Assert.Equal("create", blue.GetString("action"));
        Assert.Equal("EXTENDED_SUPPORT", blue.GetString("supportStatus"));
        Assert.Equal("1.35", blue.GetString("targetVersion"));
        Assert.Equal("2026-11-26T10:00:00", blue.GetObject("slot")!.GetString("localStart"));
        Assert.Equal("at(2026-11-26T10:00:00)", blue.GetObject("schedule")!.GetString("ScheduleExpression"));
        Assert.Equal(0.6, blue.GetObject("cost")!.GetNumber("hourlyNow"));

        var running = Decision(report, "shop-checkout");
        Assert.Equal("needs-human", running.GetString("action"));
        Assert.Contains("upgrade of this cluster is running", running.GetString("reason"), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_ClusterInItsProfilesFreeze_GetsNoSlotUntilTheFreezeEnds()
    {
        var during = Decision(Report(), "payments-api");
        var after = Decision(Report("--at", "2026-12-26"), "payments-api");

        Assert.Equal("needs-human", during.GetString("action"));
        Assert.Contains("no maintenance window of profile payments-route53", during.GetString("reason"), StringComparison.Ordinal);
        Assert.Equal("create", after.GetString("action"));
        Assert.Equal("EXTENDED_SUPPORT", after.GetString("supportStatus"));
        Assert.Equal("2027-01-02T22:00:00", after.GetObject("slot")!.GetString("localStart"));
    }

    [Fact]
    public void Text_HasAHeaderAndOneRowPerCluster()
    {
        using var stdout = new StringWriter();

        Assert.Equal(0, FleetCommand.Run(["report", "--at", "2026-11-23T09:00:00Z"], stdout));

        var lines = stdout.ToString().Split('\n');
        Assert.StartsWith("Fleet at 2026-11-23 09:00 UTC: 24 clusters", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("cluster ", lines[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("shop-blue ", StringComparison.Ordinal) && l.Contains("2026-11-26 10:00 Asia/Seoul", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("data-lake ", StringComparison.Ordinal) && l.Contains("unsupported", StringComparison.Ordinal));
    }

    [Fact]
    public void BadProfiles_AreRefusedWithEveryProblem()
    {
        var dir = Directory.CreateTempSubdirectory("eos-profiles-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "bad.json"), """{"name":"bad","match":{"clusterNames":["x-*"]},"schedule":"always","target":"1.x","timeZone":"Mars/Base","windows":[],"upgrade":{}}""");
            using var stdout = new StringWriter();
            using var error = new StringWriter();

            Assert.Equal(1, FleetCommand.Run(["report", "--profiles", dir.FullName], stdout, error));

            var text = error.ToString();
            Assert.Contains("schedule: must be one of", text, StringComparison.Ordinal);
            Assert.Contains("target: must be", text, StringComparison.Ordinal);
            Assert.Contains("timeZone: \"Mars/Base\" is not an IANA time zone", text, StringComparison.Ordinal);
            Assert.Contains("windows: give at least one maintenance window", text, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void BadDate_IsAUsageError() =>
        Assert.Throws<UsageException>(() => FleetCommand.Run(["report", "--at", "soon"], new StringWriter()));
}
