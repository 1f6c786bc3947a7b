using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Bad inputs through the real upgrade state machine: each is rejected with InvalidInput whose message
/// names the field, before anything in the account changes. All run at once in one simulated account.
/// </summary>
public sealed class BadInputWorkflowTests(BadInputWorkflowTests.Run run) : IClassFixture<BadInputWorkflowTests.Run>
{
    private const string OtherListenerRule = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener-rule/app/shop-alb/50dc6c495c0c9188/aaaaaaaaaaaaaaaa/9683b2d02a6cabee";
    private const string BlueTg = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/shop-blue-tg/6d0ecf831eec9f09";

    /// <summary>(where the demo input changes, the new JSON or null to remove it, the field the message must name).</summary>
    public static readonly (string Path, string? Json, string Field)[] Cases =
    [
        ("clusterName", null, "clusterName"),
        ("clusterName", "\"-shop\"", "clusterName"),
        ("clusterName", "\"shop-purple\"", "clusterName"),
        ("targetVersion", "\"1.3\"", "targetVersion"),
        ("targetVersion", "\"v1.34\"", "targetVersion"),
        ("targetVersion", null, "targetVersion"),
        ("targetVersion", "\"1.31\"", "1.31"),
        ("targetVersion", "\"1.32\"", "1.32"),
        ("targetVersion", "\"1.36\"", "1.36"),
        ("greenClusterName", "\"shop-blue\"", "greenClusterName"),
        ("greenClusterName", "\"shop green\"", "greenClusterName"),
        ("traffic.type", "\"nlb\"", "traffic.type"),
        ("traffic.listenerArn", "\"arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:loadbalancer/app/shop-alb/50dc6c495c0c9188\"", "traffic.listenerArn"),
        ("traffic.ruleArn", "\"" + OtherListenerRule + "\"", "traffic.ruleArn"),
        ("traffic.blueTargetGroupArn", null, "traffic.blueTargetGroupArn"),
        ("traffic.greenTargetGroupArn", "\"" + BlueTg + "\"", "traffic.greenTargetGroupArn"),
        ("traffic.hostedZoneId", "\"Z1D633PJN98FT9\"", "traffic.hostedZoneId"),
        ("traffic", null, "traffic"),
        ("strategy", "\"Blast\"", "strategy"),
        ("strategy", """{"steps":[{"weight":10,"bakeMinutes":5},{"weight":50,"bakeMinutes":5}]}""", "strategy.steps"),
        ("strategy", """{"steps":[{"weight":50,"bakeMinutes":5},{"weight":25,"bakeMinutes":5},{"weight":100,"bakeMinutes":5}]}""", "strategy.steps[1].weight"),
        ("strategy", """{"steps":[{"weight":0,"bakeMinutes":5},{"weight":100,"bakeMinutes":5}]}""", "strategy.steps[0].weight"),
        ("strategy", """{"steps":[{"weight":100,"bakeMinutes":-1}]}""", "strategy.steps[0].bakeMinutes"),
        ("strategy", """{"preset":"AllAtOnce","steps":[{"weight":100,"bakeMinutes":1}]}""", "strategy"),
        ("alarms.names", "[]", "alarms.names"),
        ("alarms", null, "alarms"),
        ("alarms.pollSeconds", "5", "alarms.pollSeconds"),
        ("alarms.insufficientData", "\"maybe\"", "alarms.insufficientData"),
        ("health.timeoutMinutes", "0", "health.timeoutMinutes"),
        ("health.minHealthyTargets", "-1", "health.minHealthyTargets"),
        ("approvals", """{"beforeTraffic":true,"timeoutMinutes":0}""", "approvals.timeoutMinutes"),
        ("hooks", """{"beforeAllowTraffic":["not-an-arn"]}""", "hooks.beforeAllowTraffic[0]"),
        ("gitops", """{"clusterSecretName":"bad name!"}""", "gitops.clusterSecretName"),
        ("blue", """{"decommission":"sometimes"}""", "blue.decommission"),
        ("blue", """{"decommission":"afterRetention"}""", "blue.retentionHours"),
        ("green", """{"onFailure":"explode"}""", "green.onFailure"),
        ("dryRun", "\"yes\"", "dryRun"),
        ("surprise", "1", "surprise"),
    ];

    public static TheoryData<int> CaseIndexes => [.. Enumerable.Range(0, Cases.Length)];

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void Upgrade_BadInput_IsRejectedWithInvalidInputNamingTheField(int index)
    {
        var execution = run.Executions[index];
        var field = Cases[index].Field;

        Assert.Equal("FAILED", execution.StatusName);
        Assert.Equal("InvalidInput", execution.Error);
        Assert.Contains(field, ErrorMessage(execution), StringComparison.Ordinal);
    }

    /// <summary>Execution inputs that are JSON but not objects: StartExecution accepts them.</summary>
    public static readonly string[] NotObjects = ["[]", "\"x\"", "42"];

    public static TheoryData<int> NotObjectIndexes => [.. Enumerable.Range(0, NotObjects.Length)];

    [Theory]
    [MemberData(nameof(NotObjectIndexes))]
    public void Upgrade_InputNotAJsonObject_IsRejectedWithInvalidInputByTheFirstState(int index)
    {
        var execution = run.NotObjectExecutions[index];

        Assert.Equal("FAILED", execution.StatusName);
        Assert.Equal("InvalidInput", execution.Error);
        Assert.Contains("the input must be a JSON object", ErrorMessage(execution), StringComparison.Ordinal);
        // Planning is the only work done: no other Task state was entered.
        var tasks = execution.History.Events.Where(e => e.Type == "TaskStateEntered").Select(e => e.StateName).Distinct();
        Assert.Equal(["Plan the upgrade"], tasks);
    }

    [Fact]
    public void Upgrade_BadInputs_ChangeNothingInTheAccount()
    {
        Assert.True(Cases.Length >= 30);
        Assert.Equal(0, run.MutatingCalls);
        Assert.Null(RehearsalKit.Cluster(run.Rehearsal.Account, "shop-green"));
        Assert.Null(RehearsalKit.Lock(run.Rehearsal, "shop-blue"));
    }

    /// <summary>The Lambda error's message (the cause is the runtime's JSON error object).</summary>
    private static string ErrorMessage(Execution execution) =>
        JValue.TryParse(execution.Cause ?? "", out var cause, out _) && cause is JObject o && o.GetString("errorMessage") is { } message ? message : execution.Cause ?? "";

    /// <summary>Starts every case at once in one simulated account and runs them all to their end.</summary>
    public sealed class Run : IDisposable
    {
        public Run()
        {
            var demo = (JObject)JValue.Parse(File.ReadAllText(Path.Combine(BuildInfo.RepositoryRoot, "statemachines/examples/alb-canary.json")));
            Rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
            var sfn = Rehearsal.Account.Service<StepFunctionsService>();
            var before = Rehearsal.Account.Calls.Calls.Count;
            Executions = [.. Cases.Select((c, i) => sfn.StartExecution(Rehearsal.Deployment.UpgradeStateMachine, With(demo, c.Path.Split('.'), c.Json), $"bad-input-{i:D2}"))];
            NotObjectExecutions = [.. NotObjects.Select((json, i) => sfn.StartExecution(Rehearsal.Deployment.UpgradeStateMachine, JValue.Parse(json), $"not-an-object-{i}"))];
            Rehearsal.Account.Scheduler.RunUntil(() => Rehearsal.Account.StepFunctions.Executions.All(e => !e.IsRunning));
            MutatingCalls = Rehearsal.Account.Calls.Calls.Skip(before).Count(c => c.ChangesAResource);
        }

        public UpgradeRehearsal Rehearsal { get; }

        public IReadOnlyList<Execution> Executions { get; }

        public IReadOnlyList<Execution> NotObjectExecutions { get; }

        public int MutatingCalls { get; }

        public void Dispose() => Rehearsal.Dispose();

        private static JObject With(JObject o, string[] path, string? json)
        {
            if (path.Length == 1)
            {
                return json is null ? o.Without(path[0]) : o.With(path[0], JValue.Parse(json));
            }

            return o.With(path[0], With(o.GetObject(path[0]) ?? JObject.Empty, path[1..], json));
        }
    }
}
