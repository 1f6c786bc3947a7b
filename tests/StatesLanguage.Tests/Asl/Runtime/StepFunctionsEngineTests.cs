using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Asl.Runtime;

public class StepFunctionsEngineTests
{
    private const string CallbackMachine = """
        {"StartAt":"Ask for approval","States":{
          "Ask for approval":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters":{"FunctionName":"approver","Payload":{"token.$":"$$.Task.Token"}},
            "TimeoutSeconds":3600,"HeartbeatSeconds":600,"End":true}}}
        """;

    private static (StepFunctionsEngine Engine, List<string> Tokens) CallbackEngine()
    {
        var tokens = new List<string>();
        var registry = new TaskRegistry().Register("arn:aws:states:::lambda:invoke", request =>
        {
            tokens.Add(request.Parameters.AsObject().GetObject("Payload")!.GetString("token")!);
            return JObject.Of(("StatusCode", 202));
        });
        return (new StepFunctionsEngine(new VirtualScheduler(LocalRunner.DefaultStart), registry), tokens);
    }

    [Fact]
    public void WaitForTaskToken_SendTaskSuccess_CompletesWithTheOutput()
    {
        var (engine, tokens) = CallbackEngine();
        var execution = engine.StartExecution(DefinitionLoader.Load(CallbackMachine), JObject.Empty);
        engine.Scheduler.Schedule(LocalRunner.DefaultStart.AddMinutes(5), () => engine.SendTaskSuccess(tokens.Single(), JObject.Of(("approved", true))));

        engine.Scheduler.Run(() => execution.Completion);

        Assert.Equal("SUCCEEDED", execution.StatusName);
        Assert.Equal("""{"approved":true}""", execution.Output!.ToJson());
        Assert.Equal(300, (execution.StopDate!.Value - execution.StartDate).TotalSeconds);
        Assert.Contains(execution.History.Events, e => e.Type == "TaskSubmitted");
    }

    [Fact]
    public void WaitForTaskToken_NoHeartbeat_FailsWithHeartbeatTimeout()
    {
        var (engine, _) = CallbackEngine();
        var execution = engine.StartExecution(DefinitionLoader.Load(CallbackMachine), JObject.Empty);

        engine.Scheduler.Run(() => execution.Completion);

        Assert.Equal("FAILED", execution.StatusName);
        Assert.Equal("States.HeartbeatTimeout", execution.Error);
        Assert.Equal(600, (execution.StopDate!.Value - execution.StartDate).TotalSeconds);
    }

    [Fact]
    public void WaitForTaskToken_HeartbeatsButNoAnswer_FailsWithTimeout()
    {
        var (engine, tokens) = CallbackEngine();
        var execution = engine.StartExecution(DefinitionLoader.Load(CallbackMachine), JObject.Empty);
        for (var minute = 5; minute < 60; minute += 5)
        {
            engine.Scheduler.Schedule(LocalRunner.DefaultStart.AddMinutes(minute), () => engine.SendTaskHeartbeat(tokens.Single()));
        }

        engine.Scheduler.Run(() => execution.Completion);

        Assert.Equal("States.Timeout", execution.Error);
        Assert.Equal(3600, (execution.StopDate!.Value - execution.StartDate).TotalSeconds);
        Assert.Contains(execution.History.Events, e => e.Type == "TaskTimedOut");
    }

    [Fact]
    public void SendTaskSuccess_AfterTheTaskEnded_ThrowsTaskTimedOut()
    {
        var (engine, tokens) = CallbackEngine();
        var execution = engine.StartExecution(DefinitionLoader.Load(CallbackMachine), JObject.Empty);
        engine.Scheduler.Run(() => execution.Completion);

        var e = Assert.Throws<TaskTokenException>(() => engine.SendTaskSuccess(tokens.Single(), JObject.Empty));
        Assert.Equal("TaskTimedOut", e.ErrorCode);
        Assert.Equal("TaskDoesNotExist", Assert.Throws<TaskTokenException>(() => engine.SendTaskFailure("AQBnope", "E", "C")).ErrorCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("{\"taskToken\":\"AQBabc\"}")]
    [InlineData("XYZabc")]
    public void SendTaskSuccess_MalformedToken_ThrowsInvalidToken(string token)
    {
        var (engine, _) = CallbackEngine();

        Assert.Equal("InvalidToken", Assert.Throws<TaskTokenException>(() => engine.SendTaskSuccess(token, JObject.Empty)).ErrorCode);
        Assert.Equal("InvalidToken", Assert.Throws<TaskTokenException>(() => engine.SendTaskHeartbeat(token)).ErrorCode);
    }

    [Fact]
    public void StopExecution_WhileWaiting_EndsAbortedAtOnce()
    {
        var engine = new StepFunctionsEngine(new VirtualScheduler(LocalRunner.DefaultStart), new TaskRegistry());
        var definition = DefinitionLoader.Load("""{"StartAt":"Bake","States":{"Bake":{"Type":"Wait","Seconds":86400,"End":true}}}""");
        var execution = engine.StartExecution(definition, JObject.Empty);
        engine.Scheduler.Schedule(LocalRunner.DefaultStart.AddMinutes(1), () => engine.StopExecution(execution, "Operator.Abort", "Stopped from chat"));

        engine.Scheduler.Run(() => execution.Completion);

        Assert.Equal("ABORTED", execution.StatusName);
        Assert.Equal("Operator.Abort", execution.Error);
        Assert.Equal(LocalRunner.DefaultStart.AddMinutes(1), engine.Scheduler.Now);
        Assert.Equal("ExecutionAborted", execution.History.Events[^1].Type);
    }

    [Fact]
    public void ConcurrentExecutions_ShareOneClock()
    {
        var engine = new StepFunctionsEngine(new VirtualScheduler(LocalRunner.DefaultStart), new TaskRegistry());
        var definition = DefinitionLoader.Load("""{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}}""");
        var slow = engine.StartExecution(definition, JValue.Parse("""{"s":600}"""));
        var fast = engine.StartExecution(definition, JValue.Parse("""{"s":60}"""));

        engine.Scheduler.Run(() => Task.WhenAll(slow.Completion, fast.Completion));

        Assert.Equal(LocalRunner.DefaultStart.AddSeconds(60), fast.StopDate);
        Assert.Equal(LocalRunner.DefaultStart.AddSeconds(600), slow.StopDate);
    }

    [Fact]
    public void HistoryQuota_LastEventIsTheFailure()
    {
        var summary = LocalRunner.Run("""
            {"StartAt":"Spin","States":{"Spin":{"Type":"Pass","Next":"Loop"},"Loop":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],"Default":"Spin"},"Done":{"Type":"Succeed"}}}
            """, JObject.Empty);

        Assert.Equal("FAILED", summary.Status);
        Assert.Equal("States.Runtime", summary.Error);
        Assert.Equal("The execution reached the maximum number of history events (25000).", summary.Cause);
        Assert.Equal(25_000, summary.HistoryEvents);
        Assert.Equal("ExecutionFailed", summary.History[^1].Type);
        Assert.Equal(25_000, summary.History[^1].Id);
    }

    [Fact]
    public void Retry_WaitsWithBackoffOnTheVirtualClock()
    {
        var calls = new List<DateTimeOffset>();
        var scheduler = new VirtualScheduler(LocalRunner.DefaultStart);
        var registry = new TaskRegistry().Register("arn:aws:states:::aws-sdk:eks:describeCluster", request =>
        {
            calls.Add(request.Scheduler.Now);
            throw new StatesException("Eks.ServiceUnavailableException", "try later");
        });
        var engine = new StepFunctionsEngine(scheduler, registry);
        var definition = DefinitionLoader.Load("""
            {"StartAt":"Describe","States":{"Describe":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:eks:describeCluster",
              "Retry":[{"ErrorEquals":["Eks.ServiceUnavailableException"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":3,"MaxDelaySeconds":10}],
              "End":true}}}
            """);

        var summary = LocalRunner.Run(engine, definition, JObject.Empty, new StartExecutionOptions());

        Assert.Equal("Eks.ServiceUnavailableException", summary.Error);
        Assert.Equal([0, 2, 8, 18], calls.Select(c => (c - LocalRunner.DefaultStart).TotalSeconds));
        Assert.Equal(4, summary.StateTransitions);
    }

    [Fact]
    public void StartExecution_InputOverThePayloadQuota_IsRefusedWithoutAnExecution()
    {
        var engine = new StepFunctionsEngine(new VirtualScheduler(LocalRunner.DefaultStart), new TaskRegistry());
        var definition = DefinitionLoader.Load("""{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");
        var input = JObject.Of(("big", new string('x', 256 * 1024)));

        var e = Assert.Throws<InvalidExecutionInputException>(() => engine.StartExecution(definition, input));

        Assert.Equal("InvalidExecutionInput", e.ErrorCode);
        Assert.Contains("262,144", e.Message, StringComparison.Ordinal);
        Assert.Empty(engine.Executions);
    }

    [Fact]
    public void StartExecution_InputAtThePayloadQuota_Runs()
    {
        var engine = new StepFunctionsEngine(new VirtualScheduler(LocalRunner.DefaultStart), new TaskRegistry());
        var definition = DefinitionLoader.Load("""{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");
        var input = JObject.Of(("big", new string('x', (256 * 1024) - """{"big":""}""".Length)));

        var execution = engine.StartExecution(definition, input);
        engine.Scheduler.Run(() => execution.Completion);

        Assert.Equal(256 * 1024, input.Utf8Size);
        Assert.Equal("SUCCEEDED", execution.StatusName);
    }

    [Fact]
    public void FailStateWithoutError_LeavesTheErrorOutOfTheExecutionAndItsLastEvent()
    {
        var engine = new StepFunctionsEngine(new VirtualScheduler(LocalRunner.DefaultStart), new TaskRegistry());
        var definition = DefinitionLoader.Load("""{"StartAt":"F","States":{"F":{"Type":"Fail","Cause":"why"}}}""");

        var execution = engine.StartExecution(definition, JObject.Empty);
        engine.Scheduler.Run(() => execution.Completion);

        Assert.Equal("FAILED", execution.StatusName);
        Assert.Null(execution.Error);
        var failed = execution.History.Events[^1].ToJson();
        Assert.Equal("ExecutionFailed", failed.GetString("type"));
        Assert.Equal("""{"cause":"why"}""", failed.GetObject("executionFailedEventDetails")!.ToJson());
    }
}
