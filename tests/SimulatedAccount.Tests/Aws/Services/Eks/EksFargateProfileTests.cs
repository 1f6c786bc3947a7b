using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Aws.Services.Eks;

public sealed class EksFargateProfileTests : IDisposable
{
    private const string Profiles = """
        {"fargateProfiles":[
          {"clusterName":"shop-blue","name":"reports","selectors":[{"namespace":"reports","labels":{"runtime":"fargate"}}]},
          {"clusterName":"shop-blue","name":"batch-jobs","selectors":[{"namespace":"batch"}],"podExecutionRoleArn":"arn:aws:iam::111122223333:role/batch-pods"}]}
        """;

    private readonly EksTestBed _bed = new(Profiles);

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void ListFargateProfiles_ThroughSdkIntegration_ListsTheWorldsProfilesByName()
    {
        var summary = _bed.RunTask("arn:aws:states:::aws-sdk:eks:listFargateProfiles", """{"ClusterName":"shop-blue","MaxResults":100}""");

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal("""{"FargateProfileNames":["batch-jobs","reports"]}""", summary.Output!.ToJson());
    }

    [Fact]
    public void ListFargateProfiles_ClusterWithoutProfiles_ListsNone()
    {
        _bed.CreateActiveGreen();

        Assert.Equal("""{"FargateProfileNames":[]}""", _bed.Call("ListFargateProfiles", """{"ClusterName":"shop-green"}""").ToJson());
    }

    [Fact]
    public void ListFargateProfiles_Pages_FollowNextToken()
    {
        var first = _bed.Call("ListFargateProfiles", """{"ClusterName":"shop-blue","MaxResults":1}""");
        var second = _bed.Call("ListFargateProfiles", $$"""{"ClusterName":"shop-blue","MaxResults":1,"NextToken":"{{first.GetString("NextToken")}}"}""");

        Assert.Equal("""["batch-jobs"]""", first.GetArray("FargateProfileNames")!.ToJson());
        Assert.Equal("""["reports"]""", second.GetArray("FargateProfileNames")!.ToJson());
        Assert.Null(second.GetString("NextToken"));
    }

    [Fact]
    public void ListFargateProfiles_MisspelledParameter_IsRefusedAgainstTheModel()
    {
        var summary = _bed.RunTask("arn:aws:states:::aws-sdk:eks:listFargateProfiles", """{"Cluster":"shop-blue"}""");

        Assert.Equal("States.Runtime", summary.Error);
    }

    [Fact]
    public void DescribeFargateProfile_ReturnsSelectorsAndRole()
    {
        var profile = _bed.Call("DescribeFargateProfile", """{"ClusterName":"shop-blue","FargateProfileName":"batch-jobs"}""").GetObject("FargateProfile")!;

        Assert.Equal("arn:aws:iam::111122223333:role/batch-pods", profile.GetString("PodExecutionRoleArn"));
        Assert.Equal("""[{"Namespace":"batch"}]""", profile.GetArray("Selectors")!.ToJson());
        Assert.StartsWith("arn:aws:eks:ap-northeast-2:111122223333:fargateprofile/shop-blue/batch-jobs/", profile.GetString("FargateProfileArn"), StringComparison.Ordinal);
        Assert.Equal("Eks.ResourceNotFoundException", _bed.CallFails("DescribeFargateProfile", """{"ClusterName":"shop-blue","FargateProfileName":"nope"}""").Error);
    }

    [Fact]
    public void World_ProfileOfAnUnknownCluster_IsAProblem()
    {
        var error = Assert.Throws<ScenarioException>(() => new EksTestBed("""{"fargateProfiles":[{"clusterName":"nope","name":"x"}]}""").Dispose());

        Assert.Contains("clusterName 'nope' is not a cluster of the world", error.Message, StringComparison.Ordinal);
    }
}
