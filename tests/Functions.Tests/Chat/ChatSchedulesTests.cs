using System.Text.Json;
using BlueGreen.Functions.Chat;
using BlueGreen.Functions.EndOfSupport;

namespace BlueGreen.Functions.Tests.Chat;

/// <summary>PlanChatCommand for schedule list|cancel|postpone: the query, then the changes given GetSchedule's answers.</summary>
public class ChatSchedulesTests
{
    private const string Upgrade = "arn:aws:states:ap-northeast-2:111122223333:stateMachine:bluegreen-dev-upgrade";
    private const string Role = "arn:aws:iam::111122223333:role/bluegreen-dev-ap-northeast-2-eos-scheduler";

    private static readonly ScanDeployment Deployment = new() { UpgradeStateMachineArn = Upgrade, SchedulerRoleArn = Role, ScheduleGroupName = "default" };

    private static ChatCommandItem Command(string operation, string? days = null) =>
        new() { CommandId = "c-1", Verb = "schedule", ClusterName = "shop-blue", Operation = operation, Days = days, RequestedBy = "slack/U123" };

    private static JsonElement Schedule(string name = "eos.shop-blue.1.35", string expression = "at(2026-12-08T10:00:00)", string role = Role) => JsonDocument.Parse($$$"""
        {"Arn": "arn:aws:scheduler:ap-northeast-2:111122223333:schedule/default/{{{name}}}", "Name": "{{{name}}}", "GroupName": "default",
         "ScheduleExpression": "{{{expression}}}", "ScheduleExpressionTimezone": "Asia/Seoul", "State": "ENABLED", "Description": "eos-scan: upgrade shop-blue",
         "ActionAfterCompletion": "DELETE", "FlexibleTimeWindow": {"Mode": "OFF"},
         "Target": {"Arn": "{{{Upgrade}}}", "RoleArn": "{{{role}}}", "Input": "{\"clusterName\":\"shop-blue\"}", "RetryPolicy": {"MaximumEventAgeInSeconds": 14400, "MaximumRetryAttempts": 185}},
         "CreationDate": "2026-11-23T00:00:00Z"}
        """).RootElement.Clone();

    private static ChatCommandPlan Decide(ChatCommandItem command, params JsonElement[] schedules) =>
        ChatCommandPlanner.Plan(new PlanChatCommandRequest { Command = command, Profiles = [], Schedules = schedules, Now = "2026-12-01T00:00:00.000Z", Deployment = Deployment });

    [Fact]
    public void FirstStep_QueriesTheClustersEndOfSupportPrefix()
    {
        var plan = ChatCommandPlanner.Plan(new PlanChatCommandRequest { Command = Command("list"), Profiles = [] });

        Assert.Equal((ChatCommandPlan.Schedules, "default", "eos.shop-blue."), (plan.Action, plan.ScheduleQuery!.GroupName, plan.ScheduleQuery.NamePrefix));
    }

    [Fact]
    public void Postpone_SendsTheWholeScheduleWithTheLaterTime_AndHoldsUntilIt()
    {
        var plan = Decide(Command("postpone", "3"), Schedule());

        var update = Assert.Single(plan.Updates);
        Assert.Equal("at(2026-12-11T10:00:00)", update.GetProperty("ScheduleExpression").GetString());
        foreach (var member in (string[])["Name", "GroupName", "ScheduleExpressionTimezone", "State", "ActionAfterCompletion", "FlexibleTimeWindow", "Target", "Description"])
        {
            Assert.True(update.TryGetProperty(member, out _), member);
        }

        Assert.Equal(185, update.GetProperty("Target").GetProperty("RetryPolicy").GetProperty("MaximumRetryAttempts").GetInt32());
        Assert.False(update.TryGetProperty("CreationDate", out _));   // not an UpdateSchedule member
        Assert.Contains("postponed 3 day(s) from chat by slack/U123", update.GetProperty("Description").GetString(), StringComparison.Ordinal);
        Assert.Equal(("postponed", "2026-12-11T01:00:00.000Z"), (plan.Hold!.Kind, plan.Hold.Until));   // 10:00 in Seoul is 01:00 UTC
        Assert.Empty(plan.Deletes);
    }

    [Fact]
    public void Cancel_DeletesOnlyThisDeploymentsSchedules_AndHoldsForAWeek()
    {
        var plan = Decide(Command("cancel"), Schedule(), Schedule("eos.shop-blue.1.36", role: "arn:aws:iam::111122223333:role/someone-else"));

        Assert.Equal("eos.shop-blue.1.35", Assert.Single(plan.Deletes).Name);
        Assert.Equal(("cancelled", "2026-12-08T00:00:00.000Z"), (plan.Hold!.Kind, plan.Hold.Until));
        Assert.Contains("1 other schedule(s) with this prefix left alone", plan.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void List_ChangesNothing()
    {
        var plan = Decide(Command("list"), Schedule());

        Assert.Equal((0, 0), (plan.Deletes.Count, plan.Updates.Count));
        Assert.Null(plan.Hold);
        Assert.Contains("eos.shop-blue.1.35: at(2026-12-08T10:00:00) Asia/Seoul (ENABLED)", plan.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void Postpone_WithoutASchedule_HoldsNothing()
    {
        var plan = Decide(Command("postpone", "2"));

        Assert.Null(plan.Hold);
        Assert.Contains("no end-of-support schedule to postpone", plan.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void SecondStep_WithoutClockOrDeployment_ListsEveryProblem()
    {
        var e = Assert.Throws<InvalidInput>(() => ChatCommandPlanner.Plan(new PlanChatCommandRequest { Command = Command("postpone", "99"), Profiles = [], Schedules = [] }));

        Assert.Equal(3, e.Problems.Count);
    }
}
