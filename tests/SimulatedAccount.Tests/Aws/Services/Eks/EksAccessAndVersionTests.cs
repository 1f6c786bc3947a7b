using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Services.Eks;

public sealed class EksAccessAndVersionTests : IDisposable
{
    private const string OpsRole = "arn:aws:iam::111122223333:role/platform-ops";

    private readonly EksTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void ListAccessEntries_Blue_HasTheArgoCdAndOpsRolesWithTheirPolicies()
    {
        var entries = _bed.Call("ListAccessEntries", """{"ClusterName":"shop-blue"}""").GetArray("AccessEntries")!.Select(e => e.AsString());
        var ops = _bed.Call("ListAssociatedAccessPolicies", $$"""{"ClusterName":"shop-blue","PrincipalArn":"{{OpsRole}}"}""");
        var entry = _bed.Call("DescribeAccessEntry", $$"""{"ClusterName":"shop-blue","PrincipalArn":"{{OpsRole}}"}""").GetObject("AccessEntry")!;

        Assert.Equal(["arn:aws:iam::111122223333:role/argocd-management", OpsRole], entries);
        var policy = ops.GetArray("AssociatedAccessPolicies")!.Single().AsObject();
        Assert.Equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy", policy.GetString("PolicyArn"));
        Assert.Equal("""{"Type":"namespace","Namespaces":["storefront","checkout","catalog"]}""", policy.GetObject("AccessScope")!.ToJson());
        Assert.Equal("STANDARD", entry.GetString("Type"));
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/platform-ops/{{SessionName}}", entry.GetString("Username"));
        Assert.StartsWith("arn:aws:eks:ap-northeast-2:111122223333:access-entry/shop-blue/role/111122223333/platform-ops/", entry.GetString("AccessEntryArn"), StringComparison.Ordinal);
    }

    [Fact]
    public void ListAccessEntries_FilteredByPolicy_ReturnsOnlyMatchingPrincipals()
    {
        var admins = _bed.Call("ListAccessEntries", """{"ClusterName":"shop-blue","AssociatedPolicyArn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"}""");

        Assert.Equal(["arn:aws:iam::111122223333:role/argocd-management"], admins.GetArray("AccessEntries")!.Select(e => e.AsString()));
    }

    [Fact]
    public void CreateAccessEntry_ConfigMapCluster_IsInvalidRequestWithAwsWording()
    {
        _bed.Call("CreateCluster", EksTestBed.GreenCluster(authenticationMode: "CONFIG_MAP"));
        _bed.Advance(TimeSpan.FromMinutes(9));

        var e = _bed.CallFails("CreateAccessEntry", $$"""{"ClusterName":"shop-green","PrincipalArn":"{{OpsRole}}"}""");

        Assert.Equal("Eks.InvalidRequestException", e.Error);
        Assert.Equal("The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.", e.Cause);
    }

    [Fact]
    public void CreateAccessEntryThenAssociatePolicy_OnGreen_ClonesBlueAccess()
    {
        _bed.CreateActiveGreen();

        var created = _bed.Call("CreateAccessEntry", $$"""{"ClusterName":"shop-green","PrincipalArn":"{{OpsRole}}","KubernetesGroups":["platform-ops"],"Type":"STANDARD"}""");
        var associated = _bed.Call("AssociateAccessPolicy", $$$"""
            {"ClusterName":"shop-green","PrincipalArn":"{{{OpsRole}}}","PolicyArn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy",
             "AccessScope":{"Type":"namespace","Namespaces":["storefront"]}}
            """);

        Assert.Equal(["platform-ops"], created.GetObject("AccessEntry")!.GetArray("KubernetesGroups")!.Select(g => g.AsString()));
        Assert.Equal("shop-green", associated.GetString("ClusterName"));
        Assert.Equal(OpsRole, associated.GetString("PrincipalArn"));
        Assert.Equal("namespace", associated.GetObject("AssociatedAccessPolicy")!.GetObject("AccessScope")!.GetString("Type"));
        Assert.Equal("Eks.ResourceInUseException", _bed.CallFails("CreateAccessEntry", $$"""{"ClusterName":"shop-green","PrincipalArn":"{{OpsRole}}"}""").Error);
    }

    [Fact]
    public void CreateCluster_BootstrapAdmin_GivesTheCreatorAClusterAdminEntry()
    {
        _bed.CreateActiveGreen();

        var entries = _bed.Call("ListAccessEntries", """{"ClusterName":"shop-green"}""").GetArray("AccessEntries")!.Select(e => e.AsString());

        Assert.Equal(["arn:aws:iam::111122223333:role/bluegreen-upgrade-state-machine"], entries);
    }

    [Theory]
    [InlineData("""{"ClusterName":"shop-blue","PrincipalArn":"arn:aws:iam::111122223333:role/nobody","PolicyArn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy","AccessScope":{"Type":"cluster"}}""", "Eks.ResourceNotFoundException")]
    [InlineData("""{"ClusterName":"shop-blue","PrincipalArn":"arn:aws:iam::111122223333:role/platform-ops","PolicyArn":"arn:aws:eks::aws:cluster-access-policy/MadeUpPolicy","AccessScope":{"Type":"cluster"}}""", "Eks.InvalidParameterException")]
    [InlineData("""{"ClusterName":"shop-blue","PrincipalArn":"arn:aws:iam::111122223333:role/platform-ops","PolicyArn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy","AccessScope":{"Type":"namespace"}}""", "Eks.InvalidParameterException")]
    public void AssociateAccessPolicy_BadRequest_FailsWithTheEksError(string request, string error)
    {
        Assert.Equal(error, _bed.CallFails("AssociateAccessPolicy", request).Error);
    }

    [Fact]
    public void CreateAccessEntry_SystemGroup_IsRejected()
    {
        var e = _bed.CallFails("CreateAccessEntry", """{"ClusterName":"shop-blue","PrincipalArn":"arn:aws:iam::111122223333:role/new-role","KubernetesGroups":["system:masters"]}""");

        Assert.Equal("The kubernetes group name system:masters is invalid, it cannot start with system:", e.Cause);
    }

    [Fact]
    public void PodIdentityAssociations_Blue_ListsTheEbsCsiAndAppServiceAccounts()
    {
        var list = _bed.Call("ListPodIdentityAssociations", """{"ClusterName":"shop-blue"}""").GetArray("Associations")!.Select(a => a.AsObject()).ToList();
        var ebs = _bed.Call("DescribePodIdentityAssociation", $$"""{"ClusterName":"shop-blue","AssociationId":"{{list[0].GetString("AssociationId")}}"}""").GetObject("Association")!;

        Assert.Equal(["kube-system/ebs-csi-controller-sa", "storefront/storefront-api"], list.Select(a => $"{a.GetString("Namespace")}/{a.GetString("ServiceAccount")}"));
        Assert.Equal("arn:aws:iam::111122223333:role/shop-ebs-csi-driver", ebs.GetString("RoleArn"));
        Assert.Matches("^a-[0-9a-z]{17}$", ebs.GetString("AssociationId"));
        Assert.False(ebs.GetBool("DisableSessionTags"));
    }

    [Fact]
    public void CreatePodIdentityAssociation_OnGreen_WorksOnceThenConflicts()
    {
        _bed.CreateActiveGreen();
        const string Request = """{"ClusterName":"shop-green","Namespace":"storefront","ServiceAccount":"storefront-api","RoleArn":"arn:aws:iam::111122223333:role/shop-storefront-api"}""";

        var created = _bed.Call("CreatePodIdentityAssociation", Request).GetObject("Association")!;
        var conflict = _bed.CallFails("CreatePodIdentityAssociation", Request);
        _bed.Call("DeletePodIdentityAssociation", $$"""{"ClusterName":"shop-green","AssociationId":"{{created.GetString("AssociationId")}}"}""");

        Assert.Equal("shop-green", created.GetString("ClusterName"));
        Assert.Equal("Eks.ResourceInUseException", conflict.Error);
        Assert.Empty(_bed.Call("ListPodIdentityAssociations", """{"ClusterName":"shop-green"}""").GetArray("Associations")!);
        Assert.Equal("Eks.InvalidParameterException", _bed.CallFails("CreatePodIdentityAssociation", Request.Replace("arn:aws:iam::111122223333:role/shop-storefront-api", "not-an-arn", StringComparison.Ordinal)).Error);
    }

    [Fact]
    public void ListInsights_FilteredToWarnings_FindsTheAmazonLinux2Finding()
    {
        var warnings = _bed.Call("ListInsights", """{"ClusterName":"shop-blue","Filter":{"Statuses":["WARNING","ERROR"]}}""").GetArray("Insights")!;
        var summary = warnings.Single().AsObject();
        var insight = _bed.Call("DescribeInsight", $$"""{"ClusterName":"shop-blue","Id":"{{summary.GetString("Id")}}"}""").GetObject("Insight")!;

        Assert.Equal("Amazon Linux 2 compatibility", summary.GetString("Name"));
        Assert.Equal("WARNING", summary.GetObject("InsightStatus")!.GetString("Status"));
        Assert.Equal("1.33", summary.GetString("KubernetesVersion"));
        Assert.Equal(2, insight.GetArray("Resources")!.Count);
        Assert.Equal("WARNING", insight.GetArray("Resources")![0].AsObject().GetObject("InsightStatus")!.GetString("Status"));
        Assert.Equal(4, _bed.Call("ListInsights", """{"ClusterName":"shop-blue"}""").GetArray("Insights")!.Count);
    }

    [Theory]
    [InlineData("2026-11-23T09:00:00Z", "1.32", "EXTENDED_SUPPORT")]
    [InlineData("2026-11-23T09:00:00Z", "1.34", "STANDARD_SUPPORT")]
    [InlineData("2026-11-23T09:00:00Z", "1.33", "EXTENDED_SUPPORT")]
    [InlineData("2026-11-23T09:00:00Z", "1.31", "EXTENDED_SUPPORT")]
    [InlineData("2026-11-26T00:00:00Z", "1.31", "UNSUPPORTED")]
    [InlineData("2026-03-22T23:59:59Z", "1.32", "STANDARD_SUPPORT")]
    [InlineData("2026-03-23T00:00:00Z", "1.32", "EXTENDED_SUPPORT")]
    [InlineData("2025-06-01T00:00:00Z", "1.28", "EXTENDED_SUPPORT")]
    public void DescribeClusterVersions_StatusFollowsTheVirtualDate(string start, string version, string expected)
    {
        using var bed = new EksTestBed(start: start);

        var info = bed.Call("DescribeClusterVersions", $$"""{"ClusterVersions":["{{version}}"],"IncludeAll":true}""").GetArray("ClusterVersions")!.Single().AsObject();

        Assert.Equal(expected, info.GetString("VersionStatus"));
        Assert.Equal(expected.ToLowerInvariant().Replace('_', '-'), info.GetString("Status"));
    }

    [Fact]
    public void DescribeClusterVersions_OnTheDefaultStartDate_ListsSupportedVersionsNewestFirst()
    {
        var versions = _bed.Call("DescribeClusterVersions", "{}").GetArray("ClusterVersions")!.Select(v => v.AsObject()).ToList();

        Assert.Equal(["1.35", "1.34", "1.33", "1.32", "1.31"], versions.Select(v => v.GetString("ClusterVersion")));
        var v132 = versions.Single(v => v.GetString("ClusterVersion") == "1.32");
        Assert.Equal("2025-01-23T00:00:00.000Z", v132.GetString("ReleaseDate"));
        Assert.Equal("2026-03-23T00:00:00.000Z", v132.GetString("EndOfStandardSupportDate"));
        Assert.Equal("2027-03-23T00:00:00.000Z", v132.GetString("EndOfExtendedSupportDate"));
        Assert.Equal(["1.35"], versions.Where(v => v.GetBool("DefaultVersion") == true).Select(v => v.GetString("ClusterVersion")));
        Assert.Equal(["1.35", "1.34"], _bed.Call("DescribeClusterVersions", """{"VersionStatus":"STANDARD_SUPPORT"}""").GetArray("ClusterVersions")!.Select(v => v.AsObject().GetString("ClusterVersion")));
    }

    [Fact]
    public void DescribeClusterVersions_BeforeARelease_DoesNotOfferIt()
    {
        using var bed = new EksTestBed(start: "2025-12-01T00:00:00Z");

        var versions = bed.Call("DescribeClusterVersions", """{"IncludeAll":true}""").GetArray("ClusterVersions")!.Select(v => v.AsObject().GetString("ClusterVersion"));

        Assert.Equal(["1.34", "1.33", "1.32", "1.31", "1.30", "1.29", "1.28"], versions);
        Assert.Equal("unsupported Kubernetes version 1.35", bed.CallFails("CreateCluster", EksTestBed.GreenCluster(version: "1.35")).Cause);
    }

    [Fact]
    public void DescribeClusterVersions_WorldAddsAVersion_OffersItFromItsReleaseDate()
    {
        using var bed = new EksTestBed("""
            {"versions":[{"version":"1.36","releaseDate":"2026-06-10","endOfStandardSupportDate":"2027-08-10","endOfExtendedSupportDate":"2028-08-10","kubernetesPatchVersion":"1.36.1","defaultPlatformVersion":"eks.5"}]}
            """);

        var newest = bed.Call("DescribeClusterVersions", """{"MaxResults":1}""");

        Assert.Equal("1.36", newest.GetArray("ClusterVersions")![0].AsObject().GetString("ClusterVersion"));
        Assert.NotNull(newest.GetString("NextToken"));
    }
}
