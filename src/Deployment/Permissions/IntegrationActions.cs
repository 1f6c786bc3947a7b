using BlueGreen.Deployment.Definitions;

namespace BlueGreen.Deployment.Permissions;

/// <summary>
/// The IAM actions a Task needs, derived from its <c>Resource</c> (and, for the few calls that pass a role or
/// tags, from its parameters). AWS SDK integrations map mechanically; optimized integrations follow the sets
/// the Step Functions developer guide documents for them ("IAM policies for integrated services").
/// An integration this class does not know is an error, so a new kind of Task can never deploy without IAM.
/// </summary>
public static class IntegrationActions
{
    public const string ResourcePrefix = "arn:aws:states:::";

    /// <summary>SDK service names whose IAM prefix differs from the name in the integration ARN.</summary>
    public static IReadOnlyDictionary<string, string> SdkServicePrefixes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["elasticloadbalancingv2"] = "elasticloadbalancing",
        ["sfn"] = "states",
        ["eventbridge"] = "events",
        ["cloudwatchlogs"] = "logs",
        ["cloudwatchevents"] = "events",
        ["acmpca"] = "acm-pca",
        ["apigatewayv2"] = "apigateway",
        ["sesv2"] = "ses",
    };

    /// <summary>
    /// Optimized integrations (<c>service:action</c>, any suffix) and what their documented IAM templates grant.
    /// <c>sns:publish</c> adds the KMS actions an encrypted topic needs (the stack's topic always is).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Optimized { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["lambda:invoke"] = ["lambda:InvokeFunction"],
        ["sns:publish"] = ["sns:Publish", "kms:GenerateDataKey", "kms:Decrypt"],
        ["dynamodb:getItem"] = ["dynamodb:GetItem"],
        ["dynamodb:putItem"] = ["dynamodb:PutItem"],
        ["dynamodb:updateItem"] = ["dynamodb:UpdateItem"],
        ["dynamodb:deleteItem"] = ["dynamodb:DeleteItem"],
        ["eks:createCluster"] = ["eks:CreateCluster", "eks:DescribeCluster", "eks:DeleteCluster", "iam:PassRole"],
        ["eks:createNodegroup"] = ["ec2:DescribeSubnets", "eks:CreateNodegroup", "eks:DescribeNodegroup", "eks:DeleteNodegroup", "iam:GetRole", "iam:ListAttachedRolePolicies", "iam:PassRole"],
        ["eks:deleteCluster"] = ["eks:DeleteCluster", "eks:DescribeCluster"],
        ["eks:deleteNodegroup"] = ["eks:DeleteNodegroup", "eks:DescribeNodegroup"],
        ["eks:call"] = ["eks:DescribeCluster"],
        ["states:startExecution"] = ["states:StartExecution"],
        // The HTTP Task: invoke the endpoint, read the EventBridge connection's credentials and its secret
        // (https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html, "IAM permissions to run an HTTP Task").
        ["http:invoke"] = ["states:InvokeHTTPEndpoint", "events:RetrieveConnectionCredentials", "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
    };

    /// <summary>
    /// EKS creates that the workflow always sends with <c>Tags</c> (Green's spec tags everything it creates, see
    /// GreenTags in src/Functions): tags given on create are also authorized as <c>eks:TagResource</c> (the Service
    /// Authorization Reference lists <c>aws:RequestTag</c> and <c>aws:TagKeys</c> on each of these actions and on
    /// TagResource). The tasks take their requests from the state input, so the tags cannot be seen in the file.
    /// </summary>
    public static IReadOnlySet<string> EksTagOnCreate { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "eks:createCluster", "eks:createNodegroup", "eks:createAccessEntry", "eks:createAddon", "eks:createPodIdentityAssociation",
    };

    /// <summary>What the run-a-job pattern (<c>.sync</c>, <c>.sync:2</c>) of <c>states:startExecution</c> adds.</summary>
    public static IReadOnlyList<string> StartExecutionSync { get; } =
        ["states:DescribeExecution", "states:StopExecution", "events:PutTargets", "events:PutRule", "events:DescribeRule"];

    public static IReadOnlyList<string> For(TaskCall task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var integration = Integration.Parse(task.Resource);
        var actions = new List<string>();
        if (integration.IsSdk)
        {
            var prefix = SdkServicePrefixes.GetValueOrDefault(integration.Service, integration.Service);
            actions.Add($"{prefix}:{char.ToUpperInvariant(integration.Action[0])}{integration.Action[1..]}");
            actions.AddRange(ImpliedBySdkCall(integration, task));
        }
        else
        {
            if (!Optimized.TryGetValue($"{integration.Service}:{integration.Action}", out var documented))
            {
                throw new NotSupportedException($"Task \"{task.StateName}\" uses {task.Resource}, an integration with no IAM rule in {nameof(IntegrationActions)}; add its documented permissions.");
            }

            actions.AddRange(documented);
            if (integration.Service == "states" && integration.Pattern.StartsWith("sync", StringComparison.Ordinal))
            {
                actions.AddRange(StartExecutionSync);
            }

            if (integration is { Service: "eks", Action: "createCluster" })
            {
                // Green reuses Blue's secrets-encryption key; the caller needs access to it (granted only for configured keys).
                actions.AddRange(["kms:CreateGrant", "kms:DescribeKey"]);
            }
        }

        // Optimized or SDK integration alike, tags given on an EKS create are authorized as TagResource.
        if (EksTagOnCreate.Contains($"{integration.Service}:{integration.Action}"))
        {
            actions.Add("eks:TagResource");
        }

        return actions;
    }

    /// <summary>Actions an SDK call needs besides its own: passing a role, or tagging a secret on create.</summary>
    private static IEnumerable<string> ImpliedBySdkCall(Integration integration, TaskCall task)
    {
        switch ($"{integration.Service}:{integration.Action}")
        {
            case "eks:createAccessEntry":
                // EC2_LINUX / EC2_WINDOWS entries (Karpenter, self-managed nodes) pass the node role to EC2 (fidelity audit A1).
                yield return "iam:PassRole";
                break;
            case "eks:createPodIdentityAssociation":
                // "The IAM principal that is creating the association must have iam:PassRole" (EKS User Guide).
                yield return "iam:PassRole";
                break;
            case "eks:createAddon":
                // Green's add-ons recreate the Pod Identity associations Blue's add-ons own (podIdentityAssociations):
                // each carries a role that EKS takes on the caller's behalf.
                yield return "iam:PassRole";
                break;
            case "scheduler:createSchedule" or "scheduler:updateSchedule":
                // The schedule's target role is passed to EventBridge Scheduler.
                yield return "iam:PassRole";
                break;
            case "secretsmanager:createSecret" when task.Parameters?.ContainsKey("Tags") == true || task.Parameters?.ContainsKey("Tags.$") == true:
                // Tags given on create are authorized as secretsmanager:TagResource.
                yield return "secretsmanager:TagResource";
                break;
        }
    }

    public sealed record Integration(bool IsSdk, string Service, string Action, string Pattern)
    {
        public static Integration Parse(string resource)
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                throw new NotSupportedException($"{resource} is not a Step Functions service integration (activities and direct Lambda ARNs are not used by this product).");
            }

            var parts = resource[ResourcePrefix.Length..].Split(':');
            if (parts[0] == "aws-sdk" && parts.Length == 3)
            {
                var (action, pattern) = SplitPattern(parts[2]);
                return new Integration(true, parts[1], action, pattern);
            }

            var (name, suffix) = SplitPattern(string.Join(':', parts[1..]));
            return new Integration(false, parts[0], name, suffix);
        }

        private static (string Action, string Pattern) SplitPattern(string text)
        {
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            return dot < 0 ? (text, "") : (text[..dot], text[(dot + 1)..]);
        }
    }
}
