using BlueGreen.Functions.Chat;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Issue 15, slice 3: chat-command acts on accepted commands. An upgrade typed in chat starts the upgrade with the matching
/// profile's input (requestedBy slack/&lt;user&gt;); an Approve click by another person answers the gate with the token kept
/// with the run; a reject refuses it; an abort stops the run and is confirmed once restore-blue has released the lock. Each
/// command item ends with its outcome and the execution it touched.
/// </summary>
public sealed class ChatCommandWorkflowTests : IDisposable
{
    private readonly ChatRehearsal _chat = ChatRehearsal.Prepare(Scenario.Load("happy-alb"));

    public void Dispose() => _chat.Dispose();

    private SimulatedAccount Account => _chat.Account;

    [Fact]
    public void UpgradeFromChat_ApprovedByAnotherPersonsButton_Completes()
    {
        var runId = StartAndWaitForTheApprovalQuestion("U123");

        var click = _chat.ClickButton("U456", SlackRequest.ApproveAction, runId);
        Account.RunUntilSettled(Account.Scheduler.Now);

        Assert.Equal(200, click.StatusCode);
        var upgrade = Assert.Single(Account.StepFunctions.Executions, e => e.StateMachineArn == _chat.Deployment.UpgradeStateMachineArn);
        Assert.Equal("SUCCEEDED", upgrade.StatusName);
        Assert.StartsWith("chat-c-", upgrade.Name, StringComparison.Ordinal);
        Assert.Equal("slack/U123", ((JObject)upgrade.Input).GetString("requestedBy"));
        Assert.Equal(100, TrafficProbe.Weights(Account, upgrade.Input)!.Green);

        var commands = Commands();
        var start = Assert.Single(commands, c => c["verb"].S == "upgrade");
        Assert.Equal(("done", upgrade.Arn), (start["status"].S, start["touchedExecutionArn"].S));
        var approve = Assert.Single(commands, c => c["verb"].S == "approve");
        Assert.Equal(("done", upgrade.Arn), (approve["status"].S, approve["touchedExecutionArn"].S));
        Assert.StartsWith("Approved (beforeTraffic)", approve["outcome"].S, StringComparison.Ordinal);
        Assert.Empty(Account.Denials);
    }

    [Fact]
    public void RejectFromChat_RefusesTheGate_AndTheRunFailsBeforeTraffic()
    {
        var runId = StartAndWaitForTheApprovalQuestion("U123");

        var reject = _chat.SlashCommand("U457", $"reject {runId} latency budget spent");
        Account.RunUntilSettled(Account.Scheduler.Now);

        Assert.Equal(200, reject.StatusCode);
        var upgrade = Assert.Single(Account.StepFunctions.Executions, e => e.StateMachineArn == _chat.Deployment.UpgradeStateMachineArn);
        Assert.Equal("FAILED", upgrade.StatusName);
        Assert.Equal("ApprovalRefused", upgrade.Error);
        Assert.Contains("latency budget spent", upgrade.Cause, StringComparison.Ordinal);
        Assert.Equal(0, TrafficProbe.Weights(Account, upgrade.Input)!.Green);
        Assert.Equal("done", Assert.Single(Commands(), c => c["verb"].S == "reject")["status"].S);
    }

    [Fact]
    public void AbortFromChat_DuringTheCanary_StopsTheRun_AndConfirmsOnceTrafficIsBackOnBlue()
    {
        var runId = StartAndWaitForTheApprovalQuestion("U123");
        _chat.ClickButton("U456", SlackRequest.ApproveAction, runId);
        var upgrade = Account.StepFunctions.Executions.Single(e => e.StateMachineArn == _chat.Deployment.UpgradeStateMachineArn);
        Account.Scheduler.RunUntil(() => TrafficProbe.Weights(Account, upgrade.Input)!.Green >= 10 || !upgrade.IsRunning);
        Assert.Equal(10, TrafficProbe.Weights(Account, upgrade.Input)!.Green);   // the profile's canary step

        var abort = _chat.SlashCommand("U123", $"abort {runId}");
        Account.RunUntilSettled(Account.Scheduler.Now);

        Assert.Equal(200, abort.StatusCode);
        Assert.Equal("ABORTED", upgrade.StatusName);
        Assert.Equal("Stopped from chat by slack/U123", upgrade.Cause);
        Assert.Equal(0, TrafficProbe.Weights(Account, upgrade.Input)!.Green);
        var command = Assert.Single(Commands(), c => c["verb"].S == "abort");
        Assert.Equal(("done", upgrade.Arn), (command["status"].S, command["touchedExecutionArn"].S));
        Assert.Contains("restore-blue put the traffic back on Blue", command["outcome"].S, StringComparison.Ordinal);

        // The confirmation is posted to the abort's response_url, through the HTTP Task and the Slack connection.
        var post = Account.Http.Posts[^1];
        Assert.Equal(("POST", "https://hooks.slack.com/commands/T0REHEARSAL/1/rehearsal"), (post.Method, post.Url));
        Assert.Equal(command["outcome"].S, ((JObject)post.Body!).GetString("text"));
        Assert.Equal(3, Account.Http.Posts.Count(p => p.Url.StartsWith("https://hooks.slack.com/", StringComparison.Ordinal)));   // upgrade started, approved, aborted
        Assert.Single(Account.Http.Posts, p => p.Url == "https://slack.com/api/chat.postMessage");   // ask-approval's message with the buttons
        Assert.Empty(Account.Denials);
    }

    [Fact]
    public void FollowUp_WithoutInvokeHttpEndpoint_IsRefusedByIam_AndTheCommandStillCounts()
    {
        var manifest = _chat.Deployment.Manifest!;
        var role = $"arn:aws:iam::{Account.AccountId}:role/{BlueGreen.Deployment.DeploymentManifest.ExecutionRoleName(manifest.StateMachine("chat-command"), Account.Region)}";
        Account.Service<BlueGreen.Simulator.Aws.Iam.IamService>().Role(role)!.RemoveAction("states:InvokeHTTPEndpoint");

        StartAndWaitForTheApprovalQuestion("U123");

        Assert.DoesNotContain(Account.Http.Posts, p => p.Url.StartsWith("https://hooks.slack.com/", StringComparison.Ordinal));
        Assert.Contains(Account.Denials, d => d.Action == "states:InvokeHTTPEndpoint" && d.StateName == "Tell the user");
        Assert.DoesNotContain(Account.Denials, d => d.StateName == "Post the approval message to Slack");   // ask-approval has its own role
        Assert.Equal("done", Assert.Single(Commands(), c => c["verb"].S == "upgrade")["status"].S);
    }

    [Fact]
    public void ApproveWhenNothingWaits_IsAuditedAsFailed()
    {
        var runId = StartAndWaitForTheApprovalQuestion("U123");
        _chat.ClickButton("U456", SlackRequest.ApproveAction, runId);
        Account.RunUntilSettled(Account.Scheduler.Now);

        _chat.ClickButton("U457", SlackRequest.ApproveAction, runId);
        Account.RunUntilSettled(Account.Scheduler.Now);

        var second = Commands().Where(c => c["verb"].S == "approve").OrderBy(c => c["sk"].S, StringComparer.Ordinal).Last();
        Assert.Equal("failed", second["status"].S);
        Assert.StartsWith("NoOpenApproval", second["outcome"].S, StringComparison.Ordinal);
        Assert.Equal("Your command did not go through: NoOpenApproval", ((JObject)Account.Http.Posts[^1].Body!).GetString("text"));
    }

    /// <summary>Types the upgrade as <paramref name="user"/> and runs the clock until the gate has asked; the run id, or empty when nothing started.</summary>
    private string StartAndWaitForTheApprovalQuestion(string user)
    {
        var reply = _chat.SlashCommand(user, "upgrade shop-blue 1.34");
        if (reply.StatusCode != 200)
        {
            return string.Empty;
        }

        Account.Scheduler.RunUntil(() => Account.Calls.Calls.Any(c => c.StateName == ApprovalResponder.QuestionState && c.Succeeded)
            || Account.StepFunctions.Executions.Any(e => e.StateMachineArn == _chat.Deployment.UpgradeStateMachineArn && !e.IsRunning));
        var put = Account.Calls.Calls.LastOrDefault(c => c.StateName == "Keep the token with the run")
            ?? throw new InvalidOperationException("No approval was asked: " + string.Join("; ", Account.StepFunctions.Executions.Select(e => $"{e.Name} {e.StatusName} {e.Error} {e.Cause}"))
                + " | " + string.Join("; ", _chat.AuditRecords().Select(r => $"{r["decisionCode"].S} {r["status"].S} {(r.TryGetValue("outcome", out var o) ? o.S : "")}")));
        return put.Parameters.GetObject("Item")!.GetObject("runId")!.GetString("S")!;
    }

    private List<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>> Commands() =>
        [.. _chat.AuditRecords().Where(r => r["decision"].S == "accepted")];
}
