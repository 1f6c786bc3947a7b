using System.Text.Json.Nodes;
using BlueGreen.Simulator.Aws.Iam;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Rehearsal.Template;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Infra.Cdk.Tests;

/// <summary>
/// The default synthesis (the real entry point with cdk.json, as "dotnet run --project src/Infra.Cdk" runs it), made once
/// into a folder of its own, as "cdk synth" writes it: the template, its asset manifest and the staged assets.
/// </summary>
public sealed class DefaultSynth : IDisposable
{
    public DefaultSynth()
    {
        Directory = Path.Combine(Path.GetTempPath(), "bluegreen-default-synth-" + Guid.NewGuid().ToString("N"));
        var (exitCode, stderr) = Support.CdkApp.Run(Directory, cliContext: null);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"Synthesis failed ({exitCode}): {stderr}");
        }
    }

    public string Directory { get; }

    public string Template => Path.Combine(Directory, "EksBlueGreenUpgrade-dev.template.json");

    /// <summary>A copy of the synthesis (template, asset manifest, assets) that a test may change.</summary>
    public string Copy()
    {
        var copy = Directory + "-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Directory, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary><c>rehearse --template</c>: the synthesized stack, deployed into the simulated account, runs the demo.</summary>
public sealed partial class TemplateRehearsalTests(DefaultSynth synth) : IClassFixture<DefaultSynth>
{
    private static RehearsalSummary Rehearse(string template, string scenario = "happy-alb")
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load(scenario), deploy: a => TemplateDeployment.Deploy(a, template));
        return rehearsal.Run();
    }

    [Fact]
    public void DefaultSynth_RehearsedFromItsTemplate_CompletesTheDemo_WithEveryCallAllowed()
    {
        var summary = Rehearse(synth.Template);

        Assert.True(summary.Outcome == "Completed", $"{summary.Error}: {summary.Cause}");
        Assert.Empty(summary.Denials);
        Assert.Equal(new TrafficWeights(0, 100), summary.FinalWeights);
    }

    [Fact]
    public void DefaultSynth_ABlueWithAnEc2LinuxAccessEntry_Upgrades()
    {
        // Fidelity audit A1: Karpenter's node role has an EC2_LINUX access entry; Green's copy passes the role to EC2.
        const string karpenter = "arn:aws:iam::111122223333:role/shop-karpenter-node-role";
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"), deploy: a => TemplateDeployment.Deploy(a, synth.Template));
        var eks = rehearsal.Account.Service<BlueGreen.Simulator.Aws.Services.Eks.EksService>();
        rehearsal.Account.Scheduler.Run(() => rehearsal.Account.CallAsync(eks, "CreateAccessEntry", BlueGreen.Simulator.Json.JObject.Of(
            ("ClusterName", "shop-blue"), ("PrincipalArn", karpenter), ("Type", "EC2_LINUX")),
            new BlueGreen.Simulator.Aws.AwsCallContext { Account = rehearsal.Account, Cancellation = CancellationToken.None }));

        var summary = rehearsal.Run();

        Assert.True(summary.Outcome == "Completed", $"{summary.Error}: {summary.Cause}");
        Assert.Empty(summary.Denials);
        Assert.NotNull(eks.FindCluster("shop-green")!.AccessEntries.GetValueOrDefault(karpenter));
    }

    [Fact]
    public void DefaultSynth_AnAbortedUpgrade_IsRestoredByTheRuleThroughItsRole()
    {
        var summary = Rehearse(synth.Template, "abort-mid-shift");

        Assert.Equal("RolledBack", summary.Outcome);
        Assert.Equal(new TrafficWeights(100, 0), summary.FinalWeights);
        Assert.Contains(summary.OtherExecutions, e => e.StateMachine == "bluegreen-dev-restore-blue" && e.Status == "SUCCEEDED");
    }

    [Fact]
    public void DefaultSynth_ALockTheUpgradeCouldNotRelease_IsReleasedByTheReconcileRuleThroughItsRole()
    {
        var summary = Rehearse(synth.Template, "lock-release-fails-at-the-end");

        Assert.Equal("Completed", summary.Outcome);
        Assert.Empty(summary.Denials);
        var reconcile = Assert.Single(summary.Reconciliations);
        Assert.Equal("SUCCEEDED", reconcile.Status);
        Assert.Equal(["lock"], reconcile.Fixed);
    }

    [Fact]
    public void DefaultSynth_ADecommissionSchedulerGivesUpOn_LandsInTheSchedulesDeadLetterQueue_SentByTheSchedulesRole()
    {
        var summary = Rehearse(synth.Template, "decommission-schedule-undeliverable");

        Assert.Equal("Completed", summary.Outcome);
        Assert.Empty(summary.Denials);
        // One dead letter: the decommission's start. The reconcile rule's start, before the fault window, went through.
        Assert.Single(summary.AwsCalls, c => c == "sqs:SendMessage");
    }

    [Fact]
    public void AslRun_WithTheTemplate_RunsADeployedStateMachineAsItsRole()
    {
        var stdout = new StringWriter();
        var input = Path.Combine(BuildPaths.RepositoryRoot, "statemachines", "examples", "dry-run.json");

        var exit = BlueGreen.Simulator.Cli.AslCommand.Run(["run", "--template", synth.Template, "--state-machine", "upgrade", "--input", input], stdout);

        var result = BlueGreen.Simulator.Json.JValue.Parse(stdout.ToString()).AsObject();
        Assert.Equal(0, exit);
        Assert.True(result.GetString("status") == "SUCCEEDED", stdout.ToString());
        Assert.Equal("Planned", result.GetObject("output")!.GetString("outcome"));
    }

    [Fact]
    public void TemplateWithOnePermissionRemoved_FailsWithAccessDeniedAtTheRightState_AndNothingSplit()
    {
        var copy = synth.Copy();
        try
        {
            var path = Path.Combine(copy, "EksBlueGreenUpgrade-dev.template.json");
            var template = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var removed = 0;
            foreach (var (_, resource) in template["Resources"]!.AsObject())
            {
                if ((string?)resource!["Type"] is not ("AWS::IAM::ManagedPolicy" or "AWS::IAM::Policy"))
                {
                    continue;
                }

                foreach (var statement in resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
                {
                    if (statement!["Action"] is JsonArray actions && actions.FirstOrDefault(a => (string?)a == "eks:CreateAccessEntry") is { } found)
                    {
                        actions.Remove(found);
                        removed++;
                    }
                }
            }

            Assert.Equal(1, removed);
            File.WriteAllText(path, template.ToJsonString());

            var summary = Rehearse(path);

            Assert.Equal("Failed", summary.Outcome);
            Assert.Equal("Eks.AccessDeniedException", summary.Error);
            var denial = Assert.Single(summary.Denials);
            Assert.Equal(("eks:CreateAccessEntry", "Create the access entry"), (denial.Action, denial.StateName));
            Assert.Equal(new TrafficWeights(100, 0), summary.FinalWeights);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void StateMachinesWithoutSubstitutions_OmitThem_AndAnEmptyMapIsRefusedAsCloudFormationWould()
    {
        // CloudFormation's AWS::StepFunctions::StateMachine schema gives DefinitionSubstitutions minProperties 1 (cfn-lint
        // E3002): the traffic adapters have none, so the stack must leave the property out.
        var template = JsonNode.Parse(File.ReadAllText(synth.Template))!.AsObject();
        var machines = template["Resources"]!.AsObject().Where(r => (string?)r.Value!["Type"] == "AWS::StepFunctions::StateMachine").ToList();
        Assert.DoesNotContain(machines, m => m.Value!["Properties"]!["DefinitionSubstitutions"] is JsonObject { Count: 0 });
        var bare = machines.Where(m => m.Value!["Properties"]!["DefinitionSubstitutions"] is null).Select(m => m.Key).ToList();
        Assert.NotEmpty(bare);

        var copy = synth.Copy();
        try
        {
            var path = Path.Combine(copy, "EksBlueGreenUpgrade-dev.template.json");
            template["Resources"]![bare[0]]!["Properties"]!["DefinitionSubstitutions"] = new JsonObject();
            File.WriteAllText(path, template.ToJsonString());

            var e = Assert.Throws<TemplateException>(() => Rehearse(path));

            Assert.Contains($"{bare[0]}: DefinitionSubstitutions is empty", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void CodeAssetWithoutItsRuntimeConfig_FailsWithTheRuntimesError()
    {
        var copy = synth.Copy();
        try
        {
            foreach (var file in Directory.GetFiles(copy, "*.runtimeconfig.json", SearchOption.AllDirectories))
            {
                File.Delete(file);
            }

            var summary = Rehearse(Path.Combine(copy, "EksBlueGreenUpgrade-dev.template.json"));

            Assert.Equal("Failed", summary.Outcome);
            Assert.Equal("Runtime.ExitError", summary.Error);
            Assert.Contains("exit status 106", summary.Cause, StringComparison.Ordinal);
            Assert.Equal(new TrafficWeights(100, 0), summary.FinalWeights);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void TemplateAndManifest_DeployTheSameRolesNamesAndSubstitutions()
    {
        // The rehearsal's default (the manifest) and the synthesized stack cannot drift: every role the simulator knows has
        // the same statements either way, and every state machine the same name, role and definition.
        using var fromTemplate = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"), deploy: a => TemplateDeployment.Deploy(a, synth.Template));
        using var fromManifest = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));

        var templateRoles = Roles(fromTemplate);
        var manifestRoles = Roles(fromManifest);
        foreach (var (name, statements) in manifestRoles)
        {
            Assert.True(templateRoles.TryGetValue(name, out var synthesized), $"The template has no role {name}.");
            var missing = statements.Except(synthesized!).ToList();
            Assert.True(missing.Count == 0, $"{name}: the template lacks {string.Join(" | ", missing)}; it has {string.Join(" | ", synthesized!)}");
        }

        var machines = (UpgradeRehearsal r) => r.Account.Service<BlueGreen.Simulator.Aws.Services.StepFunctions.StepFunctionsService>().StateMachines
            .ToDictionary(m => m.Name, m => (m.RoleArn, m.DefinitionText.Replace(r.Deployment.TableName, "TABLE", StringComparison.Ordinal)));
        Assert.Equal(machines(fromManifest), machines(fromTemplate));
        Assert.Equal(fromManifest.Deployment.UpgradeStateMachine, fromTemplate.Deployment.UpgradeStateMachine);
    }

    [System.Text.RegularExpressions.GeneratedRegex("key/[0-9a-f-]{36}")]
    private static partial System.Text.RegularExpressions.Regex KeyIds();

    /// <summary>Per role, its Allow statements as comparable text (actions, resources, conditions; CDK's logging and X-Ray grants aside).</summary>
    private static Dictionary<string, HashSet<string>> Roles(UpgradeRehearsal rehearsal) =>
        rehearsal.Account.Service<IamService>().Roles.ToDictionary(
            r => r.Name,
            r => r.Policies.SelectMany(p => p.Statements)
                .SelectMany(s => (s.Actions ?? []).Where(a => !a.StartsWith("logs:", StringComparison.Ordinal) && !a.StartsWith("xray:", StringComparison.Ordinal))
                    .SelectMany(a => (s.Resources ?? []).Select(res => $"{s.Effect} {a} {KeyIds().Replace(res, "key/KEY")} {string.Join(";", s.Conditions.Select(c => $"{c.Operator}:{c.Key}={string.Join(",", c.Values)}"))}")))
                .ToHashSet(StringComparer.Ordinal));
}
