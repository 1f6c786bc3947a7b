using System.Text.Json.Nodes;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.Planning;

public class RunRecordKeysTests
{
    [Fact]
    public void Plan_RecordKeys_ShareTheClusterPartitionAndSortRunsByStartTime()
    {
        var plan = Inputs.AlbPlan();

        Assert.Equal("CLUSTER#shop-blue", plan.Records.Pk);
        Assert.Equal("LOCK", plan.Records.LockSk);
        Assert.Equal($"RUN#2025-06-01T09:00:00.000Z#{plan.RunId}", plan.Records.RunSk);
        Assert.Equal(DateTimeOffset.Parse("2025-06-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture).AddDays(730).ToUnixTimeSeconds(), plan.Records.ExpiresAt);
    }

    [Fact]
    public void RunSortKeys_OfLaterRuns_SortAfterEarlierOnes()
    {
        var earlier = RunRecordKeys.For("shop-blue", "2025-06-01T09:00:00.000Z", "zzz-run", 3600);
        var later = RunRecordKeys.For("shop-blue", "2025-06-01T09:00:00.001Z", "aaa-run", 3600);

        Assert.True(string.CompareOrdinal(earlier.RunSk, later.RunSk) < 0);
    }

    [Fact]
    public void GitOps_SecretTags_AlwaysCarryTheArgoCdClusterLabel()
    {
        var input = Inputs.Alb().With("gitops", """{"clusterSecretName":"argocd/shop-green","labels":{"env":"prd","argocd.argoproj.io/secret-type":"cluster"}}""");

        var plan = Inputs.Plan(input);

        Assert.Equal(
            [("argocd.argoproj.io/secret-type", "cluster"), ("env", "prd"), ("bluegreen:managed-by", "eks-bluegreen-upgrade"), ("bluegreen:run-id", plan.RunId)],
            plan.GitOps!.SecretTags.Select(t => (t.Key, t.Value)));
    }

    [Fact]
    public void Plan_WithoutRequestedBy_NamesTheExecution()
    {
        var plan = Inputs.Plan(Inputs.Alb().With("requestedBy", null));

        Assert.Equal("execution:shop-1-34-20250601", plan.RequestedBy);
    }
}
