namespace BlueGreen.Functions.Chat;

/// <summary>
/// What the chat endpoint remembers and reads. The DynamoDB implementation is <c>Chat.Aws.DynamoDbChatStore</c>; the
/// endpoint makes no other call, so a refused request's only effect is its audit record.
/// </summary>
public interface IChatStore
{
    /// <summary>Remembers a signed request until <paramref name="expiresAt"/>; false when it was already seen (a replay).</summary>
    Task<bool> RememberRequestAsync(string signature, DateTimeOffset expiresAt, CancellationToken cancellation);

    /// <summary>Writes the command item: the audit record and, for an accepted workflow command, the work to do.</summary>
    Task RecordAsync(ChatAuditRecord record, CancellationToken cancellation);

    /// <summary>The run with this id (the run records' <c>runsByTime</c> index, newest first), or null.</summary>
    Task<ChatRun?> FindRunAsync(string runId, CancellationToken cancellation);

    /// <summary>The newest runs, of one cluster or of all, newest first.</summary>
    Task<IReadOnlyList<ChatRun>> RecentRunsAsync(string? cluster, int limit, CancellationToken cancellation);
}

/// <summary>A run as chat shows it: from the run record the upgrade keeps.</summary>
public sealed record ChatRun(
    string RunId,
    string ClusterName,
    string? TargetVersion,
    string? RequestedBy,
    string? Status,
    string? Phase,
    int? BlueWeight,
    int? GreenWeight,
    string? StartedAt,
    string? ExecutionArn,
    string? Outcome);

/// <summary>
/// One command item: who (workspace, user, channel), when, what was typed, the decision and its reason, and the run or
/// execution it touched. Accepted workflow commands have status <c>pending</c>: the command workflow acts on them.
/// </summary>
public sealed record ChatAuditRecord
{
    public const string Accepted = "accepted";
    public const string Refused = "refused";
    public const string Pending = "pending";
    public const string Answered = "answered";

    /// <summary>How long command items are kept (DynamoDB TTL on <c>expiresAt</c>).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(400);

    public required string CommandId { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Decision { get; init; }
    public required string DecisionCode { get; init; }
    public required string DecisionReason { get; init; }
    public required string Status { get; init; }

    /// <summary>False when the request could not be shown to be Slack's: its team, user and channel are only claims.</summary>
    public required bool Verified { get; init; }

    public string? Source { get; init; }
    public string? TeamId { get; init; }
    public string? ChannelId { get; init; }
    public string? UserId { get; init; }
    public string? Text { get; init; }
    public ChatCommand? Command { get; init; }

    /// <summary>The cluster the command is about (given, or the cluster of the run it names).</summary>
    public string? Cluster { get; init; }

    /// <summary>The upgrade execution the command touches (approve, reject, abort).</summary>
    public string? ExecutionArn { get; init; }

    /// <summary>Where the command workflow posts the follow-up (accepted workflow commands only; Slack honours it for 30 minutes).</summary>
    public string? ResponseUrl { get; init; }

    public DateTimeOffset ExpiresAt => At + Retention;
}
