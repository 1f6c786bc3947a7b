using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Iam;
using BlueGreen.Simulator.Aws.Services.EventBridge;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// The restore-blue rule's start of restore-blue is a call like any other: the rehearsal's call log and summary show it,
/// made by the rule's role, and a scenario fault on <c>states:StartExecution</c> hits it. EventBridge retries it, and
/// the rehearsal waits for the retry.
/// </summary>
public sealed class RestoreBlueDeliveryTests
{
    private const string ScenarioName = "abort-mid-shift";

    [Fact]
    public void RestoreBlueStart_IsInTheCallLogAndTheSummary_AsTheRulesCall()
    {
        var (rehearsal, summary) = RehearsalKit.Run(ScenarioName);
        using var _ = rehearsal;
        var rule = rehearsal.Account.Service<EventBridgeService>().Deliveries.Single(d => d.Source.EndsWith(rehearsal.Deployment.RestoreBlueRule, StringComparison.Ordinal)).Source;
        var eventsRole = rehearsal.Account.Service<IamService>().Roles.Single(r => r.Name.EndsWith("-restore-blue-events", StringComparison.Ordinal));

        var call = Assert.Single(rehearsal.Account.Calls.Calls, c => c.DeliveredBy == rule);

        Assert.Equal(("states:StartExecution", eventsRole.Arn, "OK"), (call.Name, call.Principal, call.Outcome));
        Assert.EndsWith(":stateMachine:" + rehearsal.Deployment.RestoreBlueStateMachine, call.Parameters.GetString("StateMachineArn"), StringComparison.Ordinal);
        // The summary's awsCalls are the run's calls: the rule's start is one of them.
        Assert.Equal(rehearsal.Account.Calls.Calls.Count(c => c.Name == "states:StartExecution"), summary.AwsCalls.Count(c => c == "states:StartExecution"));
    }

    [Fact]
    public void ThrottledRestoreBlueStart_IsRetried_AndBlueIsStillRestored()
    {
        // The rehearsal is deterministic, so a run says which states:StartExecution is restore-blue's next attempt (the
        // reconcile rule starts reconcile-run at the same moment, so the two rules' calls interleave): the clean run
        // gives the first attempt, a run throttling that one gives the retry.
        var first = RestoreBlueStarts([]).First();
        var second = RestoreBlueStarts([first]).Skip(1).First();

        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load(ScenarioName));
        rehearsal.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Throttle, OnCalls: [first, second]));
        var summary = rehearsal.Run();

        var delivery = Assert.Single(rehearsal.Account.Service<EventBridgeService>().Deliveries, d => d.Source.EndsWith(rehearsal.Deployment.RestoreBlueRule, StringComparison.Ordinal));
        Assert.Equal((true, 3), (delivery.Succeeded, delivery.Attempts));
        Assert.True(delivery.Finished > delivery.Time);
        Assert.Equal(["Throttle", "Throttle", null], rehearsal.Account.Calls.Calls.Where(c => c.DeliveredBy == delivery.Source).Select(c => c.InjectedFault));
        Assert.Contains(summary.OtherExecutions, e => e.StateMachine == rehearsal.Deployment.RestoreBlueStateMachine && e.Status == "SUCCEEDED");
        Assert.Equal(("RolledBack", "ABORTED"), (summary.Outcome, summary.Status));
        Assert.Equal(new TrafficWeights(100, 0), summary.FinalWeights);
        Assert.Equal("RolledBack", summary.RunRecord?.GetString("status"));
    }

    /// <summary>The 1-based positions, among all states:StartExecution calls, of the restore-blue rule's attempts.</summary>
    private static List<int> RestoreBlueStarts(int[] throttled)
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load(ScenarioName));
        if (throttled.Length > 0)
        {
            rehearsal.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Throttle, OnCalls: throttled));
        }

        rehearsal.Run();
        var starts = rehearsal.Account.Calls.Calls.Where(c => c.Name == "states:StartExecution").ToList();
        return [.. starts.Select((c, i) => (c, i)).Where(x => x.c.DeliveredBy?.EndsWith(rehearsal.Deployment.RestoreBlueRule, StringComparison.Ordinal) == true).Select(x => x.i + 1)];
    }
}
