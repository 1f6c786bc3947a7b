using System.Text.Json;
using System.Text.Json.Nodes;
using BlueGreen.Functions.Chat;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.Chat;

/// <summary>PlanChatCommand: the one Step Functions call chat-command makes for an accepted command.</summary>
public class ChatCommandPlannerTests
{
    private static readonly IReadOnlyList<JsonElement> Profiles =
        [.. Directory.GetFiles(Repository.PathOf("profiles"), "*.json").Where(f => !f.EndsWith("profile.schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.Clone())];

    private static ChatCommandItem Command(string verb) => new() { CommandId = "c-0123456789abcdef", Verb = verb, RequestedBy = "slack/U123" };

    [Fact]
    public void Upgrade_StartsTheUpgradeWithTheOnlyProfileWhoseClusterNamesMatch()
    {
        var plan = ChatCommandPlanner.Plan(new PlanChatCommandRequest { Command = Command("upgrade") with { ClusterName = "shop-blue", TargetVersion = "1.34" }, Profiles = Profiles });

        Assert.Equal((ChatCommandPlan.Start, "chat-c-0123456789abcdef", "shop-alb-canary"), (plan.Action, plan.ExecutionName, plan.Profile));
        var input = JsonNode.Parse(plan.Input!)!;
        Assert.Equal(("shop-blue", "1.34", "slack/U123"), ((string?)input["clusterName"], (string?)input["targetVersion"], (string?)input["requestedBy"]));
        Assert.Equal("alb", (string?)input["traffic"]!["type"]);
        Assert.Null(input["dryRun"]);
    }

    [Fact]
    public void Plan_IsADryRun_AndANamedProfileWins()
    {
        var plan = ChatCommandPlanner.Plan(new PlanChatCommandRequest { Command = Command("plan") with { ClusterName = "shop-blue", TargetVersion = "1.34", Profile = "shop-alb-canary" }, Profiles = Profiles });

        Assert.True((bool)JsonNode.Parse(plan.Input!)!["dryRun"]!);
    }

    [Fact]
    public void Upgrade_WithoutAMatchingProfile_OrWithAnUnknownOne_IsInvalidInput()
    {
        var none = Assert.Throws<InvalidInput>(() => ChatCommandPlanner.Plan(new PlanChatCommandRequest { Command = Command("upgrade") with { ClusterName = "billing-blue", TargetVersion = "1.34" }, Profiles = Profiles }));
        var unknown = Assert.Throws<InvalidInput>(() => ChatCommandPlanner.Plan(new PlanChatCommandRequest { Command = Command("upgrade") with { ClusterName = "shop-blue", TargetVersion = "1.34", Profile = "nope" }, Profiles = Profiles }));

        Assert.Contains("no profile's clusterNames match billing-blue", none.Message, StringComparison.Ordinal);
        Assert.Contains("no profile is named \"nope\"", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Approve_AndReject_AnswerTheRunsApprovalItem_WithWhoAnswered()
    {
        var approve = ChatCommandPlanner.Plan(new PlanChatCommandRequest { Command = Command("approve") with { RunId = "shop-blue-to-1-34-0a1b2c3d", RequestedBy = "slack/U456" } });
        var reject = ChatCommandPlanner.Plan(new PlanChatCommandRequest { Command = Command("reject") with { RunId = "shop-blue-to-1-34-0a1b2c3d", RequestedBy = "slack/U457", Reason = "error budget spent" } });

        Assert.Equal(("RUN#shop-blue-to-1-34-0a1b2c3d", "APPROVAL"), (approve.ApprovalKey!.Pk, approve.ApprovalKey.Sk));
        var output = JsonNode.Parse(approve.TaskOutput!)!;
        Assert.Equal((true, "slack/U456"), ((bool)output["approved"]!, (string?)output["by"]));
        Assert.Equal(("ApprovalRefused", "Rejected from chat by slack/U457: error budget spent"), (reject.Error, reject.Cause));
    }

    [Fact]
    public void Abort_StopsTheRunsExecution_AndEveryMissingMemberIsListed()
    {
        var abort = ChatCommandPlanner.Plan(new PlanChatCommandRequest { Command = Command("abort") with { RunId = "r-1", ExecutionArn = "arn:aws:states:ap-northeast-2:111122223333:execution:bluegreen-dev-upgrade:x" } });
        var broken = Assert.Throws<InvalidInput>(() => ChatCommandPlanner.Plan(new PlanChatCommandRequest { Command = new ChatCommandItem { Verb = "abort" } }));

        Assert.Equal((ChatCommandPlan.Abort, "Stopped from chat by slack/U123"), (abort.Action, abort.Cause));
        Assert.Equal(["command.commandId: required", "command.requestedBy: required", "command.executionArn (the run's execution): required"], broken.Problems);
    }

    [Fact]
    public void TheStreamRecordsImage_IsReadLikeTheCommand()
    {
        using var document = JsonDocument.Parse("""
            {"commandId":{"S":"c-1"},"verb":{"S":"approve"},"runId":{"S":"r-1"},"requestedBy":{"S":"slack/U456"},"expiresAt":{"N":"1"},"verified":{"BOOL":true}}
            """);
        var image = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

        var plan = ChatCommandPlanner.Plan(new PlanChatCommandRequest { Item = image });

        Assert.Equal((ChatCommandPlan.Approve, "RUN#r-1"), (plan.Action, plan.ApprovalKey!.Pk));
    }
}
