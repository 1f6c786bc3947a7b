using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.Lambda;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Argo CD health through <c>eks:call</c> (scenario <c>full-options</c> watches storefront, checkout and catalog): each
/// application is read by name and kept small; the call's errors are <c>EKS.&lt;HTTP status&gt;</c>, of which 429 and 5xx
/// are retried, 404 is "not generated yet", and 401/403 fail the health wait at once; a Blue whose endpoint has no
/// public access is refused before anything is created, since eks:call reaches public endpoints only.
/// </summary>
public sealed class ArgoCdHealthTests
{
    private static readonly string[] Applications = ["storefront", "checkout", "catalog"];

    [Fact]
    public void Rehearse_ArgoHealth_ReadsEachApplicationByNameAndPassesOnlyItsSyncAndHealth()
    {
        var (rehearsal, summary) = RehearsalKit.Run("full-options");
        using var _ = rehearsal;

        Assert.Equal("Completed", summary.Outcome);
        var paths = rehearsal.Account.Calls.Calls.Where(c => c.Name == "eks:call").Select(c => c.Parameters.GetString("Path")).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(Applications.Select(a => "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/" + a).Order(StringComparer.Ordinal), paths);

        var healthy = LastHealthInput(rehearsal).GetArray("argoApplications")!.OfType<JObject>().ToList();
        Assert.Equal(Applications.Order(StringComparer.Ordinal), healthy.Select(a => a.GetString("name")!).Order(StringComparer.Ordinal));
        Assert.All(healthy, a =>
        {
            Assert.Equal(["health", "name", "status", "sync"], a.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("""["Synced"]""", a.GetArray("sync")!.ToJson());
            Assert.Equal("Healthy", a.GetArray("health")!.OfType<JObject>().Single().GetString("status"));
            Assert.True(a.Utf8Size < 200, $"{a.ToJson()}");
        });
    }

    [Fact]
    public void Rehearse_ApplicationsNotFoundAtFirst_AreNotHealthyYetAndTheRunCompletes()
    {
        // The first health check finds none of them (404: the ApplicationSet has not generated them yet).
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("full-options"));
        rehearsal.Account.Faults.Add(new FaultRule("eks:call", FaultKind.Error, OnCalls: [1, 2, 3], Times: 3, Error: "404", Message: "applications.argoproj.io not found"));

        var summary = rehearsal.Run();

        Assert.Equal("Completed", summary.Outcome);
        Assert.Equal(3, rehearsal.Account.Calls.Calls.Count(c => c.Name == "eks:call" && c.Outcome == "EKS.404"));
        var first = rehearsal.Account.Service<LambdaService>().Invocations.First(i => i.FunctionName.Contains("evaluate-health", StringComparison.Ordinal));
        Assert.Contains("does not exist yet in namespace argocd on Green (404)", first.Response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("401")]
    [InlineData("403")]
    public void Rehearse_GreenRefusesTheWorkflowsRole_FailsTheHealthWaitAtOnceWithArgoCdAccessDenied(string status)
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("full-options"));
        rehearsal.Account.Faults.Add(new FaultRule("eks:call", FaultKind.Error, Error: status, Message: "Unauthorized"));

        var summary = rehearsal.Run();

        Assert.Equal("Failed", summary.Outcome);
        Assert.Equal("ArgoCdAccessDenied", summary.Error);
        Assert.Contains($"answered EKS.{status} to GET /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/", summary.Cause, StringComparison.Ordinal);
        var calls = rehearsal.Account.Calls.Calls.Where(c => c.Name == "eks:call").ToList();
        // One look at the three applications, no retry, no second health check: minutes, not the 45-minute deadline.
        Assert.InRange(calls.Count, 1, Applications.Length);
        Assert.All(calls, c => Assert.Equal($"EKS.{status}", c.Outcome));
        Assert.Equal("Failed", summary.RunRecord!.GetString("status"));
        Assert.Equal(new TrafficWeights(100, 0), summary.FinalWeights);
    }

    [Fact]
    public void Rehearse_ArgoThrottledOrFailingOnce_IsRetriedAsEks429AndEks500AndCompletes()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("full-options"));
        rehearsal.Account.Faults.Add(new FaultRule("eks:call", FaultKind.Throttle, OnCalls: [1], Times: 1));
        rehearsal.Account.Faults.Add(new FaultRule("eks:call", FaultKind.Internal, OnCalls: [2], Times: 1));

        var summary = rehearsal.Run();

        Assert.Equal("Completed", summary.Outcome);
        var faulted = rehearsal.Account.Calls.Calls.Where(c => c.Name == "eks:call" && c.InjectedFault is not null).Select(c => c.Outcome).Order(StringComparer.Ordinal);
        Assert.Equal(["EKS.429", "EKS.500"], faulted);
    }

    [Fact]
    public void Rehearse_ArgoNeverAnswering_IsNotHealthyUntilTheDeadlineWhichNamesTheError()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("full-options"));
        rehearsal.Account.Faults.Add(new FaultRule("eks:call", FaultKind.Error, Error: "503", Message: "the server is currently unable to handle the request"));

        var summary = rehearsal.Run();

        Assert.Equal("HealthCheckTimedOut", summary.Error);
        Assert.Contains("Argo CD application storefront could not be read (EKS.503)", summary.Cause, StringComparison.Ordinal);
        Assert.Equal(new TrafficWeights(100, 0), summary.FinalWeights);
    }

    [Fact]
    public void Rehearse_ArgoHealthOnABlueWithoutPublicEndpointAccess_IsRefusedBeforeAnythingIsCreated()
    {
        var fullOptions = Scenario.Load("full-options");
        var sections = fullOptions.Sections;
        var eks = sections.GetObject("eks")!;
        var clusters = JArray.From(eks.GetArray("clusters")!.OfType<JObject>().Select(c => (JValue)(c.GetString("name") != "shop-blue" ? c
            : c.With("resourcesVpcConfig", c.GetObject("resourcesVpcConfig")!.With("endpointPublicAccess", false).With("endpointPrivateAccess", true).Without("publicAccessCidrs")))));
        var raw = fullOptions.Raw.Without("world").Without("expect").With("services", sections.With("eks", eks.With("clusters", clusters)));
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.FromJson("private-blue", raw, fullOptions.SourcePath));

        var summary = rehearsal.Run();

        Assert.Equal("PreflightFailed", summary.Error);
        Assert.Contains("health.applications: Argo CD health is read through Step Functions' eks:call, which reaches only Kubernetes API endpoints with public access", summary.Cause, StringComparison.Ordinal);
        Assert.Equal(0, summary.MutatingAwsCalls);
        Assert.DoesNotContain("eks:call", summary.AwsCalls);
    }

    /// <summary>The payload of the last EvaluateHealth invocation.</summary>
    private static JObject LastHealthInput(UpgradeRehearsal rehearsal) =>
        (JObject)JValue.Parse(rehearsal.Account.Service<LambdaService>().Invocations.Last(i => i.FunctionName.Contains("evaluate-health", StringComparison.Ordinal)).Payload);
}
