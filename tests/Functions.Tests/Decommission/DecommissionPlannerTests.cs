using BlueGreen.Functions.Decommission;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Tests.Support;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Tests.Decommission;

public class DecommissionPlannerTests
{
    private static UpgradePlan PlanWith(string policy, int? retentionSeconds) =>
        Inputs.AlbPlan() with { Blue = new BluePlan { Decommission = policy, RetentionSeconds = retentionSeconds } };

    [Fact]
    public void Plan_AfterRetention_SchedulesAOneTimeUtcScheduleRoundedUp()
    {
        var result = DecommissionPlanner.Plan(new PlanDecommissionRequest { Plan = PlanWith("afterRetention", 48 * 3600), Now = "2025-06-01T10:20:30.250Z" });

        Assert.Equal("afterRetention", result.Policy);
        Assert.Equal("2025-06-03T10:20:31.000Z", result.DecommissionAt);
        Assert.Equal("at(2025-06-03T10:20:31)", result.ScheduleExpression);
        Assert.Equal("UTC", result.ScheduleExpressionTimezone);
        Assert.StartsWith("bluegreen-decommission-shop-1-34-20250601-", result.ScheduleName, StringComparison.Ordinal);
        Assert.True(result.ScheduleName!.Length <= 64);
        Assert.Equal("shop-blue", result.Input.ClusterName);
        Assert.Equal("shop-green", result.Input.ReplacedBy);
    }

    [Fact]
    public void Plan_CarriesBluesAlbTrafficSoTheDecommissionCanCheckBlueGetsNone()
    {
        var plan = PlanWith("afterRetention", 3600);

        var traffic = Assert.IsType<AlbBlueShare>(DecommissionPlanner.Plan(new PlanDecommissionRequest { Plan = plan, Now = "2025-06-01T10:20:30.000Z" }).Input.Traffic);

        Assert.Equal("alb", traffic.Type);
        Assert.Equal(((AlbTrafficPlan)plan.Traffic).ListenerArn, traffic.ListenerArn);
        Assert.Equal(((AlbTrafficPlan)plan.Traffic).RuleArn, traffic.RuleArn);
        Assert.Equal(((AlbTrafficPlan)plan.Traffic).BlueTargetGroupArn, traffic.BlueTargetGroupArn);
    }

    [Fact]
    public void Plan_CarriesBluesRoute53RecordNamedAsRoute53ListsIt()
    {
        var plan = Inputs.Route53Plan() with { Blue = new BluePlan { Decommission = "immediately" } };

        var traffic = Assert.IsType<Route53BlueShare>(DecommissionPlanner.Plan(new PlanDecommissionRequest { Plan = plan, Now = "2025-06-01T10:20:30.000Z" }).Input.Traffic);

        Assert.Equal("route53", traffic.Type);
        Assert.Equal(((Route53TrafficPlan)plan.Traffic).HostedZoneId, traffic.HostedZoneId);
        Assert.Equal("api.example.com.", traffic.RecordName);
        Assert.Equal("A", traffic.RecordType);
        Assert.Equal("blue", traffic.BlueSetIdentifier);
    }

    [Theory]
    [InlineData("api.example.com", "api.example.com.")]
    [InlineData("API.Example.com.", "api.example.com.")]
    [InlineData("*.example.com", "\\052.example.com.")]
    [InlineData("\\052.example.com.", "\\052.example.com.")]
    public void ListedName_IsTheFormListResourceRecordSetsReturns(string given, string listed) =>
        Assert.Equal(listed, Route53RecordName.Listed(given));

    [Fact]
    public void Plan_SchedulePrefix_StartsTheScheduleName()
    {
        var result = DecommissionPlanner.Plan(new PlanDecommissionRequest { Plan = PlanWith("afterRetention", 3600), Now = "2025-06-01T10:20:30.000Z", SchedulePrefix = "bg-prd-decommission-" });

        Assert.Equal("bg-prd-decommission-" + Inputs.AlbPlan().RunId, result.ScheduleName);
    }

    [Fact]
    public void ScheduleName_LongRunIds_KeepAHashSoTwoRunsNeverShareASchedule()
    {
        // Two 64-character run ids that differ only in their last characters (their execution-id hash).
        var first = new string('a', 55) + "-0e5befce";
        var second = new string('a', 55) + "-9d41c3aa";

        var a = DecommissionPlanner.ScheduleName("bluegreen-prd-decommission-", first);
        var b = DecommissionPlanner.ScheduleName("bluegreen-prd-decommission-", second);

        Assert.Equal(64, a.Length);
        Assert.Equal(64, b.Length);
        Assert.NotEqual(a, b);
        Assert.StartsWith("bluegreen-prd-decommission-aaaa", a, StringComparison.Ordinal);
        Assert.Matches("-[0-9a-f]{8}$", a);
        Assert.Equal(a, DecommissionPlanner.ScheduleName("bluegreen-prd-decommission-", first));
    }

    [Fact]
    public void Plan_BadSchedulePrefix_IsReportedWithTheOtherProblems()
    {
        var e = Assert.Throws<InvalidInput>(() => DecommissionPlanner.Plan(new PlanDecommissionRequest { Now = "2025-06-01T10:20:30.000Z", SchedulePrefix = "has space/" }));

        Assert.Equal(2, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("$.plan", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("$.schedulePrefix: \"has space/\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_Immediately_DecommissionsNowWithoutASchedule()
    {
        var result = DecommissionPlanner.Plan(new PlanDecommissionRequest { Plan = PlanWith("immediately", null), Now = "2025-06-01T10:20:30.000Z" });

        Assert.Equal("2025-06-01T10:20:30.000Z", result.DecommissionAt);
        Assert.Null(result.ScheduleName);
        Assert.Null(result.ScheduleExpression);
    }

    [Fact]
    public void Plan_Never_HasNoTime()
    {
        var result = DecommissionPlanner.Plan(new PlanDecommissionRequest { Plan = PlanWith("never", null), Now = "2025-06-01T10:20:30.000Z" });

        Assert.Null(result.DecommissionAt);
    }

    [Fact]
    public void Plan_MissingPlanAndBadNow_ListsBothProblems()
    {
        var e = Assert.Throws<InvalidInput>(() => DecommissionPlanner.Plan(new PlanDecommissionRequest { Now = "yesterday" }));

        Assert.Equal(2, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("$.plan", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("$.now", StringComparison.Ordinal));
    }
}
