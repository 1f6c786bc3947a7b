using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BlueGreen.Deployment;
using BlueGreen.Deployment.Configuration;
using BlueGreen.Deployment.Permissions;
using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Iam;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.EventBridge;
using BlueGreen.Simulator.Aws.Services.Lambda;
using BlueGreen.Simulator.Aws.Services.Pipes;
using BlueGreen.Simulator.Aws.Services.SecretsManager;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>
/// Installs the product into a simulated account from the same <see cref="DeploymentManifest"/> the CDK app builds its
/// stack from: the run-record table, the encrypted notification topic, the execution roles with the statements the
/// manifest derives from the definitions, the decision functions (behind a <c>live</c> alias), the state machines
/// with their DefinitionSubstitutions, the Scheduler role and the EventBridge rules on the upgrade's endings: restore-blue
/// when it ends abnormally, reconcile-run whenever it ends. Settings come from <c>cdk.json</c> (or the <c>rehearse -c key=value</c> options), with the
/// CDK app's validation.
/// </summary>
public sealed partial class ProductDeployment
{
    internal ProductDeployment(SimulatedAccount account, DeploymentManifest? manifest, DeployedNames names, IReadOnlyDictionary<string, string> substitutions, IReadOnlyList<string>? notSimulated = null)
    {
        Account = account;
        Manifest = manifest;
        Names = names;
        Substitutions = substitutions;
        NotSimulated = notSimulated ?? [];
    }

    public SimulatedAccount Account { get; }

    /// <summary>The manifest deployed, or null for a deployment from a synthesized template (<c>rehearse --template</c>).</summary>
    public DeploymentManifest? Manifest { get; }

    public DeployedNames Names { get; }

    /// <summary>Every <c>${Placeholder}</c> value in this account.</summary>
    public IReadOnlyDictionary<string, string> Substitutions { get; }

    /// <summary>Resources of a template that were accepted but play no part in a rehearsal (log groups, alarms...).</summary>
    public IReadOnlyList<string> NotSimulated { get; }

    public string TableName => Names.TableName;

    public string TopicArn => Names.TopicArn;

    public string UpgradeStateMachine => Names.Upgrade;

    public string BakeStateMachine => Names.Bake;

    public string DecommissionStateMachine => Names.Decommission;

    public string RestoreBlueStateMachine => Names.RestoreBlue;

    public string RestoreBlueRule => Names.RestoreBlueRule;

    public string ReconcileStateMachine => Names.Reconcile;

    public string ReconcileRule => Names.ReconcileRule;

    public string UpgradeStateMachineArn => Account.StepFunctions.StateMachineArn(UpgradeStateMachine);

    /// <summary>The upgrade's execution role; EKS records it as the creator of the clusters the workflow creates.</summary>
    public string UpgradeRoleArn => Names.UpgradeRoleArn;

    /// <summary>The settings <c>cdk.json</c> gives (the CDK app's defaults for a plain <c>cdk deploy</c>), with <paramref name="overrides"/> applied.</summary>
    /// <exception cref="InvalidDeploymentSettingsException">Every problem, as the CDK app reports them.</exception>
    public static DeploymentSettings SettingsFromCdkJson(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var context = new Dictionary<string, object?>(CdkContext.LoadFile(BuildInfo.RepositoryRoot), StringComparer.Ordinal);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            context[key] = value;
        }

        return DeploymentSettings.FromContext(context);
    }

    /// <summary>
    /// Deploys the manifest for <paramref name="settings"/> (default: cdk.json's) into <paramref name="account"/>, with the
    /// functions' code from <paramref name="codeDirectory"/> (default: the package src/Functions publishes, the one the
    /// CDK app ships).
    /// </summary>
    /// <param name="profilesDirectory">The upgrade profiles deployed into eos-scan (default: the repository's <c>profiles/</c>).</param>
    public static ProductDeployment Deploy(SimulatedAccount account, DeploymentSettings? settings = null, string? codeDirectory = null, string? profilesDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        var manifest = DeploymentManifest.Create(settings ?? SettingsFromCdkJson(), Path.Combine(BuildInfo.RepositoryRoot, "statemachines"), profilesDirectory);
        var (p, region, id) = ("aws", account.Region, account.AccountId);
        var table = manifest.Table(InstanceSuffix(account, manifest));
        var keyArn = $"arn:{p}:kms:{region}:{id}:key/{StableGuid(account, manifest.Topic.KeyAlias)}";
        var chatTable = manifest.Settings.ChatEnabled ? manifest.ChatTable(InstanceSuffix(account, manifest)) : null;
        var references = new DeploymentReferences
        {
            Partition = p,
            Region = region,
            Account = id,
            TableName = table.Name,
            TableArn = $"arn:{p}:dynamodb:{region}:{id}:table/{table.Name}",
            TopicArn = $"arn:{p}:sns:{region}:{id}:{manifest.Topic.Name}",
            TopicKeyArn = keyArn,
            ApprovalTopicArn = $"arn:{p}:sns:{region}:{id}:{manifest.ApprovalTopic.Name}",
            SchedulerRoleArn = $"arn:{p}:iam::{id}:role/{manifest.SchedulerRoleName(region)}",
            EndOfSupportSchedulerRoleArn = $"arn:{p}:iam::{id}:role/{manifest.EndOfSupportSchedulerRoleName(region)}",
            ChatTableName = chatTable?.Name,
            ChatTableArn = chatTable is null ? null : $"arn:{p}:dynamodb:{region}:{id}:table/{chatTable.Name}",
            SlackResponseConnectionArn = chatTable is null ? null : account.Http.AddConnection(manifest.SlackResponseConnectionName, "API_KEY").Arn,
            // The bot token is read from the operator's secret as CloudFormation resolves the template's dynamic reference.
            SlackBotConnectionArn = manifest.SlackBotTokenReference is { } token
                ? account.Http.AddConnection(manifest.SlackBotConnectionName, "API_KEY", DeploymentManifest.SlackBotTokenHeader, account.Service<SecretsManagerService>().ResolveDynamicReferences(token)).Arn
                : null,
        };

        account.Service<DynamoDbService>().AddTable(DynamoDbWorld.KeyValueTable(table.Name, table.PartitionKey, table.SortKey, table.TtlAttribute,
            [.. table.Indexes.Select(i => (i.Name, i.PartitionKey, i.SortKey, i.Projected))]));
        var chatStream = chatTable is null ? null : AddChatTable(account, chatTable);
        account.Service<SnsService>().AddTopic(manifest.Topic.Name, keyArn);
        account.Service<SnsService>().AddTopic(manifest.ApprovalTopic.Name, keyArn);
        account.Service<BlueGreen.Simulator.Aws.Services.Sqs.SqsService>().AddQueue(manifest.ScheduleDeadLetterQueueName);

        var iam = account.Service<IamService>();
        var scheduler = iam.CreateRole(manifest.SchedulerRoleName(region), TrustPolicy("scheduler.amazonaws.com", id));
        scheduler.AttachPolicy(Policy("scheduler", manifest.SchedulerRolePolicy(references)));
        var eosScheduler = iam.CreateRole(manifest.EndOfSupportSchedulerRoleName(region), TrustPolicy("scheduler.amazonaws.com", id));
        eosScheduler.AttachPolicy(Policy("eos-scheduler", manifest.EndOfSupportSchedulerRolePolicy(references)));
        var ruleArn = $"arn:{p}:events:{region}:{id}:rule/{manifest.RestoreBlueRuleName}";
        var events = iam.CreateRole(manifest.RestoreBlueEventsRoleName(region), TrustPolicy("events.amazonaws.com", id, ruleArn));
        events.AttachPolicy(Policy("restore-blue-events", manifest.RestoreBlueEventsRolePolicy(references)));
        var reconcileEvents = iam.CreateRole(manifest.ReconcileEventsRoleName(region), TrustPolicy("events.amazonaws.com", id, $"arn:{p}:events:{region}:{id}:rule/{manifest.ReconcileRuleName}"));
        reconcileEvents.AttachPolicy(Policy("reconcile-events", manifest.ReconcileEventsRolePolicy(references)));
        var alarmEvents = iam.CreateRole(manifest.AlarmRollbackEventsRoleName(region), TrustPolicy("events.amazonaws.com", id, $"arn:{p}:events:{region}:{id}:rule/{manifest.AlarmRollbackRuleName}"));
        alarmEvents.AttachPolicy(Policy("alarm-rollback-events", manifest.AlarmRollbackEventsRolePolicy(references)));

        var lambda = account.Service<LambdaService>();
        foreach (var function in manifest.Functions)
        {
            lambda.RegisterPackagedFunction(function.FunctionName, codeDirectory ?? RehearsalBuildInfo.HandlersDirectory, new LambdaFunctionOptions
            {
                Aliases = [DeploymentManifest.FunctionAlias],
                Handler = function.Handler,
                TimeoutSeconds = function.TimeoutSeconds,
                MemorySize = function.MemoryMb,
                Runtime = function.Runtime,
                Description = function.Description,
            });
        }

        var sfn = account.Service<StepFunctionsService>();
        foreach (var machine in manifest.StateMachines)
        {
            var role = iam.CreateRole(DeploymentManifest.ExecutionRoleName(machine, region), TrustPolicy("states.amazonaws.com", id));
            role.AttachPolicy(Policy(machine.Name, manifest.ExecutionRolePolicy(machine, references)));
            var definition = Substitute(machine.Definition.Text, manifest.SubstitutionsFor(machine, references), machine.Definition.FilePath);
            sfn.RegisterStateMachine(machine.PhysicalName, definition, role.Arn);
        }

        account.Service<EventBridgeService>().AddRule(
            manifest.RestoreBlueRuleName,
            (JObject)JValue.Parse(manifest.RestoreBlueRulePattern(references).ToJsonString()),
            references.StateMachineArn(manifest.StateMachine("restore-blue").PhysicalName),
            events.Arn);
        // eos-scan starts on AWS Health's EKS lifecycle events. The daily schedule is not installed: a rehearsal starts its
        // scans itself (a scan at virtual midnight in the middle of an upgrade rehearsal would only blur its call log).
        var eosStarter = iam.CreateRole(manifest.EndOfSupportHealthEventsRoleName(region), TrustPolicy("events.amazonaws.com", id, $"arn:{p}:events:{region}:{id}:rule/{manifest.EndOfSupportHealthRuleName}"));
        eosStarter.AttachPolicy(Policy("eos-scan-starter", manifest.EndOfSupportScanStarterPolicy(references)));
        account.Service<EventBridgeService>().AddRule(
            manifest.EndOfSupportHealthRuleName,
            (JObject)JValue.Parse(DeploymentManifest.EndOfSupportHealthRulePattern().ToJsonString()),
            references.StateMachineArn(manifest.StateMachine("eos-scan").PhysicalName),
            eosStarter.Arn);
        account.Service<EventBridgeService>().AddRule(
            manifest.ReconcileRuleName,
            (JObject)JValue.Parse(manifest.ReconcileRulePattern(references).ToJsonString()),
            references.StateMachineArn(manifest.StateMachine("reconcile-run").PhysicalName),
            reconcileEvents.Arn);
        account.Service<EventBridgeService>().AddRule(
            manifest.AlarmRollbackRuleName,
            (JObject)JValue.Parse(DeploymentManifest.AlarmRollbackRulePattern().ToJsonString()),
            references.StateMachineArn(manifest.StateMachine("alarm-rollback").PhysicalName),
            alarmEvents.Arn);
        if (chatStream is not null)
        {
            ConnectChatPipe(account, manifest, references, chatStream.Arn);
        }

        var names = new DeployedNames(
            Upgrade: manifest.StateMachine("upgrade").PhysicalName,
            Bake: manifest.StateMachine("bake").PhysicalName,
            Decommission: manifest.StateMachine("decommission-cluster").PhysicalName,
            RestoreBlue: manifest.StateMachine("restore-blue").PhysicalName,
            RestoreBlueRule: manifest.RestoreBlueRuleName,
            Reconcile: manifest.StateMachine("reconcile-run").PhysicalName,
            ReconcileRule: manifest.ReconcileRuleName,
            TableName: table.Name,
            TopicArn: references.TopicArn,
            UpgradeRoleArn: references.RoleArn(DeploymentManifest.ExecutionRoleName(manifest.StateMachine("upgrade"), region)))
        {
            ChatTableName = chatTable?.Name,
        };
        return new ProductDeployment(account, manifest, names, manifest.Substitutions(references));
    }

    /// <summary>The chat table (with <c>bluegreen:chatPolicy</c>) and its stream of new images.</summary>
    private static StreamOfTable AddChatTable(SimulatedAccount account, TableSpec table)
    {
        var dynamoDb = account.Service<DynamoDbService>();
        dynamoDb.AddTable(DynamoDbWorld.KeyValueTable(table.Name, table.PartitionKey, table.SortKey, table.TtlAttribute,
            [.. table.Indexes.Select(i => (i.Name, i.PartitionKey, i.SortKey, i.Projected))]));
        return dynamoDb.Streams.Enable(account, table.Name, DeploymentManifest.ChatStreamViewType, table.PartitionKey, table.SortKey);
    }

    /// <summary>The pipe from the chat table's stream to chat-command, with its role (trusted by Pipes for this pipe only).</summary>
    private static void ConnectChatPipe(SimulatedAccount account, DeploymentManifest manifest, DeploymentReferences references, string streamArn)
    {
        var pipeArn = $"arn:aws:pipes:{account.Region}:{account.AccountId}:pipe/{manifest.ChatCommandPipeName}";
        var role = account.Service<IamService>().CreateRole(manifest.ChatCommandPipeRoleName(account.Region), TrustPolicy("pipes.amazonaws.com", account.AccountId, pipeArn));
        role.AttachPolicy(Policy("chat-pipe", manifest.ChatCommandPipeRolePolicy(references, streamArn)));
        var (startingPosition, batchSize, retries) = DeploymentManifest.ChatPipeSource;
        account.Service<PipesService>().AddPipe(new PipeDefinition(manifest.ChatCommandPipeName, role.Arn, streamArn, startingPosition, batchSize, retries,
            [DeploymentManifest.ChatPipeFilter().ToJsonString()], references.StateMachineArn(manifest.StateMachine("chat-command").PhysicalName), DeploymentManifest.ChatPipeInvocationType));
    }

    /// <summary>Grants as the IAM policy JSON CloudFormation would hold, read back through the simulated IAM's parser.</summary>
    public static PolicyDocument Policy(string name, IReadOnlyList<Grant> grants)
    {
        ArgumentNullException.ThrowIfNull(grants);
        var statements = new JsonArray();
        foreach (var grant in grants)
        {
            var statement = new JsonObject
            {
                ["Sid"] = grant.Sid,
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray([.. grant.Actions.Select(a => (JsonNode)a)]),
                ["Resource"] = new JsonArray([.. grant.Resources.Select(r => (JsonNode)r)]),
            };
            if (grant.Conditions is not null)
            {
                var conditions = new JsonObject();
                foreach (var (op, keys) in grant.Conditions)
                {
                    var byKey = new JsonObject();
                    foreach (var (key, value) in keys)
                    {
                        byKey[key] = value is string[] many ? new JsonArray([.. many.Select(v => (JsonNode)v)]) : JsonValue.Create(value.ToString());
                    }

                    conditions[op] = byKey;
                }

                statement["Condition"] = conditions;
            }

            statements.Add(statement);
        }

        return PolicyDocument.Parse(name, JValue.Parse(new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements }.ToJsonString()));
    }

    /// <summary>A service may assume the role, for this account only (and, for EventBridge, for this rule only).</summary>
    private static PolicyDocument TrustPolicy(string service, string account, string? sourceArn = null)
    {
        var conditions = new JsonObject { ["aws:SourceAccount"] = account };
        if (sourceArn is not null)
        {
            conditions["aws:SourceArn"] = sourceArn;
        }

        var document = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Service"] = service },
                ["Action"] = "sts:AssumeRole",
                ["Condition"] = new JsonObject { ["StringEquals"] = conditions },
            }),
        };
        return PolicyDocument.Parse("trust", JValue.Parse(document.ToJsonString()));
    }

    /// <summary>What CloudFormation's stack id would end with (the manifest names retained resources after it): fixed per account and stack.</summary>
    internal static string InstanceSuffix(SimulatedAccount account, DeploymentManifest manifest) => StableGuid(account, manifest.StackName)[^12..];

    /// <summary>A GUID fixed by the account and <paramref name="seed"/>: stack ids and key ids repeat from run to run.</summary>
    internal static string StableGuid(SimulatedAccount account, string seed)
    {
        var hex = string.Concat(Enumerable.Range(0, 4).Select(i => ((uint)StableHash.Of($"{account.AccountId}/{seed}/{i}")).ToString("x8", CultureInfo.InvariantCulture)));
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    /// <summary>The physical names of what a rehearsal reads or starts.</summary>
    public sealed record DeployedNames(string Upgrade, string Bake, string Decommission, string RestoreBlue, string RestoreBlueRule, string Reconcile, string ReconcileRule, string TableName, string TopicArn, string UpgradeRoleArn)
    {
        /// <summary>The chat table, when the chat endpoint is deployed.</summary>
        public string? ChatTableName { get; init; }
    }

    /// <summary>Replaces every <c>${Name}</c>; a placeholder without a value is a deployment bug, reported as such.</summary>
    public static string Substitute(string definition, IReadOnlyDictionary<string, string> substitutions, string file)
    {
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var result = Placeholder().Replace(definition, m =>
        {
            if (substitutions.TryGetValue(m.Groups[1].Value, out var value))
            {
                return value;
            }

            missing.Add(m.Groups[1].Value);
            return m.Value;
        });
        return missing.Count == 0 ? result : throw new InvalidOperationException($"{file} uses placeholders with no value: {string.Join(", ", missing)}.");
    }

    /// <summary>The placeholders a definition uses, in order of first use.</summary>
    public static IReadOnlyList<string> PlaceholdersIn(string definition) =>
        Placeholder().Matches(definition).Select(m => m.Groups[1].Value).Distinct().ToList();

    [GeneratedRegex(@"\$\{([A-Za-z][A-Za-z0-9]*)\}")]
    private static partial Regex Placeholder();

    internal static string DescribeError(StatesException e) => $"{e.Error}: {e.Cause}";
}
