using System.Text;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.Lambda;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Services.Lambda;

/// <summary>Thrown by a test handler: its class name is the error a state machine catches.</summary>
#pragma warning disable CA1064, CA1032 // a handler's own exception type, like the product's
internal sealed class InvalidInput(string message) : Exception(message);
#pragma warning restore CA1064, CA1032

public sealed class LambdaServiceTests : IDisposable
{
    private static readonly string PlanArn = PlatformHarness.Arn("lambda", "function:plan-upgrade");

    private readonly PlatformHarness _h = new();

    public void Dispose() => _h.Dispose();

    private LambdaService Lambda => _h.Service<LambdaService>();

    private static MemoryStream Json(string json) => new(Encoding.UTF8.GetBytes(json));

    private static JObject Read(Stream input)
    {
        using var reader = new StreamReader(input);
        return JValue.Parse(reader.ReadToEnd()).AsObject();
    }

    /// <summary>A Stream -&gt; Stream handler that answers {"cluster": ..., "weight": 10}, or throws InvalidInput when there is no cluster.</summary>
    private static Stream Plan(Stream input)
    {
        var request = Read(input);
        var cluster = request.GetString("cluster") ?? throw new InvalidInput("cluster is required");
        return Json("""{"cluster":"__0__","weight":10}""".Replace("__0__", cluster, StringComparison.Ordinal));
    }

    [Fact]
    public void OptimizedInvoke_Succeeds_ReturnsPayloadWithInvokeMetadata()
    {
        Lambda.RegisterFunction("plan-upgrade", Plan);

        var summary = _h.Run("""
            {"StartAt":"Plan","States":{"Plan":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "Parameters":{"FunctionName":"plan-upgrade","Payload.$":"$"},"End":true}}}
            """, JObject.Of(("cluster", "shop-blue")));

        Assert.Equal("SUCCEEDED", summary.Status);
        var output = summary.Output!.AsObject();
        Assert.Equal(["ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"], output.Keys);
        Assert.Equal("$LATEST", output.GetString("ExecutedVersion"));
        Assert.Equal("""{"cluster":"shop-blue","weight":10}""", output["Payload"]!.ToJson());
        Assert.Equal(200, output.GetNumber("StatusCode"));
        Assert.Equal(200, output.GetObject("SdkHttpMetadata")!.GetNumber("HttpStatusCode"));
        Assert.Equal("$LATEST", output.GetObject("SdkHttpMetadata")!.GetObject("HttpHeaders")!.GetString("X-Amz-Executed-Version"));
        Assert.Equal(["lambda:Invoke"], _h.Account.Calls.Calls.Select(c => c.Name));
        Assert.Equal(0, summary.VirtualSeconds);
    }

    [Fact]
    public void FunctionArnResource_WithAlias_ReturnsThePayloadItselfAndRunsTheAliasVersion()
    {
        Lambda.RegisterFunction("plan-upgrade", Plan, new LambdaFunctionOptions { Aliases = ["live"] });

        var summary = _h.Run("""
            {"StartAt":"Plan","States":{"Plan":{"Type":"Task","Resource":"__0__:live","End":true}}}
            """.Replace("__0__", PlanArn, StringComparison.Ordinal), JObject.Of(("cluster", "shop-blue")));

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal("""{"cluster":"shop-blue","weight":10}""", summary.Output!.ToJson());
        Assert.Equal("1", Assert.Single(Lambda.Invocations).ExecutedVersion);
        Assert.Contains(summary.History, e => e.Type == "LambdaFunctionSucceeded");
    }

    [Fact]
    public void HandlerThrows_TaskFailsWithTheExceptionTypeNameAndTheRuntimeErrorPayloadAsCause()
    {
        Lambda.RegisterFunction("plan-upgrade", Plan);

        var summary = _h.Run("""
            {"StartAt":"Plan","States":{"Plan":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "Parameters":{"FunctionName":"plan-upgrade","Payload":{}},
              "Catch":[{"ErrorEquals":["InvalidInput"],"ResultPath":"$.error","Next":"Rejected"}],"End":true},
              "Rejected":{"Type":"Pass","End":true}}}
            """);

        Assert.Equal("SUCCEEDED", summary.Status);
        var error = summary.Output!.AsObject().GetObject("error")!;
        Assert.Equal("InvalidInput", error.GetString("Error"));
        var cause = JValue.Parse(error.GetString("Cause")!).AsObject();
        Assert.Equal(["errorType", "errorMessage", "stackTrace"], cause.Keys);
        Assert.Equal("InvalidInput", cause.GetString("errorType"));
        Assert.Equal("cluster is required", cause.GetString("errorMessage"));
        Assert.Contains(cause.GetArray("stackTrace")!, frame => frame.AsString().Contains(nameof(Plan), StringComparison.Ordinal));
        Assert.Equal("InvalidInput", Assert.Single(Lambda.Invocations).ErrorType);
    }

    [Fact]
    public void HandlerThrowsFrameworkException_ErrorIsTheShortTypeNameAsTheDotnetRuntimeReportsIt()
    {
        Lambda.RegisterFunction("plan-upgrade", (Func<Stream, Stream>)(_ => throw new InvalidOperationException("outer", new TimeoutException("inner"))));

        var summary = _h.Run("""{"StartAt":"Plan","States":{"Plan":{"Type":"Task","Resource":"__0__","End":true}}}""".Replace("__0__", PlanArn, StringComparison.Ordinal));

        Assert.Equal("InvalidOperationException", summary.Error);
        var cause = JValue.Parse(summary.Cause!).AsObject();
        Assert.Equal("TimeoutException", cause.GetObject("cause")!.GetString("errorType"));
        Assert.Equal("inner", cause.GetObject("cause")!.GetString("errorMessage"));
        Assert.Contains(summary.History, e => e.Type == "LambdaFunctionFailed" && e.Error == "InvalidOperationException");
    }

    [Fact]
    public void UnknownFunctionOrQualifier_FailsWithLambdaResourceNotFound()
    {
        Lambda.RegisterFunction("plan-upgrade", Plan);

        var unknown = _h.Run("""
            {"StartAt":"Plan","States":{"Plan":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "Parameters":{"FunctionName":"nope","Payload":{}},"End":true}}}
            """);
        var badAlias = _h.Run("""{"StartAt":"Plan","States":{"Plan":{"Type":"Task","Resource":"__0__:live","End":true}}}""".Replace("__0__", PlanArn, StringComparison.Ordinal));

        Assert.Equal("Lambda.ResourceNotFoundException", unknown.Error);
        Assert.Equal($"Function not found: {PlatformHarness.Arn("lambda", "function:nope")}", unknown.Cause);
        Assert.Equal("Lambda.ResourceNotFoundException", badAlias.Error);
    }

    [Theory]
    [InlineData("throttle", null, "Lambda.TooManyRequestsException")]
    [InlineData("internal", null, "Lambda.ServiceException")]
    [InlineData("error", "AWSLambdaException", "Lambda.AWSLambdaException")]
    [InlineData("error", "SdkClientException", "Lambda.SdkClientException")]
    public void InjectedTransientFault_HasTheErrorNameWorkflowsRetry(string kind, string? error, string expected)
    {
        Lambda.RegisterFunction("plan-upgrade", Plan);
        _h.Account.Faults.Add(FaultRule.Parse(error is null ? JObject.Of(("target", "lambda:Invoke"), ("kind", kind)) : JObject.Of(("target", "lambda:Invoke"), ("kind", kind), ("error", error)), 0));

        var summary = _h.Run("""{"StartAt":"Plan","States":{"Plan":{"Type":"Task","Resource":"__0__","End":true}}}""".Replace("__0__", PlanArn, StringComparison.Ordinal));

        Assert.Equal(expected, summary.Error);
        Assert.Empty(Lambda.Invocations);
    }

    [Fact]
    public void TransientFaults_AreRetriedByTheStandardLambdaRetrier()
    {
        Lambda.RegisterFunction("plan-upgrade", Plan);
        _h.Account.Faults.Add(new FaultRule("lambda:Invoke", FaultKind.Throttle, OnCalls: [1]));
        _h.Account.Faults.Add(new FaultRule("lambda:Invoke", FaultKind.Internal, OnCalls: [2]));
        _h.Account.Faults.Add(new FaultRule("lambda:Invoke", FaultKind.Error, OnCalls: [3], Error: "SdkClientException"));

        var summary = _h.Run("""
            {"StartAt":"Plan","States":{"Plan":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "Parameters":{"FunctionName":"plan-upgrade","Payload.$":"$"},"OutputPath":"$.Payload",
              "Retry":[{"ErrorEquals":["Lambda.ServiceException","Lambda.AWSLambdaException","Lambda.SdkClientException","Lambda.TooManyRequestsException"],
                        "IntervalSeconds":1,"MaxAttempts":3,"BackoffRate":2}],"End":true}}}
            """, JObject.Of(("cluster", "shop-blue")));

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal(["Lambda.TooManyRequestsException", "Lambda.ServiceException", "Lambda.SdkClientException", "OK"], _h.Account.Calls.Calls.Select(c => c.Outcome));
        Assert.Equal(1 + 2 + 4, summary.VirtualSeconds);
        Assert.Single(Lambda.Invocations);
    }

    [Fact]
    public void WaitForTaskToken_HandlerSendsTheTokenBackThroughTheStepFunctionsApi()
    {
        var sfn = _h.Service<StepFunctionsService>();
        Lambda.RegisterFunction("request-approval", input =>
        {
            var request = Read(input);
            sfn.SendTaskSuccess(request.GetString("token")!, JObject.Of(("approvedBy", "oncall"), ("cluster", request.GetString("cluster")!)));
            return Json("{}");
        });

        var summary = _h.Run("""
            {"StartAt":"Approve","States":{"Approve":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
              "Parameters":{"FunctionName":"request-approval","Payload":{"token.$":"$$.Task.Token","cluster.$":"$.cluster"}},
              "HeartbeatSeconds":60,"End":true}}}
            """, JObject.Of(("cluster", "shop-blue")));

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal("""{"approvedBy":"oncall","cluster":"shop-blue"}""", summary.Output!.ToJson());
        Assert.Contains(summary.History, e => e.Type == "TaskSubmitted");
    }

    [Fact]
    public void OptimizedInvoke_StringPayload_IsSentAsJsonTextOrAsAJsonString()
    {
        var received = new List<string>();
        Lambda.RegisterFunction("echo", input =>
        {
            using var reader = new StreamReader(input);
            received.Add(reader.ReadToEnd());
            return Json("{}");
        });

        _h.Run("""
            {"StartAt":"A","States":{
              "A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"echo","Payload":"{\"n\":1}"},"Next":"B"},
              "B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"echo","Payload":"hello"},"Next":"C"},
              "C":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"echo"},"End":true}}}
            """);

        Assert.Equal(["""{"n":1}""", "\"hello\"", "{}"], received);
    }

    [Fact]
    public void SdkIntegrationInvoke_FunctionError_IsReturnedNotRaised()
    {
        Lambda.RegisterFunction("plan-upgrade", Plan);

        var response = _h.Call("lambda", "Invoke", JObject.Of(("FunctionName", "plan-upgrade"), ("Payload", "{}")));

        Assert.Equal("Unhandled", response.GetString("FunctionError"));
        Assert.Equal(200, response.GetNumber("StatusCode"));
        Assert.Equal("InvalidInput", JValue.Parse(response.GetString("Payload")!).AsObject().GetString("errorType"));
    }

    [Fact]
    public void EventInvocation_Returns202AndRunsAfterTheCall_RetryingFailuresTwice()
    {
        var calls = 0;
        Lambda.RegisterFunction("flaky", _ => ++calls < 3 ? throw new InvalidInput("not yet") : Json("{}"));

        var response = _h.Call("lambda", "Invoke", JObject.Of(("FunctionName", "flaky"), ("InvocationType", "Event"), ("Payload", "{}")));
        Assert.Equal(202, response.GetNumber("StatusCode"));
        _h.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(3, calls);
        Assert.Equal([_h.Start, _h.Start.AddMinutes(1), _h.Start.AddMinutes(3)], Lambda.Invocations.Select(i => i.Time));
        Assert.Equal(["InvalidInput", "InvalidInput", null], Lambda.Invocations.Select(i => i.ErrorType));
    }

    [Fact]
    public void FunctionDurationBeyondItsTimeout_FailsWithSandboxTimedout()
    {
        Lambda.RegisterFunction("slow", Plan, new LambdaFunctionOptions { TimeoutSeconds = 3, Duration = TimeSpan.FromSeconds(10) });

        var summary = _h.Run(
            """{"StartAt":"Slow","States":{"Slow":{"Type":"Task","Resource":"__0__","End":true}}}""".Replace("__0__", PlatformHarness.Arn("lambda", "function:slow"), StringComparison.Ordinal),
            JObject.Of(("cluster", "c")));

        Assert.Equal("Sandbox.Timedout", summary.Error);
        Assert.Equal(3, summary.VirtualSeconds);
        Assert.Contains("Task timed out after 3.00 seconds", summary.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void AsyncHandlersWithRealIo_HoldTheClockAndResumeInInvocationOrder()
    {
        // The first branch's I/O takes longer in real time; the simulation must not care.
        Lambda.RegisterFunction("slow-io", async input =>
        {
            await Task.Delay(60).ConfigureAwait(false);
            return Json("\"slow\"");
        });
        Lambda.RegisterFunction("fast-io", async input =>
        {
            await Task.Yield();
            return Json("\"fast\"");
        });
        const string Definition = """
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Slow","States":{"Slow":{"Type":"Task","Resource":"arn:aws:lambda:ap-northeast-2:111122223333:function:slow-io","Next":"AfterSlow"},
                                          "AfterSlow":{"Type":"Pass","End":true}}},
              {"StartAt":"Fast","States":{"Fast":{"Type":"Task","Resource":"arn:aws:lambda:ap-northeast-2:111122223333:function:fast-io","Next":"AfterFast"},
                                          "AfterFast":{"Type":"Pass","End":true}}}]}}}
            """;

        var first = _h.Run(Definition);
        var second = _h.Run(Definition);

        Assert.Equal("""["slow","fast"]""", first.Output!.ToJson());
        Assert.Equal(0, first.VirtualSeconds);
        Assert.Equal(first.History.Select(e => (e.Type, e.StateName)), second.History.Select(e => (e.Type, e.StateName)));
        Assert.True(
            first.History.ToList().FindIndex(e => e.Type == "LambdaFunctionSucceeded" && e.StateName == "Slow")
            < first.History.ToList().FindIndex(e => e.Type == "LambdaFunctionSucceeded" && e.StateName == "Fast"),
            "the Lambda invoked first resumes first");
    }

    [Fact]
    public void WorldSection_SeedsStubFunctionsThatReturnOrThrow()
    {
        using var h = new PlatformHarness(JObject.Of(("lambda", JValue.Parse("""
            {"functions":[{"name":"check-health","aliases":["live"],"returns":{"healthy":true}},
                          {"name":"check-alarms","throws":{"errorType":"AlarmFiring","errorMessage":"5xx alarm in ALARM"}}]}
            """))));

        var healthy = h.Run("""{"StartAt":"C","States":{"C":{"Type":"Task","Resource":"__0__:live","End":true}}}""".Replace("__0__", PlatformHarness.Arn("lambda", "function:check-health"), StringComparison.Ordinal));
        var alarms = h.Run("""{"StartAt":"C","States":{"C":{"Type":"Task","Resource":"__0__","End":true}}}""".Replace("__0__", PlatformHarness.Arn("lambda", "function:check-alarms"), StringComparison.Ordinal));
        var listed = h.Call("lambda", "ListFunctions", JObject.Empty);

        Assert.Equal("""{"healthy":true}""", healthy.Output!.ToJson());
        Assert.Equal("AlarmFiring", alarms.Error);
        Assert.Equal(["check-alarms", "check-health"], listed.GetArray("Functions")!.Select(f => f.AsObject().GetString("FunctionName")));
    }

    [Fact]
    public void GetFunction_ReportsConfigurationAndQualifiedArn()
    {
        Lambda.RegisterFunction("plan-upgrade", Plan, new LambdaFunctionOptions { Aliases = ["live"], TimeoutSeconds = 30 });

        var function = _h.Call("lambda", "GetFunction", JObject.Of(("FunctionName", PlanArn), ("Qualifier", "live")));

        var configuration = function.GetObject("Configuration")!;
        Assert.Equal($"{PlanArn}:live", configuration.GetString("FunctionArn"));
        Assert.Equal("1", configuration.GetString("Version"));
        Assert.Equal(30, configuration.GetNumber("Timeout"));
        Assert.Equal("Active", configuration.GetString("State"));
    }
}
