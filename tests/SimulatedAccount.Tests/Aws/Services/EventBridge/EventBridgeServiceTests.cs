using System.Text;
using BlueGreen.Simulator.Aws.Services.EventBridge;
using BlueGreen.Simulator.Aws.Services.Lambda;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Services.EventBridge;

public sealed class EventBridgeServiceTests : IDisposable
{
    private const string Rollback = """{"StartAt":"Roll back","States":{"Roll back":{"Type":"Pass","End":true}}}""";
    private const string AlarmPattern = """{"source":["aws.cloudwatch"],"detail-type":["CloudWatch Alarm State Change"],"detail":{"state":{"value":["ALARM"]},"alarmName":[{"prefix":"shop-green"}]}}""";

    private static readonly string RollbackArn = PlatformHarness.Arn("states", "stateMachine:rollback");
    private static readonly string TopicArn = PlatformHarness.Arn("sns", "upgrades");

    private readonly PlatformHarness _h = new(JObject.Of(("sns", JValue.Parse("""{"topics":[{"name":"upgrades"}]}"""))));

    public EventBridgeServiceTests() => Sfn.RegisterStateMachine("rollback", Rollback);

    public void Dispose() => _h.Dispose();

    private StepFunctionsService Sfn => _h.Service<StepFunctionsService>();

    private EventBridgeService EventBridge => _h.Service<EventBridgeService>();

    private void PutRule(string name, string pattern, params JObject[] targets)
    {
        _h.Call("eventbridge", "PutRule", JObject.Of(("Name", name), ("EventPattern", pattern)));
        var result = _h.Call("eventbridge", "PutTargets", JObject.Of(("Rule", name), ("Targets", JArray.From(targets))));
        Assert.Equal(0, result.GetNumber("FailedEntryCount"));
    }

    private void Alarm(string alarm, string state) =>
        _h.Account.Events.Publish("aws.cloudwatch", "CloudWatch Alarm State Change", JObject.Of(("alarmName", alarm), ("state", JObject.Of(("value", state)))), PlatformHarness.Arn("cloudwatch", $"alarm:{alarm}"));

    [Fact]
    public void AlarmStateChange_MatchingRule_StartsAnExecutionWithTheEventAsInput()
    {
        PutRule("green-alarms", AlarmPattern, JObject.Of(("Id", "rollback"), ("Arn", RollbackArn), ("RoleArn", "arn:aws:iam::111122223333:role/events")));

        Alarm("shop-green-5xx", "OK");
        Alarm("shop-blue-5xx", "ALARM");
        Alarm("shop-green-5xx", "ALARM");
        _h.Settle();

        var execution = Assert.Single(Sfn.ExecutionsOf("rollback"));
        var input = execution.Input.AsObject();
        Assert.Equal("CloudWatch Alarm State Change", input.GetString("detail-type"));
        Assert.Equal("shop-green-5xx", input.GetObject("detail")!.GetString("alarmName"));
        Assert.Equal(["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"], input.Keys);
        var delivery = Assert.Single(EventBridge.Deliveries);
        Assert.True(delivery.Succeeded);
        Assert.Equal(execution.Arn, delivery.Result);
    }

    [Fact]
    public void RuleDelivery_InARehearsal_TakesTheModelledSecond()
    {
        using var h = new PlatformHarness(JObject.Of(("sns", JValue.Parse("""{"topics":[{"name":"upgrades"}]}"""))), eventDeliverySeconds: 1);
        h.Service<StepFunctionsService>().RegisterStateMachine("rollback", Rollback);
        h.Call("eventbridge", "PutRule", JObject.Of(("Name", "green-alarms"), ("EventPattern", AlarmPattern)));
        h.Call("eventbridge", "PutTargets", JObject.Of(("Rule", "green-alarms"), ("Targets", JArray.From([JObject.Of(("Id", "rollback"), ("Arn", RollbackArn))]))));

        h.Account.Events.Publish("aws.cloudwatch", "CloudWatch Alarm State Change", JObject.Of(("alarmName", "shop-green-5xx"), ("state", JObject.Of(("value", "ALARM")))), PlatformHarness.Arn("cloudwatch", "alarm:shop-green-5xx"));
        h.Settle();
        Assert.Empty(h.Service<StepFunctionsService>().ExecutionsOf("rollback"));
        h.Account.Scheduler.Advance(TimeSpan.FromSeconds(1));

        var execution = Assert.Single(h.Service<StepFunctionsService>().ExecutionsOf("rollback"));
        Assert.Equal(h.Start + TimeSpan.FromSeconds(1), execution.StartDate);
        Assert.Equal(TimeSpan.FromSeconds(1), Simulator.Scenarios.Scenario.FromJson("any", JObject.Empty).AccountOptions.RuleDeliveryLatency);
    }

    [Fact]
    public void Targets_ReshapeTheEventWithInputPathInputTransformerOrConstantInput()
    {
        PutRule("green-alarms", AlarmPattern,
            JObject.Of(("Id", "path"), ("Arn", RollbackArn), ("InputPath", "$.detail.state")),
            JObject.Of(("Id", "transform"), ("Arn", RollbackArn), ("InputTransformer", JObject.Of(
                ("InputPathsMap", JObject.Of(("alarm", "$.detail.alarmName"), ("state", "$.detail.state.value"))),
                ("InputTemplate", """{"reason":"<alarm> is <state>","alarm":<alarm>,"rule":"<aws.events.rule-name>"}""")))),
            JObject.Of(("Id", "constant"), ("Arn", RollbackArn), ("Input", """{"mode":"auto"}""")),
            JObject.Of(("Id", "page"), ("Arn", TopicArn), ("InputTransformer", JObject.Of(
                ("InputPathsMap", JObject.Of(("alarm", "$.detail.alarmName"))),
                ("InputTemplate", "Alarm <alarm> fired: rolling back")))));

        Alarm("shop-green-5xx", "ALARM");
        _h.Settle();

        var inputs = Sfn.ExecutionsOf("rollback").Reverse().Select(e => e.Input.ToJson()).ToList();
        Assert.Equal(
            [
                """{"value":"ALARM"}""",
                """{"reason":"shop-green-5xx is ALARM","alarm":"shop-green-5xx","rule":"green-alarms"}""",
                """{"mode":"auto"}""",
            ],
            inputs);
        Assert.Equal("Alarm shop-green-5xx fired: rolling back", Assert.Single(_h.Service<SnsService>().Messages).Message);
    }

    [Fact]
    public void PutEvents_FromAStateMachine_ReachesRulesAndTheirLambdaTargets()
    {
        var received = new List<string>();
        _h.Service<LambdaService>().RegisterFunction("audit", input =>
        {
            using var reader = new StreamReader(input);
            received.Add(reader.ReadToEnd());
            return new MemoryStream(Encoding.UTF8.GetBytes("{}"));
        });
        PutRule("upgrade-events", """{"source":["bluegreen.upgrade"],"detail":{"phase":["traffic"]}}""",
            JObject.Of(("Id", "audit"), ("Arn", PlatformHarness.Arn("lambda", "function:audit"))));

        var summary = _h.Run("""
            {"StartAt":"Announce","States":{"Announce":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:eventbridge:putEvents",
              "Parameters":{"Entries":[{"Source":"bluegreen.upgrade","DetailType":"Weight Changed","Detail":"{\"phase\":\"traffic\",\"green\":10}"},
                                       {"Source":"bluegreen.upgrade","DetailType":"Weight Changed","Detail":"not json"}]},"End":true}}}
            """);
        _h.Settle();

        Assert.Equal("SUCCEEDED", summary.Status);
        var output = summary.Output!.AsObject();
        Assert.Equal(1, output.GetNumber("FailedEntryCount"));
        Assert.Equal("MalformedDetail", output.GetArray("Entries")![1].AsObject().GetString("ErrorCode"));
        var delivered = JValue.Parse(Assert.Single(received)).AsObject();
        Assert.Equal(10, delivered.GetObject("detail")!.GetNumber("green"));
    }

    [Fact]
    public void StatusChangeEvents_OfFailedExecutions_TriggerARule()
    {
        Sfn.RegisterStateMachine("upgrade", """{"StartAt":"Fail","States":{"Fail":{"Type":"Fail","Error":"Boom"}}}""");
        PutRule("failed-upgrades", """{"source":["aws.states"],"detail-type":["Step Functions Execution Status Change"],"detail":{"status":["FAILED","TIMED_OUT","ABORTED"],"stateMachineArn":[{"suffix":":upgrade"}]}}""",
            JObject.Of(("Id", "notify"), ("Arn", TopicArn), ("InputPath", "$.detail.error")));

        var execution = Sfn.StartExecution("upgrade", JObject.Empty, "u1");
        _h.Finish(execution);
        _h.Settle();

        Assert.Equal("\"Boom\"", Assert.Single(_h.Service<SnsService>().Messages).Message);
    }

    [Fact]
    public void DisabledRules_DeliverNothing_AndEnableRuleResumes()
    {
        PutRule("green-alarms", AlarmPattern, JObject.Of(("Id", "rollback"), ("Arn", RollbackArn)));

        _h.Call("eventbridge", "DisableRule", JObject.Of(("Name", "green-alarms")));
        Alarm("shop-green-5xx", "ALARM");
        _h.Settle();
        _h.Call("eventbridge", "EnableRule", JObject.Of(("Name", "green-alarms")));
        Alarm("shop-green-5xx", "ALARM");
        _h.Settle();

        Assert.Single(Sfn.ExecutionsOf("rollback"));
    }

    [Fact]
    public void FailedDeliveries_AreRecordedWithTheReason()
    {
        PutRule("green-alarms", AlarmPattern, JObject.Of(("Id", "missing"), ("Arn", PlatformHarness.Arn("states", "stateMachine:missing"))));

        Alarm("shop-green-5xx", "ALARM");
        _h.Settle();

        var delivery = Assert.Single(EventBridge.Deliveries);
        Assert.False(delivery.Succeeded);
        Assert.StartsWith("StateMachineDoesNotExist", delivery.Result, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleApi_DescribeListTargetsAndErrors()
    {
        PutRule("green-alarms", AlarmPattern, JObject.Of(("Id", "rollback"), ("Arn", RollbackArn)));

        var described = _h.Call("eventbridge", "DescribeRule", JObject.Of(("Name", "green-alarms")));
        var targets = _h.Call("eventbridge", "ListTargetsByRule", JObject.Of(("Rule", "green-alarms")));
        var rules = _h.Call("eventbridge", "ListRules", JObject.Of(("NamePrefix", "green")));
        var badPattern = _h.CallFails("eventbridge", "PutRule", JObject.Of(("Name", "bad"), ("EventPattern", """{"source":"aws.ec2"}""")));
        var missing = _h.CallFails("eventbridge", "PutTargets", JObject.Of(("Rule", "nope"), ("Targets", JArray.Of(JObject.Of(("Id", "t"), ("Arn", RollbackArn))))));
        var hasTargets = _h.CallFails("eventbridge", "DeleteRule", JObject.Of(("Name", "green-alarms")));
        _h.Call("eventbridge", "RemoveTargets", JObject.Of(("Rule", "green-alarms"), ("Ids", JArray.Of("rollback"))));
        _h.Call("eventbridge", "DeleteRule", JObject.Of(("Name", "green-alarms")));

        Assert.Equal(PlatformHarness.Arn("events", "rule/green-alarms"), described.GetString("Arn"));
        Assert.Equal(AlarmPattern, described.GetString("EventPattern"));
        Assert.Equal("ENABLED", described.GetString("State"));
        Assert.Equal(RollbackArn, targets.GetArray("Targets")![0].AsObject().GetString("Arn"));
        Assert.Single(rules.GetArray("Rules")!);
        Assert.Equal("EventBridge.InvalidEventPatternException", badPattern.Error);
        Assert.StartsWith("Event pattern is not valid. Reason: ", badPattern.Cause, StringComparison.Ordinal);
        Assert.Equal("EventBridge.ResourceNotFoundException", missing.Error);
        Assert.Equal("EventBridge.ValidationException", hasTargets.Error);
        Assert.Empty(_h.Call("eventbridge", "ListRules", JObject.Empty).GetArray("Rules")!);
    }

    [Fact]
    public void TestEventPattern_AnswersWhetherTheEventMatches()
    {
        var @event = """{"id":"1","account":"111122223333","source":"aws.cloudwatch","time":"2026-11-23T09:00:00Z","region":"ap-northeast-2","detail-type":"CloudWatch Alarm State Change","resources":[],"detail":{"alarmName":"shop-green-5xx","state":{"value":"ALARM"}}}""";

        var matches = _h.Call("eventbridge", "TestEventPattern", JObject.Of(("EventPattern", AlarmPattern), ("Event", @event)));
        var other = _h.Call("eventbridge", "TestEventPattern", JObject.Of(("EventPattern", """{"source":["aws.ec2"]}"""), ("Event", @event)));

        Assert.True(matches.GetBool("Result"));
        Assert.False(other.GetBool("Result"));
    }

    [Fact]
    public void ScheduledRule_SendsScheduledEventsOnTheVirtualClock()
    {
        _h.Call("eventbridge", "PutRule", JObject.Of(("Name", "eos-scan"), ("ScheduleExpression", "rate(6 hours)")));
        _h.Call("eventbridge", "PutTargets", JObject.Of(("Rule", "eos-scan"), ("Targets", JArray.Of(JObject.Of(("Id", "scan"), ("Arn", RollbackArn))))));
        var singularRequired = _h.CallFails("eventbridge", "PutRule", JObject.Of(("Name", "bad"), ("ScheduleExpression", "rate(1 hours)")));

        _h.Advance(TimeSpan.FromHours(13));

        var executions = Sfn.ExecutionsOf("rollback").Reverse().ToList();
        Assert.Equal([_h.Start.AddHours(6), _h.Start.AddHours(12)], executions.Select(e => e.StartDate));
        Assert.Equal("Scheduled Event", executions[0].Input.AsObject().GetString("detail-type"));
        Assert.Equal("aws.events", executions[0].Input.AsObject().GetString("source"));
        Assert.Equal("EventBridge.ValidationException", singularRequired.Error);
    }

    [Fact]
    public void WorldSectionAndPutEventAction_SeedRulesAndPublishAtVirtualTimes()
    {
        using var h = new PlatformHarness(
            JObject.Of(("eventbridge", JValue.Parse("""
                {"rules":[{"name":"green-alarms","eventPattern":{"source":["aws.cloudwatch"],"detail":{"state":{"value":["ALARM"]}}},
                           "targets":[{"id":"rollback","arn":"arn:aws:states:ap-northeast-2:111122223333:stateMachine:rollback"}]}]}
                """))),
            JArray.Of(JValue.Parse("""{"at":"15m","do":"putEvent","source":"aws.cloudwatch","detailType":"CloudWatch Alarm State Change","detail":{"state":{"value":"ALARM"}}}""")));
        h.Service<StepFunctionsService>().RegisterStateMachine("rollback", Rollback);

        h.Advance(TimeSpan.FromMinutes(20));

        Assert.Equal(h.Start.AddMinutes(15), Assert.Single(h.Service<StepFunctionsService>().ExecutionsOf("rollback")).StartDate);
    }
}
