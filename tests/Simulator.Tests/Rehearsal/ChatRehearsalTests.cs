using Amazon.DynamoDBv2.Model;
using BlueGreen.Functions.Chat;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// The chat function from its code package, against the simulated account's DynamoDB (dynalite) and the local SSM
/// endpoint: the replay guard's conditional put, the audit items' keys, index and TTL, the run lookup, and the secret read once.
/// </summary>
public sealed class ChatRehearsalTests : IDisposable
{
    private const string RunId = "shop-blue-to-1-34-0a1b2c3d";
    private readonly ChatRehearsal _chat = ChatRehearsal.Prepare(Scenario.Load("happy-alb"));

    public void Dispose() => _chat.Dispose();

    [Fact]
    public void ExactReplay_IsRefusedByTheConditionalPut_AndOnlyTheFirstIsPending()
    {
        var signed = _chat.Sign(Body("upgrade shop-blue 1.34"), null, null);

        var first = _chat.Post(signed);
        var replay = _chat.Post(signed);

        Assert.Equal((200, 401), (first.StatusCode, replay.StatusCode));
        var records = _chat.AuditRecords();
        Assert.Equal(["accepted", "replayed"], records.Select(r => r["decisionCode"].S));
        Assert.Single(records, r => r["status"].S == ChatAuditRecord.Pending);
    }

    [Fact]
    public void ForgedAndStaleRequests_AreRefusedAndAuditedAsUnverified()
    {
        var forged = _chat.SlashCommand("U123", "upgrade shop-blue 1.34", secret: "not the app's secret"u8.ToArray());
        var stale = _chat.SlashCommand("U123", "upgrade shop-blue 1.34", signedAt: DateTimeOffset.UtcNow.AddMinutes(-6));

        Assert.Equal((401, 401), (forged.StatusCode, stale.StatusCode));
        Assert.All(_chat.AuditRecords(), r => Assert.Equal((false, "refused"), (r["verified"].BOOL ?? true, r["decision"].S)));
        Assert.Equal(["forged", "stale"], _chat.AuditRecords().Select(r => r["decisionCode"].S));
    }

    [Fact]
    public async Task AcceptedUpgrade_IsACommandItemQueryablePerClusterAndPerUser_KeptFor400Days()
    {
        _chat.SlashCommand("U123", "/bluegreen upgrade shop-blue 1.34 canary");
        using var client = _chat.DynamoDb.CreateClient();

        var byCluster = (await client.QueryAsync(new QueryRequest
        {
            TableName = _chat.ChatTableName,
            KeyConditionExpression = "pk = :pk AND begins_with(sk, :cmd)",
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue("CLUSTER#shop-blue"), [":cmd"] = new AttributeValue("CMD#") },
        })).Items;
        var byUser = (await client.QueryAsync(new QueryRequest
        {
            TableName = _chat.ChatTableName,
            IndexName = "commandsByUser",
            KeyConditionExpression = "userKey = :u",
            ExpressionAttributeValues = new() { [":u"] = new AttributeValue("USER#T0REHEARSAL/U123") },
        })).Items;

        var item = Assert.Single(byCluster);
        Assert.Equal(item["commandId"].S, Assert.Single(byUser)["commandId"].S);
        Assert.Equal(("upgrade", "1.34", "canary", "slack/U123", "pending"), (item["verb"].S, item["targetVersion"].S, item["profile"].S, item["requestedBy"].S, item["status"].S));
        Assert.StartsWith("https://hooks.slack.com/commands/", item["responseUrl"].S, StringComparison.Ordinal);
        var kept = DateTimeOffset.FromUnixTimeSeconds(long.Parse(item["expiresAt"].N, System.Globalization.CultureInfo.InvariantCulture)) - DateTimeOffset.UtcNow;
        Assert.InRange(kept.TotalDays, 399.9, 400.1);
    }

    [Fact]
    public void ApproveButton_FindsTheRunInTheRunRecords_AndRefusesItsOwnStarter()
    {
        RecordRun(RunId, "shop-blue", "slack/U456");

        var own = _chat.ClickButton("U456", SlackRequest.ApproveAction, RunId);
        var other = _chat.ClickButton("U457", SlackRequest.ApproveAction, RunId);

        Assert.Contains("someone else must approve it", own.Text, StringComparison.Ordinal);
        Assert.Equal("in_channel", other.ResponseType);
        var accepted = _chat.AuditRecords()[^1];
        Assert.Equal(($"arn:aws:states:{_chat.Account.Region}:{_chat.Account.AccountId}:execution:x:{RunId}", RunId, "pending"),
            (accepted["executionArn"].S, accepted["runId"].S, accepted["status"].S));
    }

    [Fact]
    public void Status_ReadsTheNewestRunRecordOfTheCluster()
    {
        RecordRun(RunId, "shop-blue", "console/alice");

        var reply = _chat.SlashCommand("U789", "status shop-blue");

        Assert.Contains($"shop-blue run {RunId} to 1.34: Running, phase Shifting traffic, Blue 75% · Green 25%", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SigningSecret_IsReadFromSsmOncePerExecutionEnvironment()
    {
        _chat.SlashCommand("U123", "help");
        _chat.SlashCommand("U123", "status");
        _chat.SlashCommand("U789", "status shop-blue");

        Assert.Equal(1, _chat.Ssm.GetParameterCalls);
    }

    private static string Body(string text) =>
        $"team_id={ChatRehearsal.Team}&channel_id={ChatRehearsal.Channel}&user_id=U123&command=%2Fbluegreen&text={Uri.EscapeDataString(text)}&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2Fx";

    private void RecordRun(string runId, string cluster, string requestedBy)
    {
        using var client = _chat.DynamoDb.CreateClient();
        const string StartedAt = "2026-12-05T05:00:00Z";
        client.PutItemAsync(new PutItemRequest
        {
            TableName = _chat.Deployment.TableName,
            Item = new()
            {
                ["pk"] = new AttributeValue("CLUSTER#" + cluster),
                ["sk"] = new AttributeValue($"RUN#{StartedAt}#{runId}"),
                ["itemType"] = new AttributeValue("RUN"),
                ["startedAt"] = new AttributeValue(StartedAt),
                ["runId"] = new AttributeValue(runId),
                ["clusterName"] = new AttributeValue(cluster),
                ["targetVersion"] = new AttributeValue("1.34"),
                ["requestedBy"] = new AttributeValue(requestedBy),
                ["status"] = new AttributeValue("Running"),
                ["phase"] = new AttributeValue("Shifting traffic"),
                ["weights"] = new AttributeValue { M = new() { ["blue"] = new AttributeValue { N = "75" }, ["green"] = new AttributeValue { N = "25" } } },
                ["executionArn"] = new AttributeValue($"arn:aws:states:{_chat.Account.Region}:{_chat.Account.AccountId}:execution:x:{runId}"),
            },
        }).GetAwaiter().GetResult();
    }
}
