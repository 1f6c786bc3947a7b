using System.Globalization;
using System.Text;
using System.Text.Json;
using BlueGreen.Functions.Chat;

namespace BlueGreen.Functions.Tests.Chat;

/// <summary>A clock that stands still unless moved.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The store's contract in memory: a remembered signature is refused a second time, records are kept in order.</summary>
internal sealed class InMemoryChatStore : IChatStore
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public List<ChatAuditRecord> Records { get; } = [];

    public List<ChatRun> Runs { get; } = [];

    public int Remembered => _seen.Count;

    public Task<bool> RememberRequestAsync(string signature, DateTimeOffset expiresAt, CancellationToken cancellation) => Task.FromResult(_seen.Add(signature));

    public Task RecordAsync(ChatAuditRecord record, CancellationToken cancellation)
    {
        Records.Add(record);
        return Task.CompletedTask;
    }

    public Task<ChatRun?> FindRunAsync(string runId, CancellationToken cancellation) => Task.FromResult(Runs.FirstOrDefault(r => r.RunId == runId));

    public Task<IReadOnlyList<ChatRun>> RecentRunsAsync(string? cluster, int limit, CancellationToken cancellation) =>
        Task.FromResult<IReadOnlyList<ChatRun>>([.. Runs.Where(r => cluster is null || r.ClusterName == cluster).Take(limit)]);
}

/// <summary>An endpoint with a policy, an in-memory store and a fixed clock, and requests signed the way Slack signs them.</summary>
internal sealed class ChatRig
{
    public const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const string Team = "T0BLUE";
    public const string Channel = "C0OPS";
    public const string Operator = "U0OPERATOR";
    public const string Approver = "U0APPROVER";
    public const string Viewer = "U0VIEWER";
    public const string GroupMember = "U0GROUPIE";
    public const string Stranger = "U0STRANGER";

    public static readonly ChatPolicy Policy = new()
    {
        TeamIds = [Team],
        ChannelIds = [Channel],
        UserGroups = new Dictionary<string, IReadOnlyList<string>> { ["S0APPROVERS"] = [GroupMember] },
        Grants =
        [
            new ChatGrant { Principals = [Operator], Role = "operator", Clusters = ["shop-*"] },
            new ChatGrant { Principals = [Approver, "S0APPROVERS"], Role = "approver", Clusters = ["shop-*", "pay-blue"] },
            new ChatGrant { Principals = [Viewer], Role = "viewer", Clusters = ["*"] },
        ],
    };

    public FixedClock Clock { get; } = new(new DateTimeOffset(2026, 12, 5, 6, 0, 0, TimeSpan.Zero));

    public InMemoryChatStore Store { get; } = new();

    public int SecretReads { get; private set; }

    public ChatEndpoint Endpoint => new(Policy, Store, _ =>
    {
        SecretReads++;
        return Task.FromResult(Encoding.UTF8.GetBytes(Secret));
    }, Clock);

    public static string SlashBody(string text, string user = Operator, string team = Team, string channel = Channel) =>
        string.Join('&',
            $"team_id={team}", $"channel_id={channel}", $"user_id={user}", "user_name=someone", "command=%2Fbluegreen",
            "text=" + Uri.EscapeDataString(text).Replace("%20", "+", StringComparison.Ordinal),
            "response_url=" + Uri.EscapeDataString("https://hooks.slack.com/commands/T0BLUE/1/abc"));

    public static string ButtonBody(string actionId, string run, string user = Approver, string team = Team, string channel = Channel) =>
        "payload=" + Uri.EscapeDataString($$"""
            {"type":"block_actions","team":{"id":"{{team}}"},"user":{"id":"{{user}}","team_id":"{{team}}"},"channel":{"id":"{{channel}}"},
             "response_url":"https://hooks.slack.com/actions/T0BLUE/2/def","actions":[{"action_id":"{{actionId}}","value":"{{run}}","type":"button"}]}
            """);

    public ChatHttpRequest Signed(string body, DateTimeOffset? at = null, string secret = Secret)
    {
        var timestamp = (at ?? Clock.Now).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(body);
        return new ChatHttpRequest("POST", new Dictionary<string, string>
        {
            ["x-slack-request-timestamp"] = timestamp,
            ["x-slack-signature"] = SlackSignature.Sign(Encoding.UTF8.GetBytes(secret), timestamp, bytes),
            ["content-type"] = "application/x-www-form-urlencoded",
        }, bytes);
    }

    public ChatHttpResponse Send(ChatHttpRequest request) => Endpoint.HandleAsync(request).GetAwaiter().GetResult();

    public ChatHttpResponse Say(string text, string user = Operator) => Send(Signed(SlashBody(text, user)));

    public static string TextOf(ChatHttpResponse response) => JsonDocument.Parse(response.Body).RootElement.GetProperty("text").GetString()!;

    public static string TypeOf(ChatHttpResponse response) => JsonDocument.Parse(response.Body).RootElement.GetProperty("response_type").GetString()!;

    public ChatRun AddRun(string runId, string cluster, string requestedBy) =>
        Add(new ChatRun(runId, cluster, "1.34", requestedBy, "Running", "Waiting for approval", 100, 0, "2026-12-05T05:50:00Z",
            $"arn:aws:states:us-east-1:111122223333:execution:bluegreen-dev-upgrade:{runId}", null));

    private ChatRun Add(ChatRun run)
    {
        Store.Runs.Add(run);
        return run;
    }
}

