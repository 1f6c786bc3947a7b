using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>An answer of the simulated Kubernetes API server: HTTP status and JSON (or text) body.</summary>
public sealed record KubernetesResponse(int StatusCode, JValue Body)
{
    public string StatusText => StatusCode switch
    {
        200 => "OK",
        201 => "Created",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    };

    /// <summary>The API server's <c>Status</c> object, the body of its error answers.</summary>
    public static JObject Status(int code, string reason, string message, JObject details) => JObject.Of(
        ("kind", "Status"),
        ("apiVersion", "v1"),
        ("metadata", JObject.Empty),
        ("status", "Failure"),
        ("message", message),
        ("reason", reason),
        ("details", details),
        ("code", code));
}

/// <summary>A Kubernetes API request that cannot reach the cluster's API server (no public endpoint, not running, wrong endpoint or certificate authority).</summary>
public sealed class KubernetesUnreachableException(string message) : Exception(message);

/// <summary>
/// The Kubernetes API server of each simulated cluster, as <c>eks:call</c> reaches it: the reads a rehearsal needs (Argo CD
/// Applications, nodes, /version, health endpoints), with Argo CD's applications following the cluster's workloads.
/// </summary>
internal sealed class KubernetesApiServer(EksStore store) : EksResource(store)
{
    /// <summary>
    /// A Kubernetes API request (<c>eks:call</c>) to <paramref name="clusterName"/>'s public endpoint, made as
    /// <paramref name="callerRoleArn"/> (the execution's role; the cluster creator when null), which needs an access entry
    /// when the world enforces Kubernetes authorization.
    /// </summary>
    /// <exception cref="AwsServiceException">ResourceNotFoundException: there is no such cluster.</exception>
    /// <exception cref="KubernetesUnreachableException">The request cannot reach the API server.</exception>
    public KubernetesResponse CallKubernetesApi(string clusterName, string endpoint, string certificateAuthority, string method, string path, JObject query, string? callerRoleArn)
    {
        if (!Clusters.TryGetValue(clusterName, out var cluster))
        {
            throw NotFound($"No cluster found for name: {clusterName}.");
        }

        if (!cluster.VpcConfig.EndpointPublicAccess)
        {
            // "The Step Functions EKS integration supports only Kubernetes APIs with public endpoint access" (connect-eks).
            throw new KubernetesUnreachableException(
                $"Unable to reach the Kubernetes API of cluster {clusterName} at {endpoint}: its endpoint has no public access, and Step Functions reaches public endpoints only.");
        }

        if (cluster.Status is not ("ACTIVE" or "UPDATING") || !string.Equals(endpoint.TrimEnd('/'), cluster.Endpoint, StringComparison.OrdinalIgnoreCase) || certificateAuthority != cluster.CertificateAuthorityData)
        {
            throw new KubernetesUnreachableException(
                $"Unable to reach the Kubernetes API of cluster {clusterName} at {endpoint}: the cluster is {cluster.Status} and its endpoint and certificate authority must match DescribeCluster's.");
        }

        var caller = callerRoleArn is { Length: > 0 } role ? role : CreatorPrincipalArn;
        return Behaviour.EnforceKubernetesAuth && !cluster.AccessEntries.ContainsKey(caller)
            ? new KubernetesResponse(401, KubernetesResponse.Status(401, "Unauthorized", "Unauthorized", JObject.Empty))
            : KubernetesApi(cluster, method, path, query);
    }

    /// <summary>
    /// The few Kubernetes API reads a rehearsal needs: Argo CD Applications (list and get), nodes, /version and
    /// the health endpoints. Anything else is 404 with the API server's Status body; writes to known read-only
    /// paths are 405.
    /// </summary>
    public KubernetesResponse KubernetesApi(SimulatedCluster cluster, string method, string path, JObject query)
    {
        var question = path.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            foreach (var pair in path[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = pair.Split('=', 2);
                query = query.With(Uri.UnescapeDataString(kv[0]), JArray.Of(kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty));
            }

            path = path[..question];
        }

        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var route = Route(cluster, segments, query);
        if (route is null)
        {
            return new KubernetesResponse(404, KubernetesResponse.Status(404, "NotFound", "the server could not find the requested resource", JObject.Empty));
        }

        if (method is not ("GET" or "HEAD"))
        {
            return new KubernetesResponse(405, KubernetesResponse.Status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", JObject.Empty));
        }

        return route();
    }

    private Func<KubernetesResponse>? Route(SimulatedCluster cluster, string[] s, JObject query)
    {
        var selector = LabelSelector(query);
        return s switch
        {
            ["version"] => () => new KubernetesResponse(200, VersionJson(cluster)),
            ["healthz"] or ["readyz"] or ["livez"] => () => new KubernetesResponse(200, "ok"),
            ["api", "v1", "nodes"] => () => new KubernetesResponse(200, List("v1", "NodeList", Nodes(cluster).Where(n => Matches(n, selector)))),
            ["api", "v1", "nodes", var node] => () => Nodes(cluster).FirstOrDefault(n => n.GetObject("metadata")!.GetString("name") == node) is { } found
                ? new KubernetesResponse(200, found)
                : NotFoundObject("nodes", string.Empty, node),
            ["apis", "argoproj.io", "v1alpha1", "applications"] when HostsArgoCd(cluster) =>
                () => new KubernetesResponse(200, List("argoproj.io/v1alpha1", "ApplicationList", Applications(cluster).Where(a => Matches(a, selector)))),
            ["apis", "argoproj.io", "v1alpha1", "namespaces", var ns, "applications"] when HostsArgoCd(cluster) =>
                () => new KubernetesResponse(200, List("argoproj.io/v1alpha1", "ApplicationList", ns == Store.ArgoCd.Namespace ? Applications(cluster).Where(a => Matches(a, selector)) : [])),
            ["apis", "argoproj.io", "v1alpha1", "namespaces", var ns, "applications", var name] when HostsArgoCd(cluster) =>
                () => (ns == Store.ArgoCd.Namespace ? Applications(cluster).FirstOrDefault(a => a.GetObject("metadata")!.GetString("name") == name) : null) is { } app
                    ? new KubernetesResponse(200, app)
                    : NotFoundObject("applications", "argoproj.io", name),
            _ => null,
        };
    }

    private bool HostsArgoCd(SimulatedCluster cluster) => Store.ArgoCd.HubCluster is null || Store.ArgoCd.HubCluster == cluster.Name;

    private static KubernetesResponse NotFoundObject(string kind, string group, string name) =>
        new(404, KubernetesResponse.Status(404, "NotFound", $"{(group.Length > 0 ? $"{kind}.{group}" : kind)} \"{name}\" not found",
            JObject.Of(("name", name), ("group", group), ("kind", kind))));

    private static JObject List(string apiVersion, string kind, IEnumerable<JObject> items) => JObject.Of(
        ("apiVersion", apiVersion),
        ("kind", kind),
        ("metadata", JObject.Of(("resourceVersion", "284713"))),
        ("items", JArray.From(items)));

    private static string KubeTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>labelSelector</c> equality terms (<c>a=b,c!=d</c>) and existence terms (<c>a</c>).</summary>
    private static List<(string Key, string? Value, bool Equal)> LabelSelector(JObject query)
    {
        var terms = new List<(string, string?, bool)>();
        var raw = query["labelSelector"] switch
        {
            JArray a => string.Join(',', a.OfType<JString>().Select(s => s.Value)),
            JString s => s.Value,
            _ => string.Empty,
        };
        foreach (var term in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (term.Contains("!=", StringComparison.Ordinal))
            {
                var kv = term.Split("!=", 2);
                terms.Add((kv[0].Trim(), kv[1].Trim(), false));
            }
            else if (term.Contains('=', StringComparison.Ordinal))
            {
                var kv = term.Split('=', 2);
                terms.Add((kv[0].Trim(), kv[1].TrimStart('=').Trim(), true));
            }
            else
            {
                terms.Add((term, null, true));
            }
        }

        return terms;
    }

    private static bool Matches(JObject item, List<(string Key, string? Value, bool Equal)> selector)
    {
        var labels = item.GetObject("metadata")?.GetObject("labels") ?? JObject.Empty;
        return selector.All(t => t.Value is null
            ? labels.ContainsKey(t.Key)
            : (labels.GetString(t.Key) == t.Value) == t.Equal);
    }

    private JObject VersionJson(SimulatedCluster cluster)
    {
        var patch = Calendar.Find(cluster.Version)?.PatchVersion ?? cluster.Version + ".0";
        var build = $"{StableHash.Of(patch) & 0xfffffff:x7}";
        return JObject.Of(
            ("major", "1"),
            ("minor", cluster.Version.Split('.')[1]),
            ("gitVersion", $"v{patch}-eks-{build}"),
            ("gitCommit", $"{build}{Ids.Hex(new Random(StableHash.Of(cluster.Version)), 33, upper: false)}"),
            ("gitTreeState", "clean"),
            ("buildDate", KubeTime(Calendar.Find(cluster.Version)?.Release ?? cluster.CreatedAt)),
            ("goVersion", "go1.24.9"),
            ("compiler", "gc"),
            ("platform", "linux/amd64"));
    }

    private IEnumerable<JObject> Nodes(SimulatedCluster cluster)
    {
        foreach (var ng in cluster.Nodegroups.Values.Where(n => n.Status is "ACTIVE" or "DEGRADED" or "UPDATING").OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            var random = new Random(StableHash.Of(ng.Arn));
            var arch = EksAmiTypes.IsArm(ng.AmiType) ? "arm64" : "amd64";
            var patch = Calendar.Find(ng.Version)?.PatchVersion ?? ng.Version + ".0";
            for (var i = 0; i < ng.DesiredSize; i++)
            {
                var name = $"ip-10-0-{random.Next(0, 192)}-{random.Next(1, 255)}.{Account.Region}.compute.internal";
                var instanceType = ng.InstanceTypes.Count > 0 ? ng.InstanceTypes[i % ng.InstanceTypes.Count] : "m6i.large";
                var zone = $"{Account.Region}{(char)('a' + (i % 3))}";
                var labels = new JObjectBuilder()
                    .Add("eks.amazonaws.com/capacityType", ng.CapacityType)
                    .Add("eks.amazonaws.com/nodegroup", ng.Name)
                    .Add("kubernetes.io/arch", arch)
                    .Add("kubernetes.io/hostname", name)
                    .Add("kubernetes.io/os", ng.AmiType.StartsWith("WINDOWS", StringComparison.Ordinal) ? "windows" : "linux")
                    .Add("node.kubernetes.io/instance-type", instanceType)
                    .Add("topology.kubernetes.io/region", Account.Region)
                    .Add("topology.kubernetes.io/zone", zone);
                foreach (var (k, v) in ng.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    labels.Add(k, v);
                }

                var spec = new JObjectBuilder().Add("providerID", $"aws:///{zone}/i-{Ids.Hex(random, 17, upper: false)}");
                if (ng.Taints.Count > 0)
                {
                    spec.Add("taints", JArray.From(ng.Taints.Select(t => (JValue)JObject.Of(
                        ("key", t.Key), ("value", t.Value ?? string.Empty),
                        ("effect", t.Effect switch { "NO_EXECUTE" => "NoExecute", "PREFER_NO_SCHEDULE" => "PreferNoSchedule", _ => "NoSchedule" })))));
                }

                yield return JObject.Of(
                    ("metadata", JObject.Of(("name", name), ("labels", labels.Build()), ("creationTimestamp", KubeTime(ng.CreatedAt)))),
                    ("spec", spec.Build()),
                    ("status", JObject.Of(
                        ("conditions", JArray.Of(JObject.Of(("type", "Ready"), ("status", "True"), ("reason", "KubeletReady"), ("message", "kubelet is posting ready status")))),
                        ("nodeInfo", JObject.Of(
                            ("kubeletVersion", $"v{patch}-eks-{StableHash.Of(patch) & 0xfffffff:x7}"),
                            ("architecture", arch),
                            ("operatingSystem", "linux"),
                            ("osImage", ng.AmiType.StartsWith("AL2023", StringComparison.Ordinal) ? "Amazon Linux 2023.9.20251110" : ng.AmiType.StartsWith("BOTTLEROCKET", StringComparison.Ordinal) ? "Bottlerocket OS 1.50.0 (aws-k8s)" : "Amazon Linux 2"),
                            ("containerRuntimeVersion", "containerd://1.7.27"))))));
            }
        }
    }

    /// <summary>The applications Argo CD on <paramref name="host"/> knows, with their status right now.</summary>
    private IEnumerable<JObject> Applications(SimulatedCluster host)
    {
        var targets = Store.ArgoCd.HubCluster is null
            ? [host]
            : Clusters.Values.Where(c => c.Name != Store.ArgoCd.HubCluster).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        foreach (var cluster in targets)
        {
            var state = ApplicationState(cluster);
            if (state is null)
            {
                continue;
            }

            foreach (var template in Store.ArgoCd.Applications)
            {
                yield return ApplicationJson(cluster, template, state.Value);
            }
        }
    }

    /// <summary>
    /// Applications appear once the cluster's workloads can deploy: OutOfSync/Missing at first, Synced/Progressing
    /// while they roll out, Synced/Healthy once the workloads are ready, Synced/Degraded when they never get there.
    /// </summary>
    private (string Sync, string Health, string? Message, DateTimeOffset Since)? ApplicationState(SimulatedCluster cluster)
    {
        if (Account.Workloads.IsReady(cluster.Name))
        {
            return ("Synced", "Healthy", null, cluster.DeployableSince ?? Account.Workloads.Get(cluster.Name).ReadySince ?? Now);
        }

        if (cluster.DeployableSince is not { } since || cluster.Status == "DELETING")
        {
            return null;
        }

        var elapsed = Now - since;
        var readyAfter = TimeSpan.FromMinutes(Behaviour.AppsReadyMinutes);
        if ((cluster.NeverReady || cluster.ForcedUnready) && elapsed >= readyAfter)
        {
            return ("Synced", "Degraded", "Deployment exceeded its progress deadline", since);
        }

        return elapsed < readyAfter * 0.3
            ? ("OutOfSync", "Missing", null, since)
            : ("Synced", "Progressing", "Waiting for rollout to finish: 0 of 2 updated replicas are available...", since);
    }

    private JObject ApplicationJson(SimulatedCluster cluster, ArgoCdApplicationTemplate template, (string Sync, string Health, string? Message, DateTimeOffset Since) state)
    {
        var name = template.NameFor(cluster.Name);
        var revision = Ids.Hex(new Random(StableHash.Of(template.RepoUrl + template.Path + template.TargetRevision)), 40, upper: false);
        var labels = new JObjectBuilder();
        foreach (var (k, v) in template.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            labels.Add(k, v.Replace("{{cluster}}", cluster.Name, StringComparison.Ordinal));
        }

        var source = JObject.Of(("repoURL", template.RepoUrl), ("path", template.Path), ("targetRevision", template.TargetRevision));
        var destination = Store.ArgoCd.HubCluster is null
            ? JObject.Of(("server", "https://kubernetes.default.svc"), ("namespace", template.DestinationNamespace))
            : JObject.Of(("server", cluster.Endpoint), ("name", cluster.Name), ("namespace", template.DestinationNamespace));
        var health = state.Message is null || state.Health == "Missing" ? JObject.Of(("status", state.Health)) : JObject.Of(("status", state.Health), ("message", state.Message));
        var status = new JObjectBuilder()
            .Add("sync", state.Sync == "Synced"
                ? JObject.Of(("status", "Synced"), ("comparedTo", JObject.Of(("source", source), ("destination", destination))), ("revision", revision))
                : JObject.Of(("status", "OutOfSync"), ("comparedTo", JObject.Of(("source", source), ("destination", destination)))))
            .Add("health", health)
            .Add("reconciledAt", KubeTime(Now))
            .Add("sourceType", "Kustomize");
        if (state.Sync == "Synced")
        {
            var finished = state.Since + TimeSpan.FromMinutes(Behaviour.AppsReadyMinutes * 0.3);
            status.Add("operationState", JObject.Of(
                ("phase", "Succeeded"),
                ("message", "successfully synced (all tasks run)"),
                ("syncResult", JObject.Of(("revision", revision), ("source", source))),
                ("startedAt", KubeTime(state.Since)),
                ("finishedAt", KubeTime(finished < Now ? finished : Now))));
        }

        return JObject.Of(
            ("apiVersion", "argoproj.io/v1alpha1"),
            ("kind", "Application"),
            ("metadata", JObject.Of(
                ("name", name),
                ("namespace", Store.ArgoCd.Namespace),
                ("uid", Ids.Uuid(new Random(StableHash.Of(cluster.Arn + name)))),
                ("creationTimestamp", KubeTime(state.Since)),
                ("labels", labels.Build()))),
            ("spec", JObject.Of(
                ("project", template.Project),
                ("source", source),
                ("destination", destination),
                ("syncPolicy", JObject.Of(("automated", JObject.Of(("prune", true), ("selfHeal", true))))))),
            ("status", status.Build()));
    }
}
