using System.Security.Cryptography;
using System.Text;

namespace BlueGreen.Functions.Chat;

/// <summary>An HTTP request as the endpoint sees it: header names lower case, the raw body bytes (what Slack signed).</summary>
public sealed record ChatHttpRequest(string Method, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>The answer: a status and a Slack message (JSON).</summary>
public sealed record ChatHttpResponse(int StatusCode, string Body);

/// <summary>
/// The Slack endpoint: every request is checked in this order, and the first failure is the answer (audited, no other effect):
/// <list type="number">
/// <item>size (<see cref="MaxBodyBytes"/>) and method;</item>
/// <item>Slack's v0 signature and a timestamp within five minutes (<see cref="SlackSignature"/>);</item>
/// <item>never seen before (a conditional put remembers the signature past the five minutes);</item>
/// <item>a well-formed slash command or button payload, from an allowlisted workspace and channel;</item>
/// <item>a command of the grammar with valid arguments (<see cref="ChatGrammar"/>);</item>
/// <item>the role the command needs for its cluster (for a run: the run's cluster), and four eyes: nobody approves or
/// rejects a run they started.</item>
/// </list>
/// An accepted command is written as a command item (the audit record; <c>pending</c> for the command workflow) and answered at
/// once: the endpoint does no slow work, so Slack's three-second limit holds. Reads (status, history) are answered from the run records.
/// </summary>
public sealed class ChatEndpoint(ChatPolicy policy, IChatStore store, Func<CancellationToken, Task<byte[]>> signingSecret, TimeProvider clock)
{
    /// <summary>Slash-command bodies are a few hundred bytes and button payloads a few kilobytes (they carry the message); far more is not Slack's.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>How long a signature is remembered: the five minutes it could be replayed in, and a margin for clock skew.</summary>
    public static readonly TimeSpan ReplayMemory = TimeSpan.FromMinutes(15);

    public const int HistoryLength = 5;

    public async Task<ChatHttpResponse> HandleAsync(ChatHttpRequest request, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var id = NewCommandId();
        if (request.Body.Length > MaxBodyBytes)
        {
            return await Refuse(id, now, null, ChatRefusal.TooLarge(MaxBodyBytes), cancellation).ConfigureAwait(false);
        }

        if (!string.Equals(request.Method, "POST", StringComparison.Ordinal))
        {
            return await Refuse(id, now, null, new ChatRefusal("method", $"Slack sends POST, not {request.Method}", 405), cancellation).ConfigureAwait(false);
        }

        var signature = request.Headers.GetValueOrDefault("x-slack-signature");
        var secret = await signingSecret(cancellation).ConfigureAwait(false);
        if (SlackSignature.Verify(secret, request.Headers.GetValueOrDefault("x-slack-request-timestamp"), signature, request.Body, now) is { } unsigned)
        {
            return await Refuse(id, now, null, unsigned, cancellation).ConfigureAwait(false);
        }

        if (!await store.RememberRequestAsync(signature!, now + ReplayMemory, cancellation).ConfigureAwait(false))
        {
            return await Refuse(id, now, null, ChatRefusal.Replayed(), cancellation).ConfigureAwait(false);
        }

        var (slack, malformed) = SlackRequest.Parse(Encoding.UTF8.GetString(request.Body));
        if (slack is null)
        {
            return await Refuse(id, now, null, malformed!, cancellation, verified: true).ConfigureAwait(false);
        }

        return await Decide(id, now, slack, cancellation).ConfigureAwait(false);
    }

    private async Task<ChatHttpResponse> Decide(string id, DateTimeOffset now, SlackRequest slack, CancellationToken cancellation)
    {
        if (!policy.TeamIds.Contains(slack.TeamId))
        {
            return await Refuse(id, now, slack, ChatRefusal.NotAllowed("team-not-allowed", $"workspace {slack.TeamId} is not allowed to run upgrades"), cancellation).ConfigureAwait(false);
        }

        if (!policy.ChannelIds.Contains(slack.ChannelId))
        {
            return await Refuse(id, now, slack, ChatRefusal.NotAllowed("channel-not-allowed", $"upgrades are not run from this channel ({slack.ChannelId}); use one of the ops channels"), cancellation).ConfigureAwait(false);
        }

        var (command, problems) = ChatGrammar.Parse(slack.Text);
        if (command is null)
        {
            var refusal = ChatRefusal.NotAllowed(problems.Any(p => p.Contains("is not a command", StringComparison.Ordinal)) ? "unknown-command" : "invalid-arguments",
                string.Join("; ", problems));
            return await Refuse(id, now, slack, refusal, cancellation).ConfigureAwait(false);
        }

        ChatRun? run = null;
        if (command.NamesRun)
        {
            run = await store.FindRunAsync(command.Run!, cancellation).ConfigureAwait(false);
            if (run is null)
            {
                return await Refuse(id, now, slack, ChatRefusal.NotAllowed("run-not-found", $"there is no run {command.Run}"), cancellation, command).ConfigureAwait(false);
            }
        }

        var cluster = command.Cluster ?? run?.ClusterName;
        if (command.Verb != "help" && !policy.Allows(slack.UserId, command.Role, cluster))
        {
            var scope = cluster is null ? "any cluster" : cluster;
            return await Refuse(id, now, slack, ChatRefusal.NotAllowed("not-authorized", $"{command.Verb} needs the {command.Role.ToString().ToLowerInvariant()} role for {scope}, which you do not have"),
                cancellation, command, run).ConfigureAwait(false);
        }

        if (command.Verb is "approve" or "reject" && run!.RequestedBy == ChatReplies.RequestedBy(slack.UserId))
        {
            return await Refuse(id, now, slack, ChatRefusal.NotAllowed("self-approval", $"you started run {run.RunId}; someone else must {command.Verb} it (four eyes)"),
                cancellation, command, run).ConfigureAwait(false);
        }

        return await Accept(id, now, slack, command, run, cancellation).ConfigureAwait(false);
    }

    private async Task<ChatHttpResponse> Accept(string id, DateTimeOffset now, SlackRequest slack, ChatCommand command, ChatRun? run, CancellationToken cancellation)
    {
        string reply;
        if (command.IsWorkflowCommand)
        {
            reply = ChatReplies.Accepted(id, slack, command, run);
        }
        else if (command.Verb == "help")
        {
            reply = ChatReplies.Help();
        }
        else
        {
            var runs = await store.RecentRunsAsync(command.Cluster, command.Verb == "status" ? 1 : HistoryLength, cancellation).ConfigureAwait(false);
            runs = [.. runs.Where(r => policy.Allows(slack.UserId, ChatRole.Viewer, r.ClusterName))];
            reply = command.Verb == "status" ? ChatReplies.Status(command.Cluster, runs) : ChatReplies.History(command.Cluster!, runs);
        }

        await store.RecordAsync(Record(id, now, slack, command, run, ChatAuditRecord.Accepted, "accepted", "accepted",
            command.IsWorkflowCommand ? ChatAuditRecord.Pending : ChatAuditRecord.Answered), cancellation).ConfigureAwait(false);
        return new ChatHttpResponse(200, reply);
    }

    private async Task<ChatHttpResponse> Refuse(string id, DateTimeOffset now, SlackRequest? slack, ChatRefusal refusal, CancellationToken cancellation,
        ChatCommand? command = null, ChatRun? run = null, bool verified = false)
    {
        var record = Record(id, now, slack, command, run, ChatAuditRecord.Refused, refusal.Code, refusal.Reason, ChatAuditRecord.Refused) with
        {
            Verified = verified || slack is not null,
            ResponseUrl = null,
        };
        await store.RecordAsync(record, cancellation).ConfigureAwait(false);
        return new ChatHttpResponse(refusal.HttpStatus, ChatReplies.Refused(refusal, slack is not null && refusal.Code is "unknown-command" or "invalid-arguments"));
    }

    private static ChatAuditRecord Record(string id, DateTimeOffset now, SlackRequest? slack, ChatCommand? command, ChatRun? run, string decision, string code, string reason, string status) =>
        new()
        {
            CommandId = id,
            At = now,
            Decision = decision,
            DecisionCode = code,
            DecisionReason = reason,
            Status = status,
            Verified = slack is not null,
            Source = slack?.Source,
            TeamId = slack?.TeamId,
            ChannelId = slack?.ChannelId,
            UserId = slack?.UserId,
            Text = slack?.Text,
            Command = command,
            Cluster = command?.Cluster ?? run?.ClusterName,
            ExecutionArn = run?.ExecutionArn,
            ResponseUrl = status == ChatAuditRecord.Pending ? slack?.ResponseUrl : null,
        };

    private static string NewCommandId() => "c-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
