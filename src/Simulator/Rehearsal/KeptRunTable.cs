using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>A query of the kept run table that DynamoDB refused, or a state folder that holds no run table.</summary>
public sealed class RunTableException(string message) : Exception(message);

/// <summary>
/// The run table that <c>rehearse --state DIR</c> keeps between rehearsals, as a deployed table keeps runs between
/// executions: dynalite's LevelDB files in <c>DIR/dynamodb</c>, and <c>DIR/run-table.json</c> naming the tables and their
/// accounts. <see cref="List"/> reads it the way docs/operating.md's <c>aws dynamodb query</c> commands do.
/// </summary>
public static class KeptRunTable
{
    public const string IndexName = "runsByTime";

    public static string DynamoDbDirectory(string stateDirectory) => Path.Combine(Path.GetFullPath(stateDirectory), "dynamodb");

    private static string DescriptionFile(string stateDirectory) => Path.Combine(Path.GetFullPath(stateDirectory), "run-table.json");

    /// <summary>
    /// Records which table a rehearsal kept, and in which account, for <c>runs list</c>. A deployment's table is named per
    /// account and Region (an imported world is another account), so the folder may keep several: each is listed once.
    /// </summary>
    public static void Describe(string stateDirectory, string tableName, string region, string accountId)
    {
        Directory.CreateDirectory(stateDirectory);
        var entry = JObject.Of(("tableName", tableName), ("region", region), ("account", accountId));
        var tables = Tables(stateDirectory).Where(t => t.GetString("tableName") != tableName).Append(entry);
        File.WriteAllText(DescriptionFile(stateDirectory), JObject.Of(("tables", JArray.From(tables))).ToIndentedJson() + Environment.NewLine);
    }

    /// <summary>
    /// Runs newest first, at most <paramref name="limit"/>, from every kept table (or <paramref name="tableOverride"/>): one
    /// cluster's from the table (<c>pk = CLUSTER#name AND begins_with(sk, RUN#)</c>), else every cluster's from the
    /// <c>runsByTime</c> index (<c>itemType = RUN</c>, by <c>startedAt</c>); a status is a filter. Pages are followed until
    /// the limit is reached, as the AWS CLI's <c>--max-items</c> does (a Query's Limit counts items before the filter).
    /// </summary>
    public static (IReadOnlyList<string> Tables, IReadOnlyList<JObject> Runs) List(string stateDirectory, string? cluster, string? status, int limit, string? tableOverride = null)
    {
        var tables = Tables(stateDirectory);
        if (tables.Count == 0)
        {
            throw new RunTableException($"{stateDirectory} holds no kept run table ({DescriptionFile(stateDirectory)} is missing): rehearse with --state {stateDirectory} first.");
        }

        if (tableOverride is not null)
        {
            tables = [.. tables.Where(t => t.GetString("tableName") == tableOverride)];
            if (tables.Count == 0)
            {
                throw new RunTableException($"--table {tableOverride}: not kept in {stateDirectory} (it keeps {string.Join(", ", Tables(stateDirectory).Select(t => t.GetString("tableName")))}).");
            }
        }

        // dynalite keeps every account's tables in one store: one process serves them all.
        using var host = DynaliteHost.Start(new DynaliteOptions { DataDirectory = DynamoDbDirectory(stateDirectory) });
        var runs = tables.SelectMany(t => Query(host, t.GetString("tableName")!, t.GetString("region")!, cluster, status, limit))
            .OrderByDescending(r => r.GetString("startedAt"), StringComparer.Ordinal).ThenByDescending(r => r.GetString("runId"), StringComparer.Ordinal).Take(limit).ToList();
        return ([.. tables.Select(t => t.GetString("tableName")!)], runs);
    }

    private static List<JObject> Query(DynaliteHost host, string table, string region, string? cluster, string? status, int limit)
    {
        var values = new JObjectBuilder();
        var query = new JObjectBuilder().Add("TableName", table).Add("ScanIndexForward", false);
        if (cluster is null)
        {
            query.Add("IndexName", IndexName).Add("KeyConditionExpression", "itemType = :run");
            values.Add(":run", JObject.Of(("S", "RUN")));
        }
        else
        {
            query.Add("KeyConditionExpression", "pk = :pk AND begins_with(sk, :run)");
            values.Add(":pk", JObject.Of(("S", $"CLUSTER#{cluster}"))).Add(":run", JObject.Of(("S", "RUN#")));
        }

        if (status is not null)
        {
            query.Add("FilterExpression", "#s = :s").Add("ExpressionAttributeNames", JObject.Of(("#s", "status")));
            values.Add(":s", JObject.Of(("S", status)));
        }

        query.Add("ExpressionAttributeValues", values.Build());
        var runs = new List<JObject>();
        for (JObject? start = null; runs.Count < limit;)
        {
            var request = start is null ? query.Build() : query.Build().With("ExclusiveStartKey", start);
            var response = DynamoDbWire.SendAsync(host.Endpoint, region, "Query", request.ToJson(), CancellationToken.None).GetAwaiter().GetResult();
            if (!response.IsSuccess)
            {
                throw new RunTableException($"Query of {table} failed: {response.Body}");
            }

            var page = (JObject)JValue.Parse(response.Body);
            runs.AddRange((page.GetArray("Items") ?? JArray.Empty).OfType<JObject>().Select(DynamoDbWorld.FromItem).Take(limit - runs.Count));
            if ((start = page.GetObject("LastEvaluatedKey")) is null)
            {
                break;
            }
        }

        return runs;
    }

    private static List<JObject> Tables(string stateDirectory) =>
        File.Exists(DescriptionFile(stateDirectory)) && JValue.TryParse(File.ReadAllText(DescriptionFile(stateDirectory)), out var json, out _) && json is JObject o
            ? [.. (o.GetArray("tables") ?? JArray.Empty).OfType<JObject>().Where(t => t.GetString("tableName") is not null && t.GetString("region") is not null)]
            : [];
}
