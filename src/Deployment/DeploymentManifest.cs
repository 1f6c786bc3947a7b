using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BlueGreen.Deployment.Configuration;
using BlueGreen.Deployment.Definitions;
using BlueGreen.Deployment.Permissions;
using BlueGreen.Functions.Handlers;

namespace BlueGreen.Deployment;

/// <summary>
/// What one environment of the product deploys, decided once: names, the run-record table, the notification topic,
/// the decision functions (handler strings, runtime, memory, timeout, alias), the state machines (definition files,
/// the substitutions each uses, the statements of each execution role), the Scheduler role and the two rules on the upgrade's
/// endings: restore-blue (abnormal endings) and reconcile-run (every ending).
/// The CDK app (<c>src/Infra.Cdk</c>) turns it into CloudFormation resources; the simulator
/// (<c>src/Simulator/Rehearsal/ProductDeployment</c>) installs it into a simulated account. Both bind it to the values
/// that exist only once deployed (<see cref="DeploymentReferences"/>: CloudFormation tokens there, concrete ARNs here),
/// so neither can deploy something the other does not.
/// </summary>
public sealed partial class DeploymentManifest
{
    /// <summary>The alias every state machine calls: the version published from the current code and configuration.</summary>
    public const string FunctionAlias = "live";

    /// <summary>The managed runtime (Amazon Linux 2023, .NET 10) and the architecture ReadyToRun code is compiled for.</summary>
    public const string FunctionRuntime = "dotnet10";

    public const string FunctionArchitecture = "x86_64";

    /// <summary>The status values of an upgrade execution that start restore-blue.</summary>
    public static IReadOnlyList<string> AbnormalEndings { get; } = ["FAILED", "TIMED_OUT", "ABORTED"];

    /// <summary>Every terminal status of an execution (all start reconcile-run): SUCCEEDED and the abnormal ones.</summary>
    public static IReadOnlyList<string> Endings { get; } = ["SUCCEEDED", .. AbnormalEndings];

    private DeploymentManifest(DeploymentSettings settings, IReadOnlyList<StateMachineFile> definitions, ProfileFiles profiles)
    {
        Settings = settings;
        Profiles = profiles;
        var nameBase = settings.NameBase;
        Functions = FunctionCatalog.All.Select(f => new FunctionSpec(f, FunctionName(nameBase, f.Name))).ToList();
        StateMachines = definitions.Where(d => settings.ChatEnabled || !ChatOnlyStateMachines.Contains(d.Name)).Select(d => new StateMachineSpec(d, $"{nameBase}-{d.Name}")).ToList();
        Topic = new TopicSpec($"{nameBase}-notifications", $"alias/{nameBase}-notifications");
        ApprovalTopic = new TopicSpec($"{nameBase}-approvals", Topic.KeyAlias);
        RestoreBlueRuleName = $"{nameBase}-restore-blue-on-abnormal-end";
        ReconcileRuleName = $"{nameBase}-reconcile-run-on-every-end";
        AlarmRollbackRuleName = $"{nameBase}-alarm-rollback-on-alarm";
    }

    public DeploymentSettings Settings { get; }

    /// <summary>The end-of-support upgrade profiles (profiles/*.json), validated (the eos scan will carry them in its definition).</summary>
    public ProfileFiles Profiles { get; }

    /// <summary><c>{prefix}-{environment}</c>: the start of every physical name.</summary>
    public string NameBase => Settings.NameBase;

    /// <summary>The stack name the CDK app synthesizes (<c>EksBlueGreenUpgrade-dev</c>).</summary>
    public string StackName => $"EksBlueGreenUpgrade-{Settings.Environment}";

    public IReadOnlyList<FunctionSpec> Functions { get; }

    /// <summary>In creation order: children before the machines that start them.</summary>
    public IReadOnlyList<StateMachineSpec> StateMachines { get; }

    public TopicSpec Topic { get; }

    /// <summary>
    /// The approvals topic (issue 15): ask-approval publishes every approval question here as plain text that says how to
    /// answer; the e-mail addresses of <c>bluegreen:approvalEmails</c> subscribe to it. Encrypted with the notification
    /// topic's key.
    /// </summary>
    public TopicSpec ApprovalTopic { get; }

    public string RestoreBlueRuleName { get; }

    /// <summary>The rule that starts reconcile-run on every ending of an upgrade execution.</summary>
    public string ReconcileRuleName { get; }

    /// <summary>The rule that starts alarm-rollback whenever a CloudWatch alarm of the account and Region goes to ALARM.</summary>
    public string AlarmRollbackRuleName { get; }

    /// <summary>The state machine deployed from <c>statemachines/{name}.asl.json</c>.</summary>
    public StateMachineSpec StateMachine(string name) =>
        StateMachines.FirstOrDefault(m => m.Name == name) ?? throw new KeyNotFoundException($"No state machine named {name}; deployed: {string.Join(", ", StateMachines.Select(m => m.Name))}.");

    /// <summary>
    /// The run-record table. Retained when the stack is deleted, so its name ends with the stack instance
    /// (<paramref name="instanceSuffix"/>, from the stack id): a stack created again makes a new table instead of failing on
    /// "already exists" (cdk-review §6).
    /// </summary>
    public TableSpec Table(string instanceSuffix) => new($"{NameBase}-upgrades-{instanceSuffix}", "pk", "sk", "expiresAt", RunIndexes);

    // Initialized before RunIndexes, which uses it (static initializers run in textual order).
    private static readonly string[] RunSummaryAttributes =
        ["runId", "clusterName", "greenClusterName", "targetVersion", "blueVersion", "status", "outcome", "phase", "requestedBy", "finishedAt", "executionArn", "reason"];

    /// <summary>
    /// Run history across clusters (issue 16): recent runs by time, filtered by status when asked. Sparse, and built on
    /// attributes every run item already has (<c>itemType</c> RUN, <c>startedAt</c>), so no state machine writes anything
    /// for it; the lock item has no <c>startedAt</c> and stays out. It projects what a list of runs shows, not the plan.
    /// One index, not one per question: DynamoDB creates or deletes only one global secondary index per UpdateTable
    /// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html), so a stack update that adds
    /// two to an existing table fails (aws/aws-cdk#12246). Add any further index in a release of its own.
    /// </summary>
    public static IReadOnlyList<IndexSpec> RunIndexes { get; } =
    [
        new("runsByTime", "itemType", "startedAt", RunSummaryAttributes),
    ];


    /// <summary>The role EventBridge Scheduler assumes to start a delayed decommission (<c>${SchedulerRoleArn}</c>).</summary>
    public string SchedulerRoleName(string region) => $"{NameBase}-{region}-decommission-scheduler";

    /// <summary>The execution role of a state machine (IAM role names are global: the Region keeps them apart).</summary>
    public static string ExecutionRoleName(StateMachineSpec machine, string region) => $"{machine.PhysicalName}-{region}";

    /// <summary>The role EventBridge assumes to start restore-blue.</summary>
    public string RestoreBlueEventsRoleName(string region) => $"{NameBase}-{region}-restore-blue-events";

    /// <summary>The role EventBridge assumes to start reconcile-run.</summary>
    public string ReconcileEventsRoleName(string region) => $"{NameBase}-{region}-reconcile-events";

    /// <summary>The role EventBridge assumes to start alarm-rollback.</summary>
    public string AlarmRollbackEventsRoleName(string region) => $"{NameBase}-{region}-alarm-rollback-events";

    /// <summary>
    /// Reads the definitions in <paramref name="stateMachinesDirectory"/> and the upgrade profiles in
    /// <paramref name="profilesDirectory"/> (default: <c>profiles/</c> beside it), and fixes every name for <paramref name="settings"/>.
    /// </summary>
    /// <exception cref="BlueGreen.Functions.InvalidProfile">A profile is invalid (every problem of every file).</exception>
    public static DeploymentManifest Create(DeploymentSettings settings, string stateMachinesDirectory, string? profilesDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(stateMachinesDirectory);
        var profiles = ProfileFiles.Load(profilesDirectory ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(stateMachinesDirectory))!, "profiles"));
        return new DeploymentManifest(settings, StateMachineFile.LoadDeployed(stateMachinesDirectory), profiles);
    }

    /// <summary>
    /// Every <c>${Placeholder}</c> value a definition can use. Each state machine gets exactly those its file names
    /// (<see cref="SubstitutionsFor"/>); a placeholder without a value stops the deployment.
    /// </summary>
    public IReadOnlyDictionary<string, string> Substitutions(DeploymentReferences refs)
    {
        ArgumentNullException.ThrowIfNull(refs);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["UpgradeTableName"] = refs.TableName,
            ["NotificationTopicArn"] = refs.TopicArn,
            ["ApprovalTopicArn"] = refs.ApprovalTopicArn,
            ["SchedulerRoleArn"] = refs.SchedulerRoleArn,
            ["EndOfSupportSchedulerRoleArn"] = refs.EndOfSupportSchedulerRoleArn,
            ["ScheduleDeadLetterQueueArn"] = refs.QueueArn(ScheduleDeadLetterQueueName),
            ["EndOfSupportProfiles"] = Profiles.AsJsonStringContent(),
            ["DecommissionSchedulePrefix"] = Settings.DecommissionSchedulePrefix,
            // What preflight compares the input with: the tags the role's conditions require and the roles it may pass.
            ["TrafficTagKey"] = Settings.TrafficTag.Key,
            ["TrafficTagValue"] = Settings.TrafficTag.Value,
            ["HookTagKey"] = Settings.HookTag.Key,
            ["HookTagValue"] = Settings.HookTag.Value,
            ["ClusterRolePatterns"] = RolePatterns(Settings.ClusterRoles),
            ["NodeRolePatterns"] = RolePatterns(Settings.NodeRoles),
            ["PodIdentityRolePatterns"] = RolePatterns(Settings.PodIdentityRoles),
        };
        if (refs.ChatTableName is { } chatTable)
        {
            values["ChatTableName"] = chatTable;
        }

        if (refs.SlackResponseConnectionArn is { } connection)
        {
            values["SlackResponseConnectionArn"] = connection;
        }

        // ask-approval is always deployed; it posts to Slack only when a channel is set. Without one its HTTP Task is never
        // reached (the Choice before it tests for NoApprovalChannel) and its role gets no HTTP permissions; the placeholder
        // still needs a well-formed connection ARN, which names the connection that is not deployed.
        values["SlackApprovalChannel"] = ApprovalChannel ?? NoApprovalChannel;
        values["SlackBotConnectionArn"] = refs.SlackBotConnectionArn ?? $"arn:{refs.Partition}:events:{refs.Region}:{refs.Account}:connection/{SlackBotConnectionName}/not-deployed";

        foreach (var machine in StateMachines)
        {
            values[machine.SubstitutionKey] = refs.StateMachineArn(machine.PhysicalName);
        }

        foreach (var (key, filePrefix) in StateMachineFile.Families)
        {
            values[key] = refs.StateMachineArn($"{NameBase}-{filePrefix}");
        }

        foreach (var function in Functions)
        {
            values[function.Descriptor.DefinitionSubstitution] = refs.FunctionArn(function.FunctionName, FunctionAlias);
        }

        return values;
    }

    /// <summary>The DefinitionSubstitutions of one state machine: exactly the placeholders its file uses.</summary>
    /// <exception cref="InvalidOperationException">A placeholder has no value.</exception>
    public IReadOnlyDictionary<string, string> SubstitutionsFor(StateMachineSpec machine, DeploymentReferences refs)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var all = Substitutions(refs);
        var missing = machine.Definition.Placeholders.Where(p => !all.ContainsKey(p)).ToList();
        return missing.Count == 0
            ? machine.Definition.Placeholders.ToDictionary(p => p, p => all[p], StringComparer.Ordinal)
            : throw new InvalidOperationException($"{Path.GetFileName(machine.Definition.FilePath)} uses placeholders with no value in this deployment: {string.Join(", ", missing.Select(p => "${" + p + "}"))}. Add them to DeploymentManifest.Substitutions (or to FunctionCatalog).");
    }

    /// <summary>The statements of a state machine's execution role: every action its Tasks need, each scoped (see <see cref="StateMachinePermissions"/>).</summary>
    public IReadOnlyList<Grant> ExecutionRolePolicy(StateMachineSpec machine, DeploymentReferences refs)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(refs);
        return new StateMachinePermissions(Settings, PermissionTargetsFor(refs)).For(machine.Definition);
    }

    /// <summary>
    /// The queue every schedule of this deployment sends what it could not deliver to, once its retry policy is spent
    /// (Blue's decommission, the end-of-support upgrades, the daily scan). A standard queue: Scheduler does not support a
    /// FIFO dead-letter queue (https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html).
    /// </summary>
    public string ScheduleDeadLetterQueueName => $"{NameBase}-schedules-undelivered";

    /// <summary>
    /// Scheduler sends a schedule's dead-letter event with the schedule's execution role, which "needs sqs:SendMessage"
    /// (configuring-schedule-dlq.html, "Set up execution role permissions"); scoped here to the one queue.
    /// </summary>
    private Grant SendToScheduleDeadLetterQueue(DeploymentReferences refs) =>
        new("SendUndeliveredToDeadLetterQueue", ["sqs:SendMessage"], [refs.QueueArn(ScheduleDeadLetterQueueName)]);

    /// <summary>EventBridge Scheduler may start the decommission state machine and dead-letter what it could not start, nothing else.</summary>
    public IReadOnlyList<Grant> SchedulerRolePolicy(DeploymentReferences refs)
    {
        ArgumentNullException.ThrowIfNull(refs);
        return [new Grant("StartDecommission", ["states:StartExecution"], [refs.StateMachineArn(StateMachine("decommission-cluster").PhysicalName)]), SendToScheduleDeadLetterQueue(refs)];
    }

    /// <summary>The role EventBridge Scheduler assumes when an end-of-support schedule fires (<c>${EndOfSupportSchedulerRoleArn}</c>).</summary>
    public string EndOfSupportSchedulerRoleName(string region) => $"{NameBase}-{region}-eos-scheduler";

    /// <summary>The end-of-support schedules may start the upgrade state machine, nothing else.</summary>
    public IReadOnlyList<Grant> EndOfSupportSchedulerRolePolicy(DeploymentReferences refs)
    {
        ArgumentNullException.ThrowIfNull(refs);
        return [new Grant("StartUpgrade", ["states:StartExecution"], [refs.StateMachineArn(StateMachine("upgrade").PhysicalName)]), SendToScheduleDeadLetterQueue(refs)];
    }

    /// <summary>The daily EventBridge Scheduler schedule that starts eos-scan.</summary>
    public string EndOfSupportDailyScanName => $"{NameBase}-eos-scan-daily";

    /// <summary>Every day at 00:00 UTC (Scheduler cron: minutes hours day-of-month month day-of-week year).</summary>
    public const string EndOfSupportDailyScanExpression = "cron(0 0 * * ? *)";

    /// <summary>The rule that starts eos-scan on AWS Health's EKS planned lifecycle events.</summary>
    public string EndOfSupportHealthRuleName => $"{NameBase}-eos-scan-on-eks-lifecycle-event";

    /// <summary>The role the daily schedule starts eos-scan with.</summary>
    public string EndOfSupportDailyScanRoleName(string region) => $"{NameBase}-{region}-eos-scan-daily";

    /// <summary>The role EventBridge starts eos-scan with on an AWS Health event.</summary>
    public string EndOfSupportHealthEventsRoleName(string region) => $"{NameBase}-{region}-eos-scan-health-events";

    /// <summary>The Health rule may start eos-scan, nothing else (its dead letters reach its queue through the queue's policy).</summary>
    public IReadOnlyList<Grant> EndOfSupportScanStarterPolicy(DeploymentReferences refs)
    {
        ArgumentNullException.ThrowIfNull(refs);
        return [new Grant("StartEndOfSupportScan", ["states:StartExecution"], [refs.StateMachineArn(StateMachine("eos-scan").PhysicalName)])];
    }

    /// <summary>The daily schedule may start eos-scan and dead-letter a start it could not make, nothing else.</summary>
    public IReadOnlyList<Grant> EndOfSupportDailyScanRolePolicy(DeploymentReferences refs) =>
        [.. EndOfSupportScanStarterPolicy(refs), SendToScheduleDeadLetterQueue(refs)];

    /// <summary>
    /// AWS Health events for EKS planned lifecycle changes (end of standard support of a Kubernetes version): source
    /// <c>aws.health</c>, detail-type <c>AWS Health Event</c>, and in <c>detail</c> the <c>service</c> and
    /// <c>eventTypeCode</c> ("Reference: AWS Health events Amazon EventBridge schema",
    /// https://docs.aws.amazon.com/health/latest/ug/aws-health-events-eventbridge-schema.html). Planned lifecycle events
    /// are category <c>scheduledChange</c> with codes <c>AWS_&lt;SERVICE&gt;_PLANNED_LIFECYCLE_EVENT</c> and list the affected
    /// resources' ARNs as entities (https://docs.aws.amazon.com/health/latest/ug/aws-health-planned-lifecycle-events.html).
    /// The scan reads every cluster anyway, so it needs nothing from the event but the nudge.
    /// </summary>
    public static JsonObject EndOfSupportHealthRulePattern() => new()
    {
        ["source"] = new JsonArray("aws.health"),
        ["detail-type"] = new JsonArray("AWS Health Event"),
        ["detail"] = new JsonObject
        {
            ["service"] = new JsonArray("EKS"),
            ["eventTypeCode"] = new JsonArray("AWS_EKS_PLANNED_LIFECYCLE_EVENT"),
        },
    };

    /// <summary>EventBridge may start restore-blue, nothing else.</summary>
    public IReadOnlyList<Grant> RestoreBlueEventsRolePolicy(DeploymentReferences refs)
    {
        ArgumentNullException.ThrowIfNull(refs);
        return [new Grant("StartRestoreBlue", ["states:StartExecution"], [refs.StateMachineArn(StateMachine("restore-blue").PhysicalName)])];
    }

    /// <summary>EventBridge may start reconcile-run, nothing else.</summary>
    public IReadOnlyList<Grant> ReconcileEventsRolePolicy(DeploymentReferences refs)
    {
        ArgumentNullException.ThrowIfNull(refs);
        return [new Grant("StartReconcileRun", ["states:StartExecution"], [refs.StateMachineArn(StateMachine("reconcile-run").PhysicalName)])];
    }

    /// <summary>EventBridge may start alarm-rollback, nothing else.</summary>
    public IReadOnlyList<Grant> AlarmRollbackEventsRolePolicy(DeploymentReferences refs)
    {
        ArgumentNullException.ThrowIfNull(refs);
        return [new Grant("StartAlarmRollback", ["states:StartExecution"], [refs.StateMachineArn(StateMachine("alarm-rollback").PhysicalName)])];
    }

    /// <summary>
    /// The alarm-rollback rule's event pattern: any CloudWatch alarm of the account and Region entering ALARM. Which alarms
    /// an armed upgrade watches changes per run, so the rule cannot name them; alarm-rollback looks the alarm up (one
    /// Query) and does nothing for one no armed run watches. The "CloudWatch Alarm State Change" event (source
    /// <c>aws.cloudwatch</c>) carries <c>detail.alarmName</c> and <c>detail.state.value</c> (OK, ALARM, INSUFFICIENT_DATA):
    /// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
    /// </summary>
    public static JsonObject AlarmRollbackRulePattern() => new()
    {
        ["source"] = new JsonArray("aws.cloudwatch"),
        ["detail-type"] = new JsonArray("CloudWatch Alarm State Change"),
        ["detail"] = new JsonObject { ["state"] = new JsonObject { ["value"] = new JsonArray("ALARM") } },
    };

    /// <summary>
    /// The restore-blue rule's event pattern: an upgrade execution of this deployment that ended FAILED, TIMED_OUT or
    /// ABORTED (the Step Functions status-change event).
    /// </summary>
    public JsonObject RestoreBlueRulePattern(DeploymentReferences refs) => UpgradeEndedPattern(refs, AbnormalEndings);

    /// <summary>The reconcile rule's event pattern: an upgrade execution of this deployment that ended, however it ended.</summary>
    public JsonObject ReconcileRulePattern(DeploymentReferences refs) => UpgradeEndedPattern(refs, Endings);

    /// <summary>
    /// "Step Functions Execution Status Change" events (source <c>aws.states</c>) of this deployment's upgrade state machine
    /// with one of <paramref name="statuses"/>. The pattern matches only fields AWS documents for this event: its
    /// <c>detail</c> "provides the same information as the DescribeExecution API" and carries <c>stateMachineArn</c> and
    /// <c>status</c> (one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED), Step Functions developer guide,
    /// https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html ; delivery is best effort
    /// (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-states.html). The targets read only
    /// <c>detail.executionArn</c> (reconcile-run) or <c>executionArn</c>, <c>status</c> and <c>input</c> (restore-blue).
    /// </summary>
    private JsonObject UpgradeEndedPattern(DeploymentReferences refs, IReadOnlyList<string> statuses)
    {
        ArgumentNullException.ThrowIfNull(refs);
        return new JsonObject
        {
            ["source"] = new JsonArray("aws.states"),
            ["detail-type"] = new JsonArray("Step Functions Execution Status Change"),
            ["detail"] = new JsonObject
            {
                ["stateMachineArn"] = new JsonArray(refs.StateMachineArn(StateMachine("upgrade").PhysicalName)),
                ["status"] = new JsonArray([.. statuses.Select(s => (JsonNode)s)]),
            },
        };
    }

    /// <summary>
    /// Role references, comma-separated; "(none)" for an empty list (a DefinitionSubstitution is never empty, and no role
    /// name holds parentheses, so it matches nothing).
    /// </summary>
    public static string RolePatterns(IReadOnlyList<string> references) => references.Count == 0 ? "(none)" : string.Join(',', references);

    /// <summary><c>PlanUpgrade</c> is deployed as <c>{nameBase}-plan-upgrade</c>.</summary>
    public static string FunctionName(string nameBase, string catalogName) =>
        nameBase + "-" + KebabBoundary().Replace(catalogName, "-$1").ToLowerInvariant();

    private PermissionTargets PermissionTargetsFor(DeploymentReferences refs) => new()
    {
        Partition = refs.Partition,
        Region = refs.Region,
        Account = refs.Account,
        TableArn = refs.TableArn,
        ChatTableArn = refs.ChatTableArn,
        SlackResponseConnection = refs.SlackResponseConnectionArn is { } connection ? (connection, SlackResponseConnectionName) : null,
        SlackBotConnection = refs.SlackBotConnectionArn is { } bot ? (bot, SlackBotConnectionName) : null,
        TopicArn = refs.TopicArn,
        ApprovalTopicArn = refs.ApprovalTopicArn,
        TopicKeyArn = refs.TopicKeyArn,
        SchedulerRoleArn = refs.SchedulerRoleArn,
        EndOfSupportSchedulerRoleArn = refs.EndOfSupportSchedulerRoleArn,
        FunctionArns = Functions.ToDictionary(f => f.Descriptor.DefinitionSubstitution, f => refs.FunctionArn(f.FunctionName, FunctionAlias), StringComparer.Ordinal),
        StateMachines = StateMachines.ToDictionary(m => m.SubstitutionKey, m => (refs.StateMachineArn(m.PhysicalName), m.PhysicalName), StringComparer.Ordinal),
        StateMachineFamilies = StateMachineFile.Families.ToDictionary(
            f => f.Key,
            f => (IReadOnlyList<(string, string)>)StateMachines.Where(m => m.Name.StartsWith(f.Value, StringComparison.Ordinal)).Select(m => (refs.StateMachineArn(m.PhysicalName), m.PhysicalName)).ToList(),
            StringComparer.Ordinal),
    };

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex KebabBoundary();
}

/// <summary>
/// Values that exist only once deployed. In the CDK app they are CloudFormation tokens (<c>Table.TableArn</c>,
/// <c>Aws.PARTITION</c>); in the simulator they are the simulated account's ARNs.
/// </summary>
public sealed record DeploymentReferences
{
    public required string Partition { get; init; }

    public required string Region { get; init; }

    public required string Account { get; init; }

    public required string TableName { get; init; }

    public required string TableArn { get; init; }

    public required string TopicArn { get; init; }

    public required string TopicKeyArn { get; init; }

    /// <summary>The approvals topic (<c>${ApprovalTopicArn}</c>), encrypted with the same key as the notification topic.</summary>
    public required string ApprovalTopicArn { get; init; }

    /// <summary>The chat table (<c>${ChatTableName}</c>) when the chat endpoint is deployed (<c>bluegreen:chatPolicy</c>).</summary>
    public string? ChatTableName { get; init; }

    public string? ChatTableArn { get; init; }

    /// <summary>The EventBridge connection chat-command posts to Slack's response URLs with (<c>${SlackResponseConnectionArn}</c>).</summary>
    public string? SlackResponseConnectionArn { get; init; }

    /// <summary>The bot-token connection ask-approval posts approval messages with (<c>${SlackBotConnectionArn}</c>), when deployed.</summary>
    public string? SlackBotConnectionArn { get; init; }

    public required string SchedulerRoleArn { get; init; }

    /// <summary>The role the end-of-support one-time schedules start the upgrade with (<c>${EndOfSupportSchedulerRoleArn}</c>).</summary>
    public required string EndOfSupportSchedulerRoleArn { get; init; }

    /// <summary>A function's ARN, qualified by an alias; by default spelled from its name (the CDK app passes the alias's own ARN token).</summary>
    public Func<string, string, string>? FunctionArnOf { get; init; }

    /// <summary>A state machine's ARN from its physical name.</summary>
    public string StateMachineArn(string name) => $"arn:{Partition}:states:{Region}:{Account}:stateMachine:{name}";

    public string FunctionArn(string name, string alias) =>
        FunctionArnOf?.Invoke(name, alias) ?? $"arn:{Partition}:lambda:{Region}:{Account}:function:{name}:{alias}";

    public string RoleArn(string name) => $"arn:{Partition}:iam::{Account}:role/{name}";

    /// <summary>An SQS queue's ARN from its name.</summary>
    public string QueueArn(string name) => $"arn:{Partition}:sqs:{Region}:{Account}:{name}";
}

/// <summary>One decision function: which handler of the shared code package it runs, and how.</summary>
public sealed record FunctionSpec(FunctionDescriptor Descriptor, string FunctionName)
{
    /// <summary><c>BlueGreen.Functions::BlueGreen.Functions.Handlers.PlanUpgradeHandler::Handle</c>.</summary>
    public string Handler => Descriptor.Handler;

    public string Runtime { get; init; } = DeploymentManifest.FunctionRuntime;

    public string Architecture { get; init; } = DeploymentManifest.FunctionArchitecture;

    public int MemoryMb { get; init; } = 512;

    public int TimeoutSeconds { get; init; } = 30;

    public string Description => $"Blue/Green upgrade decision: {Descriptor.Name}";
}

/// <summary>One Standard state machine, deployed from its file under a physical name.</summary>
public sealed record StateMachineSpec(StateMachineFile Definition, string PhysicalName)
{
    /// <summary>The file's base name: <c>upgrade</c>, <c>bake</c>, <c>decommission-cluster</c>, <c>restore-blue</c>.</summary>
    public string Name => Definition.Name;

    /// <summary>The placeholder other definitions name this machine by (<c>decommission-cluster</c>: <c>${DecommissionClusterStateMachineArn}</c>).</summary>
    public string SubstitutionKey => SubstitutionKeyOf(Name);

    /// <summary>
    /// <c>bake</c> is <c>BakeStateMachineArn</c>; <c>decommission-cluster</c> was named <c>DecommissionStateMachineArn</c> before
    /// this rule existed and keeps that name.
    /// </summary>
    public static string SubstitutionKeyOf(string name) => name switch
    {
        "decommission-cluster" => "DecommissionStateMachineArn",
        _ => string.Concat(name.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..])) + "StateMachineArn",
    };
}

/// <summary>The run-record table: one lock item and one run item per execution under <c>pk = CLUSTER#name</c>, TTL on run items.</summary>
public sealed record TableSpec(string Name, string PartitionKey, string SortKey, string TtlAttribute, IReadOnlyList<IndexSpec> Indexes);

/// <summary>A global secondary index: its string keys and the attributes it projects besides them.</summary>
public sealed record IndexSpec(string Name, string PartitionKey, string SortKey, IReadOnlyList<string> Projected);

/// <summary>The notification topic, encrypted with a customer-managed key that has this alias.</summary>
public sealed record TopicSpec(string Name, string KeyAlias);
