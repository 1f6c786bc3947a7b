using System.Globalization;
using System.Text;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.DynamoDb;

/// <summary>One table's stream: its ARN, view type, key attributes and the records written so far (one shard).</summary>
public sealed class StreamOfTable(string arn, string table, string viewType, string partitionKey, string? sortKey)
{
    internal Dictionary<string, JObject> Snapshot { get; } = new(StringComparer.Ordinal);

    internal List<JObject> RecordList { get; } = [];

    public string Arn { get; } = arn;

    public string Table { get; } = table;

    public string ViewType { get; } = viewType;

    public string PartitionKey { get; } = partitionKey;

    public string? SortKey { get; } = sortKey;

    /// <summary>Every record, oldest first (the shard never closes: a rehearsal is shorter than a shard's 4-hour life).</summary>
    public IReadOnlyList<JObject> Records => RecordList;
}

/// <summary>
/// DynamoDB Streams, emulated: dynalite has none. A table's stream is enabled before DynamoDB starts; when it starts, the
/// table's items are its baseline (a stream only carries changes made after it was enabled). After every call that may have
/// written the table (a DynamoDB write through the account, or a Lambda invocation, since functions such as the chat endpoint
/// write through AWSSDK.DynamoDBv2 straight to dynalite) the table is read again and each difference becomes a record in
/// the shape of the DynamoDB Streams <c>Record</c> (<c>eventID</c>, <c>eventName</c> INSERT | MODIFY | REMOVE,
/// <c>eventVersion</c>, <c>eventSource</c> aws:dynamodb, <c>awsRegion</c>, <c>dynamodb</c> {ApproximateCreationDateTime,
/// Keys, NewImage, SequenceNumber, SizeBytes, StreamViewType}, <c>eventSourceARN</c>:
/// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html,
/// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html). Two writes of one item
/// between two reads make one record, which no consumer of this product depends on (it reacts to new command items).
/// The reads are not calls of the account: they appear in no call log and no IAM check.
/// </summary>
public sealed class DynamoDbStreams
{
    private readonly Dictionary<string, StreamOfTable> _byTable = new(StringComparer.Ordinal);
    private long _sequence = 100_000_000_000_000_000;
    private bool _requested;

    /// <summary>Raised on the scheduler thread when records were appended to a stream.</summary>
    public event Action<StreamOfTable>? RecordsAppended;

    public IReadOnlyCollection<StreamOfTable> Streams => _byTable.Values;

    /// <summary>Reads of stream tables started and not yet finished (a rehearsal waits for them).</summary>
    public int CapturesInProgress { get; private set; }

    public StreamOfTable? ForTable(string table) => _byTable.GetValueOrDefault(table);

    public StreamOfTable? ByArn(string arn) => _byTable.Values.FirstOrDefault(s => s.Arn == arn);

    /// <summary>
    /// Enables the stream of <paramref name="table"/> (before DynamoDB is first used, like adding the table). The ARN ends
    /// with the stream label, the time it was enabled.
    /// </summary>
    public StreamOfTable Enable(SimulatedAccount account, string table, string viewType, string partitionKey, string? sortKey)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (viewType is not ("KEYS_ONLY" or "NEW_IMAGE" or "OLD_IMAGE" or "NEW_AND_OLD_IMAGES"))
        {
            throw new AwsServiceException("ValidationException", $"StreamViewType {viewType} is not one of KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES.");
        }

        var label = account.Scheduler.Now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var stream = new StreamOfTable(account.Arn("dynamodb", $"table/{table}/stream/{label}"), table, viewType, partitionKey, sortKey);
        _byTable[table] = stream;
        return stream;
    }

    /// <summary>The items present when DynamoDB starts are no changes: they become each stream's starting point.</summary>
    internal async Task BaselineAsync(Uri endpoint, string region)
    {
        foreach (var stream in _byTable.Values)
        {
            foreach (var item in await ScanAsync(endpoint, region, stream.Table).ConfigureAwait(false))
            {
                stream.Snapshot[KeyOf(stream, item)] = item;
            }
        }
    }

    /// <summary>
    /// After a call that may have written a stream table: reads the tables again (once, however many calls asked before the
    /// read started) and appends their changes. Counted in <see cref="CapturesInProgress"/> from the moment it is asked for.
    /// </summary>
    internal void RequestCapture(SimulatedAccount account, Uri endpoint)
    {
        if (_requested)
        {
            return;
        }

        _requested = true;
        CapturesInProgress++;
        account.Scheduler.Post(() => _ = CaptureAsync(account, endpoint));
    }

    private async Task CaptureAsync(SimulatedAccount account, Uri endpoint)
    {
        _requested = false;
        try
        {
            foreach (var stream in _byTable.Values)
            {
                var items = await account.Scheduler.External(ScanAsync(endpoint, account.Region, stream.Table));
                if (Diff(account, stream, items))
                {
                    RecordsAppended?.Invoke(stream);
                }
            }
        }
        finally
        {
            CapturesInProgress--;
        }
    }

    /// <summary>Whether a call may have written a stream table: a write naming one, or any function invocation (Lambda counts Invoke as read-only).</summary>
    internal bool MayHaveWritten(AwsCallRecord call) =>
        _byTable.Count > 0 && (call.Service == "lambda" && call.Action == "Invoke"
            || call.Mutating && call.Service == "dynamodb" && call.Parameters.GetString("TableName") is { } table && _byTable.ContainsKey(table));

    private bool Diff(SimulatedAccount account, StreamOfTable stream, IReadOnlyList<JObject> items)
    {
        var now = new Dictionary<string, JObject>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            now[KeyOf(stream, item)] = item;
        }

        var appended = false;
        foreach (var (key, item) in now.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!stream.Snapshot.TryGetValue(key, out var before))
            {
                Append(account, stream, "INSERT", item, null);
                appended = true;
            }
            else if (before.ToJson() != item.ToJson())
            {
                Append(account, stream, "MODIFY", item, before);
                appended = true;
            }
        }

        foreach (var (key, before) in stream.Snapshot.Where(p => !now.ContainsKey(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).ToList())
        {
            Append(account, stream, "REMOVE", null, before);
            appended = true;
        }

        stream.Snapshot.Clear();
        foreach (var (key, item) in now)
        {
            stream.Snapshot[key] = item;
        }

        return appended;
    }

    private void Append(SimulatedAccount account, StreamOfTable stream, string eventName, JObject? newImage, JObject? oldImage)
    {
        var image = newImage ?? oldImage!;
        var keys = new JObjectBuilder().Add(stream.PartitionKey, image[stream.PartitionKey]!);
        if (stream.SortKey is { } sk && image[sk] is { } sortValue)
        {
            keys.Add(sk, sortValue);
        }

        var record = new JObjectBuilder()
            .Add("ApproximateCreationDateTime", account.Scheduler.Now.ToUnixTimeSeconds())
            .Add("Keys", keys.Build());
        if (newImage is not null && stream.ViewType is "NEW_IMAGE" or "NEW_AND_OLD_IMAGES")
        {
            record.Add("NewImage", newImage);
        }

        if (oldImage is not null && stream.ViewType is "OLD_IMAGE" or "NEW_AND_OLD_IMAGES")
        {
            record.Add("OldImage", oldImage);
        }

        _sequence += 100;
        record.Add("SequenceNumber", _sequence.ToString(CultureInfo.InvariantCulture))
            .Add("SizeBytes", Encoding.UTF8.GetByteCount(image.ToJson()))
            .Add("StreamViewType", stream.ViewType);
        stream.RecordList.Add(new JObjectBuilder()
            .Add("eventID", Ids.StableHex($"{stream.Arn}/{_sequence}", 32))
            .Add("eventName", eventName)
            .Add("eventVersion", "1.1")
            .Add("eventSource", "aws:dynamodb")
            .Add("awsRegion", account.Region)
            .Add("dynamodb", record.Build())
            .Add("eventSourceARN", stream.Arn)
            .Build());
    }

    private static string KeyOf(StreamOfTable stream, JObject item) =>
        (item[stream.PartitionKey]?.ToJson() ?? "?") + "|" + (stream.SortKey is { } sk ? item[sk]?.ToJson() : null);

    private static async Task<IReadOnlyList<JObject>> ScanAsync(Uri endpoint, string region, string table)
    {
        var items = new List<JObject>();
        JValue? start = null;
        do
        {
            var request = JObject.Of(("TableName", table), ("ConsistentRead", true));
            if (start is not null)
            {
                request = request.With("ExclusiveStartKey", start);
            }

            var response = await DynamoDbWire.SendAsync(endpoint, region, "Scan", request.ToJson(), CancellationToken.None).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                throw new InvalidOperationException($"The stream of {table} could not read the table: {response.Body}");
            }

            var page = JValue.Parse(response.Body).AsObject();
            items.AddRange((page.GetArray("Items") ?? JArray.Empty).OfType<JObject>());
            start = page["LastEvaluatedKey"];
        }
        while (start is JObject { Count: > 0 });
        return items;
    }
}
