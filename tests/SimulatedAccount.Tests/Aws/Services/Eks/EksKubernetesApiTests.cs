using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Services.Eks;

public sealed class EksKubernetesApiTests : IDisposable
{
    private const string Applications = "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications";

    // These tests read the API's shapes from a principal with no access entry on the world's clusters; Kubernetes
    // authorization has tests of its own below.
    private readonly EksTestBed _bed = new("""{"behaviour":{"enforceKubernetesAuth":false}}""");

    public void Dispose() => _bed.Dispose();

    private static RunSummary KubeCall(EksTestBed bed, string cluster, string path, string method = "GET", string query = "{}")
    {
        var c = bed.Eks.FindCluster(cluster)!;
        return bed.RunTask("arn:aws:states:::eks:call", $$"""
            {"ClusterName":"{{cluster}}","CertificateAuthority":"{{c.CertificateAuthorityData}}","Endpoint":"{{c.Endpoint}}",
             "Method":"{{method}}","Path":"{{path}}","QueryParameters":{{query}}}
            """);
    }

    private static List<(string Name, string Sync, string Health)> Apps(EksTestBed bed, string cluster, string query = "{}")
    {
        var summary = KubeCall(bed, cluster, Applications, query: query);
        Assert.Equal("SUCCEEDED", summary.Status);
        return summary.Output!.AsObject().GetObject("ResponseBody")!.GetArray("items")!.Select(i => i.AsObject()).Select(i => (
            i.GetObject("metadata")!.GetString("name")!,
            i.GetObject("status")!.GetObject("sync")!.GetString("status")!,
            i.GetObject("status")!.GetObject("health")!.GetString("status")!)).ToList();
    }

    [Fact]
    public void EksCall_ArgoCdApplicationsOnGreen_BecomeSyncedAndHealthyAfterTheWorkloadsDeploy()
    {
        var summary = _bed.Run($$$$"""
            {"StartAt":"Create Green cluster","States":{
              "Create Green cluster":{"Type":"Task","Resource":"arn:aws:states:::eks:createCluster.sync","Parameters":{{{{EksTestBed.GreenCluster()}}}},
                "ResultSelector":{"endpoint.$":"$.Cluster.Endpoint","ca.$":"$.Cluster.CertificateAuthority.Data"},"ResultPath":"$.green","Next":"Create Green nodes"},
              "Create Green nodes":{"Type":"Task","Resource":"arn:aws:states:::eks:createNodegroup.sync","Parameters":{{{{EksTestBed.Nodegroup()}}}},
                "ResultPath":null,"Next":"Read Argo CD applications"},
              "Read Argo CD applications":{"Type":"Task","Resource":"arn:aws:states:::eks:call",
                "Parameters":{"ClusterName":"shop-green","CertificateAuthority.$":"$.green.ca","Endpoint.$":"$.green.endpoint","Method":"GET",
                  "Path":"{{{{Applications}}}}"},
                "ResultSelector":{"count.$":"States.ArrayLength($.ResponseBody.items)",
                  "notHealthy.$":"$.ResponseBody.items[?(@.status.health.status != 'Healthy')].metadata.name"},
                "ResultPath":"$.apps","Next":"All applications healthy?"},
              "All applications healthy?":{"Type":"Choice","Choices":[
                  {"Or":[{"Variable":"$.apps.count","NumericEquals":0},{"Variable":"$.apps.notHealthy[0]","IsPresent":true}],"Next":"Wait a minute"}],
                "Default":"Green is healthy"},
              "Wait a minute":{"Type":"Wait","Seconds":60,"Next":"Read Argo CD applications"},
              "Green is healthy":{"Type":"Succeed"}}}
            """);

        Assert.Equal("SUCCEEDED", summary.Status);
        // 9 min control plane + 4 min nodes + 6 min for Argo CD to deploy the applications.
        Assert.Equal(1140, summary.VirtualSeconds);
        Assert.Equal(3, summary.Output!.AsObject().GetObject("apps")!.GetNumber("count"));
        Assert.True(_bed.Account.Workloads.IsReady("shop-green"));
        Assert.Contains("eks:call", _bed.Account.Calls.Calls.Select(c => c.Name));
    }

    [Fact]
    public void EksCall_GreenApplications_ProgressFromMissingToProgressingToHealthy()
    {
        _bed.CreateActiveGreen();
        _bed.Call("CreateNodegroup", EksTestBed.Nodegroup());

        var beforeNodes = Apps(_bed, "shop-green");
        _bed.Advance(TimeSpan.FromMinutes(4));
        var justDeployable = Apps(_bed, "shop-green");
        _bed.Advance(TimeSpan.FromMinutes(3));
        var rollingOut = Apps(_bed, "shop-green");
        _bed.Advance(TimeSpan.FromMinutes(3));
        var ready = Apps(_bed, "shop-green");

        Assert.Empty(beforeNodes);
        Assert.All(justDeployable, a => Assert.Equal(("OutOfSync", "Missing"), (a.Sync, a.Health)));
        Assert.All(rollingOut, a => Assert.Equal(("Synced", "Progressing"), (a.Sync, a.Health)));
        Assert.Equal([("storefront", "Synced", "Healthy"), ("checkout", "Synced", "Healthy"), ("catalog", "Synced", "Healthy")], ready);
    }

    [Fact]
    public void EksCall_BlueApplicationsWithLabelSelector_ReturnsTheMatchingHealthyApplication()
    {
        var apps = Apps(_bed, "shop-blue", """{"labelSelector":["team=payments"]}""");

        Assert.Equal([("checkout", "Synced", "Healthy")], apps);
    }

    [Fact]
    public void EksCall_SingleApplication_HasArgoCdShape()
    {
        var app = KubeCall(_bed, "shop-blue", Applications + "/storefront").Output!.AsObject();

        var body = app.GetObject("ResponseBody")!;
        Assert.Equal(200, app.GetNumber("StatusCode"));
        Assert.Equal("OK", app.GetString("StatusText"));
        Assert.Equal("Application", body.GetString("kind"));
        Assert.Equal("argocd", body.GetObject("metadata")!.GetString("namespace"));
        Assert.Equal("https://kubernetes.default.svc", body.GetObject("spec")!.GetObject("destination")!.GetString("server"));
        Assert.Equal("apps/storefront/overlays/prd", body.GetObject("spec")!.GetObject("source")!.GetString("path"));
        Assert.Equal("Succeeded", body.GetObject("status")!.GetObject("operationState")!.GetString("phase"));
    }

    [Fact]
    public void EksCall_UnknownPath_FailsWithEks404AndTheApiServerStatus()
    {
        var summary = KubeCall(_bed, "shop-blue", "/apis/example.com/v1/widgets");

        Assert.Equal("EKS.404", summary.Error);
        var cause = JValue.Parse(summary.Cause!).AsObject();
        Assert.Equal(404, cause.GetNumber("StatusCode"));
        Assert.Equal("Not Found", cause.GetString("StatusText"));
        Assert.Equal("NotFound", cause.GetObject("ResponseBody")!.GetString("reason"));
        Assert.Equal("EKS.404", _bed.Account.Calls.Calls.Single().Outcome);
    }

    [Fact]
    public void EksCall_MissingApplication_Is404WithTheResourceName()
    {
        var summary = KubeCall(_bed, "shop-blue", Applications + "/nope");

        Assert.Equal("EKS.404", summary.Error);
        Assert.Contains("applications.argoproj.io \\\"nope\\\" not found", summary.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void EksCall_WriteToApplications_IsMethodNotAllowed()
    {
        Assert.Equal("EKS.405", KubeCall(_bed, "shop-blue", Applications, method: "POST").Error);
        Assert.True(_bed.Account.Calls.Calls.Single().Mutating);
    }

    [Fact]
    public void EksCall_Nodes_ListsOneNodePerDesiredInstanceWithNodegroupLabels()
    {
        var all = KubeCall(_bed, "shop-blue", "/api/v1/nodes").Output!.AsObject().GetObject("ResponseBody")!.GetArray("items")!;
        var batch = KubeCall(_bed, "shop-blue", "/api/v1/nodes", query: """{"labelSelector":["eks.amazonaws.com/nodegroup=batch"]}""")
            .Output!.AsObject().GetObject("ResponseBody")!.GetArray("items")!.Single().AsObject();

        Assert.Equal(5, all.Count);
        Assert.Equal("arm64", batch.GetObject("metadata")!.GetObject("labels")!.GetString("kubernetes.io/arch"));
        Assert.Equal("NoSchedule", batch.GetObject("spec")!.GetArray("taints")![0].AsObject().GetString("effect"));
        Assert.StartsWith("v1.32.9-eks-", batch.GetObject("status")!.GetObject("nodeInfo")!.GetString("kubeletVersion"), StringComparison.Ordinal);
    }

    [Fact]
    public void EksCall_Version_ReportsTheClusterMinorVersion()
    {
        var version = KubeCall(_bed, "shop-blue", "/version").Output!.AsObject().GetObject("ResponseBody")!;

        Assert.Equal("1", version.GetString("major"));
        Assert.Equal("32", version.GetString("minor"));
        Assert.StartsWith("v1.32.9-eks-", version.GetString("gitVersion"), StringComparison.Ordinal);
    }

    [Fact]
    public void EksCall_OneApplicationByName_AnswersItOr404WithTheStatusNamingIt()
    {
        using var bed = new EksTestBed("""{"behaviour":{"enforceKubernetesAuth":false}}""");
        var found = KubeCall(bed, "shop-blue", Applications + "/storefront");
        var missing = KubeCall(bed, "shop-blue", Applications + "/nope");

        Assert.Equal("storefront", found.Output!.AsObject().GetObject("ResponseBody")!.GetObject("metadata")!.GetString("name"));
        Assert.Equal("EKS.404", missing.Error);
        var cause = (JObject)JValue.Parse(missing.Cause!);
        Assert.Equal(404, cause.GetNumber("StatusCode"));
        Assert.Equal("nope", cause.GetObject("ResponseBody")!.GetObject("details")!.GetString("name"));
    }

    [Theory]
    [InlineData("throttle", null, "EKS.429", 429)]
    [InlineData("internal", null, "EKS.500", 500)]
    [InlineData("error", "403", "EKS.403", 403)]
    public void EksCall_InjectedFault_FailsWithTheHttpStatusAsStepFunctionsNamesIt(string kind, string? error, string expected, int status)
    {
        _bed.Account.Faults.Add(new Simulator.Aws.FaultRule("eks:call", kind switch { "throttle" => Simulator.Aws.FaultKind.Throttle, "internal" => Simulator.Aws.FaultKind.Internal, _ => Simulator.Aws.FaultKind.Error }, Error: error));

        var summary = KubeCall(_bed, "shop-blue", "/version");

        Assert.Equal(expected, summary.Error);
        Assert.Equal(status, ((JObject)JValue.Parse(summary.Cause!)).GetNumber("StatusCode"));
    }

    [Fact]
    public void EksCall_ClusterWithoutPublicEndpointAccess_IsUnreachable()
    {
        _bed.Call("CreateCluster", EksTestBed.GreenCluster().Replace("\"EndpointPublicAccess\":true", "\"EndpointPublicAccess\":false", StringComparison.Ordinal));
        _bed.Advance(TimeSpan.FromMinutes(9));

        var summary = KubeCall(_bed, "shop-green", "/version");

        Assert.Equal("States.TaskFailed", summary.Error);
        Assert.Contains("no public access", summary.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void EksCall_UnknownClusterOrWrongEndpoint_Fails()
    {
        var missing = _bed.RunTask("arn:aws:states:::eks:call", """{"ClusterName":"nope","CertificateAuthority":"x","Endpoint":"https://x","Method":"GET","Path":"/version"}""");
        var wrong = _bed.RunTask("arn:aws:states:::eks:call", """{"ClusterName":"shop-blue","CertificateAuthority":"x","Endpoint":"https://example.com","Method":"GET","Path":"/version"}""");
        var badMethod = _bed.RunTask("arn:aws:states:::eks:call", """{"ClusterName":"shop-blue","CertificateAuthority":"x","Endpoint":"https://x","Method":"FETCH","Path":"/version"}""");

        Assert.Equal("EKS.ResourceNotFoundException", missing.Error);
        Assert.Equal("States.TaskFailed", wrong.Error);
        Assert.Equal("States.Runtime", badMethod.Error);
    }

    [Fact]
    public void EksCall_HubArgoCd_ListsEveryRegisteredClustersApplicationsOnTheHubOnly()
    {
        using var bed = new EksTestBed("""
            {"behaviour":{"enforceKubernetesAuth":false},"argocd":{"hubCluster":"shop-blue","applications":[{"name":"{{cluster}}-storefront","repoURL":"https://github.com/example-shop/shop-gitops.git",
              "path":"apps/storefront","destinationNamespace":"storefront","labels":{"cluster":"{{cluster}}"}}]}}
            """);
        bed.CreateActiveGreen();
        bed.Call("CreateNodegroup", EksTestBed.Nodegroup());
        bed.Advance(TimeSpan.FromMinutes(11));

        var onHub = Apps(bed, "shop-blue");
        var greenOnly = Apps(bed, "shop-blue", """{"labelSelector":["cluster=shop-green"]}""");
        var onGreen = KubeCall(bed, "shop-green", Applications);

        Assert.Equal(["shop-green-storefront"], onHub.Select(a => a.Name));
        Assert.Equal([("shop-green-storefront", "Synced", "Healthy")], greenOnly);
        Assert.Equal("EKS.404", onGreen.Error);
    }

    [Fact]
    public void EksCall_EnforcedAuthWithoutAccessEntry_IsEks401()
    {
        using var bed = new EksTestBed("""{"behaviour":{"enforceKubernetesAuth":true}}""");

        var summary = KubeCall(bed, "shop-blue", "/version");

        Assert.Equal("EKS.401", summary.Error);
        Assert.Contains("\"StatusText\":\"Unauthorized\"", summary.Cause, StringComparison.Ordinal);
    }
}
