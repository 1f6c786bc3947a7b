using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace BlueGreen.Functions.Chat.Aws;

/// <summary>
/// The chat endpoint's DynamoDB: the chat table (replay guard and command items) and, read only, the run records.
/// <para>Chat table keys: a remembered request is <c>pk = REPLAY#&lt;signature&gt;, sk = REPLAY</c>, put only if absent
/// (<c>attribute_not_exists(pk)</c>; a second put of the same key fails with <c>ConditionalCheckFailedException</c>,
/// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html). A command item is
/// <c>pk = CLUSTER#&lt;cluster&gt;</c> (or <c>UNSCOPED#&lt;day&gt;</c> for one that names no cluster), <c>sk = CMD#&lt;time&gt;#&lt;id&gt;</c>,
/// so a Query on pk lists a cluster's commands by time; <c>userKey = USER#&lt;team&gt;/&lt;user&gt;</c> is the partition key of the
/// <c>commandsByUser</c> index (sort key sk) for one person's commands. Both expire through TTL on <c>expiresAt</c>, in
/// epoch seconds as TTL requires (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-before-you-start.html):
/// 15 minutes for requests (the refusal of stale timestamps covers the time after), 400 days for commands.</para>
/// </summary>
public sealed class DynamoDbChatStore(IAmazonDynamoDB dynamoDb, string chatTable, string runsTable) : IChatStore
{
    /// <summary>The run records' index by time (DeploymentManifest.RunIndexes) and the chat table's index by user.</summary>
    public const string RunsByTimeIndex = "runsByTime";

    public const string CommandsByUserIndex = "commandsByUser";

    /// <summary>Pages of the runs index read to find a run id before giving up (each page is up to 1 MB).</summary>
    public const int MaxRunPages = 10;

    public async Task<bool> RememberRequestAsync(string signature, DateTimeOffset expiresAt, CancellationToken cancellation)
    {
        try
        {
            await dynamoDb.PutItemAsync(new PutItemRequest
            {
                TableName = chatTable,
                Item = new Dictionary<string, AttributeValue>
                {
                    ["pk"] = S("REPLAY#" + signature),
                    ["sk"] = S("REPLAY"),
                    ["itemType"] = S("REPLAY"),
                    ["expiresAt"] = N(expiresAt.ToUnixTimeSeconds()),
                },
                ConditionExpression = "attribute_not_exists(pk)",
            }, cancellation).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public Task RecordAsync(ChatAuditRecord record, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(record);
        var at = record.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var item = new Dictionary<string, AttributeValue>
        {
            ["pk"] = S(record.Cluster is { } c ? "CLUSTER#" + c : "UNSCOPED#" + at[..10]),
            ["sk"] = S($"CMD#{at}#{record.CommandId}"),
            ["itemType"] = S("COMMAND"),
            ["commandId"] = S(record.CommandId),
            ["at"] = S(at),
            ["decision"] = S(record.Decision),
            ["decisionCode"] = S(record.DecisionCode),
            ["decisionReason"] = S(record.DecisionReason),
            ["status"] = S(record.Status),
            ["verified"] = new AttributeValue { BOOL = record.Verified },
            ["expiresAt"] = N(record.ExpiresAt.ToUnixTimeSeconds()),
        };
        Put(item, "source", record.Source);
        Put(item, "teamId", record.TeamId);
        Put(item, "channelId", record.ChannelId);
        Put(item, "userId", record.UserId);
        Put(item, "userKey", record.UserId is { } u ? $"USER#{record.TeamId}/{u}" : null);
        Put(item, "text", record.Text);
        Put(item, "clusterName", record.Cluster);
        Put(item, "executionArn", record.ExecutionArn);
        Put(item, "responseUrl", record.ResponseUrl);
        if (record.Command is { } command)
        {
            Put(item, "verb", command.Verb);
            Put(item, "targetVersion", command.Version);
            Put(item, "profile", command.Profile);
            Put(item, "runId", command.Run);
            Put(item, "reason", command.Reason);
            Put(item, "operation", command.Operation);
            Put(item, "days", command.Days?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Put(item, "requestedBy", record.UserId is { } user ? ChatReplies.RequestedBy(user) : null);
        }

        return dynamoDb.PutItemAsync(new PutItemRequest { TableName = chatTable, Item = item, ConditionExpression = "attribute_not_exists(pk)" }, cancellation);
    }

    public async Task<ChatRun?> FindRunAsync(string runId, CancellationToken cancellation)
    {
        Dictionary<string, AttributeValue>? start = null;
        for (var page = 0; page < MaxRunPages; page++)
        {
            var response = await dynamoDb.QueryAsync(new QueryRequest
            {
                TableName = runsTable,
                IndexName = RunsByTimeIndex,
                KeyConditionExpression = "itemType = :run",
                FilterExpression = "runId = :id",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":run"] = S("RUN"), [":id"] = S(runId) },
                ScanIndexForward = false,
                ExclusiveStartKey = start,
            }, cancellation).ConfigureAwait(false);
            if (response.Items is { Count: > 0 } items)
            {
                return Run(items[0]);
            }

            start = response.LastEvaluatedKey;
            if (start is not { Count: > 0 })
            {
                return null;
            }
        }

        return null;
    }

    public async Task<IReadOnlyList<ChatRun>> RecentRunsAsync(string? cluster, int limit, CancellationToken cancellation)
    {
        var request = cluster is null
            ? new QueryRequest
            {
                TableName = runsTable,
                IndexName = RunsByTimeIndex,
                KeyConditionExpression = "itemType = :run",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":run"] = S("RUN") },
            }
            : new QueryRequest
            {
                TableName = runsTable,
                KeyConditionExpression = "pk = :pk AND begins_with(sk, :runs)",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":pk"] = S("CLUSTER#" + cluster), [":runs"] = S("RUN#") },
            };
        request.ScanIndexForward = false;
        request.Limit = limit;
        var response = await dynamoDb.QueryAsync(request, cancellation).ConfigureAwait(false);
        return [.. (response.Items ?? []).Select(Run)];
    }

    private static ChatRun Run(Dictionary<string, AttributeValue> item)
    {
        string? Text(string name) => item.TryGetValue(name, out var v) ? v.S : null;
        int? Weight(string name) => item.TryGetValue("weights", out var w) && w.M is { } m && m.TryGetValue(name, out var n) && n.N is { } number
            ? int.Parse(number, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : null;
        return new ChatRun(Text("runId") ?? "?", Text("clusterName") ?? "?", Text("targetVersion"), Text("requestedBy"), Text("status"), Text("phase"),
            Weight("blue"), Weight("green"), Text("startedAt"), Text("executionArn"), Text("outcome"));
    }

    private static void Put(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            item[name] = S(value);
        }
    }

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
