using BlueGreen.Deployment.Configuration;
using BlueGreen.Deployment.Definitions;

namespace BlueGreen.Deployment.Permissions;

/// <summary>One statement to grant: actions on resources, optionally under conditions.</summary>
public sealed record Grant(string Sid, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, IReadOnlyDictionary<string, IReadOnlyDictionary<string, object>>? Conditions = null);

/// <summary>The values (often CloudFormation tokens) a state machine's permissions are scoped to.</summary>
public sealed record PermissionTargets
{
    public required string Partition { get; init; }

    public required string Region { get; init; }

    public required string Account { get; init; }

    public required string TableArn { get; init; }

    public required string TopicArn { get; init; }

    public required string TopicKeyArn { get; init; }

    /// <summary>The approvals topic (<c>${ApprovalTopicArn}</c>), same key as the notification topic.</summary>
    public required string ApprovalTopicArn { get; init; }

    /// <summary>The chat table (<c>${ChatTableName}</c>), when the chat endpoint is deployed.</summary>
    public string? ChatTableArn { get; init; }

    /// <summary>The EventBridge connection HTTP Tasks post to Slack's response URLs with (<c>${SlackResponseConnectionArn}</c>): ARN and name.</summary>
    public (string Arn, string Name)? SlackResponseConnection { get; init; }

    /// <summary>Where HTTP Tasks may post (<c>states:HTTPEndpoint</c>): Slack's response URLs.</summary>
    public const string SlackResponseUrls = "https://hooks.slack.com/*";

    /// <summary>The bot connection, when approval messages are posted (<c>${SlackBotConnectionArn}</c>): ARN and name.</summary>
    public (string Arn, string Name)? SlackBotConnection { get; init; }

    /// <summary>The one endpoint the bot connection is used for (<c>states:HTTPEndpoint</c>): Slack's chat.postMessage.</summary>
    public const string SlackPostMessage = "https://slack.com/api/chat.postMessage";

    public required string SchedulerRoleArn { get; init; }

    public required string EndOfSupportSchedulerRoleArn { get; init; }

    /// <summary>Function alias ARNs by DefinitionSubstitution key (<c>PlanUpgradeFunctionArn</c>).</summary>
    public required IReadOnlyDictionary<string, string> FunctionArns { get; init; }

    /// <summary>State machine (ARN, name) by DefinitionSubstitution key (<c>BakeStateMachineArn</c>).</summary>
    public required IReadOnlyDictionary<string, (string Arn, string Name)> StateMachines { get; init; }

    /// <summary>The members (ARN, name) of each family of children started by a computed name, by its prefix placeholder.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(string Arn, string Name)>> StateMachineFamilies { get; init; } = new Dictionary<string, IReadOnlyList<(string Arn, string Name)>>();
}

/// <summary>
/// Turns the actions a definition needs (<see cref="IntegrationActions"/>) into least-privilege statements.
/// Each action has one scoping rule here; an action without a rule stops the synthesis. Where the resource is
/// only known at run time the scope comes from configuration: cluster-name prefixes, role patterns, hosted
/// zones, a required tag, a secret-name prefix. Only read-only calls that take no resource ARN, or that read
/// whatever the operator names at run time (alarms), use <c>*</c>.
/// </summary>
public sealed class StateMachinePermissions(DeploymentSettings settings, PermissionTargets targets)
{
    /// <summary>Read-only actions granted on <c>*</c>, and why (documented in docs/deploy.md and checked by the tests).</summary>
    public static IReadOnlyDictionary<string, string> ReadOnlyOnAnyResource { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["eks:DescribeAddonVersions"] = "account-level catalogue of add-on versions; takes no cluster",
        ["eks:DescribeClusterVersions"] = "account-level list of Kubernetes versions; takes no cluster",
        ["eks:ListClusters"] = "lists the account's cluster names; takes no cluster (the end-of-support scan)",
        ["scheduler:ListSchedules"] = "lists schedules by name prefix; takes no schedule (the end-of-support scan)",
        ["ec2:DescribeSubnets"] = "EC2 Describe calls do not support resource-level permissions",
        ["elasticloadbalancing:DescribeListeners"] = "ELB Describe calls do not support resource-level permissions",
        ["elasticloadbalancing:DescribeRules"] = "ELB Describe calls do not support resource-level permissions",
        ["elasticloadbalancing:DescribeTargetHealth"] = "ELB Describe calls do not support resource-level permissions",
        ["elasticloadbalancing:DescribeTags"] = "ELB Describe calls do not support resource-level permissions",
        ["cloudwatch:DescribeAlarms"] = "reads whichever alarms the operator names in the execution input",
        ["cloudwatch:DescribeAlarmHistory"] = "reads the history of whichever alarms the operator names; a composite alarm's history is returned only to a grant scoped to *",
    };

    /// <summary>
    /// Callbacks to a waiting task, granted on <c>*</c>: the Service Authorization Reference (list_awsstepfunctions.html) gives
    /// SendTaskSuccess and SendTaskFailure no resource type, which means "*" (awsfundamentals-hq/sfn-wait-for-callback#2;
    /// aws/aws-cdk#8486). Denials seen in practice name the waiting execution's state machine (NOAA-OWP/hydrovis#837), so
    /// scoping to the gate might work, but undocumented; the token is the capability. Only chat-command makes them.
    /// </summary>
    public static IReadOnlyDictionary<string, string> CallbackActionsOnAnyResource { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["states:SendTaskSuccess"] = "answers the task a task token names (an approval); the token names no resource",
        ["states:SendTaskFailure"] = "refuses the task a task token names (an approval); the token names no resource",
    };

    /// <summary>
    /// The tag every resource the workflow creates on Green carries (GreenTags.ManagedBy in src/Functions). Creates
    /// that IAM cannot scope by resource are allowed only for requests that set it.
    /// </summary>
    public static RequiredTag ManagedByTag { get; } = new(BlueGreen.Functions.Common.GreenTags.ManagedBy, BlueGreen.Functions.Common.GreenTags.ManagedByValue);

    /// <summary>
    /// Mutating actions that have no resource type in the Service Authorization Reference, so they can only be
    /// granted on <c>*</c>: each is granted only for requests carrying <see cref="ManagedByTag"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> TaggedRequestsOnAnyResource { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["eks:CreateCluster"] = "CreateCluster has no resource type (the cluster does not exist yet); condition keys aws:RequestTag/${TagKey}, aws:TagKeys",
    };

    /// <summary>
    /// EKS actions that a cluster-creating state machine (the upgrade) only ever makes on Green, which it tagged
    /// <see cref="ManagedByTag"/> on create: granted only on resources carrying that tag.
    /// </summary>
    public static IReadOnlySet<string> GreenOnly { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "eks:CreateNodegroup", "eks:CreateAccessEntry", "eks:AssociateAccessPolicy", "eks:CreateAddon", "eks:CreatePodIdentityAssociation",
        "eks:DeleteCluster", "eks:DeleteNodegroup",
    };

    /// <summary>The per-cluster part of the end-of-support scan (eos-scan-cluster): it reads every cluster and manages the eos schedules.</summary>
    private static bool ScansEveryCluster(StateMachineFile definition) => definition.Name == "eos-scan-cluster";

    /// <summary>The scan and chat-command's schedule commands: they manage the eos.* schedules that start the upgrade with the end-of-support role.</summary>
    private static bool ManagesEndOfSupportSchedules(StateMachineFile definition) => ScansEveryCluster(definition) || definition.Placeholders.Contains("EndOfSupportSchedulerRoleArn");

    private static bool CreatesClusters(StateMachineFile definition) =>
        definition.Resources.Any(r => r.StartsWith(IntegrationActions.ResourcePrefix + "eks:createCluster", StringComparison.Ordinal));

    /// <summary>The statements for one state machine: every action its Tasks need, each scoped by its rule.</summary>
    public IReadOnlyList<Grant> For(StateMachineFile definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var actions = definition.Tasks.SelectMany(IntegrationActions.For).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var grants = actions.SelectMany(a => Scope(a, definition)).ToList();

        // One statement per (rule, resources, conditions): readable policies, far below the 10 KB inline-policy quota.
        var merged = grants
            .GroupBy(g => (g.Sid, Resources: string.Join('|', g.Resources), Conditions: ConditionKey(g.Conditions)))
            .Select(g => g.First() with { Actions = g.SelectMany(x => x.Actions).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() })
            .OrderBy(g => g.Sid, StringComparer.Ordinal)
            .ThenBy(g => g.Actions[0], StringComparer.Ordinal)
            .ToList();

        // Statement IDs must be unique within a policy: a rule that produced several statements numbers them.
        return merged
            .GroupBy(g => g.Sid, StringComparer.Ordinal)
            .SelectMany(g => g.Count() == 1 ? g : g.Select((x, i) => x with { Sid = x.Sid + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) }))
            .ToList();
    }

    private IEnumerable<Grant> Scope(string action, StateMachineFile definition)
    {
        var (p, r, a) = (targets.Partition, targets.Region, targets.Account);
        if (ReadOnlyOnAnyResource.ContainsKey(action))
        {
            yield return new Grant("ReadOnlyWithoutResourceScope", [action], ["*"]);
            yield break;
        }

        var service = action[..action.IndexOf(':', StringComparison.Ordinal)];
        switch (service)
        {
            case "eks" when TaggedRequestsOnAnyResource.ContainsKey(action):
                // aws:TagKeys is not narrowed: Green carries Blue's own tags too, whatever their keys.
                yield return new Grant("CreateClustersTaggedAsManaged", [action], ["*"], RequestTag(ManagedByTag));
                break;
            case "eks" when action == "eks:TagResource":
                // Only as part of a create that tags with the managed-by tag, and only on the allowed clusters' resources.
                yield return new Grant("TagOnCreateOnAllowedClusters", [action], ClusterResources(), RequestTag(ManagedByTag));
                break;
            case "eks" when GreenOnly.Contains(action) && CreatesClusters(definition):
                // A state machine that creates clusters changes only what it created: Blue and every other cluster in
                // reach carry no managed-by tag (cdk-review §2). The Service Authorization Reference lists
                // aws:ResourceTag for each (the cluster's tags, or the node group's, access entry's).
                yield return new Grant("ChangeOnlyClustersThisWorkflowCreated", [action], ClusterResources(), ResourceTag(ManagedByTag));
                break;
            case "eks" when action == "eks:DescribeCluster" && ScansEveryCluster(definition):
                // The end-of-support scan reports every cluster ListClusters names, including those the upgrade may not touch.
                yield return new Grant("DescribeEveryCluster", [action], [$"arn:{p}:eks:{r}:{a}:cluster/*"]);
                break;
            case "eks":
                yield return new Grant("EksOnAllowedClusters", [action], ClusterResources());
                break;
            case "iam" when action == "iam:PassRole":
                foreach (var grant in PassRole(definition))
                {
                    yield return grant;
                }

                break;
            case "iam":
                // iam:GetRole / ListAttachedRolePolicies: EKS checks the node role before creating a nodegroup.
                yield return new Grant("ReadNodeRoles", [action], Roles(settings.NodeRoles));
                break;
            case "kms" when action is "kms:CreateGrant" or "kms:DescribeKey":
                if (settings.ClusterEncryptionKeyArns.Count > 0)
                {
                    yield return new Grant("ClusterSecretsEncryptionKeys", [action], settings.ClusterEncryptionKeyArns);
                }

                break;
            case "kms":
                yield return new Grant("NotificationTopicKey", [action], [targets.TopicKeyArn]);
                break;
            case "elasticloadbalancing":
                var resource = action switch
                {
                    "elasticloadbalancing:ModifyListener" => $"arn:{p}:elasticloadbalancing:{r}:{a}:listener/app/*",
                    "elasticloadbalancing:ModifyRule" => $"arn:{p}:elasticloadbalancing:{r}:{a}:listener-rule/app/*",
                    _ => throw NoRule(action),
                };
                yield return new Grant("ShiftWeightsOnTaggedListeners", [action], [resource], Condition("StringEquals", $"aws:ResourceTag/{settings.TrafficTag.Key}", settings.TrafficTag.Value));
                break;
            case "route53":
                // No hosted zones configured: the Route 53 traffic mode is not granted at all.
                if (settings.Route53HostedZoneIds.Count > 0)
                {
                    yield return action == "route53:GetChange"
                        ? new Grant("Route53ChangeStatus", [action], [$"arn:{p}:route53:::change/*"])
                        : new Grant("Route53AllowedZones", [action], settings.Route53HostedZoneIds.Select(z => $"arn:{p}:route53:::hostedzone/{z}").ToList());
                }

                break;
            case "secretsmanager" when UsesHttp(definition):
                // EventBridge keeps a connection's credentials in a secret named events!connection/<name>/<id>.
                if (Connection(definition) is { } owned)
                {
                    yield return new Grant("ReadSlackConnectionSecret", [action], [$"arn:{p}:secretsmanager:{r}:{a}:secret:events!connection/{owned.Name}/*"]);
                }

                break;
            case "secretsmanager":
                yield return new Grant("GitOpsClusterSecrets", [action], [$"arn:{p}:secretsmanager:{r}:{a}:secret:{settings.GitOpsSecretPrefix}*"]);
                break;
            case "scheduler" when ManagesEndOfSupportSchedules(definition):
                // PlanEndOfSupport names every schedule eos.<cluster>.<target> (eos._<md5>.<target> for long names) in the default group.
                yield return new Grant("EndOfSupportSchedules", [action], [$"arn:{p}:scheduler:{r}:{a}:schedule/default/eos.*"]);
                break;
            case "scheduler":
                // PlanDecommission names every schedule ${DecommissionSchedulePrefix}<runId> in the default group.
                yield return new Grant("DecommissionSchedules", [action], [$"arn:{p}:scheduler:{r}:{a}:schedule/default/{settings.DecommissionSchedulePrefix}*"]);
                break;
            case "states" when action == "states:InvokeHTTPEndpoint":
                // The state machine itself is the resource (condition keys states:HTTPEndpoint and states:HTTPMethod); only POSTs,
                // and only to the endpoint the definition's connection is for: Slack's response URLs (chat-command) or
                // chat.postMessage (ask-approval).
                if (Connection(definition) is not null)
                {
                    var bot = PostsWithBotToken(definition);
                    // Exactly chat.postMessage for the bot; any response URL (StringLike) for the follow-ups.
                    var conditions = Condition("StringEquals", "states:HTTPMethod", "POST");
                    conditions[bot ? "StringEquals" : "StringLike"] = bot
                        ? new Dictionary<string, object>(StringComparer.Ordinal) { ["states:HTTPEndpoint"] = PermissionTargets.SlackPostMessage, ["states:HTTPMethod"] = "POST" }
                        : new Dictionary<string, object>(StringComparer.Ordinal) { ["states:HTTPEndpoint"] = PermissionTargets.SlackResponseUrls };
                    yield return new Grant(bot ? "PostApprovalMessages" : "PostToSlackResponseUrls", [action], [targets.StateMachines[StateMachineSpec.SubstitutionKeyOf(definition.Name)].Arn], conditions);
                }

                break;
            case "events" when action == "events:RetrieveConnectionCredentials":
                if (Connection(definition) is { } connection)
                {
                    yield return new Grant("UseSlackConnection", [action], [connection.Arn]);
                }

                break;
            case "states" when CallbackActionsOnAnyResource.ContainsKey(action):
                yield return new Grant("AnswerCallbackTasks", [action], ["*"]);
                break;
            case "states" when action == "states:StopExecution" && definition.Tasks.Any(t => t.Resource == IntegrationActions.ResourcePrefix + "aws-sdk:sfn:stopExecution"):
                // chat-command's abort stops runs of the state machine it starts (the upgrade), nothing else.
                yield return new Grant("StopStartedRuns", [action], ChildStateMachines(definition, sync: false).Select(m => $"arn:{p}:states:{r}:{a}:execution:{m.Name}:*").ToList());
                break;
            case "states" when action == "states:StartExecution":
                yield return new Grant("StartChildStateMachines", [action], ChildStateMachines(definition, sync: false).Select(m => m.Arn).ToList());
                break;
            case "states" when action == "states:DescribeExecution" && DescribesExecutions(definition):
                // The reconciler reads the ended executions of the state machines its definition names (and not starts):
                // ${UpgradeStateMachineArn}, compared with the execution's own StateMachineArn before anything else.
                var read = ReadStateMachines(definition);
                yield return new Grant("ReadEndedExecutions", [action], read.Count > 0 ? read.Select(m => $"arn:{p}:states:{r}:{a}:execution:{m.Name}:*").ToList() : throw new InvalidOperationException($"{definition.Name}: DescribeExecution must read executions of a state machine the definition names with a ${{...StateMachineArn}} placeholder."));
                if (ChildStateMachines(definition, sync: true) is { Count: > 0 } tracked)
                {
                    yield return new Grant("TrackChildExecutions", [action], tracked.Select(m => $"arn:{p}:states:{r}:{a}:execution:{m.Name}:*").ToList());
                }

                break;
            case "states":
                yield return new Grant("TrackChildExecutions", [action], ChildStateMachines(definition, sync: true).Select(m => $"arn:{p}:states:{r}:{a}:execution:{m.Name}:*").ToList());
                break;
            case "events":
                yield return new Grant("ChildExecutionEvents", [action], [$"arn:{p}:events:{r}:{a}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"]);
                break;
            case "dynamodb":
                // Each table the action's Tasks name: ${UpgradeTableName} (run records) or ${ChatTableName} (chat commands).
                foreach (var grant in Tables(definition, action))
                {
                    yield return grant;
                }

                break;
            case "sns":
                // Each topic the definition names: ${NotificationTopicArn}, ${ApprovalTopicArn} (ask-approval publishes to both).
                yield return new Grant("Notifications", [action], Topics(definition));
                break;
            case "lambda" when action == "lambda:GetFunction":
                // Preflight reads each hook before anything is created, under the same tag condition as its Invoke.
                yield return new Grant("ReadTaggedHooks", [action], [$"arn:{targets.Partition}:lambda:{targets.Region}:{targets.Account}:function:*"],
                    Condition("StringEquals", $"aws:ResourceTag/{settings.HookTag.Key}", settings.HookTag.Value));
                break;
            case "lambda":
                foreach (var grant in Invoke(definition))
                {
                    yield return grant;
                }

                break;
            default:
                throw NoRule(action);
        }
    }

    private static bool UsesHttp(StateMachineFile definition) => definition.Resources.Contains(IntegrationActions.ResourcePrefix + "http:invoke");

    /// <summary>ask-approval's HTTP Task names the bot connection; chat-command's the response-URL connection.</summary>
    private static bool PostsWithBotToken(StateMachineFile definition) => definition.Placeholders.Contains("SlackBotConnectionArn");

    /// <summary>
    /// The connection the definition's HTTP Task uses, or null when it is the bot connection and this deployment posts no
    /// approval messages (ask-approval's Choice then never reaches the HTTP Task, and the role gets no HTTP permissions).
    /// </summary>
    private (string Arn, string Name)? Connection(StateMachineFile definition) => PostsWithBotToken(definition)
        ? targets.SlackBotConnection
        : targets.SlackResponseConnection ?? throw new InvalidOperationException($"{definition.Name} posts with ${{SlackResponseConnectionArn}}, which this deployment does not have (bluegreen:chatPolicy).");

    private IEnumerable<Grant> Tables(StateMachineFile definition, string action)
    {
        var tables = definition.Tasks.Where(t => IntegrationActions.For(t).Contains(action)).Select(t => t.StaticPlaceholder("TableName")).Distinct().ToList();
        if (tables.Contains("ChatTableName"))
        {
            yield return new Grant("ChatCommands", [action], [targets.ChatTableArn ?? throw new InvalidOperationException($"{definition.Name} uses ${{ChatTableName}}, which this deployment does not have (bluegreen:chatPolicy).")]);
        }

        if (tables.Any(t => t != "ChatTableName"))
        {
            yield return new Grant("RunRecords", [action], [targets.TableArn]);
        }
    }

    private List<string> Topics(StateMachineFile definition)
    {
        var topics = new List<string>();
        if (definition.Placeholders.Contains("NotificationTopicArn"))
        {
            topics.Add(targets.TopicArn);
        }

        if (definition.Placeholders.Contains("ApprovalTopicArn"))
        {
            topics.Add(targets.ApprovalTopicArn);
        }

        return topics.Count > 0 ? topics : throw new InvalidOperationException($"{definition.Name}: sns:Publish must name its topic with ${{NotificationTopicArn}} or ${{ApprovalTopicArn}}.");
    }

    /// <summary>Every EKS resource that belongs to an allowed cluster (ARNs embed the cluster name).</summary>
    private List<string> ClusterResources()
    {
        var (p, r, a) = (targets.Partition, targets.Region, targets.Account);
        var names = settings.AllClusters ? ["*"] : settings.ClusterNamePrefixes.Select(x => x + "*").ToList();
        return names.SelectMany(n => new[]
        {
            $"arn:{p}:eks:{r}:{a}:cluster/{n}",
            $"arn:{p}:eks:{r}:{a}:nodegroup/{n}",
            $"arn:{p}:eks:{r}:{a}:addon/{n}",
            $"arn:{p}:eks:{r}:{a}:access-entry/{n}",
            $"arn:{p}:eks:{r}:{a}:podidentityassociation/{n}",
        }).ToList();
    }

    private IEnumerable<Grant> PassRole(StateMachineFile definition)
    {
        var uses = definition.Resources.ToHashSet(StringComparer.Ordinal);
        bool Uses(string integration) => uses.Any(u => u.StartsWith(IntegrationActions.ResourcePrefix + integration, StringComparison.Ordinal));

        if (Uses("eks:createCluster"))
        {
            yield return new Grant("PassClusterRolesToEks", ["iam:PassRole"], Roles(settings.ClusterRoles), PassedTo("eks.amazonaws.com"));
        }

        if (Uses("eks:createNodegroup"))
        {
            yield return new Grant("PassNodeRolesToEks", ["iam:PassRole"], Roles(settings.NodeRoles), PassedTo("eks.amazonaws.com"));
        }

        if (Uses("aws-sdk:eks:createAccessEntry"))
        {
            // EKS user guide (grant-k8s-access): "If you create an access entry with type EC2_Linux or EC2_Windows, the IAM
            // principal creating the access entry must have the iam:PassRole permission"; the Service Authorization
            // Reference's operations table gives iam:PassedToService ec2.amazonaws.com (fidelity audit A1).
            yield return new Grant("PassNodeRolesToEc2ForAccessEntries", ["iam:PassRole"], Roles(settings.NodeRoles), PassedTo("ec2.amazonaws.com"));
        }

        if (Uses("aws-sdk:eks:createPodIdentityAssociation") && settings.PodIdentityRoles.Count > 0)
        {
            yield return new Grant("PassPodIdentityRoles", ["iam:PassRole"], Roles(settings.PodIdentityRoles), PassedTo("pods.eks.amazonaws.com"));
        }

        if (Uses("aws-sdk:eks:createAddon") && settings.PodIdentityRoles.Count > 0)
        {
            // An add-on's podIdentityAssociations pass the same roles. The Service Authorization Reference's
            // operations table lists iam:PassedToService eks.amazonaws.com for CreateAddon; pods.eks.amazonaws.com is
            // the service that assumes the role. Both are allowed, for the configured Pod Identity roles only.
            yield return new Grant("PassPodIdentityRolesToAddons", ["iam:PassRole"], Roles(settings.PodIdentityRoles), PassedTo("eks.amazonaws.com", "pods.eks.amazonaws.com"));
        }

        if (Uses("aws-sdk:scheduler:createSchedule") || Uses("aws-sdk:scheduler:updateSchedule"))
        {
            // The end-of-support schedules start the upgrade with their own role; the decommission schedule with the other.
            yield return ManagesEndOfSupportSchedules(definition)
                ? new Grant("PassEndOfSupportSchedulerRole", ["iam:PassRole"], [targets.EndOfSupportSchedulerRoleArn], PassedTo("scheduler.amazonaws.com"))
                : new Grant("PassSchedulerRole", ["iam:PassRole"], [targets.SchedulerRoleArn], PassedTo("scheduler.amazonaws.com"));
        }
    }

    private IEnumerable<Grant> Invoke(StateMachineFile definition)
    {
        var invokes = definition.Tasks.Where(t => t.Resource == IntegrationActions.ResourcePrefix + "lambda:invoke").ToList();
        var named = invokes.Select(t => t.StaticPlaceholder("FunctionName")).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (named.Count > 0)
        {
            yield return new Grant("InvokeDecisionFunctions", ["lambda:InvokeFunction"], named.Select(n => targets.FunctionArns.TryGetValue(n, out var arn) ? arn : throw new InvalidOperationException($"{definition.Name}: no function for ${{{n}}}.")).ToList());
        }

        if (invokes.Any(t => t.IsDynamic("FunctionName")))
        {
            // Hooks: functions named in the execution input, allowed only if they carry the hook tag.
            yield return new Grant("InvokeTaggedHooks", ["lambda:InvokeFunction"], [$"arn:{targets.Partition}:lambda:{targets.Region}:{targets.Account}:function:*"],
                Condition("StringEquals", $"aws:ResourceTag/{settings.HookTag.Key}", settings.HookTag.Value));
        }
    }

    private static bool DescribesExecutions(StateMachineFile definition) =>
        definition.Tasks.Any(t => t.Resource == IntegrationActions.ResourcePrefix + "aws-sdk:sfn:describeExecution");

    /// <summary>The state machines a definition names by their <c>${...StateMachineArn}</c> placeholder without starting them.</summary>
    private List<(string Arn, string Name)> ReadStateMachines(StateMachineFile definition)
    {
        var started = definition.Tasks.Select(t => t.StaticPlaceholder("StateMachineArn")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return definition.Placeholders.Where(k => targets.StateMachines.ContainsKey(k) && !started.Contains(k)).Select(k => targets.StateMachines[k]).OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
    }

    private List<(string Arn, string Name)> ChildStateMachines(StateMachineFile definition, bool sync) =>
        definition.Tasks
            .Where(t => t.Resource.StartsWith(IntegrationActions.ResourcePrefix + "states:startExecution", StringComparison.Ordinal))
            .Where(t => !sync || t.Resource.Contains(".sync", StringComparison.Ordinal))
            .SelectMany(t => ChildrenOf(definition, t))
            .Distinct()
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The state machines one StartExecution task may start: the one its <c>${...StateMachineArn}</c> placeholder names, or
    /// every member of the family whose <c>${...StateMachineArnPrefix}</c> its computed name starts with.
    /// </summary>
    private IEnumerable<(string Arn, string Name)> ChildrenOf(StateMachineFile definition, TaskCall task)
    {
        if (task.StaticPlaceholder("StateMachineArn") is { } key)
        {
            return [targets.StateMachines.TryGetValue(key, out var m) ? m : throw new InvalidOperationException($"{definition.Name}: no state machine for ${{{key}}}.")];
        }

        var families = task.DynamicPlaceholders("StateMachineArn").Where(targets.StateMachineFamilies.ContainsKey).ToList();
        return families.Count == 1
            ? targets.StateMachineFamilies[families[0]]
            : throw new InvalidOperationException($"{definition.Name}: \"{task.StateName}\" must name its state machine with a ${{...StateMachineArn}} placeholder, or compute it from one family's ${{...StateMachineArnPrefix}} ({string.Join(", ", targets.StateMachineFamilies.Keys)}).");
    }

    private List<string> Roles(IEnumerable<string> references) =>
        references.Select(x => DeploymentSettings.RoleArn(x, targets.Partition, targets.Account)).ToList();

    private static Dictionary<string, IReadOnlyDictionary<string, object>> PassedTo(string service) =>
        Condition("StringEquals", "iam:PassedToService", service);

    private static Dictionary<string, IReadOnlyDictionary<string, object>> PassedTo(params string[] services) =>
        new(StringComparer.Ordinal) { ["StringEquals"] = new Dictionary<string, object>(StringComparer.Ordinal) { ["iam:PassedToService"] = services } };

    private static Dictionary<string, IReadOnlyDictionary<string, object>> ResourceTag(RequiredTag tag) =>
        Condition("StringEquals", $"aws:ResourceTag/{tag.Key}", tag.Value);

    private static Dictionary<string, IReadOnlyDictionary<string, object>> RequestTag(RequiredTag tag) =>
        Condition("StringEquals", $"aws:RequestTag/{tag.Key}", tag.Value);

    private static Dictionary<string, IReadOnlyDictionary<string, object>> Condition(string op, string key, string value) =>
        new(StringComparer.Ordinal) { [op] = new Dictionary<string, object>(StringComparer.Ordinal) { [key] = value } };

    private static string ConditionKey(IReadOnlyDictionary<string, IReadOnlyDictionary<string, object>>? conditions) =>
        conditions is null ? "" : string.Join(';', conditions.Select(c => c.Key + ":" + string.Join(',', c.Value.Select(v => $"{v.Key}={(v.Value is string[] many ? string.Join('|', many) : v.Value)}"))));

    private static NotSupportedException NoRule(string action) =>
        new($"No IAM scoping rule for {action} in {nameof(StateMachinePermissions)}; add one (never grant a mutating action on *).");
}
