using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Models;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Aws.Models;

/// <summary>A state machine's SNS requests go through the model check before they reach the simulated service.</summary>
public sealed class SdkIntegrationValidationTests : IDisposable
{
    private const string TopicArn = "arn:aws:sns:ap-northeast-2:111122223333:bluegreen-notifications";

    private readonly SimulatedAccount _account = AccountFactory.Create(Scenario.FromJson("test", JObject.Of(
        ("services", JObject.Of(("sns", JObject.Of(("topics", JArray.Of(JObject.Of(("name", "bluegreen-notifications")))))))))));

    public void Dispose() => _account.Dispose();

    private RunSummary Run(string resource, string parameters, string extra = "") =>
        LocalRunner.Run(_account.StepFunctions, DefinitionLoader.Load("""
            {"StartAt":"Notify operators","States":{"Notify operators":{"Type":"Task","Resource":"RESOURCE",
              "Parameters":PARAMETERS EXTRA,"End":true}}}
            """.Replace("RESOURCE", resource, StringComparison.Ordinal).Replace("PARAMETERS", parameters, StringComparison.Ordinal).Replace("EXTRA", extra, StringComparison.Ordinal)), JObject.Of(("cluster", "shop-blue")), new StartExecutionOptions());

    [Fact]
    public void AccountFactory_ValidatesEveryAccountAgainstTheModels()
    {
        Assert.Same(ApiModelValidator.Default, _account.Validator);
    }

    [Fact]
    public void SdkPublish_MisspelledParameter_FailsWithStatesRuntimeBeforeAnyCall()
    {
        var summary = Run("arn:aws:states:::aws-sdk:sns:publish", $$"""{"TopicArnn":"{{TopicArn}}","Message.$":"$.cluster"}""");

        Assert.Equal("FAILED", summary.Status);
        Assert.Equal(StatesErrors.Runtime, summary.Error);
        Assert.Equal(
            $$"""An error occurred while executing the state 'Notify operators' (entered at the event id #2). The Parameters '{"TopicArnn":"{{TopicArn}}","Message":"shop-blue"}' could not be used to start the Task: [The field "TopicArnn" is not supported by Step Functions]""",
            summary.Cause);
        Assert.Empty(_account.Calls.Calls);
        Assert.Empty(_account.Service<SnsService>().Messages);
    }

    [Fact]
    public void SdkPublish_MisspelledParameter_CannotBeCaughtWithStatesAll()
    {
        var summary = Run("arn:aws:states:::aws-sdk:sns:publish", $$"""{"TopicArnn":"{{TopicArn}}","Message":"hi"}""",
            ""","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Notify operators"}]""");

        Assert.Equal("FAILED", summary.Status);
        Assert.Equal(StatesErrors.Runtime, summary.Error);
    }

    [Fact]
    public void SdkPublish_MissingMessage_FailsWithTheServicesValidationErrorAndNothingIsPublished()
    {
        var summary = Run("arn:aws:states:::aws-sdk:sns:publish", $$"""{"TopicArn":"{{TopicArn}}","Subject":"Upgrade started"}""");

        Assert.Equal("FAILED", summary.Status);
        Assert.Equal("Sns.InvalidParameterException", summary.Error);
        Assert.Equal("Invalid parameter: Empty message", summary.Cause);
        // The request reached SNS, which rejected it: the call log shows the failed call, the service kept nothing.
        var call = Assert.Single(_account.Calls.Calls);
        Assert.Equal(("sns:Publish", "Sns.InvalidParameterException", "Notify operators"), (call.Name, call.Outcome, call.StateName));
        Assert.Empty(_account.Service<SnsService>().Messages);
    }

    [Fact]
    public void SdkPublish_MissingMessage_CanBeCaughtByItsErrorName()
    {
        var summary = LocalRunner.Run(_account.StepFunctions, DefinitionLoader.Load("""
            {"StartAt":"Notify operators","States":{
              "Notify operators":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:sns:publish","Parameters":{"TopicArn":"TOPIC"},
                "Catch":[{"ErrorEquals":["Sns.InvalidParameterException"],"ResultPath":"$.error","Next":"Notification failed"}],"End":true},
              "Notification failed":{"Type":"Pass","End":true}}}
            """.Replace("TOPIC", TopicArn, StringComparison.Ordinal)), JObject.Empty, new StartExecutionOptions());

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal("""{"Error":"Sns.InvalidParameterException","Cause":"Invalid parameter: Empty message"}""", summary.Output!.AsObject()["error"]!.ToJson());
    }

    [Fact]
    public void OptimizedPublish_MisspelledParameter_IsRejectedToo()
    {
        var summary = Run("arn:aws:states:::sns:publish", $$"""{"TopicArn":"{{TopicArn}}","Mesage":"hi"}""");

        Assert.Equal(StatesErrors.Runtime, summary.Error);
        Assert.EndsWith("[The field \"Mesage\" is not supported by Step Functions]", summary.Cause, StringComparison.Ordinal);
        Assert.Empty(_account.Calls.Calls);
    }

    [Fact]
    public void SdkPublish_CorrectParameters_ReachTheService()
    {
        var summary = Run("arn:aws:states:::aws-sdk:sns:publish", $$"""{"TopicArn":"{{TopicArn}}","Message.$":"$.cluster"}""");

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal("shop-blue", Assert.Single(_account.Service<SnsService>().Messages).Message);
        Assert.Equal(["OK"], _account.Calls.Calls.Select(c => c.Outcome));
    }
}
