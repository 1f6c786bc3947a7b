using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.EndOfSupport;

namespace BlueGreen.Functions.Chat;

/// <summary>ListSchedules' filter for one cluster's end-of-support schedules (the names eos-scan gives them).</summary>
public sealed record ScheduleQuery
{
    [JsonPropertyName("GroupName")] public required string GroupName { get; init; }
    [JsonPropertyName("NamePrefix")] public required string NamePrefix { get; init; }
}

/// <summary>A schedule DeleteSchedule removes.</summary>
public sealed record ScheduleKey
{
    [JsonPropertyName("Name")] public required string Name { get; init; }
    [JsonPropertyName("GroupName")] public required string GroupName { get; init; }
}

/// <summary>
/// The marker that keeps the daily end-of-support scan off a cluster until <see cref="Until"/> (run table,
/// <c>pk = CLUSTER#&lt;cluster&gt;, sk = EOS#HOLD</c>): PlanEndOfSupport leaves the cluster's schedules as they are while it holds.
/// </summary>
public sealed record ScheduleHold
{
    public const string SortKey = "EOS#HOLD";

    /// <summary><c>cancelled</c> or <c>postponed</c>.</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("until")] public required string Until { get; init; }
    /// <summary>TTL: a day after <see cref="Until"/> (epoch seconds, as text for the DynamoDB N value).</summary>
    [JsonPropertyName("expiresAt")] public required string ExpiresAt { get; init; }
}

/// <summary>
/// The <c>schedule list|cancel|postpone</c> chat commands, decided in two steps by PlanChatCommand: first which schedules to
/// read (<see cref="ScheduleQuery"/>: the cluster's <c>eos.&lt;cluster&gt;.</c> prefix in the default group, as eos-scan names
/// them), then, given GetSchedule's answers, what to delete, what to move and the reply. UpdateSchedule replaces every
/// setting of a schedule (its optional members left out fall back to their defaults), so a postponed schedule is sent whole:
/// everything GetSchedule returned, with the <c>at()</c> expression moved by whole days in the schedule's own time zone
/// (members per the EventBridge Scheduler API model, @aws-sdk/client-scheduler UpdateScheduleInput: Name, GroupName,
/// ScheduleExpression, ScheduleExpressionTimezone, StartDate, EndDate, Description, State, KmsKeyArn, Target,
/// FlexibleTimeWindow, ActionAfterCompletion). Only schedules whose target is this deployment's upgrade with its
/// end-of-support scheduler role are touched. Cancel and postpone leave a hold (<see cref="ScheduleHold"/>) that the daily
/// scan honours, or it would put the schedule back the next day.
/// </summary>
public static class ChatSchedules
{
    /// <summary>How long a cancel keeps the daily scan from scheduling the cluster again.</summary>
    public const int CancelHoldDays = 7;

    private const int MaxDescriptionLength = 512;

    /// <summary>Step one: the schedules to read.</summary>
    public static ChatCommandPlan Query(ChatCommandItem c, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(problems);
        if (string.IsNullOrWhiteSpace(c.ClusterName))
        {
            problems.Add("command.clusterName: required");
        }

        if (c.Operation is not ("list" or "cancel" or "postpone"))
        {
            problems.Add($"command.operation: \"{c.Operation}\" is not list, cancel or postpone");
        }

        if (c.Operation == "postpone" && Days(c) is null)
        {
            problems.Add($"command.days: \"{c.Days}\" is not a number of days from 1 to {ChatGrammar.MaxPostponeDays}");
        }

        return new ChatCommandPlan
        {
            Action = ChatCommandPlan.Schedules,
            ScheduleQuery = new ScheduleQuery { GroupName = "default", NamePrefix = ScheduleNames.ClusterPrefix(c.ClusterName ?? string.Empty) },
            Summary = $"schedule {c.Operation} {c.ClusterName}{(c.Operation == "postpone" ? $" by {c.Days} day(s)" : string.Empty)} ({c.RequestedBy})",
        };
    }

    /// <summary>Step two: given the schedules (GetSchedule outputs), what changes, the hold and the reply.</summary>
    public static ChatCommandPlan Decide(ChatCommandItem c, PlanChatCommandRequest request, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(request);
        var plan = Query(c, problems);
        if (!Timestamps.TryParse(request.Now, out var now))
        {
            problems.Add($"now: \"{request.Now}\" is not an ISO-8601 time");
        }

        if (request.Deployment?.UpgradeStateMachineArn is null || request.Deployment.SchedulerRoleArn is null)
        {
            problems.Add("deployment.upgradeStateMachineArn and deployment.schedulerRoleArn: required");
        }

        if (problems.Count > 0)
        {
            return plan;
        }

        var schedules = request.Schedules!;
        var ours = schedules.Where(s => Text(s, "Target", "Arn") == request.Deployment!.UpgradeStateMachineArn && Text(s, "Target", "RoleArn") == request.Deployment.SchedulerRoleArn).ToList();
        var others = schedules.Count - ours.Count;
        var lines = ours.Select(s => $"• {Text(s, "Name")}: {Text(s, "ScheduleExpression")} {Text(s, "ScheduleExpressionTimezone") ?? "UTC"} ({Text(s, "State")})").ToList();
        var note = others > 0 ? $" ({others} other schedule(s) with this prefix left alone: not this deployment's upgrade)" : string.Empty;
        var who = c.RequestedBy ?? "slack/?";
        switch (c.Operation)
        {
            case "list":
                return plan with
                {
                    Reply = ours.Count == 0
                        ? $"{c.ClusterName} has no end-of-support schedule{note}."
                        : $"End-of-support schedules of {c.ClusterName}{note}:\n{string.Join('\n', lines)}",
                };
            case "cancel":
                var until = now.AddDays(CancelHoldDays);
                return plan with
                {
                    Deletes = [.. ours.Select(s => new ScheduleKey { Name = Text(s, "Name")!, GroupName = Text(s, "GroupName") ?? "default" })],
                    Hold = Hold("cancelled", until),
                    Reply = (ours.Count == 0 ? $"{c.ClusterName} had no end-of-support schedule to cancel{note}." : $"Cancelled {string.Join(", ", ours.Select(s => Text(s, "Name")))}{note}.")
                        + $" The daily scan leaves {c.ClusterName} alone until {Timestamps.Format(until)} ({who}).",
                };
            default:
                var days = Days(c)!.Value;
                var moved = new List<JsonElement>();
                var latest = now;
                foreach (var s in ours)
                {
                    if (Postponed(s, days, who) is not { } update)
                    {
                        problems.Add($"schedules: {Text(s, "Name")} is not a one-time at() schedule in a known time zone ({Text(s, "ScheduleExpression")} {Text(s, "ScheduleExpressionTimezone")})");
                        continue;
                    }

                    moved.Add(update.Request);
                    latest = update.StartsAt > latest ? update.StartsAt : latest;
                }

                return plan with
                {
                    Updates = moved,
                    Hold = moved.Count == 0 ? null : Hold("postponed", latest),
                    Reply = moved.Count == 0
                        ? $"{c.ClusterName} has no end-of-support schedule to postpone{note}."
                        : $"Postponed by {days} day(s): {string.Join(", ", moved.Select(m => $"{m.GetProperty("Name").GetString()} now {m.GetProperty("ScheduleExpression").GetString()} {m.GetProperty("ScheduleExpressionTimezone").GetString()}"))}{note}. "
                            + $"The daily scan leaves {c.ClusterName} alone until then ({who}).",
                };
        }
    }

    private static ScheduleHold Hold(string kind, DateTimeOffset until) => new()
    {
        Kind = kind,
        Until = Timestamps.Format(until),
        ExpiresAt = until.AddDays(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
    };

    private static int? Days(ChatCommandItem c) =>
        int.TryParse(c.Days, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= ChatGrammar.MaxPostponeDays ? days : null;

    /// <summary>The whole UpdateSchedule request for a schedule moved by <paramref name="days"/>, and when it now fires.</summary>
    private static (JsonElement Request, DateTimeOffset StartsAt)? Postponed(JsonElement schedule, int days, string who)
    {
        var expression = Text(schedule, "ScheduleExpression");
        var zoneId = Text(schedule, "ScheduleExpressionTimezone") ?? "UTC";
        if (expression is null || !expression.StartsWith("at(", StringComparison.Ordinal) || !expression.EndsWith(')')
            || !DateTime.TryParseExact(expression[3..^1], "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            || !TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
        {
            return null;
        }

        // Whole days on the wall clock of the schedule's zone: the same local time, days later (across a DST change too).
        var later = local.AddDays(days);
        var request = new JsonObject();
        foreach (var member in (string[])["Name", "GroupName", "ScheduleExpressionTimezone", "StartDate", "EndDate", "State", "KmsKeyArn", "Target", "FlexibleTimeWindow", "ActionAfterCompletion"])
        {
            if (schedule.TryGetProperty(member, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                request[member] = JsonNode.Parse(value.GetRawText());
            }
        }

        request["ScheduleExpression"] = $"at({later.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)})";
        request["ScheduleExpressionTimezone"] = zoneId;
        request["State"] ??= "ENABLED";
        request["ActionAfterCompletion"] ??= "NONE";
        var description = $"{Text(schedule, "Description")} (postponed {days} day(s) from chat by {who})".Trim();
        request["Description"] = description.Length <= MaxDescriptionLength ? description : description[..MaxDescriptionLength];
        using var document = JsonDocument.Parse(request.ToJsonString());
        return (document.RootElement.Clone(), new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(later, DateTimeKind.Unspecified), zone), TimeSpan.Zero));
    }

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}
