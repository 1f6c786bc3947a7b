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
        // The clean run says which states:StartExecution the rule's is (the rehearsal is deterministic).
        int nth;
        {
            var (clean, _) = RehearsalKit.Run(ScenarioName);
            using var _ = clean;
            var starts = clean.Account.Calls.Calls.Where(c => c.Name == "states:StartExecution").ToList();
            nth = starts.FindIndex(c => c.DeliveredBy is not null) + 1;
        }

        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load(ScenarioName));
        rehearsal.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Throttle, OnCalls: [nth, nth + 1]));
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
}
