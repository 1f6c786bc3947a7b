using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.Elbv2;
using BlueGreen.Simulator.Aws.Services.Route53;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// The decommission deletes Blue only while Blue gets no traffic: an operator may have moved traffic back by hand
/// during the retention period, and the scheduled decommission must then keep Blue.
/// </summary>
public class DecommissionTrafficGuardTests
{
    [Fact]
    public void TrafficMovedBackDuringRetention_TheScheduledDecommissionRefusesAndKeepsBlue()
    {
        var (rehearsal, summary) = RehearsalKit.Run("blue-serves-again-during-retention");
        using var _ = rehearsal;
        var account = rehearsal.Account;
        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.DoesNotContain(account.StepFunctions.Executions, e => e.StateMachineName == rehearsal.Deployment.DecommissionStateMachine);

        // The retention runs out in virtual time: the operator's edit (at 1h) comes first, then the schedule fires.
        account.Scheduler.RunUntil(() => account.StepFunctions.Executions.Any(e => e.StateMachineName == rehearsal.Deployment.DecommissionStateMachine && !e.IsRunning));

        var decommission = Assert.Single(account.StepFunctions.Executions, e => e.StateMachineName == rehearsal.Deployment.DecommissionStateMachine);
        Assert.Equal("FAILED", decommission.StatusName);
        Assert.Equal("BlueStillServesTraffic", decommission.Error);
        Assert.Contains("shop-blue still serves traffic", decommission.Cause, StringComparison.Ordinal);
        Assert.Contains("targetgroup/shop-blue-tg/", decommission.Cause, StringComparison.Ordinal);
        Assert.Contains("\"Weight\":100", decommission.Cause, StringComparison.Ordinal);
        Assert.Contains("listener-rule/app/shop-alb/", decommission.Cause, StringComparison.Ordinal);
        Assert.Equal("ACTIVE", RehearsalKit.Cluster(account, "shop-blue")!.GetString("Status"));
        Assert.NotEmpty(RehearsalKit.Nodegroups(account, "shop-blue"));
        Assert.DoesNotContain(account.Calls.Calls, c => c.Name is "eks:DeleteNodegroup" or "eks:DeleteCluster");
        Assert.Equal(100.0, account.Service<Elbv2Service>().TrafficPercentOfCluster("shop-blue"));
    }

    [Fact]
    public void TrafficBackOnGreenBeforeTheRetentionEnds_TheScheduledDecommissionDeletesBlue()
    {
        var (rehearsal, _) = RehearsalKit.Run("blue-serves-again-during-retention");
        using var __ = rehearsal;
        var account = rehearsal.Account;
        // Past the operator's edit at 1h, before the schedule fires about an hour after the upgrade ended.
        account.Scheduler.Advance(account.Options.Start + TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1) - account.Scheduler.Now);
        Assert.Equal(100.0, account.Service<Elbv2Service>().TrafficPercentOfCluster("shop-blue"));
        Assert.True(account.TryGetEventAction("setForwardWeights", out var setWeights));
        setWeights(JObject.Of(("rule", "9683b2d02a6cabee"), ("weights", JObject.Of(("shop-blue-tg", 0), ("shop-green-tg", 100)))));

        var decommission = RunScheduledDecommission(rehearsal);

        Assert.Equal("SUCCEEDED", decommission.StatusName);
        Assert.Null(RehearsalKit.Cluster(account, "shop-blue"));
    }

    [Fact]
    public void RuleUnreadable_TheScheduledDecommissionRefusesAndKeepsBlue()
    {
        var (rehearsal, _) = RehearsalKit.Run("blue-serves-again-during-retention");
        using var __ = rehearsal;
        var account = rehearsal.Account;
        // Say the rule was deleted during the retention.
        account.Faults.Add(new FaultRule("elasticloadbalancing:DescribeRules", FaultKind.Error, Error: "RuleNotFound", Message: "One or more rules not found"));

        var decommission = RunScheduledDecommission(rehearsal);

        Assert.Equal("BlueStillServesTraffic", decommission.Error);
        Assert.Contains("ElasticLoadBalancingV2.RuleNotFound", decommission.Cause, StringComparison.Ordinal);
        Assert.Contains("shop-blue may still serve traffic", decommission.Cause, StringComparison.Ordinal);
        Assert.Equal("ACTIVE", RehearsalKit.Cluster(account, "shop-blue")!.GetString("Status"));
    }

    private const string Listener = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener/app/shop-alb/50dc6c495c0c9188/f2f7dc8efc522ab2";
    private const string Rule = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener-rule/app/shop-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
    private const string BlueTg = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/shop-blue-tg/6d0ecf831eec9f09";
    private const string GreenTg = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/shop-green-tg/3e1f2a7b9c4d5e60";

    /// <summary>Forward shapes an operator may leave behind; the decommission is started directly on the rule or the listener.</summary>
    public static TheoryData<string, bool, string, bool> ForwardShapes => new()
    {
        // Single TargetGroupArn: all traffic to that group.
        { "single target group: Blue", true, $$$"""[{"Type":"forward","TargetGroupArn":"{{{BlueTg}}}"}]""", false },
        { "single target group: Green", true, $$$"""[{"Type":"forward","TargetGroupArn":"{{{GreenTg}}}"}]""", true },
        // A tuple without a Weight: kept, as ELBv2 does not document its default.
        { "ForwardConfig without weights: Blue", true, $$$"""[{"Type":"forward","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"{{{BlueTg}}}"}]}}]""", false },
        { "weights 1/999", true, $$$"""[{"Type":"forward","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"{{{BlueTg}}}","Weight":1},{"TargetGroupArn":"{{{GreenTg}}}","Weight":999}]}}]""", false },
        { "weights 0/1", true, $$$"""[{"Type":"forward","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"{{{BlueTg}}}","Weight":0},{"TargetGroupArn":"{{{GreenTg}}}","Weight":1}]}}]""", true },
        { "listener default action: Blue", false, $$$"""[{"Type":"forward","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"{{{BlueTg}}}","Weight":10},{"TargetGroupArn":"{{{GreenTg}}}","Weight":90}]}}]""", false },
        { "listener default action: Green", false, $$$"""[{"Type":"forward","TargetGroupArn":"{{{GreenTg}}}"}]""", true },
    };

    [Theory]
    [MemberData(nameof(ForwardShapes))]
    public void ForwardShape_DecidesWhetherBlueIsDeleted(string shape, bool onRule, string actions, bool deleted)
    {
        var (rehearsal, _) = RehearsalKit.Run("blue-serves-again-during-retention");
        using var __ = rehearsal;
        var account = rehearsal.Account;
        var elb = account.Service<Elbv2Service>();
        RehearsalKit.Call(account, elb, onRule ? "ModifyRule" : "ModifyListener", JObject.Of((onRule ? "RuleArn" : "ListenerArn", onRule ? Rule : Listener), (onRule ? "Actions" : "DefaultActions", JValue.Parse(actions))));
        var input = JObject.Of(
            ("clusterName", "shop-blue"), ("reason", "test"), ("runId", "shop-1-34"), ("replacedBy", "shop-green"),
            ("traffic", JObject.Of(("type", "alb"), ("listenerArn", Listener), ("ruleArn", onRule ? Rule : JNull.Instance), ("blueTargetGroupArn", BlueTg),
                ("hostedZoneId", JNull.Instance), ("recordName", JNull.Instance), ("recordType", JNull.Instance), ("blueSetIdentifier", JNull.Instance))));

        var decommission = account.Service<StepFunctionsService>().StartExecution(rehearsal.Deployment.DecommissionStateMachine, input, "by-hand");
        account.Scheduler.RunUntil(() => !decommission.IsRunning);

        Assert.True(deleted == (decommission.StatusName == "SUCCEEDED"), $"{shape}: {decommission.StatusName} {decommission.Error} {decommission.Cause}");
        Assert.Equal(deleted, RehearsalKit.Cluster(account, "shop-blue") is null);
        if (!deleted)
        {
            Assert.Equal("BlueStillServesTraffic", decommission.Error);
            Assert.Contains(onRule ? Rule : Listener, decommission.Cause, StringComparison.Ordinal);
        }
    }

    internal static Execution RunScheduledDecommission(UpgradeRehearsal rehearsal)
    {
        var account = rehearsal.Account;
        Assert.DoesNotContain(account.StepFunctions.Executions, e => e.StateMachineName == rehearsal.Deployment.DecommissionStateMachine);
        account.Scheduler.RunUntil(() => account.StepFunctions.Executions.Any(e => e.StateMachineName == rehearsal.Deployment.DecommissionStateMachine && !e.IsRunning));
        return Assert.Single(account.StepFunctions.Executions, e => e.StateMachineName == rehearsal.Deployment.DecommissionStateMachine);
    }
}

/// <summary>The Route 53 branch: Blue's weighted record, found by name, type and set identifier.</summary>
public class DecommissionRoute53TrafficGuardTests
{
    private const string Zone = "Z04418462O8NOY6GWC6MT";

    [Fact]
    public void BluesRecordAtWeightZero_TheScheduledDecommissionDeletesBlue_EvenBesideAnotherNamesBlueRecord()
    {
        var (rehearsal, summary) = RehearsalKit.Run("happy-route53");
        using var _ = rehearsal;
        var account = rehearsal.Account;
        Assert.Equal("SUCCEEDED", summary.Status);
        // Listed right after api.example.com, with the same set identifier and a weight: only the name tells them apart.
        Upsert(account, BlueRecord(account).With("Name", "www.example.com.").With("Weight", 50));

        var decommission = RunScheduledDecommission(rehearsal);

        Assert.Equal("SUCCEEDED", decommission.StatusName);
        Assert.Null(RehearsalKit.Cluster(account, "shop-blue"));
    }

    [Fact]
    public void BluesRecordWeightedAgainDuringRetention_TheScheduledDecommissionRefusesAndKeepsBlue()
    {
        var (rehearsal, _) = RehearsalKit.Run("happy-route53");
        using var __ = rehearsal;
        var account = rehearsal.Account;
        Upsert(account, BlueRecord(account).With("Weight", 255));

        var decommission = RunScheduledDecommission(rehearsal);

        Assert.Equal("FAILED", decommission.StatusName);
        Assert.Equal("BlueStillServesTraffic", decommission.Error);
        Assert.Contains("weighted record api.example.com. A (set identifier blue) in hosted zone " + Zone + " has weight 255", decommission.Cause, StringComparison.Ordinal);
        Assert.Equal("ACTIVE", RehearsalKit.Cluster(account, "shop-blue")!.GetString("Status"));
        Assert.DoesNotContain(account.Calls.Calls, c => c.Name is "eks:DeleteNodegroup" or "eks:DeleteCluster");
    }

    [Fact]
    public void EveryRecordOfBluesSetAtWeightZero_TheScheduledDecommissionRefusesAndKeepsBlue()
    {
        // Route 53 answers with every record of a weighted set equally when all are at 0: Blue gets half again.
        // Another name's record with a weight does not change that.
        var (rehearsal, _) = RehearsalKit.Run("happy-route53");
        using var __ = rehearsal;
        var account = rehearsal.Account;
        Upsert(account, BlueRecord(account).With("Name", "www.example.com.").With("Weight", 50));
        Upsert(account, Records(account).Single(r => r.GetString("Name") == "api.example.com." && r.GetString("SetIdentifier") == "green").With("Weight", 0));
        Assert.Equal(0, BlueRecord(account).GetNumber("Weight"));

        var decommission = RunScheduledDecommission(rehearsal);

        Assert.Equal("FAILED", decommission.StatusName);
        Assert.Equal("BlueStillServesTraffic", decommission.Error);
        Assert.Contains("has weight 0, but so has every other record of that name and type", decommission.Cause, StringComparison.Ordinal);
        Assert.Equal("ACTIVE", RehearsalKit.Cluster(account, "shop-blue")!.GetString("Status"));
        Assert.DoesNotContain(account.Calls.Calls, c => c.Name is "eks:DeleteNodegroup" or "eks:DeleteCluster");
    }

    [Fact]
    public void BluesRecordsUnreadable_TheScheduledDecommissionRefusesAndKeepsBlue()
    {
        var (rehearsal, _) = RehearsalKit.Run("happy-route53");
        using var __ = rehearsal;
        var account = rehearsal.Account;
        // Say the zone was deleted (or the role lost access) during the retention: Blue may still serve traffic.
        account.Faults.Add(new FaultRule("route53:ListResourceRecordSets", FaultKind.Error, Error: "NoSuchHostedZone", Message: "No hosted zone found with ID: " + Zone));

        var decommission = RunScheduledDecommission(rehearsal);

        Assert.Equal("BlueStillServesTraffic", decommission.Error);
        Assert.Contains("Route53.NoSuchHostedZone", decommission.Cause, StringComparison.Ordinal);
        Assert.Equal("ACTIVE", RehearsalKit.Cluster(account, "shop-blue")!.GetString("Status"));
    }

    private static Execution RunScheduledDecommission(UpgradeRehearsal rehearsal) => DecommissionTrafficGuardTests.RunScheduledDecommission(rehearsal);

    private static List<JObject> Records(SimulatedAccount account) =>
        [.. RehearsalKit.Call(account, account.Service<Route53Service>(), "ListResourceRecordSets", JObject.Of(("HostedZoneId", Zone)))!
            .GetArray("ResourceRecordSets")!.Select(r => r.AsObject())];

    private static JObject BlueRecord(SimulatedAccount account) =>
        Records(account).Single(r => r.GetString("Name") == "api.example.com." && r.GetString("SetIdentifier") == "blue");

    private static void Upsert(SimulatedAccount account, JObject record) =>
        RehearsalKit.Call(account, account.Service<Route53Service>(), "ChangeResourceRecordSets", JObject.Of(
            ("HostedZoneId", Zone),
            ("ChangeBatch", JObject.Of(("Changes", JArray.Of(JObject.Of(("Action", "UPSERT"), ("ResourceRecordSet", record))))))));
}
