using System.Globalization;
using System.Text.Json.Serialization;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.Decommission;

public sealed record PlanDecommissionRequest
{
    [JsonPropertyName("plan")] public UpgradePlan? Plan { get; init; }

    /// <summary>When the upgrade finished ($$.State.EnteredTime); the retention period counts from here.</summary>
    [JsonPropertyName("now")] public string? Now { get; init; }
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
    private const string SchedulePrefix = "bluegreen-decommission-";

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
        };
        return plan.Blue.Decommission switch
        {
            DecommissionPolicies.Never => new DecommissionPlan { Policy = DecommissionPolicies.Never, Input = input },
            DecommissionPolicies.Immediately => new DecommissionPlan { Policy = DecommissionPolicies.Immediately, DecommissionAt = Timestamps.Format(now), Input = input },
            DecommissionPolicies.AfterRetention when plan.Blue.RetentionSeconds is { } seconds and > 0 => Scheduled(plan, now.AddSeconds(seconds), input),
            _ => throw new InvalidInput($"$.plan.blue: decommission policy {plan.Blue.Decommission} with retentionSeconds {plan.Blue.RetentionSeconds?.ToString(CultureInfo.InvariantCulture) ?? "null"} cannot be planned"),
        };
    }

    private static DecommissionPlan Scheduled(UpgradePlan plan, DateTimeOffset at, DecommissionInput input)
    {
        // Whole seconds: at() has no fraction, and rounding up never deletes Blue early.
        var utc = at.UtcDateTime;
        if (utc.Millisecond > 0)
        {
            utc = utc.AddMilliseconds(1000 - utc.Millisecond);
        }

        var name = SchedulePrefix + new string(plan.RunId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
        return new DecommissionPlan
        {
            Policy = DecommissionPolicies.AfterRetention,
            DecommissionAt = Timestamps.Format(utc),
            ScheduleName = name.Length <= MaxScheduleNameLength ? name : name[..MaxScheduleNameLength],
            ScheduleExpression = "at(" + utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + ")",
            Input = input,
        };
    }
}
