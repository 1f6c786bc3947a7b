using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

public class ProductDeploymentTests
{
    private static string Definition(string name) => File.ReadAllText(Path.Combine(BuildInfo.RepositoryRoot, "statemachines", name + ".asl.json"));

    [Fact]
    public void Deploy_EveryPlaceholderHasAValue_AndEveryValueButTheStartedOnlyMachinesIsUsed()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        var deployment = rehearsal.Deployment;
        var used = deployment.Manifest!.StateMachines.SelectMany(m => ProductDeployment.PlaceholdersIn(Definition(m.Name))).ToHashSet();

        Assert.Empty(used.Except(deployment.Substitutions.Keys));
        // eos-scan is started by its daily schedule and by AWS Health events.
        // upgrade, restore-blue, reconcile-run and alarm-rollback are started by people and by EventBridge, never by another
        // definition (reconcile-run and start-run name the upgrade, whose executions they read); the traffic adapters only by a
        // name computed from their family's prefix (${TrafficStateMachineArnPrefix}); the chat function only through its function URL (issue 15).
        Assert.Equal(["AlarmRollbackStateMachineArn", "ChatCommandFunctionArn", "EosScanStateMachineArn", "PlanChatCommandFunctionArn", "ReconcileRunStateMachineArn", "RestoreBlueStateMachineArn", "TrafficAlbStateMachineArn", "TrafficRoute53StateMachineArn"], deployment.Substitutions.Keys.Except(used).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Deploy_InstallsTheManifestsNamesRolesAndTable()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        var deployment = rehearsal.Deployment;
        var sfn = rehearsal.Account.Service<BlueGreen.Simulator.Aws.Services.StepFunctions.StepFunctionsService>();
        var iam = rehearsal.Account.Service<BlueGreen.Simulator.Aws.Iam.IamService>();

        Assert.Equal("bluegreen-dev-upgrade", deployment.UpgradeStateMachine);
        Assert.StartsWith("bluegreen-dev-upgrades-", deployment.TableName, StringComparison.Ordinal);
        foreach (var machine in deployment.Manifest!.StateMachines)
        {
            var info = sfn.StateMachine(machine.PhysicalName)!;
            var role = iam.Role(info.RoleArn)!;
            Assert.Equal($"{machine.PhysicalName}-{rehearsal.Account.Region}", role.Name);
            Assert.NotEmpty(role.Policies.SelectMany(p => p.Statements));
        }

        Assert.Equal(["bluegreen-dev-alarm-history", "bluegreen-dev-alarm-rollback", "bluegreen-dev-ask-approval", "bluegreen-dev-bake", "bluegreen-dev-confirm-green", "bluegreen-dev-create-green", "bluegreen-dev-decommission-cluster", "bluegreen-dev-describe-blue", "bluegreen-dev-eos-scan", "bluegreen-dev-eos-scan-cluster", "bluegreen-dev-gate", "bluegreen-dev-prepare-traffic", "bluegreen-dev-reconcile-run", "bluegreen-dev-restore-blue", "bluegreen-dev-retire-blue", "bluegreen-dev-shift-step", "bluegreen-dev-start-run", "bluegreen-dev-traffic-alb", "bluegreen-dev-traffic-route53", "bluegreen-dev-upgrade"], sfn.StateMachines.Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("upgrade", 604800)]
    [InlineData("bake", 604800)]
    [InlineData("decommission-cluster", 86400)]
    [InlineData("restore-blue", 86400)]
    [InlineData("reconcile-run", 86400)]
    [InlineData("describe-blue", 3600)]
    [InlineData("eos-scan", 86400)]
    [InlineData("eos-scan-cluster", 3600)]
    [InlineData("create-green", 86400)]
    [InlineData("gate", 604800)]
    [InlineData("shift-step", 604800)]
    [InlineData("start-run", 3600)]
    [InlineData("retire-blue", 3600)]
    [InlineData("confirm-green", 604800)]
    [InlineData("prepare-traffic", 3600)]
    [InlineData("alarm-history", 3600)]
    [InlineData("traffic-alb", 3600)]
    [InlineData("traffic-route53", 3600)]
    public void StateMachineFile_HasATimeout(string name, double seconds)
    {
        // cdk-review §7: an execution that hangs (a lost callback, a stuck .sync job) ends TIMED_OUT instead of running
        // for the Standard workflow's year. The bake's 7 days cover 120 checks at the longest poll (3,600 s).
        Assert.Equal(seconds, JValue.Parse(Definition(name)).AsObject().GetNumber("TimeoutSeconds"));
    }

    [Fact]
    public void EveryDeployedStateMachine_HasATimeoutCheckedAbove() =>
        Assert.All(BlueGreen.Deployment.Definitions.StateMachineFile.DeployedNames, name => Assert.NotNull(JValue.Parse(Definition(name)).AsObject().GetNumber("TimeoutSeconds")));

    /// <summary>Every deployed state machine file.</summary>
    public static TheoryData<string> Deployed => new(BlueGreen.Deployment.Definitions.StateMachineFile.DeployedNames);

    [Theory]
    [MemberData(nameof(Deployed))]
    public void StateMachineFile_IsAValidDefinition(string name)
    {
        var (definition, diagnostics) = DefinitionLoader.Validate(Definition(name));

        Assert.Empty(diagnostics.Items);
        Assert.NotNull(definition);
    }

    [Theory]
    [InlineData("create-green")]
    [InlineData("decommission-cluster")]
    public void OptimizedEksTasks_NameTheEksPrefixedErrors(string name)
    {
        // eks:createCluster.sync and friends report EKS.<Code>, the aws-sdk integration Eks.<Code>; a
        // Retry or Catch that names only the latter on an optimized task never matches (rehearsals found it).
        var lists = OptimizedEksErrorLists(Definition(name));

        Assert.NotEmpty(lists);
        Assert.All(lists, errors => Assert.All(errors.Where(e => e.StartsWith("Eks.", StringComparison.Ordinal)), e => Assert.Contains("EKS." + e[4..], errors)));
    }

    [Fact]
    public void FunctionName_IsKebabCaseWithTheNameBase()
    {
        Assert.Equal("bluegreen-dev-plan-upgrade", BlueGreen.Deployment.DeploymentManifest.FunctionName("bluegreen-dev", "PlanUpgrade"));
        Assert.Equal("bluegreen-dev-evaluate-alarms", BlueGreen.Deployment.DeploymentManifest.FunctionName("bluegreen-dev", "EvaluateAlarms"));
    }

    [Fact]
    public void Substitute_MissingPlaceholder_SaysWhich()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ProductDeployment.Substitute("""{"a":"${Known}","b":"${Unknown}"}""", new Dictionary<string, string> { ["Known"] = "x" }, "test.asl.json"));

        Assert.Contains("Unknown", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Known,", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The ErrorEquals lists of the Retry and Catch clauses on optimized EKS tasks.</summary>
    private static List<List<string>> OptimizedEksErrorLists(string definition)
    {
        var root = JValue.Parse(definition);
        var lists = new List<List<string>>();
        void Walk(JValue v)
        {
            switch (v)
            {
                case JObject o:
                    if (o.GetString("Resource") is { } r && r.StartsWith("arn:aws:states:::eks:", StringComparison.Ordinal))
                    {
                        lists.AddRange((o.GetArray("Catch") ?? JArray.Empty).Concat(o.GetArray("Retry") ?? JArray.Empty)
                            .Select(c => c.AsObject().GetArray("ErrorEquals")!.Select(e => e.AsString()).ToList()));
                    }

                    foreach (var m in o)
                    {
                        Walk(m.Value);
                    }

                    break;
                case JArray a:
                    foreach (var i in a)
                    {
                        Walk(i);
                    }

                    break;
            }
        }

        Walk(root);
        return lists;
    }
}
