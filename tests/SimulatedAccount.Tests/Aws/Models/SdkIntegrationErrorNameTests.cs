using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Models;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Models;

/// <summary>
/// Errors through <c>arn:aws:states:::aws-sdk:*</c> are named as the AWS SDK for Java 2.x names them: a
/// modeled error shape is <c>Prefix.ShapeName</c> (plus <c>Exception</c>), anything else the generic
/// <c>Prefix.PrefixException</c> (docs/aws-api-models.md, "Error names").
/// </summary>
public sealed class SdkIntegrationErrorNameTests : IDisposable
{
    private const string ListenerArn = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener/app/shop-alb/50dc6c495c0c9188/f2f7dc8efc522ab2";
    private const string RuleArn = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener-rule/app/shop-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";

    private readonly SimulatedAccount _account = AccountFactory.Create();

    public void Dispose() => _account.Dispose();

    /// <summary>(resource, parameters that pass the model check, fault kind, the error a Catch sees).</summary>
    public static TheoryData<string, string, FaultKind, string> InjectedFaults => new()
    {
        { "cloudwatch:describeAlarms", "{}", FaultKind.Throttle, "CloudWatch.CloudWatchException" },
        { "cloudwatch:describeAlarms", "{}", FaultKind.Internal, "CloudWatch.InternalServiceFaultException" },
        { "elasticloadbalancingv2:describeRules", $$"""{"ListenerArn":"{{ListenerArn}}"}""", FaultKind.Throttle, "ElasticLoadBalancingV2.ElasticLoadBalancingV2Exception" },
        { "elasticloadbalancingv2:modifyRule", $$"""{"RuleArn":"{{RuleArn}}"}""", FaultKind.Internal, "ElasticLoadBalancingV2.ElasticLoadBalancingV2Exception" },
        { "route53:changeResourceRecordSets", """{"HostedZoneId":"Z1","ChangeBatch":{"Changes":[]}}""", FaultKind.Throttle, "Route53.Route53Exception" },
        { "route53:getChange", """{"Id":"C1"}""", FaultKind.Internal, "Route53.Route53Exception" },
        { "eks:listClusters", "{}", FaultKind.Throttle, "Eks.ThrottlingException" },
        { "eks:listClusters", "{}", FaultKind.Internal, "Eks.ServerException" },
        { "secretsmanager:listSecrets", "{}", FaultKind.Throttle, "SecretsManager.SecretsManagerException" },
        { "secretsmanager:listSecrets", "{}", FaultKind.Internal, "SecretsManager.InternalServiceErrorException" },
        { "scheduler:listSchedules", "{}", FaultKind.Throttle, "Scheduler.ThrottlingException" },
        { "scheduler:listSchedules", "{}", FaultKind.Internal, "Scheduler.InternalServerException" },
        { "sfn:listStateMachines", "{}", FaultKind.Throttle, "Sfn.SfnException" },
        { "sns:listTopics", "{}", FaultKind.Throttle, "Sns.ThrottledException" },
        { "sns:listTopics", "{}", FaultKind.Internal, "Sns.InternalErrorException" },
        { "lambda:listFunctions", "{}", FaultKind.Throttle, "Lambda.TooManyRequestsException" },
        { "lambda:listFunctions", "{}", FaultKind.Internal, "Lambda.ServiceException" },
    };

    [Theory]
    [MemberData(nameof(InjectedFaults))]
    public void SdkCall_InjectedFault_IsNamedAsTheJavaSdkNamesIt(string resource, string parameters, FaultKind kind, string expected)
    {
        var (service, action) = (resource.Split(':')[0], resource.Split(':')[1]);
        var iam = _account.ServiceBySdkName(service)!.IamPrefix;
        _account.Faults.Add(new FaultRule($"{iam}:{char.ToUpperInvariant(action[0])}{action[1..]}", kind, OnCalls: [1]));

        var summary = Run(resource, parameters);

        Assert.Equal("FAILED", summary.Status);
        Assert.Equal(expected, summary.Error);
        Assert.Equal(expected, Assert.Single(_account.Calls.Calls).Outcome);
    }

    [Theory]
    // Not in the ELBv2 model: ValidationError is the generic exception.
    [InlineData("elasticloadbalancingv2:modifyRule", """{"Actions":[]}""", "ElasticLoadBalancingV2.ElasticLoadBalancingV2Exception")]
    // CloudWatch's model sends ValidationException as ValidationError.
    [InlineData("cloudwatch:describeAlarms", """{"StateValue":"BROKEN"}""", "CloudWatch.ValidationException")]
    [InlineData("route53:getChange", "{}", "Route53.InvalidInputException")]
    public void SdkCall_ServiceValidationError_IsNamedFromTheModel(string resource, string parameters, string expected)
    {
        var summary = Run(resource, parameters);

        Assert.Equal("FAILED", summary.Status);
        Assert.Equal(expected, summary.Error);
    }

    [Fact]
    public void SdkCall_ModeledErrorSentUnderAnotherCode_IsNamedByItsShape()
    {
        // ELBv2 answers an unknown rule with the code RuleNotFound; the model's shape is RuleNotFoundException.
        var summary = Run("elasticloadbalancingv2:describeRules", $$"""{"RuleArns":["{{RuleArn}}"]}""");

        Assert.Equal("ElasticLoadBalancingV2.RuleNotFoundException", summary.Error);
    }

    [Fact]
    public void OptimizedIntegration_InjectedFault_KeepsItsCodeBasedName()
    {
        _account.Faults.Add(new FaultRule("sns:Publish", FaultKind.Throttle, OnCalls: [1]));

        var summary = Run("sns:publish", """{"TopicArn":"arn:aws:sns:ap-northeast-2:111122223333:t","Message":"hi"}""", "arn:aws:states:::");

        Assert.Equal("SNS.ThrottledException", summary.Error);
    }

    [Theory]
    [InlineData("cloudwatch", "CloudWatch", "InternalServiceError", "CloudWatch.InternalServiceFaultException")]
    [InlineData("cloudwatch", "CloudWatch", "InternalServiceFault", "CloudWatch.InternalServiceFaultException")]
    [InlineData("cloudwatch", "CloudWatch", "Throttling", "CloudWatch.CloudWatchException")]
    [InlineData("route53", "Route53", "PriorRequestNotComplete", "Route53.PriorRequestNotCompleteException")]
    [InlineData("route53", "Route53", "ThrottlingException", "Route53.ThrottlingException")]
    [InlineData("route53", "Route53", "InternalError", "Route53.Route53Exception")]
    [InlineData("dynamodb", "DynamoDb", "InternalServerError", "DynamoDb.InternalServerErrorException")]
    [InlineData("sfn", "Sfn", "ExecutionLimitExceeded", "Sfn.ExecutionLimitExceededException")]
    public void ErrorName_FollowsTheModel(string sdkName, string prefix, string code, string expected)
    {
        Assert.Equal(expected, ApiModelValidator.Default.SdkIntegrationErrorName(sdkName, prefix, code));
    }

    private RunSummary Run(string resource, string parameters, string prefix = "arn:aws:states:::aws-sdk:") =>
        LocalRunner.Run(_account.StepFunctions, DefinitionLoader.Load(
            $$"""{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"{{prefix}}{{resource}}","Parameters":{{parameters}},"End":true""" + "}}}"),
            JObject.Empty, new StartExecutionOptions());
}
