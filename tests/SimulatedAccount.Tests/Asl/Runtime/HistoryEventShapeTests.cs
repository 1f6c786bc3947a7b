using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws.Models;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Asl.Runtime;

/// <summary>
/// Every history event the engine writes has the shape of GetExecutionHistory's HistoryEvent in the
/// Step Functions API model (from the pinned @aws-sdk/client-sfn): only members the model declares,
/// every required member present, and the details member that belongs to the event's type.
/// </summary>
public class HistoryEventShapeTests
{
    private const string Everything = """
        {"StartAt":"Choose","States":{
          "Choose":{"Type":"Choice","Choices":[{"Variable":"$.go","BooleanEquals":true,"Next":"Wait"}],"Default":"Wait"},
          "Wait":{"Type":"Wait","Seconds":1,"Next":"Call"},
          "Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"ResultPath":"$.call","Next":"Call the function"},
          "Call the function":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","ResultPath":"$.fn","Next":"Fail and catch"},
          "Fail and catch":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","TimeoutSeconds":5,
            "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.caught","Next":"Each"}],"End":true},
          "Each":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"Item","States":{"Item":{"Type":"Pass","End":true}}},"ResultPath":"$.each","Next":"Both"},
          "Both":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],"ResultPath":"$.both","Next":"Done"},
          "Done":{"Type":"Succeed"}}}
        """;

    private static readonly ApiType HistoryEventShape = ApiModelCatalog.Embedded.Find("sfn")!
        .Operations["GetExecutionHistory"].Output.Members.Single(m => m.Name == "events").Type.Element!;

    private static RunSummary RunEverything()
    {
        var tasks = new TaskRegistry()
            .Register("arn:aws:states:::lambda:invoke", _ => JObject.Of(("StatusCode", 200)))
            .RegisterPrefix("arn:aws:lambda:", new DelegateTaskHandler(_ => JObject.Of(("ok", true))))
            .Register("arn:aws:states:::sns:publish", new DelegateTaskHandler(async r =>
            {
                await r.Scheduler.Delay(TimeSpan.FromSeconds(10), r.CancellationToken);
                return JObject.Empty;
            }));
        return LocalRunner.Run(Everything, JObject.Of(("go", true), ("items", JArray.Of(1, 2))), tasks: tasks);
    }

    [Fact]
    public void History_EveryEvent_MatchesTheApiModel()
    {
        var summary = RunEverything();

        Assert.Equal("SUCCEEDED", summary.Status);
        var problems = summary.History.SelectMany(e => Problems(e.ToJson())).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Contains(summary.History, e => e.Type == "LambdaFunctionScheduled");
        Assert.Contains(summary.History, e => e.Type == "TaskTimedOut");
        Assert.Contains(summary.History, e => e.Type == "ParallelStateStarted");
    }

    [Fact]
    public void History_TaskEvents_NameTheResourceNotTheState()
    {
        var summary = RunEverything();

        var scheduled = summary.History.Select(e => e.ToJson()).First(e => e.GetString("type") == "TaskScheduled").GetObject("taskScheduledEventDetails")!;
        Assert.Equal(["resourceType", "resource", "region", "parameters"], scheduled.Keys);
        Assert.Equal("lambda", scheduled.GetString("resourceType"));
        Assert.Equal("invoke", scheduled.GetString("resource"));
        Assert.Equal("us-east-1", scheduled.GetString("region"));
        Assert.Equal("""{"FunctionName":"f"}""", scheduled.GetString("parameters"));
    }

    [Fact]
    public void History_MapStateStarted_CarriesTheLength()
    {
        var summary = RunEverything();

        var started = summary.History.Select(e => e.ToJson()).Single(e => e.GetString("type") == "MapStateStarted");
        Assert.Equal("""{"length":2}""", started.GetObject("mapStateStartedEventDetails")!.ToJson());
    }

    [Fact]
    public void History_ExecutionStarted_CarriesTheInputAndTheExecutionRole()
    {
        var summary = RunEverything();

        var started = summary.History[0].ToJson().GetObject("executionStartedEventDetails")!;
        Assert.Equal("""{"go":true,"items":[1,2]}""", started.GetString("input"));
        Assert.StartsWith("arn:aws:iam::", started.GetString("roleArn"), StringComparison.Ordinal);
    }

    private static IEnumerable<string> Problems(JObject historyEvent)
    {
        var type = historyEvent.GetString("type");
        var typeMember = HistoryEventShape.Members.Single(m => m.Name == "type");
        if (typeMember.Enum is { } types && !types.Contains(type!))
        {
            yield return $"{type}: not an event type of the API";
        }

        foreach (var (key, value) in historyEvent)
        {
            var member = HistoryEventShape.Members.SingleOrDefault(m => m.Name == key);
            if (member is null)
            {
                yield return $"{type}: '{key}' is not a member of HistoryEvent";
                continue;
            }

            if (value is not JObject details)
            {
                continue;
            }

            var expected = char.ToLowerInvariant(type![0]) + type[1..] + "EventDetails";
            if (key != expected && key is not ("stateEnteredEventDetails" or "stateExitedEventDetails") && !(type.StartsWith("MapIteration", StringComparison.Ordinal) && key == expected))
            {
                yield return $"{type}: details member '{key}', expected '{expected}'";
            }

            foreach (var (field, _) in details)
            {
                if (member.Type.Members.All(m => m.Name != field))
                {
                    yield return $"{type}: '{field}' is not a member of {member.Type.Name}";
                }
            }

            foreach (var required in member.Type.RequiredMembers.Where(r => !details.ContainsKey(r.Name)))
            {
                yield return $"{type}: required '{required.Name}' of {member.Type.Name} is missing";
            }
        }
    }
}
