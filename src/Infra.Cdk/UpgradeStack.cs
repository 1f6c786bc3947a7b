using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SQS;
using Amazon.CDK.AWS.StepFunctions;
using BlueGreen.Infra.Cdk.Components;
using BlueGreen.Deployment;
using BlueGreen.Deployment.Configuration;
using BlueGreen.Deployment.Definitions;
using BlueGreen.LambdaRuntime;
using BlueGreen.Deployment.Permissions;
using Constructs;
using Grant = BlueGreen.Deployment.Permissions.Grant;
using LogGroupProps = Amazon.CDK.AWS.Logs.LogGroupProps;
using SfnLogLevel = Amazon.CDK.AWS.StepFunctions.LogLevel;

namespace BlueGreen.Infra.Cdk;

/// <summary>Where the stack reads its inputs; tests point it at the same repository files.</summary>
public sealed record StackInputs(string StateMachinesDirectory, string HandlersDirectory, string? ProfilesDirectory = null)
{
    public static StackInputs FromBuild() => new(BuildPaths.StateMachinesDirectory, BuildPaths.HandlersDirectory, BuildPaths.ProfilesDirectory);
}

/// <summary>
/// The product in one stack, mirroring what the simulator's ProductDeployment installs: the decision functions
/// (behind a <c>live</c> alias), the four Standard state machines loaded from <c>statemachines/</c> with their
/// DefinitionSubstitutions, the run-record table, the notification topic, the EventBridge rule that starts
/// restore-blue when an upgrade ends abnormally, the role EventBridge Scheduler uses for delayed decommissions,
/// and alarms plus a dashboard on the orchestrator itself.
/// </summary>
public sealed class UpgradeStack : Stack
{
    public UpgradeStack(Construct scope, string id, DeploymentSettings settings, StackInputs inputs, IStackProps? props = null)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(inputs);
        Settings = settings;
        // Every physical name starts with prefix and environment, so environments can share an account and Region.
        var prefix = settings.NameBase;
        var retention = Retention(settings.LogRetentionDays);
        Amazon.CDK.Tags.Of(this).Add("bluegreen:product", "eks-bluegreen-upgrade");
        Amazon.CDK.Tags.Of(this).Add("bluegreen:environment", settings.Environment);

        if (settings.AllClusters)
        {
            Annotations.Of(this).AddWarning(
                "bluegreen:clusterNamePrefixes is *: the upgrade may create and delete any EKS cluster in this account and Region. List your clusters' name prefixes for production.");
        }

        if (settings.Route53HostedZoneIds.Count == 0)
        {
            Annotations.Of(this).AddInfo("bluegreen:route53HostedZoneIds is empty: the Route 53 traffic mode is not granted (ALB mode only).");
        }

        // The managed runtime's own start-up checks (bootstrap.sh, the .NET host): a package it would refuse never deploys.
        foreach (var handler in BlueGreen.Functions.Handlers.FunctionCatalog.All.Select(f => f.Handler).Distinct(StringComparer.Ordinal))
        {
            if (ManagedDotnetRuntime.Check(inputs.HandlersDirectory, handler, out _) is { } failure)
            {
                throw new InvalidOperationException($"The code package in {inputs.HandlersDirectory} would not start on the {ManagedDotnetRuntime.Identifier} runtime: "
                    + $"{ManagedDotnetRuntime.Describe(failure)}. Build src/Functions (it publishes the package).");
            }
        }

        Manifest = DeploymentManifest.Create(settings, inputs.StateMachinesDirectory, inputs.ProfilesDirectory);
        var tableSpec = Manifest.Table(StackInstanceSuffix);
        Table = new Table(this, "RunRecords", new TableProps
        {
            // Retained, so named after the stack instance: a stack created again after a delete makes its own table.
            TableName = tableSpec.Name,
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = tableSpec.PartitionKey, Type = AttributeType.STRING },
            SortKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = tableSpec.SortKey, Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            TimeToLiveAttribute = tableSpec.TtlAttribute,
            DeletionProtection = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        foreach (var index in tableSpec.Indexes)
        {
            Table.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
            {
                IndexName = index.Name,
                PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = index.PartitionKey, Type = AttributeType.STRING },
                SortKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = index.SortKey, Type = AttributeType.STRING },
                ProjectionType = index.Projected.Count == 0 ? ProjectionType.KEYS_ONLY : ProjectionType.INCLUDE,
                NonKeyAttributes = index.Projected.Count == 0 ? null : [.. index.Projected],
            });
        }

        Notifications = new Notifications(this, "Notifications", Manifest.Topic, settings.SlackWorkspaceId, settings.SlackChannelId, prefix, Manifest.ApprovalTopic, settings.ApprovalEmails);
        Functions = new DecisionFunctions(this, "Functions", Manifest.Functions, StackInstanceSuffix, inputs.HandlersDirectory, retention, settings.ReservedConcurrency);
        Chat = settings.ChatPolicy is { } chatPolicy
            ? new ChatEndpointResources(this, "Chat", Manifest, StackInstanceSuffix, Functions.All.Single(f => f.Descriptor.Name == "ChatCommand"), Table, chatPolicy)
            : null;

        // Every schedule's dead letters (${ScheduleDeadLetterQueueArn}; the roles below may send to it).
        ScheduleDeadLetters = DeadLetterQueue("ScheduleDeadLetters", Manifest.ScheduleDeadLetterQueueName);

        // The role EventBridge Scheduler assumes to start a delayed decommission (${SchedulerRoleArn}).
        SchedulerRole = new Role(this, "SchedulerRole", new RoleProps
        {
            RoleName = Manifest.SchedulerRoleName(Region),
            AssumedBy = new ServicePrincipal("scheduler.amazonaws.com", new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Account } },
            }),
            Description = "EventBridge Scheduler starts the decommission state machine with this role after a retention period.",
        });

        // The role the end-of-support one-time schedules start the upgrade with (${EndOfSupportSchedulerRoleArn}).
        EndOfSupportSchedulerRole = new Role(this, "EndOfSupportSchedulerRole", new RoleProps
        {
            RoleName = Manifest.EndOfSupportSchedulerRoleName(Region),
            AssumedBy = new ServicePrincipal("scheduler.amazonaws.com", new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Account } },
            }),
            Description = "EventBridge Scheduler starts the upgrade state machine with this role when an end-of-support schedule fires.",
        });

        var aliases = Functions.All.ToDictionary(f => f.Spec.FunctionName, f => f.Alias, StringComparer.Ordinal);
        References = new DeploymentReferences
        {
            Partition = Partition,
            Region = Region,
            Account = Account,
            TableName = Table.TableName,
            TableArn = Table.TableArn,
            TopicArn = Notifications.Topic.TopicArn,
            TopicKeyArn = Notifications.Key.KeyArn,
            ApprovalTopicArn = Notifications.ApprovalTopic.TopicArn,
            SchedulerRoleArn = SchedulerRole.RoleArn,
            EndOfSupportSchedulerRoleArn = EndOfSupportSchedulerRole.RoleArn,
            ChatTableName = Chat?.Table.TableName,
            ChatTableArn = Chat?.Table.TableArn,
            SlackResponseConnectionArn = Chat?.SlackResponseConnection.AttrArn,
            SlackBotConnectionArn = Chat?.SlackBotConnection?.AttrArn,
            // The alias's own ARN token: every state machine then depends on the versions it calls.
            FunctionArnOf = (name, alias) => alias == DeploymentManifest.FunctionAlias ? aliases[name].FunctionArn : throw new ArgumentException($"Only the {DeploymentManifest.FunctionAlias} alias is deployed.", nameof(alias)),
        };
        foreach (var grant in Manifest.SchedulerRolePolicy(References))
        {
            SchedulerRole.AddToPrincipalPolicy(ToStatement(grant));
        }

        foreach (var grant in Manifest.EndOfSupportSchedulerRolePolicy(References))
        {
            EndOfSupportSchedulerRole.AddToPrincipalPolicy(ToStatement(grant));
        }

        var machines = new Dictionary<string, StateMachine>(StringComparer.Ordinal);
        var roles = new Dictionary<string, Role>(StringComparer.Ordinal);
        foreach (var spec in Manifest.StateMachines)
        {
            var definition = spec.Definition;
            var name = spec.PhysicalName;
            var role = new Role(this, $"{definition.Name}-role", new RoleProps
            {
                // The upgrade's role creates Green and becomes its first cluster admin (BootstrapClusterCreatorAdminPermissions).
                RoleName = DeploymentManifest.ExecutionRoleName(spec, Region),
                AssumedBy = new ServicePrincipal("states.amazonaws.com", new ServicePrincipalOpts
                {
                    Conditions = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Account } },
                }),
                Description = $"Execution role of {name}: exactly the calls statemachines/{definition.Name}.asl.json makes.",
            });
            // Customer-managed policies, one per service family: each holds at most 6,144 characters, where one
            // inline policy for everything would outgrow the role's 10,240-character inline quota once the lists
            // of cluster prefixes and roles are long.
            var policies = Manifest.ExecutionRolePolicy(spec, References)
                .GroupBy(PolicyFamily)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(family => new ManagedPolicy(this, $"{definition.Name}-{family.Key}-policy", new ManagedPolicyProps
                {
                    Description = $"{name}: the {family.Key} calls of statemachines/{definition.Name}.asl.json.",
                    Statements = family.Select(ToStatement).ToArray(),
                    Roles = [role],
                }))
                .ToList();

            var logGroup = new LogGroup(this, $"{definition.Name}-logs", new LogGroupProps
            {
                // Kept when the stack is deleted; the stack's own id in the name lets a new stack of the same
                // environment create its groups beside the old ones instead of failing on "already exists".
                LogGroupName = $"/aws/vendedlogs/states/{name}-{StackInstanceSuffix}",
                Retention = retention,
                RemovalPolicy = RemovalPolicy.RETAIN,
            });

            var machine = new StateMachine(this, definition.Name, new StateMachineProps
            {
                StateMachineName = name,
                StateMachineType = StateMachineType.STANDARD,
                DefinitionBody = DefinitionBody.FromFile(definition.FilePath),
                // Omitted when there are none: CloudFormation's resource schema refuses an empty map (minProperties 1).
                DefinitionSubstitutions = Manifest.SubstitutionsFor(spec, References).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) is { Count: > 0 } substitutions ? substitutions : null,
                Role = role,
                TracingEnabled = true,
                Logs = settings.ExecutionLogLevel == "OFF" ? null : new LogOptions
                {
                    Destination = logGroup,
                    Level = Enum.Parse<SfnLogLevel>(settings.ExecutionLogLevel),
                    // Inputs and outputs stay in the execution history; logs carry events, not data (task tokens, plans).
                    IncludeExecutionData = false,
                },
            });
            policies.ForEach(p => machine.Node.AddDependency(p));
            // Which file the machine was deployed from: operators filter on it, and the simulator's template deployment reads it.
            Amazon.CDK.Tags.Of(machine).Add("bluegreen:definition", spec.Name);
            machines[definition.Name] = machine;
            roles[definition.Name] = role;
        }

        StateMachines = machines;
        StateMachineRoles = roles;
        Chat?.ConnectPipe(Manifest, References, machines["chat-command"]);

        // restore-blue starts when an upgrade execution ends FAILED, TIMED_OUT or ABORTED, reconcile-run whenever it ends;
        // an event EventBridge cannot deliver lands in an encrypted dead-letter queue that has its own alarm.
        RestoreBlueDeadLetters = DeadLetterQueue("RestoreBlueDeadLetters", $"{prefix}-restore-blue-undelivered");
        (RestoreBlueRule, RestoreBlueEventsRole) = UpgradeEndedRule(
            "RestoreBlue", Manifest.RestoreBlueRuleName, Manifest.RestoreBlueEventsRoleName(Region), Manifest.RestoreBlueRulePattern(References),
            machines["restore-blue"], Manifest.StateMachine("restore-blue").PhysicalName, RestoreBlueDeadLetters, "Starts restore-blue when an upgrade execution ends FAILED, TIMED_OUT or ABORTED.", "an upgrade execution ends abnormally");
        ReconcileDeadLetters = DeadLetterQueue("ReconcileDeadLetters", $"{prefix}-reconcile-run-undelivered");
        (ReconcileRule, ReconcileEventsRole) = UpgradeEndedRule(
            "Reconcile", Manifest.ReconcileRuleName, Manifest.ReconcileEventsRoleName(Region), Manifest.ReconcileRulePattern(References),
            machines["reconcile-run"], Manifest.StateMachine("reconcile-run").PhysicalName, ReconcileDeadLetters, "Starts reconcile-run whenever an upgrade execution ends (SUCCEEDED, FAILED, TIMED_OUT, ABORTED).", "an upgrade execution ends");

        (EndOfSupportDailyScan, EndOfSupportHealthRule) = EndOfSupportTriggers(machines["eos-scan"]);

        // alarm-rollback starts whenever an alarm goes to ALARM: it puts an armed upgrade's traffic back on Blue without
        // waiting for the bake's next check (the check stays: the event is an accelerator, not the only way).
        AlarmRollbackDeadLetters = DeadLetterQueue("AlarmRollbackDeadLetters", $"{prefix}-alarm-rollback-undelivered");
        (AlarmRollbackRule, AlarmRollbackEventsRole) = UpgradeEndedRule(
            "AlarmRollback", Manifest.AlarmRollbackRuleName, Manifest.AlarmRollbackEventsRoleName(Region), DeploymentManifest.AlarmRollbackRulePattern(),
            machines["alarm-rollback"], Manifest.StateMachine("alarm-rollback").PhysicalName, AlarmRollbackDeadLetters, "Starts alarm-rollback whenever a CloudWatch alarm goes to ALARM.", "a CloudWatch alarm goes to ALARM");

        Monitoring = new OrchestratorMonitoring(this, "Monitoring", prefix, Notifications.Topic, machines, Functions.All, RestoreBlueDeadLetters, ReconcileDeadLetters, AlarmRollbackDeadLetters, ScheduleDeadLetters,
            [("restore-blue", Manifest.RestoreBlueRuleName), ("reconcile-run", Manifest.ReconcileRuleName), ("alarm-rollback", Manifest.AlarmRollbackRuleName)]);

        _ = new CfnOutput(this, "UpgradeStateMachineArn", new CfnOutputProps { Value = machines["upgrade"].StateMachineArn, Description = "Start upgrades here." });
        _ = new CfnOutput(this, "RunRecordTableName", new CfnOutputProps { Value = Table.TableName });
        _ = new CfnOutput(this, "NotificationTopicArn", new CfnOutputProps { Value = Notifications.Topic.TopicArn });
        _ = new CfnOutput(this, "DashboardName", new CfnOutputProps { Value = $"{prefix}-upgrades" });
    }

    public DeploymentSettings Settings { get; }

    /// <summary>
    /// The last 12 characters of the CloudFormation stack id (<c>arn:...:stack/NAME/GUID</c>): the same for the life of
    /// this stack, different for a stack created again after a delete. Names of retained resources end with it.
    /// </summary>
    public static string StackInstanceSuffix => Fn.Select(4, Fn.Split("-", Fn.Select(2, Fn.Split("/", Aws.STACK_ID))));

    public Table Table { get; }

    public Notifications Notifications { get; }

    public DecisionFunctions Functions { get; }

    /// <summary>The Slack endpoint, when <c>bluegreen:chatPolicy</c> is set.</summary>
    public ChatEndpointResources? Chat { get; }

    public Role SchedulerRole { get; }

    /// <summary>The role end-of-support schedules start the upgrade with; it may start the upgrade state machine only.</summary>
    public Role EndOfSupportSchedulerRole { get; }

    /// <summary>What this stack deploys, decided in src/Deployment (the simulator installs the same).</summary>
    public DeploymentManifest Manifest { get; }

    /// <summary>The manifest's deploy-time values in this stack (CloudFormation tokens).</summary>
    public DeploymentReferences References { get; }

    public IReadOnlyList<StateMachineFile> Definitions => Manifest.StateMachines.Select(m => m.Definition).ToList();

    /// <summary>By definition name (<c>upgrade</c>, <c>bake</c>, <c>decommission-cluster</c>, <c>restore-blue</c>).</summary>
    public IReadOnlyDictionary<string, StateMachine> StateMachines { get; }

    public IReadOnlyDictionary<string, Role> StateMachineRoles { get; }

    public Queue RestoreBlueDeadLetters { get; }

    public Rule RestoreBlueRule { get; }

    public Role RestoreBlueEventsRole { get; }

    public Queue ReconcileDeadLetters { get; }

    public Rule ReconcileRule { get; }

    public Role ReconcileEventsRole { get; }

    public Queue AlarmRollbackDeadLetters { get; }

    /// <summary>What EventBridge Scheduler could not deliver, from every schedule of this deployment.</summary>
    public Queue ScheduleDeadLetters { get; }

    public Rule AlarmRollbackRule { get; }

    public Role AlarmRollbackEventsRole { get; }

    /// <summary>Starts eos-scan every day.</summary>
    public Amazon.CDK.AWS.Scheduler.CfnSchedule EndOfSupportDailyScan { get; }

    /// <summary>Starts eos-scan on AWS Health's EKS planned lifecycle events.</summary>
    public Rule EndOfSupportHealthRule { get; }

    public OrchestratorMonitoring Monitoring { get; }

    /// <summary>The CDK enum for a number of days (its members are not numbered by days).</summary>
    public static RetentionDays Retention(int days) => days switch
    {
        1 => RetentionDays.ONE_DAY,
        3 => RetentionDays.THREE_DAYS,
        5 => RetentionDays.FIVE_DAYS,
        7 => RetentionDays.ONE_WEEK,
        14 => RetentionDays.TWO_WEEKS,
        30 => RetentionDays.ONE_MONTH,
        60 => RetentionDays.TWO_MONTHS,
        90 => RetentionDays.THREE_MONTHS,
        120 => RetentionDays.FOUR_MONTHS,
        150 => RetentionDays.FIVE_MONTHS,
        180 => RetentionDays.SIX_MONTHS,
        365 => RetentionDays.ONE_YEAR,
        400 => RetentionDays.THIRTEEN_MONTHS,
        545 => RetentionDays.EIGHTEEN_MONTHS,
        731 => RetentionDays.TWO_YEARS,
        1096 => RetentionDays.THREE_YEARS,
        1827 => RetentionDays.FIVE_YEARS,
        2192 => RetentionDays.SIX_YEARS,
        2557 => RetentionDays.SEVEN_YEARS,
        2922 => RetentionDays.EIGHT_YEARS,
        3288 => RetentionDays.NINE_YEARS,
        3653 => RetentionDays.TEN_YEARS,
        _ => throw new ArgumentOutOfRangeException(nameof(days), days, "Not a CloudWatch Logs retention period."),
    };

    /// <summary>
    /// EKS calls, the EKS calls allowed only on what the workflow created, tag-on-create (the same cluster ARNs again,
    /// under a condition), IAM (passing roles), and everything else go to separate managed policies.
    /// </summary>
    private static string PolicyFamily(Grant grant) => grant.Actions[0][..grant.Actions[0].IndexOf(':', StringComparison.Ordinal)] switch
    {
        "eks" when grant.Actions[0] is "eks:TagResource" or "eks:CreateCluster" => "eks-create",
        "eks" when grant.Sid.StartsWith("ChangeOnlyClustersThisWorkflowCreated", StringComparison.Ordinal) => "eks-created",
        "eks" => "eks",
        "iam" => "iam",
        _ => "services",
    };

    /// <summary>An encrypted queue for the events a rule could not deliver, reachable over TLS only.</summary>
    private Queue DeadLetterQueue(string id, string name)
    {
        var queue = new Queue(this, id, new QueueProps
        {
            QueueName = name,
            Encryption = QueueEncryption.SQS_MANAGED,
            RetentionPeriod = Duration.Days(14),
        });
        // TLS only (spelled out: CDK's EnforceSSL denies "sqs:*", and this stack names no wildcard action).
        queue.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "TlsOnly",
            Effect = Effect.DENY,
            Principals = [new AnyPrincipal()],
            Actions = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:PurgeQueue"],
            Resources = [queue.QueueArn],
            Conditions = new Dictionary<string, object> { ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" } },
        }));
        return queue;
    }

    /// <summary>
    /// A rule on the upgrade's status-change events that starts <paramref name="target"/> with the event as input. EventBridge
    /// assumes the role only on behalf of this rule (confused-deputy protection; the rule ARN is spelled from its fixed name,
    /// since referencing the rule would be a dependency cycle), and the role may start that state machine only.
    /// </summary>
    private (Rule Rule, Role Role) UpgradeEndedRule(string id, string ruleName, string roleName, System.Text.Json.Nodes.JsonObject pattern, StateMachine target, string targetName, Queue deadLetters, string description, string when)
    {
        var role = new Role(this, $"{id}EventsRole", new RoleProps
        {
            RoleName = roleName,
            AssumedBy = new ServicePrincipal("events.amazonaws.com", new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object>
                    {
                        ["aws:SourceAccount"] = Account,
                        ["aws:SourceArn"] = $"arn:{Partition}:events:{Region}:{Account}:rule/{ruleName}",
                    },
                },
            }),
            Description = $"EventBridge starts {targetName} with this role when {when}.",
        });
        var rule = new Rule(this, $"{id}Rule", new RuleProps
        {
            RuleName = ruleName,
            Description = description,
            EventPattern = ToEventPattern(pattern),
        });
        rule.AddTarget(new SfnStateMachine(target, new SfnStateMachineProps
        {
            DeadLetterQueue = deadLetters,
            Role = role,
            RetryAttempts = 185,
            MaxEventAge = Duration.Hours(24),
        }));
        return (rule, role);
    }

    /// <summary>
    /// What starts eos-scan: a daily EventBridge Scheduler schedule and a rule on AWS Health's EKS planned lifecycle events,
    /// both with one role that may start eos-scan only (assumed by Scheduler and EventBridge for this account only).
    /// </summary>
    private (Amazon.CDK.AWS.Scheduler.CfnSchedule Daily, Rule Health) EndOfSupportTriggers(StateMachine scan)
    {
        var scheduleArn = $"arn:{Partition}:scheduler:{Region}:{Account}:schedule/default/{Manifest.EndOfSupportDailyScanName}";
        var role = new Role(this, "EndOfSupportDailyScanRole", new RoleProps
        {
            RoleName = Manifest.EndOfSupportDailyScanRoleName(Region),
            AssumedBy = new ServicePrincipal("scheduler.amazonaws.com", new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Account, ["aws:SourceArn"] = scheduleArn },
                },
            }),
            Description = "EventBridge Scheduler starts the end-of-support scan with this role every day.",
        });
        foreach (var grant in Manifest.EndOfSupportDailyScanRolePolicy(References))
        {
            role.AddToPrincipalPolicy(ToStatement(grant));
        }

        var daily = new Amazon.CDK.AWS.Scheduler.CfnSchedule(this, "EndOfSupportDailyScan", new Amazon.CDK.AWS.Scheduler.CfnScheduleProps
        {
            Name = Manifest.EndOfSupportDailyScanName,
            Description = "Starts the end-of-support scan every day.",
            ScheduleExpression = DeploymentManifest.EndOfSupportDailyScanExpression,
            ScheduleExpressionTimezone = "UTC",
            FlexibleTimeWindow = new Amazon.CDK.AWS.Scheduler.CfnSchedule.FlexibleTimeWindowProperty { Mode = "OFF" },
            Target = new Amazon.CDK.AWS.Scheduler.CfnSchedule.TargetProperty
            {
                Arn = scan.StateMachineArn,
                RoleArn = role.RoleArn,
                Input = "{\"trigger\":\"daily\"}",
                DeadLetterConfig = new Amazon.CDK.AWS.Scheduler.CfnSchedule.DeadLetterConfigProperty { Arn = ScheduleDeadLetters.QueueArn },
            },
        });
        var (health, _) = UpgradeEndedRule(
            "EndOfSupportHealth", Manifest.EndOfSupportHealthRuleName, Manifest.EndOfSupportHealthEventsRoleName(Region), DeploymentManifest.EndOfSupportHealthRulePattern(),
            scan, Manifest.StateMachine("eos-scan").PhysicalName, DeadLetterQueue("EndOfSupportHealthDeadLetters", $"{Manifest.NameBase}-eos-scan-undelivered"),
            "Starts the end-of-support scan at once when AWS Health announces an EKS planned lifecycle event.", "AWS Health announces an EKS planned lifecycle event");
        return (daily, health);
    }

    /// <summary>The manifest's event pattern (source, detail-type, detail) in CDK's typed form.</summary>
    private static EventPattern ToEventPattern(System.Text.Json.Nodes.JsonObject pattern) => new()
    {
        Source = Strings(pattern["source"]),
        DetailType = Strings(pattern["detail-type"]),
        Detail = Matchers(pattern["detail"]!.AsObject()),
    };

    /// <summary>A pattern's <c>detail</c>: nested objects (<c>state.value</c>) stay objects, leaves are lists of values.</summary>
    private static Dictionary<string, object> Matchers(System.Text.Json.Nodes.JsonObject detail) =>
        detail.ToDictionary(d => d.Key, d => d.Value is System.Text.Json.Nodes.JsonObject nested ? Matchers(nested) : (object)Strings(d.Value), StringComparer.Ordinal);

    private static string[] Strings(System.Text.Json.Nodes.JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    private static PolicyStatement ToStatement(Grant grant)
    {
        var props = new PolicyStatementProps
        {
            Sid = grant.Sid,
            Actions = [.. grant.Actions],
            Resources = [.. grant.Resources],
        };
        if (grant.Conditions is not null)
        {
            props.Conditions = grant.Conditions.ToDictionary(c => c.Key, c => (object)c.Value.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        }

        return new PolicyStatement(props);
    }
}
