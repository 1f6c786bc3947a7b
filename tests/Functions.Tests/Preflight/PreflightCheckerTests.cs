using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Preflight;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.Preflight;

public class PreflightCheckerTests
{
    private static PreflightRequest Request(
        EksCluster? cluster = null,
        IReadOnlyList<ClusterVersionInformation>? versions = null,
        IReadOnlyList<InsightSummary>? insights = null,
        IReadOnlyList<Nodegroup>? nodegroups = null) => new()
        {
            Plan = Inputs.AlbPlan(),
            Cluster = cluster ?? BlueCluster.Cluster(),
            ClusterVersions = versions ?? [BlueCluster.Version("1.34", "STANDARD_SUPPORT")],
            Insights = insights ?? [],
            Nodegroups = nodegroups ?? [BlueCluster.Nodegroup("general", "AL2023_x86_64_STANDARD")],
        };

    private static InsightSummary Insight(string status, string kubernetesVersion, string name = "Deprecated APIs removed in Kubernetes v1.33") => new()
    {
        Id = "a1b2c3d4-0000-1111-2222-333344445555",
        Name = name,
        Category = "UPGRADE_READINESS",
        KubernetesVersion = kubernetesVersion,
        InsightStatus = new InsightStatus { Status = status, Reason = "2 clients use removed APIs" },
    };

    [Fact]
    public void Check_HealthyBlue_PassesAndListsSkippedVersions()
    {
        var result = PreflightChecker.Check(Request());

        Assert.Equal("1.32", result.BlueVersion);
        Assert.Equal("1.34", result.TargetVersion);
        Assert.Equal(["1.33"], result.VersionsSkipped);
        Assert.Equal("STANDARD_SUPPORT", result.TargetVersionStatus);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("1.34", "is Blue's current version")]
    [InlineData("1.35", "is older than Blue's version 1.35")]
    public void Check_TargetNotNewer_ThrowsInvalidInput(string blueVersion, string expected)
    {
        var error = Assert.Throws<InvalidInput>(() => PreflightChecker.Check(Request(cluster: BlueCluster.Cluster() with { Version = blueVersion })));

        Assert.Contains(error.Problems, p => p.StartsWith("targetVersion:", StringComparison.Ordinal) && p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_TargetUnknownToEks_ThrowsInvalidInput()
    {
        var error = Assert.Throws<InvalidInput>(() => PreflightChecker.Check(Request(versions: [BlueCluster.Version("1.33", "STANDARD_SUPPORT")])));

        Assert.Contains("EKS does not offer Kubernetes 1.34", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EXTENDED_SUPPORT", null, "in extended support")]
    [InlineData(null, "extended-support", "in extended support")]
    [InlineData("UNSUPPORTED", null, "unsupported")]
    public void Check_TargetNotInStandardSupport_ThrowsInvalidInput(string? versionStatus, string? legacyStatus, string expected)
    {
        var version = new ClusterVersionInformation { ClusterVersion = "1.34", VersionStatus = versionStatus, Status = legacyStatus };

        var error = Assert.Throws<InvalidInput>(() => PreflightChecker.Check(Request(versions: [version])));

        Assert.Contains(expected + ", not in standard support", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LegacyStandardSupportStatus_IsAccepted()
    {
        var version = new ClusterVersionInformation { ClusterVersion = "1.34", Status = "standard-support" };

        Assert.Equal("STANDARD_SUPPORT", PreflightChecker.Check(Request(versions: [version])).TargetVersionStatus);
    }

    [Fact]
    public void Check_BlueNotActive_ThrowsPreflightFailed()
    {
        var error = Assert.Throws<PreflightFailed>(() => PreflightChecker.Check(Request(cluster: BlueCluster.Cluster() with { Status = "UPDATING" })));

        Assert.Contains("is UPDATING, not ACTIVE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ErrorInsightOnTheWayToTarget_ThrowsPreflightFailed()
    {
        var error = Assert.Throws<PreflightFailed>(() => PreflightChecker.Check(Request(insights: [Insight("ERROR", "1.33")])));

        Assert.Contains("upgrade insight \"Deprecated APIs removed in Kubernetes v1.33\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 clients use removed APIs", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.32")] // about the upgrade to Blue's own version: already past
    [InlineData("1.35")] // beyond the target
    public void Check_ErrorInsightOffThePath_DoesNotBlock(string about)
    {
        var result = PreflightChecker.Check(Request(insights: [Insight("ERROR", about)]));

        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Check_WarningAndPassingInsights_OnlyWarn()
    {
        var result = PreflightChecker.Check(Request(insights: [Insight("WARNING", "1.34", "Kubelet version skew"), Insight("PASSING", "1.33")]));

        var warning = Assert.Single(result.Warnings);
        Assert.Contains("Kubelet version skew", warning, StringComparison.Ordinal);
        Assert.Equal(2, result.InsightsChecked);
    }

    [Fact]
    public void Check_CustomAmiNodegroup_IsRefusedWithAClearMessage()
    {
        var custom = BlueCluster.Nodegroup("gpu", "CUSTOM").WithLaunchTemplate();

        var error = Assert.Throws<PreflightFailed>(() => PreflightChecker.Check(Request(nodegroups: [custom])));

        Assert.Contains("nodegroup gpu uses a custom AMI (AmiType CUSTOM)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Kubernetes 1.34", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Al2NodegroupForTarget133Plus_WarnsAboutTheMove()
    {
        var result = PreflightChecker.Check(Request(nodegroups: [BlueCluster.Nodegroup("general", "AL2_x86_64")]));

        Assert.Contains(result.Warnings, w => w.Contains("AL2023_x86_64_STANDARD", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_Al2GpuNodegroupOnInferentia_WarnsItMovesToTheNeuronAmi()
    {
        var result = PreflightChecker.Check(Request(nodegroups: [BlueCluster.Nodegroup("ml", "AL2_x86_64_GPU") with { InstanceTypes = ["inf2.xlarge"] }]));

        Assert.Contains(result.Warnings, w => w.StartsWith("nodegroup ml uses AL2_x86_64_GPU; Green's copy will use AL2023_x86_64_NEURON", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_BlueWithFargateProfiles_IsRefusedNamingThemAndWhatToDo()
    {
        var error = Assert.Throws<PreflightFailed>(() => PreflightChecker.Check(Request() with { FargateProfiles = ["batch-jobs", "reports"] }));

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("cluster shop-blue has Fargate profiles (batch-jobs, reports), which Blue/Green upgrades do not copy to Green", problem, StringComparison.Ordinal);
        Assert.Contains("Move those workloads to nodegroups and delete the profiles, or upgrade this cluster in place", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NoFargateProfiles_Passes()
    {
        Assert.Equal("1.34", PreflightChecker.Check(Request() with { FargateProfiles = [] }).TargetVersion);
    }

    private static BlueGreen.Functions.Planning.UpgradePlan ArgoPlan() => Inputs.Plan(Inputs.Alb().With("health.applications", "{\"names\":[\"shop-web\"]}"));

    private static EksCluster Endpoint(bool publicAccess, params string[] cidrs) => BlueCluster.Cluster() with
    {
        ResourcesVpcConfig = BlueCluster.Cluster().ResourcesVpcConfig! with { EndpointPublicAccess = publicAccess, EndpointPrivateAccess = true, PublicAccessCidrs = cidrs },
    };

    [Fact]
    public void Check_ArgoHealthWithAPrivateEndpoint_IsRefusedBeforeAnythingIsCreated()
    {
        var error = Assert.Throws<PreflightFailed>(() => PreflightChecker.Check(Request(cluster: Endpoint(false)) with { Plan = ArgoPlan() }));

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("health.applications: Argo CD health is read through Step Functions' eks:call, which reaches only Kubernetes API endpoints with public access", problem, StringComparison.Ordinal);
        Assert.Contains("Remove health.applications", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ArgoHealthWithAPublicEndpointRestrictedByCidrs_WarnsWhy()
    {
        var result = PreflightChecker.Check(Request(cluster: Endpoint(true, "203.0.113.0/24")) with { Plan = ArgoPlan() });

        Assert.Contains(result.Warnings, w => w.StartsWith("health.applications: Green copies shop-blue's public endpoint restricted to 203.0.113.0/24", StringComparison.Ordinal)
            && w.Contains("Step Functions' own AWS addresses", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_ArgoHealthWithAnOpenPublicEndpoint_NeitherRefusesNorWarns()
    {
        var result = PreflightChecker.Check(Request(cluster: Endpoint(true, "0.0.0.0/0")) with { Plan = ArgoPlan() });

        Assert.DoesNotContain(result.Warnings, w => w.StartsWith("health.applications", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_PrivateEndpointWithoutArgoHealth_Passes()
    {
        Assert.Equal("1.34", PreflightChecker.Check(Request(cluster: Endpoint(false))).TargetVersion);
    }

    [Fact]
    public void Check_EveryProblemAtOnce_TargetProblemsFirstThenBlueProblems()
    {
        var error = Assert.Throws<InvalidInput>(() => PreflightChecker.Check(Request(
            cluster: BlueCluster.Cluster() with { Status = "FAILED", Version = "1.34" },
            nodegroups: [BlueCluster.Nodegroup("gpu", "CUSTOM")])));

        Assert.StartsWith("targetVersion:", error.Problems[0], StringComparison.Ordinal);
        Assert.Contains(error.Problems, p => p.StartsWith("also: cluster shop-blue is FAILED", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("also: nodegroup gpu uses a custom AMI", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_WrongClusterDescribed_ThrowsPreflightFailed()
    {
        var error = Assert.Throws<PreflightFailed>(() => PreflightChecker.Check(Request(cluster: BlueCluster.Cluster() with { Name = "other" })));

        Assert.Contains("the described cluster is \"other\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ConfigMapOnlyAuthentication_Warns()
    {
        var cluster = BlueCluster.Cluster() with { AccessConfig = new AccessConfigResponse { AuthenticationMode = "CONFIG_MAP" } };

        var result = PreflightChecker.Check(Request(cluster: cluster));

        Assert.Contains(result.Warnings, w => w.Contains("aws-auth", StringComparison.Ordinal));
    }
}
