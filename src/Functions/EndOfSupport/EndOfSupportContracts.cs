using System.Text.Json;
using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;

namespace BlueGreen.Functions.EndOfSupport;

/// <summary>PlanEndOfSupport's input: one cluster, the version calendar, the profiles, the schedules, whether it is being upgraded.</summary>
public sealed record PlanEndOfSupportRequest
{
    /// <summary>$$.State.EnteredTime.</summary>
    [JsonPropertyName("now")] public required string Now { get; init; }
    /// <summary>DescribeCluster(name).Cluster.</summary>
    [JsonPropertyName("cluster")] public required EksCluster Cluster { get; init; }
    /// <summary>DescribeClusterVersions(IncludeAll = true).ClusterVersions (every page).</summary>
    [JsonPropertyName("clusterVersions")] public required IReadOnlyList<ClusterVersionInformation> ClusterVersions { get; init; }
    /// <summary>The deployed profiles (profiles/*.json, validated at synth).</summary>
    [JsonPropertyName("profiles")] public required IReadOnlyList<JsonElement> Profiles { get; init; }
    /// <summary>The schedules of the scan's schedule group (ListSchedules summaries, or GetSchedule outputs, which also carry the expression).</summary>
    [JsonPropertyName("schedules")] public IReadOnlyList<ExistingSchedule>? Schedules { get; init; }
    /// <summary>True when the cluster's lock item says an upgrade is running.</summary>
    [JsonPropertyName("runInProgress")] public bool RunInProgress { get; init; }
    /// <summary>The GetItem output for the cluster's lock (pk CLUSTER#name, sk LOCK): an "Item" means an upgrade is running.</summary>
    [JsonPropertyName("lock")] public JsonElement? Lock { get; init; }
    /// <summary>
    /// The GetItem output for the cluster's hold (pk CLUSTER#name, sk EOS#HOLD: <c>kind</c>, <c>until</c>, <c>by</c>), which
    /// <c>schedule cancel</c> and <c>schedule postpone</c> leave from chat: until then the cluster's schedules are left as they are.
    /// </summary>
    [JsonPropertyName("hold")] public JsonElement? Hold { get; init; }
    /// <summary>
    /// The cluster's newest run items (Query pk CLUSTER#name, sk begins_with RUN#, newest first: DynamoDB JSON): a run
    /// that succeeded after the cluster was created means this cluster is the Blue it replaced, waiting for its decommission.
    /// </summary>
    [JsonPropertyName("lastRuns")] public IReadOnlyList<IReadOnlyDictionary<string, JsonElement>>? LastRuns { get; init; }
    [JsonPropertyName("deployment")] public required ScanDeployment Deployment { get; init; }
    /// <summary>Slots the scan's earlier decisions took ("profile@slot start": runs), from the previous decision's output; none for the first cluster.</summary>
    [JsonPropertyName("occupancy")] public IReadOnlyDictionary<string, int>? Occupancy { get; init; }
    /// <summary>The digest's counts so far, from the previous decision's output; none for the first cluster.</summary>
    [JsonPropertyName("tally")] public DigestTally? Tally { get; init; }
}

/// <summary>A schedule as ListSchedules (Name, State) or GetSchedule (also ScheduleExpression, ScheduleExpressionTimezone) returns it.</summary>
public sealed record ExistingSchedule
{
    public string? Name { get; init; }
    public string? State { get; init; }
    public string? ScheduleExpression { get; init; }
    public string? ScheduleExpressionTimezone { get; init; }
}

/// <summary>What the one-time schedules point at (from the deployment's DefinitionSubstitutions).</summary>
public sealed record ScanDeployment
{
    [JsonPropertyName("upgradeStateMachineArn")] public required string UpgradeStateMachineArn { get; init; }
    [JsonPropertyName("schedulerRoleArn")] public required string SchedulerRoleArn { get; init; }
    [JsonPropertyName("scheduleGroupName")] public required string ScheduleGroupName { get; init; }
    /// <summary>Where Scheduler sends a start it could not make once the retry policy is spent (<c>${ScheduleDeadLetterQueueArn}</c>).</summary>
    [JsonPropertyName("deadLetterQueueArn")] public string? DeadLetterQueueArn { get; init; }
}

/// <summary>The scan's actions for one cluster.</summary>
public static class EndOfSupportActions
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Keep = "keep";
    public const string Delete = "delete";
    public const string Notify = "notify";
    public const string NeedsHuman = "needs-human";
    public const string None = "none";
}

/// <summary>PlanEndOfSupport's output: the report line for the cluster and what the scan does about it.</summary>
public sealed record EndOfSupportDecision
{
    [JsonPropertyName("clusterName")] public required string ClusterName { get; init; }
    [JsonPropertyName("clusterVersion")] public required string ClusterVersion { get; init; }
    /// <summary>STANDARD_SUPPORT | EXTENDED_SUPPORT | UNSUPPORTED | UNKNOWN (the version is not in the calendar).</summary>
    [JsonPropertyName("supportStatus")] public required string SupportStatus { get; init; }
    [JsonPropertyName("endOfStandardSupport"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? EndOfStandardSupport { get; init; }
    [JsonPropertyName("endOfExtendedSupport"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? EndOfExtendedSupport { get; init; }
    /// <summary>Whole days left (negative once past).</summary>
    [JsonPropertyName("daysToEndOfStandardSupport"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public int? DaysToEndOfStandardSupport { get; init; }
    [JsonPropertyName("daysToEndOfExtendedSupport"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public int? DaysToEndOfExtendedSupport { get; init; }
    [JsonPropertyName("cost")] public required CostOfStaying Cost { get; init; }
    [JsonPropertyName("profile"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Profile { get; init; }
    [JsonPropertyName("targetVersion"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? TargetVersion { get; init; }
    /// <summary>The run must finish by this (the deadline minus the profile's lead time).</summary>
    [JsonPropertyName("finishBy"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? FinishBy { get; init; }
    [JsonPropertyName("slot"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public PlannedSlot? Slot { get; init; }
    /// <summary>create | update | keep | delete | notify | needs-human | none.</summary>
    [JsonPropertyName("action")] public required string Action { get; init; }
    [JsonPropertyName("reason")] public required string Reason { get; init; }
    [JsonPropertyName("scheduleName"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? ScheduleName { get; init; }
    /// <summary>CreateSchedule / UpdateSchedule Parameters (the two requests share these members) when action is create or update.</summary>
    [JsonPropertyName("schedule"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public ScheduleRequest? Schedule { get; init; }
    /// <summary>This cluster's other schedules, which no longer apply (DeleteSchedule each).</summary>
    [JsonPropertyName("deleteSchedules")] public required IReadOnlyList<string> DeleteSchedules { get; init; }
    /// <summary>The occupancy the next cluster's decision gets: the request's, plus this cluster's slot when it takes one (create, update, keep, notify).</summary>
    [JsonPropertyName("occupancy"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, int>? Occupancy { get; init; }
    /// <summary>The digest's counts with this cluster's action added (see <see cref="ScanDigest"/>).</summary>
    [JsonPropertyName("tally"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public DigestTally? Tally { get; init; }
    /// <summary>The cluster's line in the digest, at most <see cref="ScanDigest.MaxLineBytes"/> bytes.</summary>
    [JsonPropertyName("digestLine"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DigestLine { get; init; }
    /// <summary>Whether the digest lists the line (every action but keep and none), or only counts it.</summary>
    [JsonPropertyName("listed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? Listed { get; init; }
    /// <summary>True when a hold from chat (schedule cancel or postpone) kept the scan from changing the cluster's schedules.</summary>
    [JsonPropertyName("held")] public bool Held { get; init; }
    /// <summary>When held: the start (UTC) of the schedule the hold keeps, which still takes its window from the profile's other clusters.</summary>
    [JsonPropertyName("heldSlotStart"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? HeldSlotStart { get; init; }
}

/// <summary>Control-plane price per cluster-hour (Amazon EKS pricing: $0.10 in standard support, $0.60 in extended support).</summary>
public sealed record CostOfStaying
{
    [JsonPropertyName("hourlyNow")] public required decimal HourlyNow { get; init; }
    [JsonPropertyName("hourlyInExtendedSupport")] public required decimal HourlyInExtendedSupport { get; init; }
    /// <summary>What a year in extended support costs over standard support.</summary>
    [JsonPropertyName("extraPerYearInExtendedSupport")] public required decimal ExtraPerYearInExtendedSupport { get; init; }
    /// <summary>Extended-support surcharge from now until the planned slot ends (0 when the cluster is in standard support throughout).</summary>
    [JsonPropertyName("extraUntilUpgrade"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public decimal? ExtraUntilUpgrade { get; init; }
}

public sealed record PlannedSlot
{
    [JsonPropertyName("start")] public required string Start { get; init; }
    [JsonPropertyName("end")] public required string End { get; init; }
    /// <summary>Wall-clock start in the profile's zone, as at() takes it: 2026-12-08T10:00:00.</summary>
    [JsonPropertyName("localStart")] public required string LocalStart { get; init; }
    [JsonPropertyName("timeZone")] public required string TimeZone { get; init; }
    /// <summary>Starts of the later slots kept free for a retry before the deadline.</summary>
    [JsonPropertyName("retryStarts")] public required IReadOnlyList<string> RetryStarts { get; init; }
}

/// <summary>EventBridge Scheduler CreateSchedule / UpdateSchedule request members (botocore scheduler/2021-06-30).</summary>
public sealed record ScheduleRequest
{
    public required string Name { get; init; }
    public required string GroupName { get; init; }
    public required string ScheduleExpression { get; init; }
    public required string ScheduleExpressionTimezone { get; init; }
    public required string Description { get; init; }
    public required string ActionAfterCompletion { get; init; }
    public required string State { get; init; }
    public required FlexibleTimeWindow FlexibleTimeWindow { get; init; }
    public required ScheduleTarget Target { get; init; }
}

public sealed record FlexibleTimeWindow
{
    public required string Mode { get; init; }
}

public sealed record ScheduleTarget
{
    public required string Arn { get; init; }
    public required string RoleArn { get; init; }
    /// <summary>The upgrade's execution input, as a JSON string (Scheduler's Target.Input is a string).</summary>
    public required string Input { get; init; }
    /// <summary>How long Scheduler retries a start that failed (RetryPolicy: 60-86,400 s, 0-185 attempts; API reference).</summary>
    public required ScheduleRetryPolicy RetryPolicy { get; init; }
    /// <summary>The deployment's dead-letter queue for schedules (omitted when the deployment names none).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ScheduleDeadLetterConfig? DeadLetterConfig { get; init; }
}

/// <summary>Scheduler's Target.DeadLetterConfig: an SQS standard queue's ARN.</summary>
public sealed record ScheduleDeadLetterConfig
{
    public required string Arn { get; init; }
}

public sealed record ScheduleRetryPolicy
{
    public required int MaximumEventAgeInSeconds { get; init; }
    public required int MaximumRetryAttempts { get; init; }
}

/// <summary>The hold chat's <c>schedule cancel</c> / <c>postpone</c> leaves on a cluster (run table, sk <c>EOS#HOLD</c>).</summary>
public sealed record ChatHold(string Kind, DateTimeOffset Until, string By)
{
    /// <summary>The hold in a GetItem output (<c>{"Item": {"kind": {"S": ...}, "until": {"S": ...}, "by": {"S": ...}}}</c>), or null.</summary>
    public static ChatHold? From(JsonElement? getItem)
    {
        if (Common.DynamoItems.ItemOf(getItem) is not { } item)
        {
            return null;
        }

        string? S(string name) => Common.DynamoItems.Text(item, name);
        return Common.Timestamps.TryParse(S("until"), out var until) ? new ChatHold(S("kind") ?? "held", until, S("by") ?? "?") : null;
    }
}
