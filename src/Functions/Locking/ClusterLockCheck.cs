using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Reconcile;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Locking;

/// <summary>
/// What start-run read after its conditional put on the cluster lock failed: the lock as it is, and, once its lease has
/// lapsed, the holder's execution and the traffic wiring. AWS shapes keep the API's spelling.
/// </summary>
public sealed record CheckClusterLockRequest
{
    /// <summary>Blue's name, for the messages.</summary>
    [JsonPropertyName("clusterName")] public string? ClusterName { get; init; }

    /// <summary>This run's upgrade execution ($$.Execution.Id of the upgrade): a lock naming it is this run's own (a redrive).</summary>
    [JsonPropertyName("me")] public string? Me { get; init; }

    /// <summary>This deployment's upgrade state machine: only a lock held by one of its executions is ever taken over.</summary>
    [JsonPropertyName("upgradeStateMachineArn")] public string? UpgradeStateMachineArn { get; init; }

    /// <summary>GetItem of the cluster lock (<c>Item</c>, absent when the lock was released meanwhile).</summary>
    [JsonPropertyName("lock")] public LockRead? Lock { get; init; }

    /// <summary>DescribeExecution of the holder (<c>Status</c>...), or null before it was read.</summary>
    [JsonPropertyName("holderExecution")] public HolderExecution? HolderExecution { get; init; }

    /// <summary>Why DescribeExecution failed (<c>{Error, Cause}</c>): <c>Sfn.ExecutionDoesNotExistException</c> means the holder is gone.</summary>
    [JsonPropertyName("holderError")] public JsonElement? HolderError { get; init; }

    /// <summary>This run's <c>plan.traffic</c>: the wiring the new run is about to move, read with its adapter.</summary>
    [JsonPropertyName("traffic")] public TrafficPlan? Traffic { get; init; }

    /// <summary>The traffic adapter's <c>read</c> output, or null before it was read (or when it could not be).</summary>
    [JsonPropertyName("current")] public TrafficReading? Current { get; init; }

    /// <summary>Why the traffic could not be read (<c>{Error, Cause}</c>), or null.</summary>
    [JsonPropertyName("readError")] public JsonElement? ReadError { get; init; }

    /// <summary>$$.State.EnteredTime.</summary>
    [JsonPropertyName("now")] public string? Now { get; init; }
}

/// <summary>The members of DescribeExecution's answer the check reads.</summary>
public sealed record HolderExecution
{
    public string? Status { get; init; }

    public string? StateMachineArn { get; init; }
}

/// <summary>What start-run does next about the lock.</summary>
public sealed record ClusterLockVerdict
{
    /// <summary>Put the lock with <see cref="Condition"/>: it is free, or this run takes over a stale one.</summary>
    public const string Take = "take";

    /// <summary>The lease has lapsed: read the holder's execution and the traffic, then ask again.</summary>
    public const string Inspect = "inspect";

    /// <summary>Another run holds the cluster: stop with <see cref="Error"/> and <see cref="Cause"/>, changing nothing.</summary>
    public const string Held = "held";

    [JsonPropertyName("verdict")] public required string Verdict { get; init; }

    /// <summary>For <see cref="Take"/>: the put's condition, naming the lock exactly as it was read so that a renewal or another taker wins the race.</summary>
    [JsonPropertyName("condition"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public LockCondition? Condition { get; init; }

    /// <summary>For <see cref="Inspect"/>: the execution to describe.</summary>
    [JsonPropertyName("holderExecutionArn"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? HolderExecutionArn { get; init; }

    /// <summary>For <see cref="Held"/>: <c>UpgradeInProgress</c>.</summary>
    [JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Error { get; init; }

    [JsonPropertyName("cause"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Cause { get; init; }

    /// <summary>How the run came by the lock, kept on its run record (<c>lockNote</c>).</summary>
    [JsonPropertyName("note")] public required string Note { get; init; }

    /// <summary>When the holder's lease lapses (or lapsed), ISO 8601; null when there is no holder.</summary>
    [JsonPropertyName("leaseExpiresAt"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? LeaseExpiresAt { get; init; }
}

/// <summary>A DynamoDB condition expression with its values, passed to PutItem as they are.</summary>
public sealed record LockCondition
{
    [JsonPropertyName("expression")] public required string Expression { get; init; }

    [JsonPropertyName("values")] public required IReadOnlyDictionary<string, DynamoValue> Values { get; init; }
}

/// <summary>
/// Decides whether a new run may have a cluster whose lock another execution holds (docs/workflow.md, "The lock lease").
/// It may only when all three hold: the holder's lease has lapsed (<c>renewedAt + leaseSeconds</c> is past), the holder's
/// execution is not RUNNING (ended, or gone from Step Functions' history), and the traffic is not split (all on Blue, or
/// all on Green). Anything else, including a holder or traffic that cannot be read, keeps the lock where it is.
/// </summary>
public static class ClusterLockCheck
{
    public const string InProgressError = "UpgradeInProgress";

    public static ClusterLockVerdict Check(CheckClusterLockRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cluster = request.ClusterName ?? throw new InvalidInput("clusterName: required");
        var me = request.Me ?? throw new InvalidInput("me: required (the upgrade's $$.Execution.Id)");
        if (!Timestamps.TryParse(request.Now, out var now))
        {
            throw new InvalidInput("now: required, an ISO 8601 time ($$.State.EnteredTime)");
        }

        if (request.Lock?.Item is not { } item)
        {
            return new ClusterLockVerdict
            {
                Verdict = ClusterLockVerdict.Take,
                Condition = new LockCondition
                {
                    Expression = "attribute_not_exists(pk) OR executionArn = :me",
                    Values = new Dictionary<string, DynamoValue>(StringComparer.Ordinal) { [":me"] = DynamoValue.Text(me) },
                },
                Note = "The lock was released while this run was trying to take it; it took the free lock.",
            };
        }

        var holder = new Holder(item);
        var expiresAt = holder.LeaseExpiresAt;
        var lapsed = expiresAt is { } at && at <= now;
        var baseVerdict = new ClusterLockVerdict { Verdict = ClusterLockVerdict.Held, Error = InProgressError, Note = string.Empty, LeaseExpiresAt = expiresAt is { } e ? Timestamps.Format(e) : null };
        if (!lapsed)
        {
            var until = expiresAt is { } renewedUntil ? $"its lease was last renewed at {holder.RenewedAt ?? "an unknown time"} and runs until {Timestamps.Format(renewedUntil)}" : "its lease cannot be read";
            return baseVerdict with { Cause = $"{holder.Describe(cluster)}; {until}. Wait for it to finish or stop it; this run changed nothing." };
        }

        if (request.HolderExecution is null && request.HolderError is null)
        {
            return baseVerdict with { Verdict = ClusterLockVerdict.Inspect, Error = null, HolderExecutionArn = holder.ExecutionArn ?? throw new InvalidInput("lock.Item.executionArn: required (the lock names the execution that holds it)") };
        }

        var overdue = Duration(now - expiresAt!.Value);
        var ending = HolderEnding(request);
        if (ending is null)
        {
            return baseVerdict with { Cause = $"{holder.Describe(cluster)}; its lease lapsed {overdue} ago, but whether it still runs cannot be read ({ErrorText(request.HolderError)}). Nothing was changed; try again, or stop that execution if it is stuck." };
        }

        if (request.HolderExecution?.StateMachineArn is { } machine && request.UpgradeStateMachineArn is { } upgrade && machine != upgrade)
        {
            return baseVerdict with { Cause = $"{holder.Describe(cluster)}; its lease lapsed {overdue} ago, but that execution belongs to {machine}, not to this deployment's upgrade state machine, so its lock is never taken over here. This run changed nothing." };
        }

        if (ending == "RUNNING")
        {
            return baseVerdict with { Cause = $"{holder.Describe(cluster)}; its lease lapsed {overdue} ago but the execution is still RUNNING, so it keeps the cluster. If it is stuck, stop it (aws stepfunctions stop-execution --execution-arn {holder.ExecutionArn}): restore-blue then puts traffic back on Blue and releases the lock. This run changed nothing." };
        }

        var traffic = ReadTraffic(request);
        if (traffic.State is not ("blue" or "green"))
        {
            return baseVerdict with { Cause = $"{holder.Describe(cluster)}; it ended ({ending}) without releasing the lock, and its lease lapsed {overdue} ago, but the traffic {traffic.Description}, so the lock is kept until a person puts traffic on one side (start restore-blue for that execution, or see docs/operating.md). This run changed nothing." };
        }

        return new ClusterLockVerdict
        {
            Verdict = ClusterLockVerdict.Take,
            Condition = holder.TakeoverCondition(),
            Note = $"Took over the lock of run {holder.RunId ?? "(unknown)"} ({holder.ExecutionArn}), which ended ({ending}) without releasing it; its lease had lapsed {overdue} before and the traffic {traffic.Description}.",
            LeaseExpiresAt = baseVerdict.LeaseExpiresAt,
        };
    }

    /// <summary>The holder's status, GONE when Step Functions no longer knows it, or null when it could not be read.</summary>
    private static string? HolderEnding(CheckClusterLockRequest request)
    {
        if (request.HolderExecution?.Status is { Length: > 0 } status)
        {
            return status;
        }

        // DescribeExecution answers ExecutionDoesNotExist for an execution whose history has expired (90 days after it
        // closed) or whose state machine was deleted: https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
        return ErrorName(request.HolderError) is { } error && error.Contains("ExecutionDoesNotExist", StringComparison.Ordinal) ? "GONE: Step Functions no longer has it" : null;
    }

    private static (string State, string Description) ReadTraffic(CheckClusterLockRequest request) =>
        request.ReadError is { ValueKind: JsonValueKind.Object } error ? TrafficState.Unreadable(error)
        : request.Current is null ? ("unknown", "could not be read (no answer)")
        : TrafficState.Of(request.Traffic ?? throw new InvalidInput("traffic: required with current (the plan's traffic the adapter read)"), request.Current);

    private static string? ErrorName(JsonElement? error) =>
        error is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty("Error", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;

    private static string ErrorText(JsonElement? error) => error is { ValueKind: JsonValueKind.Object } e ? TrafficState.ErrorText(e) : "no answer";

    private static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)span.TotalMinutes)} min");

    /// <summary>The lock item, read the way the workflow writes it.</summary>
    private sealed class Holder(Dictionary<string, JsonElement> item)
    {
        public string? ExecutionArn => DynamoItems.Text(item, "executionArn");

        public string? RunId => DynamoItems.Text(item, "runId");

        /// <summary>When the lease was last renewed: <c>renewedAt</c>, or <c>lockedAt</c> for a lock taken before leases.</summary>
        public string? RenewedAt => DynamoItems.Text(item, "renewedAt") ?? DynamoItems.Text(item, "lockedAt");

        public DateTimeOffset? LeaseExpiresAt =>
            Timestamps.TryParse(RenewedAt, out var renewed)
                ? renewed.AddSeconds(DynamoItems.WholeNumber(item, "leaseSeconds") ?? Planning.ClusterLockLease.LegacyLeaseSeconds)
                : null;

        public string Describe(string cluster) =>
            $"Cluster {cluster} is held by run {RunId ?? "(unknown)"} ({ExecutionArn ?? "unknown execution"}), started by {DynamoItems.Text(item, "requestedBy") ?? "(unknown)"} at {DynamoItems.Text(item, "lockedAt") ?? "(unknown)"}";

        /// <summary>Only the lock exactly as it was read: a renewal (a new renewedAt) or another taker makes the put fail.</summary>
        public LockCondition TakeoverCondition()
        {
            var stamp = DynamoItems.Text(item, "renewedAt") is not null ? "renewedAt" : "lockedAt";
            return new LockCondition
            {
                Expression = $"executionArn = :holder AND {stamp} = :seen",
                Values = new Dictionary<string, DynamoValue>(StringComparer.Ordinal)
                {
                    [":holder"] = DynamoValue.Text(ExecutionArn!),
                    [":seen"] = DynamoValue.Text(DynamoItems.Text(item, stamp)!),
                },
            };
        }
    }
}
