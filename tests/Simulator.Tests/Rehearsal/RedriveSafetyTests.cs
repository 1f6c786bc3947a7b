using BlueGreen.Functions.Planning;
using BlueGreen.Simulator.Aws.Services.Eks;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Re-running part of an upgrade (a retry, a redrive) must be safe: a Green this run already created is
/// adopted, and a cluster that merely has Green's name is never adopted, changed or deleted.
/// </summary>
public class RedriveSafetyTests
{
    private static (UpgradeRehearsal Rehearsal, string RunId) Prepare()
    {
        var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        var name = UpgradeRehearsal.DefaultExecutionName(rehearsal.Input);
        var arn = $"arn:aws:states:{rehearsal.Account.Region}:{rehearsal.Account.AccountId}:execution:{rehearsal.Deployment.UpgradeStateMachine}:{name}";
        return (rehearsal, RunIdentity.RunId(arn, name));
    }

    /// <summary>Creates shop-green through the EKS API, as an earlier attempt (or someone else) would have.</summary>
    private static void CreateGreenBeforehand(UpgradeRehearsal rehearsal, JObject tags)
    {
        var blue = RehearsalKit.Cluster(rehearsal.Account, "shop-blue")!;
        var vpc = blue.GetObject("ResourcesVpcConfig")!;
        RehearsalKit.Call(rehearsal.Account, rehearsal.Account.Service<EksService>(), "CreateCluster", JObject.Of(
            ("Name", "shop-green"),
            ("Version", "1.34"),
            ("RoleArn", blue.GetString("RoleArn")!),
            ("ResourcesVpcConfig", JObject.Of(("SubnetIds", vpc["SubnetIds"]!), ("SecurityGroupIds", vpc["SecurityGroupIds"]!))),
            ("AccessConfig", JObject.Of(("AuthenticationMode", "API_AND_CONFIG_MAP"))),
            ("ClientRequestToken", "an-earlier-attempt"),
            ("Tags", tags)));
    }

    [Fact]
    public void Upgrade_GreenCreatedEarlierByThisRun_IsAdoptedAndTheUpgradeCompletes()
    {
        var (rehearsal, runId) = Prepare();
        using var _ = rehearsal;
        // An earlier attempt of this run tagged Green as every create of the workflow does (GreenTags), managed-by included.
        CreateGreenBeforehand(rehearsal, JObject.Of(("bluegreen:run-id", runId), ("bluegreen:role", "green"), ("bluegreen:managed-by", "eks-bluegreen-upgrade")));

        var summary = rehearsal.Run();

        Assert.Equal("Completed", summary.Outcome);
        // Green is created (or adopted) by the create-green child execution.
        var createGreen = Assert.Single(rehearsal.Account.StepFunctions.Executions, e => e.StateMachineName == "bluegreen-dev-create-green");
        var entered = createGreen.History.Events.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName).ToList();
        Assert.Contains("Adopt the existing Green", entered);
        Assert.Equal(2, rehearsal.Account.Calls.Calls.Count(c => c.Name == "eks:CreateCluster"));
    }

    [Fact]
    public void Upgrade_ClusterWithGreensNameThatIsNotOurs_FailsAndLeavesItAlone()
    {
        var (rehearsal, _) = Prepare();
        using var _ = rehearsal;
        CreateGreenBeforehand(rehearsal, JObject.Of(("team", "someone-else")));

        var summary = rehearsal.Run();

        Assert.Equal("Failed", summary.Outcome);
        Assert.Equal("GreenNameTaken", summary.Error);
        Assert.NotNull(RehearsalKit.Cluster(rehearsal.Account, "shop-green"));
        Assert.DoesNotContain(rehearsal.Account.Calls.Calls, c => c.Name is "eks:DeleteCluster" or "eks:DeleteNodegroup");
        Assert.Contains(rehearsal.Account.StepFunctions.Executions, e => e.StateMachineName == rehearsal.Deployment.DecommissionStateMachine && e.Error == "NotCreatedByRun");
    }
}
