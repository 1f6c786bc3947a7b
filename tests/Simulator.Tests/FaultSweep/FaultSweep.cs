using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;
using BlueGreen.Simulator.Tests.Rehearsal;

namespace BlueGreen.Simulator.Tests.FaultSweep;

/// <summary>
/// The fault sweep (issue 13 item 6): every Task state a base scenario's run reaches, in every state machine, is hit in
/// turn by a throttle (once), a persistent error and a 15-minute latency (once), and every ending must keep the
/// workflow's promises (<see cref="Violations"/>). Base scenarios reach the paths one fault alone cannot: the forward
/// path (happy-alb), the rollback (an alarm at 25%) and the clean-up before traffic moves (Green fails to create).
/// </summary>
public static class FaultSweep
{
    public static IReadOnlyList<(string Kind, JObject Fault)> Faults(string target, string state) =>
    [
        ("throttle", JObject.Of(("target", target), ("state", state), ("kind", "throttle"), ("times", 1))),
        ("persistent error", JObject.Of(("target", target), ("state", state), ("kind", "internal"))),
        ("15-minute latency", JObject.Of(("target", target), ("state", state), ("kind", "latency"), ("latencySeconds", 900), ("times", 1))),
    ];

    /// <summary>Every (state, call) the base scenario's rehearsal makes through the account, in first-call order.</summary>
    public static IReadOnlyList<(string State, string Target)> TaskCalls(string baseScenario)
    {
        var (rehearsal, _) = RehearsalKit.Run(baseScenario);
        using var run = rehearsal;
        return rehearsal.Account.Calls.Calls
            .Where(c => c.StateName is { Length: > 0 } and not "rehearsal summary" && c.DeliveredBy is null)
            .Select(c => (c.StateName!, c.Name))
            .Distinct()
            .ToList();
    }

    /// <summary>The base scenario with one more fault.</summary>
    public static Scenario With(string baseScenario, JObject fault)
    {
        var original = Scenario.Load(baseScenario);
        var faults = JArray.From((original.Raw.GetArray("faults") ?? JArray.Empty).Append(fault));
        return Scenario.FromJson($"{baseScenario}+fault", original.Raw.With("faults", faults), original.SourcePath);
    }

    /// <summary>What an ending must hold, whatever the fault: each broken promise, described.</summary>
    public static IReadOnlyList<string> Violations(UpgradeRehearsal rehearsal, RehearsalSummary summary)
    {
        var problems = new List<string>();
        var record = summary.RunRecord;
        var status = record?.GetString("status");
        if (status is null)
        {
            if (summary.Status == "SUCCEEDED")
            {
                problems.Add("the execution SUCCEEDED without a run record");
            }
        }
        else if (status is "Running")
        {
            problems.Add("the run record still says Running");
        }
        else if ((summary.Status == "SUCCEEDED") != (status == "Succeeded"))
        {
            problems.Add($"the execution ended {summary.Status} but the run record says {status}");
        }

        if (summary.FinalWeights is { } weights && weights.Blue is > 0 and < 100 && summary.Outcome != "RollbackFailed")
        {
            problems.Add($"traffic is split ({weights.Blue}/{weights.Green}) and the outcome is {summary.Outcome}");
        }

        if (summary.LockHeld && summary.Outcome != "RollbackFailed")
        {
            problems.Add($"the lock is still held by {summary.LockHeldBy} after a {summary.Outcome} run");
        }

        if (summary.Outcome == "RollbackFailed" && status != "RollbackFailed")
        {
            problems.Add("the outcome is RollbackFailed but the record does not say so");
        }

        var green = RehearsalKit.Cluster(rehearsal.Account, "shop-green");
        if (green is not null && green.GetString("Status") != "DELETING" && record is null)
        {
            problems.Add("Green exists but no run record says so");
        }

        return problems;
    }
}
