using BlueGreen.Deployment.Definitions;
using BlueGreen.Deployment.Permissions;

namespace BlueGreen.Infra.Cdk.Tests.Permissions;

public class DefinitionDerivationTests
{
    private static readonly IReadOnlyList<StateMachineFile> Definitions = StateMachineFile.LoadDeployed(BuildPaths.StateMachinesDirectory);

    [Fact]
    public void LoadDeployed_ReadsTasksInsideParallelAndMap()
    {
        var upgrade = Definitions.Single(d => d.Name == "upgrade");
        var describeBlue = Definitions.Single(d => d.Name == "describe-blue");
        var gate = Definitions.Single(d => d.Name == "gate");

        // "Describe the nodegroup" sits in a Map inside a Parallel branch.
        Assert.Contains(describeBlue.Tasks, t => t.StateName == "Describe the nodegroup" && t.Resource.EndsWith("eks:describeNodegroup", StringComparison.Ordinal));
        // A hook is a function named at run time, in a Map.
        Assert.Contains(gate.Tasks, t => t.IsDynamic("FunctionName"));
        Assert.Equal("PlanUpgradeFunctionArn", upgrade.Tasks.Single(t => t.StateName == "Plan the upgrade").StaticPlaceholder("FunctionName"));
    }

    [Fact]
    public void IntegrationActions_EveryTaskOfEveryFile_HasAnIamRule()
    {
        foreach (var task in Definitions.SelectMany(d => d.Tasks))
        {
            Assert.NotEmpty(IntegrationActions.For(task));
        }
    }

    [Fact]
    public void IntegrationActions_UnknownOptimizedIntegration_IsRefused()
    {
        var task = new TaskCall("Run a batch job", "arn:aws:states:::batch:submitJob.sync", null);

        var error = Assert.Throws<NotSupportedException>(() => IntegrationActions.For(task));

        Assert.Contains("no IAM rule", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:states:::aws-sdk:elasticloadbalancingv2:modifyRule", "elasticloadbalancing:ModifyRule")]
    [InlineData("arn:aws:states:::aws-sdk:sfn:describeExecution", "states:DescribeExecution")]
    [InlineData("arn:aws:states:::aws-sdk:eventbridge:putEvents", "events:PutEvents")]
    [InlineData("arn:aws:states:::aws-sdk:cloudwatch:describeAlarms", "cloudwatch:DescribeAlarms")]
    [InlineData("arn:aws:states:::aws-sdk:eks:describeClusterVersions", "eks:DescribeClusterVersions")]
    public void IntegrationActions_SdkIntegration_MapsServiceAndCapitalizesAction(string resource, string action)
    {
        Assert.Equal([action], IntegrationActions.For(new TaskCall("t", resource, null)));
    }

    [Theory]
    [InlineData("arn:aws:states:::aws-sdk:eks:createAccessEntry", "eks:CreateAccessEntry,eks:TagResource,iam:PassRole")]
    [InlineData("arn:aws:states:::aws-sdk:eks:createAddon", "eks:CreateAddon,eks:TagResource,iam:PassRole")]
    [InlineData("arn:aws:states:::aws-sdk:eks:createPodIdentityAssociation", "eks:CreatePodIdentityAssociation,eks:TagResource,iam:PassRole")]
    [InlineData("arn:aws:states:::eks:createNodegroup.sync", "ec2:DescribeSubnets,eks:CreateNodegroup,eks:DeleteNodegroup,eks:DescribeNodegroup,eks:TagResource,iam:GetRole,iam:ListAttachedRolePolicies,iam:PassRole")]
    [InlineData("arn:aws:states:::eks:createCluster.sync", "eks:CreateCluster,eks:DeleteCluster,eks:DescribeCluster,eks:TagResource,iam:PassRole,kms:CreateGrant,kms:DescribeKey")]
    [InlineData("arn:aws:states:::eks:deleteCluster.sync", "eks:DeleteCluster,eks:DescribeCluster")]
    public void IntegrationActions_EksCreates_AlsoNeedTagResourceForTheirTags(string resource, string actions)
    {
        // Green's spec sends Tags on every create; EKS authorizes tags given on create as eks:TagResource.
        Assert.Equal(actions.Split(','), IntegrationActions.For(new TaskCall("t", resource, null)).Order(StringComparer.Ordinal));
    }
}
