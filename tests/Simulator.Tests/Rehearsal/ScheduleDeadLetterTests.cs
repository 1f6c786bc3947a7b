using BlueGreen.Simulator.Aws.Services.Scheduler;
using BlueGreen.Simulator.Aws.Services.Sqs;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Nothing a schedule should have started is lost: when Scheduler gives up (its retry policy spent), the start it could
/// not make lands in the deployment's schedules dead-letter queue, sent with the schedule's deployed role, which may do
/// exactly that (configuring-schedule-dlq.html: the execution role needs sqs:SendMessage).
/// </summary>
public class ScheduleDeadLetterTests
{
    [Fact]
    public void DecommissionScheduleThatCannotStartForADay_EndsInTheDeadLetterQueue_AndBlueStays()
    {
        var (rehearsal, summary) = RehearsalKit.Run("decommission-schedule-undeliverable");
        using var _ = rehearsal;
        var account = rehearsal.Account;

        Assert.Equal("Completed", summary.Outcome);
        var invocation = Assert.Single(account.Service<SchedulerService>().Invocations, i => i.TargetArn.Contains(rehearsal.Deployment.DecommissionStateMachine, StringComparison.Ordinal));
        Assert.Equal((false, true, false), (invocation.Succeeded, invocation.SentToDeadLetterQueue, invocation.Dropped));
        var queue = account.Arn("sqs", "bluegreen-dev-schedules-undelivered");
        var letter = Assert.Single(account.Service<SqsService>().MessagesIn(queue));
        Assert.Contains("\"clusterName\":\"shop-blue\"", letter.Body, StringComparison.Ordinal);
        Assert.Contains("schedule/default/", letter.Attributes.GetObject("SCHEDULE_ARN")!.GetString("StringValue"), StringComparison.Ordinal);
        // retire-blue's RetryPolicy: 185 retries within 24 hours; the retries ran out first.
        Assert.Equal(("MaximumRetryAttempts", "185"), (letter.Attributes.GetObject("EXHAUSTED_RETRY_CONDITION")!.GetString("StringValue"), letter.Attributes.GetObject("RETRY_ATTEMPTS")!.GetString("StringValue")));
        // Sent by the schedule's role, and allowed: the deployment grants it sqs:SendMessage on this queue only.
        var send = Assert.Single(account.Calls.Calls, c => c.Name == "sqs:SendMessage");
        Assert.True(send.Succeeded);
        Assert.EndsWith("-decommission-scheduler", send.Principal, StringComparison.Ordinal);
        Assert.Equal("ACTIVE", RehearsalKit.Cluster(account, "shop-blue")!.GetString("Status"));
        Assert.DoesNotContain(account.StepFunctions.Executions, e => e.StateMachineName == rehearsal.Deployment.DecommissionStateMachine);
    }
}
