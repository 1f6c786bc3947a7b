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

    /// <summary>The SSM SecureString parameter that holds the Slack signing secret (created by the operator, never by the stack).</summary>
    public string ChatSigningSecretParameterName => Settings.ChatSigningSecretParameter ?? $"/{NameBase}/chat/slack-signing-secret";
}
