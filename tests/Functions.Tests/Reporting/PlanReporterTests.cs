using BlueGreen.Functions.GreenSpec;
using BlueGreen.Functions.Handlers;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Preflight;
using BlueGreen.Functions.Reporting;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.Reporting;

public class PlanReporterTests
{
    private static GreenSpecification Spec(UpgradePlan plan) => GreenSpecBuilder.Build(new BuildGreenSpecRequest
    {
        Plan = plan,
        Cluster = BlueCluster.Cluster(),
        Nodegroups = [BlueCluster.Nodegroup()],
        Addons = BlueCluster.CoreAddons(),
        AddonVersions = BlueCluster.CoreAddonVersions(),
        PodIdentityAssociations = [],
        AccessEntries = [],
        CreatorRoleArn = BlueCluster.WorkflowRole,
    });

    private static PreflightResult Preflight(UpgradePlan plan, params string[] warnings) => new()
    {
        BlueVersion = "1.32",
        TargetVersion = plan.TargetVersion,
        VersionsSkipped = ["1.33"],
        TargetVersionStatus = "STANDARD_SUPPORT",
        Warnings = warnings,
        InsightsChecked = 0,
        NodegroupsChecked = 1,
        Strategy = plan.Strategy,
    };

    private static PlanReport Describe(UpgradePlan plan, params string[] warnings) =>
        PlanReporter.Describe(new DescribePlanRequest { Plan = plan, Preflight = Preflight(plan, warnings), GreenSpec = Spec(plan) });

    [Fact]
    public void Describe_SaysWhatGreenIs_AndWhatChangesFromBlue()
    {
        var report = Describe(Inputs.AlbPlan());

        Assert.StartsWith("Upgrade shop-blue (Kubernetes 1.32) to shop-green (Kubernetes 1.34)", report.Lines[0], StringComparison.Ordinal);
        Assert.Contains("  Kubernetes 1.32 -> 1.34 (skips 1.33), standard support", report.Lines);
        Assert.Contains(report.Lines, l => l.StartsWith("  nodegroup general: AL2023_x86_64_STANDARD, ", StringComparison.Ordinal));
        Assert.Contains(report.Lines, l => l.StartsWith("  changed: nodegroup general: AMI type AL2_x86_64 -> AL2023_x86_64_STANDARD", StringComparison.Ordinal));
        Assert.Contains(report.Lines, l => l.StartsWith("  changed: add-on ", StringComparison.Ordinal));
        Assert.Equal(string.Join('\n', report.Lines), report.Text);
    }

    [Fact]
    public void Describe_ListsEveryPreflightWarning_AndTheSteps()
    {
        var report = Describe(Inputs.AlbPlan(), "first warning", "second warning");

        Assert.Equal(["  first warning", "  second warning"], report.Lines.SkipWhile(l => l != "Preflight warnings:").Skip(1).Take(2));
        Assert.Contains("Traffic (alb), strategy Custom: 10% for 5 min, 25% for 5 min, 50% for 5 min, 100% for 5 min", report.Lines);
        Assert.Contains("  approvals: none", report.Lines);
    }

    [Fact]
    public void Describe_EstimatesTheTrafficPhase_AsTheRehearsalMeasuresIt()
    {
        // The demo: 4 steps of 10 checks through an ALB; the rehearsal bills 52 (shift-step) + 8 (read-backs) + 168 (bake) + 8 (applies).
        var alb = Describe(Inputs.AlbPlan()).Estimate;

        Assert.Equal(236, alb.TrafficStateTransitions);
        Assert.Equal(0.0059m, alb.TrafficDollars);
        Assert.Equal(1200, alb.BakeSeconds);
        Assert.Equal((1800, 0), (alb.HealthTimeoutSeconds, alb.ApprovalTimeoutSeconds));
    }

    [Fact]
    public void Describe_ADayLongBake_NeedsABakeExecutionPer120Checks_AndRoute53ChangesCostMore()
    {
        var plan = Inputs.Plan(Inputs.Route53().With("strategy", """{"steps":[{"weight":100,"bakeMinutes":1440}]}"""));
        var checks = plan.Strategy.Steps.Single().AlarmChecks;

        var estimate = Describe(plan).Estimate;

        Assert.Equal(15 + 12 + (2 * (long)Math.Ceiling(checks / 120.0)) + (4 * checks), estimate.TrafficStateTransitions);
        Assert.Equal(86_400, estimate.BakeSeconds);
    }

    [Fact]
    public void Describe_WithApprovals_SaysHowLongTheyMayWait()
    {
        var plan = Inputs.Plan(Inputs.Alb().With("approvals", """{"beforeTraffic":true,"beforeFinalize":true,"timeoutMinutes":60}"""));

        var report = Describe(plan);

        Assert.Contains("  approvals: before traffic and before finalizing, each waiting up to 60 min", report.Lines);
        Assert.Equal(7200, report.Estimate.ApprovalTimeoutSeconds);
    }

    private static RunRecordAttributes Record(UpgradePlan plan, params string[] warnings) =>
        BlueGreen.Functions.Serialization.RunRecordAttributesWriter.Of(new DescribePlanRequest { Plan = plan, Preflight = Preflight(plan, warnings), GreenSpec = Spec(plan) });

    [Fact]
    public void Describe_GivesTheRunRecordItsPlanAndWarnings_AsAttributeValues()
    {
        var plan = Inputs.AlbPlan();

        var record = Record(plan, "first warning");

        var plain = System.Text.Json.JsonSerializer.SerializeToElement(plan, BlueGreen.Functions.Serialization.FunctionsJsonContext.Default.UpgradePlan);
        Assert.Equal(plain.GetRawText(), BlueGreen.Functions.Common.AttributeValues.ToPlain(record.Plan, "plan").GetRawText());
        Assert.Equal("alb", record.Plan.GetProperty("M").GetProperty("traffic").GetProperty("M").GetProperty("type").GetProperty("S").GetString());
        Assert.Equal("""{"L":[{"S":"first warning"}]}""", record.PreflightWarnings.GetRawText());
        Assert.Null(record.GreenSpec);
    }

    [Fact]
    public void Describe_ADryRun_AlsoGivesGreensSpec_AsAMap()
    {
        var plan = Inputs.Plan(Inputs.Alb().With("dryRun", "true"));

        var spec = Record(plan).GreenSpec!.Value;

        Assert.Equal("shop-green", spec.GetProperty("M").GetProperty("greenClusterName").GetProperty("S").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Array, spec.GetProperty("M").GetProperty("nodegroups").GetProperty("L").ValueKind);
        Assert.DoesNotContain("ClientRequestToken", spec.GetRawText(), StringComparison.Ordinal);
        Assert.True(spec.GetProperty("M").GetProperty("createCluster").GetProperty("M").TryGetProperty("Tags", out _));
    }

    [Fact]
    public void Handler_IsInTheCatalog_AndWritesTheReport()
    {
        var plan = Inputs.AlbPlan();
        var request = System.Text.Json.JsonSerializer.Serialize(new DescribePlanRequest { Plan = plan, Preflight = Preflight(plan), GreenSpec = Spec(plan) }, Serialization.FunctionsJsonContext.Default.DescribePlanRequest);

        using var output = FunctionCatalog.Get("DescribePlan").Invoke(Inputs.ToStream(request));
        using var report = System.Text.Json.JsonDocument.Parse(output);

        Assert.StartsWith("Upgrade shop-blue", report.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(236, report.RootElement.GetProperty("estimate").GetProperty("trafficStateTransitions").GetInt64());
    }
}
