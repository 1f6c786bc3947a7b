using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>The pasteable inputs in statemachines/examples do in the demo world what the README says they do.</summary>
public sealed class ExampleInputRehearsalTests
{
    private static JValue Example(string file) => JValue.Parse(File.ReadAllText(Path.Combine(BuildInfo.RepositoryRoot, "statemachines/examples", file)));

    [Fact]
    public void DryRun_PlansAndChecksBlueWithoutBuildingOrMovingAnything()
    {
        var (rehearsal, summary) = RehearsalKit.Run("happy-alb", Example("dry-run.json"));
        using var _ = rehearsal;

        Assert.True(summary.Status == "SUCCEEDED", $"{summary.Status} {summary.Error}: {summary.Cause}");
        Assert.Equal("Planned", summary.RunRecord?.GetString("status"));
        Assert.Equal(new TrafficWeights(100, 0), summary.FinalWeights);
        Assert.Null(RehearsalKit.Cluster(rehearsal.Account, "shop-green"));
        // The only write is the Planned run item.
        Assert.Equal(["dynamodb:PutItem"], rehearsal.Account.Calls.Calls.Where(c => c.ChangesAResource && c.StateName is { } s && s != "rehearsal summary").Select(c => c.Name));
    }
}
