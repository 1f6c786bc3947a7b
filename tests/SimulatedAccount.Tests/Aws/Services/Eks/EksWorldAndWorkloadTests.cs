using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.Eks;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Aws.Services.Eks;

public sealed class EksWorldAndWorkloadTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static void CreateGreenWithNodes(EksTestBed bed)
    {
        bed.CreateActiveGreen();
        bed.Call("CreateNodegroup", EksTestBed.Nodegroup());
        bed.Advance(TimeSpan.FromMinutes(4));
    }

    [Fact]
    public void DefaultWorld_Loads_WithTheNamesOtherChecksRelyOn()
    {
        using var bed = new EksTestBed();
        var blue = bed.Eks.FindCluster("shop-blue")!;

        Assert.Equal("ap-northeast-2", bed.Account.Region);
        Assert.Equal("111122223333", bed.Account.AccountId);
        Assert.Equal(["shop-blue"], bed.Eks.Clusters.Select(c => c.Name));
        Assert.Equal(("1.32", "ACTIVE", "API_AND_CONFIG_MAP"), (blue.Version, blue.Status, blue.AuthenticationMode));
        var general = blue.Nodegroups["general"];
        Assert.Equal(("AL2_x86_64", "ON_DEMAND", "m6i.large", 3, 10, 4), (general.AmiType, general.CapacityType, general.InstanceTypes.Single(), general.MinSize, general.MaxSize, general.DesiredSize));
        var batch = blue.Nodegroups["batch"];
        Assert.Equal(("AL2_ARM_64", "SPOT", 0, 5, 1), (batch.AmiType, batch.CapacityType, batch.MinSize, batch.MaxSize, batch.DesiredSize));
        Assert.NotEmpty(batch.Taints);
        Assert.Equal(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"], blue.Addons.Keys.Order(StringComparer.Ordinal));
        Assert.All(blue.Addons.Values, a => Assert.Contains(a.Version, AddonCatalog.Find(a.Name)!.CompatibleWith("1.32").Select(v => v.Version)));
        Assert.Equal(2, blue.PodIdentityAssociations.Count);
        Assert.Contains(blue.PodIdentityAssociations.Values, a => a.Namespace == "kube-system" && a.ServiceAccount == "ebs-csi-controller-sa");
        Assert.Equal(2, blue.AccessEntries.Count);
        Assert.All(blue.AccessEntries.Values, e => Assert.Single(e.Policies));
        Assert.Contains(blue.AccessEntries.Keys, p => p.Contains("argocd", StringComparison.Ordinal));
        Assert.True(bed.Account.Workloads.IsReady("shop-blue"));
        Assert.False(bed.Account.Workloads.IsFaulty("shop-blue"));
        Assert.Equal(3, bed.Eks.ArgoCd.Applications.Count);
    }

    [Fact]
    public void Seed_WorldWithMistakes_ReportsEveryProblemAtOnce()
    {
        var scenario = Scenario.FromJson("bad-eks", (JObject)JValue.Parse("""
            {"services":{"eks":{"clusterz":[],"behaviour":{"clusterCreateMinutes":-1},"clusters":[
              {"name":"old","version":"1.33","roleArn":"arn:aws:iam::111122223333:role/r","colour":"blue",
               "nodegroups":[{"name":"ng","amiType":"AL2_x86_64","nodeRole":"arn:aws:iam::111122223333:role/n"}],
               "addons":[{"name":"kube-proxy","version":"v1.32.0-eksbuild.2"}]}]}}}
            """));

        var e = Assert.Throws<ScenarioException>(() => AccountFactory.Create(scenario));

        Assert.Contains("unknown field 'clusterz'", e.Message, StringComparison.Ordinal);
        Assert.Contains("unknown field 'colour'", e.Message, StringComparison.Ordinal);
        Assert.Contains("clusterCreateMinutes must be a non-negative number", e.Message, StringComparison.Ordinal);
        Assert.Contains("AMI Type AL2_x86_64 is only supported for kubernetes versions 1.32 or earlier", e.Message, StringComparison.Ordinal);
        Assert.Contains("version 'v1.32.0-eksbuild.2' of kube-proxy is not compatible with Kubernetes 1.33", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attach_RegistersTheEksEventActions()
    {
        using var account = AccountFactory.Create();

        Assert.Subset(account.EventActionNames.ToHashSet(), new HashSet<string> { "failCluster", "failNodegroup", "degradeAddon", "setWorkloadsReady", "setWorkloadsFaulty", "addInsight" });
    }

    [Fact]
    public void Workloads_Green_BecomeReadyAppsReadyMinutesAfterItsNodegroupsAreActive()
    {
        using var bed = new EksTestBed();
        CreateGreenWithNodes(bed);

        Assert.False(bed.Account.Workloads.IsReady("shop-green"));
        bed.Advance(TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(1));

        var state = bed.Account.Workloads.Get("shop-green");
        Assert.True(state.Ready);
        Assert.Equal(Start + TimeSpan.FromMinutes(9 + 4 + 6), state.ReadySince);
    }

    [Fact]
    public void Workloads_SecondNodegroupStillCreating_WaitsForAllNodegroups()
    {
        using var bed = new EksTestBed();
        bed.CreateActiveGreen();
        bed.Call("CreateNodegroup", EksTestBed.Nodegroup());
        bed.Advance(TimeSpan.FromMinutes(2));
        bed.Call("CreateNodegroup", EksTestBed.Nodegroup(name: "batch", amiType: "AL2023_ARM_64_STANDARD", instanceType: "m7g.large"));

        bed.Advance(TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(1));
        Assert.False(bed.Account.Workloads.IsReady("shop-green"));
        bed.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal(Start + TimeSpan.FromMinutes(9 + 2 + 4 + 6), bed.Account.Workloads.Get("shop-green").ReadySince);
    }

    [Fact]
    public void Workloads_GitOpsRegistrationRequired_WaitForTheArgoCdClusterSecret()
    {
        using var bed = new EksTestBed("""{"behaviour":{"requireGitOpsRegistration":true}}""");
        CreateGreenWithNodes(bed);

        bed.Advance(TimeSpan.FromMinutes(30));
        Assert.False(bed.Account.Workloads.IsReady("shop-green"));
        bed.Account.Workloads.MarkGitOpsRegistered("shop-green");
        bed.Advance(TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(1));

        Assert.True(bed.Account.Workloads.IsReady("shop-green"));
        Assert.True(bed.Account.Workloads.IsReady("shop-blue"));
    }

    [Fact]
    public void Workloads_GreenNeverHealthy_NeverReadyAndApplicationsDegraded()
    {
        using var bed = new EksTestBed("""{"behaviour":{"greenNeverHealthy":true}}""");
        CreateGreenWithNodes(bed);

        bed.Advance(TimeSpan.FromHours(2));

        Assert.False(bed.Account.Workloads.IsReady("shop-green"));
        var green = bed.Eks.FindCluster("shop-green")!;
        var app = bed.Eks.KubernetesApi(green, "GET", "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/checkout", JObject.Empty);
        Assert.Equal("Degraded", app.Body.AsObject().GetObject("status")!.GetObject("health")!.GetString("status"));
    }

    [Fact]
    public void Workloads_GreenFaulty_BecomesReadyButFaulty()
    {
        using var bed = new EksTestBed("""{"behaviour":{"greenFaulty":true}}""");
        CreateGreenWithNodes(bed);
        bed.Advance(TimeSpan.FromMinutes(7));

        Assert.True(bed.Account.Workloads.IsReady("shop-green"));
        Assert.True(bed.Account.Workloads.IsFaulty("shop-green"));
        Assert.False(bed.Account.Workloads.IsFaulty("shop-blue"));
    }

    [Fact]
    public void Workloads_ClusterDeleted_AreNoLongerReady()
    {
        using var bed = new EksTestBed();
        CreateGreenWithNodes(bed);
        bed.Advance(TimeSpan.FromMinutes(7));

        bed.Call("DeleteNodegroup", """{"ClusterName":"shop-green","NodegroupName":"general"}""");
        bed.Advance(TimeSpan.FromMinutes(3));
        bed.Call("DeleteCluster", """{"Name":"shop-green"}""");

        Assert.False(bed.Account.Workloads.IsReady("shop-green"));
        Assert.Equal("DELETING", bed.Status("shop-green"));
    }

    [Fact]
    public void Events_ScenarioTimeline_DrivesNodegroupsAddonsInsightsAndWorkloads()
    {
        var scenario = Scenario.FromJson("eks-events", (JObject)JValue.Parse("""
            {"world":"default","events":[
              {"at":"5m","do":"failNodegroup","cluster":"shop-blue","nodegroup":"batch","code":"AsgInstanceLaunchFailures","message":"Spot capacity not available"},
              {"at":"6m","do":"degradeAddon","cluster":"shop-blue","addon":"coredns"},
              {"at":"7m","do":"addInsight","cluster":"shop-blue","name":"Cluster health issues","category":"MISCONFIGURATION","status":"ERROR","reason":"Subnet has too few free IPs"},
              {"at":"8m","do":"setWorkloadsFaulty","cluster":"shop-green"},
              {"at":"9m","do":"setWorkloadsReady","cluster":"shop-blue","ready":false},
              {"at":"10m","do":"failNodegroup","cluster":"shop-green","nodegroup":"general"}]}
            """));
        using var account = AccountFactory.Create(scenario);
        account.Scheduler.Advance(TimeSpan.FromMinutes(11));
        var eks = account.Service<EksService>();
        var blue = eks.FindCluster("shop-blue")!;

        Assert.Equal("DEGRADED", blue.Nodegroups["batch"].Status);
        Assert.Equal("AsgInstanceLaunchFailures", blue.Nodegroups["batch"].HealthIssues.Single().Code);
        Assert.Equal("DEGRADED", blue.Addons["coredns"].Status);
        Assert.Contains(blue.Insights, i => i.Name == "Cluster health issues" && i.Status == "ERROR");
        Assert.True(account.Workloads.IsFaulty("shop-green"));
        Assert.False(account.Workloads.IsReady("shop-blue"));
        // shop-green did not exist yet: its nodegroup "general" will fail when it is created.
        Assert.Equal("CREATE_FAILED", eks.Behaviour.NodegroupOutcomes["shop-green/general"]);
    }

    [Fact]
    public void Behaviour_ConfiguredTimings_ApplyToSyncTasks()
    {
        using var bed = new EksTestBed("""{"behaviour":{"clusterCreateMinutes":12,"syncPollSeconds":30}}""");

        var summary = bed.RunTask("arn:aws:states:::eks:createCluster.sync", EksTestBed.GreenCluster());

        Assert.Equal(720, summary.VirtualSeconds);
    }

    [Fact]
    public void CreateClusterSync_TaskTimeoutShorterThanCreation_TimesOutAndLeavesTheClusterCreating()
    {
        using var bed = new EksTestBed();

        var summary = bed.Run($$$$"""
            {"StartAt":"Create","States":{"Create":{"Type":"Task","Resource":"arn:aws:states:::eks:createCluster.sync",
              "TimeoutSeconds":300,"Parameters":{{{{EksTestBed.GreenCluster()}}}},"End":true}}}
            """);

        Assert.Equal("States.Timeout", summary.Error);
        Assert.Equal(300, summary.VirtualSeconds);
        Assert.Equal("CREATING", bed.Status("shop-green"));
    }
}
