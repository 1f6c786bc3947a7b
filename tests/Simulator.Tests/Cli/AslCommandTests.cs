using BlueGreen.Simulator.Cli;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Cli;

public sealed class AslCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("asl-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static (int Exit, JObject Output) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var exit = AslCommand.Run(args, stdout);
        return (exit, (JObject)JValue.Parse(stdout.ToString()));
    }

    [Fact]
    public void Run_PrintsTheContractObject()
    {
        var definition = WriteFile("sm.json", """{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":300,"Next":"P"},"P":{"Type":"Pass","Result":"done","End":true}}}""");

        var (exit, output) = Run("run", "--definition", definition, "--input", """{"a":1}""");

        Assert.Equal(0, exit);
        Assert.Equal(["status", "output", "error", "cause", "stateTransitions", "historyEvents", "virtualSeconds"], output.Keys);
        Assert.Equal("SUCCEEDED", output.GetString("status"));
        Assert.Equal("done", output.GetString("output"));
        Assert.Equal(2, output.GetNumber("stateTransitions"));
        Assert.Equal(6, output.GetNumber("historyEvents"));
        Assert.Equal(300, output.GetNumber("virtualSeconds"));
    }

    [Theory]
    [InlineData("""{"Type":"Fail","Error":"Boom","Cause":"on purpose"}""", "FAILED")]
    [InlineData("""{"Type":"Wait","Seconds":10,"End":true}""", "TIMED_OUT")]
    public void Run_AnExecutionThatDoesNotSucceed_ExitsOne(string state, string status)
    {
        var definition = WriteFile("sm.json", "{\"StartAt\":\"S\",\"TimeoutSeconds\":5,\"States\":{\"S\":" + state + "}}");

        var (exit, output) = Run("run", "--definition", definition);

        Assert.Equal((AslCommand.ExitExecutionNotSucceeded, status), (exit, output.GetString("status")));
    }

    [Fact]
    public void Run_WithMockConfig_UsesTheTestCase()
    {
        var definition = WriteFile("sm.json", """
            {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"IntervalSeconds":1,"MaxAttempts":2}],
              "OutputPath":"$.Payload","End":true}}}
            """);
        var mocks = WriteFile("mocks.json", """
            {"StateMachines":{"Upgrade":{"TestCases":{"Throttled":{"Call":"ThrottledThenOk"}}}},
             "MockedResponses":{"ThrottledThenOk":{
               "0-1":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"Rate exceeded"}},
               "2":{"Return":{"StatusCode":200,"Payload":{"ok":true}}}}}}
            """);

        var (_, output) = Run("run", "--definition", definition, "--mock-config", mocks, "--test-case", "Throttled");

        Assert.Equal("SUCCEEDED", output.GetString("status"));
        Assert.Equal("""{"ok":true}""", output["output"]!.ToJson());
        Assert.Equal(3, output.GetNumber("stateTransitions"));
        Assert.Equal(3, output.GetNumber("virtualSeconds"));
    }

    [Fact]
    public void Run_InvalidDefinition_PrintsInvalidAndExitsNonZero()
    {
        var definition = WriteFile("bad.json", """
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Next":"Missing"},
              "B":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true,
                   "Catch":[{"ErrorEquals":["States.ALL","X"],"Next":"A"}]},
              "C":{"Type":"Bogus"}}}
            """);

        var (exit, output) = Run("run", "--definition", definition, "--input", "{}");

        Assert.Equal(AslCommand.ExitInvalidDefinition, exit);
        Assert.Equal("INVALID", output.GetString("status"));
        var messages = output.GetArray("diagnostics")!.Select(d => d.AsObject().GetString("code") + " " + d.AsObject().GetString("location")).ToList();
        Assert.Contains("MISSING_TRANSITION_TARGET /States/A/Next", messages);
        Assert.Contains("SCHEMA_VALIDATION_FAILED /States/B/Catch[0]/ErrorEquals", messages);
        Assert.Contains("SCHEMA_VALIDATION_FAILED /States/C/Type", messages);
        Assert.Contains("UNREACHABLE_STATE /States/B", messages);
    }

    [Fact]
    public void Run_History_AddsTheEventList()
    {
        var definition = WriteFile("sm.json", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");

        var (_, output) = Run("run", "--definition", definition, "--history");

        Assert.Equal(["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"],
            output.GetArray("history")!.Select(e => e.AsObject().GetString("type")));
    }

    [Fact]
    public void Run_InputOverThePayloadQuota_IsAUsageErrorNamingInvalidExecutionInput()
    {
        var definition = WriteFile("sm.json", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");
        var input = WriteFile("big.json", JObject.Of(("big", new string('x', 256 * 1024))).ToJson());
        var stdout = new StringWriter();

        var e = Assert.Throws<UsageException>(() => AslCommand.Run(["run", "--definition", definition, "--input", input], stdout));

        Assert.StartsWith("--input: InvalidExecutionInput: ", e.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout.ToString());
    }

    [Fact]
    public void Run_UnknownOption_IsAUsageError()
    {
        var definition = WriteFile("sm.json", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");

        Assert.Throws<UsageException>(() => AslCommand.Run(["run", "--definition", definition, "--inptu", "{}"], new StringWriter()));
    }
}
