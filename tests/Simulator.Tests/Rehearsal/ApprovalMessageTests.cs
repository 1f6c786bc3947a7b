using Amazon.DynamoDBv2.Model;
using BlueGreen.Functions.Chat;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Issue 15: with a bot token, ask-approval posts each approval question to the approvals channel with Approve and Reject
/// buttons (chat.postMessage through the HTTP Task and the bot connection). A message Slack refuses (HTTP 200, ok false) or
/// cannot take (5xx after the retries) is recorded on the approval item and reported to the ops channel; the approval stays
/// open and is answered from chat as before.
/// </summary>
public sealed class ApprovalMessageTests
{
    [Fact]
    public void ApprovalQuestion_WithABotToken_PostsOneMessageWithBothButtonsCarryingTheRunId_AndNeverTheToken()
    {
        using var chat = ChatRehearsal.Prepare(Scenario.Load("happy-alb"));

        var runId = StartAndWaitForTheQuestion(chat);

        var message = Assert.Single(chat.Account.Http.Slack.Messages);
        Assert.Equal(ChatRehearsal.Channel, message.Channel);
        Assert.Equal([(SlackRequest.ApproveAction, runId), (SlackRequest.RejectAction, runId)], message.Buttons);
        var token = chat.Account.Calls.Calls.Last(c => c.StateName == "Keep the token with the run").Parameters.GetObject("Item")!.GetObject("taskToken")!.GetString("S")!;
        Assert.DoesNotContain(token, message.Body.ToJson(), StringComparison.Ordinal);
        Assert.Contains("shop-blue", message.Text, StringComparison.Ordinal);
        var approval = ApprovalItem(chat, runId);
        Assert.Equal((message.Channel, message.Ts), (approval["chatChannel"].S, approval["chatMessageTs"].S));
        Assert.False(approval.ContainsKey("chatPostError"));
        Assert.Empty(chat.Account.Denials);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not_in_channel")]
    public void SlackAnswerHandedOverAsText_IsParsedFirst(string? refusal)
    {
        using var chat = ChatRehearsal.Prepare(Scenario.Load("happy-alb"));
        chat.Account.Http.Slack.AnswersAsText = true;
        if (refusal is not null)
        {
            chat.Account.Http.Slack.RefuseNext(refusal);
        }

        var runId = StartAndWaitForTheQuestion(chat);

        var approval = ApprovalItem(chat, runId);
        var askApproval = chat.Account.StepFunctions.Executions.Last(e => e.StateMachineName.EndsWith("-ask-approval", StringComparison.Ordinal));
        Assert.Contains(askApproval.History.Events, e => e.StateName == "Read Slack's answer");
        if (refusal is null)
        {
            Assert.Equal(chat.Account.Http.Slack.Messages.Single().Ts, approval["chatMessageTs"].S);
        }
        else
        {
            Assert.Contains(refusal, approval["chatPostError"].S, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SlackAnswersOkFalse_TheFailureIsRecordedAndReported_AndTheApprovalStillWorksFromChat()
    {
        using var chat = ChatRehearsal.Prepare(Scenario.Load("happy-alb"));
        chat.Account.Http.Slack.RefuseNext("not_in_channel");

        var runId = StartAndWaitForTheQuestion(chat);

        Assert.Empty(chat.Account.Http.Slack.Messages);
        Assert.Contains("not_in_channel", ApprovalItem(chat, runId)["chatPostError"].S, StringComparison.Ordinal);
        Assert.StartsWith("SlackRefused", ApprovalItem(chat, runId)["chatPostError"].S, StringComparison.Ordinal);
        Assert.Contains(chat.Account.Service<SnsService>().Messages, p => p.Subject == "Approval message not posted to Slack");
        AssertApprovedFromChatCompletes(chat, runId);
    }

    [Fact]
    public void WrongBotToken_SlackSaysInvalidAuth_TheApprovalStillWorksFromChat()
    {
        using var chat = ChatRehearsal.Prepare(Scenario.Load("happy-alb"), botTokenHeader: "Bearer xoxb-not-the-apps-token");

        var runId = StartAndWaitForTheQuestion(chat);

        Assert.Empty(chat.Account.Http.Slack.Messages);
        Assert.Contains("invalid_auth", ApprovalItem(chat, runId)["chatPostError"].S, StringComparison.Ordinal);
        AssertApprovedFromChatCompletes(chat, runId);
    }

    [Fact]
    public void TokenWithoutBearer_SlackSaysNotAuthed()
    {
        using var chat = ChatRehearsal.Prepare(Scenario.Load("happy-alb"), botTokenHeader: "xoxb-pasted-without-the-scheme");

        var runId = StartAndWaitForTheQuestion(chat);

        Assert.Contains("not_authed", ApprovalItem(chat, runId)["chatPostError"].S, StringComparison.Ordinal);
    }

    [Fact]
    public void Slack500_Twice_IsRetried_AndTheThirdAttemptPosts()
    {
        using var chat = ChatRehearsal.Prepare(Scenario.Load("happy-alb"));
        chat.Account.Http.Slack.FailNext(500, times: 2);

        var runId = StartAndWaitForTheQuestion(chat);

        Assert.Equal([500, 500, 200], chat.Account.Http.Slack.Requests.Select(r => r.Answer.Status));
        Assert.Single(chat.Account.Http.Slack.Messages);
        Assert.False(ApprovalItem(chat, runId).ContainsKey("chatPostError"));
    }

    [Fact]
    public void Slack500_OnEveryAttempt_GivesUpAfterThreeRetries_RecordsIt_AndTheApprovalStillWorks()
    {
        using var chat = ChatRehearsal.Prepare(Scenario.Load("happy-alb"));
        chat.Account.Http.Slack.FailNext(500, times: 10);

        var runId = StartAndWaitForTheQuestion(chat);

        Assert.Equal(4, chat.Account.Http.Slack.Requests.Count);   // the first attempt and MaxAttempts 3
        Assert.StartsWith("States.Http.StatusCode.500", ApprovalItem(chat, runId)["chatPostError"].S, StringComparison.Ordinal);
        AssertApprovedFromChatCompletes(chat, runId);
    }

    [Fact]
    public void WithoutABotToken_NothingIsPosted_AndTheApprovalItemHasNoChatFields()
    {
        using var chat = ChatRehearsal.Prepare(Scenario.Load("happy-alb"), postApprovals: false);

        var runId = StartAndWaitForTheQuestion(chat);

        Assert.Empty(chat.Account.Http.Slack.Requests);
        Assert.DoesNotContain(ApprovalItem(chat, runId).Keys, k => k.StartsWith("chat", StringComparison.Ordinal));
        Assert.DoesNotContain(chat.Account.Calls.Calls, c => c.StateName == "Write the approval message");
    }

    private static string StartAndWaitForTheQuestion(ChatRehearsal chat)
    {
        Assert.Equal(200, chat.SlashCommand("U123", "upgrade shop-blue 1.34").StatusCode);
        chat.Account.Scheduler.RunUntil(() => chat.Account.Calls.Calls.Any(c => c.StateName == ApprovalResponder.QuestionState && c.Succeeded)
            || chat.Account.StepFunctions.Executions.Any(e => e.StateMachineArn == chat.Deployment.UpgradeStateMachineArn && !e.IsRunning));
        var put = chat.Account.Calls.Calls.Last(c => c.StateName == "Keep the token with the run");
        return put.Parameters.GetObject("Item")!.GetObject("runId")!.GetString("S")!;
    }

    private static Dictionary<string, AttributeValue> ApprovalItem(ChatRehearsal chat, string runId)
    {
        using var client = chat.DynamoDb.CreateClient();
        return client.GetItemAsync(new GetItemRequest
        {
            TableName = chat.Deployment.TableName,
            Key = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "RUN#" + runId }, ["sk"] = new() { S = "APPROVAL" } },
            ConsistentRead = true,
        }).GetAwaiter().GetResult().Item;
    }

    private static void AssertApprovedFromChatCompletes(ChatRehearsal chat, string runId)
    {
        Assert.Equal(200, chat.SlashCommand("U456", $"approve {runId}").StatusCode);
        chat.Account.RunUntilSettled(chat.Account.Scheduler.Now);
        var upgrade = Assert.Single(chat.Account.StepFunctions.Executions, e => e.StateMachineArn == chat.Deployment.UpgradeStateMachineArn);
        Assert.Equal("SUCCEEDED", upgrade.StatusName);
    }
}
