using System.Text.Json;
using System.Text.Json.Nodes;
using BlueGreen.Functions.EndOfSupport;
using BlueGreen.Functions.Handlers;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Serialization;
using static BlueGreen.Functions.Tests.EndOfSupport.Fleet;

namespace BlueGreen.Functions.Tests.EndOfSupport;

public class EndOfSupportPlannerTests
{
    private static readonly EksClusterFixture ShopBlue134 = new("shop-blue", "1.34");

    private sealed record EksClusterFixture(string Name, string Version)
    {
        public Aws.EksCluster Build() => Cluster(Name, Version, ("team", "shop"));
    }

    [Fact]
    public void StandardSupport_FirstWindowBeforeTheLeadTime_CreatesASeoulSchedule()
    {
        var decision = Decide(ShopBlue134.Build(), At("2026-10-06T00:00:00Z"), [Shop()]);

        Assert.Equal(EndOfSupportActions.Create, decision.Action);
        Assert.Equal("STANDARD_SUPPORT", decision.SupportStatus);
        Assert.Equal(57, decision.DaysToEndOfStandardSupport);
        Assert.Equal(422, decision.DaysToEndOfExtendedSupport);
        Assert.Equal("1.35", decision.TargetVersion);
        Assert.Equal("2026-11-02T00:00:00.000Z", decision.FinishBy);
        Assert.Equal("2026-10-06T01:00:00.000Z", decision.Slot!.Start);
        Assert.Equal("2026-10-06T05:00:00.000Z", decision.Slot.End);
        Assert.Equal(["2026-10-07T01:00:00.000Z"], decision.Slot.RetryStarts);
        Assert.Equal("eos.shop-blue.1.35", decision.ScheduleName);
        Assert.Equal("at(2026-10-06T10:00:00)", decision.Schedule!.ScheduleExpression);
        Assert.Equal("Asia/Seoul", decision.Schedule.ScheduleExpressionTimezone);
        Assert.Equal("DELETE", decision.Schedule.ActionAfterCompletion);
        Assert.Equal("OFF", decision.Schedule.FlexibleTimeWindow.Mode);
        Assert.Equal(Deployment.UpgradeStateMachineArn, decision.Schedule.Target.Arn);
        // A failed start is retried only while the 4-hour window is open, not for Scheduler's default 24 hours.
        Assert.Equal((4 * 3600, 185), (decision.Schedule.Target.RetryPolicy.MaximumEventAgeInSeconds, decision.Schedule.Target.RetryPolicy.MaximumRetryAttempts));
        // ...and a start still not made by then goes to the deployment's dead-letter queue, not nowhere.
        Assert.Equal(Deployment.DeadLetterQueueArn, decision.Schedule.Target.DeadLetterConfig!.Arn);
        Assert.Equal(0.10m, decision.Cost.HourlyNow);
        Assert.Equal(4380m, decision.Cost.ExtraPerYearInExtendedSupport);
        Assert.Equal(0m, decision.Cost.ExtraUntilUpgrade);
    }

    [Fact]
    public void ScheduleTarget_IsAnUpgradeInputThatPlanUpgradeAccepts()
    {
        var decision = Decide(ShopBlue134.Build(), At("2026-10-06T00:00:00Z"), [Shop()]);
        using var input = JsonDocument.Parse(decision.Schedule!.Target.Input);

        var plan = UpgradePlanner.Plan(new PlanUpgradeRequest
        {
            Input = input.RootElement,
            Execution = new ExecutionInfo { Id = "arn:aws:states:ap-northeast-2:111122223333:execution:eks-bluegreen-upgrade:x", Name = "x", StartTime = "2026-10-06T01:00:00.000Z" },
        });

        Assert.Equal("shop-blue", plan.BlueClusterName);
        Assert.Equal("1.35", plan.TargetVersion);
        Assert.Equal("eventbridge-schedule/eos.shop-blue.1.35", plan.RequestedBy);
        Assert.True(plan.Approvals.BeforeTraffic);
    }

    [Fact]
    public void SlotAlreadyPassedToday_TakesTheNextWindowDay()
    {
        // 10:30 in Seoul on Tuesday: today's 10:00 window has begun, so Wednesday's is the first.
        var decision = Decide(ShopBlue134.Build(), At("2026-10-06T01:30:00Z"), [Shop()]);

        Assert.Equal("at(2026-10-07T10:00:00)", decision.Schedule!.ScheduleExpression);
    }

    [Fact]
    public void WindowStartingWithinTheMinimumNotice_IsSkipped()
    {
        // 09:30 in Seoul: the 10:00 window is 30 minutes away, under the hour a schedule needs to exist first.
        var decision = Decide(ShopBlue134.Build(), At("2026-10-06T00:30:00Z"), [Shop()]);

        Assert.Equal("at(2026-10-07T10:00:00)", decision.Schedule!.ScheduleExpression);
    }

    [Fact]
    public void Freeze_PushesTheSlotPastItsLastDay()
    {
        // 1.33 is in extended support; the year-end freeze runs 2026-12-18 to 2027-01-04 (Seoul dates).
        var decision = Decide(Cluster("shop-old", "1.33", ("team", "shop")), At("2026-12-18T00:00:00Z"), [Shop()]);

        Assert.Equal("EXTENDED_SUPPORT", decision.SupportStatus);
        Assert.Equal("at(2027-01-05T10:00:00)", decision.Schedule!.ScheduleExpression);
        Assert.Equal(0.60m, decision.Cost.HourlyNow);
        // 2026-12-18T00:00Z to the slot's end 2027-01-05T05:00Z is 437 hours at $0.50 over standard.
        Assert.Equal(218.5m, decision.Cost.ExtraUntilUpgrade);
    }

    [Fact]
    public void OnlyOneSlotLeftBeforeTheDeadline_NeedsAHumanBecauseThereIsNoRetrySlot()
    {
        var owned = new ExistingSchedule { Name = "eos.shop-blue.1.35", ScheduleExpression = "at(2026-10-27T10:00:00)", ScheduleExpressionTimezone = "Asia/Seoul" };

        var decision = Decide(ShopBlue134.Build(), At("2026-10-28T02:00:00Z"), [Shop()], false, owned);

        Assert.Equal(EndOfSupportActions.NeedsHuman, decision.Action);
        Assert.Contains("1 retry slot(s) before 2026-11-02T00:00:00.000Z", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(["eos.shop-blue.1.35"], decision.DeleteSchedules);
    }

    [Fact]
    public void OnlyOneSlotLeft_WithoutRetryWindows_IsScheduled()
    {
        var decision = Decide(ShopBlue134.Build(), At("2026-10-28T02:00:00Z"), [Shop(p => p["retryWindows"] = 0)]);

        Assert.Equal("at(2026-10-29T10:00:00)", decision.Schedule!.ScheduleExpression);
        Assert.Empty(decision.Slot!.RetryStarts);
    }

    [Fact]
    public void LeadTimeAlreadyPassed_AimsForTheDeadlineItself()
    {
        var decision = Decide(ShopBlue134.Build(), At("2026-11-20T00:00:00Z"), [Shop()]);

        Assert.Equal("2026-12-02T00:00:00.000Z", decision.FinishBy);
        Assert.Equal("at(2026-11-24T10:00:00)", decision.Schedule!.ScheduleExpression);
        Assert.Contains("within the 30-day lead time already", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DeadlineBeyondTheHorizon_DoesNothingYet()
    {
        var decision = Decide(ShopBlue134.Build(), At("2026-05-01T00:00:00Z"), [Shop()]);

        Assert.Equal(EndOfSupportActions.None, decision.Action);
        Assert.Null(decision.Slot);
        Assert.Equal("not yet: the slot is chosen from 2026-07-05 (120 days before 2026-11-02)", decision.Reason);
    }

    [Fact]
    public void SameSlotAlreadyScheduled_IsKept()
    {
        var existing = new ExistingSchedule { Name = "eos.shop-blue.1.35", State = "ENABLED", ScheduleExpression = "at(2026-10-06T10:00:00)", ScheduleExpressionTimezone = "Asia/Seoul" };

        var decision = Decide(ShopBlue134.Build(), At("2026-10-06T00:00:00Z"), [Shop()], false, existing);

        Assert.Equal(EndOfSupportActions.Keep, decision.Action);
        Assert.Null(decision.Schedule);
        Assert.Empty(decision.DeleteSchedules);
    }

    [Fact]
    public void ScheduledForAnotherSlot_IsUpdated()
    {
        var existing = new ExistingSchedule { Name = "eos.shop-blue.1.35", ScheduleExpression = "at(2026-12-24T10:00:00)", ScheduleExpressionTimezone = "Asia/Seoul" };

        var decision = Decide(ShopBlue134.Build(), At("2026-10-06T00:00:00Z"), [Shop()], false, existing);

        Assert.Equal(EndOfSupportActions.Update, decision.Action);
        Assert.Equal("at(2026-10-06T10:00:00)", decision.Schedule!.ScheduleExpression);
        Assert.Contains("it was at(2026-12-24T10:00:00)", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ScheduleForAnOlderTarget_IsDeletedWhenTheNewOneIsCreated_AndOtherClustersSchedulesAreLeftAlone()
    {
        ExistingSchedule[] schedules = [new() { Name = "eos.shop-blue.1.34" }, new() { Name = "eos.shop-blue-2.1.35" }, new() { Name = "eos.shop.1.35" }];

        var decision = Decide(ShopBlue134.Build(), At("2026-10-06T00:00:00Z"), [Shop()], false, schedules);

        Assert.Equal(EndOfSupportActions.Create, decision.Action);
        Assert.Equal(["eos.shop-blue.1.34"], decision.DeleteSchedules);
    }

    [Fact]
    public void ProfileSwitchedOff_DeletesTheClustersSchedules()
    {
        var decision = Decide(ShopBlue134.Build(), At("2026-10-06T00:00:00Z"), [Shop(p => p["schedule"] = "off")], false, new ExistingSchedule { Name = "eos.shop-blue.1.35" });

        Assert.Equal(EndOfSupportActions.Delete, decision.Action);
        Assert.Equal(["eos.shop-blue.1.35"], decision.DeleteSchedules);
    }

    [Fact]
    public void NoProfileMatches_NeedsAHuman_AndCancelsWhatAnEarlierProfileScheduled()
    {
        var decision = Decide(Cluster("billing-1", "1.32"), At("2026-10-06T00:00:00Z"), [Shop()], false, new ExistingSchedule { Name = "eos.billing-1.1.35" });

        Assert.Equal(EndOfSupportActions.NeedsHuman, decision.Action);
        Assert.Null(decision.Profile);
        Assert.Equal("EXTENDED_SUPPORT", decision.SupportStatus);
        Assert.StartsWith("no profile matches this cluster", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(["eos.billing-1.1.35"], decision.DeleteSchedules);
        // Nothing planned: the surcharge runs from now to the end of extended support (2027-03-23), 168 days.
        Assert.Equal(168 * 24 * 0.5m, decision.Cost.ExtraUntilUpgrade);
    }

    [Fact]
    public void ClusterMatchedByNameButNotByTag_HasNoProfile()
    {
        var decision = Decide(Cluster("shop-blue", "1.34", ("team", "billing")), At("2026-10-06T00:00:00Z"), [Shop()]);

        Assert.Equal(EndOfSupportActions.NeedsHuman, decision.Action);
    }

    [Fact]
    public void TwoProfilesMatch_NeedsAHumanAndTouchesNothing()
    {
        var other = Shop(p => p["name"] = "shop-other");

        var decision = Decide(ShopBlue134.Build(), At("2026-10-06T00:00:00Z"), [Shop(), other], false, new ExistingSchedule { Name = "eos.shop-blue.1.35" });

        Assert.Equal(EndOfSupportActions.NeedsHuman, decision.Action);
        Assert.Contains("shop-alb-canary, shop-other", decision.Reason, StringComparison.Ordinal);
        Assert.Empty(decision.DeleteSchedules);
    }

    [Fact]
    public void RunInProgress_NeedsAHumanAndLeavesSchedulesAlone()
    {
        var decision = Decide(ShopBlue134.Build(), At("2026-10-06T00:00:00Z"), [Shop()], true, new ExistingSchedule { Name = "eos.shop-blue.1.34" });

        Assert.Equal(EndOfSupportActions.NeedsHuman, decision.Action);
        Assert.Null(decision.Schedule);
        Assert.Empty(decision.DeleteSchedules);
    }

    [Fact]
    public void PinnedVersionOlderThanTheCluster_NeedsAHuman()
    {
        var decision = Decide(ShopBlue134.Build(), At("2026-10-06T00:00:00Z"), [Shop(p => p["target"] = "1.33")]);

        Assert.Equal(EndOfSupportActions.NeedsHuman, decision.Action);
        Assert.Contains("pins 1.33, which is older than the cluster's 1.34", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PinnedVersion_IsTheTarget()
    {
        var decision = Decide(Cluster("shop-old", "1.33", ("team", "shop")), At("2026-10-06T00:00:00Z"), [Shop(p => p["target"] = "1.34")]);

        Assert.Equal("1.34", decision.TargetVersion);
        Assert.Equal("eos.shop-old.1.34", decision.ScheduleName);
    }

    [Fact]
    public void NextMinorThatEksDoesNotOfferYet_NeedsAHuman()
    {
        var decision = Decide(Cluster("shop-new", "1.35", ("team", "shop")), At("2026-10-06T00:00:00Z"), [Shop(p => p["target"] = "next-minor")]);

        Assert.Equal(EndOfSupportActions.NeedsHuman, decision.Action);
        Assert.Contains("does not offer 1.36 yet", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AlreadyOnTheLatestStandardVersion_HasNothingToDo()
    {
        var decision = Decide(Cluster("shop-new", "1.35", ("team", "shop")), At("2026-10-06T00:00:00Z"), [Shop()], false, new ExistingSchedule { Name = "eos.shop-new.1.35" });

        Assert.Equal(EndOfSupportActions.Delete, decision.Action);
        Assert.Equal(["eos.shop-new.1.35"], decision.DeleteSchedules);
        Assert.StartsWith("already at 1.35", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void VersionPastExtendedSupport_NeedsAHuman()
    {
        var decision = Decide(Cluster("shop-ancient", "1.29", ("team", "shop")), At("2026-10-06T00:00:00Z"), [Shop()]);

        Assert.Equal("UNSUPPORTED", decision.SupportStatus);
        Assert.Equal(EndOfSupportActions.NeedsHuman, decision.Action);
    }

    [Fact]
    public void VersionMissingFromTheCalendar_IsUnknown()
    {
        var decision = Decide(Cluster("shop-odd", "1.27", ("team", "shop")), At("2026-10-06T00:00:00Z"), [Shop()]);

        Assert.Equal("UNKNOWN", decision.SupportStatus);
        Assert.Equal(EndOfSupportActions.NeedsHuman, decision.Action);
        Assert.Null(decision.DaysToEndOfStandardSupport);
    }

    [Fact]
    public void NotifyProfile_ReportsTheSlotWithoutASchedule()
    {
        var notify = Profile(ProfileJson("platform-notify.json"));

        var decision = Decide(Cluster("platform-hub", "1.33", ("owner", "platform")), At("2026-10-06T00:00:00Z"), [Shop(), notify]);

        Assert.Equal(EndOfSupportActions.Notify, decision.Action);
        Assert.Equal("1.34", decision.TargetVersion);
        Assert.Null(decision.Schedule);
        Assert.Equal("Europe/Berlin", decision.Slot!.TimeZone);
        // Tuesday 02:30 in Berlin (CEST, UTC+2) is 00:30Z; it is 00:00Z now, under the hour's notice, so Wednesday.
        Assert.Equal("2026-10-07T00:30:00.000Z", decision.Slot.Start);
        Assert.Equal(2, decision.Slot.RetryStarts.Count);
    }

    [Fact]
    public void DeletingCluster_LosesItsSchedules()
    {
        var cluster = ShopBlue134.Build() with { Status = "DELETING" };

        var decision = Decide(cluster, At("2026-10-06T00:00:00Z"), [Shop()], false, new ExistingSchedule { Name = "eos.shop-blue.1.35" });

        Assert.Equal(EndOfSupportActions.Delete, decision.Action);
    }

    [Fact]
    public void Handler_DecidesFromTheStateMachinesJson()
    {
        var request = new JsonObject
        {
            ["now"] = "2026-10-06T00:00:00.000Z",
            ["cluster"] = JsonNode.Parse("""{"Name":"shop-blue","Version":"1.34","Status":"ACTIVE","Tags":{"team":"shop"}}"""),
            ["clusterVersions"] = JsonNode.Parse(JsonSerializer.Serialize(Versions, FunctionsJsonContext.Default.IReadOnlyListClusterVersionInformation)),
            ["profiles"] = new JsonArray(ProfileJson("shop-alb-canary.json"), ProfileJson("platform-notify.json")),
            ["schedules"] = JsonNode.Parse("""[{"Name":"eos.shop-blue.1.34","State":"ENABLED"}]"""),
            ["runInProgress"] = false,
            ["deployment"] = JsonNode.Parse(JsonSerializer.Serialize(Deployment, FunctionsJsonContext.Default.ScanDeployment)),
        };
        using var input = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(request, TestJsonNodes.Default.JsonObject));

        using var output = FunctionCatalog.Get("PlanEndOfSupport").Invoke(input);
        var decision = JsonNode.Parse(output)!;

        Assert.Equal("create", decision["action"]!.GetValue<string>());
        Assert.Equal("at(2026-10-06T10:00:00)", decision["schedule"]!["ScheduleExpression"]!.GetValue<string>());
        Assert.Equal(Deployment.DeadLetterQueueArn, decision["schedule"]!["Target"]!["DeadLetterConfig"]!["Arn"]!.GetValue<string>());
        Assert.Equal("eos.shop-blue.1.34", decision["deleteSchedules"]![0]!.GetValue<string>());
        Assert.Equal("2026-12-02T00:00:00.000Z", decision["endOfStandardSupport"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"Item":{"pk":{"S":"CLUSTER#shop-blue"},"executionArn":{"S":"arn:aws:states:ap-northeast-2:111122223333:execution:u:x"}}}""", "needs-human")]
    [InlineData("{}", "create")]
    public void Plan_LockItemFromGetItem_MeansARunInProgress(string getItemOutput, string action)
    {
        var request = new PlanEndOfSupportRequest
        {
            Now = "2026-10-06T00:00:00.000Z",
            Cluster = ShopBlue134.Build(),
            ClusterVersions = Versions,
            Profiles = [JsonSerializer.SerializeToElement(ProfileJson("shop-alb-canary.json"), TestJsonNodes.Default.JsonObject)],
            Lock = JsonDocument.Parse(getItemOutput).RootElement.Clone(),
            Deployment = Deployment,
        };

        Assert.Equal(action, EndOfSupportPlanner.Plan(request).Action);
    }

    [Theory]
    [InlineData("2026-10-20T00:00:00.000Z", "postponed", "keep", true)]
    [InlineData("2026-10-20T00:00:00.000Z", "cancelled", "none", true)]
    [InlineData("2026-10-05T00:00:00.000Z", "cancelled", "create", false)]   // the hold ended before this scan: planned as usual
    public void Plan_HoldFromChat_LeavesTheSchedulesAsTheyAreUntilItEnds(string until, string kind, string action, bool held)
    {
        var request = new PlanEndOfSupportRequest
        {
            Now = "2026-10-06T00:00:00.000Z",
            Cluster = ShopBlue134.Build(),
            ClusterVersions = Versions,
            Profiles = [JsonSerializer.SerializeToElement(ProfileJson("shop-alb-canary.json"), TestJsonNodes.Default.JsonObject)],
            Schedules = kind == "postponed" || !held ? [new ExistingSchedule { Name = "eos.shop-blue.1.34", State = "ENABLED", ScheduleExpression = "at(2026-10-07T03:00:00)", ScheduleExpressionTimezone = "Asia/Seoul" }] : [],
            Hold = JsonDocument.Parse("""{"Item":{"kind":{"S":"KIND"},"until":{"S":"UNTIL"},"by":{"S":"slack/U123"}}}""".Replace("KIND", kind, StringComparison.Ordinal).Replace("UNTIL", until, StringComparison.Ordinal)).RootElement.Clone(),
            Deployment = Deployment,
        };

        var decision = EndOfSupportPlanner.Plan(request);

        Assert.Equal((action, held), (decision.Action, decision.Held));
        if (held)
        {
            Assert.Empty(decision.DeleteSchedules);
            Assert.Null(decision.Schedule);
            Assert.True(decision.Listed);
            Assert.Contains($"{kind} from chat by slack/U123 until", decision.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    // The cluster's newest run succeeded after it was created: it is the Blue that run replaced, waiting for its decommission.
    [InlineData("""[{"status":{"S":"Succeeded"},"greenClusterName":{"S":"shop-green"},"targetVersion":{"S":"1.35"},"startedAt":{"S":"2026-09-01T09:00:00.000Z"},"finishedAt":{"S":"2026-09-01T10:30:00.000Z"}}]""", "2026-01-05T00:00:00.000Z", "delete")]
    // A run that failed or rolled back did not replace it.
    [InlineData("""[{"status":{"S":"RolledBack"},"greenClusterName":{"S":"shop-green"},"startedAt":{"S":"2026-09-01T09:00:00.000Z"}}]""", "2026-01-05T00:00:00.000Z", "update")]
    // A cluster created after that run is a new cluster with a former Blue's name (-blue and -green swap each upgrade).
    [InlineData("""[{"status":{"S":"Succeeded"},"greenClusterName":{"S":"shop-green"},"startedAt":{"S":"2026-09-01T09:00:00.000Z"}}]""", "2026-09-20T00:00:00.000Z", "update")]
    [InlineData("[]", "2026-01-05T00:00:00.000Z", "update")]
    public void Plan_ClusterAnUpgradeAlreadyReplaced_IsNotScheduledAgain_AndLosesItsSchedules(string lastRuns, string createdAt, string action)
    {
        var request = new PlanEndOfSupportRequest
        {
            Now = "2026-10-06T00:00:00.000Z",
            Cluster = ShopBlue134.Build() with { CreatedAt = createdAt },
            ClusterVersions = Versions,
            Profiles = [JsonSerializer.SerializeToElement(ProfileJson("shop-alb-canary.json"), TestJsonNodes.Default.JsonObject)],
            Schedules = [new ExistingSchedule { Name = "eos.shop-blue.1.35", State = "ENABLED" }],
            LastRuns = [.. JsonDocument.Parse(lastRuns).RootElement.EnumerateArray()
                .Select(r => (IReadOnlyDictionary<string, JsonElement>)r.EnumerateObject().ToDictionary(a => a.Name, a => a.Value.Clone()))],
            Deployment = Deployment,
        };

        var decision = EndOfSupportPlanner.Plan(request);

        Assert.Equal(action, decision.Action);
        if (action == "delete")
        {
            Assert.Equal(["eos.shop-blue.1.35"], decision.DeleteSchedules);
            Assert.Null(decision.Schedule);
            Assert.StartsWith("replaced by shop-green (its upgrade to 1.35 succeeded 2026-09-01T10:30:00.000Z)", decision.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Handler_BadProfileIsInvalidProfile_AndBadClusterIsInvalidInput()
    {
        var profile = ProfileJson("shop-alb-canary.json");
        profile["timeZone"] = "Mars/Olympus";
        var badProfile = new PlanEndOfSupportRequest
        {
            Now = "2026-10-06T00:00:00.000Z",
            Cluster = ShopBlue134.Build(),
            ClusterVersions = Versions,
            Profiles = [JsonSerializer.SerializeToElement(profile, TestJsonNodes.Default.JsonObject)],
            Deployment = Deployment,
        };

        var error = Assert.Throws<InvalidProfile>(() => EndOfSupportPlanner.Plan(badProfile));
        Assert.Contains("profiles[0]: timeZone: \"Mars/Olympus\" is not an IANA time zone", error.Message, StringComparison.Ordinal);

        var badCluster = badProfile with { Now = "yesterday", Cluster = badProfile.Cluster with { Version = null } };
        var invalid = Assert.Throws<InvalidInput>(() => EndOfSupportPlanner.Plan(badCluster));
        Assert.Equal(2, invalid.Problems.Count);
    }
}
