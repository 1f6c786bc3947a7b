using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

public sealed partial class EksService
{
    public const string CreateClusterResource = "arn:aws:states:::eks:createCluster";
    public const string DeleteClusterResource = "arn:aws:states:::eks:deleteCluster";
    public const string CreateNodegroupResource = "arn:aws:states:::eks:createNodegroup";
    public const string DeleteNodegroupResource = "arn:aws:states:::eks:deleteNodegroup";
    public const string CallResource = "arn:aws:states:::eks:call";

    private static readonly string[] HttpMethods = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"];

    /// <summary>
    /// The optimized EKS integrations ("Call Amazon EKS with Step Functions"): request-response and <c>.sync</c>
    /// ("Run a Job"); <c>.waitForTaskToken</c> is not supported. Errors are named <c>EKS.*</c>.
    /// </summary>
    private void RegisterOptimizedIntegrations(SimulatedAccount account)
    {
        account.Tasks.Register(CreateClusterResource, new DelegateTaskHandler(request => RunJob(request, "CreateCluster", CreateClusterDone)));
        account.Tasks.Register(DeleteClusterResource, new DelegateTaskHandler(request => RunJob(request, "DeleteCluster", DeleteClusterDone)));
        account.Tasks.Register(CreateNodegroupResource, new DelegateTaskHandler(request => RunJob(request, "CreateNodegroup", CreateNodegroupDone)));
        account.Tasks.Register(DeleteNodegroupResource, new DelegateTaskHandler(request => RunJob(request, "DeleteNodegroup", DeleteNodegroupDone)));
        account.Tasks.Register(CallResource, new DelegateTaskHandler(CallKubernetesApi));
    }

    private AwsCallContext ContextOf(TaskRequest request) => new()
    {
        Account = Account,
        Cancellation = request.CancellationToken,
        StateName = request.StateName,
        Execution = request.Execution,
    };

    /// <summary>The job's outcome when it has settled: the task output, or the failure; null while it runs.</summary>
    private delegate JObject? JobCheck(JObject parameters, JObject submitted);

    /// <summary>
    /// Makes the API call through the account (logged, model-checked, fault-injectable). Request-response returns
    /// its answer; <c>.sync</c> records TaskSubmitted, then checks the job every
    /// <see cref="EksBehaviour.SyncPollSeconds"/> of virtual time until it settles.
    /// </summary>
    private async Task<JValue> RunJob(TaskRequest request, string action, JobCheck check)
    {
        if (request.Pattern == IntegrationPattern.WaitForTaskToken)
        {
            throw new StatesException(StatesErrors.Runtime, $"The resource '{request.Resource}' does not support the .waitForTaskToken integration pattern.");
        }

        if (request.Parameters is not JObject parameters)
        {
            throw new StatesException(StatesErrors.Runtime, $"The parameters of '{request.Resource}' must be a JSON object.");
        }

        var response = (JObject)await Account.CallAsync(this, action, parameters, ContextOf(request), OptimizedErrorPrefix);
        var withMetadata = OptimizedIntegration.WithSdkMetadata(response, Account);
        if (request.Pattern != IntegrationPattern.Sync)
        {
            return withMetadata;
        }

        request.ReportSubmitted(withMetadata);
        while (true)
        {
            await Account.Scheduler.Delay(TimeSpan.FromSeconds(Behaviour.SyncPollSeconds), request.CancellationToken);
            if (check(parameters, response) is { } done)
            {
                return done;
            }
        }
    }

    /// <summary>A <c>.sync</c> job that ended in a failed state fails the task with States.TaskFailed and the resource's description as cause.</summary>
    private static StatesException JobFailed(JObject description) => new(StatesErrors.TaskFailed, description.ToJson());

    private JObject? CreateClusterDone(JObject parameters, JObject submitted)
    {
        var name = parameters.GetString("Name")!;
        var cluster = _clusters.GetValueOrDefault(name) ?? throw new StatesException(StatesErrors.TaskFailed, $"Cluster {name} was deleted before it became ACTIVE.");
        return cluster.Status switch
        {
            "ACTIVE" => JObject.Of(("Cluster", ClusterJson(cluster))),
            "FAILED" or "DELETING" => throw JobFailed(JObject.Of(("Cluster", ClusterJson(cluster)))),
            _ => null,
        };
    }

    private JObject? DeleteClusterDone(JObject parameters, JObject submitted) =>
        _clusters.ContainsKey(parameters.GetString("Name")!) ? null : submitted;

    private JObject? CreateNodegroupDone(JObject parameters, JObject submitted)
    {
        var (clusterName, name) = (parameters.GetString("ClusterName")!, parameters.GetString("NodegroupName")!);
        var nodegroup = _clusters.GetValueOrDefault(clusterName)?.Nodegroups.GetValueOrDefault(name)
            ?? throw new StatesException(StatesErrors.TaskFailed, $"Nodegroup {name} of cluster {clusterName} was deleted before it became ACTIVE.");
        return nodegroup.Status switch
        {
            "ACTIVE" => JObject.Of(("Nodegroup", NodegroupJson(nodegroup))),
            "CREATING" => null,
            _ => throw JobFailed(JObject.Of(("Nodegroup", NodegroupJson(nodegroup)))),
        };
    }

    private JObject? DeleteNodegroupDone(JObject parameters, JObject submitted)
    {
        var nodegroup = _clusters.GetValueOrDefault(parameters.GetString("ClusterName")!)?.Nodegroups.GetValueOrDefault(parameters.GetString("NodegroupName")!);
        return nodegroup switch
        {
            null => submitted,
            { Status: "DELETE_FAILED" } => throw JobFailed(JObject.Of(("Nodegroup", NodegroupJson(nodegroup)))),
            _ => null,
        };
    }

    /// <summary>
    /// <c>arn:aws:states:::eks:call</c>: a Kubernetes API request to the cluster's public endpoint. Logged as
    /// <c>eks:call</c> and fault-injectable under that name. Non-2xx answers fail the task with <c>EKS.&lt;code&gt;</c>
    /// and a cause holding ResponseBody, StatusCode and StatusText, as the Step Functions guide shows for 401.
    /// </summary>
    private async Task<JValue> CallKubernetesApi(TaskRequest request)
    {
        if (request.Pattern != IntegrationPattern.RequestResponse)
        {
            throw new StatesException(StatesErrors.Runtime, $"The resource '{request.Resource}' supports only the request-response integration pattern.");
        }

        if (request.Parameters is not JObject parameters)
        {
            throw new StatesException(StatesErrors.Runtime, $"The parameters of '{request.Resource}' must be a JSON object.");
        }

        string Required(string key) => parameters.GetString(key) is { Length: > 0 } value
            ? value
            : throw new StatesException(StatesErrors.Runtime, $"An error occurred while executing the state '{request.StateName}'. The field '{key}' is required for the resource '{request.Resource}'.");
        var clusterName = Required("ClusterName");
        var certificateAuthority = Required("CertificateAuthority");
        var endpoint = Required("Endpoint");
        var method = Required("Method");
        var path = Required("Path");
        var unknown = parameters.Keys.Except(["ClusterName", "CertificateAuthority", "Endpoint", "Method", "Path", "QueryParameters", "RequestBody"]).ToList();
        if (unknown.Count > 0)
        {
            throw new StatesException(StatesErrors.Runtime, $"An error occurred while executing the state '{request.StateName}'. The field(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))} are not supported by the resource '{request.Resource}'.");
        }

        if (!HttpMethods.Contains(method))
        {
            throw new StatesException(StatesErrors.Runtime, $"An error occurred while executing the state '{request.StateName}'. The Method '{method}' is not one of {string.Join(", ", HttpMethods)}.");
        }

        var query = parameters.GetObject("QueryParameters") ?? JObject.Empty;
        var mutating = method is not ("GET" or "HEAD");
        void Log(string outcome, string? fault) =>
            Account.Calls.Add(new AwsCallRecord(Now, IamPrefix, "call", mutating, request.StateName, parameters, outcome, fault));

        var fault = Account.Faults.Next(IamPrefix, "call", request.StateName);
        if (fault is { Kind: FaultKind.Latency })
        {
            await Account.Scheduler.Delay(TimeSpan.FromSeconds(fault.LatencySeconds), request.CancellationToken);
        }
        else if (fault is not null)
        {
            // Step Functions reports a failed Kubernetes API call as EKS.<HTTP status> (developer guide, connect-eks):
            // a throttle is 429, an internal fault 500, an error fault naming a status is that status.
            var status = fault.Kind switch
            {
                FaultKind.Throttle => 429,
                FaultKind.Internal => 500,
                _ => int.TryParse(fault.Error, System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : 0,
            };
            var error = status > 0
                ? new StatesException($"{OptimizedErrorPrefix}.{status}", JObject.Of(
                    ("ResponseBody", KubernetesStatus(status, status == 429 ? "TooManyRequests" : "InternalError", fault.Message ?? $"Injected {status}", JObject.Empty)),
                    ("StatusCode", status),
                    ("StatusText", new KubernetesResponse(status, JObject.Empty).StatusText)).ToJson())
                : fault.ToServiceError(this).ToStatesError(OptimizedErrorPrefix);
            Log(error.Error, fault.Kind.ToString());
            throw error;
        }

        if (!_clusters.TryGetValue(clusterName, out var cluster))
        {
            var error = NotFound($"No cluster found for name: {clusterName}.").ToStatesError(OptimizedErrorPrefix);
            Log(error.Error, fault?.Kind.ToString());
            throw error;
        }

        if (!cluster.VpcConfig.EndpointPublicAccess)
        {
            // "The Step Functions EKS integration supports only Kubernetes APIs with public endpoint access" (connect-eks).
            Log(StatesErrors.TaskFailed, fault?.Kind.ToString());
            throw new StatesException(StatesErrors.TaskFailed,
                $"Unable to reach the Kubernetes API of cluster {clusterName} at {endpoint}: its endpoint has no public access, and Step Functions reaches public endpoints only.");
        }

        if (cluster.Status is not ("ACTIVE" or "UPDATING") || !string.Equals(endpoint.TrimEnd('/'), cluster.Endpoint, StringComparison.OrdinalIgnoreCase) || certificateAuthority != cluster.CertificateAuthorityData)
        {
            Log(StatesErrors.TaskFailed, fault?.Kind.ToString());
            throw new StatesException(StatesErrors.TaskFailed,
                $"Unable to reach the Kubernetes API of cluster {clusterName} at {endpoint}: the cluster is {cluster.Status} and its endpoint and certificate authority must match DescribeCluster's.");
        }

        // The Kubernetes API sees the calling execution's role, which needs an access entry (the creator gets one).
        var caller = request.Execution?.RoleArn is { Length: > 0 } role ? role : CreatorPrincipalArn;
        var response = Behaviour.EnforceKubernetesAuth && !cluster.AccessEntries.ContainsKey(caller)
            ? new KubernetesResponse(401, KubernetesStatus(401, "Unauthorized", "Unauthorized", JObject.Empty))
            : KubernetesApi(cluster, method, path, query);
        var result = JObject.Of(
            ("ResponseBody", method == "HEAD" ? JObject.Empty : response.Body),
            ("StatusCode", response.StatusCode),
            ("StatusText", response.StatusText),
            ("Headers", JObject.Of(
                ("Audit-Id", JArray.Of(EksWire.Uuid(Account.Random))),
                ("Cache-Control", JArray.Of("no-cache, private")),
                ("Content-Type", JArray.Of(response.Body is JString ? "text/plain; charset=utf-8" : "application/json")),
                ("Date", JArray.Of(Now.UtcDateTime.ToString("r", System.Globalization.CultureInfo.InvariantCulture))))));
        if (response.StatusCode >= 400)
        {
            var error = $"{OptimizedErrorPrefix}.{response.StatusCode}";
            Log(error, fault?.Kind.ToString());
            throw new StatesException(error, JObject.Of(("ResponseBody", response.Body), ("StatusCode", response.StatusCode), ("StatusText", response.StatusText)).ToJson());
        }

        Log("OK", fault?.Kind.ToString());
        return result;
    }
}
