using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.Scheduler;
using BlueGreen.Simulator.Fleet;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;
using Xunit.Abstractions;

namespace BlueGreen.Simulator.Tests.Fleet;

/// <summary>The deployed eos-scan state machine on the fleet world: the real definitions, roles and PlanEndOfSupport code.</summary>
public sealed class EndOfSupportScanTests(ITestOutputHelper output)
{
    private static (SimulatedAccount Account, ProductDeployment Deployment) Deploy(JObject scenario)
    {
        var account = AccountFactory.Create(Scenario.FromJson("eos-scan", scenario));
        return (account, ProductDeployment.Deploy(account));
    }

    private static JObject Schedule(SimulatedAccount account, string name)
    {
        var context = new AwsCallContext { Account = account, Cancellation = CancellationToken.None, StateName = "test" };
        JObject? found = null;
        account.Scheduler.Run(async () => found = (JObject)await account.CallAsync(account.Service<SchedulerService>(), "GetSchedule", JObject.Of(("Name", name)), context));
        return found!;
    }

    [Fact]
    public void Scan_OnTheFleetWorld_SchedulesProfiledClustersInTheirWindows_AndSendsOneDigest()
    {
        var (account, deployment) = Deploy(JObject.Of(("world", "fleet")));
        using var _ = account;
        EndOfSupportScanRun.HoldLock(deployment, "shop-checkout", "arn:aws:states:ap-northeast-2:111122223333:execution:bluegreen-dev-upgrade:shop-checkout-running");

        var run = EndOfSupportScanRun.Run(deployment);

        Assert.Equal("SUCCEEDED", run.Scan.StatusName);
        Assert.Equal(24, run.Children.Count);
        Assert.All(run.Children, c => Assert.Equal("SUCCEEDED", c.StatusName));
        var decisions = run.Decisions.ToDictionary(d => d.GetString("clusterName")!, d => d);
        Assert.Equal("create", decisions["shop-blue"].GetString("action"));
        Assert.Equal("needs-human", decisions["shop-checkout"].GetString("action"));
        Assert.Equal("needs-human", decisions["billing-1"].GetString("action"));
        Assert.Equal("notify", decisions["platform-hub"].GetString("action"));

        var schedule = Schedule(account, "eos.shop-blue.1.35");
        // shop-api and shop-batch, decided first (ListClusters order), took the Tuesday and Wednesday windows (maxConcurrentUpgrades 1).
        Assert.Equal("at(2026-11-26T10:00:00)", schedule.GetString("ScheduleExpression"));
        Assert.Equal("Asia/Seoul", schedule.GetString("ScheduleExpressionTimezone"));
        Assert.Equal("DELETE", schedule.GetString("ActionAfterCompletion"));
        var target = schedule.GetObject("Target")!;
        Assert.Equal(deployment.UpgradeStateMachineArn, target.GetString("Arn"));
        Assert.EndsWith(":role/bluegreen-dev-ap-northeast-2-eos-scheduler", target.GetString("RoleArn"), StringComparison.Ordinal);
        var input = (JObject)JValue.Parse(target.GetString("Input")!);
        Assert.Equal("eventbridge-schedule/eos.shop-blue.1.35", input.GetString("requestedBy"));
        Assert.Equal("shop-blue", input.GetString("clusterName"));

        var created = account.Calls.Calls.Count(c => c.Action == "CreateSchedule" && c.Outcome == "OK");
        Assert.Equal(decisions.Values.Count(d => d.GetString("action") == "create"), created);
        Assert.Equal(1, account.Calls.Calls.Count(c => c.Action == "Publish"));
        Assert.Empty(account.Denials);
        var digest = account.Service<BlueGreen.Simulator.Aws.Services.Sns.SnsService>().Messages.Single().Message;
        Assert.StartsWith("End-of-support scan eos-scan: 9 scheduled, 0 moved, 0 cancelled, 2 to upgrade by hand (notify), 12 need a human, 0 unchanged, 1 with nothing to do.", digest, StringComparison.Ordinal);
        Assert.Contains("\nshop-blue 1.32 (EXTENDED_SUPPORT): create, target 1.35: 1.32 leaves extended support on 2027-03-23", digest, StringComparison.Ordinal);
        Assert.DoesNotContain("\nshop-search ", digest, StringComparison.Ordinal);
        output.WriteLine($"24 clusters: {run.StateTransitions} transitions, scan history {run.ScanHistoryEvents} events, largest child {run.LargestChildHistory}, digest {System.Text.Encoding.UTF8.GetByteCount(digest):N0} bytes");
    }

    [Fact]
    public void AwsHealthLifecycleEvent_StartsAScan()
    {
        var (account, deployment) = Deploy(JObject.Of(("world", "fleet")));
        using var _ = account;
        var context = new AwsCallContext { Account = account, Cancellation = CancellationToken.None, StateName = "AWS Health" };
        // The AWS Health event shape (docs.aws.amazon.com/health/latest/ug/aws-health-events-eventbridge-schema.html).
        var detail = JObject.Of(
            ("eventArn", "arn:aws:health:ap-northeast-2::event/EKS/AWS_EKS_PLANNED_LIFECYCLE_EVENT/AWS_EKS_PLANNED_LIFECYCLE_EVENT_1-34"),
            ("service", "EKS"),
            ("eventTypeCode", "AWS_EKS_PLANNED_LIFECYCLE_EVENT"),
            ("eventTypeCategory", "scheduledChange"),
            ("affectedEntities", JArray.From([JObject.Of(("entityValue", "arn:aws:eks:ap-northeast-2:111122223333:cluster/shop-web"))])));
        account.Scheduler.Run(async () => await account.CallAsync(account.Service<BlueGreen.Simulator.Aws.Services.EventBridge.EventBridgeService>(), "PutEvents", JObject.Of(("Entries", JArray.From(
        [
            JObject.Of(("Source", "aws.health"), ("DetailType", "AWS Health Event"), ("Detail", detail.ToJson()),
                ("Resources", JArray.From([(JValue)"arn:aws:eks:ap-northeast-2:111122223333:cluster/shop-web"]))),
        ]))), context));
        account.Scheduler.RunUntil(() => account.StepFunctions.Executions.Any() && account.StepFunctions.Executions.All(e => !e.IsRunning));

        var scan = Assert.Single(account.StepFunctions.Executions, e => e.StateMachineName == deployment.Manifest!.StateMachine("eos-scan").PhysicalName);
        Assert.Equal("SUCCEEDED", scan.StatusName);
        Assert.Equal("at(2026-11-25T10:00:00)", Schedule(account, "eos.shop-web.1.35").GetString("ScheduleExpression"));
        Assert.Empty(account.Denials);
    }

    [Fact]
    public void FleetReport_PlacesEveryClusterInTheSlotTheScanChose()
    {
        var (account, deployment) = Deploy(JObject.Of(("world", "fleet")));
        using var _ = account;
        EndOfSupportScanRun.HoldLock(deployment, "shop-checkout", "arn:aws:states:ap-northeast-2:111122223333:execution:bluegreen-dev-upgrade:shop-checkout-running");
        var report = FleetReport.Build(account, FleetReport.LoadProfiles(System.IO.Path.Combine(BuildInfo.RepositoryRoot, "profiles")), [deployment.TableName]);

        var run = EndOfSupportScanRun.Run(deployment);

        var scanned = run.Decisions.ToDictionary(d => d.GetString("clusterName")!, d => (d.GetString("action"), d.GetObject("slot")?.GetString("start")));
        Assert.Equal(report.Decisions.ToDictionary(d => d.ClusterName, d => ((string?)d.Action, d.Slot?.Start)), scanned);
        Assert.Contains(report.Decisions, d => d.Reason.Contains("(spread:", StringComparison.Ordinal));
    }

    /// <summary>
    /// A cluster name too long for a readable schedule name gets "eos._&lt;MD5&gt;.&lt;target&gt;": 57 characters (its readable
    /// NamePrefix is valid but finds nothing) and 100 (the EKS maximum; its readable NamePrefix is refused).
    /// </summary>
    [Theory]
    [InlineData(57)]
    [InlineData(100)]
    public void LongClusterName_TwoScans_FindTheSameHashedSchedule_AndKeepIt(int length)
    {
        var name = "shop-" + new string('x', length - 5);
        var (account, deployment) = Deploy(JObject.Of(("services", JObject.Of(("eks", JObject.Of(("clusters", JArray.From(
        [
            JObject.Of(("name", name), ("version", "1.33"), ("roleArn", "arn:aws:iam::111122223333:role/fleet-eks-cluster-role"), ("tags", JObject.Of(("team", "shop")))),
        ]))))))));
        using var _ = account;

        var first = EndOfSupportScanRun.Run(deployment, name: "first");
        var second = EndOfSupportScanRun.Run(deployment, name: "second");

        var created = Assert.Single(first.Decisions);
        var scheduleName = created.GetString("scheduleName")!;
        Assert.Equal("create", created.GetString("action"));
        Assert.Matches(@"^eos\._[0-9a-f]{32}\.1\.35$", scheduleName);
        Assert.Equal(scheduleName, Schedule(account, scheduleName).GetString("Name"));
        var kept = Assert.Single(second.Decisions);
        Assert.Equal(("keep", scheduleName), (kept.GetString("action"), kept.GetString("scheduleName")));
        Assert.Equal(1, account.Calls.Calls.Count(c => c.Action == "CreateSchedule"));
        Assert.DoesNotContain(account.Calls.Calls, c => c.Action is "UpdateSchedule" or "DeleteSchedule");
        Assert.Empty(account.Denials);
    }

    [Fact]
    public void SecondScan_KeepsWhatTheFirstScheduled()
    {
        var (account, deployment) = Deploy(JObject.Of(("world", "fleet")));
        using var _ = account;
        EndOfSupportScanRun.Run(deployment, name: "first");

        var second = EndOfSupportScanRun.Run(deployment, name: "second");

        Assert.Equal("keep", second.Decisions.Single(d => d.GetString("clusterName") == "shop-blue").GetString("action"));
        Assert.DoesNotContain(second.Decisions, d => d.GetString("action") is "create" or "update");
    }
}

/// <summary>Scale: a scan of 50 and of 500 clusters, measured (the figures the README and the closing note quote).</summary>
public sealed class EndOfSupportScanScaleTests(ITestOutputHelper output)
{
    /// <summary><paramref name="count"/> clusters across 1.30 to 1.35; two in three match the shop profile.</summary>
    private static JObject Fleet(int count)
    {
        string[] versions = ["1.30", "1.31", "1.32", "1.33", "1.34", "1.35"];
        var clusters = Enumerable.Range(0, count).Select(i => (JValue)JObject.Of(
            ("name", i % 3 == 2 ? $"team-{i:D3}" : $"shop-{i:D3}"),
            ("version", versions[i % versions.Length]),
            ("roleArn", "arn:aws:iam::111122223333:role/fleet-eks-cluster-role"),
            ("tags", JObject.Of(("team", "shop"))))).ToList();
        return JObject.Of(("services", JObject.Of(("eks", JObject.Of(("clusters", JArray.From(clusters)))))));
    }

    [Theory]
    [InlineData(50)]
    [InlineData(500)]
    [InlineData(1000)]
    public void Scan_StaysBelowTheHistoryQuota_AndItsDigestUnderTheSnsLimit(int clusters)
    {
        using var account = AccountFactory.Create(Scenario.FromJson($"eos-scan-{clusters}", Fleet(clusters)));
        var deployment = ProductDeployment.Deploy(account);

        var run = EndOfSupportScanRun.Run(deployment);

        Assert.True(run.Scan.StatusName == "SUCCEEDED", $"{run.Scan.StatusName}: {run.Scan.Error}: {run.Scan.Cause}");
        Assert.Equal(clusters, run.Children.Count);
        // About 14 events per cluster (one cluster after the other): 1,000 clusters stay under 60% of the 25,000-event quota.
        Assert.True(run.ScanHistoryEvents < 25_000 * 3 / 5, $"{run.ScanHistoryEvents} history events");
        Assert.Equal(clusters - (clusters / 3), run.Decisions.Count(d => d.GetString("profile") == "shop-alb-canary"));
        var digest = Assert.Single(account.Service<BlueGreen.Simulator.Aws.Services.Sns.SnsService>().Messages, m => m.Subject == "EKS end-of-support scan");
        var digestBytes = System.Text.Encoding.UTF8.GetByteCount(digest.Message);
        Assert.True(digestBytes < BlueGreen.Functions.EndOfSupport.ScanDigest.SnsMessageLimitBytes, $"{digestBytes} bytes");
        Assert.Contains($"{run.Decisions.Count(d => d.GetString("action") == "create")} scheduled", digest.Message, StringComparison.Ordinal);
        if (clusters >= 1000)
        {
            Assert.Matches(@"\.\.\. and \d+ more that need something \(the digest lists the first 250\)$", digest.Message);
        }
        output.WriteLine($"digest: {digestBytes:N0} bytes, {digest.Message.Split('\n').Length - 1} lines listed");
        output.WriteLine($"{clusters} clusters: {run.StateTransitions} state transitions (${run.Dollars:0.0000} per scan), scan history {run.ScanHistoryEvents} events, largest child history {run.LargestChildHistory}, {run.Scan.StateTransitions} transitions in the scan itself");
    }
}
