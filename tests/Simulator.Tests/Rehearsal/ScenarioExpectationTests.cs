using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Every scenario in scenarios/ rehearsed end to end: what its <c>expect</c> block says, plus the
/// invariants every ending must keep (traffic never split, lock released, nothing left running).
/// </summary>
public class ScenarioExpectationTests
{
    private static readonly string[] FinishedStatuses = ["Succeeded", "RolledBack", "Failed", "Planned"];

    public static TheoryData<string> Scenarios => [.. RehearsalKit.ScenarioNames()];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Rehearse_Scenario_MeetsItsExpectations(string scenario)
    {
        var (rehearsal, summary) = RehearsalKit.Run(scenario);
        using var _ = rehearsal;
        var expect = rehearsal.Scenario.Expect;

        Assert.Equal(expect.GetString("outcome"), summary.Outcome);
        Assert.Equal(expect.GetString("status"), summary.Status);
        if (expect.GetString("error") is { } error)
        {
            Assert.Equal(error, summary.Error);
        }

        if (expect.GetObject("finalWeights") is { } weights)
        {
            Assert.Equal(new TrafficWeights(weights.GetNumber("blue")!.Value, weights.GetNumber("green")!.Value), summary.FinalWeights);
        }

        if (expect.GetObject("runRecord")?.GetString("status") is { } status)
        {
            Assert.Equal(status, summary.RunRecord?.GetString("status"));
        }

        if (expect.GetNumber("mutatingAwsCalls") is { } mutating)
        {
            Assert.Equal((int)mutating, summary.MutatingAwsCalls);
        }

        if (expect.GetNumber("maxHistoryEvents") is { } maxEvents)
        {
            Assert.True(summary.HistoryEvents <= maxEvents, $"{summary.HistoryEvents} history events, expected at most {maxEvents}");
        }

        if (expect.GetObject("alarmReaction") is { } reaction)
        {
            Assert.NotNull(summary.AlarmReaction);
            Assert.True(summary.AlarmReaction!.SecondsToDecision <= reaction.GetNumber("maxSecondsToDecision")!.Value);
            Assert.Equal(reaction.GetNumber("transitionsToBlue"), summary.AlarmReaction.TransitionsToBlue);
        }

        if (expect.GetObject("reconciled")?.GetArray("fixed") is { } fixes)
        {
            // Every ending starts reconcile-run; what it fixed is in its output.
            var reconcile = Assert.Single(summary.Reconciliations);
            Assert.Equal("SUCCEEDED", reconcile.Status);
            Assert.Equal(fixes.Select(f => ((JString)f).Value).Order(StringComparer.Ordinal), reconcile.Fixed);
        }

        foreach (var other in expect.GetArray("otherExecutions") ?? JArray.Empty)
        {
            var o = other.AsObject();
            var actual = Assert.Single(summary.OtherExecutions, e => e.Name == o.GetString("name"));
            Assert.Equal(o.GetString("status"), actual.Status);
            Assert.Equal(o.GetString("error"), actual.Error);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Rehearse_Scenario_EndsWithTrafficWholeTheLockReleasedAndNothingRunning(string scenario)
    {
        var (rehearsal, summary) = RehearsalKit.Run(scenario);
        using var _ = rehearsal;
        var cluster = (rehearsal.Input as JObject)?.GetString("clusterName") ?? "shop-blue";

        Assert.Contains(summary.FinalWeights, new TrafficWeights?[] { new(100, 0), new(0, 100) });
        Assert.Null(RehearsalKit.Lock(rehearsal, cluster));
        Assert.All(rehearsal.Account.StepFunctions.Executions, e => Assert.False(e.IsRunning, $"{e.StateMachineName}/{e.Name} is still running"));
        if (summary.RunRecord is { } record)
        {
            Assert.Contains(record.GetString("status"), FinishedStatuses);
        }
    }
}
