using BlueGreen.Simulator.Aws.Services;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Aws.Services;

public sealed class WorldProblemsTests
{
    [Fact]
    public void ThrowIfAny_SeveralProblems_ReportsEveryOneOnItsOwnLine()
    {
        var problems = new WorldProblems();
        problems.UnknownFields(JObject.Of(("zones", 1), ("hostedZones", 2)), "route53", "hostedZones", "changePropagationSeconds");
        problems.Try("route53.hostedZones[0]", () => throw new ScenarioException("'name' is required"));
        var kept = problems.Try("route53.changePropagationSeconds", () => 30);

        var e = Assert.Throws<ScenarioException>(problems.ThrowIfAny);

        Assert.Equal(30, kept);
        Assert.Equal(
            [
                "route53: unknown field 'zones' (allowed: hostedZones, changePropagationSeconds)",
                "route53.hostedZones[0]: 'name' is required",
            ],
            e.Message.Split(Environment.NewLine));
    }

    [Fact]
    public void ThrowIfAny_NoProblem_DoesNothing()
    {
        var problems = new WorldProblems();
        problems.Try("eks", () => { });

        problems.ThrowIfAny();

        Assert.Equal(0, problems.Count);
    }
}
