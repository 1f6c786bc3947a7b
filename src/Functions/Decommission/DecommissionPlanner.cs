using System.Globalization;
using System.Text.Json.Serialization;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Decommission;

public sealed record PlanDecommissionRequest
{
    [JsonPropertyName("plan")] public UpgradePlan? Plan { get; init; }

    /// <summary>When the upgrade finished ($$.State.EnteredTime); the retention period counts from here.</summary>
    [JsonPropertyName("now")] public string? Now { get; init; }

    /// <summary>
    /// The start of every schedule name (the deployment's <c>&lt;prefix&gt;-&lt;environment&gt;-decommission-</c>, from
    /// <c>${DecommissionSchedulePrefix}</c>): the state machine role may create only schedules that start with it.
    /// </summary>
    [JsonPropertyName("schedulePrefix")] public string? SchedulePrefix { get; init; }
}

/// <summary>The decommission input handed to the decommission state machine (directly or by the schedule).</summary>
public sealed record DecommissionInput
{
    [JsonPropertyName("clusterName")] public required string ClusterName { get; init; }
    [JsonPropertyName("reason")] public required string Reason { get; init; }
    [JsonPropertyName("runId")] public required string RunId { get; init; }
    /// <summary>The cluster that replaced it; the decommission refuses to run if this one no longer exists.</summary>
    [JsonPropertyName("replacedBy")] public required string ReplacedBy { get; init; }
    /// <summary>The cluster's name cut to fit the SNS subject (see ClusterNames.Label).</summary>
    [JsonPropertyName("clusterLabel")] public string? ClusterLabel { get; init; }

    /// <summary>
    /// Where Blue's traffic is routed: the decommission re-reads it and refuses (BlueStillServesTraffic) while Blue
    /// still gets a share, e.g. after an operator moved traffic back by hand during the retention period. Absent when
    /// a failed run deletes its own Green: then there is nothing to check.
    /// </summary>
    [JsonPropertyName("traffic"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public BlueShare? Traffic { get; init; }
}

/// <summary>What to do with Blue once Green carries all traffic.</summary>
public sealed record DecommissionPlan
{
    [JsonPropertyName("policy")] public required string Policy { get; init; }

    /// <summary>When Blue is deleted (null for <c>never</c>).</summary>
    [JsonPropertyName("decommissionAt"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? DecommissionAt { get; init; }

    /// <summary>For <c>afterRetention</c>: the EventBridge Scheduler schedule that will start the decommission.</summary>
    [JsonPropertyName("scheduleName"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? ScheduleName { get; init; }

    [JsonPropertyName("scheduleExpression"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? ScheduleExpression { get; init; }

    [JsonPropertyName("scheduleExpressionTimezone")] public string ScheduleExpressionTimezone { get; init; } = "UTC";

    [JsonPropertyName("input")] public required DecommissionInput Input { get; init; }
}

/// <summary>
/// Turns the plan's Blue decommission policy into concrete times and a one-time schedule. EventBridge
/// Scheduler's <c>at()</c> takes a wall-clock time without an offset, so the time is written in UTC and
/// the schedule's time zone is UTC. Schedule names allow 1-64 of [0-9a-zA-Z-_.].
/// </summary>
public static class DecommissionPlanner
{
    private const int MaxScheduleNameLength = 64;

    /// <summary>Room left for the run id: a prefix may take at most 40 of the 64 characters.</summary>
    public const int MaxSchedulePrefixLength = 40;

    /// <summary>What older deployments (without <c>schedulePrefix</c> in the payload) named their schedules.</summary>
    public const string DefaultSchedulePrefix = "bluegreen-decommission-";

    private const int HashLength = 8;

    public static DecommissionPlan Plan(PlanDecommissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        if (request.Plan is null)
        {
            problems.Add("$.plan: required (the plan PlanUpgrade returned)");
        }

        DateTimeOffset now = default;
        if (!Timestamps.TryParse(request.Now, out now))
        {
            problems.Add("$.now: required, an ISO-8601 timestamp ($$.State.EnteredTime)");
        }

        var prefix = request.SchedulePrefix ?? DefaultSchedulePrefix;
        if (prefix.Length is 0 or > MaxSchedulePrefixLength || !prefix.All(IsScheduleNameCharacter))
        {
            problems.Add($"$.schedulePrefix: \"{prefix}\" must be 1 to {MaxSchedulePrefixLength} characters of 0-9, a-z, A-Z, -, _ and . (EventBridge Scheduler names)");
        }

        if (problems.Count > 0)
        {
            throw new InvalidInput(problems);
        }

        var plan = request.Plan!;
        var input = new DecommissionInput
        {
            ClusterName = plan.BlueClusterName,
            ClusterLabel = ClusterNames.Label(plan.BlueClusterName),
            RunId = plan.RunId,
            ReplacedBy = plan.GreenClusterName,
            Reason = $"Replaced by {plan.GreenClusterName} (Kubernetes {plan.TargetVersion}) in upgrade run {plan.RunId}",
            Traffic = TrafficProviders.For(plan.Traffic).BlueShareOf(plan.Traffic),
        };
        return plan.Blue.Decommission switch
        {
            DecommissionPolicies.Never => new DecommissionPlan { Policy = DecommissionPolicies.Never, Input = input },
            DecommissionPolicies.Immediately => new DecommissionPlan { Policy = DecommissionPolicies.Immediately, DecommissionAt = Timestamps.Format(now), Input = input },
            DecommissionPolicies.AfterRetention when plan.Blue.RetentionSeconds is { } seconds and > 0 => Scheduled(prefix, plan, now.AddSeconds(seconds), input),
            _ => throw new InvalidInput($"$.plan.blue: decommission policy {plan.Blue.Decommission} with retentionSeconds {plan.Blue.RetentionSeconds?.ToString(CultureInfo.InvariantCulture) ?? "null"} cannot be planned"),
        };
    }

    /// <summary>
    /// <c>prefix + runId</c>, or when that is longer than Scheduler's 64 characters, the prefix, the start of the run id
    /// and 8 hex of its SHA-256: cutting the end off would drop the run id's own hash, and two runs with long names would
    /// then share a schedule (the second CreateSchedule a ConflictException, its Blue never deleted).
    /// </summary>
    public static string ScheduleName(string prefix, string runId)
    {
        var safe = new string(runId.Select(c => IsScheduleNameCharacter(c) ? c : '-').ToArray());
        if (prefix.Length + safe.Length <= MaxScheduleNameLength)
        {
            return prefix + safe;
        }

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(runId)))[..HashLength];
        return prefix + safe[..(MaxScheduleNameLength - prefix.Length - HashLength - 1)] + "-" + hash;
    }

    private static bool IsScheduleNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    private static DecommissionPlan Scheduled(string prefix, UpgradePlan plan, DateTimeOffset at, DecommissionInput input)
    {
        // Whole seconds: at() has no fraction, and rounding up never deletes Blue early.
        var utc = at.UtcDateTime;
        if (utc.Millisecond > 0)
        {
            utc = utc.AddMilliseconds(1000 - utc.Millisecond);
        }

        return new DecommissionPlan
        {
            Policy = DecommissionPolicies.AfterRetention,
            DecommissionAt = Timestamps.Format(utc),
            ScheduleName = ScheduleName(prefix, plan.RunId),
            ScheduleExpression = "at(" + utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + ")",
            Input = input,
        };
    }
}
