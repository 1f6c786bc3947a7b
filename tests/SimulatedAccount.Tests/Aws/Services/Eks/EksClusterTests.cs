using System.Text.RegularExpressions;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Services.Eks;

public sealed partial class EksClusterTests : IDisposable
{
    private readonly EksTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex TimestampRegex();

    [Fact]
    public void DescribeCluster_BlueThroughSdkIntegration_AnswersInStepFunctionsPascalCase()
    {
        var summary = _bed.RunTask("arn:aws:states:::aws-sdk:eks:describeCluster", """{"Name":"shop-blue"}""");

        Assert.Equal("SUCCEEDED", summary.Status);
        var cluster = summary.Output!.AsObject().GetObject("Cluster")!;
        Assert.Equal("shop-blue", cluster.GetString("Name"));
        Assert.Equal("arn:aws:eks:ap-northeast-2:111122223333:cluster/shop-blue", cluster.GetString("Arn"));
        Assert.Equal("1.32", cluster.GetString("Version"));
        Assert.Equal("ACTIVE", cluster.GetString("Status"));
        Assert.Equal("API_AND_CONFIG_MAP", cluster.GetObject("AccessConfig")!.GetString("AuthenticationMode"));
        Assert.Equal(3, cluster.GetObject("ResourcesVpcConfig")!.GetArray("SubnetIds")!.Count);
        Assert.Equal("vpc-0c4e8a2f6b1d3e507", cluster.GetObject("ResourcesVpcConfig")!.GetString("VpcId"));
        Assert.StartsWith("https://", cluster.GetString("Endpoint"), StringComparison.Ordinal);
        Assert.StartsWith("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t", cluster.GetObject("CertificateAuthority")!.GetString("Data"), StringComparison.Ordinal);
        Assert.StartsWith("https://oidc.eks.ap-northeast-2.amazonaws.com/id/", cluster.GetObject("Identity")!.GetObject("Oidc")!.GetString("Issuer"), StringComparison.Ordinal);
        Assert.Matches(TimestampRegex(), cluster.GetString("CreatedAt"));
        Assert.Equal("2025-02-10T03:12:45.000Z", cluster.GetString("CreatedAt"));
        // Map keys are user data: Step Functions leaves their case alone.
        Assert.Equal("blue", cluster.GetObject("Tags")!.GetString("Color"));
        Assert.Null(cluster.GetObject("Tags")!["color"]);
    }

    [Fact]
    public void DescribeCluster_UnknownName_FailsWithEksResourceNotFoundException()
    {
        var summary = _bed.RunTask("arn:aws:states:::aws-sdk:eks:describeCluster", """{"Name":"nope"}""");

        Assert.Equal("FAILED", summary.Status);
        Assert.Equal("Eks.ResourceNotFoundException", summary.Error);
        Assert.Equal("No cluster found for name: nope.", summary.Cause);
    }

    [Fact]
    public void CreateClusterSync_NewGreen_WaitsNineVirtualMinutesForActive()
    {
        var summary = _bed.RunTask("arn:aws:states:::eks:createCluster.sync", EksTestBed.GreenCluster());

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal(540, summary.VirtualSeconds);
        var cluster = summary.Output!.AsObject().GetObject("Cluster")!;
        Assert.Equal("ACTIVE", cluster.GetString("Status"));
        Assert.EndsWith(".gr7.ap-northeast-2.eks.amazonaws.com", cluster.GetString("Endpoint"), StringComparison.Ordinal);
        Assert.Contains(summary.History, e => e.Type == "TaskSubmitted");
        Assert.Equal(["eks:CreateCluster"], _bed.Account.Calls.Calls.Select(c => c.Name));
    }

    [Fact]
    public void CreateCluster_RequestResponse_ReturnsCreatingClusterWithoutEndpointThenBecomesActive()
    {
        var summary = _bed.RunTask("arn:aws:states:::eks:createCluster", EksTestBed.GreenCluster());

        Assert.Equal(0, summary.VirtualSeconds);
        var output = summary.Output!.AsObject();
        Assert.Equal("CREATING", output.GetObject("Cluster")!.GetString("Status"));
        Assert.Null(output.GetObject("Cluster")!["Endpoint"]);
        Assert.Equal(200, output.GetObject("SdkHttpMetadata")!.GetNumber("HttpStatusCode"));

        _bed.Advance(TimeSpan.FromMinutes(8));
        Assert.Equal("CREATING", _bed.Status("shop-green"));
        _bed.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("ACTIVE", _bed.Status("shop-green"));
    }

    [Fact]
    public void CreateCluster_ExistingName_IsResourceInUseUnderBothErrorPrefixes()
    {
        var optimized = _bed.RunTask("arn:aws:states:::eks:createCluster", EksTestBed.GreenCluster("shop-blue"));
        var sdk = _bed.RunTask("arn:aws:states:::aws-sdk:eks:createCluster", EksTestBed.GreenCluster("shop-blue"));

        Assert.Equal("EKS.ResourceInUseException", optimized.Error);
        Assert.Equal("Eks.ResourceInUseException", sdk.Error);
        Assert.Equal("Cluster already exists with name: shop-blue", sdk.Cause);
    }

    [Fact]
    public void CreateCluster_RepeatedClientRequestToken_ReturnsTheSameClusterInsteadOfFailing()
    {
        var request = EksTestBed.GreenCluster(extra: ",\"ClientRequestToken\":\"upgrade-run-42-create-green\"");

        var first = _bed.Call("CreateCluster", request);
        _bed.Advance(TimeSpan.FromMinutes(2));
        var retry = _bed.Call("CreateCluster", request);

        Assert.Equal(first.GetObject("Cluster")!.GetString("Arn"), retry.GetObject("Cluster")!.GetString("Arn"));
        Assert.Equal("upgrade-run-42-create-green", retry.GetObject("Cluster")!.GetString("ClientRequestToken"));
        Assert.Equal(2, _bed.Eks.Clusters.Count);
        var reused = _bed.CallFails("CreateCluster", EksTestBed.GreenCluster("shop-green-2", extra: ",\"ClientRequestToken\":\"upgrade-run-42-create-green\""));
        Assert.Equal("Eks.InvalidParameterException", reused.Error);
    }

    [Fact]
    public void CreateClusterSync_CreationEndsFailed_FailsTheTaskWithTheClusterDescription()
    {
        using var bed = new EksTestBed("""{"behaviour":{"clusterOutcomes":{"shop-green":"FAILED"}}}""");

        var summary = bed.RunTask("arn:aws:states:::eks:createCluster.sync", EksTestBed.GreenCluster());

        Assert.Equal("States.TaskFailed", summary.Error);
        var cause = JValue.Parse(summary.Cause!).AsObject().GetObject("Cluster")!;
        Assert.Equal("FAILED", cause.GetString("Status"));
        Assert.Equal(540, summary.VirtualSeconds);
    }

    [Theory]
    [InlineData("1.27")]
    [InlineData("1.36")]
    [InlineData("2.0")]
    public void CreateCluster_VersionNotOffered_IsInvalidParameter(string version)
    {
        var e = _bed.CallFails("CreateCluster", EksTestBed.GreenCluster(version: version));

        Assert.Equal("Eks.InvalidParameterException", e.Error);
        Assert.Equal($"unsupported Kubernetes version {version}", e.Cause);
    }

    [Fact]
    public void CreateCluster_SubnetsInOneAz_AreRejectedAsEksDoes()
    {
        var e = _bed.CallFails("CreateCluster", """
            {"Name":"one-az","RoleArn":"arn:aws:iam::111122223333:role/r","ResourcesVpcConfig":{"SubnetIds":["subnet-0a1f3c5e7b9d21a01"]}}
            """);

        Assert.Equal("Subnets specified must be in at least two different AZs", e.Cause);
    }

    [Fact]
    public void CreateCluster_ConfigMapWithoutBootstrapAdmin_IsInvalidParameter()
    {
        var e = _bed.CallFails("CreateCluster", EksTestBed.GreenCluster(authenticationMode: "CONFIG_MAP").Replace("\"CONFIG_MAP\"}", "\"CONFIG_MAP\",\"BootstrapClusterCreatorAdminPermissions\":false}", StringComparison.Ordinal));

        Assert.Equal("bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP", e.Cause);
    }

    [Fact]
    public void CreateCluster_NoVersion_UsesTheNewestReleasedVersion()
    {
        var created = _bed.Call("CreateCluster", """
            {"Name":"latest","RoleArn":"arn:aws:iam::111122223333:role/r","ResourcesVpcConfig":{"SubnetIds":["subnet-0a1f3c5e7b9d21a01","subnet-0b2e4d6f8a0c32b02"]}}
            """);

        Assert.Equal("1.35", created.GetObject("Cluster")!.GetString("Version"));
        Assert.Equal("CONFIG_MAP", created.GetObject("Cluster")!.GetObject("AccessConfig")!.GetString("AuthenticationMode"));
    }

    [Fact]
    public void DeleteCluster_WithNodegroups_IsResourceInUse()
    {
        var e = _bed.CallFails("DeleteCluster", """{"Name":"shop-blue"}""");

        Assert.Equal("Eks.ResourceInUseException", e.Error);
        Assert.Equal("Cluster has nodegroups attached", e.Cause);
    }

    [Fact]
    public void DeleteClusterSync_EmptyCluster_ReturnsAfterTheClusterIsGone()
    {
        _bed.CreateActiveGreen();

        var summary = _bed.RunTask("arn:aws:states:::eks:deleteCluster.sync", """{"Name":"shop-green"}""");

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal("DELETING", summary.Output!.AsObject().GetObject("Cluster")!.GetString("Status"));
        Assert.Equal(240, summary.VirtualSeconds);
        Assert.Equal("Eks.ResourceNotFoundException", _bed.CallFails("DescribeCluster", """{"Name":"shop-green"}""").Error);
    }

    [Fact]
    public void ListClusters_Paginates_WithAnOpaqueNextToken()
    {
        _bed.Call("CreateCluster", EksTestBed.GreenCluster("shop-green"));

        var first = _bed.Call("ListClusters", """{"MaxResults":1}""");
        var second = _bed.Call("ListClusters", $$"""{"MaxResults":1,"NextToken":"{{first.GetString("NextToken")}}"}""");

        Assert.Equal(["shop-blue"], first.GetArray("Clusters")!.Select(c => c.AsString()));
        Assert.Equal(["shop-green"], second.GetArray("Clusters")!.Select(c => c.AsString()));
        Assert.Null(second["NextToken"]);
        Assert.Equal("Eks.InvalidParameterException", _bed.CallFails("ListClusters", """{"NextToken":"garbage"}""").Error);
    }

    [Fact]
    public void CreateCluster_ThrottledOnce_IsRetriedUnderTheOptimizedErrorName()
    {
        _bed.Account.Faults.Add(new FaultRule("eks:CreateCluster", FaultKind.Throttle, OnCalls: [1]));

        var summary = _bed.Run($$$$"""
            {"StartAt":"Create Green","States":{"Create Green":{"Type":"Task","Resource":"arn:aws:states:::eks:createCluster",
              "Parameters":{{{{EksTestBed.GreenCluster()}}}},
              "Retry":[{"ErrorEquals":["EKS.ThrottlingException"],"IntervalSeconds":5}],"End":true}}}
            """);

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal(["EKS.ThrottlingException", "OK"], _bed.Account.Calls.Calls.Select(c => c.Outcome));
        Assert.Equal(5, summary.VirtualSeconds);
    }

    [Fact]
    public void Tags_TagResourceThenList_KeepKeyCaseAndRejectUnknownArns()
    {
        _bed.Call("TagResource", """{"ResourceArn":"arn:aws:eks:ap-northeast-2:111122223333:cluster/shop-blue","Tags":{"UpgradeRun":"run-1"}}""");

        var tags = _bed.Call("ListTagsForResource", """{"ResourceArn":"arn:aws:eks:ap-northeast-2:111122223333:cluster/shop-blue"}""").GetObject("Tags")!;

        Assert.Equal("run-1", tags.GetString("UpgradeRun"));
        Assert.Equal("prd", tags.GetString("Environment"));
        Assert.Equal("Eks.NotFoundException", _bed.CallFails("ListTagsForResource", """{"ResourceArn":"arn:aws:eks:ap-northeast-2:111122223333:cluster/nope"}""").Error);
    }
}
