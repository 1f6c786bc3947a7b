using System.Globalization;
using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws.Services;
using BlueGreen.Simulator.Aws.Services.Eks;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Integrations;

/// <summary>
/// The optimized EKS integrations ("Call Amazon EKS with Step Functions"), errors named <c>EKS.*</c>:
/// <list type="bullet">
/// <item><c>arn:aws:states:::eks:createCluster</c>, <c>deleteCluster</c>, <c>createNodegroup</c>, <c>deleteNodegroup</c>:
/// request-response, or <c>.sync</c> ("Run a Job"), which polls the resource until it settles; <c>.waitForTaskToken</c>
/// is not supported;</item>
/// <item><c>arn:aws:states:::eks:call</c>: a Kubernetes API request to the cluster's public endpoint, logged as
/// <c>eks:call</c> and fault-injectable under that name.</item>
/// </list>
/// </summary>
internal sealed class EksIntegration(SimulatedAccount account, EksService eks)
{
    /// <summary>The prefix of errors raised through the optimized integrations (<c>EKS.ResourceInUseException</c>, <c>EKS.404</c>).</summary>
    public const string ErrorPrefix = "EKS";

    public const string CreateClusterResource = "arn:aws:states:::eks:createCluster";
    public const string DeleteClusterResource = "arn:aws:states:::eks:deleteCluster";
    public const string CreateNodegroupResource = "arn:aws:states:::eks:createNodegroup";
    public const string DeleteNodegroupResource = "arn:aws:states:::eks:deleteNodegroup";
    public const string CallResource = "arn:aws:states:::eks:call";

    private static readonly string[] HttpMethods = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"];
    private static readonly string[] CallFields = ["ClusterName", "CertificateAuthority", "Endpoint", "Method", "Path", "QueryParameters", "RequestBody"];

    /// <summary>The job's outcome when it has settled: the task output, or the failure; null while it runs.</summary>
    private delegate Task<JObject?> JobCheck(JObject parameters, JObject submitted, CancellationToken cancellation);

    public void Register(TaskRegistry tasks)
    {
        tasks.Register(CreateClusterResource, new DelegateTaskHandler(request => RunJob(request, "CreateCluster", CreateClusterDone)));
        tasks.Register(DeleteClusterResource, new DelegateTaskHandler(request => RunJob(request, "DeleteCluster", DeleteClusterDone)));
        tasks.Register(CreateNodegroupResource, new DelegateTaskHandler(request => RunJob(request, "CreateNodegroup", CreateNodegroupDone)));
        tasks.Register(DeleteNodegroupResource, new DelegateTaskHandler(request => RunJob(request, "DeleteNodegroup", DeleteNodegroupDone)));
        tasks.Register(CallResource, new DelegateTaskHandler(CallKubernetesApi));
    }

    // ---- "Run a Job" -----------------------------------------------------------------------------------------

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

        var parameters = request.ObjectParameters();
        var response = (JObject)await account.CallAsync(eks, action, parameters, request.CallContext(account), ErrorPrefix);
        var withMetadata = OptimizedIntegration.WithSdkMetadata(response, account);
        if (request.Pattern != IntegrationPattern.Sync)
        {
            return withMetadata;
        }

        request.ReportSubmitted(withMetadata);
        while (true)
        {
            await account.Scheduler.Delay(TimeSpan.FromSeconds(eks.Behaviour.SyncPollSeconds), request.CancellationToken);
            if (await check(parameters, response, request.CancellationToken) is { } done)
            {
                return done;
            }
        }
    }

    /// <summary>
    /// Reads the job's resource the way Step Functions polls it (Describe*), as the service's own read: not in the
    /// account's call log, and not subject to the state machine's faults. Null when the resource is gone.
    /// </summary>
    private async Task<JObject?> Poll(string action, JObject parameters, string member, CancellationToken cancellation)
    {
        try
        {
            var described = (JObject)await eks.InvokeAsync(action, parameters, new AwsCallContext { Account = account, Cancellation = cancellation });
            return described.GetObject(member);
        }
        catch (AwsServiceException e) when (e.Code == "ResourceNotFoundException")
        {
            return null;
        }
    }

    /// <summary>A <c>.sync</c> job that ended in a failed state fails the task with States.TaskFailed and the resource's description as cause.</summary>
    private static StatesException JobFailed(string member, JObject description) => new(StatesErrors.TaskFailed, JObject.Of((member, description)).ToJson());

    private async Task<JObject?> CreateClusterDone(JObject parameters, JObject submitted, CancellationToken cancellation)
    {
        var name = parameters.GetString("Name")!;
        var cluster = await Poll("DescribeCluster", JObject.Of(("Name", name)), "Cluster", cancellation)
            ?? throw new StatesException(StatesErrors.TaskFailed, $"Cluster {name} was deleted before it became ACTIVE.");
        return cluster.GetString("Status") switch
        {
            "ACTIVE" => JObject.Of(("Cluster", cluster)),
            "FAILED" or "DELETING" => throw JobFailed("Cluster", cluster),
            _ => null,
        };
    }

    private async Task<JObject?> DeleteClusterDone(JObject parameters, JObject submitted, CancellationToken cancellation) =>
        await Poll("DescribeCluster", JObject.Of(("Name", parameters.GetString("Name")!)), "Cluster", cancellation) is null ? submitted : null;

    private async Task<JObject?> CreateNodegroupDone(JObject parameters, JObject submitted, CancellationToken cancellation)
    {
        var (clusterName, name) = (parameters.GetString("ClusterName")!, parameters.GetString("NodegroupName")!);
        var nodegroup = await Poll("DescribeNodegroup", JObject.Of(("ClusterName", clusterName), ("NodegroupName", name)), "Nodegroup", cancellation)
            ?? throw new StatesException(StatesErrors.TaskFailed, $"Nodegroup {name} of cluster {clusterName} was deleted before it became ACTIVE.");
        return nodegroup.GetString("Status") switch
        {
            "ACTIVE" => JObject.Of(("Nodegroup", nodegroup)),
            "CREATING" => null,
            _ => throw JobFailed("Nodegroup", nodegroup),
        };
    }

    private async Task<JObject?> DeleteNodegroupDone(JObject parameters, JObject submitted, CancellationToken cancellation)
    {
        var nodegroup = await Poll("DescribeNodegroup", JObject.Of(("ClusterName", parameters.GetString("ClusterName")!), ("NodegroupName", parameters.GetString("NodegroupName")!)), "Nodegroup", cancellation);
        return nodegroup switch
        {
            null => submitted,
            _ when nodegroup.GetString("Status") == "DELETE_FAILED" => throw JobFailed("Nodegroup", nodegroup),
            _ => null,
        };
    }

    // ---- eks:call ----------------------------------------------------------------------------------------------

    /// <summary>
    /// <c>arn:aws:states:::eks:call</c>. Non-2xx answers fail the task with <c>EKS.&lt;code&gt;</c> and a cause holding
    /// ResponseBody, StatusCode and StatusText, as the Step Functions guide shows for 401.
    /// </summary>
    private async Task<JValue> CallKubernetesApi(TaskRequest request)
    {
        if (request.Pattern != IntegrationPattern.RequestResponse)
        {
            throw new StatesException(StatesErrors.Runtime, $"The resource '{request.Resource}' supports only the request-response integration pattern.");
        }

        var parameters = request.ObjectParameters();
        string Required(string key) => parameters.GetString(key) is { Length: > 0 } value
            ? value
            : throw new StatesException(StatesErrors.Runtime, $"An error occurred while executing the state '{request.StateName}'. The field '{key}' is required for the resource '{request.Resource}'.");
        var clusterName = Required("ClusterName");
        var certificateAuthority = Required("CertificateAuthority");
        var endpoint = Required("Endpoint");
        var method = Required("Method");
        var path = Required("Path");
        var unknown = parameters.Keys.Except(CallFields).ToList();
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
            account.Calls.Add(new AwsCallRecord(account.Scheduler.Now, eks.IamPrefix, "call", mutating, request.StateName, parameters, outcome, fault));

        var fault = account.NextFault(eks.IamPrefix, "call", request.StateName);
        if (fault is { Kind: FaultKind.Latency })
        {
            await account.Scheduler.Delay(TimeSpan.FromSeconds(fault.LatencySeconds), request.CancellationToken);
        }
        else if (fault is not null)
        {
            var error = InjectedFailure(fault);
            Log(error.Error, fault.Kind.ToString());
            throw error;
        }

        KubernetesResponse response;
        try
        {
            response = eks.CallKubernetesApi(clusterName, endpoint, certificateAuthority, method, path, query, request.Execution?.RoleArn);
        }
        catch (AwsServiceException e)
        {
            var error = e.ToStatesError(ErrorPrefix);
            Log(error.Error, fault?.Kind.ToString());
            throw error;
        }
        catch (KubernetesUnreachableException e)
        {
            Log(StatesErrors.TaskFailed, fault?.Kind.ToString());
            throw new StatesException(StatesErrors.TaskFailed, e.Message);
        }

        var now = account.Scheduler.Now;
        var result = JObject.Of(
            ("ResponseBody", method == "HEAD" ? JObject.Empty : response.Body),
            ("StatusCode", response.StatusCode),
            ("StatusText", response.StatusText),
            ("Headers", JObject.Of(
                ("Audit-Id", JArray.Of(Ids.Uuid(account.Random))),
                ("Cache-Control", JArray.Of("no-cache, private")),
                ("Content-Type", JArray.Of(response.Body is JString ? "text/plain; charset=utf-8" : "application/json")),
                ("Date", JArray.Of(now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture))))));
        if (response.StatusCode >= 400)
        {
            var error = $"{ErrorPrefix}.{response.StatusCode}";
            Log(error, fault?.Kind.ToString());
            throw new StatesException(error, JObject.Of(("ResponseBody", response.Body), ("StatusCode", response.StatusCode), ("StatusText", response.StatusText)).ToJson());
        }

        Log("OK", fault?.Kind.ToString());
        return result;
    }

    /// <summary>
    /// Step Functions reports a failed Kubernetes API call as EKS.&lt;HTTP status&gt; (developer guide, connect-eks):
    /// a throttle is 429, an internal fault 500, an error fault naming a status is that status.
    /// </summary>
    private StatesException InjectedFailure(FaultRule fault)
    {
        var status = fault.Kind switch
        {
            FaultKind.Throttle => 429,
            FaultKind.Internal => 500,
            _ => int.TryParse(fault.Error, CultureInfo.InvariantCulture, out var code) ? code : 0,
        };
        return status > 0
            ? new StatesException($"{ErrorPrefix}.{status}", JObject.Of(
                ("ResponseBody", KubernetesResponse.Status(status, status == 429 ? "TooManyRequests" : "InternalError", fault.Message ?? $"Injected {status}", JObject.Empty)),
                ("StatusCode", status),
                ("StatusText", new KubernetesResponse(status, JObject.Empty).StatusText)).ToJson())
            : fault.ToServiceError(eks).ToStatesError(ErrorPrefix);
    }
}
