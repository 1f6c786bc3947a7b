using System.Globalization;
using System.Text;
using System.Text.Json;

namespace BlueGreen.Functions.Chat;

/// <summary>
/// The messages the endpoint answers with (Slack message JSON: <c>response_type</c> ephemeral, seen only by the person
/// who typed, or in_channel; https://api.slack.com/interactivity/handling#message_responses). Nothing here contains a
/// task token: approvals name runs.
/// </summary>
public static class ChatReplies
{
    /// <summary>The execution input's <c>requestedBy</c> for an upgrade started from chat, and what four eyes compares.</summary>
    public static string RequestedBy(string userId) => "slack/" + userId;

    public static string Refused(ChatRefusal refusal, bool withUsage) =>
        Message("ephemeral", $"Refused: {refusal.Reason}." + (withUsage ? "\n```\n" + ChatGrammar.Usage + "\n```" : string.Empty));

    public static string Help() => Message("ephemeral", "Blue/Green EKS upgrades from chat:\n```\n" + ChatGrammar.Usage + "\n```\n"
        + "Approvals ask in this channel with Approve/Reject buttons; nobody approves a run they started.");

    public static string Accepted(string commandId, SlackRequest slack, ChatCommand command, ChatRun? run)
    {
        var what = command.Verb switch
        {
            "plan" => $"a dry run of {command.Cluster} to {command.Version}{Profile(command)}",
            "upgrade" => $"an upgrade of {command.Cluster} to {command.Version}{Profile(command)}",
            "approve" => $"approval of run {run!.RunId} ({run.ClusterName})",
            "reject" => $"rejection of run {run!.RunId} ({run.ClusterName}): {command.Reason}",
            "schedule" => command.Operation switch
            {
                "list" => $"the end-of-support schedules of {command.Cluster}",
                "cancel" => $"cancelling the end-of-support schedules of {command.Cluster} (the daily scan leaves the cluster alone for {ChatSchedules.CancelHoldDays} days)",
                _ => $"postponing the end-of-support schedules of {command.Cluster} by {command.Days} day(s)",
            },
            _ => $"abort of run {run!.RunId} ({run.ClusterName}); restore-blue puts traffic back on Blue and the confirmation follows",
        };
        return Message("in_channel", $"<@{slack.UserId}> asked for {what}. Command {commandId} accepted; the outcome is posted here.");
    }

    public static string Status(string? cluster, IReadOnlyList<ChatRun> runs) =>
        Message("ephemeral", runs.Count == 0
            ? cluster is null ? "No runs recorded yet." : $"No runs recorded for {cluster}."
            : Describe(runs[0]));

    public static string History(string cluster, IReadOnlyList<ChatRun> runs) =>
        Message("ephemeral", runs.Count == 0
            ? $"No runs recorded for {cluster}."
            : $"Last {runs.Count} run(s) of {cluster}:\n" + string.Join('\n', runs.Select(r => "• " + Describe(r))));

    private static string Describe(ChatRun run)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{run.ClusterName} run {run.RunId}");
        text.Append(CultureInfo.InvariantCulture, $" to {run.TargetVersion ?? "?"}: {run.Status ?? "unknown"}");
        if (run.Outcome is { } outcome)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({outcome})");
        }

        if (run.Phase is { } phase)
        {
            text.Append(CultureInfo.InvariantCulture, $", phase {phase}");
        }

        if (run.BlueWeight is { } blue && run.GreenWeight is { } green)
        {
            text.Append(CultureInfo.InvariantCulture, $", Blue {blue}% · Green {green}%");
        }

        text.Append(CultureInfo.InvariantCulture, $", started {run.StartedAt ?? "?"} by {run.RequestedBy ?? "?"}");
        return text.ToString();
    }

    private static string Profile(ChatCommand command) => command.Profile is null ? string.Empty : $" (profile {command.Profile})";

    private static string Message(string responseType, string text)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("response_type", responseType);
            json.WriteString("text", text);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
