using BlueGreen.Simulator.Aws.Services.Eks;
using BlueGreen.Simulator.Aws.Services.SecretsManager;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Iam;

/// <summary>
/// Which IAM actions one API call is authorized as, on which resources, with which request context: the call's own
/// action plus the dependent ones (passing a role, tagging on create, using a KMS key). Checked against the Service
/// Authorization Reference (the programmatic reference's Operations table for dependent actions and
/// <c>iam:PassedToService</c> values), the Step Functions guide's IAM templates and the services' user guides; the rows
/// and their sources are in docs/aws-api-models.md, "IAM in the simulated account". A call this table does not know
/// is refused, so a new call can never pass unchecked.
/// </summary>
public static class RequiredPermissions
{
    /// <summary>The authorizations <paramref name="action"/> of <paramref name="service"/> needs, each to be allowed.</summary>
    /// <exception cref="NotSupportedException">The call is not in the table.</exception>
    public static IReadOnlyList<AuthorizationRequest> For(IAwsService service, string action, JObject parameters, SimulatedAccount account)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(account);
        var call = new Call(service, action, parameters, account);
        var requests = service.IamPrefix switch
        {
            "eks" => Eks(call),
            "elasticloadbalancing" => Elb(call),
            "route53" => Route53(call),
            "cloudwatch" => CloudWatch(call),
            "secretsmanager" => SecretsManager(call),
            "scheduler" => Scheduler(call),
            "states" => States(call),
            "lambda" => Lambda(call),
            "dynamodb" => [call.On($"dynamodb:{action}", account.Arn("dynamodb", $"table/{call.Required("TableName")}"))],
            "sns" => Sns(call),
            "sqs" => [call.On($"sqs:{action}", SqsQueueArn(call.Required("QueueUrl")))],
            "events" => Events(call),
            "iam" => [call.On($"iam:{action}", "*")],
            _ => null,
        };
        return requests ?? throw new NotSupportedException($"The simulated IAM has no rule for {service.IamPrefix}:{action}; add it to {nameof(RequiredPermissions)} with its source.");
    }

    private static List<AuthorizationRequest>? Eks(Call c)
    {
        var cluster = c.Parameters.GetString("ClusterName") ?? c.Parameters.GetString("Name") ?? string.Empty;
        var clusterArn = c.Account.Arn("eks", $"cluster/{cluster}");
        var eks = (EksService)c.Service;
        string ChildArn(string? known, string kind, string rest) => known ?? c.Account.Arn("eks", $"{kind}/{cluster}/{rest}/*");
        var own = "eks:" + c.Action;
        switch (c.Action)
        {
            case "CreateCluster":
                // No resource type in the reference; AWS reports (and EKS's guide scopes) it on the new cluster's ARN.
                var create = new List<AuthorizationRequest> { c.On(own, clusterArn, c.RequestTags("Tags")) };
                create.Add(Call.PassRole(c.Parameters.GetString("RoleArn"), "eks.amazonaws.com"));
                create.AddRange(c.TagOnCreate("Tags", clusterArn));
                foreach (var key in (c.Parameters.GetArray("EncryptionConfig") ?? JArray.Empty).OfType<JObject>().Select(e => e.GetObject("Provider")?.GetString("KeyArn")).OfType<string>())
                {
                    // EKS user guide (security-k8s): the caller needs kms:DescribeKey and kms:CreateGrant on the key.
                    create.Add(c.On("kms:DescribeKey", key));
                    create.Add(c.On("kms:CreateGrant", key));
                }

                return create;
            case "CreateNodegroup":
                var nodegroupArn = ChildArn(null, "nodegroup", c.Parameters.GetString("NodegroupName") ?? string.Empty);
                return
                [
                    c.On(own, clusterArn, c.RequestTags("Tags")),
                    Call.PassRole(c.Parameters.GetString("NodeRole"), "eks.amazonaws.com"),
                    .. c.TagOnCreate("Tags", nodegroupArn),
                ];
            case "CreateAccessEntry":
                var entry = new List<AuthorizationRequest> { c.On(own, clusterArn, c.RequestTags("Tags")) };
                if (c.Parameters.GetString("Type") is "EC2_LINUX" or "EC2_WINDOWS")
                {
                    // EKS user guide (grant-k8s-access): EC2_LINUX and EC2_WINDOWS entries need iam:PassRole on the node role.
                    entry.Add(Call.PassRole(c.Parameters.GetString("PrincipalArn"), "ec2.amazonaws.com"));
                }

                entry.AddRange(c.TagOnCreate("Tags", ChildArn(null, "access-entry", "*")));
                return entry;
            case "CreateAddon":
                var addon = new List<AuthorizationRequest> { c.On(own, clusterArn, c.RequestTags("Tags")) };
                // The reference's operations table lists iam:PassRole (to eks.amazonaws.com) for CreateAddon without naming the
                // member; the Pod Identity roles are the ones EKS takes on the caller's behalf. An IRSA role
                // (ServiceAccountRoleArn) is assumed by pods through the cluster's OIDC provider, not passed: not checked.
                var roles = (c.Parameters.GetArray("PodIdentityAssociations") ?? JArray.Empty).OfType<JObject>().Select(a => a.GetString("RoleArn"))
                    .OfType<string>().Distinct(StringComparer.Ordinal);
                addon.AddRange(roles.Select(r => Call.PassRole(r, "eks.amazonaws.com")));
                addon.AddRange(c.TagOnCreate("Tags", ChildArn(null, "addon", c.Parameters.GetString("AddonName") ?? string.Empty)));
                return addon;
            case "CreatePodIdentityAssociation":
                return
                [
                    c.On(own, clusterArn, c.RequestTags("Tags")),
                    Call.PassRole(c.Parameters.GetString("RoleArn"), "pods.eks.amazonaws.com"),
                    .. c.TagOnCreate("Tags", ChildArn(null, "podidentityassociation", "*")),
                ];
            case "DescribeNodegroup" or "DeleteNodegroup" or "UpdateNodegroupConfig" or "UpdateNodegroupVersion":
                var ng = c.Parameters.GetString("NodegroupName") ?? string.Empty;
                return [c.On(own, ChildArn(eks.NodegroupArn(cluster, ng), "nodegroup", ng))];
            case "DescribeAddon" or "DeleteAddon" or "UpdateAddon":
                var name = c.Parameters.GetString("AddonName") ?? string.Empty;
                return [c.On(own, ChildArn(eks.AddonArn(cluster, name), "addon", name))];
            case "DescribeAccessEntry" or "DeleteAccessEntry" or "AssociateAccessPolicy" or "DisassociateAccessPolicy" or "ListAssociatedAccessPolicies":
                var principal = c.Parameters.GetString("PrincipalArn") ?? string.Empty;
                return [c.On(own, ChildArn(eks.AccessEntryArn(cluster, principal), "access-entry", "*"))];
            case "DescribePodIdentityAssociation" or "DeletePodIdentityAssociation":
                var id = c.Parameters.GetString("AssociationId") ?? string.Empty;
                return [c.On(own, ChildArn(eks.PodIdentityAssociationArn(cluster, id), "podidentityassociation", id))];
            case "DescribeAddonVersions" or "DescribeClusterVersions" or "ListClusters":
                return [c.On(own, "*")];
            case "TagResource" or "UntagResource" or "ListTagsForResource":
                return [c.On(own, c.Required("ResourceArn"), c.RequestTags("Tags"))];
            default:
                // Every other EKS call names a cluster (Describe/Delete/List*/Update*); without one it fails validation after.
                return [c.On(own, clusterArn)];
        }
    }

    private static List<AuthorizationRequest>? Elb(Call c) => c.Action switch
    {
        "ModifyListener" => [c.On("elasticloadbalancing:ModifyListener", c.Required("ListenerArn"))],
        "ModifyRule" => [c.On("elasticloadbalancing:ModifyRule", c.Required("RuleArn"))],
        // The Describe calls have no resource type: only "*" grants them.
        _ when c.Action.StartsWith("Describe", StringComparison.Ordinal) => [c.On("elasticloadbalancing:" + c.Action, "*")],
        _ => null,
    };

    private static List<AuthorizationRequest>? Route53(Call c)
    {
        static string Id(string raw, string kind) => raw.StartsWith($"/{kind}/", StringComparison.Ordinal) ? raw[(kind.Length + 2)..] : raw;
        return c.Action switch
        {
            "ChangeResourceRecordSets" or "ListResourceRecordSets" or "GetHostedZone" => [c.On("route53:" + c.Action, $"arn:aws:route53:::hostedzone/{Id(c.Required("HostedZoneId"), "hostedzone")}")],
            "GetChange" => [c.On("route53:GetChange", $"arn:aws:route53:::change/{Id(c.Required("Id"), "change")}")],
            "ListTagsForResource" => [c.On("route53:ListTagsForResource", $"arn:aws:route53:::{c.Required("ResourceType")}/{c.Required("ResourceId")}")],
            "ListHostedZones" or "ListHostedZonesByName" => [c.On("route53:" + c.Action, "*")],
            _ => null,
        };
    }

    private static List<AuthorizationRequest>? CloudWatch(Call c)
    {
        var names = c.Action switch
        {
            "DescribeAlarms" => (c.Parameters.GetArray("AlarmNames") ?? JArray.Empty).OfType<JString>().Select(n => n.Value).ToList(),
            "DescribeAlarmHistory" => c.Parameters.GetString("AlarmName") is { } one ? [one] : [],
            _ => null,
        };
        // Without names the request is for every alarm: the resource is literally alarm:*.
        return names is null ? null : (names.Count == 0 ? ["*"] : names).Select(n => c.On("cloudwatch:" + c.Action, c.Account.Arn("cloudwatch", "alarm:" + n))).ToList();
    }

    private static List<AuthorizationRequest>? SecretsManager(Call c)
    {
        var secrets = (SecretsManagerService)c.Service;
        switch (c.Action)
        {
            case "CreateSecret":
                // Authorized on the new secret's ARN, whose 6 characters of suffix are random: grants end with * or ??????.
                var arn = c.Account.Arn("secretsmanager", $"secret:{c.Required("Name")}-??????");
                return [c.On("secretsmanager:CreateSecret", arn, c.RequestTags("Tags")), .. c.TagOnCreate("Tags", arn, "secretsmanager:TagResource")];
            case "TagResource" or "UntagResource":
                return [c.On("secretsmanager:" + c.Action, secrets.SecretArn(c.Required("SecretId")) ?? c.Account.Arn("secretsmanager", $"secret:{c.Required("SecretId")}-??????"), c.RequestTags("Tags"))];
            case "ListSecrets":
                return [c.On("secretsmanager:ListSecrets", "*")];
            default:
                var id = c.Parameters.GetString("SecretId") ?? string.Empty;
                return [c.On("secretsmanager:" + c.Action, secrets.SecretArn(id) ?? c.Account.Arn("secretsmanager", $"secret:{id}-??????"))];
        }
    }

    private static List<AuthorizationRequest>? Scheduler(Call c)
    {
        var schedule = c.Account.Arn("scheduler", $"schedule/{c.Parameters.GetString("GroupName") ?? "default"}/{c.Parameters.GetString("Name")}");
        return c.Action switch
        {
            // The Service Authorization Reference's dependent action: the target's role, passed to scheduler.amazonaws.com.
            "CreateSchedule" or "UpdateSchedule" => [c.On("scheduler:" + c.Action, schedule), Call.PassRole(c.Parameters.GetObject("Target")?.GetString("RoleArn"), "scheduler.amazonaws.com")],
            "GetSchedule" or "DeleteSchedule" => [c.On("scheduler:" + c.Action, schedule)],
            "ListSchedules" => [c.On("scheduler:ListSchedules", "*")],
            _ => null,
        };
    }

    /// <summary>
    /// PutEvents on each event bus its entries name (the default bus when an entry names none): the Service Authorization
    /// Reference gives it the resource type event-bus, and EventBridge rules and schedules that target a bus are allowed
    /// on its ARN. Other EventBridge calls on <c>*</c>.
    /// </summary>
    private static List<AuthorizationRequest> Events(Call c)
    {
        if (c.Action != "PutEvents")
        {
            return [c.On("events:" + c.Action, "*")];
        }

        var buses = (c.Parameters.GetArray("Entries") ?? JArray.Empty).OfType<JObject>()
            .Select(e => e.GetString("EventBusName") is { Length: > 0 } bus ? bus : "default")
            .Select(bus => bus.StartsWith("arn:", StringComparison.Ordinal) ? bus : c.Account.Arn("events", "event-bus/" + bus))
            .Distinct(StringComparer.Ordinal)
            .DefaultIfEmpty(c.Account.Arn("events", "event-bus/default"));
        return [.. buses.Select(bus => c.On("events:PutEvents", bus))];
    }

    private static List<AuthorizationRequest>? States(Call c) => c.Action switch
    {
        "StartExecution" or "StartSyncExecution" or "DescribeStateMachine" or "ListExecutions" => [c.On("states:" + c.Action, c.Required("StateMachineArn"))],
        "DescribeExecution" or "StopExecution" or "GetExecutionHistory" or "RedriveExecution" => [c.On("states:" + c.Action, c.Required("ExecutionArn"))],
        "SendTaskSuccess" or "SendTaskFailure" or "SendTaskHeartbeat" or "ListStateMachines" => [c.On("states:" + c.Action, "*")],
        _ => null,
    };

    /// <summary>
    /// Lambda authorizes the ARN as called: <c>function:NAME</c> for an unqualified call, <c>function:NAME:QUALIFIER</c>
    /// for a version or alias (so a grant on <c>function:NAME</c> does not cover <c>function:NAME:live</c>; Lambda
    /// developer guide, "Lambda function resources"). Tags are the function's.
    /// </summary>
    private static List<AuthorizationRequest>? Lambda(Call c)
    {
        if (c.Action == "ListFunctions")
        {
            return [c.On("lambda:ListFunctions", "*")];
        }

        var name = c.Parameters.GetString("FunctionName") ?? string.Empty;
        var arn = name.StartsWith("arn:", StringComparison.Ordinal) ? name : c.Account.Arn("lambda", "function:" + name);
        if (c.Parameters.GetString("Qualifier") is { Length: > 0 } qualifier && arn.Count(ch => ch == ':') == 6)
        {
            arn += ":" + qualifier;
        }

        var iamAction = c.Action switch
        {
            "Invoke" => "lambda:InvokeFunction",
            "GetFunctionConfiguration" => "lambda:GetFunctionConfiguration",
            _ => "lambda:" + c.Action,
        };
        return [c.On(iamAction, arn)];
    }

    private static List<AuthorizationRequest>? Sns(Call c)
    {
        if (c.Action != "Publish")
        {
            return null;
        }

        var topic = c.Parameters.GetString("TopicArn") ?? c.Parameters.GetString("TargetArn") ?? string.Empty;
        var publish = new List<AuthorizationRequest> { c.On("sns:Publish", topic) };
        if (((SnsService)c.Service).KmsMasterKeyOf(topic) is { } key)
        {
            // SNS developer guide (sns-key-management): a publisher to an encrypted topic needs kms:GenerateDataKey and kms:Decrypt.
            publish.Add(c.On("kms:GenerateDataKey", key));
            publish.Add(c.On("kms:Decrypt", key));
        }

        return publish;
    }

    /// <summary>SQS names a queue by URL, IAM by ARN. Only dead-letter queues are sent to.</summary>
    private static string SqsQueueArn(string url) => Services.Sqs.SqsService.QueueArnOf(url) ?? "*";

    /// <summary>One call's parameters and the account, with the helpers every rule uses.</summary>
    private sealed record Call(IAwsService Service, string Action, JObject Parameters, SimulatedAccount Account)
    {
        public string Required(string member) => Parameters.GetString(member) ?? string.Empty;

        /// <summary>An authorization on a resource, with that resource's tags (from whichever service owns it) in the context.</summary>
        public AuthorizationRequest On(string action, string resource, RequestContext? context = null)
        {
            context ??= RequestContext.Empty;
            if (resource != "*" && Account.ResourceTags(resource) is { } tags)
            {
                context = context.WithResourceTags(tags);
            }

            return new AuthorizationRequest(action, resource, context);
        }

        public static AuthorizationRequest PassRole(string? roleArn, string toService) =>
            new("iam:PassRole", roleArn ?? string.Empty, RequestContext.Empty.With("iam:PassedToService", toService));

        /// <summary><c>aws:RequestTag/*</c> and <c>aws:TagKeys</c> for the tags a request sends (a map, or a list of Key/Value).</summary>
        public RequestContext RequestTags(string member) => RequestContext.Empty.WithRequestTags(Tags(member));

        /// <summary>Tags given on create are also authorized as the service's TagResource (Service Authorization Reference, Operations).</summary>
        public IEnumerable<AuthorizationRequest> TagOnCreate(string member, string resource, string? action = null)
        {
            var tags = Tags(member);
            return tags.Count == 0 ? [] : [On(action ?? $"{Service.IamPrefix}:TagResource", resource, RequestContext.Empty.WithRequestTags(tags))];
        }

        private Dictionary<string, string> Tags(string member) => Parameters[member] switch
        {
            JObject map => map.Where(t => t.Value is JString).ToDictionary(t => t.Key, t => t.Value.AsString(), StringComparer.Ordinal),
            JArray list => list.OfType<JObject>().Where(t => t.GetString("Key") is not null)
                .GroupBy(t => t.GetString("Key")!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().GetString("Value") ?? string.Empty, StringComparer.Ordinal),
            _ => [],
        };
    }
}
