using System.Diagnostics;
using Xunit.Abstractions;

namespace BlueGreen.Simulator.Tests.FaultSweep;

/// <summary>One class per base scenario, so xunit runs the three sweeps side by side.</summary>
public abstract class FaultSweepTests(ITestOutputHelper output, string baseScenario)
{
    [Fact]
    public void EveryTaskStateUnderEveryFault_KeepsTheWorkflowsPromises()
    {
        var clock = Stopwatch.StartNew();
        var calls = FaultSweep.TaskCalls(baseScenario);
        var runs = 0;
        var failures = new List<string>();
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (state, target) in calls)
        {
            foreach (var (kind, fault) in FaultSweep.Faults(target, state))
            {
                runs++;
                using var rehearsal = Simulator.Rehearsal.UpgradeRehearsal.Prepare(FaultSweep.With(baseScenario, fault));
                var summary = rehearsal.Run();
                outcomes[summary.Outcome] = outcomes.GetValueOrDefault(summary.Outcome) + 1;
                foreach (var problem in FaultSweep.Violations(rehearsal, summary))
                {
                    failures.Add($"{baseScenario}, {kind} on {target} in '{state}': {problem} (outcome {summary.Outcome}, {summary.Error})");
                }
            }
        }

        output.WriteLine($"fault sweep over {baseScenario}: {calls.Count} task calls x 3 faults = {runs} runs in {clock.Elapsed.TotalSeconds:0} s; outcomes: {string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"))}");
        Assert.True(runs >= 3 * 10, $"only {runs} runs");
        Assert.Empty(failures);
    }
}

public sealed class FaultSweepInvariantTests
{
    [Fact]
    public void Violations_NameEachBrokenPromise()
    {
        var (rehearsal, summary) = Rehearsal.RehearsalKit.Run("happy-alb");
        using var _ = rehearsal;
        Assert.Empty(FaultSweep.Violations(rehearsal, summary));

        var broken = summary with
        {
            LockHeldBy = "someone",
            FinalWeights = new Simulator.Rehearsal.TrafficWeights(50, 50),
            RunRecord = summary.RunRecord!.With("status", "Running"),
        };

        Assert.Equal(
            ["the run record still says Running", "traffic is split (50/50) and the outcome is Completed", "the lock is still held by someone after a Completed run"],
            FaultSweep.Violations(rehearsal, broken));
    }
}

public sealed class ForwardPathFaultSweep(ITestOutputHelper output) : FaultSweepTests(output, "happy-alb");

public sealed class RollbackPathFaultSweep(ITestOutputHelper output) : FaultSweepTests(output, "alarm-at-25");

public sealed class CleanupPathFaultSweep(ITestOutputHelper output) : FaultSweepTests(output, "create-fails");
