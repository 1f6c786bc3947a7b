using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Issue 15: the approval's task token is kept with the run (pk RUN#&lt;runId&gt;, sk APPROVAL), never sent in a message; the
/// e-mail question says how to answer, and following it (read the token by run id, SendTaskSuccess) approves the run.
/// </summary>
public class ApprovalTokenTests
{
    private const string EmailState = "E-mail the approvers";

    [Fact]
    public void TheTokenIsStoredWithTheRun_AndNoMessageCarriesIt()
    {
        var (rehearsal, summary) = RehearsalKit.Run("approval-refused-at-finalize");
        using var _ = rehearsal;
        var account = rehearsal.Account;

        var put = Assert.Single(account.Calls.Calls, c => c.Name == "dynamodb:PutItem" && c.StateName == "Keep the token with the run");
        var item = put.Parameters.GetObject("Item")!;
        var runId = summary.RunRecord!.GetString("runId")!;
        Assert.Equal($"RUN#{runId}", item.GetObject("pk")!.GetString("S"));
        Assert.Equal("APPROVAL", item.GetObject("sk")!.GetString("S"));
        var token = item.GetObject("taskToken")!.GetString("S")!;
        Assert.True(token.Length > 100, token);

        var messages = account.Service<SnsService>().Messages;
        Assert.Contains(messages, m => m.TopicArn == rehearsal.Deployment.TopicArn && m.Subject!.StartsWith("Finalize the upgrade", StringComparison.Ordinal));
        Assert.All(messages, m => Assert.DoesNotContain(token, m.Message, StringComparison.Ordinal));
        Assert.All(messages, m => Assert.DoesNotContain("taskToken\":\"AQB", m.Message, StringComparison.Ordinal));

        // Answered (refused here): the spent token's item is deleted.
        Assert.Contains(account.Calls.Calls, c => c.Name == "dynamodb:DeleteItem" && c.StateName == "Forget the approval token" && c.Succeeded);
        Assert.Null(ApprovalItem(rehearsal, runId));
        Assert.Equal("RolledBack", summary.Outcome);
    }

    [Fact]
    public void TheEmailSaysHowToAnswer_AndFollowingItsCliStepsApprovesTheRun()
    {
        // approval-timeout: nobody answers, so the run would fail with ApprovalTimedOut. Here an approver follows the e-mail.
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("approval-timeout"));
        var account = rehearsal.Account;
        string? email = null;
        Exception? failure = null;
        // A minute after the e-mail goes out, its reader follows the CLI steps.
        account.Calls.Recorded += call =>
        {
            if (call.StateName != EmailState || !call.Succeeded)
            {
                return;
            }

            account.Scheduler.Schedule(account.Scheduler.Now + TimeSpan.FromMinutes(1), () =>
            {
                try
                {
                    var message = account.Service<SnsService>().Messages.Last(m => m.TopicArn.EndsWith("-approvals", StringComparison.Ordinal));
                    email = message.Message;
                    var runId = email.Split("/bluegreen approve ")[1].Split(' ')[0];
                    // TOKEN=$(aws dynamodb get-item --table-name T --key '{"pk":{"S":"RUN#<runId>"},"sk":{"S":"APPROVAL"}}' --query Item.taskToken.S)
                    using var dynamoDb = account.Service<DynamoDbService>().GetEndpoint().CreateClient();
                    var token = dynamoDb.GetItemAsync(new Amazon.DynamoDBv2.Model.GetItemRequest
                    {
                        TableName = rehearsal.Deployment.TableName,
                        Key = new() { ["pk"] = new() { S = $"RUN#{runId}" }, ["sk"] = new() { S = "APPROVAL" } },
                        ConsistentRead = true,
                    }).GetAwaiter().GetResult().Item["taskToken"].S;
                    // aws stepfunctions send-task-success --task-token "$TOKEN" --task-output '{"approved":true,...}'
                    account.Service<StepFunctionsService>().SendTaskSuccess(token, JObject.Of(("approved", true), ("by", "cli/alice")));
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
        };

        var summary = rehearsal.Run();
        Assert.Null(failure);
        Assert.Equal("Completed", summary.Outcome);

        Assert.Equal("Completed", summary.Outcome);
        Assert.NotNull(email);
        var runIdInRecord = summary.RunRecord!.GetString("runId")!;
        Assert.Contains($"/bluegreen approve {runIdInRecord}", email, StringComparison.Ordinal);
        Assert.Contains($"aws dynamodb get-item --table-name {rehearsal.Deployment.TableName} --key '{{\"pk\":{{\"S\":\"RUN#{runIdInRecord}\"}},\"sk\":{{\"S\":\"APPROVAL\"}}}}' --query Item.taskToken.S --output text", email, StringComparison.Ordinal);
        Assert.Contains("aws stepfunctions send-task-success --task-token \"$TOKEN\" --task-output '{\"approved\":true,\"by\":\"cli/<your name>\"}'", email, StringComparison.Ordinal);
        Assert.Contains("aws stepfunctions send-task-failure --task-token \"$TOKEN\" --error ApprovalRefused", email, StringComparison.Ordinal);
        Assert.Contains("In the console: DynamoDB", email, StringComparison.Ordinal);
        Assert.Contains("cli/alice", summary.RunRecord.GetArray("approvals")!.ToJson(), StringComparison.Ordinal);
        Assert.Null(ApprovalItem(rehearsal, runIdInRecord));
    }

    private static JObject? ApprovalItem(UpgradeRehearsal rehearsal, string runId)
    {
        var account = rehearsal.Account;
        var item = RehearsalKit.Call(account, account.Service<DynamoDbService>(), "GetItem", JObject.Of(
            ("TableName", rehearsal.Deployment.TableName),
            ("Key", JObject.Of(("pk", JObject.Of(("S", $"RUN#{runId}"))), ("sk", JObject.Of(("S", "APPROVAL"))))),
            ("ConsistentRead", true)))!.GetObject("Item");
        return item is null ? null : DynamoDbWorld.FromItem(item);
    }
}
