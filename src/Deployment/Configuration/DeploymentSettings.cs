using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BlueGreen.Deployment.Configuration;

/// <summary>A tag that IAM conditions require on a resource (<c>aws:ResourceTag/Key = Value</c>).</summary>
public sealed record RequiredTag(string Key, string Value)
{
    public override string ToString() => $"{Key}={Value}";
}

/// <summary>
/// Everything a deployment can choose, read from CDK context (<c>cdk.json</c> or <c>-c key=value</c>) under the
/// <c>bluegreen:</c> prefix. Every setting but <see cref="ClusterNamePrefixes"/> (required) has a default that
/// synthesizes a working, least-privilege stack; <see cref="FromContext"/> reports every problem at once.
/// </summary>
public sealed partial record DeploymentSettings
{
    public const string KeyPrefix = "bluegreen:";

    /// <summary>Prefix of every resource name: <c>bluegreen</c> deploys <c>bluegreen-upgrade</c>, like the simulator.</summary>
    public string Prefix { get; init; } = "bluegreen";

    /// <summary>Environment name, used in the stack name, in every resource name and as a tag (<c>dev</c>, <c>prd</c>...).</summary>
    public string Environment { get; init; } = "dev";

    /// <summary>
    /// Names of the EKS clusters the workflow may describe, create and delete start with one of these;
    /// <c>*</c> means every cluster in the account and Region (reported as a warning at synth). Required: no
    /// default is safe for an account that runs production clusters, so the operator names them.
    /// </summary>
    public IReadOnlyList<string> ClusterNamePrefixes { get; init; } = [];

    /// <summary>
    /// Cluster IAM roles the workflow may pass to EKS: role ARNs, or role-name patterns in this account that do not start
    /// with a wildcard (a leading <c>*</c> matches any path and prefix, so a more privileged role could be passed;
    /// cdk-review §4). Required: each environment names its own.
    /// </summary>
    public IReadOnlyList<string> ClusterRoles { get; init; } = [];

    /// <summary>
    /// Node IAM roles the workflow may pass: to EKS for managed nodegroups, and to EC2 for Blue's <c>EC2_LINUX</c> /
    /// <c>EC2_WINDOWS</c> access entries (Karpenter and self-managed nodes), which Green gets copies of. Required.
    /// </summary>
    public IReadOnlyList<string> NodeRoles { get; init; } = [];

    /// <summary>
    /// Roles of Blue's Pod Identity associations that Green gets copies of (passed to <c>pods.eks.amazonaws.com</c>).
    /// Empty by default: a Blue with associations then fails before traffic moves, naming the role to add here.
    /// </summary>
    public IReadOnlyList<string> PodIdentityRoles { get; init; } = [];

    /// <summary>KMS keys of Blue's secrets envelope encryption, which CreateCluster needs to grant to EKS.</summary>
    public IReadOnlyList<string> ClusterEncryptionKeyArns { get; init; } = [];

    /// <summary>Hosted zones whose weighted records the workflow may change. Empty: the Route 53 traffic mode is not granted.</summary>
    public IReadOnlyList<string> Route53HostedZoneIds { get; init; } = [];

    /// <summary>
    /// The tag an ALB listener or listener rule must carry before the workflow may change its weights. By default
    /// <c>bluegreen:traffic=&lt;prefix&gt;-&lt;environment&gt;</c>: each environment reaches only what was tagged for it (cdk-review §3).
    /// </summary>
    public RequiredTag TrafficTag { get; init; } = new("bluegreen:traffic", "bluegreen-dev");

    /// <summary>The tag a Lambda function must carry before the workflow may invoke it as a hook (<c>bluegreen:hook=&lt;prefix&gt;-&lt;environment&gt;</c>).</summary>
    public RequiredTag HookTag { get; init; } = new("bluegreen:hook", "bluegreen-dev");

    /// <summary>Secrets Manager name prefix for the Argo CD cluster secrets the workflow writes (<c>argocd/clusters/&lt;prefix&gt;-&lt;environment&gt;/</c>).</summary>
    public string GitOpsSecretPrefix { get; init; } = "argocd/clusters/bluegreen-dev/";

    public string? SlackWorkspaceId { get; init; }

    public string? SlackChannelId { get; init; }

    /// <summary>
    /// The chat endpoint's policy (docs/chat.md: workspaces, channels, grants) as JSON. Absent: no chat endpoint is exposed
    /// (the ChatCommand function is deployed but has no URL, table or permissions).
    /// </summary>
    public string? ChatPolicy { get; init; }

    /// <summary>The SSM SecureString parameter holding the Slack signing secret (default <c>/&lt;prefix&gt;-&lt;environment&gt;/chat/slack-signing-secret</c>).</summary>
    public string? ChatSigningSecretParameter { get; init; }

    public bool ChatEnabled => ChatPolicy is not null;

    /// <summary>
    /// The Secrets Manager secret (name) whose value is the Slack bot token's header value, <c>Bearer xoxb-...</c>. With it
    /// (and a chat policy) the deployment creates the bot connection and ask-approval posts each approval question with
    /// Approve/Reject buttons (docs/chat.md §2). The stack reads it with a CloudFormation dynamic reference, so the token never
    /// appears in the template; the operator creates the secret before deploying.
    /// </summary>
    public string? ChatBotTokenSecret { get; init; }

    /// <summary>The channel ID approval messages go to (default: the chat policy's first channel); it must be in the policy's <c>channelIds</c>.</summary>
    public string? ChatApprovalChannel { get; init; }

    /// <summary>Whether ask-approval posts approval messages with buttons (a chat policy and a bot token secret).</summary>
    public bool ChatPostsApprovals => ChatEnabled && ChatBotTokenSecret is not null;

    /// <summary>
    /// E-mail addresses subscribed to the approvals topic (one <c>AWS::SNS::Subscription</c>, protocol <c>email</c>, each;
    /// SNS sends each address a confirmation first). Every approval question reaches them with how to answer.
    /// </summary>
    public IReadOnlyList<string> ApprovalEmails { get; init; } = [];

    /// <summary>Retention of every log group the stack creates (a CloudWatch Logs retention value).</summary>
    public int LogRetentionDays { get; init; } = 365;

    /// <summary>Step Functions log level: ALL, ERROR, FATAL or OFF. Execution data (inputs, outputs) is never logged.</summary>
    public string ExecutionLogLevel { get; init; } = "ALL";

    /// <summary>
    /// Reserved concurrency of each decision function. 0 (the default) reserves nothing: Lambda refuses a reservation
    /// that would leave the account fewer than 100 unreserved executions, and new accounts can have a concurrency quota
    /// as low as that, so a default reservation could fail the deployment. Opt in where the quota allows it.
    /// </summary>
    public int ReservedConcurrency { get; init; }

    /// <summary>
    /// The start of every physical name (<c>bluegreen-dev</c>: <c>bluegreen-dev-upgrade</c>, <c>bluegreen-dev-upgrades</c>...):
    /// prefix and environment, so that two environments can be deployed side by side in one account and Region.
    /// </summary>
    public string NameBase => $"{Prefix}-{Environment}";

    /// <summary>
    /// The start of Blue's delayed-decommission schedule names (<c>${DecommissionSchedulePrefix}</c>): the upgrade role may
    /// create only schedules that start with it, so environments in one account cannot touch each other's.
    /// </summary>
    public string DecommissionSchedulePrefix => $"{NameBase}-decommission-";

    /// <summary>
    /// Longest <see cref="NameBase"/>: IAM role names hold 64 characters, and the longest one the stack makes is
    /// <c>{NameBase}-{Region}-decommission-scheduler</c> (Region names have up to 14 characters).
    /// </summary>
    public const int MaxNameBaseLength = 26;

    public bool SlackEnabled => SlackWorkspaceId is not null && SlackChannelId is not null;

    public bool AllClusters => ClusterNamePrefixes.Contains("*");

    /// <summary>Every setting: context key (without the prefix) and what it holds, for errors and documentation.</summary>
    public static IReadOnlyDictionary<string, string> Keys { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["environments"] = "settings per environment: { \"<environment>\": { \"<setting>\": value } }",
        ["prefix"] = "resource name prefix",
        ["environment"] = "environment name",
        ["clusterNamePrefixes"] = "cluster name prefixes, or *",
        ["clusterRoles"] = "cluster role ARNs or name patterns",
        ["nodeRoles"] = "node role ARNs or name patterns",
        ["podIdentityRoles"] = "Pod Identity role ARNs or name patterns",
        ["clusterEncryptionKeyArns"] = "KMS key ARNs of cluster secrets encryption",
        ["route53HostedZoneIds"] = "hosted zone IDs",
        ["trafficTag"] = "key=value",
        ["hookTag"] = "key=value",
        ["gitOpsSecretPrefix"] = "Secrets Manager name prefix",
        ["slackWorkspaceId"] = "Slack workspace ID",
        ["slackChannelId"] = "Slack channel ID",
        ["chatPolicy"] = "chat endpoint policy JSON (docs/chat.md)",
        ["chatSigningSecretParameter"] = "SSM parameter name of the Slack signing secret",
        ["chatBotTokenSecret"] = "Secrets Manager secret name holding \"Bearer xoxb-...\" (approval messages with buttons)",
        ["chatApprovalChannel"] = "Slack channel ID approval messages are posted to",
        ["approvalEmails"] = "e-mail addresses subscribed to approval questions",
        ["logRetentionDays"] = "days",
        ["executionLogLevel"] = "ALL, ERROR, FATAL or OFF",
        ["reservedConcurrency"] = "0 (none) or 1..100 per function",
    };

    /// <summary>Settings that mean something only with a chat policy.</summary>
    private static readonly string[] ChatOnlySettings = ["chatBotTokenSecret", "chatApprovalChannel"];

    /// <summary>Most entries any list setting may have (see the inline-policy size test).</summary>
    public const int MaxListLength = 10;

    /// <summary>The values CloudWatch Logs accepts as a retention period.</summary>
    public static IReadOnlyList<int> AllowedRetentionDays { get; } =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    /// <summary>
    /// Reads the settings from a context dictionary (values as cdk.json gives them: strings, numbers, booleans,
    /// arrays; or as <c>-c key=value</c> gives them: strings, lists comma-separated or as a JSON array).
    /// </summary>
    /// <exception cref="InvalidDeploymentSettingsException">Listing every problem found.</exception>
    public static DeploymentSettings FromContext(IReadOnlyDictionary<string, object?> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<string>();
        context = WithEnvironmentSection(context, problems);
        var reader = new Reader(context, problems);
        var defaults = new DeploymentSettings();

        foreach (var key in context.Keys.Where(k => k.StartsWith(KeyPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (!Keys.ContainsKey(key[KeyPrefix.Length..]))
            {
                problems.Add($"{key}: unknown setting; known settings are {string.Join(", ", Keys.Keys.Select(k => KeyPrefix + k))}");
            }
        }

        var settings = new DeploymentSettings
        {
            Prefix = reader.String("prefix", defaults.Prefix, NamePrefix(), "lowercase letters, digits and hyphens, 2 to 24 characters, starting with a letter"),
            Environment = reader.String("environment", defaults.Environment, EnvironmentName(), "lowercase letters, digits and hyphens, 1 to 20 characters"),
            ClusterNamePrefixes = reader.List("clusterNamePrefixes", defaults.ClusterNamePrefixes, ClusterPrefix(), "* or the start of an EKS cluster name (letters, digits, - and _)", required: true),
            ClusterRoles = reader.List("clusterRoles", defaults.ClusterRoles, RoleReference(), RoleDescription, required: true),
            NodeRoles = reader.List("nodeRoles", defaults.NodeRoles, RoleReference(), RoleDescription, required: true),
            PodIdentityRoles = reader.List("podIdentityRoles", defaults.PodIdentityRoles, RoleReference(), RoleDescription, required: false),
            ClusterEncryptionKeyArns = reader.List("clusterEncryptionKeyArns", defaults.ClusterEncryptionKeyArns, KmsKeyArn(), "a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)", required: false),
            Route53HostedZoneIds = reader.List("route53HostedZoneIds", defaults.Route53HostedZoneIds, HostedZoneId(), "a hosted zone ID (Z followed by letters and digits)", required: false),
            TrafficTag = reader.Tag("trafficTag", defaults.TrafficTag),
            HookTag = reader.Tag("hookTag", defaults.HookTag),
            GitOpsSecretPrefix = reader.String("gitOpsSecretPrefix", defaults.GitOpsSecretPrefix, SecretPrefix(), "1 to 256 characters of A-Z a-z 0-9 / _ + = . @ - (no wildcards)"),
            SlackWorkspaceId = reader.OptionalString("slackWorkspaceId", SlackWorkspace(), "the workspace ID shown in the AWS Chatbot console (uppercase letters and digits, e.g. T0123ABCD)"),
            SlackChannelId = reader.OptionalString("slackChannelId", SlackChannel(), "the channel ID at the end of the channel link (letters and digits, e.g. C0123ABCD)"),
            ChatPolicy = reader.OptionalString("chatPolicy", ChatPolicyJson(), "the chat policy as one JSON object (docs/chat.md)"),
            ChatSigningSecretParameter = reader.OptionalString("chatSigningSecretParameter", SsmParameterName(), "an SSM parameter name starting with / (letters, digits, _ . - /)"),
            ChatBotTokenSecret = reader.OptionalString("chatBotTokenSecret", SecretName(), "a Secrets Manager secret name (1 to 512 characters of A-Z a-z 0-9 / _ + = . @ -)"),
            ChatApprovalChannel = reader.OptionalString("chatApprovalChannel", SlackChannel(), "the channel ID at the end of the channel link (letters and digits, e.g. C0123ABCD)"),
            ApprovalEmails = reader.List("approvalEmails", defaults.ApprovalEmails, EmailAddress(), "an e-mail address (name@example.com)", required: false),
            LogRetentionDays = reader.Integer("logRetentionDays", defaults.LogRetentionDays, AllowedRetentionDays.Contains, $"one of {string.Join(", ", AllowedRetentionDays)}"),
            ExecutionLogLevel = reader.String("executionLogLevel", defaults.ExecutionLogLevel, LogLevel(), "ALL, ERROR, FATAL or OFF"),
            ReservedConcurrency = reader.Integer("reservedConcurrency", defaults.ReservedConcurrency, v => v is >= 0 and <= 100,
                $"an integer from 0 (no reservation, the default) to 100 per function; the {BlueGreen.Functions.Handlers.FunctionCatalog.All.Count} functions reserve {BlueGreen.Functions.Handlers.FunctionCatalog.All.Count} times that, and the account must keep 100 unreserved"),
        };

        // Defaults that keep environments apart: each reaches only what was tagged or named for it.
        settings = settings with
        {
            TrafficTag = context.ContainsKey(KeyPrefix + "trafficTag") ? settings.TrafficTag : new RequiredTag("bluegreen:traffic", settings.NameBase),
            HookTag = context.ContainsKey(KeyPrefix + "hookTag") ? settings.HookTag : new RequiredTag("bluegreen:hook", settings.NameBase),
            GitOpsSecretPrefix = context.ContainsKey(KeyPrefix + "gitOpsSecretPrefix") ? settings.GitOpsSecretPrefix : $"argocd/clusters/{settings.NameBase}/",
        };

        foreach (var key in new[] { "clusterRoles", "nodeRoles" })
        {
            if (!context.ContainsKey(KeyPrefix + key))
            {
                problems.Add($"{KeyPrefix}{key}: required; name the {(key == "clusterRoles" ? "cluster" : "node")} roles of this environment's clusters "
                    + $"(role ARNs or role-name patterns, e.g. -c {KeyPrefix}{key}={(key == "clusterRoles" ? "shop-eks-cluster-role" : "shop-eks-node-role,shop-karpenter-node-*")}), in cdk.json under {KeyPrefix}environments.{settings.Environment} or with -c");
            }
        }

        if (settings.NameBase.Length > MaxNameBaseLength)
        {
            problems.Add($"{KeyPrefix}prefix and {KeyPrefix}environment: together they start every resource name (\"{settings.NameBase}\", {settings.NameBase.Length} characters); "
                + $"keep them to {MaxNameBaseLength} characters with the hyphen so that IAM role names fit in 64");
        }

        if (!context.TryGetValue(KeyPrefix + "clusterNamePrefixes", out var prefixes) || prefixes is null or JsonElement { ValueKind: JsonValueKind.Null })
        {
            problems.Add($"{KeyPrefix}clusterNamePrefixes: required; list the name prefixes of the EKS clusters the workflow may describe, create and delete "
                + $"(e.g. -c {KeyPrefix}clusterNamePrefixes=shop-,payments-), or * for every cluster in this account and Region (not for production); "
                + $"each environment names its own, in cdk.json under {KeyPrefix}environments.{settings.Environment} or with -c");
        }

        if ((settings.SlackWorkspaceId is null) != (settings.SlackChannelId is null))
        {
            problems.Add($"{KeyPrefix}slackWorkspaceId and {KeyPrefix}slackChannelId: give both to connect a Slack channel, or neither");
        }

        if (settings.ChatPolicy is not null)
        {
            try
            {
                var policy = BlueGreen.Functions.Chat.Aws.ChatEndpointHost.ParsePolicy(settings.ChatPolicy);
                if (settings.ChatApprovalChannel is { } channel && !policy.ChannelIds.Contains(channel))
                {
                    problems.Add($"{KeyPrefix}chatApprovalChannel: {channel} is not one of the chat policy's channelIds ({string.Join(", ", policy.ChannelIds)}); the endpoint refuses button clicks from other channels");
                }
            }
            catch (InvalidOperationException e)
            {
                problems.Add($"{KeyPrefix}chatPolicy: {e.Message}");
            }
        }
        else
        {
            foreach (var key in ChatOnlySettings.Where(k => context.ContainsKey(KeyPrefix + k)))
            {
                problems.Add($"{KeyPrefix}{key}: only used with {KeyPrefix}chatPolicy (the Slack endpoint); set the policy too, or leave this out");
            }
        }

        if (settings.ChatApprovalChannel is not null && settings.ChatBotTokenSecret is null && settings.ChatPolicy is not null)
        {
            problems.Add($"{KeyPrefix}chatApprovalChannel: approval messages need {KeyPrefix}chatBotTokenSecret (the bot token that posts them)");
        }

        if (settings.ClusterNamePrefixes.Contains("*") && settings.ClusterNamePrefixes.Count > 1)
        {
            problems.Add($"{KeyPrefix}clusterNamePrefixes: * already allows every cluster; list either * alone or name prefixes");
        }

        return problems.Count == 0 ? settings : throw new InvalidDeploymentSettingsException(problems);
    }

    /// <summary>
    /// The context with the chosen environment's section (<c>bluegreen:environments.&lt;env&gt;</c>) applied under the
    /// top-level keys: values given with <c>-c</c> win, and what cdk.json says for one environment never reaches another.
    /// </summary>
    private static IReadOnlyDictionary<string, object?> WithEnvironmentSection(IReadOnlyDictionary<string, object?> context, List<string> problems)
    {
        if (!context.TryGetValue(KeyPrefix + "environments", out var raw) || raw is null)
        {
            return context;
        }

        var sections = Section(raw);
        if (sections is null)
        {
            problems.Add($"{KeyPrefix}environments: expected an object of environments, each an object of settings");
            return context;
        }

        var environment = context.TryGetValue(KeyPrefix + "environment", out var env) && env is not null ? Convert.ToString(env is JsonElement e ? e.GetString() : env, CultureInfo.InvariantCulture) : "dev";
        var merged = new Dictionary<string, object?>(context, StringComparer.Ordinal);
        foreach (var (name, section) in sections)
        {
            var settings = Section(section);
            if (settings is null)
            {
                problems.Add($"{KeyPrefix}environments.{name}: expected an object of settings");
                continue;
            }

            foreach (var (key, value) in settings)
            {
                if (!Keys.ContainsKey(key) || key is "environment" or "environments")
                {
                    problems.Add($"{KeyPrefix}environments.{name}.{key}: unknown setting for an environment; known settings are {string.Join(", ", Keys.Keys.Where(k => k is not ("environment" or "environments")))}");
                }
                else if (name == environment && !merged.ContainsKey(KeyPrefix + key))
                {
                    merged[KeyPrefix + key] = value;
                }
            }
        }

        return merged;
    }

    private static IEnumerable<KeyValuePair<string, object?>>? Section(object? raw) => raw switch
    {
        IEnumerable<KeyValuePair<string, object?>> map => map,
        JsonElement { ValueKind: JsonValueKind.Object } e => e.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (object?)p.Value.Clone())).ToList(),
        string s when s.TrimStart().StartsWith('{') => Section(JsonDocument.Parse(s).RootElement.Clone()),
        _ => null,
    };

    private const string RoleDescription =
        "an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME) or a role-name pattern in this account that starts with a letter, digit or one of +=,.@_- (a leading * would match any path and prefix; e.g. shop-eks-node-role or shop-karpenter-*)";

    /// <summary>Turns a configured role reference into ARNs: a name pattern becomes a role in this account.</summary>
    public static string RoleArn(string reference, string partition, string account) =>
        reference.StartsWith("arn:", StringComparison.Ordinal) ? reference : $"arn:{partition}:iam::{account}:role/{reference}";

    [GeneratedRegex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$")]
    private static partial Regex NamePrefix();

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$")]
    private static partial Regex EnvironmentName();

    [GeneratedRegex(@"^(\*|[0-9A-Za-z][A-Za-z0-9_-]{0,99})$")]
    private static partial Regex ClusterPrefix();

    // An ARN, or a name pattern that starts with a literal character: "*eks-node-role*" would also match
    // "prod-eks-node-role-admin" or a role under any path (cdk-review §4).
    [GeneratedRegex(@"^(arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-][\w+=,.@*/-]*|[\w+=,.@-][\w+=,.@*/-]*)$")]
    private static partial Regex RoleReference();

    [GeneratedRegex(@"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$")]
    private static partial Regex KmsKeyArn();

    [GeneratedRegex("^Z[A-Z0-9]{1,31}$")]
    private static partial Regex HostedZoneId();

    [GeneratedRegex("^[A-Za-z0-9/_+=.@-]{1,256}$")]
    private static partial Regex SecretPrefix();

    [GeneratedRegex("^[0-9A-Z]{1,255}$")]
    private static partial Regex SlackWorkspace();

    [GeneratedRegex("^[A-Za-z0-9]{1,255}$")]
    private static partial Regex SlackChannel();

    [GeneratedRegex(@"^\s*\{.*\}\s*$", RegexOptions.Singleline)]
    private static partial Regex ChatPolicyJson();

    // SSM parameter names: a / path of letters, digits and _ . - (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html).
    // Secrets Manager secret names: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html (Name).
    [GeneratedRegex(@"^[A-Za-z0-9/_+=.@-]{1,512}$")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"^/[A-Za-z0-9_.\-/]{1,1010}$")]
    private static partial Regex SsmParameterName();

    [GeneratedRegex(@"^[^@\s,;<>""]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")]
    private static partial Regex EmailAddress();

    [GeneratedRegex("^(ALL|ERROR|FATAL|OFF)$")]
    private static partial Regex LogLevel();

    [GeneratedRegex(@"^(?!aws:)[\p{L}\p{N}\s_.:/+\-@]{1,128}=[\p{L}\p{N}\s_.:/=+\-@]{0,256}$")]
    private static partial Regex TagPair();
}
