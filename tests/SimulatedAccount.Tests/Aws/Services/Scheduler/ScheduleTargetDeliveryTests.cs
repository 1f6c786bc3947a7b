using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.EventBridge;
using BlueGreen.Simulator.Aws.Services.Scheduler;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Services.Scheduler;

/// <summary>
/// A schedule's invocation is a call through the account's call path by the schedule's role: in the call log, hit by
/// scenario faults, and retried on the virtual clock by the target's RetryPolicy.
/// </summary>
public sealed class ScheduleTargetDeliveryTests : IDisposable
{
    private const string Role = "arn:aws:iam::111122223333:role/scheduler";

    private static readonly string UpgradeArn = PlatformHarness.Arn("states", "stateMachine:upgrade");
    private static readonly string ScheduleArn = PlatformHarness.Arn("scheduler", "schedule/default/shop-eos");

    private readonly PlatformHarness _h = new();

    public ScheduleTargetDeliveryTests() =>
        _h.Service<StepFunctionsService>().RegisterStateMachine("upgrade", """{"StartAt":"Upgrade","States":{"Upgrade":{"Type":"Pass","End":true}}}""");

    public void Dispose() => _h.Dispose();

    private SchedulerService Scheduler => _h.Service<SchedulerService>();

    private List<AwsCallRecord> Deliveries => _h.Account.Calls.Calls.Where(c => c.DeliveredBy is not null).ToList();

    /// <summary>A one-time schedule at 10:00 (an hour after the start) that deletes itself once done.</summary>
    private void CreateSchedule(params (string Key, JValue Value)[] more)
    {
        var target = new JObjectBuilder().Add("Arn", UpgradeArn).Add("RoleArn", Role).Add("Input", """{"attempt":"<aws.scheduler.attempt-number>"}""");
        foreach (var (key, value) in more)
        {
            target.Add(key, value);
        }

        _h.Call("scheduler", "CreateSchedule", JObject.Of(
            ("Name", "shop-eos"), ("ScheduleExpression", "at(2026-11-23T10:00:00)"), ("FlexibleTimeWindow", JObject.Of(("Mode", "OFF"))),
            ("ActionAfterCompletion", "DELETE"), ("Target", target.Build())));
    }

    [Fact]
    public void Invocation_IsACallInTheCallLog_MadeByTheSchedulesRole()
    {
        CreateSchedule();

        _h.Advance(TimeSpan.FromHours(2));

        var call = Assert.Single(Deliveries);
        Assert.Equal(("states:StartExecution", ScheduleArn, Role, true), (call.Name, call.DeliveredBy, call.Principal, call.Succeeded));
        Assert.Equal(_h.Start.AddHours(1), call.Time);
        Assert.Equal((DeliveryOutcome.Delivered, 1), (Assert.Single(Scheduler.Invocations).Outcome, Assert.Single(Scheduler.Invocations).Attempts));
    }

    [Fact]
    public void TransientThrottling_IsRetried_WithTheAttemptNumber_AndTheScheduleCompletesAfterwards()
    {
        CreateSchedule();
        _h.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Throttle, Times: 2));

        _h.Advance(TimeSpan.FromHours(1));
        var scheduleWhileRetrying = _h.Call("scheduler", "ListSchedules", JObject.Empty).GetArray("Schedules")!.Count;
        _h.Advance(TimeSpan.FromHours(1));

        var execution = Assert.Single(_h.Service<StepFunctionsService>().ExecutionsOf("upgrade"));
        Assert.True(execution.StartDate > _h.Start.AddHours(1), $"started at {execution.StartDate}");
        Assert.Equal("""{"attempt":"3"}""", execution.Input.ToJson());
        var invocation = Assert.Single(Scheduler.Invocations);
        Assert.Equal((true, 3, _h.Start.AddHours(1)), (invocation.Succeeded, invocation.Attempts, invocation.Time));
        Assert.Equal(["Throttle", "Throttle", null], Deliveries.Select(c => c.InjectedFault));
        Assert.Equal(1, scheduleWhileRetrying);
        Assert.Empty(Scheduler.ScheduleArns);
    }

    [Fact]
    public void PersistentFault_IsRetriedUntilTheMaximumEventAge_ThenDropped()
    {
        CreateSchedule(("RetryPolicy", JObject.Of(("MaximumEventAgeInSeconds", 120), ("MaximumRetryAttempts", 185))));
        _h.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Internal));

        _h.Advance(TimeSpan.FromHours(3));

        Assert.Empty(_h.Service<StepFunctionsService>().ExecutionsOf("upgrade"));
        var invocation = Assert.Single(Scheduler.Invocations);
        Assert.Equal((DeliveryOutcome.MaximumEventAgeReached, true), (invocation.Outcome, invocation.Dropped));
        Assert.True(invocation.Attempts > 1);
        Assert.Equal(invocation.Attempts, Deliveries.Count);
        Assert.InRange(invocation.Finished - invocation.Time, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(120));
        Assert.Empty(Scheduler.ScheduleArns);
    }

    [Fact]
    public void GivenUp_GoesToTheDeadLetterQueue_SentByTheSchedulesRole_WithWhatWentWrong()
    {
        // configuring-schedule-dlq.html: once the retry policy is exhausted, Scheduler sends the dead-letter event to the
        // target's DeadLetterConfig queue, with the schedule's execution role (which needs sqs:SendMessage on it).
        var sqs = _h.Service<BlueGreen.Simulator.Aws.Services.Sqs.SqsService>();
        var queue = sqs.AddQueue("schedules-undelivered");
        CreateSchedule(
            ("RetryPolicy", JObject.Of(("MaximumEventAgeInSeconds", 120), ("MaximumRetryAttempts", 185))),
            ("DeadLetterConfig", JObject.Of(("Arn", queue))));
        _h.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Internal));

        _h.Advance(TimeSpan.FromHours(3));

        var invocation = Assert.Single(Scheduler.Invocations);
        Assert.Equal((DeliveryOutcome.MaximumEventAgeReached, true, false), (invocation.Outcome, invocation.SentToDeadLetterQueue, invocation.Dropped));
        var message = Assert.Single(sqs.MessagesIn(queue));
        Assert.StartsWith("""{"attempt":""", message.Body, StringComparison.Ordinal);
        Assert.Equal(ScheduleArn, message.Attributes.GetObject("SCHEDULE_ARN")!.GetString("StringValue"));
        Assert.Equal("MaximumEventAgeInSeconds", message.Attributes.GetObject("EXHAUSTED_RETRY_CONDITION")!.GetString("StringValue"));
        var send = Assert.Single(Deliveries, c => c.Name == "sqs:SendMessage");
        Assert.Equal((Role, true), (send.Principal, send.Succeeded));
    }

    [Fact]
    public void AccessDenied_IsNotRetried()
    {
        CreateSchedule();
        _h.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Error, Error: "AccessDeniedException", Message: "not allowed"));

        _h.Advance(TimeSpan.FromDays(2));

        Assert.Single(Deliveries);
        var invocation = Assert.Single(Scheduler.Invocations);
        Assert.Equal((false, DeliveryOutcome.NotRetryable, 1, true), (invocation.Succeeded, invocation.Outcome, invocation.Attempts, invocation.Dropped));
        Assert.Equal("AccessDeniedException: not allowed", invocation.Result);
    }

    [Fact]
    public void EventBusTarget_IsAPutEventsCall_WithTheEventBridgeParameters()
    {
        _h.Call("scheduler", "CreateSchedule", JObject.Of(
            ("Name", "shop-eos"), ("ScheduleExpression", "at(2026-11-23T10:00:00)"), ("FlexibleTimeWindow", JObject.Of(("Mode", "OFF"))),
            ("Target", JObject.Of(
                ("Arn", PlatformHarness.Arn("events", "event-bus/default")), ("RoleArn", Role), ("Input", """{"cluster":"shop-blue"}"""),
                ("EventBridgeParameters", JObject.Of(("Source", "bluegreen.schedules"), ("DetailType", "Decommission due")))))));

        _h.Advance(TimeSpan.FromHours(2));

        var call = Assert.Single(Deliveries);
        Assert.Equal(("events:PutEvents", ScheduleArn, true), (call.Name, call.DeliveredBy, call.Succeeded));
        var published = Assert.Single(_h.Account.Events.Published, e => e.Source == "bluegreen.schedules");
        Assert.Equal(("Decommission due", "shop-blue"), (published.DetailType, published.Detail.GetString("cluster")));
        Assert.Equal(published.Id, Assert.Single(Scheduler.Invocations).Result);
    }

    [Fact]
    public void UniversalTarget_IsACallInTheCallLogToo_AndFaultsHitIt()
    {
        _h.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Throttle, Times: 1));
        _h.Call("scheduler", "CreateSchedule", JObject.Of(
            ("Name", "shop-eos"), ("ScheduleExpression", "at(2026-11-23T10:00:00)"), ("FlexibleTimeWindow", JObject.Of(("Mode", "OFF"))),
            ("Target", JObject.Of(
                ("Arn", "arn:aws:scheduler:::aws-sdk:sfn:startExecution"), ("RoleArn", Role),
                ("Input", $$"""{"stateMachineArn":"{{UpgradeArn}}","name":"eos-shop"}""")))));

        _h.Advance(TimeSpan.FromHours(2));

        Assert.Equal("eos-shop", Assert.Single(_h.Service<StepFunctionsService>().ExecutionsOf("upgrade")).Name);
        Assert.Equal([ScheduleArn, ScheduleArn], Deliveries.Select(c => c.DeliveredBy));
        Assert.Equal(2, Assert.Single(Scheduler.Invocations).Attempts);
    }
}
