using System.Text.Json;
using System.Text.Json.Nodes;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Tests.Support;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Tests.Planning;

public class UpgradePlannerTests
{
    private const string OtherListenerRule = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener-rule/app/shop-alb/50dc6c495c0c9188/aaaaaaaaaaaaaaaa/9683b2d02a6cabee";

    /// <summary>
    /// One bad input per row: where the valid demo input is changed (null removes the member), the field the
    /// problem must name, and whether the JSON Schema alone also rejects it (some rules need code).
    /// </summary>
    public static TheoryData<string, string, string?, string, bool> BadInputs => new()
    {
        { "alb", "clusterName", null, "clusterName: required", true },
        { "alb", "clusterName", "\"-shop\"", "clusterName", true },
        { "alb", "clusterName", "\"" + new string('a', 101) + "\"", "clusterName", true },
        { "alb", "clusterName", "42", "clusterName", true },
        { "alb", "targetVersion", "\"1.3\"", "targetVersion", true },
        { "alb", "targetVersion", "\"v1.34\"", "targetVersion", true },
        { "alb", "targetVersion", null, "targetVersion: required", true },
        { "alb", "greenClusterName", "\"shop-blue\"", "greenClusterName", false },
        { "alb", "greenClusterName", "\"shop green\"", "greenClusterName", true },
        { "alb", "traffic.type", "\"nlb\"", "traffic.type", true },
        { "alb", "traffic.listenerArn", "\"arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:loadbalancer/app/shop-alb/50dc6c495c0c9188\"", "traffic.listenerArn: not an ELBv2 listener ARN", true },
        { "alb", "traffic.listenerArn", "\"arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener/net/shop-nlb/50dc6c495c0c9188/f2f7dc8efc522ab2\"", "traffic.listenerArn", true },
        { "alb", "traffic.ruleArn", "\"" + OtherListenerRule + "\"", "traffic.ruleArn: must be a rule of the listener", false },
        { "alb", "traffic.blueTargetGroupArn", null, "traffic.blueTargetGroupArn: required", true },
        { "alb", "traffic.greenTargetGroupArn", "\"" + Inputs.BlueTg + "\"", "traffic.greenTargetGroupArn: must differ", false },
        { "alb", "traffic.greenTargetGroupArn", "\"arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/shop-green-tg/3e1f2a7b9c4d5e60\"", "traffic.greenTargetGroupArn: must be in the listener's account and Region", false },
        { "alb", "traffic.hostedZoneId", "\"Z1D633PJN98FT9\"", "traffic.hostedZoneId: only applies", true },
        { "alb", "traffic.weightBlue", "90", "traffic.weightBlue: unknown field", true },
        { "alb", "traffic", null, "traffic: required", true },
        { "alb", "strategy", "\"Blast\"", "strategy: unknown preset", true },
        { "alb", "strategy", "{\"preset\":\"Linear50PercentEvery1Minute\"}", "strategy.preset: unknown preset", true },
        { "alb", "strategy", "{}", "strategy: needs a preset or explicit steps", true },
        { "alb", "strategy", "{\"preset\":\"AllAtOnce\",\"steps\":[{\"weight\":100,\"bakeMinutes\":1}]}", "strategy: give either preset or steps", true },
        { "alb", "strategy.steps[1].weight", "10", "strategy.steps[1].weight: must be greater", false },
        { "alb", "strategy.steps[3].weight", "90", "strategy.steps[3].weight: the last step must move 100%", false },
        { "alb", "strategy.steps[0].weight", "0", "strategy.steps[0].weight: must be between 1 and 100", true },
        { "alb", "strategy.steps[0].weight", "10.5", "strategy.steps[0].weight: must be a whole number", true },
        { "alb", "strategy.steps[0].bakeMinutes", "-1", "strategy.steps[0].bakeMinutes", true },
        { "alb", "strategy.steps[0].bakeMinutes", null, "strategy.steps[0].bakeMinutes: required", true },
        { "alb", "strategy.steps[0].pause", "true", "strategy.steps[0].pause: unknown field", true },
        { "alb", "strategy.steps", "[]", "strategy.steps: must have between 1 and 20 steps", true },
        { "alb", "alarms.names", "[]", "alarms.names: must have between 1 and 100 items", true },
        { "alb", "alarms.names", "[" + string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"a{i}\"")) + "]", "alarms.names: must have between 1 and 100 items", true },
        { "alb", "alarms.names", "[\"shop-5xx-rate\",\"shop-5xx-rate\"]", "alarms.names[1]: duplicate", true },
        { "alb", "alarms.names", "[\"\"]", "alarms.names[0]", true },
        { "alb", "alarms.pollSeconds", "5", "alarms.pollSeconds: must be between 10 and 3600", true },
        { "alb", "alarms.insufficientData", "\"ignore\"", "alarms.insufficientData", true },
        { "alb", "alarms", null, "alarms: required", true },
        { "alb", "health.timeoutMinutes", "0", "health.timeoutMinutes", true },
        { "alb", "health.timeoutMinutes", "241", "health.timeoutMinutes: must be at most 240", true },
        { "alb", "strategy", "{\"steps\":[" + string.Join(",", Enumerable.Range(1, 20).Select(i => $"{{\"weight\":{i * 5},\"bakeMinutes\":1440}}")) + "]}", "strategy: the run could last 484.5 h", false },
        { "alb", "approvals", "{\"beforeTraffic\":true,\"beforeFinalize\":true,\"timeoutMinutes\":5000}", "strategy: the run could last 171.5 h", false },
        { "alb", "health.minHealthyTargets", "\"2\"", "health.minHealthyTargets: must be a whole number", true },
        { "alb", "health.applications", "{\"names\":[\"Bad_Name\"]}", "health.applications.names[0]", true },
        { "alb", "health.applications", "{\"namespace\":\"argocd\"}", "health.applications.names: required", true },
        { "alb", "health.greenTargetGroupArn", "\"" + Inputs.GreenTg + "\"", "health.greenTargetGroupArn: only applies", false },
        { "alb", "approvals", "{\"beforeTraffic\":\"yes\"}", "approvals.beforeTraffic: must be true or false", true },
        { "alb", "approvals", "{\"timeoutMinutes\":20000}", "approvals.timeoutMinutes", true },
        { "alb", "hooks", "{\"beforeAllowTraffic\":[\"smoke-test\"]}", "hooks.beforeAllowTraffic[0]: not a Lambda function ARN", true },
        { "alb", "hooks", "{\"afterAllowTraffic\":\"arn:aws:lambda:ap-northeast-2:111122223333:function:x\"}", "hooks.afterAllowTraffic: must be an array", true },
        { "alb", "gitops", "{}", "gitops.clusterSecretName: required", true },
        { "alb", "gitops", "{\"clusterSecretName\":\"argocd/shop\",\"labels\":{\"bad key!\":\"x\"}}", "gitops.labels.bad key!", true },
        { "alb", "gitops", "{\"clusterSecretName\":\"argocd/shop\",\"labels\":{" + string.Join(",", Enumerable.Range(1, 49).Select(i => $"\"l{i}\":\"v\"")) + "}}", "gitops.labels: at most 47 labels", true },
        { "alb", "blue", "{\"decommission\":\"later\"}", "blue.decommission", true },
        { "alb", "blue", "{\"decommission\":\"afterRetention\"}", "blue.retentionHours: required", true },
        { "alb", "blue", "{\"decommission\":\"never\",\"retentionHours\":24}", "blue.retentionHours: only applies", true },
        { "alb", "green", "{\"onFailure\":\"destroy\"}", "green.onFailure", true },
        { "alb", "dryRun", "\"true\"", "dryRun: must be true or false", true },
        { "alb", "requestedBy", "\"\"", "requestedBy: must not be empty", true },
        { "alb", "colour", "\"green\"", "colour: unknown field", true },
        { "route53", "traffic.recordType", "\"MX\"", "traffic.recordType", true },
        { "route53", "traffic.hostedZoneId", "\"example.com\"", "traffic.hostedZoneId: not a Route 53 hosted zone id", true },
        { "route53", "traffic.greenSetIdentifier", "\"blue\"", "traffic.greenSetIdentifier: must differ", false },
        { "route53", "traffic.recordName", "\"not a name\"", "traffic.recordName: not a DNS name", false },
        { "route53", "traffic.blueSetIdentifier", null, "traffic.blueSetIdentifier: required", true },
        { "route53", "traffic.listenerArn", "\"" + Inputs.Listener + "\"", "traffic.listenerArn: only applies", true },
    };

    public static JsonObject Mutated(string baseInput, string path, string? json) =>
        (baseInput == "alb" ? Inputs.Alb() : Inputs.Route53()).With(path, json);

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Plan_BadInput_ThrowsInvalidInputNamingTheField(string baseInput, string path, string? json, string expected, bool schemaRejects)
    {
        _ = schemaRejects;
        var input = Mutated(baseInput, path, json);

        var error = Assert.Throws<InvalidInput>(() => Inputs.Plan(input));

        Assert.Contains(error.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadInputs_Table_HasAtLeastThirtyDistinctCases()
    {
        var rows = BadInputs.Select(r => $"{r[0]}|{r[1]}|{r[2]}").ToList();
        Assert.True(rows.Count >= 30);
        Assert.Equal(rows.Count, rows.Distinct().Count());
    }

    [Fact]
    public void Plan_SeveralProblems_ReportsEveryOneInOneError()
    {
        var input = Inputs.Alb()
            .With("clusterName", "\"-bad\"")
            .With("traffic.listenerArn", "\"nope\"")
            .With("alarms.pollSeconds", "1")
            .With("surprise", "1");

        var error = Assert.Throws<InvalidInput>(() => Inputs.Plan(input));

        Assert.Equal(4, error.Problems.Count);
        Assert.StartsWith("The input has 4 problems:", error.Message, StringComparison.Ordinal);
        Assert.Contains("traffic.listenerArn: not an ELBv2 listener ARN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_PresetWithStepsAndOtherMistakes_ReportsTheConflictAndWhatIsWrongInEither()
    {
        var input = Inputs.Alb()
            .With("strategy", "{\"preset\":\"Canary50\",\"steps\":[{\"weight\":50,\"bakeMinutes\":5},{\"weight\":40,\"bakeMinutes\":5}]}")
            .With("alarms", "{\"names\":[],\"insufficientData\":\"ignore\"}");

        var error = Assert.Throws<InvalidInput>(() => Inputs.Plan(input));

        Assert.Contains(error.Problems, p => p.StartsWith("strategy: give either preset or steps, not both", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("strategy.preset: unknown preset \"Canary50\"", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("strategy.steps[1].weight", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("alarms.insufficientData", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("alarms.names: must have between 1 and 100 items", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_LongestWaitsThatFit_AreAccepted()
    {
        // 4 h health + 20 h of bakes + 2 x 70 h of approvals + 4 h reserve = 168 h, the execution's limit.
        var input = Inputs.Alb()
            .With("health.timeoutMinutes", "240")
            .With("strategy", "{\"steps\":[{\"weight\":50,\"bakeMinutes\":600},{\"weight\":100,\"bakeMinutes\":600}]}")
            .With("approvals", "{\"beforeTraffic\":true,\"beforeFinalize\":true,\"timeoutMinutes\":4200}");

        var plan = Inputs.Plan(input);

        Assert.Equal(240 * 60, plan.Health.TimeoutSeconds);
    }

    [Fact]
    public void Plan_InputNotAnObject_ReportsRoot()
    {
        var error = Assert.Throws<InvalidInput>(() => UpgradePlanner.Plan(new PlanUpgradeRequest
        {
            Input = JsonDocument.Parse("[1]").RootElement,
            Execution = Inputs.Execution(),
        }));

        Assert.Equal(["input: the input must be a JSON object, not an array"], error.Problems);
    }

    [Fact]
    public void Plan_MissingExecutionContext_NamesTheContextFields()
    {
        var error = Assert.Throws<InvalidInput>(() => UpgradePlanner.Plan(new PlanUpgradeRequest
        {
            Input = JsonSerializer.SerializeToElement(Inputs.Alb(), JsonNodeContext.Default.JsonObject),
            Execution = new ExecutionInfo { Name = "x", StartTime = "yesterday" },
        }));

        Assert.Contains(error.Problems, p => p.StartsWith("execution.id: required", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("execution.startTime: must be an ISO-8601", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_DemoInput_FillsEveryDefault()
    {
        var plan = Inputs.AlbPlan();

        Assert.Equal("shop-blue", plan.BlueClusterName);
        Assert.Equal("shop-green", plan.GreenClusterName);
        Assert.True(plan.GreenClusterNameDerived);
        Assert.Equal("1.34", plan.TargetVersion);
        Assert.False(plan.DryRun);
        Assert.Equal("platform-team@example.com", plan.RequestedBy);
        Assert.Equal(TrafficTypes.Alb, plan.Traffic.Type);
        Assert.Equal(Inputs.Rule, ((AlbTrafficPlan)plan.Traffic).RuleArn);
        Assert.Equal("Custom", plan.Strategy.Name);
        Assert.Equal([10, 25, 50, 100], plan.Strategy.Steps.Select(s => s.Weight));
        Assert.All(plan.Strategy.Steps, s => Assert.Equal(300, s.BakeSeconds));
        Assert.All(plan.Strategy.Steps, s => Assert.Equal(10, s.AlarmChecks));
        Assert.True(plan.Strategy.Steps[^1].IsFinal);
        Assert.Equal(["shop-5xx-rate", "shop-p99-latency"], plan.Alarms.Names);
        Assert.Equal(30, plan.Alarms.PollSeconds);
        Assert.Equal(InsufficientDataPolicies.Alarm, plan.Alarms.InsufficientData);
        Assert.Equal(1800, plan.Health.TimeoutSeconds);
        Assert.Equal(2, plan.Health.MinHealthyTargets);
        Assert.Equal(Inputs.GreenTg, plan.Health.TargetGroupArn);
        Assert.Null(plan.Health.ArgoCd);
        Assert.Equal(new ApprovalPlan { BeforeTraffic = false, BeforeFinalize = false, TimeoutSeconds = 86400 }, plan.Approvals);
        Assert.Empty(plan.Hooks.BeforeAllowTraffic);
        Assert.Null(plan.GitOps);
        Assert.Equal(new BluePlan { Decommission = DecommissionPolicies.Never, RetentionSeconds = null }, plan.Blue);
        Assert.Equal(GreenFailurePolicies.Delete, plan.Green.OnFailure);
        Assert.Equal("2025-06-01T09:00:00.000Z", plan.StartedAt);
    }

    [Fact]
    public void Plan_Route53Input_NormalizesZoneAndRecordName()
    {
        var plan = Inputs.Plan(Inputs.Route53()
            .With("traffic.hostedZoneId", "\"/hostedzone/Z1D633PJN98FT9\"")
            .With("traffic.recordName", "\"API.Example.com\""));

        Assert.Equal("Z1D633PJN98FT9", ((Route53TrafficPlan)plan.Traffic).HostedZoneId);
        Assert.Equal("api.example.com.", ((Route53TrafficPlan)plan.Traffic).RecordName);
        Assert.Equal("shop-green", plan.GreenClusterName);
        Assert.False(plan.GreenClusterNameDerived);
        Assert.Equal("arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/shop-green-tg/3e1f2a7b9c4d5e60", plan.Health.TargetGroupArn);
        Assert.Equal(172800, plan.Blue.RetentionSeconds);
        Assert.Equal(InsufficientDataPolicies.Ok, plan.Alarms.InsufficientData);
    }

    [Fact]
    public void Plan_Route53WithoutTargetGroup_ChecksNoTargets()
    {
        var plan = Inputs.Plan(Inputs.Route53().With("health", null));

        Assert.Null(plan.Health.TargetGroupArn);
    }

    [Fact]
    public void Plan_SameExecution_GivesSameRunIdAndTokens()
    {
        var first = Inputs.AlbPlan();
        var second = Inputs.AlbPlan();

        Assert.Equal(first.RunId, second.RunId);
        Assert.Equal(first.ClientRequestToken, second.ClientRequestToken);
        Assert.StartsWith("shop-1-34-20250601-", first.RunId, StringComparison.Ordinal);
        Assert.InRange(first.ClientRequestToken.Length, 1, RunIdentity.MaxTokenLength);
    }

    [Fact]
    public void RunId_UnsafeOrLongExecutionName_IsSanitisedAndBounded()
    {
        var runId = RunIdentity.RunId(Inputs.ExecutionId, "Upgrade shop:" + new string('x', 80));

        Assert.Matches("^[A-Za-z0-9-]+$", runId);
        Assert.True(runId.Length <= 64);
        Assert.NotEqual(runId, RunIdentity.RunId(Inputs.ExecutionId + "-other", "Upgrade shop:" + new string('x', 80)));
    }

    [Fact]
    public void Plan_GitOpsLabels_AreKept()
    {
        var plan = Inputs.Plan(Inputs.Alb().With("gitops", "{\"clusterSecretName\":\"argocd/shop\",\"labels\":{\"env\":\"prd\",\"example.com/tier\":\"web\"}}"));

        Assert.Equal("argocd/shop", plan.GitOps!.ClusterSecretName);
        Assert.Equal("web", plan.GitOps.Labels["example.com/tier"]);
    }

    [Fact]
    public void Plan_GitOpsLabelWithAnEmptyValue_IsKept()
    {
        // Kubernetes label values may be empty (the schema allows it too).
        var plan = Inputs.Plan(Inputs.Alb().With("gitops", "{\"clusterSecretName\":\"argocd/shop\",\"labels\":{\"canary\":\"\"}}"));

        Assert.Equal("", plan.GitOps!.Labels["canary"]);
    }

    [Fact]
    public void Plan_ArgoApplications_DefaultNamespaceAndPath()
    {
        var plan = Inputs.Plan(Inputs.Alb().With("health.applications", "{\"names\":[\"shop-api\"]}"));

        Assert.Equal("argocd", plan.Health.ArgoCd!.Namespace);
        Assert.Equal("/apis/argoproj.io/v1alpha1/namespaces/argocd/applications", plan.Health.ArgoCd.Path);
    }

    [Theory]
    [InlineData(240, 0, 30)]
    [InlineData(30, 50, 47)]
    [InlineData(240, 3, 50)]
    [InlineData(240, 50, 370)]
    public void Plan_ArgoApplicationsReadOneByOne_SpaceTheHealthChecksToFitTheHistory(int timeoutMinutes, int applications, int pollSeconds)
    {
        var names = string.Join(",", Enumerable.Range(1, applications).Select(i => $"\"app-{i}\""));
        var health = applications == 0
            ? $"{{\"timeoutMinutes\":{timeoutMinutes}}}"
            : $"{{\"timeoutMinutes\":{timeoutMinutes},\"applications\":{{\"names\":[{names}]}}}}";

        var plan = Inputs.Plan(Inputs.Alb().With("health", health));

        Assert.Equal(pollSeconds, plan.Health.PollSeconds);
        var checks = plan.Health.TimeoutSeconds / plan.Health.PollSeconds;
        Assert.True(checks * (UpgradePlanner.HealthEventsPerCheck + (UpgradePlanner.HealthEventsPerArgoApplication * applications)) <= UpgradePlanner.HealthHistoryBudget);
    }
}
