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
/// on accepted commands is not deployed yet (docs/chat.md §2).
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

    public Table Table { get; }

    public FunctionUrl Url { get; }
}
