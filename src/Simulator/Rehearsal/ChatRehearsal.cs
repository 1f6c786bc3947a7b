using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using BlueGreen.Functions.Chat;
using BlueGreen.Functions.Chat.Aws;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.Lambda;
using BlueGreen.Simulator.Aws.Services.SecretsManager;
using BlueGreen.Simulator.Aws.Services.Ssm;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>What the chat endpoint answered, and how long the invocation took in real time.</summary>
public sealed record ChatReply(int StatusCode, string ResponseType, string Text, double Milliseconds);

/// <summary>One request a scenario event sent (<c>slashCommand</c>, <c>clickButton</c>) and the endpoint's answer.</summary>
public sealed record ChatExchange(DateTimeOffset At, string Event, string User, string Text, ChatReply Reply);

/// <summary>
/// The Slack endpoint rehearsed: the product deployed into a simulated account (the chat function is started from the
/// code package like every function), the chat table in its DynamoDB (dynalite), the signing secret as a SecureString in
/// a local SSM endpoint, and requests signed as Slack signs them and sent as function URL events (payload 2.0) through
/// the simulated Lambda's Invoke. The function reads its configuration from the process environment, as on AWS; this class
/// sets it around each invocation, one invocation at a time per process.
/// </summary>
public sealed class ChatRehearsal : IDisposable
{
    public const string Team = "T0REHEARSAL";
    public const string Channel = "C0OPS";

    /// <summary>
    /// The rehearsal's policy: U123 is an operator on every cluster, the approvers group (U456, U457) approves everything,
    /// U457 is also an operator on shop-* (so that four eyes can be rehearsed), U789 only views shop-* clusters. Give another
    /// with <c>--policy FILE</c>.
    /// </summary>
    public const string DefaultPolicy = """
        {"teamIds":["T0REHEARSAL"],"channelIds":["C0OPS"],
         "userGroups":{"S0APPROVERS":["U456","U457"]},
         "grants":[{"principals":["U123"],"role":"operator","clusters":["*"]},
                   {"principals":["S0APPROVERS"],"role":"approver","clusters":["*"]},
                   {"principals":["U457"],"role":"operator","clusters":["shop-*"]},
                   {"principals":["U789"],"role":"viewer","clusters":["shop-*"]}]}
        """;

    private static readonly Lock InvocationGate = new();

    private readonly byte[] _secret;
    private readonly Dictionary<string, string> _environment;
    private readonly LambdaService _lambda;
    private readonly string _functionName;
    private readonly List<ChatExchange> _exchanges = [];
    private (string Body, string Timestamp, string Signature)? _lastSigned;
    private int _requests;

    private ChatRehearsal(SimulatedAccount account, ProductDeployment deployment, string policy)
    {
        Account = account;
        Deployment = deployment;
        var manifest = deployment.Manifest ?? throw new InvalidOperationException("The chat rehearsal deploys from the manifest.");
        ChatTableName = deployment.Names.ChatTableName ?? throw new InvalidOperationException("The chat rehearsal needs a deployment with bluegreen:chatPolicy.");
        DynamoDb = account.Service<DynamoDbService>().GetEndpoint();
        _secret = RandomNumberGenerator.GetBytes(16);
        Ssm = new SsmParameterEndpoint(account.Region, account.AccountId);
        Ssm.PutSecureString(manifest.ChatSigningSecretParameterName, Convert.ToHexStringLower(_secret));
        _lambda = account.Service<LambdaService>();
        account.ChatDriver = Drive;
        _functionName = manifest.Functions.Single(f => f.Descriptor.Name == "ChatCommand").FunctionName;
        _environment = new Dictionary<string, string>(DynamoDb.EnvironmentVariables, StringComparer.Ordinal)
        {
            ["AWS_ENDPOINT_URL_SSM"] = Ssm.ServiceUrl.ToString(),
            [ChatEndpointHost.ChatTableVariable] = ChatTableName,
            [ChatEndpointHost.RunsTableVariable] = deployment.TableName,
            [ChatEndpointHost.SigningSecretParameterVariable] = manifest.ChatSigningSecretParameterName,
            [ChatEndpointHost.PolicyVariable] = policy,
        };
    }

    public SimulatedAccount Account { get; }

    public ProductDeployment Deployment { get; }

    public DynamoDbEndpoint DynamoDb { get; }

    public SsmParameterEndpoint Ssm { get; }

    public string ChatTableName { get; }

    /// <summary>What the scenario events sent and got back, in order.</summary>
    public IReadOnlyList<ChatExchange> Exchanges => _exchanges;

    /// <summary>The signing secret Slack would share with the app (hex of 16 random bytes, new for every rehearsal).</summary>
    public byte[] SigningSecret => Encoding.UTF8.GetBytes(Convert.ToHexStringLower(_secret));

    /// <summary>The secret the operator keeps the bot token in (<c>bluegreen:chatBotTokenSecret</c>) in the rehearsal.</summary>
    public const string BotTokenSecretName = "rehearsal/slack-bot-token";

    /// <summary>
    /// Deploys the product with the chat endpoint into a simulated account. The Slack app's bot token (new for every rehearsal)
    /// is known to the simulated Slack, which has the rehearsal channel with the bot in it; the operator's secret holds
    /// <paramref name="botTokenHeader"/> (default <c>Bearer</c> and that token), so ask-approval posts approval messages with
    /// buttons. <paramref name="postApprovals"/> false deploys without a bot token (no approval messages).
    /// </summary>
    public static ChatRehearsal Prepare(Scenario scenario, string? policy = null, bool postApprovals = true, string? botTokenHeader = null)
    {
        var account = AccountFactory.Create(scenario);
        try
        {
            policy ??= DefaultPolicy;
            var overrides = new Dictionary<string, string> { ["bluegreen:chatPolicy"] = policy };
            if (postApprovals)
            {
                var token = "xoxb-rehearsal-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
                account.Http.Slack.AddBotToken(token);
                foreach (var channel in ChatEndpointHost.ParsePolicy(policy).ChannelIds)
                {
                    account.Http.Slack.AddChannel(channel);
                }

                account.Service<SecretsManagerService>().Seed(JObject.Of(("secrets", JArray.Of(JObject.Of(("name", BotTokenSecretName), ("secretString", botTokenHeader ?? "Bearer " + token))))), account);
                overrides["bluegreen:chatBotTokenSecret"] = BotTokenSecretName;
            }

            var settings = ProductDeployment.SettingsFromCdkJson(overrides);
            return new ChatRehearsal(account, ProductDeployment.Deploy(account, settings), policy);
        }
        catch
        {
            account.Dispose();
            throw;
        }
    }

    /// <summary>A slash command typed by <paramref name="user"/>: "/bluegreen status shop-blue" (the command word is optional).</summary>
    public ChatReply SlashCommand(string user, string text, string team = Team, string channel = Channel, DateTimeOffset? signedAt = null, byte[]? secret = null)
    {
        var words = text.Trim();
        var command = "/bluegreen";
        if (words.StartsWith('/'))
        {
            var space = words.IndexOf(' ', StringComparison.Ordinal);
            command = space < 0 ? words : words[..space];
            words = space < 0 ? string.Empty : words[(space + 1)..].Trim();
        }

        var body = string.Join('&', $"team_id={Escape(team)}", "team_domain=rehearsal", $"channel_id={Escape(channel)}", "channel_name=ops",
            $"user_id={Escape(user)}", "user_name=" + Escape(user.ToLowerInvariant()), "command=" + Escape(command), "text=" + Escape(words),
            "response_url=" + Escape($"https://hooks.slack.com/commands/{team}/1/rehearsal"), "trigger_id=" + NextTriggerId());
        var signed = Sign(body, signedAt, secret);
        _lastSigned = signed;
        return Post(signed);
    }

    /// <summary>A click on the approval message's Approve or Reject button (<see cref="SlackRequest.ApproveAction"/>, <see cref="SlackRequest.RejectAction"/>).</summary>
    public ChatReply ClickButton(string user, string actionId, string runId, string team = Team, string channel = Channel)
    {
        var payload = $$"""
            {"type":"block_actions","team":{"id":"{{team}}"},"user":{"id":"{{user}}","team_id":"{{team}}"},"channel":{"id":"{{channel}}"},
             "response_url":"https://hooks.slack.com/actions/{{team}}/2/rehearsal","actions":[{"action_id":"{{actionId}}","value":"{{runId}}","type":"button"}]}
            """;
        return Post(Sign("payload=" + Escape(payload), null, null));
    }

    /// <summary>Signs <paramref name="body"/> (with the app's secret unless another is given) as of now or <paramref name="signedAt"/>.</summary>
    public (string Body, string Timestamp, string Signature) Sign(string body, DateTimeOffset? signedAt, byte[]? secret)
    {
        var timestamp = (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return (body, timestamp, SlackSignature.Sign(secret ?? SigningSecret, timestamp, Encoding.UTF8.GetBytes(body)));
    }

    /// <summary>Sends a signed body as a function URL request and reads the answer.</summary>
    public ChatReply Post((string Body, string Timestamp, string Signature) request)
    {
        var functionUrlEvent = JObject.Of(
            ("version", "2.0"),
            ("routeKey", "$default"),
            ("rawPath", "/"),
            ("rawQueryString", string.Empty),
            ("headers", JObject.Of(
                ("content-type", "application/x-www-form-urlencoded"),
                ("x-slack-request-timestamp", request.Timestamp),
                ("x-slack-signature", request.Signature),
                ("user-agent", "Slackbot 1.0 (+https://api.slack.com/robots)"))),
            ("requestContext", JObject.Of(
                ("http", JObject.Of(("method", "POST"), ("path", "/"), ("protocol", "HTTP/1.1"), ("sourceIp", "127.0.0.1"))),
                ("requestId", Guid.NewGuid().ToString()))),
            ("body", request.Body),
            ("isBase64Encoded", false));
        var (payload, milliseconds) = Invoke(functionUrlEvent.ToJson());
        using var response = JsonDocument.Parse(payload);
        var root = response.RootElement;
        if (!root.TryGetProperty("statusCode", out var status))
        {
            throw new InvalidOperationException($"The chat function failed: {payload}");
        }

        using var message = JsonDocument.Parse(root.GetProperty("body").GetString() ?? "{}");
        return new ChatReply(status.GetInt32(), message.RootElement.GetProperty("response_type").GetString() ?? string.Empty,
            message.RootElement.GetProperty("text").GetString() ?? string.Empty, milliseconds);
    }

    /// <summary>
    /// A scenario event at its virtual time. <c>slashCommand</c>: <c>as</c> (user), <c>text</c>, and optionally <c>team</c>,
    /// <c>channel</c>, <c>forged: true</c> (signed with another secret), <c>staleMinutes</c> (signed that long ago),
    /// <c>replay: true</c> (the previous slash command's exact request again). <c>clickButton</c>: <c>as</c>, <c>button</c>
    /// (approve or reject) and <c>run</c> (a run id, or <c>latest</c>: the run whose gate asked last). A slash command's text
    /// may name that run as <c>{run}</c>.
    /// </summary>
    private void Drive(string action, JObject a)
    {
        var user = a.GetString("as") ?? throw new Scenarios.ScenarioException($"{action} needs 'as' (the Slack user id)");
        ChatReply reply;
        string text;
        if (action == "clickButton")
        {
            var button = a.GetString("button") ?? "approve";
            var actionId = button == "reject" ? SlackRequest.RejectAction : SlackRequest.ApproveAction;
            // run: latest clicks the button on the last approval message the workflow posted (its value is what Slack sends).
            var run = a.GetString("run") is { } named and not "latest" ? named : LatestPostedButton(actionId)
                ?? (Account.Http.Slack.Messages.Count == 0 && !Deployment.Manifest!.Settings.ChatPostsApprovals ? LatestApprovalRun() : null)
                ?? throw new Scenarios.ScenarioException($"clickButton run: latest, but no approval message with a {actionId} button has been posted");
            text = $"[{button}] {run}";
            reply = ClickButton(user, actionId, run, a.GetString("team") ?? Team, a.GetString("channel") ?? Channel);
        }
        else if (a.GetBool("replay") == true)
        {
            text = "(replay of the previous request)";
            reply = Post(_lastSigned ?? throw new Scenarios.ScenarioException("slashCommand replay: true, but nothing was sent before"));
        }
        else
        {
            text = a.GetString("text") ?? throw new Scenarios.ScenarioException("slashCommand needs 'text'");
            if (text.Contains("{run}", StringComparison.Ordinal))
            {
                // Run ids end with a hash of the execution id, unknown when the scenario is written: {run} is the latest run.
                text = text.Replace("{run}", LatestApprovalRun() ?? throw new Scenarios.ScenarioException("slashCommand text names {run}, but no run has asked for an approval yet"), StringComparison.Ordinal);
            }

            var stale = a.GetNumber("staleMinutes") is { } minutes ? DateTimeOffset.UtcNow.AddMinutes(-minutes) : (DateTimeOffset?)null;
            reply = SlashCommand(user, text, a.GetString("team") ?? Team, a.GetString("channel") ?? Channel, stale, a.GetBool("forged") == true ? "not the app's signing secret"u8.ToArray() : null);
        }

        _exchanges.Add(new ChatExchange(Account.Scheduler.Now, action, user, text, reply));
    }

    /// <summary>The value of the <paramref name="actionId"/> button on the newest message posted to Slack that has one.</summary>
    public string? LatestPostedButton(string actionId) =>
        Account.Http.Slack.Messages.Reverse().SelectMany(m => m.Buttons).Where(b => b.ActionId == actionId).Select(b => b.Value).FirstOrDefault();

    /// <summary>The run id the last "Keep the token with the run" stored.</summary>
    private string? LatestApprovalRun() =>
        Account.Calls.Calls.LastOrDefault(c => c.StateName == "Keep the token with the run" && c.Succeeded)?.Parameters.GetObject("Item")?.GetObject("runId")?.GetString("S");

    /// <summary>Every item of the chat table that is a command (the audit trail), oldest first.</summary>
    public IReadOnlyList<Dictionary<string, AttributeValue>> AuditRecords()
    {
        using var client = DynamoDb.CreateClient();
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = client.ScanAsync(new ScanRequest { TableName = ChatTableName, ExclusiveStartKey = start }).GetAwaiter().GetResult();
            items.AddRange(page.Items.Where(i => i.TryGetValue("itemType", out var t) && t.S == "COMMAND"));
            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
        return [.. items.OrderBy(i => i["sk"].S.Split('#')[1], StringComparer.Ordinal)];
    }

    private (string Payload, double Milliseconds) Invoke(string functionUrlEvent)
    {
        lock (InvocationGate)
        {
            var previous = _environment.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
            foreach (var (name, value) in _environment)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            try
            {
                var context = new AwsCallContext { Account = Account, Cancellation = CancellationToken.None, StateName = "Slack (function URL)" };
                // The stream reads the previous request's writes first, outside the measured time (the function's own time
                // is what bench reports).
                Account.Scheduler.RunUntil(() => Account.Service<DynamoDbService>().Streams.CapturesInProgress == 0);
                var watch = Stopwatch.StartNew();
                // The account's calls run on its virtual clock, which runs only while someone drives it.
                var result = Account.Scheduler.Run(() => Account.CallAsync(_lambda, "Invoke", JObject.Of(("FunctionName", _functionName), ("Payload", functionUrlEvent)), context));
                watch.Stop();
                var payload = (result as JObject)?.GetString("Payload") ?? throw new InvalidOperationException("Lambda Invoke returned no payload.");
                return (payload, watch.Elapsed.TotalMilliseconds);
            }
            finally
            {
                foreach (var (name, value) in previous)
                {
                    Environment.SetEnvironmentVariable(name, value);
                }
            }
        }
    }

    // Slack gives every request a trigger_id of its own, so two identical commands in one second are different bodies (and
    // signatures); without it the second would be refused as a replay.
    private string NextTriggerId() => string.Create(CultureInfo.InvariantCulture, $"{Interlocked.Increment(ref _requests)}.{Account.AccountId}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");

    private static string Escape(string text) => Uri.EscapeDataString(text);

    public void Dispose()
    {
        Ssm.Dispose();
        Account.Dispose();
    }
}
