using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.EventBridge;
using BlueGreen.Simulator.Aws.Services.Sqs;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Services.EventBridge;

/// <summary>
/// A rule's target is reached through the account's call path, as a call by the target's role: it is in the call log,
/// scenario faults hit it, and EventBridge retries it on the virtual clock by the target's RetryPolicy.
/// </summary>
public sealed class TargetDeliveryTests : IDisposable
{
    private const string Role = "arn:aws:iam::111122223333:role/events";
    private const string Pattern = """{"source":["aws.cloudwatch"],"detail":{"state":{"value":["ALARM"]}}}""";

    private static readonly string RollbackArn = PlatformHarness.Arn("states", "stateMachine:rollback");
    private static readonly string RuleArn = PlatformHarness.Arn("events", "rule/green-alarms");

    private readonly PlatformHarness _h = new();

    public TargetDeliveryTests() =>
        _h.Service<StepFunctionsService>().RegisterStateMachine("rollback", """{"StartAt":"Roll back","States":{"Roll back":{"Type":"Pass","End":true}}}""");

    public void Dispose() => _h.Dispose();

    private EventBridgeService EventBridge => _h.Service<EventBridgeService>();

    private List<AwsCallRecord> Deliveries => _h.Account.Calls.Calls.Where(c => c.DeliveredBy is not null).ToList();

    private void PutRule(params (string Key, JValue Value)[] more)
    {
        var target = new JObjectBuilder().Add("Id", "rollback").Add("Arn", RollbackArn).Add("RoleArn", Role);
        foreach (var (key, value) in more)
        {
            target.Add(key, value);
        }

        _h.Call("eventbridge", "PutRule", JObject.Of(("Name", "green-alarms"), ("EventPattern", Pattern)));
        _h.Call("eventbridge", "PutTargets", JObject.Of(("Rule", "green-alarms"), ("Targets", JArray.Of(target.Build()))));
    }

    private void Alarm() =>
        _h.Account.Events.Publish("aws.cloudwatch", "CloudWatch Alarm State Change", JObject.Of(("state", JObject.Of(("value", "ALARM")))));

    [Fact]
    public void Delivery_IsACallInTheCallLog_MadeByTheTargetsRole_OnBehalfOfTheRule()
    {
        PutRule();

        Alarm();
        _h.Settle();

        var call = Assert.Single(Deliveries);
        Assert.Equal("states:StartExecution", call.Name);
        Assert.Equal(RuleArn, call.DeliveredBy);
        Assert.Equal(Role, call.Principal);
        Assert.Null(call.StateName);
        Assert.Equal(RollbackArn, call.Parameters.GetString("StateMachineArn"));
        Assert.True(call.Succeeded);
        var delivery = Assert.Single(EventBridge.Deliveries);
        Assert.Equal((DeliveryOutcome.Delivered, 1), (delivery.Outcome, delivery.Attempts));
        Assert.Equal(Assert.Single(_h.Service<StepFunctionsService>().ExecutionsOf("rollback")).Arn, delivery.Result);
    }

    [Fact]
    public void TransientThrottling_IsRetriedLaterOnTheVirtualClock_AndTheExecutionStarts()
    {
        PutRule();
        _h.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Throttle, Times: 2));

        Alarm();
        _h.Settle();
        var waiting = (EventBridge.DeliveriesInProgress, _h.Service<StepFunctionsService>().ExecutionsOf("rollback").Count());
        _h.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal((1, 0), waiting);
        var execution = Assert.Single(_h.Service<StepFunctionsService>().ExecutionsOf("rollback"));
        Assert.True(execution.StartDate > _h.Start, $"started at {execution.StartDate}, the event came at {_h.Start}");
        var calls = Deliveries;
        Assert.Equal(["Throttle", "Throttle", null], calls.Select(c => c.InjectedFault));
        Assert.Equal(["Sfn.ThrottlingException", "Sfn.ThrottlingException", "OK"], calls.Select(c => c.Outcome));
        Assert.True(calls[0].Time < calls[1].Time && calls[1].Time < calls[2].Time, "each retry waits on the virtual clock");
        var delivery = Assert.Single(EventBridge.Deliveries);
        Assert.Equal((true, DeliveryOutcome.Delivered, 3), (delivery.Succeeded, delivery.Outcome, delivery.Attempts));
        Assert.Equal(["ThrottlingException: Rate exceeded", "ThrottlingException: Rate exceeded"], delivery.Errors);
        Assert.Equal((_h.Start, execution.StartDate), (delivery.Time, delivery.Finished));
        Assert.Equal(0, EventBridge.DeliveriesInProgress);
    }

    [Fact]
    public void PersistentFault_IsRetriedUntilTheMaximumEventAge_ThenTheEventIsDropped()
    {
        PutRule(("RetryPolicy", JObject.Of(("MaximumEventAgeInSeconds", 60), ("MaximumRetryAttempts", 185))));
        _h.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Internal));

        Alarm();
        _h.Advance(TimeSpan.FromHours(1));

        Assert.Empty(_h.Service<StepFunctionsService>().ExecutionsOf("rollback"));
        var delivery = Assert.Single(EventBridge.Deliveries);
        Assert.Equal((false, DeliveryOutcome.MaximumEventAgeReached, true), (delivery.Succeeded, delivery.Outcome, delivery.Dropped));
        Assert.InRange(delivery.Attempts, 5, 10);
        Assert.Equal(delivery.Attempts, Deliveries.Count);
        Assert.All(Deliveries, c => Assert.Equal("Sfn.InternalServerException", c.Outcome));
        Assert.InRange(delivery.Finished - delivery.Time, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(60));
        Assert.StartsWith("InternalServerException: ", delivery.Result, StringComparison.Ordinal);
        Assert.Null(delivery.DeadLetterQueue);
    }

    [Fact]
    public void DefaultRetryPolicy_Makes185RetriesWithBackoff_WithinADay()
    {
        PutRule();
        _h.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Throttle));

        Alarm();
        _h.Advance(TimeSpan.FromDays(2));

        var delivery = Assert.Single(EventBridge.Deliveries);
        Assert.Equal((DeliveryOutcome.RetryAttemptsExhausted, 186), (delivery.Outcome, delivery.Attempts));
        Assert.InRange(delivery.Finished - delivery.Time, TimeSpan.FromHours(20), TimeSpan.FromHours(24));
        var gaps = Deliveries.Zip(Deliveries.Skip(1), (a, b) => b.Time - a.Time).ToList();
        Assert.InRange(gaps[0], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(gaps.Max(), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void MaximumRetryAttempts_BoundsTheRetries()
    {
        PutRule(("RetryPolicy", JObject.Of(("MaximumRetryAttempts", 2))));
        _h.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Throttle));

        Alarm();
        _h.Advance(TimeSpan.FromHours(1));

        var delivery = Assert.Single(EventBridge.Deliveries);
        Assert.Equal((DeliveryOutcome.RetryAttemptsExhausted, 3, true), (delivery.Outcome, delivery.Attempts, delivery.Dropped));
        Assert.Equal(3, Deliveries.Count);
    }

    [Theory]
    [InlineData("AccessDeniedException")]
    [InlineData("StateMachineDoesNotExist")]
    [InlineData("InvalidExecutionInput")]
    public void ErrorsARetryCannotFix_AreNotRetried(string error)
    {
        PutRule();
        _h.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Error, Error: error, Message: "Injected"));

        Alarm();
        _h.Advance(TimeSpan.FromHours(1));

        var call = Assert.Single(Deliveries);
        Assert.Equal("Error", call.InjectedFault);
        var delivery = Assert.Single(EventBridge.Deliveries);
        Assert.Equal((false, DeliveryOutcome.NotRetryable, 1), (delivery.Succeeded, delivery.Outcome, delivery.Attempts));
        Assert.Equal($"{error}: Injected", delivery.Result);
    }

    [Fact]
    public void AScenarioFaultWithAWindow_HitsOnlyDeliveriesMadeWithinIt()
    {
        // from/until count from the scenario's start, for a rule's target call as for a state machine's call.
        PutRule();
        _h.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Error, Error: "AccessDeniedException", From: TimeSpan.FromHours(1), Until: TimeSpan.FromHours(2)));

        Alarm();
        _h.Settle();
        _h.Advance(TimeSpan.FromMinutes(90));
        Alarm();
        _h.Settle();
        _h.Advance(TimeSpan.FromHours(1));
        Alarm();
        _h.Settle();

        Assert.Equal([true, false, true], EventBridge.Deliveries.Select(d => d.Succeeded));
    }

    [Fact]
    public void UndeliveredEvent_IsRecordedAsDropped_WhenItsDeadLetterQueueDoesNotExist()
    {
        var queue = PlatformHarness.Arn("sqs", "restore-blue-undelivered");
        PutRule(("DeadLetterConfig", JObject.Of(("Arn", queue))));
        _h.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Error, Error: "AccessDeniedException"));

        Alarm();
        _h.Settle();

        var delivery = Assert.Single(EventBridge.Deliveries);
        Assert.Equal((queue, false, true), (delivery.DeadLetterQueue, delivery.SentToDeadLetterQueue, delivery.Dropped));
        Assert.Equal($"SendMessage to {queue} failed: QueueDoesNotExist: The specified queue does not exist.", delivery.DeadLetterProblem);
    }

    [Fact]
    public void UndeliveredEvent_GoesToTheDeadLetterQueue_WithWhatWentWrong()
    {
        var sqs = _h.Account.Service<SqsService>();
        var queue = sqs.AddQueue("restore-blue-undelivered");
        Assert.Equal(PlatformHarness.Arn("sqs", "restore-blue-undelivered"), queue);
        PutRule(("DeadLetterConfig", JObject.Of(("Arn", queue))), ("RetryPolicy", JObject.Of(("MaximumRetryAttempts", 1))));
        _h.Account.Faults.Add(new FaultRule("states:StartExecution", FaultKind.Throttle));

        Alarm();
        _h.Advance(TimeSpan.FromMinutes(5));

        var delivery = Assert.Single(EventBridge.Deliveries);
        Assert.Equal((DeliveryOutcome.RetryAttemptsExhausted, true, false), (delivery.Outcome, delivery.SentToDeadLetterQueue, delivery.Dropped));
        var message = Assert.Single(sqs.MessagesIn(queue));
        Assert.Equal(delivery.Input, message.Body);
        string Attribute(string name) => message.Attributes.GetObject(name)!.GetString("StringValue")!;
        Assert.Equal(
            [RuleArn, RollbackArn, "THROTTLING", "MaximumRetryAttempts", "1"],
            [Attribute("RULE_ARN"), Attribute("TARGET_ARN"), Attribute("ERROR_CODE"), Attribute("EXHAUSTED_RETRY_CONDITION"), Attribute("RETRY_ATTEMPTS")]);
        Assert.Equal(["states:StartExecution", "states:StartExecution", "sqs:SendMessage"], Deliveries.Select(c => c.Name));
    }
}
