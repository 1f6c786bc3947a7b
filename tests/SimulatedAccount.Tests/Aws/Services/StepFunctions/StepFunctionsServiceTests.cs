using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Services.StepFunctions;

public sealed class StepFunctionsServiceTests : IDisposable
{
    private const string WaitAnHour = """{"StartAt":"Bake","States":{"Bake":{"Type":"Wait","Seconds":3600,"End":true}}}""";
    private const string Echo = """{"StartAt":"Echo","States":{"Echo":{"Type":"Pass","Parameters":{"echo.$":"$"},"End":true}}}""";
    private const string Fails = """{"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"UpgradeFailed","Cause":"Green never became healthy"}}}""";

    private static readonly string BakeArn = PlatformHarness.Arn("states", "stateMachine:bake");

    private readonly PlatformHarness _h = new();

    public void Dispose() => _h.Dispose();

    private StepFunctionsService Sfn => _h.Service<StepFunctionsService>();

    private static JObject Start(string machineArn, string name, string input) =>
        JObject.Of(("StateMachineArn", machineArn), ("Name", name), ("Input", input));

    [Fact]
    public void StartExecution_SameNameAndInputWhileRunning_ReturnsTheSameExecution()
    {
        Sfn.RegisterStateMachine("bake", WaitAnHour);

        var first = _h.Call("sfn", "StartExecution", Start(BakeArn, "shop-upgrade", """{"cluster":"shop"}"""));
        _h.Advance(TimeSpan.FromMinutes(10));
        var again = _h.Call("sfn", "StartExecution", Start(BakeArn, "shop-upgrade", """{ "cluster" : "shop" }"""));

        Assert.Equal(first.GetString("ExecutionArn"), again.GetString("ExecutionArn"));
        Assert.Equal(first.GetString("StartDate"), again.GetString("StartDate"));
        Assert.Single(_h.Account.StepFunctions.Executions);
    }

    [Fact]
    public void StartExecution_SameNameDifferentInputWhileRunning_IsExecutionAlreadyExists()
    {
        Sfn.RegisterStateMachine("bake", WaitAnHour);
        _h.Call("sfn", "StartExecution", Start(BakeArn, "shop-upgrade", """{"cluster":"shop"}"""));

        var error = _h.CallFails("sfn", "StartExecution", Start(BakeArn, "shop-upgrade", """{"cluster":"cart"}"""));

        Assert.Equal("Sfn.ExecutionAlreadyExistsException", error.Error);
        Assert.Equal($"Execution Already Exists: '{PlatformHarness.Arn("states", "execution:bake:shop-upgrade")}'", error.Cause);
    }

    [Fact]
    public void StartExecution_SameNameAfterTheExecutionClosed_IsRefusedForNinetyDaysWhateverTheInput()
    {
        Sfn.RegisterStateMachine("bake", WaitAnHour);
        _h.Call("sfn", "StartExecution", Start(BakeArn, "shop-upgrade", "{}"));
        _h.Advance(TimeSpan.FromHours(2));

        var sameInput = _h.CallFails("sfn", "StartExecution", Start(BakeArn, "shop-upgrade", "{}"));
        _h.Advance(TimeSpan.FromDays(91));
        var reused = _h.Call("sfn", "StartExecution", Start(BakeArn, "shop-upgrade", "{}"));

        Assert.Equal("Sfn.ExecutionAlreadyExistsException", sameInput.Error);
        Assert.Equal(_h.Start.AddHours(2).AddDays(91), _h.Account.StepFunctions.FindExecution(reused.GetString("ExecutionArn")!)!.StartDate);
    }

    [Fact]
    public void StartExecution_Refusals_HaveTheApiErrorNames()
    {
        Sfn.RegisterStateMachine("bake", WaitAnHour);

        Assert.Equal("Sfn.StateMachineDoesNotExistException", _h.CallFails("sfn", "StartExecution", Start(PlatformHarness.Arn("states", "stateMachine:nope"), "x", "{}")).Error);
        Assert.Equal("Sfn.InvalidExecutionInputException", _h.CallFails("sfn", "StartExecution", Start(BakeArn, "x", "{not json")).Error);
        Assert.Equal("Sfn.InvalidNameException", _h.CallFails("sfn", "StartExecution", Start(BakeArn, "has space", "{}")).Error);
        Assert.Equal("Sfn.InvalidArnException", _h.CallFails("sfn", "StartExecution", Start("bake", "x", "{}")).Error);
    }

    [Fact]
    public void OptimizedStartExecutionSync_ReturnsTheChildsDescriptionWithOutputAsText()
    {
        Sfn.RegisterStateMachine("echo", Echo);

        var summary = _h.Run("""
            {"StartAt":"Child","States":{"Child":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
              "Parameters":{"StateMachineArn":"arn:aws:states:ap-northeast-2:111122223333:stateMachine:echo","Name":"child-1","Input":{"cluster.$":"$.cluster"}},"End":true}}}
            """, JObject.Of(("cluster", "shop")));

        Assert.Equal("SUCCEEDED", summary.Status);
        var output = summary.Output!.AsObject();
        Assert.Equal(["ExecutionArn", "Input", "InputDetails", "Name", "Output", "OutputDetails", "StartDate", "StateMachineArn", "Status", "StopDate"], output.Keys);
        Assert.Equal("""{"echo":{"cluster":"shop"}}""", output.GetString("Output"));
        Assert.Equal("""{"cluster":"shop"}""", output.GetString("Input"));
        Assert.Equal("SUCCEEDED", output.GetString("Status"));
        Assert.Equal(_h.Start.ToUnixTimeMilliseconds(), output.GetNumber("StartDate"));
        Assert.Contains(summary.History, e => e.Type == "TaskSubmitted");
    }

    [Fact]
    public void OptimizedStartExecutionSync2_ReturnsOutputAsJson()
    {
        Sfn.RegisterStateMachine("echo", Echo);

        var summary = _h.Run("""
            {"StartAt":"Child","States":{"Child":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
              "Parameters":{"StateMachineArn":"arn:aws:states:ap-northeast-2:111122223333:stateMachine:echo","Input":{"n":1}},
              "OutputPath":"$.Output","End":true}}}
            """);

        Assert.Equal("""{"echo":{"n":1}}""", summary.Output!.ToJson());
    }

    [Fact]
    public void OptimizedStartExecutionSync_ChildFails_TaskFailsWithStatesTaskFailedAndTheChildsErrorInTheCause()
    {
        Sfn.RegisterStateMachine("fails", Fails);

        var summary = _h.Run("""
            {"StartAt":"Child","States":{"Child":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
              "Parameters":{"StateMachineArn":"arn:aws:states:ap-northeast-2:111122223333:stateMachine:fails"},"End":true}}}
            """);

        Assert.Equal("States.TaskFailed", summary.Error);
        var cause = JValue.Parse(summary.Cause!).AsObject();
        Assert.Equal("FAILED", cause.GetString("Status"));
        Assert.Equal("UpgradeFailed", cause.GetString("Error"));
        Assert.Equal("Green never became healthy", cause.GetString("Cause"));
    }

    [Fact]
    public void OptimizedStartExecution_RequestResponse_ReturnsArnAndStartDateWithoutWaiting()
    {
        Sfn.RegisterStateMachine("bake", WaitAnHour);

        var summary = _h.Run("""
            {"StartAt":"Child","States":{"Child":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution",
              "Parameters":{"StateMachineArn":"arn:aws:states:ap-northeast-2:111122223333:stateMachine:bake","Name":"bake-1"},"End":true}}}
            """);

        Assert.Equal(0, summary.VirtualSeconds);
        var output = summary.Output!.AsObject();
        Assert.Equal(PlatformHarness.Arn("states", "execution:bake:bake-1"), output.GetString("ExecutionArn"));
        Assert.True(output.ContainsKey("SdkHttpMetadata"));
        Assert.True(_h.Account.StepFunctions.FindExecution(output.GetString("ExecutionArn")!)!.IsRunning);
    }

    [Fact]
    public void OptimizedStartExecution_ApiErrors_UseTheStepFunctionsPrefix()
    {
        var summary = _h.Run("""
            {"StartAt":"Child","States":{"Child":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
              "Parameters":{"StateMachineArn":"arn:aws:states:ap-northeast-2:111122223333:stateMachine:missing"},"End":true}}}
            """);

        Assert.Equal("StepFunctions.StateMachineDoesNotExistException", summary.Error);
    }

    [Fact]
    public void ParentStopped_WhileWaitingOnASyncChild_StopsTheChild()
    {
        Sfn.RegisterStateMachine("bake", WaitAnHour);
        Sfn.RegisterStateMachine("parent", """
            {"StartAt":"Child","States":{"Child":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
              "Parameters":{"StateMachineArn":"arn:aws:states:ap-northeast-2:111122223333:stateMachine:bake","Name":"child"},"End":true}}}
            """);
        var parent = Sfn.StartExecution("parent", JObject.Empty, "p");
        _h.Advance(TimeSpan.FromMinutes(5));

        Sfn.StopExecution(parent.Arn, "Operator.Abort", "stopped by the on-call");
        _h.Settle();

        var child = _h.Account.StepFunctions.FindExecution(PlatformHarness.Arn("states", "execution:bake:child"))!;
        Assert.Equal(ExecutionStatus.Aborted, parent.Status);
        Assert.Equal(ExecutionStatus.Aborted, child.Status);
    }

    [Fact]
    public void StatusChangeEvents_RunningAtStartAndTerminalAtTheEnd_WithTheEventBridgeDetailShape()
    {
        Sfn.RegisterStateMachine("fails", Fails);

        var execution = Sfn.StartExecution("fails", JObject.Of(("cluster", "shop")), "run-1");
        _h.Finish(execution);

        var events = _h.Account.Events.Published.Where(e => e.DetailType == StepFunctionsService.StatusChangeDetailType).ToList();
        Assert.Equal(["RUNNING", "FAILED"], events.Select(e => e.Detail.GetString("status")));
        Assert.All(events, e => Assert.Equal("aws.states", e.Source));
        Assert.All(events, e => Assert.Equal([execution.Arn], e.Resources));
        var running = events[0].Detail;
        Assert.Equal(["executionArn", "stateMachineArn", "name", "status", "startDate", "stopDate", "input", "output", "inputDetails", "outputDetails", "redriveCount", "redriveDate", "redriveStatus"], running.Keys);
        Assert.Equal(JNull.Instance, running["stopDate"]);
        Assert.Equal("""{"cluster":"shop"}""", running.GetString("input"));
        var failed = events[1].Detail;
        Assert.Equal("UpgradeFailed", failed.GetString("error"));
        Assert.Equal("Green never became healthy", failed.GetString("cause"));
        Assert.Equal(_h.Start.ToUnixTimeMilliseconds(), failed.GetNumber("stopDate"));
        Assert.Equal("REDRIVABLE", failed.GetString("redriveStatus"));
    }

    [Fact]
    public void TaskTokenCalls_MapTheEngineRefusalsToTheApiErrors()
    {
        Assert.Equal("Sfn.TaskDoesNotExistException", _h.CallFails("sfn", "SendTaskSuccess", JObject.Of(("TaskToken", "AQBunknown"), ("Output", "{}"))).Error);
        Assert.Equal("Sfn.InvalidTokenException", _h.CallFails("sfn", "SendTaskHeartbeat", JObject.Of(("TaskToken", new string('x', 3000)))).Error);
        Assert.Equal("Sfn.InvalidTokenException", _h.CallFails("sfn", "SendTaskSuccess", JObject.Of(("TaskToken", "pasted from chat, not a token"), ("Output", "{}"))).Error);
        var direct = Assert.Throws<AwsServiceException>(() => Sfn.SendTaskFailure("AQBunknown", "E", "C"));
        Assert.Equal("TaskDoesNotExist", direct.Code);
    }

    [Fact]
    public void SendTaskSuccess_AfterTheTaskTimedOut_IsTaskTimedOut_AndBadOutputIsInvalidOutput()
    {
        string? token = null;
        _h.Account.Tasks.Register("arn:aws:states:::test:capture", r =>
        {
            token = r.TaskToken;
            return JObject.Empty;
        });
        var summary = _h.Run("""
            {"StartAt":"Wait","States":{"Wait":{"Type":"Task","Resource":"arn:aws:states:::test:capture.waitForTaskToken","TimeoutSeconds":60,"End":true}}}
            """);

        Assert.Equal("States.Timeout", summary.Error);
        Assert.Equal("Sfn.TaskTimedOutException", _h.CallFails("sfn", "SendTaskSuccess", JObject.Of(("TaskToken", token!), ("Output", "{}"))).Error);
        Assert.Equal("Sfn.InvalidOutputException", _h.CallFails("sfn", "SendTaskSuccess", JObject.Of(("TaskToken", token!), ("Output", "{oops"))).Error);
    }

    [Fact]
    public void DescribeListAndHistory_AnswerInTheSdkIntegrationShape()
    {
        Sfn.RegisterStateMachine("echo", Echo);
        var execution = Sfn.StartExecution("echo", JObject.Of(("n", 1)), "e1");
        _h.Finish(execution);

        var described = _h.Call("sfn", "DescribeExecution", JObject.Of(("ExecutionArn", execution.Arn)));
        var listed = _h.Call("sfn", "ListExecutions", JObject.Of(("StateMachineArn", PlatformHarness.Arn("states", "stateMachine:echo"))));
        var history = _h.Call("sfn", "GetExecutionHistory", JObject.Of(("ExecutionArn", execution.Arn), ("ReverseOrder", true), ("MaxResults", 2)));
        var machine = _h.Call("sfn", "DescribeStateMachine", JObject.Of(("StateMachineArn", PlatformHarness.Arn("states", "stateMachine:echo"))));

        Assert.Equal("SUCCEEDED", described.GetString("Status"));
        Assert.Equal("""{"echo":{"n":1}}""", described.GetString("Output"));
        Assert.Equal("2026-11-23T09:00:00.000Z", described.GetString("StartDate"));
        Assert.Equal(["e1"], listed.GetArray("Executions")!.Select(e => e.AsObject().GetString("Name")));
        var events = history.GetArray("Events")!.Select(e => e.AsObject()).ToList();
        Assert.Equal(["ExecutionSucceeded", "PassStateExited"], events.Select(e => e.GetString("Type")));
        Assert.True(events[0].ContainsKey("ExecutionSucceededEventDetails"));
        Assert.NotNull(history.GetString("NextToken"));
        Assert.Equal(Echo, machine.GetString("Definition"));
        Assert.Equal("Sfn.ExecutionDoesNotExistException", _h.CallFails("sfn", "DescribeExecution", JObject.Of(("ExecutionArn", PlatformHarness.Arn("states", "execution:echo:nope")))).Error);
    }

    [Fact]
    public void CreateStateMachine_IsIdempotentForTheSameRequest_AndRejectsInvalidDefinitions()
    {
        var request = JObject.Of(("Name", "echo"), ("Definition", Echo), ("RoleArn", "arn:aws:iam::111122223333:role/sfn"));

        var first = _h.Call("sfn", "CreateStateMachine", request);
        var again = _h.Call("sfn", "CreateStateMachine", request);
        var conflict = _h.CallFails("sfn", "CreateStateMachine", request.With("Definition", WaitAnHour));
        var invalid = _h.CallFails("sfn", "CreateStateMachine", request.With("Name", "broken").With("Definition", """{"StartAt":"Nowhere","States":{}}"""));

        Assert.Equal(first.GetString("StateMachineArn"), again.GetString("StateMachineArn"));
        Assert.Equal("Sfn.StateMachineAlreadyExistsException", conflict.Error);
        Assert.Equal("Sfn.InvalidDefinitionException", invalid.Error);
    }

    [Fact]
    public void OperatorEventActions_ApproveRejectAndAbortAtVirtualTimes()
    {
        const string Approval = """
            {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sns:publish.waitForTaskToken",
              "Parameters":{"TopicArn":"arn:aws:sns:ap-northeast-2:111122223333:approvals","Message.$":"States.Format('Approve the shift: {}', $$.Task.Token)"},
              "End":true}}}
            """;
        using var h = new PlatformHarness(
            JObject.Of(("sns", JValue.Parse("""{"topics":[{"name":"approvals"}]}"""))),
            JArray.From([
                JValue.Parse("""{"at":"10m","do":"approve","execution":"first","output":{"approved":true,"by":"oncall"}}"""),
                JValue.Parse("""{"at":"20m","do":"reject","execution":"second","error":"ShiftRejected"}"""),
                JValue.Parse("""{"at":"30m","do":"abort","execution":"third","cause":"maintenance window closed"}"""),
                JValue.Parse("""{"at":"40m","do":"approve","execution":"third"}"""),
            ]));
        var sfn = h.Service<StepFunctionsService>();
        sfn.RegisterStateMachine("approval", Approval);
        var first = sfn.StartExecution("approval", JObject.Empty, "first");
        var second = sfn.StartExecution("approval", JObject.Empty, "second");
        var third = sfn.StartExecution("approval", JObject.Empty, "third");

        h.Advance(TimeSpan.FromHours(1));

        Assert.Equal((ExecutionStatus.Succeeded, """{"approved":true,"by":"oncall"}"""), (first.Status, first.Output!.ToJson()));
        Assert.Equal(_h.Start.AddMinutes(10), first.StopDate);
        Assert.Equal((ExecutionStatus.Failed, "ShiftRejected"), (second.Status, second.Error));
        Assert.Equal((ExecutionStatus.Aborted, "maintenance window closed"), (third.Status, third.Cause));
        Assert.Equal(["SendTaskSuccess", "SendTaskFailure", "StopExecution", "no running execution matched"], sfn.OperatorActions.Select(a => a.Outcome));
    }

    [Fact]
    public void WorldSection_RegistersStateMachinesFromFilesWithSubstitutions()
    {
        var file = Path.Combine(Path.GetTempPath(), $"sfn-world-{Guid.NewGuid():N}.asl.json");
        File.WriteAllText(file, """{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"${Greeting}","End":true}}}""");
        try
        {
            using var h = new PlatformHarness(JObject.Of(("sfn", JObject.Of(("stateMachines", JArray.Of(
                JObject.Of(("name", "greeter"), ("definitionFile", file), ("substitutions", JObject.Of(("Greeting", "hello"))))))))));
            var execution = h.Service<StepFunctionsService>().StartExecution("greeter");
            h.Finish(execution);

            Assert.Equal("\"hello\"", execution.Output!.ToJson());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
