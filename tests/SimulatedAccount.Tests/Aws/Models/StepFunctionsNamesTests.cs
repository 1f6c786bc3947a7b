using BlueGreen.Simulator.Aws.Models;

namespace BlueGreen.Simulator.Tests.Aws.Models;

public sealed class StepFunctionsNamesTests
{
    [Theory]
    [InlineData("nodegroupName", "nodegroupName")]
    [InlineData("TopicArn", "topicArn")]
    [InlineData("DBClusterIdentifier", "dbClusterIdentifier")]
    [InlineData("TTL", "ttl")]
    [InlineData("VPCs", "vpCs")]
    [InlineData("OKActions", "okActions")]
    [InlineData("SS", "ss")]
    [InlineData("S", "s")]
    public void JavaMemberName_FoldsTheLeadingAcronym(string model, string java)
    {
        Assert.Equal(java, StepFunctionsNames.JavaMemberName(model));
    }

    [Theory]
    [InlineData("eks", "CreateNodegroupRequest", "nodegroupName", "NodegroupName")]
    [InlineData("sfn", "StartExecutionInput", "stateMachineArn", "StateMachineArn")]
    [InlineData("elasticloadbalancingv2", "ModifyRuleInput", "RuleArn", "RuleArn")]
    [InlineData("route53", "ResourceRecordSet", "TTL", "Ttl")]
    [InlineData("elasticloadbalancingv2", "LoadBalancer", "DNSName", "DnsName")]
    [InlineData("cloudwatch", "PutMetricAlarmInput", "OKActions", "OkActions")]
    [InlineData("dynamodb", "AttributeValue", "BOOL", "Bool")]
    [InlineData("dynamodb", "AttributeValue", "NULL", "Nul")]
    [InlineData("dynamodb", "AttributeValue", "SS", "Ss")]
    [InlineData("costexplorer", "DimensionValues", "Equals", "EqualsValue")]
    public void ParameterName_FollowsTheJavaSdkBeanName(string sdkName, string shape, string member, string expected)
    {
        Assert.Equal(expected, StepFunctionsNames.ParameterName(sdkName, shape, member));
    }

    [Theory]
    [InlineData("route53", "ResourceRecordSet", "TTL", "Ttl,TTL")]
    [InlineData("dynamodb", "AttributeValue", "NULL", "Nul,NULL")]
    [InlineData("eks", "CreateClusterRequest", "name", "Name")]
    [InlineData("costexplorer", "DimensionValues", "Equals", "EqualsValue")]
    public void AcceptedNames_AddTheModelSpellingExceptForJavaReservedWords(string sdkName, string shape, string member, string expected)
    {
        Assert.Equal(expected.Split(','), StepFunctionsNames.AcceptedNames(sdkName, shape, member));
    }
}
