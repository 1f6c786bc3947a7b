using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.EndOfSupport;

namespace BlueGreen.Functions.Chat;

/// <summary>An accepted chat command as the endpoint wrote it (the command item, read from the stream record).</summary>
public sealed record ChatCommandItem
{
    [JsonPropertyName("commandId")] public string? CommandId { get; init; }
    [JsonPropertyName("verb")] public string? Verb { get; init; }
    [JsonPropertyName("clusterName")] public string? ClusterName { get; init; }
    [JsonPropertyName("targetVersion")] public string? TargetVersion { get; init; }
    [JsonPropertyName("profile")] public string? Profile { get; init; }
    [JsonPropertyName("runId")] public string? RunId { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    /// <summary><c>slack/&lt;user&gt;</c> (ChatReplies.RequestedBy): recorded on runs started from chat and on approvals.</summary>
    [JsonPropertyName("requestedBy")] public string? RequestedBy { get; init; }
    /// <summary>The run's upgrade execution (for abort), looked up by the endpoint.</summary>
    [JsonPropertyName("executionArn")] public string? ExecutionArn { get; init; }
    /// <summary><c>schedule</c>: list, cancel or postpone.</summary>
    [JsonPropertyName("operation")] public string? Operation { get; init; }
    /// <summary><c>schedule postpone</c>: whole days, as text (the command item's S value).</summary>
    [JsonPropertyName("days")] public string? Days { get; init; }
}

/// <summary>PlanChatCommand's input: the command and the deployed profiles (profiles/*.json, the <c>${EndOfSupportProfiles}</c> substitution).</summary>
public sealed record PlanChatCommandRequest
{
    /// <summary>The command, as plain values.</summary>
    [JsonPropertyName("command")] public ChatCommandItem? Command { get; init; }
    /// <summary>Or the command item as the stream record carries it (DynamoDB JSON, <c>{"verb": {"S": "upgrade"}}</c>).</summary>
    [JsonPropertyName("item")] public IReadOnlyDictionary<string, JsonElement>? Item { get; init; }
    [JsonPropertyName("profiles")] public IReadOnlyList<JsonElement>? Profiles { get; init; }
    /// <summary><c>schedule</c>, second step: GetSchedule's answers for the schedules the first step's query listed.</summary>
    [JsonPropertyName("schedules")] public IReadOnlyList<JsonElement>? Schedules { get; init; }
    /// <summary><c>schedule</c>, second step: the workflow's clock (<c>$$.State.EnteredTime</c>).</summary>
    [JsonPropertyName("now")] public string? Now { get; init; }
    /// <summary><c>schedule</c>, second step: the upgrade and the end-of-support scheduler role, the only target it touches.</summary>
    [JsonPropertyName("deployment")] public ScanDeployment? Deployment { get; init; }
}

/// <summary>What chat-command does for a command: one Step Functions call, with its arguments.</summary>
public sealed record ChatCommandPlan
{
    public const string Start = "start";
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Abort = "abort";
    public const string Schedules = "schedules";

    /// <summary><see cref="Start"/> (upgrade, plan), <see cref="Approve"/>, <see cref="Reject"/> or <see cref="Abort"/>.</summary>
    [JsonPropertyName("action")] public required string Action { get; init; }
    /// <summary>StartExecution's name: <c>chat-&lt;commandId&gt;</c>, so a command starts at most one run.</summary>
    [JsonPropertyName("executionName")] public string? ExecutionName { get; init; }
    /// <summary>StartExecution's input (JSON text): the profile's upgrade template with the cluster, version and requester.</summary>
    [JsonPropertyName("input")] public string? Input { get; init; }
    /// <summary>The profile used.</summary>
    [JsonPropertyName("profile")] public string? Profile { get; init; }
    /// <summary>The approval item's key in the run table (approve, reject): <c>pk = RUN#&lt;runId&gt;, sk = APPROVAL</c>.</summary>
    [JsonPropertyName("approvalKey")] public ApprovalKey? ApprovalKey { get; init; }
    /// <summary>SendTaskSuccess's output (JSON text): <c>{"approved": true, "by": "slack/&lt;user&gt;"}</c>.</summary>
    [JsonPropertyName("taskOutput")] public string? TaskOutput { get; init; }
    /// <summary>SendTaskFailure's error and cause (reject): <c>ApprovalRefused</c>, the reason and who gave it.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("cause")] public string? Cause { get; init; }
    /// <summary>StopExecution's execution and cause (abort).</summary>
    [JsonPropertyName("executionArn")] public string? ExecutionArn { get; init; }
    /// <summary><see cref="Schedules"/>, first step: ListSchedules' filter.</summary>
    [JsonPropertyName("scheduleQuery")] public ScheduleQuery? ScheduleQuery { get; init; }
    /// <summary><see cref="Schedules"/>, second step: DeleteSchedule keys, whole UpdateSchedule requests, the hold for the scan, the reply.</summary>
    [JsonPropertyName("deletes")] public IReadOnlyList<ScheduleKey> Deletes { get; init; } = [];
    [JsonPropertyName("updates")] public IReadOnlyList<JsonElement> Updates { get; init; } = [];
    [JsonPropertyName("hold"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public ScheduleHold? Hold { get; init; }
    [JsonPropertyName("reply"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Reply { get; init; }
    /// <summary>One line saying what the command asks, for the audit item and the follow-up.</summary>
    [JsonPropertyName("summary")] public required string Summary { get; init; }
}

public sealed record ApprovalKey
{
    [JsonPropertyName("pk")] public required string Pk { get; init; }
    [JsonPropertyName("sk")] public required string Sk { get; init; }
}

/// <summary>
/// Turns an accepted chat command into the one Step Functions call chat-command makes. <c>upgrade</c> and <c>plan</c>
/// start the upgrade with the input of a profile (the one named, or the only one whose <c>match.clusterNames</c> match the
/// cluster: chat does not read cluster tags, so a profile's tag and version conditions are the end-of-support scan's, not
/// chat's, and a profile that names no cluster patterns matches nothing here); <c>plan</c> adds <c>dryRun</c>. <c>approve</c> and <c>reject</c> answer the run's open approval, whose token the
/// gate keeps with the run; <c>abort</c> stops the run's execution. Errors: <see cref="InvalidInput"/> listing every problem.
/// </summary>
public static class ChatCommandPlanner
{
    public static ChatCommandPlan Plan(PlanChatCommandRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var c = request.Command ?? (request.Item is { } item ? FromImage(item) : throw new InvalidInput("command or item: required"));
        var problems = new List<string>();
        Require(c.CommandId, "command.commandId", problems);
        Require(c.RequestedBy, "command.requestedBy", problems);
        ChatCommandPlan? plan = c.Verb switch
        {
            "upgrade" or "plan" => Start(c, request.Profiles ?? [], problems),
            "approve" => RunCommand(c, problems) is { } key
                ? new ChatCommandPlan
                {
                    Action = ChatCommandPlan.Approve,
                    ApprovalKey = key,
                    TaskOutput = new JsonObject { ["approved"] = true, ["by"] = c.RequestedBy, ["commandId"] = c.CommandId }.ToJsonString(),
                    Summary = $"approve run {c.RunId} ({c.RequestedBy})",
                }
                : null,
            "reject" => RunCommand(c, problems) is { } rejected
                ? new ChatCommandPlan
                {
                    Action = ChatCommandPlan.Reject,
                    ApprovalKey = rejected,
                    Error = "ApprovalRefused",
                    Cause = $"Rejected from chat by {c.RequestedBy}: {c.Reason ?? "no reason given"}",
                    Summary = $"reject run {c.RunId} ({c.RequestedBy}): {c.Reason}",
                }
                : null,
            "abort" => Require(c.ExecutionArn, "command.executionArn (the run's execution)", problems) && RunCommand(c, problems) is not null
                ? new ChatCommandPlan
                {
                    Action = ChatCommandPlan.Abort,
                    ExecutionArn = c.ExecutionArn,
                    Cause = $"Stopped from chat by {c.RequestedBy}",
                    Summary = $"abort run {c.RunId} ({c.RequestedBy})",
                }
                : null,
            "schedule" => request.Schedules is null ? ChatSchedules.Query(c, problems) : ChatSchedules.Decide(c, request, problems),
            _ => Problem($"command.verb: \"{c.Verb}\" is not a workflow command (upgrade, plan, approve, reject, abort, schedule)", problems),
        };
        return problems.Count == 0 && plan is not null ? plan : throw new InvalidInput(problems);
    }

    private static ChatCommandPlan? Start(ChatCommandItem c, IReadOnlyList<JsonElement> profiles, List<string> problems)
    {
        Require(c.ClusterName, "command.clusterName", problems);
        var version = KubernetesVersion.Parse(c.TargetVersion);
        if (version is null)
        {
            problems.Add($"command.targetVersion: \"{c.TargetVersion}\" is not a Kubernetes minor version (1.34)");
        }

        if (c.ClusterName is null || version is null)
        {
            return null;
        }

        var all = ProfileReader.ReadAll(profiles.Select((p, i) => ($"profiles[{i}]", p)));
        var anyTags = new Dictionary<string, string>(StringComparer.Ordinal);
        var candidates = c.Profile is { } named
            ? all.Where(p => p.Name == named).ToList()
            : all.Where(p => p.Match.ClusterNames.Count > 0 && ProfileMatcher.Matches(p.Match with { Tags = anyTags, Versions = [] }, c.ClusterName, null, anyTags)).ToList();
        if (candidates.Count != 1)
        {
            problems.Add(c.Profile is not null
                ? $"command.profile: no profile is named \"{c.Profile}\" (deployed: {string.Join(", ", all.Select(p => p.Name))})"
                : candidates.Count == 0
                    ? $"no profile's clusterNames match {c.ClusterName}; add one to profiles/ or name one (deployed: {string.Join(", ", all.Select(p => p.Name))})"
                    : $"{candidates.Count} profiles match {c.ClusterName} ({string.Join(", ", candidates.Select(p => p.Name))}); name one: /bluegreen {c.Verb} {c.ClusterName} {c.TargetVersion} <profile>");
            return null;
        }

        var profile = candidates[0];
        var input = JsonNode.Parse(EndOfSupportPlanner.UpgradeInput(profile, c.ClusterName, version.Value, c.RequestedBy ?? "slack/?"))!.AsObject();
        if (c.Verb == "plan")
        {
            input["dryRun"] = true;
        }

        return new ChatCommandPlan
        {
            Action = ChatCommandPlan.Start,
            ExecutionName = $"chat-{c.CommandId}",
            Input = input.ToJsonString(),
            Profile = profile.Name,
            Summary = $"{c.Verb} {c.ClusterName} to {version.Value} with profile {profile.Name} ({c.RequestedBy})",
        };
    }

    /// <summary>The string attributes of a DynamoDB image (<c>{"S": "..."}</c>); others are not part of a command.</summary>
    private static ChatCommandItem FromImage(IReadOnlyDictionary<string, JsonElement> image)
    {
        string? S(string name) => DynamoItems.Text(image, name);
        return new ChatCommandItem
        {
            CommandId = S("commandId"),
            Verb = S("verb"),
            ClusterName = S("clusterName"),
            TargetVersion = S("targetVersion"),
            Profile = S("profile"),
            RunId = S("runId"),
            Reason = S("reason"),
            RequestedBy = S("requestedBy"),
            ExecutionArn = S("executionArn"),
            Operation = S("operation"),
            Days = S("days"),
        };
    }

    private static ApprovalKey? RunCommand(ChatCommandItem c, List<string> problems) =>
        Require(c.RunId, "command.runId", problems) ? new ApprovalKey { Pk = $"RUN#{c.RunId}", Sk = "APPROVAL" } : null;

    private static bool Require(string? value, string name, List<string> problems)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        problems.Add($"{name}: required");
        return false;
    }

    private static ChatCommandPlan? Problem(string problem, List<string> problems)
    {
        problems.Add(problem);
        return null;
    }
}
