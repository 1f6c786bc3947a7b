using System.Text.Json.Nodes;
using BlueGreen.Deployment.Configuration;
using BlueGreen.Infra.Cdk.Tests.Support;

namespace BlueGreen.Infra.Cdk.Tests.Permissions;

/// <summary>
/// Each state machine role must grant exactly what its definition uses: the expected set comes from the Task resources
/// of the .asl.json files, read here, and a hand-written, reviewed list of what each integration needs
/// (expected-actions.json), independently of the app's own derivation. Nothing missing, nothing extra.
/// </summary>
[Collection(CdkCollection.Name)]
public class StateMachineIamTests(SynthesizedStacks stacks)
{
    /// <summary>What Step Functions needs for logging to CloudWatch Logs and for X-Ray (CDK adds it; documented on "*").</summary>
    private static readonly string[] PlatformActions =
    [
        "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries",
        "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
        "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
    ];

    /// <summary>The reviewed list of what each integration needs (see its "about").</summary>
    private static readonly Lazy<JsonObject> Expected = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(BuildPaths.RepositoryRoot, "tests", "Infra.Cdk.Tests", "Permissions", "expected-actions.json")))!.AsObject());

    private static JsonObject ReviewedIntegrations => Expected.Value["integrations"]!.AsObject();

    /// <summary>Every deployed state machine, children included.</summary>
    public static TheoryData<string> Machines => new(BlueGreen.Deployment.Definitions.StateMachineFile.DeployedNames);

    [Theory]
    [MemberData(nameof(Machines))]
    public void DefinitionPolicy_DefaultSettings_GrantsExactlyTheDerivedActions(string machine) =>
        AssertExactActions(stacks.Defaults, machine);

    [Theory]
    [MemberData(nameof(Machines))]
    public void DefinitionPolicy_EverySettingGiven_GrantsExactlyTheDerivedActions(string machine) =>
        AssertExactActions(stacks.Full, machine);

    [Fact]
    public void Policies_Everywhere_NameNoWildcardAction()
    {
        foreach (var stack in new[] { stacks.Defaults, stacks.Full })
        {
            foreach (var (where, statement) in stack.Json.AllStatements())
            {
                Assert.Null(statement["NotAction"]);
                foreach (var action in stack.Json.Texts(statement["Action"]))
                {
                    Assert.False(action.Contains('*', StringComparison.Ordinal), $"{where}: wildcard action {action}");
                }
            }
        }
    }

    [Fact]
    public void Policies_MutatingActions_NeverOnAnyResource()
    {
        // Allowed on "*": the documented read-only calls without a resource scope, and what Step Functions logging
        // and X-Ray need (their APIs take no resource ARN). KMS key policies use "*" to mean "this key".
        // eks:CreateCluster has no resource type in the Service Authorization Reference: it may be on "*" only for
        // requests that tag the new cluster bluegreen:managed-by=eks-bluegreen-upgrade.
        var allowed = StateMachinePermissionsReadOnly().Concat(PlatformActions)
            .Concat(BlueGreen.Deployment.Permissions.StateMachinePermissions.CallbackActionsOnAnyResource.Keys).ToHashSet(StringComparer.Ordinal);
        foreach (var stack in new[] { stacks.Defaults, stacks.Full })
        {
            foreach (var (where, statement) in stack.Json.AllStatements().Where(s => (string?)s.Statement["Effect"] != "Deny" && !s.Where.Contains("AWS::KMS::Key", StringComparison.Ordinal)))
            {
                if (!stack.Json.Texts(statement["Resource"]).Contains("*"))
                {
                    continue;
                }

                foreach (var action in stack.Json.Texts(statement["Action"]))
                {
                    if (action == "eks:CreateCluster")
                    {
                        Assert.Equal("eks-bluegreen-upgrade", (string?)statement["Condition"]?["StringEquals"]?["aws:RequestTag/bluegreen:managed-by"]);
                        continue;
                    }

                    Assert.True(allowed.Contains(action), $"{where}: {action} is granted on *");
                }
            }
        }
    }

    [Fact]
    public void CreateCluster_IsGrantedOnAnyResourceOnlyForRequestsTaggedAsManaged()
    {
        // IAM evaluates CreateCluster against "*": a statement that names cluster ARNs would never allow it.
        foreach (var stack in new[] { stacks.Defaults, stacks.Full })
        {
            var json = stack.Json;
            var creates = Statements(stack, "create-green").Where(s => json.Texts(s["Action"]).Contains("eks:CreateCluster")).ToList();
            var create = Assert.Single(creates);
            Assert.Equal(["*"], json.Texts(create["Resource"]));
            Assert.Equal(["eks:CreateCluster"], json.Texts(create["Action"]));
            var condition = create["Condition"]!.AsObject();
            Assert.Equal(["StringEquals"], condition.Select(c => c.Key));
            Assert.Equal("eks-bluegreen-upgrade", (string)condition["StringEquals"]!["aws:RequestTag/bluegreen:managed-by"]!);
        }
    }

    [Fact]
    public void GreenOnlyEksActions_OnTheCreateGreenRole_NeedTheManagedByTagOnTheResource()
    {
        // cdk-review §2: the role that creates Green could delete or grant cluster-admin on any cluster matching the prefixes.
        // It changes only what it created (Green carries bluegreen:managed-by); the decommission role, which deletes Blue, does not.
        var json = stacks.Defaults.Json;
        var upgrade = Statements(stacks.Defaults, "create-green").ToList();
        foreach (var action in BlueGreen.Deployment.Permissions.StateMachinePermissions.GreenOnly)
        {
            var granting = upgrade.Where(s => json.Texts(s["Action"]).Contains(action)).ToList();
            Assert.NotEmpty(granting);
            Assert.All(granting, s => Assert.Equal("eks-bluegreen-upgrade", (string?)s["Condition"]?["StringEquals"]?["aws:ResourceTag/bluegreen:managed-by"]));
        }

        var deletes = Statements(stacks.Defaults, "decommission-cluster").Where(s => json.Texts(s["Action"]).Contains("eks:DeleteCluster")).ToList();
        Assert.All(deletes, s => Assert.Null(s["Condition"]));
    }

    [Fact]
    public void TagResource_OnlyOnAllowedClustersAndOnlyWithTheManagedByTag()
    {
        var json = stacks.Full.Json;
        var tags = Statements(stacks.Full, "create-green").Where(s => json.Texts(s["Action"]).Contains("eks:TagResource")).ToList();
        var tag = Assert.Single(tags);
        Assert.Equal(["eks:TagResource"], json.Texts(tag["Action"]));
        Assert.Equal("eks-bluegreen-upgrade", (string)tag["Condition"]!["StringEquals"]!["aws:RequestTag/bluegreen:managed-by"]!);
        Assert.All(json.Texts(tag["Resource"]), r => Assert.Matches(@"^arn:aws:eks:ap-northeast-2:111122223333:(cluster|nodegroup|addon|access-entry|podidentityassociation)/(shop|payments)-\*$", r));

        // Every create that sends Tags brings eks:TagResource; the machines that create nothing do not get it.
        foreach (var machine in stacks.Full.Stack.Manifest.StateMachines.Select(m => m.Name).Where(m => m != "create-green"))
        {
            Assert.DoesNotContain(Statements(stacks.Full, machine), s => json.Texts(s["Action"]).Contains("eks:TagResource"));
        }
    }

    [Fact]
    public void PassRole_EveryStatement_IsConditionedOnTheReceivingService()
    {
        var full = stacks.Full.Json;
        var passRoles = full.AllStatements().Where(s => full.Texts(s.Statement["Action"]).Contains("iam:PassRole")).Select(s => s.Statement).ToList();

        var byService = passRoles.ToDictionary(s => s["Sid"]!.ToString(), s => string.Join(",", full.Texts(s["Condition"]!["StringEquals"]!["iam:PassedToService"])));
        Assert.Equal(new Dictionary<string, string>
        {
            ["PassClusterRolesToEks"] = "eks.amazonaws.com",
            ["PassNodeRolesToEks"] = "eks.amazonaws.com",
            ["PassNodeRolesToEc2ForAccessEntries"] = "ec2.amazonaws.com",
            ["PassPodIdentityRoles"] = "pods.eks.amazonaws.com",
            ["PassPodIdentityRolesToAddons"] = "eks.amazonaws.com,pods.eks.amazonaws.com",
            ["PassSchedulerRole"] = "scheduler.amazonaws.com",
            ["PassEndOfSupportSchedulerRole"] = "scheduler.amazonaws.com",
        }, byService);

        Assert.Equal(["arn:aws:iam::111122223333:role/shop-eks-cluster-role", "arn:aws:iam::111122223333:role/eks-cluster-role"], Resources(full, passRoles, "PassClusterRolesToEks"));
        Assert.Equal(["arn:aws:iam::111122223333:role/shop-eks-node-role", "arn:aws:iam::111122223333:role/eks-node-role"], Resources(full, passRoles, "PassNodeRolesToEks"));
        Assert.Equal(["arn:aws:iam::111122223333:role/shop-*", "arn:aws:iam::111122223333:role/argocd-management"], Resources(full, passRoles, "PassPodIdentityRoles"));
        Assert.Equal(["arn:aws:iam::111122223333:role/shop-*", "arn:aws:iam::111122223333:role/argocd-management"], Resources(full, passRoles, "PassPodIdentityRolesToAddons"));
        Assert.Equal(["${SchedulerRole59E73443.Arn}"], Resources(full, passRoles, "PassSchedulerRole"));
        Assert.Single(Resources(full, passRoles, "PassEndOfSupportSchedulerRole"), r => r.StartsWith("${EndOfSupportSchedulerRole", StringComparison.Ordinal));
    }

    [Fact]
    public void PassRole_WithoutPodIdentityRoles_NoPodIdentityRoleIsPassable()
    {
        var json = stacks.Defaults.Json;
        var sids = json.AllStatements().Where(s => json.Texts(s.Statement["Action"]).Contains("iam:PassRole")).Select(s => (string)s.Statement["Sid"]!).Order(StringComparer.Ordinal);
        Assert.Equal(["PassClusterRolesToEks", "PassEndOfSupportSchedulerRole", "PassNodeRolesToEc2ForAccessEntries", "PassNodeRolesToEks", "PassSchedulerRole"], sids);
    }

    [Fact]
    public void RuntimeResources_AreScopedByConfiguration()
    {
        var upgrade = Statements(stacks.Full, "upgrade");
        var json = stacks.Full.Json;

        // Blue is read by describe-blue; the upgrade itself makes no EKS call.
        Assert.DoesNotContain(upgrade, s => json.Texts(s["Action"]).Any(a => a.StartsWith("eks:", StringComparison.Ordinal)));
        var eks = Statements(stacks.Full, "describe-blue").Single(s => (string)s["Sid"]! == "EksOnAllowedClusters");
        Assert.Contains("arn:aws:eks:ap-northeast-2:111122223333:cluster/shop-*", json.Texts(eks["Resource"]));
        Assert.Contains("arn:aws:eks:ap-northeast-2:111122223333:nodegroup/payments-*", json.Texts(eks["Resource"]));
        Assert.All(json.Texts(eks["Resource"]), r => Assert.Matches(@":(cluster|nodegroup|addon|access-entry|podidentityassociation)/(shop|payments)-\*$", r));

        // Traffic moves through the provider adapters: only their roles may change weights.
        Assert.DoesNotContain(upgrade, s => json.Texts(s["Action"]).Any(a => a.StartsWith("elasticloadbalancing:Modify", StringComparison.Ordinal) || a.StartsWith("route53:Change", StringComparison.Ordinal)));
        var listeners = Statements(stacks.Full, "traffic-alb").Where(s => json.Texts(s["Action"]).Any(a => a.StartsWith("elasticloadbalancing:Modify", StringComparison.Ordinal))).ToList();
        Assert.Equal(2, listeners.Count);
        Assert.All(listeners, s => Assert.Equal("platform", (string)s["Condition"]!["StringEquals"]!["aws:ResourceTag/team"]!));

        // Hooks run in the gate; the upgrade only reads them in preflight.
        var hooks = Statements(stacks.Full, "gate").Single(s => (string)s["Sid"]! == "InvokeTaggedHooks");
        Assert.DoesNotContain(upgrade, s => (string)s["Sid"]! == "InvokeTaggedHooks");
        Assert.Equal("yes", (string)hooks["Condition"]!["StringEquals"]!["aws:ResourceTag/bluegreen:hook"]!);

        var zones = Statements(stacks.Full, "traffic-route53").Single(s => (string)s["Sid"]! == "Route53AllowedZones");
        Assert.Equal(["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"], json.Texts(zones["Resource"]));

        var secrets = Statements(stacks.Full, "create-green").Single(s => (string)s["Sid"]! == "GitOpsClusterSecrets");
        Assert.Equal(["arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:argocd/prd/*"], json.Texts(secrets["Resource"]));

        var children = upgrade.Single(s => (string)s["Sid"]! == "TrackChildExecutions");
        Assert.Equal(["arn:aws:states:ap-northeast-2:111122223333:execution:bg-prd-confirm-green:*", "arn:aws:states:ap-northeast-2:111122223333:execution:bg-prd-create-green:*", "arn:aws:states:ap-northeast-2:111122223333:execution:bg-prd-describe-blue:*", "arn:aws:states:ap-northeast-2:111122223333:execution:bg-prd-gate:*", "arn:aws:states:ap-northeast-2:111122223333:execution:bg-prd-prepare-traffic:*", "arn:aws:states:ap-northeast-2:111122223333:execution:bg-prd-retire-blue:*", "arn:aws:states:ap-northeast-2:111122223333:execution:bg-prd-shift-step:*", "arn:aws:states:ap-northeast-2:111122223333:execution:bg-prd-start-run:*", "arn:aws:states:ap-northeast-2:111122223333:execution:bg-prd-traffic-alb:*", "arn:aws:states:ap-northeast-2:111122223333:execution:bg-prd-traffic-route53:*"], json.Texts(children["Resource"]));

        // Decommission schedules carry the environment: the prd role cannot create (or collide with) dev's.
        var schedules = Statements(stacks.Full, "retire-blue").Single(s => (string)s["Sid"]! == "DecommissionSchedules");
        Assert.Equal(["arn:aws:scheduler:ap-northeast-2:111122223333:schedule/default/bg-prd-decommission-*"], json.Texts(schedules["Resource"]));
        var defaults = Statements(stacks.Defaults, "retire-blue").Single(s => (string)s["Sid"]! == "DecommissionSchedules");
        Assert.Equal(["arn:aws:scheduler:ap-northeast-2:111122223333:schedule/default/bluegreen-dev-decommission-*"], stacks.Defaults.Json.Texts(defaults["Resource"]));
    }

    [Fact]
    public void ReconcileRun_ReadsOnlyTheUpgradesExecutions_AndWritesOnlyTheRunRecordsTable()
    {
        var json = stacks.Full.Json;
        var reconcile = Statements(stacks.Full, "reconcile-run");

        // DescribeExecution of the ended upgrade (the state machine its definition names), and of its own traffic reads.
        var ended = reconcile.Single(s => (string)s["Sid"]! == "ReadEndedExecutions");
        Assert.Equal(["states:DescribeExecution"], json.Texts(ended["Action"]));
        Assert.Equal(["arn:aws:states:ap-northeast-2:111122223333:execution:bg-prd-upgrade:*"], json.Texts(ended["Resource"]));
        var reads = reconcile.Single(s => (string)s["Sid"]! == "TrackChildExecutions");
        Assert.Equal(["arn:aws:states:ap-northeast-2:111122223333:execution:bg-prd-traffic-alb:*", "arn:aws:states:ap-northeast-2:111122223333:execution:bg-prd-traffic-route53:*"], json.Texts(reads["Resource"]));

        // The run records: the lock and run items only, nothing else it could change.
        var table = reconcile.Single(s => (string)s["Sid"]! == "RunRecords");
        Assert.Equal(["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"], json.Texts(table["Action"]).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(reconcile, s => json.Texts(s["Action"]).Any(a => a.StartsWith("elasticloadbalancing:", StringComparison.Ordinal) || a.StartsWith("route53:", StringComparison.Ordinal) || a.StartsWith("eks:", StringComparison.Ordinal)));
    }

    [Fact]
    public void DecommissionSchedulePrefix_IsWhatThePlanDecommissionCallSends()
    {
        // The schedule names PlanDecommission makes must match the role's resource pattern above.
        var machine = stacks.Full.Json.Resources("AWS::StepFunctions::StateMachine").Single(m => stacks.Full.Json.Text(m.Properties["StateMachineName"]) == "bg-prd-retire-blue");
        Assert.Equal("bg-prd-decommission-", (string)machine.Properties["DefinitionSubstitutions"]!["DecommissionSchedulePrefix"]!);
        Assert.True(stacks.Full.Settings.DecommissionSchedulePrefix.Length <= BlueGreen.Functions.Decommission.DecommissionPlanner.MaxSchedulePrefixLength);
    }

    [Fact]
    public void EveryStateMachineRole_LongestLists_StaysWithinThePolicyQuotas()
    {
        // IAM allows 10,240 characters of inline policy per role (whitespace not counted). Every list setting at
        // its maximum length, with long entries, must still fit, with room for the real ARNs behind each Ref.
        static string[] Many(string stem) => Enumerable.Range(1, DeploymentSettings.MaxListLength).Select(i => $"{stem}-{i:00}").ToArray();
        var context = new Dictionary<string, object?>(SynthesizedStacks.FullContext)
        {
            ["bluegreen:clusterNamePrefixes"] = Many("platform-team-cluster"),
            ["bluegreen:clusterRoles"] = Many("platform-team-eks-cluster-role"),
            ["bluegreen:nodeRoles"] = Many("platform-team-eks-node-role"),
            ["bluegreen:podIdentityRoles"] = Many("platform-team-pod-identity"),
            ["bluegreen:route53HostedZoneIds"] = Enumerable.Range(1, DeploymentSettings.MaxListLength).Select(i => $"Z0123456789ABCDEFGH{i:00}").ToArray(),
        };
        var stack = SynthesizedStacks.Synthesize(context);
        int Size((string Id, JsonObject Properties) policy) => Resolved(stack.Json, policy.Properties["PolicyDocument"]!).ToJsonString().Length;
        foreach (var machine in stack.Stack.StateMachines.Keys)
        {
            var machineId = LogicalId(stack, stack.Stack.StateMachines[machine].Node.DefaultChild!);
            var roleId = stack.Json.Text(stack.Json.Resource(machineId)["Properties"]!["RoleArn"]).Split('.')[0].TrimStart('$', '{');
            bool OfRole((string Id, JsonObject Properties) policy) => stack.Json.Texts(policy.Properties["Roles"]).Contains("${" + roleId + "}");

            // Inline policies: 10,240 characters per role in all. Customer-managed: 6,144 each, 10 per role by default.
            Assert.InRange(stack.Json.Resources("AWS::IAM::Policy").Where(OfRole).Sum(Size), 0, 10_240);
            var managed = stack.Json.Resources("AWS::IAM::ManagedPolicy").Where(OfRole).ToList();
            Assert.InRange(managed.Count, 0, 10 - 1);
            Assert.All(managed, p => Assert.InRange(Size(p), 1, 6_144 - 500));
            Assert.True(managed.Count + stack.Json.Resources("AWS::IAM::Policy").Count(OfRole) > 0, $"{machine}: no policy");
        }
    }

    [Fact]
    public void DecisionFunctionRoles_MayOnlyWriteTheirOwnLogs()
    {
        var json = stacks.Defaults.Json;
        foreach (var f in stacks.Defaults.Stack.Functions.All)
        {
            var roleId = json.Text(json.Resource(LogicalId(stacks.Defaults, f.Function.Node.DefaultChild!))["Properties"]!["Role"]).Split('.')[0].TrimStart('$', '{');
            Assert.Null(json.Resource(roleId)["Properties"]!["ManagedPolicyArns"]);
            var statements = PoliciesOf(json, roleId).ToList();
            Assert.Equal(["logs:CreateLogStream", "logs:PutLogEvents"], statements.SelectMany(s => json.Texts(s["Action"])).Order(StringComparer.Ordinal));
            Assert.All(statements, s => Assert.DoesNotContain("*", json.Texts(s["Resource"])));
        }
    }

    internal static void AssertExactActions(SynthesizedStack stack, string machine)
    {
        if (!stack.Stack.Manifest.StateMachines.Any(m => m.Name == machine))
        {
            // Deployed only with the chat endpoint (ChatEndpointStackTests checks it on a stack that has one).
            Assert.Contains(machine, BlueGreen.Deployment.DeploymentManifest.ChatOnlyStateMachines);
            Assert.False(stack.Settings.ChatEnabled);
            return;
        }

        var expected = Derive(stack.Stack.Definitions.Single(d => d.Name == machine).FilePath, stack.Settings);
        var granted = Statements(stack, machine).SelectMany(s => stack.Json.Texts(s["Action"])).ToHashSet(StringComparer.Ordinal);

        Assert.True(PlatformActions.All(granted.Contains), "the Step Functions logging and X-Ray permissions are missing");
        granted.ExceptWith(PlatformActions);
        Assert.Equal(expected.Order(StringComparer.Ordinal), granted.Order(StringComparer.Ordinal));
    }

    /// <summary>The expected action set of one definition: the reviewed entries of its Task resources.</summary>
    private static HashSet<string> Derive(string file, DeploymentSettings settings)
    {
        var actions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (resource, _) in Tasks(JsonNode.Parse(File.ReadAllText(file))!["States"]!.AsObject()))
        {
            var entry = ReviewedIntegrations[resource] ?? throw new Xunit.Sdk.XunitException($"{Path.GetFileName(file)} uses {resource}, which expected-actions.json does not list.");
            actions.UnionWith(entry.AsArray().Select(a => (string)a!));
        }

        // Granted only when configuration names what they act on.
        var conditional = Expected.Value["onlyWhenConfigured"]!;
        if (settings.Route53HostedZoneIds.Count == 0)
        {
            actions.ExceptWith(conditional["route53HostedZoneIds"]!.AsArray().Select(a => (string)a!));
        }

        if (settings.ClusterEncryptionKeyArns.Count == 0)
        {
            actions.ExceptWith(conditional["clusterEncryptionKeyArns"]!.AsArray().Select(a => (string)a!));
        }

        // ask-approval's HTTP Task posts approval messages only with a bot token (bluegreen:chatBotTokenSecret).
        if (!settings.ChatPostsApprovals && File.ReadAllText(file).Contains("${SlackBotConnectionArn}", StringComparison.Ordinal))
        {
            actions.ExceptWith(conditional["chatBotTokenSecret"]!.AsArray().Select(a => (string)a!));
        }

        return actions;
    }

    [Fact]
    public void EveryStateMachineFile_IsDeployed_AndEveryDeployedNameHasItsFile()
    {
        // A new traffic adapter (docs/adding-a-traffic-provider.md) or child is deployed only once it is listed.
        var files = Directory.GetFiles(BuildPaths.StateMachinesDirectory, "*.asl.json").Select(f => Path.GetFileName(f)[..^".asl.json".Length]);

        Assert.Equal(files.Order(StringComparer.Ordinal), BlueGreen.Deployment.Definitions.StateMachineFile.DeployedNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ReviewedList_CoversEveryTaskResourceOfEveryFile_AndNothingElse()
    {
        // A new integration in a file must be reviewed into expected-actions.json; a removed one must leave it.
        var used = Directory.GetFiles(BuildPaths.StateMachinesDirectory, "*.asl.json")
            .SelectMany(f => Tasks(JsonNode.Parse(File.ReadAllText(f))!["States"]!.AsObject()).Select(t => t.Resource))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(used.Order(StringComparer.Ordinal), ReviewedIntegrations.Select(i => i.Key).Order(StringComparer.Ordinal));
    }

    private static IEnumerable<(string Resource, JsonObject? Parameters)> Tasks(JsonObject states)
    {
        foreach (var (_, node) in states)
        {
            var state = node!.AsObject();
            if ((string?)state["Type"] == "Task")
            {
                yield return ((string)state["Resource"]!, state["Parameters"] as JsonObject);
            }

            var nested = (state["Branches"]?.AsArray().Select(b => b!["States"]!) ?? [])
                .Concat(new[] { state["ItemProcessor"]?["States"], state["Iterator"]?["States"] }.OfType<JsonNode>());
            foreach (var inner in nested.SelectMany(n => Tasks(n.AsObject())))
            {
                yield return inner;
            }
        }
    }

    internal static List<JsonObject> Statements(SynthesizedStack stack, string machine)
    {
        var json = stack.Json;
        var machineId = LogicalId(stack, stack.Stack.StateMachines[machine].Node.DefaultChild!);
        var roleId = json.Text(json.Resource(machineId)["Properties"]!["RoleArn"]).Split('.')[0].TrimStart('$', '{');
        return PoliciesOf(json, roleId).ToList();
    }

    /// <summary>Every statement of the inline and customer-managed policies attached to a role.</summary>
    private static IEnumerable<JsonObject> PoliciesOf(TemplateJson json, string roleId) =>
        json.Resources("AWS::IAM::Policy").Concat(json.Resources("AWS::IAM::ManagedPolicy"))
            .Where(p => json.Texts(p.Properties["Roles"]).Contains("${" + roleId + "}"))
            .SelectMany(p => TemplateJson.Statements(p.Properties["PolicyDocument"]));

    private static string LogicalId(SynthesizedStack stack, Constructs.IConstruct resource) =>
        stack.Stack.GetLogicalId((Amazon.CDK.CfnElement)resource);

    private static List<string> Resources(TemplateJson json, List<JsonObject> statements, string sid) =>
        json.Texts(statements.Single(s => (string)s["Sid"]! == sid)["Resource"]).ToList();

    /// <summary>The document with every intrinsic function replaced by its text (Refs by a long stand-in ARN).</summary>
    private static JsonNode Resolved(TemplateJson json, JsonNode node) => node switch
    {
        JsonObject o when o.ContainsKey("Ref") || o.ContainsKey("Fn::GetAtt") => JsonValue.Create("arn:aws:lambda:ap-northeast-2:111122223333:function:bluegreen-plan-traffic-shift:live")!,
        JsonObject o when o.ContainsKey("Fn::Join") => JsonValue.Create(json.Text(o))!,
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Resolved(json, p.Value!)))),
        JsonArray a => new JsonArray(a.Select(x => (JsonNode?)Resolved(json, x!)).ToArray()),
        _ => node.DeepClone(),
    };

    private static IEnumerable<string> StateMachinePermissionsReadOnly() =>
        BlueGreen.Deployment.Permissions.StateMachinePermissions.ReadOnlyOnAnyResource.Keys;
}
