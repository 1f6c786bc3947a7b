using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Fleet;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Issue 15: <c>schedule list|cancel|postpone</c> from chat act on the one-time schedules the end-of-support scan created,
/// through chat-command's Scheduler SDK integrations, and leave a hold the next daily scan honours (otherwise it would put
/// a cancelled schedule back, or move a postponed one back to its window, the next day).
/// </summary>
public sealed class ChatScheduleTests : IDisposable
{
    private const string Schedule = "eos.shop-blue.1.35";

    private readonly ChatRehearsal _chat = ChatRehearsal.Prepare(Scenario.Load("eos-scan"), postApprovals: false);

    public void Dispose() => _chat.Dispose();

    private SimulatedAccount Account => _chat.Account;

    [Fact]
    public void List_RepliesWithTheClustersSchedule_AndChangesNothing()
    {
        EndOfSupportScanRun.Run(_chat.Deployment, name: "scan-1");
        var before = Expression();

        var reply = Send("U789", "schedule list shop-blue");

        Assert.Equal(200, reply.StatusCode);
        Assert.Contains($"{Schedule}: {before}", LastFollowUp(), StringComparison.Ordinal);
        Assert.Equal(before, Expression());
        Assert.Equal("done", LastCommand()["status"].S);
    }

    [Fact]
    public void Postpone_MovesTheScheduleByWholeDays_AndTheNextScanKeepsIt()
    {
        EndOfSupportScanRun.Run(_chat.Deployment, name: "scan-1");
        var before = Expression()!;

        Send("U123", "schedule postpone shop-blue 1");
        var after = Expression()!;
        var scan = EndOfSupportScanRun.Run(_chat.Deployment, name: "scan-2");

        Assert.Equal(DateTime.Parse(before[3..^1], System.Globalization.CultureInfo.InvariantCulture).AddDays(1), DateTime.Parse(after[3..^1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("Postponed by 1 day(s)", LastFollowUp(), StringComparison.Ordinal);
        Assert.Equal(after, Expression());   // a scan without the hold moves it back to the profile's window (the test below)
        var decision = scan.Decisions.Single(d => d.GetString("clusterName") == "shop-blue");
        Assert.Equal(("keep", true), (decision.GetString("action"), decision.GetBool("held")));
        Assert.Contains("postponed from chat by slack/U123", decision.GetString("reason"), StringComparison.Ordinal);
    }

    [Fact]
    public void Postpone_WithoutTheHold_IsMovedBackByTheNextScan()
    {
        EndOfSupportScanRun.Run(_chat.Deployment, name: "scan-1");
        var before = Expression();
        Send("U123", "schedule postpone shop-blue 1");
        DeleteHold("shop-blue");

        EndOfSupportScanRun.Run(_chat.Deployment, name: "scan-2");

        Assert.Equal(before, Expression());
    }

    [Fact]
    public void Cancel_DeletesTheSchedule_AndTheNextScanDoesNotPutItBack()
    {
        EndOfSupportScanRun.Run(_chat.Deployment, name: "scan-1");
        Assert.NotNull(Expression());

        Send("U123", "schedule cancel shop-blue");
        var scan = EndOfSupportScanRun.Run(_chat.Deployment, name: "scan-2");

        Assert.Null(Expression());
        Assert.Contains($"Cancelled {Schedule}", LastFollowUp(), StringComparison.Ordinal);
        var decision = scan.Decisions.Single(d => d.GetString("clusterName") == "shop-blue");
        Assert.Equal(("none", true), (decision.GetString("action"), decision.GetBool("held")));
        Assert.Equal("done", LastCommand()["status"].S);
        Assert.Empty(Account.Denials);
    }

    [Fact]
    public void CancelByAViewer_IsRefused_AndTheScheduleStays()
    {
        EndOfSupportScanRun.Run(_chat.Deployment, name: "scan-1");

        var reply = Send("U789", "schedule cancel shop-blue");

        Assert.Equal("not-authorized", LastCommand()["decisionCode"].S);
        Assert.Contains("operator", reply.Text, StringComparison.Ordinal);
        Assert.NotNull(Expression());
    }

    private ChatReply Send(string user, string text)
    {
        var reply = _chat.SlashCommand(user, text);
        Account.RunUntilSettled(Account.Scheduler.Now);
        return reply;
    }

    private string? Expression()
    {
        var context = new AwsCallContext { Account = Account, Cancellation = CancellationToken.None, StateName = "test" };
        JObject? found = null;
        Account.Scheduler.Run(async () =>
        {
            var listed = (JObject)await Account.CallAsync(Account.Service<BlueGreen.Simulator.Aws.Services.Scheduler.SchedulerService>(), "ListSchedules", JObject.Of(("NamePrefix", Schedule)), context);
            found = listed.GetArray("Schedules")!.Count == 0 ? null
                : (JObject)await Account.CallAsync(Account.Service<BlueGreen.Simulator.Aws.Services.Scheduler.SchedulerService>(), "GetSchedule", JObject.Of(("Name", Schedule)), context);
        });
        return found?.GetString("ScheduleExpression");
    }

    private void DeleteHold(string cluster)
    {
        using var client = _chat.DynamoDb.CreateClient();
        client.DeleteItemAsync(_chat.Deployment.TableName, new Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>
        {
            ["pk"] = new() { S = "CLUSTER#" + cluster },
            ["sk"] = new() { S = "EOS#HOLD" },
        }).GetAwaiter().GetResult();
    }

    private string LastFollowUp() => ((JObject)Account.Http.Posts[^1].Body!).GetString("text") ?? string.Empty;

    private Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> LastCommand() => _chat.AuditRecords()[^1];
}
