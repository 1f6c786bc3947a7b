using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Services.Eks;

public sealed class EksNodegroupAndAddonTests : IDisposable
{
    private readonly EksTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private JObject DescribeAddon(string addon) =>
        _bed.Call("DescribeAddon", $$"""{"ClusterName":"shop-green","AddonName":"{{addon}}"}""").GetObject("Addon")!;

    [Fact]
    public void DescribeNodegroup_BlueBatch_HasSpotArmTaintedShape()
    {
        var nodegroup = _bed.Call("DescribeNodegroup", """{"ClusterName":"shop-blue","NodegroupName":"batch"}""").GetObject("Nodegroup")!;

        Assert.Equal("AL2_ARM_64", nodegroup.GetString("AmiType"));
        Assert.Equal("SPOT", nodegroup.GetString("CapacityType"));
        Assert.Equal("""{"MinSize":0,"MaxSize":5,"DesiredSize":1}""", nodegroup.GetObject("ScalingConfig")!.ToJson());
        Assert.Equal("""[{"Key":"workload","Value":"batch","Effect":"NO_SCHEDULE"}]""", nodegroup.GetArray("Taints")!.ToJson());
        Assert.Equal("batch", nodegroup.GetObject("Labels")!.GetString("workload"));
        Assert.StartsWith("arn:aws:eks:ap-northeast-2:111122223333:nodegroup/shop-blue/batch/", nodegroup.GetString("NodegroupArn"), StringComparison.Ordinal);
        Assert.StartsWith("eks-batch-", nodegroup.GetObject("Resources")!.GetArray("AutoScalingGroups")![0].AsObject().GetString("Name"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AL2_x86_64", "m6i.large")]
    [InlineData("AL2_ARM_64", "m7g.large")]
    [InlineData("AL2_x86_64_GPU", "g5.xlarge")]
    public void CreateNodegroup_AmazonLinux2At133_IsRefusedWithAwsWording(string amiType, string instanceType)
    {
        _bed.CreateActiveGreen();

        var e = _bed.CallFails("CreateNodegroup", EksTestBed.Nodegroup(amiType: amiType, instanceType: instanceType));

        Assert.Equal("Eks.InvalidParameterException", e.Error);
        Assert.Equal($"AMI Type {amiType} is only supported for kubernetes versions 1.32 or earlier", e.Cause);
    }

    [Fact]
    public void CreateNodegroup_AmazonLinux2At132_IsAccepted()
    {
        _bed.CreateActiveGreen(version: "1.32");

        var created = _bed.Call("CreateNodegroup", EksTestBed.Nodegroup(amiType: "AL2_x86_64"));

        Assert.Equal("CREATING", created.GetObject("Nodegroup")!.GetString("Status"));
    }

    [Fact]
    public void CreateNodegroup_CustomAmiWithoutLaunchTemplate_IsRefused()
    {
        _bed.CreateActiveGreen();

        var e = _bed.CallFails("CreateNodegroup", EksTestBed.Nodegroup(amiType: "CUSTOM"));

        Assert.Equal("Eks.InvalidParameterException", e.Error);
        Assert.Contains("launch template", e.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateNodegroup_ArmAmiWithX86Instances_IsRefused()
    {
        _bed.CreateActiveGreen();

        var e = _bed.CallFails("CreateNodegroup", EksTestBed.Nodegroup(amiType: "AL2023_ARM_64_STANDARD", instanceType: "m6i.large"));

        Assert.Equal("Eks.InvalidParameterException", e.Error);
    }

    [Fact]
    public void CreateNodegroup_ReleaseVersionCopiedFromBlue_IsRejectedForTheNewVersion()
    {
        _bed.CreateActiveGreen();

        var e = _bed.CallFails("CreateNodegroup", EksTestBed.Nodegroup(extra: ",\"ReleaseVersion\":\"1.32.9-20251103\""));

        Assert.Equal("Requested release version 1.32.9-20251103 is not valid for kubernetes version 1.33.", e.Cause);
    }

    [Fact]
    public void CreateNodegroup_ClusterStillCreating_IsInvalidRequest()
    {
        _bed.Call("CreateCluster", EksTestBed.GreenCluster());

        var e = _bed.CallFails("CreateNodegroup", EksTestBed.Nodegroup());

        Assert.Equal("Eks.InvalidRequestException", e.Error);
        Assert.Equal("Cluster 'shop-green' is not in ACTIVE status", e.Cause);
    }

    [Fact]
    public void CreateNodegroup_ExistingName_IsResourceInUse()
    {
        var e = _bed.CallFails("CreateNodegroup", EksTestBed.Nodegroup(cluster: "shop-blue", amiType: "AL2_x86_64"));

        Assert.Equal("Eks.ResourceInUseException", e.Error);
        Assert.Equal("NodeGroup already exists with name general and cluster name shop-blue", e.Cause);
    }

    [Fact]
    public void CreateNodegroup_DesiredAboveMax_IsInvalidParameter()
    {
        _bed.CreateActiveGreen();

        var e = _bed.CallFails("CreateNodegroup", EksTestBed.Nodegroup().Replace("\"DesiredSize\":4", "\"DesiredSize\":11", StringComparison.Ordinal));

        Assert.Equal("Desired capacity 11 can't be greater than max size 10", e.Cause);
    }

    [Fact]
    public void CreateNodegroupSync_ThenDeleteNodegroupSync_TakeFourAndThreeVirtualMinutes()
    {
        _bed.CreateActiveGreen();

        var created = _bed.RunTask("arn:aws:states:::eks:createNodegroup.sync", EksTestBed.Nodegroup());
        var deleted = _bed.RunTask("arn:aws:states:::eks:deleteNodegroup.sync", """{"ClusterName":"shop-green","NodegroupName":"general"}""");

        Assert.Equal("SUCCEEDED", created.Status);
        Assert.Equal(240, created.VirtualSeconds);
        Assert.Equal("ACTIVE", created.Output!.AsObject().GetObject("Nodegroup")!.GetString("Status"));
        Assert.Equal("SUCCEEDED", deleted.Status);
        Assert.Equal(180, deleted.VirtualSeconds);
        Assert.Equal("Eks.ResourceNotFoundException", _bed.CallFails("DescribeNodegroup", """{"ClusterName":"shop-green","NodegroupName":"general"}""").Error);
    }

    [Fact]
    public void CreateNodegroupSync_NodesNeverJoin_FailsTheTask()
    {
        using var bed = new EksTestBed("""{"behaviour":{"nodegroupOutcomes":{"shop-green/general":"CREATE_FAILED"}}}""");
        bed.CreateActiveGreen();

        var summary = bed.RunTask("arn:aws:states:::eks:createNodegroup.sync", EksTestBed.Nodegroup());

        Assert.Equal("States.TaskFailed", summary.Error);
        Assert.Contains("NodeCreationFailure", summary.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateNodegroup_OnApiCluster_CreatesTheNodeRoleAccessEntry()
    {
        _bed.CreateActiveGreen();

        _bed.Call("CreateNodegroup", EksTestBed.Nodegroup());
        var entry = _bed.Call("DescribeAccessEntry", $$"""{"ClusterName":"shop-green","PrincipalArn":"{{EksTestBed.NodeRole}}"}""").GetObject("AccessEntry")!;

        Assert.Equal("EC2_LINUX", entry.GetString("Type"));
        Assert.Equal("system:node:{{EC2PrivateDNSName}}", entry.GetString("Username"));
    }

    [Fact]
    public void ListNodegroups_Blue_PaginatesBothNodegroups()
    {
        var first = _bed.Call("ListNodegroups", """{"ClusterName":"shop-blue","MaxResults":1}""");
        var second = _bed.Call("ListNodegroups", $$"""{"ClusterName":"shop-blue","MaxResults":1,"NextToken":"{{first.GetString("NextToken")}}"}""");

        Assert.Equal(["batch"], first.GetArray("Nodegroups")!.Select(n => n.AsString()));
        Assert.Equal(["general"], second.GetArray("Nodegroups")!.Select(n => n.AsString()));
    }

    [Fact]
    public void DescribeAddonVersions_KubeProxyFor133_ListsOnly133BuildsWithOneDefault()
    {
        var addon = _bed.Call("DescribeAddonVersions", """{"KubernetesVersion":"1.33","AddonName":"kube-proxy"}""").GetArray("Addons")!.Single().AsObject();

        var versions = addon.GetArray("AddonVersions")!.Select(v => v.AsObject()).ToList();
        Assert.Equal(["v1.33.3-eksbuild.4", "v1.33.0-eksbuild.2"], versions.Select(v => v.GetString("AddonVersion")));
        var compatibility = versions[1].GetArray("Compatibilities")!.Single().AsObject();
        Assert.Equal("1.33", compatibility.GetString("ClusterVersion"));
        Assert.True(compatibility.GetBool("DefaultVersion"));
        Assert.False(versions[0].GetArray("Compatibilities")!.Single().AsObject().GetBool("DefaultVersion"));
        Assert.Equal("networking", addon.GetString("Type"));
    }

    [Fact]
    public void DescribeAddonVersions_For135_CoversTheFiveAddonsTheWorkflowClones()
    {
        var addons = _bed.Call("DescribeAddonVersions", """{"KubernetesVersion":"1.35"}""").GetArray("Addons")!.Select(a => a.AsObject().GetString("AddonName"));

        Assert.Equal(["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent", "aws-ebs-csi-driver"], addons);
    }

    [Fact]
    public void CreateAddon_VersionForAnotherKubernetesVersion_IsRejected()
    {
        _bed.CreateActiveGreen();

        var e = _bed.CallFails("CreateAddon", """{"ClusterName":"shop-green","AddonName":"kube-proxy","AddonVersion":"v1.32.0-eksbuild.2"}""");

        Assert.Equal("Eks.InvalidParameterException", e.Error);
        Assert.Equal("Addon version specified is not supported", e.Cause);
    }

    [Fact]
    public void CreateAddon_NoVersion_InstallsTheDefaultAndBecomesActiveAfterAMinute()
    {
        _bed.CreateActiveGreen();

        var created = _bed.Call("CreateAddon", """{"ClusterName":"shop-green","AddonName":"vpc-cni"}""").GetObject("Addon")!;
        _bed.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("CREATING", created.GetString("Status"));
        Assert.Equal("v1.19.6-eksbuild.7", created.GetString("AddonVersion"));
        Assert.Equal("ACTIVE", DescribeAddon("vpc-cni").GetString("Status"));
    }

    [Fact]
    public void CreateAddon_CoreDnsBeforeNodes_WaitsForTheFirstNodegroup()
    {
        _bed.CreateActiveGreen();
        _bed.Call("CreateAddon", """{"ClusterName":"shop-green","AddonName":"coredns","AddonVersion":"v1.12.1-eksbuild.2"}""");

        _bed.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("CREATING", DescribeAddon("coredns").GetString("Status"));

        _bed.Call("CreateNodegroup", EksTestBed.Nodegroup());
        _bed.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal("CREATING", DescribeAddon("coredns").GetString("Status"));
        _bed.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("ACTIVE", DescribeAddon("coredns").GetString("Status"));
    }

    [Fact]
    public void CreateAddon_CoreDnsWithoutNodesForTwentyMinutes_TurnsDegraded()
    {
        _bed.CreateActiveGreen();
        _bed.Call("CreateAddon", """{"ClusterName":"shop-green","AddonName":"coredns"}""");

        _bed.Advance(TimeSpan.FromMinutes(20));

        var addon = DescribeAddon("coredns");
        Assert.Equal("DEGRADED", addon.GetString("Status"));
        Assert.Equal("InsufficientNumberOfReplicas", addon.GetObject("Health")!.GetArray("Issues")![0].AsObject().GetString("Code"));
    }

    [Fact]
    public void CreateAddon_ScenarioSaysDegraded_EndsDegraded()
    {
        using var bed = new EksTestBed("""{"behaviour":{"addonOutcomes":{"aws-ebs-csi-driver":"DEGRADED"}}}""");
        bed.CreateActiveGreen();
        bed.Call("CreateNodegroup", EksTestBed.Nodegroup());
        bed.Advance(TimeSpan.FromMinutes(4));

        bed.Call("CreateAddon", """{"ClusterName":"shop-green","AddonName":"aws-ebs-csi-driver","PodIdentityAssociations":[{"ServiceAccount":"ebs-csi-controller-sa","RoleArn":"arn:aws:iam::111122223333:role/shop-ebs-csi-driver"}]}""");
        bed.Advance(TimeSpan.FromMinutes(1));

        var addon = bed.Call("DescribeAddon", """{"ClusterName":"shop-green","AddonName":"aws-ebs-csi-driver"}""").GetObject("Addon")!;
        Assert.Equal("DEGRADED", addon.GetString("Status"));
        var association = addon.GetArray("PodIdentityAssociations")!.Single().AsString();
        Assert.StartsWith("arn:aws:eks:ap-northeast-2:111122223333:podidentityassociation/shop-green/a-", association, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateAddon_OnCreatingClusterOrTwice_FailsAsEksDoes()
    {
        _bed.Call("CreateCluster", EksTestBed.GreenCluster());
        Assert.Equal("Eks.InvalidRequestException", _bed.CallFails("CreateAddon", """{"ClusterName":"shop-green","AddonName":"vpc-cni"}""").Error);

        var duplicate = _bed.CallFails("CreateAddon", """{"ClusterName":"shop-blue","AddonName":"vpc-cni"}""");
        Assert.Equal("Eks.ResourceInUseException", duplicate.Error);
        Assert.Equal("Addon specified is not supported", _bed.CallFails("CreateAddon", """{"ClusterName":"shop-blue","AddonName":"metrics-server-x"}""").Cause);
    }

    [Fact]
    public void ListAddons_Blue_ListsTheFiveAddonsAtVersionsValidFor132()
    {
        var names = _bed.Call("ListAddons", """{"ClusterName":"shop-blue"}""").GetArray("Addons")!.Select(a => a.AsString()).ToList();

        Assert.Equal(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"], names);
        foreach (var name in names)
        {
            var addon = _bed.Call("DescribeAddon", $$"""{"ClusterName":"shop-blue","AddonName":"{{name}}"}""").GetObject("Addon")!;
            var compatible = _bed.Call("DescribeAddonVersions", $$"""{"KubernetesVersion":"1.32","AddonName":"{{name}}"}""")
                .GetArray("Addons")![0].AsObject().GetArray("AddonVersions")!.Select(v => v.AsObject().GetString("AddonVersion"));
            Assert.Contains(addon.GetString("AddonVersion"), compatible);
            Assert.Equal("ACTIVE", addon.GetString("Status"));
        }
    }
}
