using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using BlueGreen.Deployment;
using BlueGreen.Functions.Chat.Aws;
using Constructs;

namespace BlueGreen.Infra.Cdk.Components;

/// <summary>
/// The Slack endpoint (issue 15; docs/chat.md), deployed when <c>bluegreen:chatPolicy</c> is set: the chat table, the
/// ChatCommand function's configuration and permissions, and its function URL. The function itself is one of the
/// <see cref="DecisionFunctions"/> (same asset, runtime, SnapStart and <c>live</c> alias). The command workflow that acts
/// on accepted commands is chat-command, started through <see cref="ConnectPipe"/>.
/// </summary>
public sealed class ChatEndpointResources : Construct
{
    public ChatEndpointResources(Construct scope, string id, DeploymentManifest manifest, string instanceSuffix, DeployedFunction function, ITable runRecords, string policyJson)
        : base(scope, id)
    {
        var spec = manifest.ChatTable(instanceSuffix);
        Table = new Table(this, "Commands", new TableProps
        {
            // Retained (it is the audit trail, 400 days), so named after the stack instance like the run-record table.
            TableName = spec.Name,
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = spec.PartitionKey, Type = AttributeType.STRING },
            SortKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = spec.SortKey, Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            TimeToLiveAttribute = spec.TtlAttribute,
            DeletionProtection = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
            // The command workflow's source: the pipe reads new command items from the stream (docs/chat.md §2).
            Stream = StreamViewType.NEW_IMAGE,
        });
        foreach (var index in spec.Indexes)
        {
            Table.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
            {
                IndexName = index.Name,
                PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = index.PartitionKey, Type = AttributeType.STRING },
                SortKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = index.SortKey, Type = AttributeType.STRING },
                ProjectionType = ProjectionType.INCLUDE,
                NonKeyAttributes = [.. index.Projected],
            });
        }

        SlackResponseConnection = new Amazon.CDK.AWS.Events.CfnConnection(this, "SlackResponseConnection", new Amazon.CDK.AWS.Events.CfnConnectionProps
        {
            Name = manifest.SlackResponseConnectionName,
            Description = "chat-command's follow-ups to Slack response URLs (the URL carries its own authority).",
            AuthorizationType = "API_KEY",
            AuthParameters = new Amazon.CDK.AWS.Events.CfnConnection.AuthParametersProperty
            {
                ApiKeyAuthParameters = new Amazon.CDK.AWS.Events.CfnConnection.ApiKeyAuthParametersProperty { ApiKeyName = "X-Bluegreen-Source", ApiKeyValue = manifest.NameBase },
            },
        });

        if (manifest.SlackBotTokenReference is { } token)
        {
            // API key auth: EventBridge sends the header Authorization: <the secret's value, "Bearer xoxb-..."> on every HTTP
            // Task call through this connection and keeps the value in a secret of its own
            // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-target-connection-auth.html). The template holds
            // only the dynamic reference to the operator's secret, resolved by CloudFormation at deploy time.
            SlackBotConnection = new Amazon.CDK.AWS.Events.CfnConnection(this, "SlackBotConnection", new Amazon.CDK.AWS.Events.CfnConnectionProps
            {
                Name = manifest.SlackBotConnectionName,
                Description = "ask-approval's approval messages to Slack's chat.postMessage, with the bot token.",
                AuthorizationType = "API_KEY",
                AuthParameters = new Amazon.CDK.AWS.Events.CfnConnection.AuthParametersProperty
                {
                    ApiKeyAuthParameters = new Amazon.CDK.AWS.Events.CfnConnection.ApiKeyAuthParametersProperty { ApiKeyName = DeploymentManifest.SlackBotTokenHeader, ApiKeyValue = token },
                },
            });
        }

        var parameter = manifest.ChatSigningSecretParameterName;
        function.Function.AddEnvironment(ChatEndpointHost.ChatTableVariable, Table.TableName);
        function.Function.AddEnvironment(ChatEndpointHost.RunsTableVariable, runRecords.TableName);
        function.Function.AddEnvironment(ChatEndpointHost.SigningSecretParameterVariable, parameter);
        function.Function.AddEnvironment(ChatEndpointHost.PolicyVariable, policyJson);

        // Least privilege: the replay guard and command items (PutItem only: no update, no delete of the audit trail),
        // reading runs (Query on the run table and its runsByTime index), and the one secret.
        var role = function.Function.Role!;
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "WriteChatCommands",
            Actions = ["dynamodb:PutItem"],
            Resources = [Table.TableArn],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadRunRecords",
            Actions = ["dynamodb:Query"],
            Resources = [runRecords.TableArn, $"{runRecords.TableArn}/index/{DynamoDbChatStore.RunsByTimeIndex}"],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadSigningSecret",
            // GetParameter with WithDecryption; the AWS managed key aws/ssm allows decryption through SSM by the account's
            // principals, so no KMS statement is needed unless the parameter uses a customer managed key.
            Actions = ["ssm:GetParameter"],
            Resources = [Stack.Of(this).FormatArn(new ArnComponents { Service = "ssm", Resource = "parameter", ResourceName = parameter.TrimStart('/') })],
        }));

        // Auth type NONE: Slack cannot sign with SigV4; the function verifies Slack's own signature before anything else.
        // Since October 2025 a new function URL needs lambda:InvokeFunctionUrl and lambda:InvokeFunction in the resource
        // policy (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html); the second is limited to invocations
        // through the URL (InvokedViaFunctionUrl, the AddPermission member of that name), so it opens no direct Invoke.
        Url = function.Alias.AddFunctionUrl(new FunctionUrlOptions { AuthType = FunctionUrlAuthType.NONE });
        var invoke = new CfnPermission(this, "InvokeThroughUrl", new CfnPermissionProps
        {
            Action = "lambda:InvokeFunction",
            FunctionName = function.Alias.FunctionArn,
            Principal = "*",
        });
        invoke.AddPropertyOverride("InvokedViaFunctionUrl", true);
        _ = new CfnOutput(Stack.Of(this), "ChatFunctionUrl", new CfnOutputProps
        {
            Value = Url.Url,
            Description = "The Slack app's slash command and interactivity URL (README: Run upgrades from Slack).",
        });
        _ = new CfnOutput(Stack.Of(this), "ChatTableName", new CfnOutputProps { Value = Table.TableName, Description = "Chat commands and their audit trail." });
    }

    /// <summary>
    /// The EventBridge Pipe from the chat table's stream to chat-command (<see cref="DeploymentManifest.ChatPipeFilter"/>:
    /// new accepted command items), with a role that reads that stream and starts chat-command, nothing else; Pipes may
    /// assume it for this pipe only (aws:SourceArn).
    /// </summary>
    public void ConnectPipe(DeploymentManifest manifest, DeploymentReferences references, Amazon.CDK.AWS.StepFunctions.IStateMachine chatCommand)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var stack = Stack.Of(this);
        var pipeArn = stack.FormatArn(new ArnComponents { Service = "pipes", Resource = "pipe", ResourceName = manifest.ChatCommandPipeName });
        var role = new Role(this, "PipeRole", new RoleProps
        {
            RoleName = manifest.ChatCommandPipeRoleName(stack.Region),
            AssumedBy = new ServicePrincipal("pipes.amazonaws.com", new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account, ["aws:SourceArn"] = pipeArn },
                },
            }),
            Description = "EventBridge Pipes reads new chat commands from the chat table's stream and starts chat-command with this role.",
        });
        var policy = new Policy(this, "PipePolicy", new PolicyProps
        {
            Statements = [.. manifest.ChatCommandPipeRolePolicy(references, Table.TableStreamArn!).Select(g => new PolicyStatement(new PolicyStatementProps
            {
                Sid = g.Sid,
                Actions = [.. g.Actions],
                Resources = [.. g.Resources],
            }))],
            Roles = [role],
        });
        var (startingPosition, batchSize, retries) = DeploymentManifest.ChatPipeSource;
        Pipe = new Amazon.CDK.AWS.Pipes.CfnPipe(this, "Pipe", new Amazon.CDK.AWS.Pipes.CfnPipeProps
        {
            Name = manifest.ChatCommandPipeName,
            Description = "New accepted chat commands -> the chat-command state machine.",
            RoleArn = role.RoleArn,
            Source = Table.TableStreamArn!,
            SourceParameters = new Amazon.CDK.AWS.Pipes.CfnPipe.PipeSourceParametersProperty
            {
                DynamoDbStreamParameters = new Amazon.CDK.AWS.Pipes.CfnPipe.PipeSourceDynamoDBStreamParametersProperty
                {
                    StartingPosition = startingPosition,
                    BatchSize = batchSize,
                    MaximumRetryAttempts = retries,
                },
                FilterCriteria = new Amazon.CDK.AWS.Pipes.CfnPipe.FilterCriteriaProperty
                {
                    Filters = new object[] { new Amazon.CDK.AWS.Pipes.CfnPipe.FilterProperty { Pattern = DeploymentManifest.ChatPipeFilter().ToJsonString() } },
                },
            },
            Target = chatCommand.StateMachineArn,
            TargetParameters = new Amazon.CDK.AWS.Pipes.CfnPipe.PipeTargetParametersProperty
            {
                StepFunctionStateMachineParameters = new Amazon.CDK.AWS.Pipes.CfnPipe.PipeTargetStateMachineParametersProperty { InvocationType = DeploymentManifest.ChatPipeInvocationType },
            },
        });
        // Pipes checks the role when the pipe is created: the policy must exist first.
        Pipe.Node.AddDependency(policy);
    }

    public Amazon.CDK.AWS.Pipes.CfnPipe? Pipe { get; private set; }

    /// <summary>
    /// The EventBridge connection chat-command's HTTP Task posts follow-ups to Slack's response URLs with. The HTTP Task
    /// requires one; a response URL needs no credentials, so its API key is a fixed header that is no secret.
    /// </summary>
    public Amazon.CDK.AWS.Events.CfnConnection SlackResponseConnection { get; }

    /// <summary>The bot-token connection ask-approval posts approval messages with (only with <c>bluegreen:chatBotTokenSecret</c>).</summary>
    public Amazon.CDK.AWS.Events.CfnConnection? SlackBotConnection { get; }

    public Table Table { get; }

    public FunctionUrl Url { get; }
}
