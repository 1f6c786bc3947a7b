using System.Text;
using System.Text.Json.Nodes;
using BlueGreen.Functions.EndOfSupport;
using BlueGreen.Functions.Tests.Support;
using static BlueGreen.Functions.Tests.EndOfSupport.Fleet;

namespace BlueGreen.Functions.Tests.EndOfSupport;

public class ScanDigestTests
{
    [Fact]
    public void Line_LongerThanTheLimit_IsCutOnACharacterBoundary()
    {
        var text = new string('a', 397) + "한국어";

        var cut = ScanDigest.Cut(text, ScanDigest.MaxLineBytes);

        Assert.Equal(new string('a', 397) + "...", cut);
        Assert.True(Encoding.UTF8.GetByteCount(cut) <= ScanDigest.MaxLineBytes);
        Assert.Equal("short", ScanDigest.Cut("short", ScanDigest.MaxLineBytes));
    }

    [Fact]
    public void Decision_ForAHundredCharacterCluster_HasALineWithinTheLimit_AndCountsItsAction()
    {
        var name = "shop-" + new string('x', 95);
        var decision = Decide(Cluster(name, "1.34", ("team", "shop")), At("2026-10-05T00:00:00Z"), [Shop()]);
        var tallied = EndOfSupportPlanner.Decide(new EndOfSupportPlanner.ClusterFacts(Cluster(name, "1.34", ("team", "shop")), false, []), Calendar, [Shop()], At("2026-10-05T00:00:00Z"), Deployment,
            decision.Occupancy, decision.Tally);

        Assert.StartsWith($"{name} 1.34 (STANDARD_SUPPORT): create, target 1.35: 1.34 leaves standard support", decision.DigestLine, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(decision.DigestLine!) <= ScanDigest.MaxLineBytes);
        Assert.True(decision.Listed);
        Assert.Equal(new DigestTally { Create = 1 }, decision.Tally);
        Assert.Equal(new DigestTally { Create = 2 }, tallied.Tally);
    }

    [Theory]
    [InlineData(EndOfSupportActions.Keep, false)]
    [InlineData(EndOfSupportActions.None, false)]
    [InlineData(EndOfSupportActions.NeedsHuman, true)]
    [InlineData(EndOfSupportActions.Delete, true)]
    public void Digest_ListsWhatNeedsSomething_AndCountsTheRest(string action, bool listed) =>
        Assert.Equal(listed, ScanDigest.Lists(action));

    [Fact]
    public void Bounds_KeepTheLongestDigestUnderTheSnsLimit()
    {
        // The counts line (10 numbers of at most 4 digits and the execution name, at most 80 characters) and the tail.
        const int header = 300;
        const int tail = 100;

        Assert.True(header + (ScanDigest.MaxListedLines * (ScanDigest.MaxLineBytes + 1)) + tail < ScanDigest.SnsMessageLimitBytes);
    }

    [Fact]
    public void EosScanDefinition_ListsAsManyLinesAsScanDigestSays()
    {
        var definition = JsonNode.Parse(Repository.Read("statemachines/eos-scan.asl.json"))!;

        var choice = definition["States"]!["Does the digest list this cluster?"]!["Choices"]!.AsArray();

        Assert.Contains(choice, c => c!["NumericLessThan"]?.GetValue<int>() == ScanDigest.MaxListedLines);
    }
}
