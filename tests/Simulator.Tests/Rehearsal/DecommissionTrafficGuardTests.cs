using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.Elbv2;
using BlueGreen.Simulator.Aws.Services.Route53;
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
        Assert.DoesNotContain(account.StepFunctions.Executions, e => e.StateMachineName == ProductDeployment.DecommissionStateMachine);

        // The retention runs out in virtual time: the operator's edit (at 1h) comes first, then the schedule fires.
        account.Scheduler.RunUntil(() => account.StepFunctions.Executions.Any(e => e.StateMachineName == ProductDeployment.DecommissionStateMachine && !e.IsRunning));

        var decommission = Assert.Single(account.StepFunctions.Executions, e => e.StateMachineName == ProductDeployment.DecommissionStateMachine);
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

        var decommission = RunScheduledDecommission(account);

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

        var decommission = RunScheduledDecommission(account);

        Assert.Equal("FAILED", decommission.StatusName);
        Assert.Equal("BlueStillServesTraffic", decommission.Error);
        Assert.Contains("weighted record api.example.com. A (set identifier blue) in hosted zone " + Zone + " has weight 255", decommission.Cause, StringComparison.Ordinal);
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

        var decommission = RunScheduledDecommission(account);

        Assert.Equal("BlueStillServesTraffic", decommission.Error);
        Assert.Contains("Route53.NoSuchHostedZone", decommission.Cause, StringComparison.Ordinal);
        Assert.Equal("ACTIVE", RehearsalKit.Cluster(account, "shop-blue")!.GetString("Status"));
    }

    private static Execution RunScheduledDecommission(SimulatedAccount account)
    {
        Assert.DoesNotContain(account.StepFunctions.Executions, e => e.StateMachineName == ProductDeployment.DecommissionStateMachine);
        account.Scheduler.RunUntil(() => account.StepFunctions.Executions.Any(e => e.StateMachineName == ProductDeployment.DecommissionStateMachine && !e.IsRunning));
        return Assert.Single(account.StepFunctions.Executions, e => e.StateMachineName == ProductDeployment.DecommissionStateMachine);
    }

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
