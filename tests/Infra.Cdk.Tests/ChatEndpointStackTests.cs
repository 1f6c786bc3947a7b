using Amazon.CDK.Assertions;
using BlueGreen.Infra.Cdk.Tests.Support;

namespace BlueGreen.Infra.Cdk.Tests;

/// <summary>The Slack endpoint's resources (docs/chat.md §3), deployed only when a chat policy is given.</summary>
[Collection(CdkCollection.Name)]
public sealed class ChatEndpointStackTests(SynthesizedStacks stacks, ChatEndpointStackTests.ChatStack chat) : IClassFixture<ChatEndpointStackTests.ChatStack>
{
    public const string Policy = """{"teamIds":["T0123ABCD"],"channelIds":["C0123ABCD"],"grants":[{"principals":["U0123ABCD"],"role":"operator","clusters":["shop-*"]}]}""";

    public sealed class ChatStack
    {
        public SynthesizedStack Stack { get; } = SynthesizedStacks.Synthesize(new Dictionary<string, object?>(SynthesizedStacks.MinimalContext)
        {
            ["bluegreen:chatPolicy"] = Policy,
            ["bluegreen:approvalEmails"] = "alice@example.com,bob@example.com",
            ["bluegreen:chatBotTokenSecret"] = BotTokenSecret,
        });
    }

    public const string BotTokenSecret = "bluegreen-dev/chat/slack-bot-token";

    [Fact]
    public void BotConnection_ReadsTheTokenByDynamicReference_AndAskApprovalPostsOnlyToChatPostMessage()
    {
        var json = chat.Stack.Json;
        var connection = json.Resources("AWS::Events::Connection").Single(c => json.Text(c.Properties["Name"]) == "bluegreen-dev-slack-bot");
        var apiKey = connection.Properties["AuthParameters"]!["ApiKeyAuthParameters"]!;
        Assert.Equal(("API_KEY", "Authorization", "{{resolve:secretsmanager:" + BotTokenSecret + ":SecretString}}"),
            (json.Text(connection.Properties["AuthorizationType"]), json.Text(apiKey["ApiKeyName"]), json.Text(apiKey["ApiKeyValue"])));
        Assert.DoesNotContain("xoxb", json.Root.ToJsonString(), StringComparison.Ordinal);

        Permissions.StateMachineIamTests.AssertExactActions(chat.Stack, "ask-approval");
        var statements = Permissions.StateMachineIamTests.Statements(chat.Stack, "ask-approval");
        var invoke = statements.Single(s => json.Texts(s["Action"]).Contains("states:InvokeHTTPEndpoint"));
        Assert.Equal("https://slack.com/api/chat.postMessage", (string?)invoke["Condition"]!["StringEquals"]!["states:HTTPEndpoint"]);
        Assert.Equal("POST", (string?)invoke["Condition"]!["StringEquals"]!["states:HTTPMethod"]);
        var secret = statements.Single(s => json.Texts(s["Action"]).Contains("secretsmanager:GetSecretValue"));
        Assert.All(json.Texts(secret["Resource"]), r => Assert.Contains(":secret:events!connection/bluegreen-dev-slack-bot/*", r, StringComparison.Ordinal));

        var askApproval = json.Resources("AWS::StepFunctions::StateMachine").Single(m => json.Text(m.Properties["StateMachineName"]) == "bluegreen-dev-ask-approval");
        Assert.Equal("C0123ABCD", json.Text(askApproval.Properties["DefinitionSubstitutions"]!["SlackApprovalChannel"]));
    }

    [Fact]
    public void WithoutABotToken_AskApprovalSkipsThePost_AndItsRoleHasNoHttpPermission()
    {
        var json = stacks.Defaults.Json;
        var askApproval = json.Resources("AWS::StepFunctions::StateMachine").Single(m => json.Text(m.Properties["StateMachineName"]).EndsWith("-ask-approval", StringComparison.Ordinal));

        Assert.Equal(BlueGreen.Deployment.DeploymentManifest.NoApprovalChannel, json.Text(askApproval.Properties["DefinitionSubstitutions"]!["SlackApprovalChannel"]));
        Assert.Empty(json.Resources("AWS::Events::Connection"));
        Assert.DoesNotContain(Permissions.StateMachineIamTests.Statements(stacks.Defaults, "ask-approval"), s => json.Texts(s["Action"]).Any(a => a is "states:InvokeHTTPEndpoint" or "events:RetrieveConnectionCredentials"));
    }

    [Theory]
    [InlineData(true, "C9999", "is not one of the chat policy's channelIds")]
    [InlineData(false, "C0123ABCD", "need bluegreen:chatBotTokenSecret")]
    public void ApprovalChannelSetting_Wrong_IsRefusedBeforeSynthesis(bool withBotToken, string channel, string problem)
    {
        var context = new Dictionary<string, object?>(SynthesizedStacks.MinimalContext) { ["bluegreen:chatPolicy"] = Policy, ["bluegreen:chatApprovalChannel"] = channel };
        if (withBotToken)
        {
            context["bluegreen:chatBotTokenSecret"] = BotTokenSecret;
        }

        var e = Assert.Throws<BlueGreen.Deployment.Configuration.InvalidDeploymentSettingsException>(() => BlueGreen.Deployment.Configuration.DeploymentSettings.FromContext(context));

        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BotTokenSetting_WithoutAChatPolicy_IsRefused()
    {
        var e = Assert.Throws<BlueGreen.Deployment.Configuration.InvalidDeploymentSettingsException>(() => BlueGreen.Deployment.Configuration.DeploymentSettings.FromContext(
            new Dictionary<string, object?>(SynthesizedStacks.MinimalContext) { ["bluegreen:chatBotTokenSecret"] = BotTokenSecret }));

        Assert.Contains("bluegreen:chatBotTokenSecret: only used with bluegreen:chatPolicy", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApprovalEmails_SubscribeToTheApprovalsTopic_WhichOnlyAskApprovalPublishesTo()
    {
        var json = chat.Stack.Json;
        var subscriptions = json.Resources("AWS::SNS::Subscription").ToList();
        Assert.Equal(["alice@example.com", "bob@example.com"], subscriptions.Select(s => json.Text(s.Properties["Endpoint"])).Order(StringComparer.Ordinal));
        Assert.All(subscriptions, s => Assert.Equal("email", json.Text(s.Properties["Protocol"])));
        chat.Stack.Template.HasResourceProperties("AWS::SNS::Topic", Match.ObjectLike(new Dictionary<string, object> { ["TopicName"] = "bluegreen-dev-approvals" }));
        Assert.Empty(stacks.Defaults.Json.Resources("AWS::SNS::Subscription"));

        var approvalTopic = json.Resources("AWS::SNS::Topic").Single(t => json.Text(t.Properties["TopicName"]) == "bluegreen-dev-approvals").Id;
        var publishers = json.AllStatements()
            .Where(s => s.Statement.ToJsonString().Contains(approvalTopic, StringComparison.Ordinal) && json.Texts(s.Statement["Action"]).Contains("sns:Publish") && (string?)s.Statement["Effect"] != "Deny")
            .Select(s => s.Where)
            .ToList();
        var publisher = Assert.Single(publishers);
        Assert.Contains("askapproval", publisher.Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ChatCommand_IsDeployedOnlyWithTheEndpoint_WithExactlyTheDerivedActions()
    {
        Assert.Contains(chat.Stack.Stack.Manifest.StateMachines, m => m.Name == "chat-command");
        Assert.DoesNotContain(stacks.Defaults.Stack.Manifest.StateMachines, m => m.Name == "chat-command");
        Permissions.StateMachineIamTests.AssertExactActions(chat.Stack, "chat-command");
    }

    [Fact]
    public void Pipe_ReadsNewAcceptedCommandsFromTheStream_AndStartsChatCommandFireAndForget_WithALeastPrivilegeRole()
    {
        var json = chat.Stack.Json;
        chat.Stack.Template.HasResourceProperties("AWS::DynamoDB::Table", Match.ObjectLike(new Dictionary<string, object>
        {
            ["StreamSpecification"] = new Dictionary<string, object> { ["StreamViewType"] = "NEW_IMAGE" },
            ["GlobalSecondaryIndexes"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object> { ["IndexName"] = "commandsByUser" })]),
        }));
        var (pipeId, pipe) = Assert.Single(json.Resources("AWS::Pipes::Pipe"));
        var source = pipe["SourceParameters"]!.AsObject();
        Assert.Equal(("LATEST", 1, 2), ((string?)source["DynamoDBStreamParameters"]!["StartingPosition"], (int)source["DynamoDBStreamParameters"]!["BatchSize"]!, (int)source["DynamoDBStreamParameters"]!["MaximumRetryAttempts"]!));
        var pattern = System.Text.Json.Nodes.JsonNode.Parse((string)source["FilterCriteria"]!["Filters"]![0]!["Pattern"]!)!;
        Assert.Equal("pending", (string?)pattern["dynamodb"]!["NewImage"]!["status"]!["S"]![0]);
        Assert.Equal("FIRE_AND_FORGET", (string?)pipe["TargetParameters"]!["StepFunctionStateMachineParameters"]!["InvocationType"]);
        Assert.Equal(json.Text(pipe["Target"]), $"${{{chat.Stack.Stack.GetLogicalId((Amazon.CDK.CfnElement)chat.Stack.Stack.StateMachines["chat-command"].Node.DefaultChild!)}}}");
        Assert.Empty(stacks.Defaults.Json.Resources("AWS::Pipes::Pipe"));

        var roleId = json.Text(pipe["RoleArn"]).Split('.')[0].TrimStart('$', '{');
        var statements = json.AllStatements().Where(s => s.Where.Contains("PipePolicy", StringComparison.Ordinal)).Select(s => s.Statement).ToList();
        Assert.Equal(["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams", "states:StartExecution"],
            statements.SelectMany(s => json.Texts(s["Action"])).Order(StringComparer.Ordinal));
        Assert.All(statements, s => Assert.DoesNotContain("*", json.Texts(s["Resource"])));
        var trust = json.Resource(roleId)["Properties"]!["AssumeRolePolicyDocument"]!.ToJsonString();
        Assert.Contains("pipes.amazonaws.com", trust, StringComparison.Ordinal);
        Assert.Contains("aws:SourceArn", trust, StringComparison.Ordinal);
        Assert.NotNull(pipeId);
    }

    [Fact]
    public void FunctionUrl_IsPublicOnTheLiveAlias_AndDirectInvokeIsOnlyThroughTheUrl()
    {
        var template = chat.Stack.Template;

        template.HasResourceProperties("AWS::Lambda::Url", Match.ObjectLike(new Dictionary<string, object> { ["AuthType"] = "NONE", ["Qualifier"] = "live" }));
        template.HasResourceProperties("AWS::Lambda::Permission", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Action"] = "lambda:InvokeFunctionUrl", ["Principal"] = "*", ["FunctionUrlAuthType"] = "NONE",
        }));
        template.HasResourceProperties("AWS::Lambda::Permission", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Action"] = "lambda:InvokeFunction", ["Principal"] = "*", ["InvokedViaFunctionUrl"] = true,
        }));
        template.HasOutput("ChatFunctionUrl", Match.AnyValue());
    }

    [Fact]
    public void ChatTable_KeepsTheAuditTrailWithTtlAndTheUserIndex()
    {
        chat.Stack.Template.HasResourceProperties("AWS::DynamoDB::Table", Match.ObjectLike(new Dictionary<string, object>
        {
            ["TimeToLiveSpecification"] = new Dictionary<string, object> { ["AttributeName"] = "expiresAt", ["Enabled"] = true },
            ["GlobalSecondaryIndexes"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object> { ["IndexName"] = "commandsByUser" })]),
            ["DeletionProtectionEnabled"] = true,
        }));
    }

    [Fact]
    public void Function_GetsItsConfigurationButNeverTheSecret_AndOnlyTheActionsItUses()
    {
        var json = chat.Stack.Json;
        var function = json.Resources("AWS::Lambda::Function").Single(f => json.Text(f.Properties["FunctionName"]).EndsWith("-dev-chat-command", StringComparison.Ordinal));
        var variables = function.Properties["Environment"]!["Variables"]!.AsObject();

        Assert.Equal("/bluegreen-dev/chat/slack-signing-secret", json.Text(variables["BLUEGREEN_CHAT_SIGNING_SECRET_PARAMETER"]));
        Assert.Equal(Policy, json.Text(variables["BLUEGREEN_CHAT_POLICY"]));
        Assert.DoesNotContain(variables, v => v.Key.Contains("SECRET", StringComparison.Ordinal) && !v.Key.EndsWith("_PARAMETER", StringComparison.Ordinal));
        var statements = json.Resources("AWS::IAM::Policy")
            .SelectMany(p => TemplateJson.Statements(p.Properties["PolicyDocument"]))
            .Where(s => s["Sid"] is { } sid && json.Text(sid) is "WriteChatCommands" or "ReadRunRecords" or "ReadSigningSecret")
            .ToDictionary(s => json.Text(s["Sid"]), s => string.Join(",", json.Texts(s["Action"])));
        Assert.Equal(new Dictionary<string, string>
        {
            ["WriteChatCommands"] = "dynamodb:PutItem",
            ["ReadRunRecords"] = "dynamodb:Query",
            ["ReadSigningSecret"] = "ssm:GetParameter",
        }, statements);
    }

    [Fact]
    public void WithoutAPolicy_NoUrlIsExposed()
    {
        var defaults = stacks.Defaults.Template;

        defaults.ResourceCountIs("AWS::Lambda::Url", 0);
    }

    [Theory]
    [InlineData("""{"teamIds":[],"channelIds":["C1"]}""", "teamIds")]
    [InlineData("not json", "one JSON object")]
    [InlineData("""{"teamIds":["T1"],"channelIds":["C1"],"grants":[{"principals":["U1"],"role":"admin","clusters":["*"]}]}""", "grants[0].role")]
    public void ChatPolicySetting_Invalid_IsRefusedBeforeSynthesis(string policy, string problem)
    {
        var e = Assert.Throws<BlueGreen.Deployment.Configuration.InvalidDeploymentSettingsException>(() => BlueGreen.Deployment.Configuration.DeploymentSettings.FromContext(
            new Dictionary<string, object?>(SynthesizedStacks.MinimalContext) { ["bluegreen:chatPolicy"] = policy }));

        Assert.Contains("bluegreen:chatPolicy", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StackWithTheChatEndpoint_RehearsedFromItsTemplate_StillCompletesTheDemo()
    {
        var directory = Path.Combine(Path.GetTempPath(), "bluegreen-chat-synth-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exitCode, stderr) = CdkApp.Run(directory, null, "-c", "bluegreen:chatPolicy=" + Policy, "-c", "bluegreen:chatBotTokenSecret=" + BotTokenSecret);
            Assert.True(exitCode == 0, stderr);

            using var rehearsal = BlueGreen.Simulator.Rehearsal.UpgradeRehearsal.Prepare(BlueGreen.Simulator.Scenarios.Scenario.Load("happy-alb"),
                deploy: a =>
                {
                    // The operator's secret, which CloudFormation reads through the template's dynamic reference.
                    a.Service<BlueGreen.Simulator.Aws.Services.SecretsManager.SecretsManagerService>().Seed(BlueGreen.Simulator.Json.JObject.Of(("secrets", BlueGreen.Simulator.Json.JArray.Of(
                        BlueGreen.Simulator.Json.JObject.Of(("name", BotTokenSecret), ("secretString", "Bearer xoxb-from-the-secret"))))), a);
                    return BlueGreen.Simulator.Rehearsal.Template.TemplateDeployment.Deploy(a, Path.Combine(directory, "EksBlueGreenUpgrade-dev.template.json"));
                });
            var summary = rehearsal.Run();

            Assert.True(summary.Outcome == "Completed", $"{summary.Error}: {summary.Cause}");
            Assert.Contains(rehearsal.Deployment.NotSimulated, r => r.Contains("AWS::Lambda::Url", StringComparison.Ordinal));
            var bot = Assert.Single(rehearsal.Deployment.Account.Http.Connections, c => c.Name == "bluegreen-dev-slack-bot");
            Assert.Equal(("Authorization", "Bearer xoxb-from-the-secret"), (bot.ApiKeyName, bot.ApiKeyValue));
            Assert.DoesNotContain("xoxb", File.ReadAllText(Path.Combine(directory, "EksBlueGreenUpgrade-dev.template.json")), StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
