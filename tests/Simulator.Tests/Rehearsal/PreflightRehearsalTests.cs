using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>Preflight through the whole workflow: what it refuses changes nothing, and what it adjusts the run follows.</summary>
public sealed class PreflightRehearsalTests
{
    [Fact]
    public void RecordsCachedLongerThanABake_EveryBakeLastsTheTtl()
    {
        var (rehearsal, summary) = RehearsalKit.Run("records-cached-longer-than-a-bake");
        using var _ = rehearsal;

        Assert.Equal("Completed", summary.Outcome);
        var steps = summary.RunRecord!.GetObject("steps")!;
        Assert.Equal(10, steps.Count);
        Assert.All(steps, s => Assert.Equal(600, s.Value.AsObject().GetNumber("bakeSeconds")));
        Assert.Contains("every bake lasts at least 600 s", summary.RunRecord["preflightWarnings"]!.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alarm-name-misspelled", "PreflightFailed", "shop-p99-latnecy")]
    [InlineData("hook-not-tagged", "PreflightFailed", "is not tagged bluegreen:hook=bluegreen-dev")]
    [InlineData("rule-owned-by-ingress", "TrafficOwnedByController", "AWS Load Balancer Controller")]
    [InlineData("records-owned-by-external-dns", "TrafficOwnedByController", "external-dns")]
    public void WhatTheDeploymentCannotReach_IsRefusedBeforeAnythingChanges(string scenario, string error, string cause)
    {
        var (rehearsal, summary) = RehearsalKit.Run(scenario);
        using var _ = rehearsal;

        Assert.Equal(error, summary.Error);
        Assert.Contains(cause, summary.Cause, StringComparison.Ordinal);
        Assert.Equal(0, summary.MutatingAwsCalls);
        // Reading an untagged hook is itself refused by IAM: that refusal is how preflight tells it apart.
        Assert.All(summary.Denials, d => Assert.Equal("lambda:GetFunction", d.Action));
        Assert.DoesNotContain(summary.AwsCalls, c => c.StartsWith("eks:Create", StringComparison.Ordinal));
    }
}
