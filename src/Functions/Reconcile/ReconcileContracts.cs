using System.Text.Json;
using System.Text.Json.Serialization;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Reconcile;

/// <summary>
/// What <c>reconcile-run</c> read after an upgrade execution ended: the execution itself, the cluster lock, the execution's
/// run item and, when there is a plan to read it with, the traffic wiring. AWS shapes keep the API's spelling.
/// </summary>
public sealed record ReconcileRunRequest
{
    /// <summary>DescribeExecution of the ended upgrade (AWS SDK integration result: <c>ExecutionArn</c>, <c>Status</c>, <c>Error</c>, <c>Cause</c>, <c>StopDate</c>...).</summary>
    [JsonPropertyName("execution")] public EndedExecution? Execution { get; init; }

    /// <summary>Blue's name, from the execution input.</summary>
    [JsonPropertyName("clusterName")] public string? ClusterName { get; init; }

    /// <summary>GetItem of the cluster lock (optimized integration result: <c>Item</c>, absent when no upgrade holds the cluster).</summary>
    [JsonPropertyName("lock")] public LockRead? Lock { get; init; }

    /// <summary>The execution's run item as Query returned it (DynamoDB JSON), or null when the execution wrote none.</summary>
    [JsonPropertyName("run")] public Dictionary<string, JsonElement>? Run { get; init; }

    /// <summary>The run's <c>plan.traffic</c>, when the traffic was read with it.</summary>
    [JsonPropertyName("traffic")] public TrafficPlan? Traffic { get; init; }

    /// <summary>The traffic adapter's <c>read</c> output, or null when it was not read (or could not be).</summary>
    [JsonPropertyName("current")] public TrafficReading? Current { get; init; }

    /// <summary>Why the traffic could not be read (<c>{Error, Cause}</c>), or null.</summary>
    [JsonPropertyName("readError")] public JsonElement? ReadError { get; init; }

    /// <summary>How many times the lock was read while restore-blue still had it to release (0: it never had).</summary>
    [JsonPropertyName("restoreBlueChecks")] public int RestoreBlueChecks { get; init; }

    /// <summary>$$.State.EnteredTime.</summary>
    [JsonPropertyName("now")] public string? Now { get; init; }

    /// <summary>$$.Execution.Id of the reconcile execution, written on what it fixes.</summary>
    [JsonPropertyName("reconciler")] public string? Reconciler { get; init; }
}

/// <summary>The members of DescribeExecution's answer the reconciler reads.</summary>
public sealed record EndedExecution
{
    public string? ExecutionArn { get; init; }

    public string? Status { get; init; }

    public string? Error { get; init; }

    public string? Cause { get; init; }

    /// <summary>An ISO 8601 text or epoch milliseconds, whichever the integration gives.</summary>
    public JsonElement? StopDate { get; init; }
}

/// <summary>The optimized <c>dynamodb:getItem</c> result: <c>Item</c> only when the lock exists.</summary>
public sealed record LockRead
{
    public Dictionary<string, JsonElement>? Item { get; init; }
}

/// <summary>A DynamoDB attribute value as a request carries it (only the types the reconciler writes).</summary>
public sealed record DynamoValue
{
    public string? S { get; init; }

    public string? N { get; init; }

    public IReadOnlyList<string>? SS { get; init; }

    public IReadOnlyDictionary<string, DynamoValue>? M { get; init; }

    public static DynamoValue Text(string value) => new() { S = value };

    public static DynamoValue Number(int value) => new() { N = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

/// <summary>
/// What the reconciler decided. The state machine does each part that is not null: the run-record update (conditional on
/// the record still saying Running), the lock release (conditional on the ended execution still holding it), the
/// notification. Optional members are always present, as null when there is nothing to do.
/// </summary>
public sealed record ReconcileVerdict
{
    /// <summary>The ended execution's status (SUCCEEDED, FAILED, TIMED_OUT, ABORTED).</summary>
    [JsonPropertyName("ending")] public required string Ending { get; init; }

    /// <summary>What the traffic wiring showed: <c>split</c>, <c>blue</c>, <c>green</c>, <c>unknown</c> (read failed or showed neither side), <c>notRead</c>.</summary>
    [JsonPropertyName("traffic")] public required string Traffic { get; init; }

    [JsonPropertyName("trafficDescription")] public required string TrafficDescription { get; init; }

    [JsonPropertyName("recordUpdate"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public RecordUpdate? RecordUpdate { get; init; }

    [JsonPropertyName("lockRelease"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public LockRelease? LockRelease { get; init; }

    [JsonPropertyName("notification"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public ReconcileNotification? Notification { get; init; }

    /// <summary>One sentence an operator reads in the execution's output.</summary>
    [JsonPropertyName("summary")] public required string Summary { get; init; }
}

/// <summary>
/// The UpdateItem that makes the run record terminal, as the SDK integration takes its members; the state machine adds
/// <c>ConditionExpression: #status = :running</c>, whose name and value are in these maps.
/// </summary>
public sealed record RecordUpdate
{
    [JsonPropertyName("key")] public required IReadOnlyDictionary<string, DynamoValue> Key { get; init; }

    [JsonPropertyName("updateExpression")] public required string UpdateExpression { get; init; }

    [JsonPropertyName("expressionAttributeNames")] public required IReadOnlyDictionary<string, string> ExpressionAttributeNames { get; init; }

    [JsonPropertyName("expressionAttributeValues")] public required IReadOnlyDictionary<string, DynamoValue> ExpressionAttributeValues { get; init; }

    /// <summary>The status it writes (Succeeded, RolledBack, Failed).</summary>
    [JsonPropertyName("status")] public required string Status { get; init; }

    /// <summary>What this fixes, as the output and the record's <c>reconciled</c> set name it.</summary>
    [JsonPropertyName("fix")] public required string Fix { get; init; }
}

/// <summary>The DeleteItem of a lock the ended (SUCCEEDED) execution still holds, with traffic not split.</summary>
public sealed record LockRelease
{
    [JsonPropertyName("key")] public required IReadOnlyDictionary<string, DynamoValue> Key { get; init; }

    /// <summary>The holder the delete is conditional on.</summary>
    [JsonPropertyName("executionArn")] public required string ExecutionArn { get; init; }

    /// <summary>The run item's key, to note the release on it; null when the execution wrote no run item.</summary>
    [JsonPropertyName("runKey"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public IReadOnlyDictionary<string, DynamoValue>? RunKey { get; init; }

    [JsonPropertyName("fix")] public required string Fix { get; init; }
}

/// <summary>An SNS message in the AWS Chatbot custom format (the state machine wraps it).</summary>
public sealed record ReconcileNotification
{
    /// <summary>Under 100 printable ASCII characters, as SNS requires.</summary>
    [JsonPropertyName("subject")] public required string Subject { get; init; }

    [JsonPropertyName("title")] public required string Title { get; init; }

    [JsonPropertyName("description")] public required string Description { get; init; }

    /// <summary>The run's thread (its run id), or the execution ARN when no run item names one.</summary>
    [JsonPropertyName("threadId")] public required string ThreadId { get; init; }
}
