using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Health;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.Health;

public class HealthEvaluatorTests
{
    private const string Started = "2025-06-01T09:30:00.000Z";

    private static EvaluateHealthRequest Request(
        string now = "2025-06-01T09:35:00.000Z",
        UpgradePlan? plan = null,
        string clusterStatus = "ACTIVE",
        IReadOnlyList<Addon>? addons = null,
        IReadOnlyList<Nodegroup>? nodegroups = null,
        int healthyTargets = 2,
        int unhealthyTargets = 0,
        IReadOnlyList<ArgoApplicationHealth>? argo = null) => new()
        {
            Plan = plan ?? Inputs.AlbPlan(),
            WaitStartedAt = Started,
            Now = now,
            Cluster = new EksCluster { Name = "shop-green", Status = clusterStatus, Version = "1.34" },
            Addons = addons ?? [BlueCluster.Addon("vpc-cni", "v1.20.0-eksbuild.1") with { ClusterName = "shop-green" }],
            Nodegroups = nodegroups ?? [BlueCluster.Nodegroup() with { ClusterName = "shop-green" }],
            TargetHealth = [.. Enumerable.Range(0, healthyTargets).Select(i => Target($"10.0.1.{i}", "healthy", null)),
                            .. Enumerable.Range(0, unhealthyTargets).Select(i => Target($"10.0.2.{i}", "unhealthy", "Target.FailedHealthChecks"))],
            ArgoApplications = argo,
        };

    private static TargetHealthDescription Target(string ip, string state, string? reason) => new()
    {
        Target = new TargetDescription { Id = ip, Port = 8080 },
        TargetHealth = new TargetHealth { State = state, Reason = reason },
    };

    private static ArgoApplicationHealth App(string name, string sync, string health, string? message = null) =>
        new() { Name = name, Status = ArgoApplicationStatuses.Found, Sync = [sync], Health = [new ArgoHealthStatus { Status = health, Message = message }] };

    [Fact]
    public void Evaluate_EverythingReady_IsHealthy()
    {
        var verdict = HealthEvaluator.Evaluate(Request());

        Assert.True(verdict.Healthy);
        Assert.Empty(verdict.Reasons);
        Assert.Equal(0, verdict.WaitSeconds);
        Assert.Equal(2, verdict.HealthyTargets);
        Assert.Equal("2025-06-01T10:00:00.000Z", verdict.Deadline);
        Assert.Equal(1500, verdict.SecondsRemaining);
    }

    [Fact]
    public void Evaluate_NotReadyBeforeDeadline_ListsEveryReasonAndWaits()
    {
        var verdict = HealthEvaluator.Evaluate(Request(
            clusterStatus: "CREATING",
            addons: [BlueCluster.Addon("coredns", "v1.12.3-eksbuild.1") with
            {
                Status = "DEGRADED",
                Health = new AddonHealth { Issues = [new HealthIssue { Code = "InsufficientNumberOfReplicas", Message = "0/2 replicas ready" }] },
            }],
            nodegroups: [BlueCluster.Nodegroup() with { Status = "CREATING" }],
            healthyTargets: 1,
            unhealthyTargets: 2));

        Assert.False(verdict.Healthy);
        Assert.Equal(
        [
            "cluster shop-green is CREATING",
            "add-on coredns is DEGRADED (InsufficientNumberOfReplicas: 0/2 replicas ready)",
            "nodegroup general is CREATING",
            "target group shop-green-tg has 1 healthy target(s), needs 2; others: 2 unhealthy (Target.FailedHealthChecks)",
        ], verdict.Reasons);
        Assert.Equal(30, verdict.WaitSeconds);
    }

    [Fact]
    public void Evaluate_CloseToDeadline_WaitsOnlyUntilTheDeadline()
    {
        var verdict = HealthEvaluator.Evaluate(Request(now: "2025-06-01T09:59:50.000Z", healthyTargets: 0));

        Assert.Equal(10, verdict.WaitSeconds);
    }

    [Fact]
    public void Evaluate_UnhealthyAtDeadline_ThrowsHealthCheckTimedOut()
    {
        var error = Assert.Throws<HealthCheckTimedOut>(() => HealthEvaluator.Evaluate(Request(now: "2025-06-01T10:00:00.000Z", healthyTargets: 0)));

        Assert.Contains("target group shop-green-tg has 0 healthy target(s), needs 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("2025-06-01T10:00:00Z", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_HealthyAfterDeadline_IsStillHealthy()
    {
        Assert.True(HealthEvaluator.Evaluate(Request(now: "2025-06-01T11:00:00.000Z")).Healthy);
    }

    [Theory]
    [InlineData("FAILED", "ACTIVE", "cluster shop-green is FAILED")]
    [InlineData("ACTIVE", "CREATE_FAILED", "nodegroup general is CREATE_FAILED")]
    public void Evaluate_TerminalFailure_ThrowsGreenFailedAtOnce(string cluster, string nodegroup, string expected)
    {
        var error = Assert.Throws<GreenFailed>(() => HealthEvaluator.Evaluate(Request(clusterStatus: cluster, nodegroups: [BlueCluster.Nodegroup() with { Status = nodegroup }])));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ArgoApplications_MustAllBeSyncedAndHealthy()
    {
        var plan = Inputs.Plan(Inputs.Alb().With("health.applications", "{\"names\":[\"shop-api\",\"shop-web\",\"shop-jobs\"]}"));
        IReadOnlyList<ArgoApplicationHealth> argo =
        [
            App("shop-api", "Synced", "Healthy"),
            App("shop-web", "OutOfSync", "Progressing", "Waiting for rollout to finish"),
            new() { Name = "shop-jobs", Status = ArgoApplicationStatuses.NotFound, Sync = [], Health = [] },
        ];

        var verdict = HealthEvaluator.Evaluate(Request(plan: plan, argo: argo));

        Assert.Equal(
        [
            "Argo CD application shop-web is OutOfSync/Progressing, not Synced/Healthy: Waiting for rollout to finish",
            "Argo CD application shop-jobs does not exist yet in namespace argocd on Green (404): its ApplicationSet may not have generated it yet, or Argo CD is not installed there yet",
        ], verdict.Reasons);
    }

    [Fact]
    public void Evaluate_ArgoApplicationWithoutStatusYet_IsUnknownNotHealthy()
    {
        var plan = Inputs.Plan(Inputs.Alb().With("health.applications", "{\"names\":[\"shop-api\"]}"));

        var verdict = HealthEvaluator.Evaluate(Request(plan: plan, argo: [new() { Name = "shop-api", Status = ArgoApplicationStatuses.Found, Sync = [], Health = [] }]));

        Assert.False(verdict.Healthy);
        Assert.Equal(["Argo CD application shop-api is Unknown/Unknown, not Synced/Healthy"], verdict.Reasons);
    }

    [Fact]
    public void Evaluate_ArgoApplicationWithoutAnswer_IsNotHealthyYetAndSaysWhy()
    {
        var plan = Inputs.Plan(Inputs.Alb().With("health.applications", "{\"names\":[\"shop-api\"]}"));

        var verdict = HealthEvaluator.Evaluate(Request(plan: plan, argo: [new() { Name = "shop-api", Status = ArgoApplicationStatuses.NoAnswer, Sync = [], Health = [], Error = "EKS.503" }]));

        Assert.Equal(["Argo CD application shop-api could not be read (EKS.503); it is asked again at the next check"], verdict.Reasons);
    }

    [Fact]
    public void Evaluate_ArgoPlannedButNotPassed_IsAWiringError()
    {
        var plan = Inputs.Plan(Inputs.Alb().With("health.applications", "{\"names\":[\"shop-api\"]}"));

        var error = Assert.Throws<InvalidInput>(() => HealthEvaluator.Evaluate(Request(plan: plan)));

        Assert.StartsWith("argoApplications: required", error.Problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_Route53WithoutTargetGroup_ChecksNoTargets()
    {
        var plan = Inputs.Plan(Inputs.Route53().With("health", null));

        var verdict = HealthEvaluator.Evaluate(Request(plan: plan, healthyTargets: 0) with { Cluster = new EksCluster { Name = "shop-green", Status = "ACTIVE" } });

        Assert.True(verdict.Healthy);
        Assert.Null(verdict.HealthyTargets);
    }

    [Fact]
    public void Evaluate_BadTimestamp_IsInvalidInput()
    {
        Assert.Throws<InvalidInput>(() => HealthEvaluator.Evaluate(Request(now: "soon")));
    }
}
