using Amazon.CDK;
using Amazon.CDK.AWS.Chatbot;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using BlueGreen.Deployment;
using Constructs;

namespace BlueGreen.Infra.Cdk.Components;

/// <summary>
/// The notification topic (run notifications, approval requests, and the orchestrator's own alarms), encrypted
/// with a customer-managed KMS key, and, when a Slack workspace and channel are configured, the AWS Chatbot
/// channel that shows them (one thread per run: the messages carry <c>metadata.threadId</c>).
/// </summary>
public sealed class Notifications : Construct
{
    /// <summary>
    /// The key policy's administrator statement, spelled out: CDK's default grants the account <c>kms:*</c>, and this
    /// stack grants no wildcard action anywhere. IAM policies in the account can still grant these (and only these).
    /// </summary>
    public static IReadOnlyList<string> KeyAccountActions { get; } =
    [
        "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:Decrypt", "kms:DeleteAlias", "kms:DescribeKey",
        "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:Encrypt", "kms:GenerateDataKey",
        "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListGrants", "kms:ListKeyPolicies",
        "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:RetireGrant", "kms:RevokeGrant",
        "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription",
    ];

    public Notifications(Construct scope, string id, TopicSpec spec, string? slackWorkspaceId, string? slackChannelId, string prefix, TopicSpec? approvalSpec = null, IReadOnlyList<string>? approvalEmails = null)
        : base(scope, id)
    {
        var stack = Stack.Of(this);
        var keyPolicy = new PolicyDocument();
        keyPolicy.AddStatements(
            new PolicyStatement(new PolicyStatementProps
            {
                Sid = "AccountAdministersAndDelegatesThroughIam",
                Principals = [new AccountRootPrincipal()],
                Actions = [.. KeyAccountActions],
                Resources = ["*"],
            }),
            // CloudWatch alarm actions publish to this topic; an encrypted topic needs the service to use the key
            // ("Enable compatibility between event sources from AWS services and encrypted topics", SNS guide).
            new PolicyStatement(new PolicyStatementProps
            {
                Sid = "CloudWatchAlarmsPublishToTheTopic",
                Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
                Actions = ["kms:Decrypt", "kms:GenerateDataKey"],
                Resources = ["*"],
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account },
                },
            }));

        Key = new Key(this, "Key", new KeyProps
        {
            Alias = spec.KeyAlias,
            Description = "Encrypts the Blue/Green upgrade notification topic.",
            EnableKeyRotation = true,
            Policy = keyPolicy,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        Topic = new Topic(this, "Topic", new TopicProps
        {
            TopicName = spec.Name,
            DisplayName = "EKS Blue/Green upgrades",
            MasterKey = Key,
        });

        // A topic policy replaces SNS's default one, so it says everything: TLS only, and CloudWatch alarm
        // actions of this account may publish. The state machines publish through their IAM roles.
        PublishOverTlsOnly(Topic);
        Topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "CloudWatchAlarmsPublish",
            Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["sns:Publish"],
            Resources = [Topic.TopicArn],
            Conditions = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account } },
        }));

        ApprovalTopic = new Topic(this, "ApprovalTopic", new TopicProps
        {
            TopicName = approvalSpec?.Name ?? spec.Name.Replace("-notifications", "-approvals", StringComparison.Ordinal),
            DisplayName = "EKS Blue/Green approvals",
            MasterKey = Key,
        });
        PublishOverTlsOnly(ApprovalTopic);

        // bluegreen:approvalEmails: one e-mail subscription per address (SNS asks each address to confirm first:
        // https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html).
        foreach (var (email, index) in (approvalEmails ?? []).Select((e, i) => (e, i)))
        {
            _ = new Subscription(this, $"ApprovalEmail{index}", new SubscriptionProps
            {
                Topic = ApprovalTopic,
                Protocol = SubscriptionProtocol.EMAIL,
                Endpoint = email,
            });
        }

        if (slackWorkspaceId is not null && slackChannelId is not null)
        {
            // Notifications only: the channel role has no permissions, and the guardrail caps what channel members
            // could ever do through it to reading executions of this product's state machines.
            var channelRole = new Role(this, "ChatbotChannelRole", new RoleProps
            {
                AssumedBy = new ServicePrincipal("chatbot.amazonaws.com"),
                Description = "AWS Chatbot channel role for Blue/Green upgrade notifications (no permissions).",
            });
            var guardrail = new ManagedPolicy(this, "ChatbotGuardrail", new ManagedPolicyProps
            {
                Description = "Upper bound for the Blue/Green notification channel: read executions of this product only.",
                Statements =
                [
                    new PolicyStatement(new PolicyStatementProps
                    {
                        Sid = "ReadUpgradeExecutions",
                        Actions = ["states:DescribeExecution", "states:ListExecutions", "states:DescribeStateMachine"],
                        Resources =
                        [
                            $"arn:{stack.Partition}:states:{stack.Region}:{stack.Account}:stateMachine:{prefix}-*",
                            $"arn:{stack.Partition}:states:{stack.Region}:{stack.Account}:execution:{prefix}-*:*",
                        ],
                    }),
                ],
            });

            // AWS Chatbot's CloudFormation resource; GuardrailPolicies defaults to AdministratorAccess when unset.
            SlackChannel = new CfnSlackChannelConfiguration(this, "SlackChannel", new CfnSlackChannelConfigurationProps
            {
                ConfigurationName = prefix + "-upgrades",
                SlackWorkspaceId = slackWorkspaceId,
                SlackChannelId = slackChannelId,
                IamRoleArn = channelRole.RoleArn,
                SnsTopicArns = [Topic.TopicArn],
                GuardrailPolicies = [guardrail.ManagedPolicyArn],
                LoggingLevel = "ERROR",
                UserRoleRequired = false,
            });
        }
    }

    public Key Key { get; }

    private static void PublishOverTlsOnly(Topic topic) => topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
    {
        Sid = "PublishOverTlsOnly",
        Effect = Effect.DENY,
        Principals = [new AnyPrincipal()],
        Actions = ["sns:Publish"],
        Resources = [topic.TopicArn],
        Conditions = new Dictionary<string, object> { ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" } },
    }));

    public Topic Topic { get; }

    /// <summary>Approval questions in plain text, for the e-mail subscriptions of <c>bluegreen:approvalEmails</c>.</summary>
    public Topic ApprovalTopic { get; }

    public CfnSlackChannelConfiguration? SlackChannel { get; }
}
