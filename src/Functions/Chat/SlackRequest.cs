using System.Text;
using System.Text.Json;

namespace BlueGreen.Functions.Chat;

/// <summary>
/// What Slack sent, once the signature checked: a slash command (<c>application/x-www-form-urlencoded</c> fields
/// team_id, channel_id, user_id, command, text, response_url; https://api.slack.com/interactivity/slash-commands) or a
/// button click (the same encoding with one field, <c>payload</c>, holding the <c>block_actions</c> JSON;
/// https://api.slack.com/reference/interaction-payloads/block-actions). A click becomes the text it stands for
/// ("approve RUN"), so both go through one grammar and one authorization.
/// </summary>
public sealed record SlackRequest(string Source, string TeamId, string ChannelId, string UserId, string Text, string? ResponseUrl)
{
    public const string SlashCommand = "slash-command";

    public const string Button = "button";

    /// <summary>The action ids of the Approve and Reject buttons on the approval message (their value is the run id).</summary>
    public const string ApproveAction = "bluegreen-approve";

    public const string RejectAction = "bluegreen-reject";

    /// <summary>The reason a rejection by button records (a slash command gives its own).</summary>
    public const string ButtonRejectReason = "rejected with the button on the approval message";

    private static readonly string[] RequiredSlashFields = ["team_id", "channel_id", "user_id", "command"];

    /// <summary>The request, or the reason it is malformed (never echoing more than a field name).</summary>
    public static (SlackRequest? Request, ChatRefusal? Refusal) Parse(string body)
    {
        var fields = FormFields(body);
        if (fields is null)
        {
            return (null, ChatRefusal.Malformed("the body is not form-encoded fields (each name once)"));
        }

        return fields.TryGetValue("payload", out var payload) ? FromPayload(payload) : FromSlashCommand(fields);
    }

    private static (SlackRequest?, ChatRefusal?) FromSlashCommand(Dictionary<string, string> fields)
    {
        var missing = RequiredSlashFields.Where(f => string.IsNullOrEmpty(fields.GetValueOrDefault(f))).ToList();
        if (missing.Count > 0)
        {
            return (null, ChatRefusal.Malformed($"the slash command has no {string.Join(", ", missing)}"));
        }

        return (new SlackRequest(SlashCommand, fields["team_id"], fields["channel_id"], fields["user_id"], fields.GetValueOrDefault("text") ?? string.Empty,
            fields.GetValueOrDefault("response_url")), null);
    }

    private static (SlackRequest?, ChatRefusal?) FromPayload(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Field(root, "type") != "block_actions")
            {
                return (null, ChatRefusal.Malformed("the interactive payload is not a block_actions payload"));
            }

            var team = Nested(root, "team", "id") ?? Nested(root, "user", "team_id");
            var user = Nested(root, "user", "id");
            var channel = Nested(root, "channel", "id");
            if (team is null || user is null || channel is null
                || !root.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array || actions.GetArrayLength() != 1)
            {
                return (null, ChatRefusal.Malformed("the interactive payload needs team.id, user.id, channel.id and exactly one action"));
            }

            var action = actions[0];
            var run = Field(action, "value") ?? string.Empty;
            var text = Field(action, "action_id") switch
            {
                ApproveAction => $"approve {run}",
                RejectAction => $"reject {run} {ButtonRejectReason}",
                _ => null,
            };
            return text is null
                ? (null, ChatRefusal.Malformed("the button is not one of this app's (Approve, Reject)"))
                : (new SlackRequest(Button, team, channel, user, text, Field(root, "response_url")), null);
        }
        catch (JsonException)
        {
            return (null, ChatRefusal.Malformed("the interactive payload is not JSON"));
        }
    }

    private static string? Field(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Nested(JsonElement element, string outer, string inner) =>
        element.TryGetProperty(outer, out var o) ? Field(o, inner) : null;

    /// <summary>application/x-www-form-urlencoded: '+' is a space, then percent-decoding (UTF-8). Null when a name repeats or an escape is broken.</summary>
    internal static Dictionary<string, string>? FormFields(string body)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(at < 0 ? pair : pair[..at]);
            var value = Decode(at < 0 ? string.Empty : pair[(at + 1)..]);
            if (name is null || value is null || !fields.TryAdd(name, value))
            {
                return null;
            }
        }

        return fields.Count == 0 ? null : fields;
    }

    private static string? Decode(string text)
    {
        try
        {
            var decoded = Uri.UnescapeDataString(text.Replace('+', ' '));
            // A broken escape ("%zz") is left as it was; a lone surrogate would not survive a round trip through UTF-8.
            return decoded.Contains('\uFFFD', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(decoded) < 0 ? null : decoded;
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}
