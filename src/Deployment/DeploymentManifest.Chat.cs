namespace BlueGreen.Deployment;

/// <summary>The chat endpoint's part of the deployment (issue 15): its table and the name of its signing-secret parameter.</summary>
public sealed partial class DeploymentManifest
{
    /// <summary>
    /// The chat table: the replay guard and one command item per chat request (the audit record, kept 400 days through
    /// TTL on <c>expiresAt</c>). Key design in <c>src/Functions/Chat/Aws/DynamoDbChatStore.cs</c>: per cluster on the table
    /// key, per user on <see cref="ChatIndexes"/>. Retained like the run-record table, hence the instance suffix.
    /// </summary>
    public TableSpec ChatTable(string instanceSuffix) => new($"{NameBase}-chat-{instanceSuffix}", "pk", "sk", "expiresAt", ChatIndexes);

    /// <summary>One person's commands by time: <c>userKey = USER#&lt;team&gt;/&lt;user&gt;</c>, sorted by the item's sk.</summary>
    public static IReadOnlyList<IndexSpec> ChatIndexes { get; } =
    [
        new("commandsByUser", "userKey", "sk",
            ["commandId", "at", "decision", "decisionCode", "decisionReason", "status", "clusterName", "verb", "text", "runId", "executionArn", "teamId", "channelId", "userId"]),
    ];

    /// <summary>State machines deployed only with the chat endpoint (they read and write the chat table).</summary>
    public static IReadOnlySet<string> ChatOnlyStateMachines { get; } = new HashSet<string>(StringComparer.Ordinal) { "chat-command" };

    /// <summary>
    /// The chat table's stream: new images only (the command workflow reads the command item as written;
    /// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html).
    /// </summary>
    public const string ChatStreamViewType = "NEW_IMAGE";

    /// <summary>
    /// The EventBridge connection chat-command's HTTP Task posts follow-ups with. A response URL carries its own authority
    /// (https://api.slack.com/interactivity/handling#message_responses), so the connection's API key is a fixed, non-secret
    /// header; the HTTP Task requires a connection all the same.
    /// </summary>
    public string SlackResponseConnectionName => $"{NameBase}-slack-response-url";

    /// <summary>
    /// The EventBridge connection ask-approval posts approval messages with (<c>chat.postMessage</c>): API key auth, header
    /// <c>Authorization</c>, value <c>Bearer xoxb-...</c> read at deploy time from <see cref="DeploymentSettings.ChatBotTokenSecret"/>
    /// with a dynamic reference. EventBridge keeps it in a secret of its own (<c>events!connection/&lt;name&gt;/...</c>).
    /// </summary>
    public string SlackBotConnectionName => $"{NameBase}-slack-bot";

    /// <summary>The header the bot connection sends (Slack Web API bearer tokens: https://api.slack.com/authentication/token-types).</summary>
    public const string SlackBotTokenHeader = "Authorization";

    /// <summary>
    /// The CloudFormation dynamic reference that reads the bot token's header value when the stack is deployed
    /// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html: usable in any
    /// resource property; neither CloudFormation nor Secrets Manager logs the resolved value). Null without a bot token secret.
    /// </summary>
    public string? SlackBotTokenReference => Settings.ChatPostsApprovals ? $"{{{{resolve:secretsmanager:{Settings.ChatBotTokenSecret}:SecretString}}}}" : null;

    /// <summary>
    /// The channel ask-approval posts approval messages to: <c>bluegreen:chatApprovalChannel</c>, or the chat policy's first
    /// channel. Null when approval messages are not posted (no chat policy or no bot token secret).
    /// </summary>
    public string? ApprovalChannel => Settings.ChatPostsApprovals
        ? Settings.ChatApprovalChannel ?? BlueGreen.Functions.Chat.Aws.ChatEndpointHost.ParsePolicy(Settings.ChatPolicy!).ChannelIds[0]
        : null;

    /// <summary><c>${SlackApprovalChannel}</c> when nothing is posted: ask-approval's Choice skips the post on this value.</summary>
    public const string NoApprovalChannel = "(none)";

    /// <summary>The EventBridge Pipe from the chat table's stream to chat-command.</summary>
    public string ChatCommandPipeName => $"{NameBase}-chat-commands";

    /// <summary>The role the pipe assumes (IAM role names are global: the Region keeps them apart).</summary>
    public string ChatCommandPipeRoleName(string region) => $"{NameBase}-{region}-chat-pipe";

    /// <summary>
    /// The pipe's source settings: records after the pipe starts (<c>LATEST</c>), one per execution, retried twice before
    /// they are dropped (a command is audited either way; the endpoint's reply already told the user it was accepted).
    /// Members of <c>PipeSourceDynamoDBStreamParameters</c> (EventBridge Pipes API reference).
    /// </summary>
    public static (string StartingPosition, int BatchSize, int MaximumRetryAttempts) ChatPipeSource => ("LATEST", 1, 2);

    /// <summary>
    /// The target invocation: a Standard state machine takes only <c>FIRE_AND_FORGET</c> (StartExecution);
    /// <c>REQUEST_RESPONSE</c> is for Express workflows
    /// (https://docs.aws.amazon.com/eventbridge/latest/pipes-reference/API_PipeTargetStateMachineParameters.html).
    /// </summary>
    public const string ChatPipeInvocationType = "FIRE_AND_FORGET";

    /// <summary>
    /// The pipe's filter: new command items the endpoint accepted (<c>status</c> pending). Refusals, replay-guard items and
    /// the workflow's own updates of a command (MODIFY) start nothing. Pipes filter DynamoDB records on their JSON shape,
    /// attribute values typed (<c>{"S": ...}</c>) as in the stream record
    /// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-event-filtering.html).
    /// </summary>
    public static System.Text.Json.Nodes.JsonObject ChatPipeFilter() => new()
    {
        ["eventName"] = new System.Text.Json.Nodes.JsonArray("INSERT"),
        ["dynamodb"] = new System.Text.Json.Nodes.JsonObject
        {
            ["NewImage"] = new System.Text.Json.Nodes.JsonObject
            {
                ["itemType"] = new System.Text.Json.Nodes.JsonObject { ["S"] = new System.Text.Json.Nodes.JsonArray("COMMAND") },
                ["status"] = new System.Text.Json.Nodes.JsonObject { ["S"] = new System.Text.Json.Nodes.JsonArray("pending") },
            },
        },
    };

    /// <summary>
    /// The pipe role: read the chat table's stream (the four actions EventBridge Pipes needs for a DynamoDB stream source,
    /// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-permissions.html), on that stream only, and start
    /// chat-command, nothing else.
    /// </summary>
    public IReadOnlyList<Permissions.Grant> ChatCommandPipeRolePolicy(DeploymentReferences refs, string streamArn)
    {
        ArgumentNullException.ThrowIfNull(refs);
        return
        [
            new Permissions.Grant("ReadChatCommandStream", ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"], [streamArn]),
            new Permissions.Grant("StartChatCommand", ["states:StartExecution"], [refs.StateMachineArn(StateMachine("chat-command").PhysicalName)]),
        ];
    }

    /// <summary>The SSM SecureString parameter that holds the Slack signing secret (created by the operator, never by the stack).</summary>
    public string ChatSigningSecretParameterName => Settings.ChatSigningSecretParameter ?? $"/{NameBase}/chat/slack-signing-secret";
}
