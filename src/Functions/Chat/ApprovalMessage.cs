using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.Chat;

/// <summary>
/// ComposeApprovalMessage's input (ask-approval, when a Slack channel is configured): the run's plan, the gate's kind and
/// question, when the question was asked, the channel, and the run item as GetItem returned it (for Blue's version). The
/// task token is not part of it: the message cannot carry what the function never sees.
/// </summary>
public sealed record ComposeApprovalMessageRequest
{
    [JsonPropertyName("plan")] public UpgradePlan? Plan { get; init; }
    [JsonPropertyName("gate")] public ApprovalGate? Gate { get; init; }
    /// <summary>ask-approval's <c>$$.State.EnteredTime</c>: the deadline is this plus <c>plan.approvals.timeoutSeconds</c>.</summary>
    [JsonPropertyName("askedAt")] public string? AskedAt { get; init; }
    /// <summary>The channel to post to (a channel ID of the chat policy's allowlist).</summary>
    [JsonPropertyName("channel")] public string? Channel { get; init; }
    /// <summary>The upgrade execution (shown, never needed to answer).</summary>
    [JsonPropertyName("upgradeExecutionArn")] public string? UpgradeExecutionArn { get; init; }
    /// <summary>GetItem's output for the run item (<c>{"Item": {...}}</c>, or <c>{}</c> before it exists).</summary>
    [JsonPropertyName("run")] public JsonElement? Run { get; init; }
}

/// <summary>The gate asking: <c>beforeTraffic</c> or <c>beforeFinalize</c>, and the question the upgrade wrote for it.</summary>
public sealed record ApprovalGate
{
    [JsonPropertyName("kind")] public string? Kind { get; init; }
    [JsonPropertyName("question")] public ApprovalQuestion? Question { get; init; }
}

public sealed record ApprovalQuestion
{
    [JsonPropertyName("subject")] public string? Subject { get; init; }
    [JsonPropertyName("title")] public string? Title { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
}

/// <summary>ComposeApprovalMessage's output: the chat.postMessage body, and the deadline it states.</summary>
public sealed record ApprovalMessage
{
    /// <summary>
    /// The request body for <c>https://slack.com/api/chat.postMessage</c> (JSON, https://api.slack.com/methods/chat.postMessage):
    /// <c>channel</c>, <c>text</c> (the notification fallback), <c>blocks</c> (Block Kit), <c>unfurl_links</c>,
    /// <c>unfurl_media</c>.
    /// </summary>
    [JsonPropertyName("request")] public required JsonElement Request { get; init; }
    /// <summary>When nobody answering counts as a refusal (ISO-8601).</summary>
    [JsonPropertyName("deadline")] public required string Deadline { get; init; }
    /// <summary>The fallback text, also what the run's audit shows.</summary>
    [JsonPropertyName("summary")] public required string Summary { get; init; }
}

/// <summary>
/// The approval message with Approve and Reject buttons (issue 15). Block Kit
/// (https://api.slack.com/reference/block-kit/blocks): a section with the question, a section of fields (clusters, versions,
/// gate, run, requester, deadline), a section with the plan in one paragraph, and an actions block whose two buttons carry
/// the run id as their value (<see cref="SlackRequest.ApproveAction"/>, <see cref="SlackRequest.RejectAction"/>, the ids the
/// endpoint accepts; Reject asks for confirmation). Text is escaped as Slack requires (&amp;, &lt;, &gt;:
/// https://api.slack.com/reference/surfaces/formatting#escaping) and cut to Block Kit's limits (3,000 characters of section
/// text, 2,000 per field, 75 per button label). The deadline is shown in each reader's time zone with Slack's date
/// formatting (<c>&lt;!date^unix^{date_short_pretty} at {time}|fallback&gt;</c>,
/// https://api.slack.com/reference/surfaces/formatting#date-formatting). Errors: <see cref="InvalidInput"/> listing every problem.
/// </summary>
public static class ApprovalMessageComposer
{
    /// <summary>The actions block's id (a click's payload names it; the endpoint reads only the action id and value).</summary>
    public const string ActionsBlockId = "bluegreen-approval";

    private const int SectionTextLimit = 3000;
    private const int FieldLimit = 2000;

    public static ApprovalMessage Compose(ComposeApprovalMessageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        var plan = request.Plan;
        if (plan is null)
        {
            problems.Add("plan: required (the run's plan)");
        }

        var kind = request.Gate?.Kind;
        if (kind is not ("beforeTraffic" or "beforeFinalize"))
        {
            problems.Add($"gate.kind: \"{kind}\" is not beforeTraffic or beforeFinalize");
        }

        var title = request.Gate?.Question?.Title;
        if (string.IsNullOrWhiteSpace(title))
        {
            problems.Add("gate.question.title: required");
        }

        if (!Timestamps.TryParse(request.AskedAt, out var askedAt))
        {
            problems.Add($"askedAt: \"{request.AskedAt}\" is not an ISO-8601 time");
        }

        if (string.IsNullOrWhiteSpace(request.Channel) || !request.Channel.All(char.IsAsciiLetterOrDigit))
        {
            problems.Add($"channel: \"{request.Channel}\" is not a Slack channel ID (letters and digits, e.g. C0123ABCD)");
        }

        if (problems.Count > 0 || plan is null)
        {
            throw new InvalidInput(problems);
        }

        var deadline = askedAt.AddSeconds(plan.Approvals.TimeoutSeconds);
        var blueVersion = BlueVersion(request.Run);
        var gateText = kind == "beforeTraffic" ? "before traffic moves to Green" : "before finalizing (Green has all the traffic)";
        var summary = $"{title} Run {plan.RunId} of {plan.BlueClusterName}: approve or reject by {Timestamps.Format(deadline)}.";
        var fields = new JsonArray(
            Field($"*Clusters*\n{Escape(plan.BlueClusterName)} → {Escape(plan.GreenClusterName)}"),
            Field($"*Kubernetes*\n{(blueVersion is null ? string.Empty : Escape(blueVersion) + " → ")}{Escape(plan.TargetVersion)}"),
            Field($"*Gate*\n{gateText}"),
            Field($"*Run*\n{Escape(plan.RunId)}"),
            Field($"*Requested by*\n{Escape(plan.RequestedBy)}"),
            Field($"*Deadline*\n<!date^{deadline.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}^{{date_short_pretty}} at {{time}}|{Timestamps.Format(deadline)}> (no answer counts as a refusal)"));
        var blocks = new JsonArray(
            Section($"*{Escape(title!)}*\n{Escape(request.Gate?.Question?.Description ?? string.Empty)}"),
            new JsonObject { ["type"] = "section", ["fields"] = fields },
            Section($"*Plan*: {Escape(PlanSummary(plan))}"),
            new JsonObject
            {
                ["type"] = "actions",
                ["block_id"] = ActionsBlockId,
                ["elements"] = new JsonArray(
                    Button("Approve", SlackRequest.ApproveAction, plan.RunId, "primary", confirm: null),
                    Button("Reject", SlackRequest.RejectAction, plan.RunId, "danger", new JsonObject
                    {
                        ["title"] = PlainText("Reject this run?"),
                        ["text"] = PlainText(kind == "beforeTraffic" ? "The upgrade stops before any traffic moves." : "All traffic goes back to Blue."),
                        ["confirm"] = PlainText("Reject"),
                        ["deny"] = PlainText("Cancel"),
                    })),
            },
            new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray(new JsonObject
                {
                    ["type"] = "mrkdwn",
                    ["text"] = Cut($"Approvers only, and not the person who started the run. Also: `/bluegreen approve {Escape(plan.RunId)}` or `/bluegreen reject {Escape(plan.RunId)} <reason>`. Execution {Escape(request.UpgradeExecutionArn ?? plan.ExecutionId)}.", FieldLimit),
                }),
            });
        var body = new JsonObject
        {
            ["channel"] = request.Channel,
            ["text"] = Cut(Escape(summary), SectionTextLimit),
            ["blocks"] = blocks,
            ["unfurl_links"] = false,
            ["unfurl_media"] = false,
        };
        using var document = JsonDocument.Parse(body.ToJsonString());
        return new ApprovalMessage { Request = document.RootElement.Clone(), Deadline = Timestamps.Format(deadline), Summary = summary };
    }

    /// <summary>One paragraph: the strategy with its weights and bakes, the traffic provider, the alarms watched, Blue's fate.</summary>
    public static string PlanSummary(UpgradePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var text = new StringBuilder();
        var steps = plan.Strategy.Steps;
        text.Append(CultureInfo.InvariantCulture, $"{plan.Strategy.Name}, {steps.Count} step{(steps.Count == 1 ? string.Empty : "s")} (");
        text.AppendJoin(", ", steps.Select(s => s.BakeSeconds > 0 ? $"{s.Weight}% for {Duration(s.BakeSeconds)}" : $"{s.Weight}%"));
        text.Append(CultureInfo.InvariantCulture, $") through {plan.Traffic.Type}; ");
        text.Append(plan.Alarms.Names.Count switch
        {
            0 => "no alarms watched",
            1 => $"alarm {plan.Alarms.Names[0]} watched",
            var n => $"{n} alarms watched ({string.Join(", ", plan.Alarms.Names.Take(3))}{(n > 3 ? ", ..." : string.Empty)})",
        });
        text.Append(CultureInfo.InvariantCulture, $"; answer within {Duration(plan.Approvals.TimeoutSeconds)}.");
        return text.ToString();
    }

    private static string? BlueVersion(JsonElement? run) => DynamoItems.ItemOf(run) is { } item ? DynamoItems.Text(item, "blueVersion") : null;

    private static string Duration(int seconds) => seconds switch
    {
        >= 3600 when seconds % 3600 == 0 => $"{seconds / 3600} h",
        >= 60 when seconds % 60 == 0 => $"{seconds / 60} min",
        _ => $"{seconds} s",
    };

    private static JsonObject Section(string mrkdwn) => new() { ["type"] = "section", ["text"] = Mrkdwn(Cut(mrkdwn, SectionTextLimit)) };

    private static JsonObject Field(string mrkdwn) => Mrkdwn(Cut(mrkdwn, FieldLimit));

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text };

    private static JsonObject Button(string label, string actionId, string runId, string style, JsonObject? confirm)
    {
        var button = new JsonObject
        {
            ["type"] = "button",
            ["text"] = PlainText(label),
            ["action_id"] = actionId,
            // The run id, never the task token: the command workflow looks the token up by run id.
            ["value"] = runId,
            ["style"] = style,
        };
        if (confirm is not null)
        {
            button["confirm"] = confirm;
        }

        return button;
    }

    /// <summary>Slack's three control characters (https://api.slack.com/reference/surfaces/formatting#escaping).</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }

    private static string Cut(string text, int limit) => text.Length <= limit ? text : text[..(limit - 1)] + "…";
}
