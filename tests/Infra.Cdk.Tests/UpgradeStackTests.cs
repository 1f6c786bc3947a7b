using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using BlueGreen.Functions.Handlers;
using BlueGreen.Infra.Cdk.Components;
using BlueGreen.Deployment.Definitions;
using BlueGreen.Infra.Cdk.Tests.Support;
using BlueGreen.Simulator.Rehearsal;

namespace BlueGreen.Infra.Cdk.Tests;

[Collection(CdkCollection.Name)]
public class UpgradeStackTests(SynthesizedStacks stacks)
{
    private TemplateJson Json => stacks.Defaults.Json;

    private Template Template => stacks.Defaults.Template;

    [Fact]
    public void StateMachines_HaveTheManifestsNamesAndFiles()
    {
        // The simulator's ProductDeployment installs the same manifest, so the same names and files.
        var manifest = stacks.Defaults.Stack.Manifest;
        var deployed = Json.Resources("AWS::StepFunctions::StateMachine").ToDictionary(m => (string)m.Properties["StateMachineName"]!, m => m.Id);
        Assert.Equal(manifest.StateMachines.Select(m => m.PhysicalName).Order(StringComparer.Ordinal), deployed.Keys.Order(StringComparer.Ordinal));
        foreach (var machine in manifest.StateMachines)
        {
            var name = machine.PhysicalName;
            Assert.Equal("bluegreen-dev-" + machine.Name, name);
            Assert.Equal(Path.GetFullPath(Path.Combine(BuildPaths.RepositoryRoot, "statemachines", machine.Name + ".asl.json")), Path.GetFullPath(machine.Definition.FilePath));
            Template.HasResourceProperties("AWS::StepFunctions::StateMachine", Match.ObjectLike(new Dictionary<string, object>
            {
                ["StateMachineName"] = name,
                ["StateMachineType"] = "STANDARD",
                ["TracingConfiguration"] = new Dictionary<string, object> { ["Enabled"] = true },
            }));
        }
    }

    [Fact]
    public void DefinitionSubstitutions_EveryPlaceholderHasOneAndEveryOneIsUsed()
    {
        foreach (var stack in new[] { stacks.Defaults, stacks.Full })
        {
            foreach (var definition in StateMachineFile.LoadDeployed(BuildPaths.StateMachinesDirectory).Where(d => stack.Stack.StateMachines.ContainsKey(d.Name)))
            {
                var id = stack.Stack.GetLogicalId((Amazon.CDK.CfnElement)stack.Stack.StateMachines[definition.Name].Node.DefaultChild!);
                // A definition without placeholders has no DefinitionSubstitutions at all (CloudFormation refuses an empty map).
                var substitutions = stack.Json.Resource(id)["Properties"]!["DefinitionSubstitutions"]?.AsObject() ?? [];

                // Read the file again here rather than trusting the app's parser.
                var used = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(definition.FilePath), @"\$\{([A-Za-z][A-Za-z0-9]*)\}")
                    .Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
                Assert.Equal(used.Order(StringComparer.Ordinal), substitutions.Select(s => s.Key).Order(StringComparer.Ordinal));
                Assert.All(substitutions, s => Assert.False(string.IsNullOrEmpty(stack.Json.Text(s.Value)), s.Key));
            }
        }
    }

    [Fact]
    public void DefinitionSubstitutions_FunctionArnsAreTheLiveAliasesOfTheCatalog()
    {
        var upgradeId = LogicalId(stacks.Defaults.Stack.StateMachines["upgrade"]);
        var substitutions = Json.Resource(upgradeId)["Properties"]!["DefinitionSubstitutions"]!.AsObject();
        foreach (var f in FunctionCatalog.All.Where(f => substitutions.ContainsKey(f.DefinitionSubstitution)))
        {
            var aliasId = Json.Text(substitutions[f.DefinitionSubstitution]).Trim('$', '{', '}');
            var alias = Json.Resource(aliasId);
            Assert.Equal("AWS::Lambda::Alias", (string)alias["Type"]!);
            Assert.Equal(DecisionFunctions.AliasName, (string)alias["Properties"]!["Name"]!);
        }

        Assert.Equal("${RunRecords81B31725}", Json.Text(substitutions["UpgradeTableName"]));
        Assert.Equal("arn:aws:states:ap-northeast-2:111122223333:stateMachine:bluegreen-dev-shift-step", Json.Text(substitutions["ShiftStepStateMachineArn"]));
        var retireBlue = Json.Resource(LogicalId(stacks.Defaults.Stack.StateMachines["retire-blue"]))["Properties"]!["DefinitionSubstitutions"]!.AsObject();
        Assert.Equal("${SchedulerRole59E73443.Arn}", Json.Text(retireBlue["SchedulerRoleArn"]));
    }

    [Fact]
    public void Functions_OnePerCatalogEntry_Dotnet10SnapStartSharedAsset()
    {
        var functions = Json.Resources("AWS::Lambda::Function").ToList();
        Assert.Equal(FunctionCatalog.All.Count, functions.Count);
        foreach (var f in FunctionCatalog.All)
        {
            Template.HasResourceProperties("AWS::Lambda::Function", Match.ObjectLike(new Dictionary<string, object>
            {
                ["FunctionName"] = BlueGreen.Deployment.DeploymentManifest.FunctionName("bluegreen-dev", f.Name),
                ["Handler"] = f.Handler,
                ["Runtime"] = "dotnet10",
                ["Architectures"] = new[] { "x86_64" },
            }));
        }

        // No reservation unless asked for: Lambda refuses one that leaves the account under 100 unreserved.
        Assert.All(functions, f => Assert.Null(f.Properties["ReservedConcurrentExecutions"]));
        Assert.All(stacks.Full.Json.Resources("AWS::Lambda::Function"), f => Assert.Equal(10, (int)f.Properties["ReservedConcurrentExecutions"]!));

        // One zip for every function.
        Assert.Single(functions.Select(f => Json.Text(f.Properties["Code"]!["S3Key"])).Distinct());
        Template.ResourceCountIs("AWS::Lambda::Alias", FunctionCatalog.All.Count);
        Template.ResourceCountIs("AWS::Lambda::Version", FunctionCatalog.All.Count);
        Template.AllResourcesProperties("AWS::Lambda::Alias", Match.ObjectLike(new Dictionary<string, object> { ["Name"] = "live" }));
        Template.AllResources("AWS::Lambda::Version", Match.ObjectLike(new Dictionary<string, object> { ["DeletionPolicy"] = "Delete" }));
    }

    [Fact]
    public void Table_MatchesTheRunRecordDesign()
    {
        // Retained with the stack instance in its name: a stack created again after a delete makes its own table
        // instead of failing on "already exists" (cdk-review §6).
        var table = Json.Resources("AWS::DynamoDB::Table").Single();
        Assert.Equal("bluegreen-dev-upgrades-" + StackIdSuffix, Json.Text(table.Properties["TableName"]));
        Template.HasResource("AWS::DynamoDB::Table", Match.ObjectLike(new Dictionary<string, object>
        {
            ["DeletionPolicy"] = "Retain",
            ["UpdateReplacePolicy"] = "Retain",
            ["Properties"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["BillingMode"] = "PAY_PER_REQUEST",
                ["DeletionProtectionEnabled"] = true,
                ["PointInTimeRecoverySpecification"] = new Dictionary<string, object> { ["PointInTimeRecoveryEnabled"] = true },
                ["TimeToLiveSpecification"] = new Dictionary<string, object> { ["AttributeName"] = "expiresAt", ["Enabled"] = true },
                ["KeySchema"] = new object[]
                {
                    new Dictionary<string, object> { ["AttributeName"] = "pk", ["KeyType"] = "HASH" },
                    new Dictionary<string, object> { ["AttributeName"] = "sk", ["KeyType"] = "RANGE" },
                },
                ["AttributeDefinitions"] = new object[]
                {
                    new Dictionary<string, object> { ["AttributeName"] = "pk", ["AttributeType"] = "S" },
                    new Dictionary<string, object> { ["AttributeName"] = "sk", ["AttributeType"] = "S" },
                    new Dictionary<string, object> { ["AttributeName"] = "itemType", ["AttributeType"] = "S" },
                    new Dictionary<string, object> { ["AttributeName"] = "startedAt", ["AttributeType"] = "S" },
                },
            }),
        }));
    }

    [Fact]
    public void RunTable_HasTheRunHistoryIndex_ProjectingARunsSummaryOnly()
    {
        // Recent runs across clusters by time (and status, as a filter), from attributes every run item has (issue 16).
        // One index: a stack update can add only one to an existing table.
        var indexes = Json.Resources("AWS::DynamoDB::Table").Single().Properties["GlobalSecondaryIndexes"]!.AsArray();

        Assert.Equal(["runsByTime"], indexes.Select(i => Json.Text(i!["IndexName"])));
        Assert.Equal(["itemType"], indexes.Select(i => Json.Text(i!["KeySchema"]![0]!["AttributeName"])));
        Assert.All(indexes, i => Assert.Equal("startedAt", Json.Text(i!["KeySchema"]![1]!["AttributeName"])));
        Assert.All(indexes, i => Assert.Equal("INCLUDE", Json.Text(i!["Projection"]!["ProjectionType"])));
        Assert.All(indexes, i => Assert.DoesNotContain("plan", i!["Projection"]!["NonKeyAttributes"]!.AsArray().Select(a => Json.Text(a))));
    }

    [Fact]
    public void LogGroups_StateMachinesLogToVendedLogGroupsWithRetention()
    {
        var names = Json.Resources("AWS::Logs::LogGroup").Select(g => Json.Text(g.Properties["LogGroupName"])).ToList();
        foreach (var name in stacks.Defaults.Stack.Manifest.StateMachines.Select(m => m.PhysicalName))
        {
            Assert.Contains("/aws/vendedlogs/states/" + name + "-" + StackIdSuffix, names);
        }

        Template.AllResourcesProperties("AWS::StepFunctions::StateMachine", Match.ObjectLike(new Dictionary<string, object>
        {
            ["LoggingConfiguration"] = Match.ObjectLike(new Dictionary<string, object> { ["Level"] = "ALL", ["IncludeExecutionData"] = false }),
        }));
        Assert.All(Json.Resources("AWS::Logs::LogGroup"), g => Assert.Equal(365, (int)g.Properties["RetentionInDays"]!));
        // One per state machine and one per decision function.
        Assert.Equal(stacks.Defaults.Stack.Manifest.StateMachines.Count + BlueGreen.Functions.Handlers.FunctionCatalog.All.Count, Json.Resources("AWS::Logs::LogGroup").Count());
        Assert.All(stacks.Full.Json.Resources("AWS::Logs::LogGroup"), g => Assert.Equal(731, (int)g.Properties["RetentionInDays"]!));
    }

    [Fact]
    public void RetainedNames_CarryTheEnvironment_AndLogGroupsTheStackInstance()
    {
        // Two environments in one account must not collide, and a stack created again after a delete must not trip
        // over the log groups the old one left behind (they are retained): each log group name ends with the stack id.
        foreach (var stack in new[] { stacks.Defaults, stacks.Full })
        {
            var json = stack.Json;
            var expectedStart = stack == stacks.Full ? "bg-prd-" : "bluegreen-dev-";
            var groups = json.Root["Resources"]!.AsObject().Where(r => (string?)r.Value!["Type"] == "AWS::Logs::LogGroup").ToList();
            Assert.All(groups, g => Assert.Equal("Retain", (string?)g.Value!["DeletionPolicy"]));
            Assert.All(groups, g => Assert.Matches($"^/aws/(vendedlogs/states|lambda)/{expectedStart}[a-z0-9-]+-{System.Text.RegularExpressions.Regex.Escape(StackIdSuffix)}$", json.Text(g.Value!["Properties"]!["LogGroupName"])));

            var named = new[] { ("AWS::StepFunctions::StateMachine", "StateMachineName"), ("AWS::Lambda::Function", "FunctionName"), ("AWS::DynamoDB::Table", "TableName"),
                                ("AWS::SNS::Topic", "TopicName"), ("AWS::Events::Rule", "Name"), ("AWS::SQS::Queue", "QueueName"), ("AWS::CloudWatch::Dashboard", "DashboardName"),
                                ("AWS::CloudWatch::Alarm", "AlarmName"), ("AWS::IAM::Role", "RoleName"), ("AWS::KMS::Alias", "AliasName") };
            foreach (var (type, property) in named)
            {
                // Alarm names of functions start with a Ref to the function, whose name is checked here too.
                var values = json.Resources(type).Select(r => r.Properties[property]).OfType<JsonNode>().Select(json.Text)
                    .Select(v => System.Text.RegularExpressions.Regex.Replace(v, @"^\$\{(Functions\w+)\}", m => json.Text(json.Resource(m.Groups[1].Value)["Properties"]!["FunctionName"])))
                    .ToList();
                Assert.NotEmpty(values);
                Assert.All(values, v => Assert.StartsWith(type == "AWS::KMS::Alias" ? "alias/" + expectedStart : expectedStart, v, StringComparison.Ordinal));
                Assert.All(json.Resources("AWS::IAM::Role").Select(r => r.Properties["RoleName"]).OfType<JsonNode>().Select(json.Text), v => Assert.InRange(v.Length, 1, 64));
            }
        }
    }

    [Fact]
    public void Retention_EveryAllowedSetting_MapsToThatManyDays()
    {
        // CDK's RetentionDays members are not numbered by days; every allowed setting must land as itself.
        var stack = new Amazon.CDK.Stack(new Amazon.CDK.App(), "RetentionCheck");
        foreach (var days in BlueGreen.Deployment.Configuration.DeploymentSettings.AllowedRetentionDays)
        {
            _ = new Amazon.CDK.AWS.Logs.LogGroup(stack, $"g{days}", new Amazon.CDK.AWS.Logs.LogGroupProps { Retention = UpgradeStack.Retention(days) });
        }

        var template = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Template.FromStack(stack).ToJSON()))!;
        var synthesized = template["Resources"]!.AsObject().Select(r => (int)r.Value!["Properties"]!["RetentionInDays"]!).Order();
        Assert.Equal(BlueGreen.Deployment.Configuration.DeploymentSettings.AllowedRetentionDays, synthesized);
    }

    [Theory]
    [InlineData("bluegreen-dev-restore-blue-on-abnormal-end", "restore-blue", new[] { "FAILED", "TIMED_OUT", "ABORTED" })]
    [InlineData("bluegreen-dev-reconcile-run-on-every-end", "reconcile-run", new[] { "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED" })]
    public void UpgradeEndedRules_HaveTheManifestsPatternAndTarget(string name, string machine, string[] statuses)
    {
        var rule = Json.Resources("AWS::Events::Rule").Single(r => (string?)r.Properties["Name"] == name).Properties;

        var pattern = rule["EventPattern"]!.AsObject();
        Assert.Equal(["aws.states"], Json.Texts(pattern["source"]));
        Assert.Equal(["Step Functions Execution Status Change"], Json.Texts(pattern["detail-type"]));
        Assert.Equal(statuses, Json.Texts(pattern["detail"]!["status"]));
        Assert.EndsWith(":stateMachine:bluegreen-dev-upgrade", Assert.Single(Json.Texts(pattern["detail"]!["stateMachineArn"])), StringComparison.Ordinal);

        var target = rule["Targets"]!.AsArray().Single()!;
        Assert.Equal("${" + LogicalId(stacks.Defaults.Stack.StateMachines[machine]) + "}", Json.Text(target["Arn"]));
        Assert.NotNull(target["DeadLetterConfig"]);
        Assert.Null(target["Input"]); // both read the event itself ($.detail.executionArn ...)
    }

    [Fact]
    public void EventRules_AreTheOnlyRules_EachWithItsOwnDeadLetterQueue()
    {
        var rules = Json.Resources("AWS::Events::Rule").Select(r => r.Properties).ToList();

        Assert.Equal(["bluegreen-dev-alarm-rollback-on-alarm", "bluegreen-dev-eos-scan-on-eks-lifecycle-event", "bluegreen-dev-reconcile-run-on-every-end", "bluegreen-dev-restore-blue-on-abnormal-end"], rules.Select(r => (string)r["Name"]!).Order(StringComparer.Ordinal));
        Assert.Equal(4, rules.Select(r => Json.Text(r["Targets"]![0]!["DeadLetterConfig"]!["Arn"])).Distinct().Count());
        var alarms = Json.Resources("AWS::CloudWatch::Alarm").Select(a => Json.Text(a.Properties["AlarmName"])).ToList();
        Assert.Contains("bluegreen-dev-restore-blue-not-started", alarms);
        Assert.Contains("bluegreen-dev-reconcile-run-not-started", alarms);
        Assert.Contains("bluegreen-dev-alarm-rollback-not-started", alarms);
    }

    [Theory]
    [InlineData("restore-blue", "bluegreen-dev-restore-blue-on-abnormal-end")]
    [InlineData("reconcile-run", "bluegreen-dev-reconcile-run-on-every-end")]
    [InlineData("alarm-rollback", "bluegreen-dev-alarm-rollback-on-alarm")]
    public void SafetyNetRules_FailedInvocations_RaiseAnAlarm(string target, string rule)
    {
        var alarm = Json.Resources("AWS::CloudWatch::Alarm").Single(a => Json.Text(a.Properties["AlarmName"]) == $"bluegreen-dev-{target}-invocations-failing").Properties;

        Assert.Equal("AWS/Events", (string)alarm["Namespace"]!);
        Assert.Equal("FailedInvocations", (string)alarm["MetricName"]!);
        Assert.Equal(rule, (string)alarm["Dimensions"]![0]!["Value"]!);
        Assert.Equal("RuleName", (string)alarm["Dimensions"]![0]!["Name"]!);
        Assert.NotEmpty(alarm["AlarmActions"]!.AsArray());
    }

    [Fact]
    public void AlarmRollbackRule_MatchesEveryAlarmEnteringAlarm_AsCdkRendersANestedDetail()
    {
        var rule = Json.Resources("AWS::Events::Rule").Single(r => (string)r.Properties["Name"]! == "bluegreen-dev-alarm-rollback-on-alarm").Properties;

        Assert.Equal("""{"detail":{"state":{"value":["ALARM"]}},"detail-type":["CloudWatch Alarm State Change"],"source":["aws.cloudwatch"]}""", rule["EventPattern"]!.ToJsonString());
    }

    [Theory]
    [InlineData("restore-blue")]
    [InlineData("reconcile-run")]
    [InlineData("alarm-rollback")]
    [InlineData("eos-scan")]
    public void UpgradeEndedRules_TheirRolesMayBeAssumedOnlyForTheirRule_AndOnlyStartTheirStateMachine(string machine)
    {
        foreach (var stack in new[] { stacks.Defaults, stacks.Full })
        {
            var json = stack.Json;
            var target = "${" + stack.Stack.GetLogicalId((Amazon.CDK.CfnElement)stack.Stack.StateMachines[machine].Node.DefaultChild!) + "}";
            var rule = json.Resources("AWS::Events::Rule").Single(r => json.Text(r.Properties["Targets"]!.AsArray().Single()!["Arn"]) == target).Properties;
            var roleId = json.Text(rule["Targets"]!.AsArray().Single()!["RoleArn"]).Trim('$', '{', '}').Split('.')[0];
            var trust = TemplateJson.Statements(json.Resource(roleId)["Properties"]!["AssumeRolePolicyDocument"]).Single();

            Assert.Equal("events.amazonaws.com", (string)trust["Principal"]!["Service"]!);
            Assert.Equal($"arn:aws:events:ap-northeast-2:111122223333:rule/{(string)rule["Name"]!}", json.Text(trust["Condition"]!["StringEquals"]!["aws:SourceArn"]));
            Assert.Equal("111122223333", json.Text(trust["Condition"]!["StringEquals"]!["aws:SourceAccount"]));

            var statements = json.Resources("AWS::IAM::Policy").Where(p => json.Texts(p.Properties["Roles"]).Contains("${" + roleId + "}"))
                .SelectMany(p => TemplateJson.Statements(p.Properties["PolicyDocument"])).ToList();
            Assert.Equal(["states:StartExecution"], statements.SelectMany(s => json.Texts(s["Action"])));
            Assert.Equal([target], statements.SelectMany(s => json.Texts(s["Resource"])));
        }
    }

    [Fact]
    public void SchedulerRole_TrustsSchedulerAndStartsOnlyTheDecommission()
    {
        var role = Json.Resource("SchedulerRole59E73443")["Properties"]!;
        var trust = TemplateJson.Statements(role["AssumeRolePolicyDocument"]).Single();
        Assert.Equal("scheduler.amazonaws.com", (string)trust["Principal"]!["Service"]!);
        Assert.Equal("111122223333", (string)trust["Condition"]!["StringEquals"]!["aws:SourceAccount"]!);

        var policy = Json.Resources("AWS::IAM::Policy").Single(p => Json.Texts(p.Properties["Roles"]).Contains("${SchedulerRole59E73443}"));
        var statements = TemplateJson.Statements(policy.Properties["PolicyDocument"]).ToList();
        Assert.Equal(2, statements.Count);
        Assert.Equal(["states:StartExecution"], Json.Texts(statements[0]["Action"]));
        Assert.Equal(["arn:aws:states:ap-northeast-2:111122223333:stateMachine:bluegreen-dev-decommission-cluster"], Json.Texts(statements[0]["Resource"]));
        // What it could not start goes to the schedules' dead-letter queue, sent with this role (configuring-schedule-dlq.html).
        Assert.Equal(["sqs:SendMessage"], Json.Texts(statements[1]["Action"]));
        Assert.Equal(["arn:aws:sqs:ap-northeast-2:111122223333:bluegreen-dev-schedules-undelivered"], Json.Texts(statements[1]["Resource"]));
    }

    [Fact]
    public void Topic_IsEncryptedWithARotatedCustomerKey()
    {
        Template.HasResourceProperties("AWS::SNS::Topic", Match.ObjectLike(new Dictionary<string, object>
        {
            ["TopicName"] = "bluegreen-dev-notifications",
            ["KmsMasterKeyId"] = Match.AnyValue(),
        }));
        Template.HasResourceProperties("AWS::KMS::Key", Match.ObjectLike(new Dictionary<string, object> { ["EnableKeyRotation"] = true }));
        Template.ResourceCountIs("AWS::Chatbot::SlackChannelConfiguration", 0);
    }

    [Fact]
    public void SlackChannel_WhenConfigured_IsNotificationOnlyWithAGuardrail()
    {
        var guardrail = new Capture();
        stacks.Full.Template.HasResourceProperties("AWS::Chatbot::SlackChannelConfiguration", Match.ObjectLike(new Dictionary<string, object>
        {
            ["SlackWorkspaceId"] = "T0123ABCD",
            ["SlackChannelId"] = "C0123ABCD",
            ["GuardrailPolicies"] = new object[] { guardrail },
            ["UserRoleRequired"] = false,
        }));
        var json = stacks.Full.Json;
        var guardrailId = json.Text(JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(guardrail.AsObject()))).Trim('$', '{', '}');
        var statements = TemplateJson.Statements(json.Resource(guardrailId)["Properties"]!["PolicyDocument"]).ToList();
        Assert.All(statements.SelectMany(s => json.Texts(s["Action"])), a => Assert.StartsWith("states:Describe", a.Replace("states:List", "states:Describe", StringComparison.Ordinal), StringComparison.Ordinal));
        Assert.DoesNotContain(json.Texts(json.Resources("AWS::Chatbot::SlackChannelConfiguration").Single().Properties["GuardrailPolicies"]), p => p.Contains("AdministratorAccess", StringComparison.Ordinal));
    }

    [Fact]
    public void Alarms_CoverExecutionsOfUpgradeRestoreBlueAndReconcileRunAndEveryFunction()
    {
        var alarms = Json.Resources("AWS::CloudWatch::Alarm").Select(a => a.Properties).ToList();
        foreach (var machine in new[] { "upgrade", "restore-blue", "reconcile-run" })
        {
            var arn = "${" + LogicalId(stacks.Defaults.Stack.StateMachines[machine]) + "}";
            foreach (var metric in new[] { "ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted" })
            {
                Assert.Contains(alarms, a => (string?)a["MetricName"] == metric && (string?)a["Namespace"] == "AWS/States"
                                             && Json.Text(a["Dimensions"]![0]!["Value"]) == arn && a["AlarmActions"] is JsonArray { Count: 1 });
            }
        }

        foreach (var f in FunctionCatalog.All)
        {
            foreach (var metric in new[] { "Errors", "Throttles" })
            {
                Assert.Contains(alarms, a => (string?)a["MetricName"] == metric && (string?)a["Namespace"] == "AWS/Lambda"
                                             && Json.Text(a["Dimensions"]![0]!["Value"]) == "${" + LogicalId(stacks.Defaults.Stack.Functions.All.Single(x => x.Descriptor == f).Function) + "}");
            }
        }

        Template.ResourceCountIs("AWS::CloudWatch::Dashboard", 1);
        Template.HasResourceProperties("AWS::CloudWatch::Dashboard", Match.ObjectLike(new Dictionary<string, object> { ["DashboardName"] = "bluegreen-dev-upgrades" }));
    }

    [Fact]
    public void Synthesis_EveryClusterAllowedExplicitly_Warns()
    {
        Annotations.FromStack(stacks.AllClusters.Stack).HasWarning("*", Match.StringLikeRegexp("clusterNamePrefixes is \\*"));
        Annotations.FromStack(stacks.Defaults.Stack).HasNoWarning("*", Match.StringLikeRegexp("clusterNamePrefixes"));
        Annotations.FromStack(stacks.Full.Stack).HasNoWarning("*", Match.StringLikeRegexp("clusterNamePrefixes"));
    }

    /// <summary>The CloudFormation text of the stack-id suffix (last group of the stack's GUID).</summary>
    [Theory]
    [InlineData(".runtimeconfig.json", 106)]
    [InlineData(".deps.json", 105)]
    public void CodePackage_TheManagedRuntimeWouldRefuse_StopsTheSynthesis(string removed, int exitStatus)
    {
        // cdk-review §1: a package without its runtimeconfig.json synthesized, and every function would have failed on AWS.
        var package = Path.Combine(Path.GetTempPath(), "bluegreen-broken-package-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(package);
        try
        {
            foreach (var file in Directory.GetFiles(BuildPaths.HandlersDirectory).Where(f => !f.EndsWith(removed, StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(package, Path.GetFileName(file)));
            }

            var app = new Amazon.CDK.App(new Amazon.CDK.AppProps { Outdir = Path.Combine(package, "cdk.out") });
            var e = Assert.Throws<InvalidOperationException>(() => new UpgradeStack(app, "Broken", stacks.Defaults.Settings, new StackInputs(BuildPaths.StateMachinesDirectory, package)));

            Assert.Contains($"missing the required {removed} file", e.Message, StringComparison.Ordinal);
            Assert.Contains($"exits {exitStatus}: Runtime.ExitError", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(package, recursive: true);
        }
    }

    [Theory]
    [InlineData("ap-northeast-2", true)]
    [InlineData("us-east-1", true)]
    [InlineData("cn-north-1", false)]
    [InlineData("me-central-1", false)]
    [InlineData("us-gov-west-1", false)]
    public void Functions_UseSnapStartOnlyInRegionsThatOfferIt(string region, bool snapStart)
    {
        // cdk-review §7: SnapStart is refused in 24 Regions (both aws-cn ones among them). The template decides per Region.
        // (cfn-lint's E2530 still lists them for --regions ALL_REGIONS: the rule does not evaluate conditions.)
        var text = Json.Root.ToJsonString();
        var template = BlueGreen.Simulator.Rehearsal.Template.CloudFormationTemplate.Parse(text, new Dictionary<string, string>
        {
            ["AWS::Region"] = region, ["AWS::AccountId"] = "111122223333", ["AWS::Partition"] = "aws", ["AWS::URLSuffix"] = "amazonaws.com",
            ["AWS::StackName"] = "s", ["AWS::StackId"] = "arn:aws:cloudformation:" + region + ":111122223333:stack/s/00000000-0000-0000-0000-000000000000",
        });
        foreach (var function in Json.Resources("AWS::Lambda::Function"))
        {
            var resolved = template.Resolve(function.Id, _ => new BlueGreen.Simulator.Json.JString("ref"), (_, _) => new BlueGreen.Simulator.Json.JString("attribute"));
            Assert.Equal(snapStart, resolved.Properties.GetObject("SnapStart")?.GetString("ApplyOn") == "PublishedVersions");
        }
    }

    private static readonly string StackIdSuffix = """{"Fn::Select":[4,{"Fn::Split":["-",{"Fn::Select":[2,{"Fn::Split":["/",{"Ref":"AWS::StackId"}]}]}]}]}""";

    private string LogicalId(Constructs.IConstruct construct) =>
        stacks.Defaults.Stack.GetLogicalId((Amazon.CDK.CfnElement)construct.Node.DefaultChild!);
}
