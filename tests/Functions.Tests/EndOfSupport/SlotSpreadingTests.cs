using System.Text.Json.Nodes;
using BlueGreen.Functions.EndOfSupport;
using static BlueGreen.Functions.Tests.EndOfSupport.Fleet;

namespace BlueGreen.Functions.Tests.EndOfSupport;

/// <summary>A profile's upgrades spread over its windows (maxConcurrentUpgrades), decided cluster after cluster.</summary>
public class SlotSpreadingTests
{
    private static readonly DateTimeOffset Monday = At("2026-10-05T00:00:00Z");

    /// <summary>Decides each cluster in turn, handing on the occupancy, as the scan and fleet report do.</summary>
    private static List<EndOfSupportDecision> DecideInTurn(UpgradeProfile profile, DateTimeOffset now, params (string Name, string Version, ExistingSchedule[] Schedules)[] clusters)
    {
        var decisions = new List<EndOfSupportDecision>();
        IReadOnlyDictionary<string, int> occupancy = new Dictionary<string, int>();
        foreach (var (name, version, schedules) in clusters)
        {
            var decision = EndOfSupportPlanner.Decide(new EndOfSupportPlanner.ClusterFacts(Cluster(name, version, ("team", "shop")), false, schedules), Calendar, [profile], now, Deployment, occupancy);
            occupancy = decision.Occupancy!;
            decisions.Add(decision);
        }
        return decisions;
    }

    private static (string, string, ExistingSchedule[]) C(string name, string version = "1.34", params ExistingSchedule[] schedules) => (name, version, schedules);

    [Fact]
    public void ThreeClustersOfOneProfile_DefaultCap_GetThreeDifferentWindows()
    {
        var decisions = DecideInTurn(Shop(), Monday, C("shop-a"), C("shop-b"), C("shop-c"));

        Assert.All(decisions, d => Assert.Equal(EndOfSupportActions.Create, d.Action));
        Assert.Equal(["at(2026-10-06T10:00:00)", "at(2026-10-07T10:00:00)", "at(2026-10-08T10:00:00)"], decisions.Select(d => d.Schedule!.ScheduleExpression));
        Assert.DoesNotContain("spread", decisions[0].Reason, StringComparison.Ordinal);
        Assert.Contains("spread: the earlier windows already have 1 upgrade(s) of profile shop-alb-canary", decisions[1].Reason, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, int>
        {
            ["shop-alb-canary@2026-10-06T01:00:00.000Z"] = 1,
            ["shop-alb-canary@2026-10-07T01:00:00.000Z"] = 1,
            ["shop-alb-canary@2026-10-08T01:00:00.000Z"] = 1,
        }, decisions[^1].Occupancy);
    }

    [Fact]
    public void ClusterHeldFromChat_ItsPostponedScheduleStillTakesItsWindow_FromTheProfilesNextCluster()
    {
        // shop-a's schedule was postponed from chat to Tuesday's window and the hold keeps the scan off it; shop-b, decided
        // next, must not be placed in that window too (maxConcurrentUpgrades 1: both runs would move the same traffic).
        var postponed = new ExistingSchedule { Name = "eos.shop-a.1.35", State = "ENABLED", ScheduleExpression = "at(2026-10-06T10:00:00)", ScheduleExpressionTimezone = "Asia/Seoul" };
        var hold = new ChatHold("postponed", At("2026-10-06T02:00:00Z"), "slack/U123");
        var held = EndOfSupportPlanner.Decide(new EndOfSupportPlanner.ClusterFacts(Cluster("shop-a", "1.34", ("team", "shop")), false, [postponed], Hold: hold), Calendar, [Shop()], Monday, Deployment);

        var next = EndOfSupportPlanner.Decide(new EndOfSupportPlanner.ClusterFacts(Cluster("shop-b", "1.34", ("team", "shop")), false, []), Calendar, [Shop()], Monday, Deployment, held.Occupancy);

        Assert.Equal((EndOfSupportActions.Keep, true, "2026-10-06T01:00:00.000Z"), (held.Action, held.Held, held.HeldSlotStart));
        Assert.Equal(new Dictionary<string, int> { ["shop-alb-canary@2026-10-06T01:00:00.000Z"] = 1 }, held.Occupancy);
        Assert.Equal("at(2026-10-07T10:00:00)", next.Schedule!.ScheduleExpression);
    }

    [Theory]
    [InlineData("at(2026-10-06T11:30:00)", "2026-10-06T01:00:00.000Z")]   // inside Tuesday's 10:00-14:00 window: takes it
    [InlineData("at(2026-10-06T20:00:00)", null)]                         // outside every window: competes with none
    public void ClusterHeldFromChat_TakesTheWindowItsScheduleStartsIn(string expression, string? window)
    {
        var postponed = new ExistingSchedule { Name = "eos.shop-a.1.35", State = "ENABLED", ScheduleExpression = expression, ScheduleExpressionTimezone = "Asia/Seoul" };
        var hold = new ChatHold("postponed", At("2026-10-06T12:00:00Z"), "slack/U123");

        var held = EndOfSupportPlanner.Decide(new EndOfSupportPlanner.ClusterFacts(Cluster("shop-a", "1.34", ("team", "shop")), false, [postponed], Hold: hold), Calendar, [Shop()], Monday, Deployment);

        Assert.Equal(window, held.HeldSlotStart);
        Assert.Equal(window is null ? 0 : 1, held.Occupancy!.Count);
    }

    [Fact]
    public void MaxConcurrentUpgradesTwo_TwoShareAWindow_TheThirdTakesTheNext()
    {
        var profile = Shop(p => p["maxConcurrentUpgrades"] = 2);

        var decisions = DecideInTurn(profile, Monday, C("shop-a"), C("shop-b"), C("shop-c"));

        Assert.Equal(2, profile.MaxConcurrentUpgrades);
        Assert.Equal(["2026-10-06T01:00:00.000Z", "2026-10-06T01:00:00.000Z", "2026-10-07T01:00:00.000Z"], decisions.Select(d => d.Slot!.Start));
    }

    [Fact]
    public void ClusterWithASchedule_KeepsItsWindowWhileItHasRoom_EvenWhenAnEarlierOneIsFree()
    {
        var scheduled = new ExistingSchedule { Name = "eos.shop-b.1.35", State = "ENABLED", ScheduleExpression = "at(2026-10-07T10:00:00)", ScheduleExpressionTimezone = "Asia/Seoul" };

        var decisions = DecideInTurn(Shop(), Monday, C("shop-b", "1.34", scheduled), C("shop-c"));

        Assert.Equal(EndOfSupportActions.Keep, decisions[0].Action);
        Assert.Equal("2026-10-07T01:00:00.000Z", decisions[0].Slot!.Start);
        Assert.Equal("2026-10-06T01:00:00.000Z", decisions[1].Slot!.Start);
    }

    [Fact]
    public void SecondScan_WithTheFirstScansSchedules_KeepsEverySlot()
    {
        var first = DecideInTurn(Shop(), Monday, C("shop-a"), C("shop-b"), C("shop-c"));
        ExistingSchedule Scheduled(EndOfSupportDecision d) => new() { Name = d.ScheduleName, State = "ENABLED", ScheduleExpression = d.Schedule!.ScheduleExpression, ScheduleExpressionTimezone = d.Schedule.ScheduleExpressionTimezone };

        var second = DecideInTurn(Shop(), Monday.AddMinutes(10), C("shop-a", "1.34", Scheduled(first[0])), C("shop-b", "1.34", Scheduled(first[1])), C("shop-c", "1.34", Scheduled(first[2])));

        Assert.All(second, d => Assert.Equal(EndOfSupportActions.Keep, d.Action));
        Assert.Equal(first.Select(d => d.Slot!.Start), second.Select(d => d.Slot!.Start));
    }

    [Fact]
    public void EveryWindowBeforeTheFinishByDateTaken_NeedsAHuman()
    {
        // Two windows a week, no retry slot, a finish-by date 10 days out: three slots, the fourth cluster gets none.
        var profile = Shop(p =>
        {
            p["windows"] = new JsonArray(new JsonObject { ["days"] = new JsonArray("TUE", "THU"), ["start"] = "10:00", ["hours"] = 4 });
            p["retryWindows"] = 0;
        });
        var now = At("2026-10-22T00:00:00Z");

        var decisions = DecideInTurn(profile, now, C("shop-a"), C("shop-b"), C("shop-c"), C("shop-d"));

        Assert.Equal([EndOfSupportActions.Create, EndOfSupportActions.Create, EndOfSupportActions.Create, EndOfSupportActions.NeedsHuman], decisions.Select(d => d.Action));
        Assert.Contains("already has 1 upgrade(s) of the profile (maxConcurrentUpgrades)", decisions[3].Reason, StringComparison.Ordinal);
        Assert.Equal(decisions[2].Occupancy, decisions[3].Occupancy);
    }

    [Fact]
    public void ClusterWithinTheLeadTime_TakesTheFirstWindowOverTheCap()
    {
        // 1.31 leaves extended support on 2026-11-26: its only run-and-retry pair (Tue 24th, Wed 25th) is taken by then.
        var now = At("2026-11-23T09:00:00Z");

        var decisions = DecideInTurn(Shop(), now, C("shop-a", "1.33"), C("shop-b", "1.33"), C("shop-c", "1.31"));

        Assert.Equal(["2026-11-24T01:00:00.000Z", "2026-11-25T01:00:00.000Z", "2026-11-24T01:00:00.000Z"], decisions.Select(d => d.Slot!.Start));
        Assert.Equal(EndOfSupportActions.Create, decisions[2].Action);
        Assert.Contains("over profile shop-alb-canary's maxConcurrentUpgrades of 1", decisions[2].Reason, StringComparison.Ordinal);
        Assert.Equal(2, decisions[2].Occupancy!["shop-alb-canary@2026-11-24T01:00:00.000Z"]);
    }

    [Fact]
    public void ClustersWithinTheLeadTime_OverTheCap_GoToTheWindowWithTheFewestRuns()
    {
        // 1.34 must finish by 2026-12-02: its run-and-retry pairs start on the 24th, 25th or 26th, each already taken once.
        var now = At("2026-11-23T09:00:00Z");

        var decisions = DecideInTurn(Shop(), now, C("shop-a", "1.33"), C("shop-b", "1.33"), C("shop-c", "1.33"), C("shop-d", "1.33"), C("shop-e"), C("shop-f"));

        Assert.Equal(["2026-11-24", "2026-11-25", "2026-11-26", "2026-12-01", "2026-11-24", "2026-11-25"], decisions.Select(d => d.Slot!.Start[..10]));
        Assert.Equal(2, decisions[^1].Occupancy!["shop-alb-canary@2026-11-25T01:00:00.000Z"]);
    }

    [Fact]
    public void NotifyTakesASlot_NoneAndNeedsHumanDoNot()
    {
        var notify = Shop(p => p["schedule"] = "notify");

        var decisions = DecideInTurn(notify, Monday, C("shop-a"), C("shop-b", "1.35"), C("shop-c"));

        Assert.Equal([EndOfSupportActions.Notify, EndOfSupportActions.None, EndOfSupportActions.Notify], decisions.Select(d => d.Action));
        Assert.Equal(["2026-10-06T01:00:00.000Z", "2026-10-07T01:00:00.000Z"], decisions.Where(d => d.Slot is not null).Select(d => d.Slot!.Start));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void MaxConcurrentUpgradesOutOfRange_IsAProfileProblem(int value)
    {
        var json = ProfileJson("shop-alb-canary.json");
        json["maxConcurrentUpgrades"] = value;

        var (profile, problems) = ProfileReader.Read(System.Text.Json.JsonSerializer.SerializeToElement(json, TestJsonNodes.Default.JsonObject));

        Assert.Null(profile);
        Assert.Contains(problems, p => p.StartsWith("maxConcurrentUpgrades", StringComparison.Ordinal));
    }
}
