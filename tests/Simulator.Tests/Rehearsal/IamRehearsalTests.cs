using BlueGreen.Simulator.Aws.Iam;
using BlueGreen.Simulator.Aws.Services.Eks;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Rehearsals run as the deployed roles: every call a state machine, rule or schedule makes is authorized against the
/// policies the deployment gave its role, so a missing permission fails the rehearsal the way it would fail on AWS.
/// </summary>
public sealed class IamRehearsalTests
{
    private const string KarpenterNodeRole = "arn:aws:iam::111122223333:role/shop-karpenter-node-role";

    private static IamRole UpgradeRole(UpgradeRehearsal rehearsal) => rehearsal.Account.Service<IamService>().Role(rehearsal.Deployment.UpgradeRoleArn)!;

    [Fact]
    public void DefaultDeployment_EveryCallOfTheDemoIsAllowed()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        var summary = rehearsal.Run();

        Assert.Equal("Completed", summary.Outcome);
        Assert.Empty(summary.Denials);
        Assert.Empty(rehearsal.Account.Denials);
    }

    [Fact]
    public void PermissionRemoved_FailsWithAccessDeniedAtThatState_BeforeTrafficMoves()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        var createGreen = RoleOf(rehearsal, "create-green");
        createGreen.RemoveAction("eks:CreateAccessEntry");

        var summary = rehearsal.Run();

        Assert.Equal("Failed", summary.Outcome);
        Assert.Equal("Eks.AccessDeniedException", summary.Error);
        Assert.Contains("is not authorized to perform: eks:CreateAccessEntry on resource: arn:aws:eks:ap-northeast-2:111122223333:cluster/shop-green because no identity-based policy allows the eks:CreateAccessEntry action", summary.Cause, StringComparison.Ordinal);
        var denial = Assert.Single(summary.Denials);
        Assert.Equal(("eks:CreateAccessEntry", "Create the access entry", false), (denial.Action, denial.StateName, denial.ExplicitDeny));
        Assert.Equal(createGreen.Arn, denial.PrincipalArn);
        Assert.Equal(new TrafficWeights(100, 0), summary.FinalWeights);
        Assert.DoesNotContain(summary.AwsCalls, c => c.StartsWith("elasticloadbalancing:Modify", StringComparison.Ordinal));
    }

    [Fact]
    public void ListenerRuleNotTaggedForThisEnvironment_IsRefusedByPreflight_AndNeverChanged()
    {
        // The default prd deployment may change only rules tagged bluegreen:traffic=bluegreen-prd; the demo's rule is dev's.
        var settings = ProductDeployment.SettingsFromCdkJson(new Dictionary<string, string>
        {
            ["bluegreen:environment"] = "prd",
            ["bluegreen:clusterNamePrefixes"] = "shop-",
            ["bluegreen:clusterRoles"] = "shop-eks-cluster-role",
            ["bluegreen:nodeRoles"] = "shop-eks-node-role",
            ["bluegreen:podIdentityRoles"] = "shop-ebs-csi-driver,shop-storefront-api",
        });
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"), deploy: a => ProductDeployment.Deploy(a, settings));

        var summary = rehearsal.Run();

        Assert.Equal(("Failed", "PreflightFailed"), (summary.Outcome, summary.Error));
        Assert.Contains("is not tagged bluegreen:traffic=bluegreen-prd", summary.Cause, StringComparison.Ordinal);
        Assert.Empty(summary.Denials);
        Assert.Equal(0, summary.MutatingAwsCalls);
        Assert.Equal(new TrafficWeights(100, 0), summary.FinalWeights);
    }

    [Fact]
    public void BlueWithAnEc2LinuxAccessEntry_UpgradesUnderTheDefaultDeployment_AndGreenGetsTheEntry()
    {
        // Fidelity audit A1: creating an EC2_LINUX entry passes the node role to EC2; the default deployment grants it for its node roles.
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        AddKarpenterEntryToBlue(rehearsal);

        var summary = rehearsal.Run();

        Assert.Equal("Completed", summary.Outcome);
        Assert.Empty(summary.Denials);
        var entry = RehearsalKit.Call(rehearsal.Account, rehearsal.Account.Service<EksService>(), "DescribeAccessEntry", JObject.Of(("ClusterName", "shop-green"), ("PrincipalArn", KarpenterNodeRole)))!;
        Assert.Equal("EC2_LINUX", entry.GetObject("AccessEntry")!.GetString("Type"));
    }

    [Fact]
    public void BlueWithAnEc2LinuxAccessEntryOfARoleNotConfigured_IsRefusedBeforeGreenIsBuilt_NamingTheSetting()
    {
        var settings = ProductDeployment.SettingsFromCdkJson(new Dictionary<string, string> { ["bluegreen:nodeRoles"] = "shop-eks-node-role" });
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"), deploy: a => ProductDeployment.Deploy(a, settings));
        AddKarpenterEntryToBlue(rehearsal);

        var summary = rehearsal.Run();

        // The role Green would be given is checked against the deployment's node roles when Green's spec is built.
        Assert.Equal(("Failed", "PreflightFailed"), (summary.Outcome, summary.Error));
        Assert.Contains($"{KarpenterNodeRole} (the EC2_LINUX access entry's node role) is not among the roles this deployment may pass (bluegreen:nodeRoles: shop-eks-node-role)", summary.Cause, StringComparison.Ordinal);
        Assert.Empty(summary.Denials);
        Assert.Equal(0, summary.MutatingAwsCalls);
    }

    [Fact]
    public void PermissionToMoveTrafficRemoved_TheWeightChangeIsDenied_AndTrafficStaysOnBlue()
    {
        // Preflight cannot see the role's own statements: a deployment whose ALB adapter lost ModifyRule fails at the first
        // step. The step reads the rule back, finds Blue still at 100%, and the run fails as before any traffic moved: no
        // rollback is attempted (it would be denied too), the lock is released. (Before read-back it ended RollbackFailed
        // holding the lock, although the weights never left Blue.)
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        var adapter = RoleOf(rehearsal, "traffic-alb");
        adapter.RemoveAction("elasticloadbalancing:ModifyRule");

        var summary = rehearsal.Run();

        Assert.Equal(("Failed", "TrafficChangeNotApplied"), (summary.Outcome, summary.Error));
        Assert.Equal("Failed", summary.RunRecord?.GetString("status"));
        Assert.Null(RehearsalKit.Lock(rehearsal, "shop-blue"));
        Assert.All(summary.Denials, d => Assert.Equal("elasticloadbalancing:ModifyRule", d.Action));
        Assert.All(summary.Denials, d => Assert.Equal(adapter.Arn, d.PrincipalArn));
        Assert.Equal(new TrafficWeights(100, 0), summary.FinalWeights);
    }

    /// <summary>The execution role of a deployed state machine, by its file's name (<c>traffic-alb</c>).</summary>
    private static IamRole RoleOf(UpgradeRehearsal rehearsal, string definition)
    {
        var machine = rehearsal.Account.Service<StepFunctionsService>().StateMachine(rehearsal.Deployment.Manifest!.StateMachine(definition).PhysicalName)!;
        return rehearsal.Account.Service<IamService>().Role(machine.RoleArn)!;
    }

    [Fact]
    public void RoleStepFunctionsCannotAssume_IsRefusedWhenTheStateMachineIsCreated()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        var iam = rehearsal.Account.Service<IamService>();
        var lambdaOnly = iam.CreateRole("trusts-lambda-only", PolicyDocument.Parse("trust", JValue.Parse(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""")));

        var e = Assert.Throws<BlueGreen.Simulator.Aws.AwsServiceException>(() => rehearsal.Account.Service<StepFunctionsService>()
            .RegisterStateMachine("untrusted", """{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}""", lambdaOnly.Arn));

        Assert.Contains("is authorized to assume the provided role", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RoleWithoutTheManagedRulePermissions_CannotHoldADefinitionThatWaitsOnChildExecutions()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        var role = UpgradeRole(rehearsal);
        role.RemoveAction("events:PutRule");
        var definition = rehearsal.Account.Service<StepFunctionsService>().StateMachine(rehearsal.Deployment.UpgradeStateMachine)!.DefinitionText;

        var e = Assert.Throws<BlueGreen.Simulator.Aws.AwsServiceException>(() => rehearsal.Account.Service<StepFunctionsService>().RegisterStateMachine("again", definition, role.Arn));

        Assert.Equal("AccessDeniedException", e.Code);
        Assert.Equal($"'{role.Arn}' is not authorized to create managed-rule.", e.Message);
    }

    [Fact]
    public void RestoreBlueRuleWhoseRoleMayNotStartIt_DeliversNothing_AndSaysWhy()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("abort-mid-shift"));
        var eventsRole = rehearsal.Account.Service<IamService>().Roles.Single(r => r.Name.EndsWith("-restore-blue-events", StringComparison.Ordinal));
        eventsRole.RemoveAction("states:StartExecution");

        var summary = rehearsal.Run();

        Assert.DoesNotContain(summary.OtherExecutions, e => e.StateMachine == rehearsal.Deployment.RestoreBlueStateMachine);
        var delivery = Assert.Single(rehearsal.Account.Service<BlueGreen.Simulator.Aws.Services.EventBridge.EventBridgeService>().Deliveries, d => d.Source.EndsWith(rehearsal.Deployment.RestoreBlueRule, StringComparison.Ordinal));
        Assert.False(delivery.Succeeded);
        Assert.Contains("is not authorized to perform: states:StartExecution", delivery.Result, StringComparison.Ordinal);
        // A permission error is not retried, and the refused call is in the call log as the rule's, made by its role.
        Assert.Equal((BlueGreen.Simulator.Aws.Services.EventBridge.DeliveryOutcome.NotRetryable, 1), (delivery.Outcome, delivery.Attempts));
        var call = Assert.Single(rehearsal.Account.Calls.Calls, c => c.DeliveredBy == delivery.Source);
        Assert.Equal(("states:StartExecution", eventsRole.Arn, "Sfn.AccessDeniedException"), (call.Name, call.Principal, call.Outcome));
        Assert.Contains(summary.Denials, d => d.PrincipalArn == eventsRole.Arn && d.Action == "states:StartExecution");
    }

    private static void AddKarpenterEntryToBlue(UpgradeRehearsal rehearsal) =>
        RehearsalKit.Call(rehearsal.Account, rehearsal.Account.Service<EksService>(), "CreateAccessEntry", JObject.Of(
            ("ClusterName", "shop-blue"), ("PrincipalArn", KarpenterNodeRole), ("Type", "EC2_LINUX")));
}
