using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Integrations;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// What the workflow's retriers do with errors that are not plain throttles, through whole rehearsals: SnapStart restore
/// errors and the guide's unsuffixed execution-limit error are retried until the upgrade completes; a call the role is
/// not allowed to make fails the run within seconds instead of backing off for minutes.
/// </summary>
public sealed class RetryPolicyTests
{
    [Fact]
    public void Rehearse_SnapStartRestoreErrorsOnInvoke_AreRetriedAndTheUpgradeCompletes()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        var account = rehearsal.Account;
        var first = account.Calls.CountOf("lambda:Invoke") + 1;
        // The first two decision functions the upgrade calls (Plan the upgrade, then the traffic check while describing Blue).
        account.Faults.Add(new FaultRule("lambda:Invoke", FaultKind.Error, OnCalls: [first], Times: 1, Error: "SnapStartTimeoutException",
            Message: "Lambda couldn't restore the snapshot within the timeout limit."));
        account.Faults.Add(new FaultRule("lambda:Invoke", FaultKind.Error, OnCalls: [first + 2], Times: 1, Error: "SnapStartNotReadyException",
            Message: "Lambda is initializing your function. You can invoke the function when the state of your function is Active."));

        var summary = rehearsal.Run();

        var faulted = account.Calls.Calls.Where(c => c.InjectedFault is not null).Select(c => c.Outcome).ToList();
        Assert.Equal(["Lambda.SnapStartTimeoutException", "Lambda.SnapStartNotReadyException"], faulted);
        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal("Completed", summary.Outcome);
    }

    [Fact]
    public void Rehearse_StartingABakeFailsWithTheGuidesUnsuffixedExecutionLimitError_IsRetried()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        var tasks = rehearsal.Account.Tasks;
        Assert.True(tasks.TryResolve(StepFunctionsIntegration.StartExecutionResource, out var startExecution));
        var refused = 0;
        var bakesStarted = 0;
        tasks.Register(StepFunctionsIntegration.StartExecutionResource, new DelegateTaskHandler(request =>
        {
            if (request.StateName == "Bake while watching the alarms" && bakesStarted++ == 0)
            {
                refused++;
                // The spelling of the guide's nested-workflow example (concepts-nested-workflows), without "Exception".
                throw new StatesException("StepFunctions.ExecutionLimitExceeded", "Maximum number of running executions reached.");
            }

            return startExecution.InvokeAsync(request);
        }));

        var summary = rehearsal.Run();

        Assert.Equal(1, refused);
        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal("Completed", summary.Outcome);
        Assert.Equal(new TrafficWeights(0, 100), summary.FinalWeights);
    }

    /// <summary>(the call, the error code its service answers when IAM denies it, the error name the workflow sees).</summary>
    public static TheoryData<string, string, string> DeniedCalls => new()
    {
        // ELBv2, CloudWatch and the optimized Lambda Invoke define no AccessDenied error: it reaches the workflow as the generic exception.
        { "elasticloadbalancing:DescribeRules", "AccessDenied", "ElasticLoadBalancingV2.ElasticLoadBalancingV2Exception" },
        { "cloudwatch:DescribeAlarms", "AccessDenied", "CloudWatch.CloudWatchException" },
        { "lambda:Invoke", "AWSLambdaException", "Lambda.AWSLambdaException" },
    };

    [Theory]
    [MemberData(nameof(DeniedCalls))]
    public void Rehearse_ACallTheRoleMayNotMake_FailsTheRunWithinSecondsInsteadOfBackingOff(string call, string code, string error)
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        var account = rehearsal.Account;
        account.Faults.Add(new FaultRule(call, FaultKind.Error, OnCalls: null, Probability: 1, Error: code,
            Message: $"User: arn:aws:sts::111122223333:assumed-role/bluegreen-upgrade-state-machine/exec is not authorized to perform: {call}"));

        var summary = rehearsal.Run();

        // The upgrade's own calls (reconcile-run, started by its ending, meets the same denial afterwards).
        var denied = account.Calls.Calls.Where(c => c.Name == call && c.InjectedFault is not null && !RehearsalKit.ReconcileStates.Contains(c.StateName ?? string.Empty)).ToList();
        Assert.Equal("FAILED", summary.Status);
        Assert.Equal(error, summary.Error);
        Assert.All(denied, c => Assert.Equal(error, c.Outcome));
        // The first attempt and at most two quick retries: seconds, not the minutes of a throttling back-off.
        Assert.InRange(denied.Count, 1, 3);
        Assert.True((denied[^1].Time - denied[0].Time).TotalSeconds <= 3, $"denied calls spread over {(denied[^1].Time - denied[0].Time).TotalSeconds} s");
    }
}
