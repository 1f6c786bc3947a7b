using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Aws.Services.Sns;

public sealed class SnsServiceTests : IDisposable
{
    private const string TopicArn = "arn:aws:sns:ap-northeast-2:111122223333:bluegreen-notifications";

    private readonly SimulatedAccount _account = AccountFactory.Create(Scenario.FromJson("test", JObject.Of(
        ("services", JObject.Of(("sns", JObject.Of(("topics", JArray.Of(JObject.Of(("name", "bluegreen-notifications")))))))))));

    public void Dispose() => _account.Dispose();

    private RunSummary Run(string definition, JValue? input = null) =>
        LocalRunner.Run(_account.StepFunctions, DefinitionLoader.Load(definition), input ?? JObject.Empty, new StartExecutionOptions());

    [Fact]
    public void OptimizedPublish_ObjectMessage_PublishesItsJsonText()
    {
        var summary = Run("""
            {"StartAt":"Notify","States":{"Notify":{"Type":"Task","Resource":"arn:aws:states:::sns:publish",
              "Parameters":{"TopicArn":"TOPIC","Subject":"Upgrade started","Message":{"cluster.$":"$.cluster","weight":10}},"End":true}}}
            """.Replace("TOPIC", TopicArn, StringComparison.Ordinal), JObject.Of(("cluster", "shop-blue")));

        Assert.Equal("SUCCEEDED", summary.Status);
        var message = Assert.Single(_account.Service<SnsService>().Messages);
        Assert.Equal("""{"cluster":"shop-blue","weight":10}""", message.Message);
        Assert.Equal("Upgrade started", message.Subject);
        var output = summary.Output!.AsObject();
        Assert.Equal(message.MessageId, output.GetString("MessageId"));
        Assert.Equal(200, output.GetObject("SdkHttpMetadata")!.GetNumber("HttpStatusCode"));
        Assert.Equal(["sns:Publish"], _account.Calls.Calls.Select(c => c.Name));
        Assert.Equal(1, _account.Calls.MutatingCount);
    }

    [Fact]
    public void Publish_UnknownTopic_FailsWithServiceErrorNames()
    {
        const string Definition = """
            {"StartAt":"Notify","States":{"Notify":{"Type":"Task","Resource":"RESOURCE",
              "Parameters":{"TopicArn":"arn:aws:sns:ap-northeast-2:111122223333:nope","Message":"hi"},"End":true}}}
            """;

        var optimized = Run(Definition.Replace("RESOURCE", "arn:aws:states:::sns:publish", StringComparison.Ordinal));
        var sdk = Run(Definition.Replace("RESOURCE", "arn:aws:states:::aws-sdk:sns:publish", StringComparison.Ordinal));

        Assert.Equal("SNS.NotFoundException", optimized.Error);
        Assert.Equal("Sns.NotFoundException", sdk.Error);
        Assert.Equal("Topic does not exist", sdk.Cause);
    }

    [Fact]
    public void Publish_ThrottledOnFirstCall_IsRetriedByTheStateMachine()
    {
        _account.Faults.Add(new FaultRule("sns:Publish", FaultKind.Throttle, OnCalls: [1]));

        var summary = Run("""
            {"StartAt":"Notify","States":{"Notify":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:sns:publish",
              "Parameters":{"TopicArn":"TOPIC","Message":"hi"},
              "Retry":[{"ErrorEquals":["Sns.ThrottledException"],"IntervalSeconds":3}],"End":true}}}
            """.Replace("TOPIC", TopicArn, StringComparison.Ordinal));

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal(["Sns.ThrottledException", "OK"], _account.Calls.Calls.Select(c => c.Outcome));
        Assert.Equal("Throttle", _account.Calls.Calls[0].InjectedFault);
        Assert.Equal(3, summary.VirtualSeconds);
    }
}
