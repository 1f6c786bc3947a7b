using BlueGreen.Simulator.Cli;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Cli;

public class RehearseCommandTests
{
    private static readonly string[] ContractKeys =
        ["status", "outcome", "error", "finalWeights", "virtualSeconds", "stateTransitions", "historyEvents", "lambdaInvocations", "awsCalls", "mutatingAwsCalls", "runRecord"];

    [Fact]
    public void Rehearse_Json_PrintsOnlyTheSummaryObject()
    {
        var stdout = new StringWriter();

        var exit = RehearseCommand.Run(["--scenario", "happy-alb", "--json"], stdout);

        Assert.Equal(0, exit);
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var summary = Assert.Single(lines);
        var o = (JObject)JValue.Parse(summary);
        Assert.All(ContractKeys, k => Assert.True(o.ContainsKey(k), $"missing {k}"));
        Assert.Equal("Completed", o.GetString("outcome"));
        Assert.Equal("""{"blue":0,"green":100}""", o["finalWeights"]!.ToJson());
        Assert.All(o.GetArray("awsCalls")!, c => Assert.Matches("^[a-z0-9]+:[A-Za-z]+$", c.AsString()));
    }

    [Fact]
    public void Rehearse_ScenarioEndingAsItsExpectBlockSays_ExitsZero_EvenWhenRolledBack()
    {
        var stdout = new StringWriter();

        var exit = RehearseCommand.Run(["--scenario", "alarm-at-25", "--json"], stdout);

        Assert.Equal(RehearseCommand.ExitExpected, exit);
        var expectation = ((JObject)JValue.Parse(stdout.ToString())).GetObject("expectation")!;
        Assert.Equal("scenario", expectation.GetString("source"));
        Assert.True(expectation.GetBool("met") == true);
        Assert.Contains(expectation.GetArray("checks")!, c => c.AsObject().GetString("field") == "runRecord.status");
    }

    [Fact]
    public void Rehearse_ExpectingAnotherOutcome_ExitsOne_AndSaysWhichFieldDiffered()
    {
        var stdout = new StringWriter();

        var exit = RehearseCommand.Run(["--scenario", "alarm-at-25", "--expect", "Completed"], stdout);

        Assert.Equal(RehearseCommand.ExitNotExpected, exit);
        Assert.Contains("Not as expected (--expect):", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("✗ outcome: expected Completed, was RolledBack", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Rehearse_WithAnotherInput_ExpectsCompletedUnlessTold()
    {
        var input = Path.Combine(BuildInfo.RepositoryRoot, "statemachines", "examples", "dry-run.json");

        var byDefault = RehearseCommand.Run(["--input", input, "--json"], new StringWriter());
        var told = new StringWriter();
        var expected = RehearseCommand.Run(["--input", input, "--expect", "Planned", "--json"], told);

        Assert.Equal((RehearseCommand.ExitNotExpected, RehearseCommand.ExitExpected), (byDefault, expected));
        Assert.Equal("--expect", ((JObject)JValue.Parse(told.ToString())).GetObject("expectation")!.GetString("source"));
    }

    [Fact]
    public void Rehearse_AnInputNamingAnotherAccount_SaysWhatTheWorldHas_BeforeRunning()
    {
        var input = """{"clusterName":"prod-blue","targetVersion":"1.34","strategy":"AllAtOnce","alarms":{"names":["prod-5xx","shop-5xx-rate"]},"traffic":{"type":"route53","hostedZoneId":"Z1","recordName":"api.example.com","recordType":"A","blueSetIdentifier":"blue","greenSetIdentifier":"green"}}""";
        var stdout = new StringWriter();

        var exit = RehearseCommand.Run(["--input", input], stdout);

        Assert.Equal(RehearseCommand.ExitNotExpected, exit);
        var text = stdout.ToString();
        Assert.Contains("clusterName prod-blue: the simulated account (world default) has no such cluster; it has shop-blue.", text, StringComparison.Ordinal);
        Assert.Contains("alarms.names prod-5xx: not in the simulated account (world default); it has ", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("Note:", StringComparison.Ordinal) < text.IndexOf("Plan the upgrade", StringComparison.Ordinal), "the note comes before the run");
    }

    private const string WithApprovals = """{"clusterName":"shop-blue","targetVersion":"1.34","strategy":"AllAtOnce","alarms":{"names":["shop-5xx-rate"]},"approvals":{"beforeTraffic":true,"beforeFinalize":true,"timeoutMinutes":10},"traffic":{"type":"alb","listenerArn":"arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener/app/shop-alb/50dc6c495c0c9188/f2f7dc8efc522ab2","ruleArn":"arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener-rule/app/shop-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee","blueTargetGroupArn":"arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/shop-blue-tg/6d0ecf831eec9f09","greenTargetGroupArn":"arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/shop-green-tg/3e1f2a7b9c4d5e60"}}""";

    [Theory]
    [InlineData("yes", "Completed", null, 0)]
    [InlineData("no", "Failed", "ApprovalRefused", 100)]
    [InlineData("timeout", "Failed", "ApprovalTimedOut", 100)]
    public void Rehearse_Approve_AnswersEveryApprovalTheRunAsksFor(string answer, string outcome, string? error, int blue)
    {
        var stdout = new StringWriter();

        var exit = RehearseCommand.Run(["--input", WithApprovals, "--approve", answer, "--expect", outcome, "--json"], stdout);

        Assert.Equal(RehearseCommand.ExitExpected, exit);
        var summary = (JObject)JValue.Parse(stdout.ToString());
        Assert.Equal(error, summary.GetString("error"));
        Assert.Equal(blue, summary.GetObject("finalWeights")!.GetNumber("blue"));
    }

    [Fact]
    public void Rehearse_ApprovalsWithoutAnAnswer_TimeOutAsBefore() =>
        Assert.Equal(RehearseCommand.ExitNotExpected, RehearseCommand.Run(["--input", WithApprovals, "--json"], new StringWriter()));

    [Fact]
    public void Rehearse_ApproveWithAnUnknownAnswer_IsAUsageError() =>
        Assert.Contains("--approve takes yes, no, timeout; not 'maybe'", Assert.Throws<UsageException>(() => RehearseCommand.Run(["--approve", "maybe"], new StringWriter())).Message, StringComparison.Ordinal);

    [Fact]
    public void Rehearse_ExpectingAnUnknownOutcome_IsAUsageError() =>
        Assert.Contains("Completed, RolledBack, RollbackFailed, Failed, Planned", Assert.Throws<UsageException>(() => RehearseCommand.Run(["--expect", "Done"], new StringWriter())).Message, StringComparison.Ordinal);

    [Fact]
    public void Rehearse_WithoutJson_ShowsProgressAndTheRunRecord()
    {
        var stdout = new StringWriter();

        RehearseCommand.Run(["--scenario", "alarm-at-25"], stdout);

        var text = stdout.ToString();
        Assert.Contains("Plan the upgrade", text, StringComparison.Ordinal);
        Assert.Contains("alarm shop-p99-latency: OK → ALARM", text, StringComparison.Ordinal);
        Assert.Contains("Blue 75% · Green 25%", text, StringComparison.Ordinal);
        // The bar fills with Green's share (solid) as Green takes over; Blue's remainder is shaded.
        Assert.Contains(new string('█', 8) + new string('░', 22) + " Blue 75% · Green 25%", text, StringComparison.Ordinal);
        Assert.Contains("RolledBack", text, StringComparison.Ordinal);
        Assert.Contains("run record", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rehearse_UnknownScenario_ListsTheKnownOnes()
    {
        var e = Assert.Throws<Simulator.Scenarios.ScenarioException>(() => RehearseCommand.Run(["--scenario", "no-such-thing", "--json"], new StringWriter()));

        Assert.Contains("happy-alb", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rehearse_NegativeSpeed_IsAUsageError()
    {
        Assert.Throws<UsageException>(() => RehearseCommand.Run(["--speed", "-1"], new StringWriter()));
    }

    [Fact]
    public void Rehearse_ContextSettings_AreValidatedAsTheCdkAppValidatesThem()
    {
        // prd has no section in cdk.json: its clusters and roles must be named, exactly as for cdk deploy.
        var e = Assert.Throws<BlueGreen.Deployment.Configuration.InvalidDeploymentSettingsException>(() =>
            RehearseCommand.Run(["-c", "bluegreen:environment=prd", "--json"], new StringWriter()));

        Assert.Contains("bluegreen:clusterNamePrefixes: required", e.Message, StringComparison.Ordinal);
        Assert.Contains("bluegreen:environments.prd", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rehearse_ContextSettings_ChangeWhatIsDeployed()
    {
        // A traffic tag the demo's listener rule does not carry: the deployed role may not change it, and preflight says so
        // before anything is created.
        var stdout = new StringWriter();
        RehearseCommand.Run(["-c", "bluegreen:trafficTag=team=payments", "--json"], stdout);

        var summary = JValue.Parse(stdout.ToString()).AsObject();
        Assert.Equal("Failed", summary.GetString("outcome"));
        Assert.Equal("PreflightFailed", summary.GetString("error"));
        Assert.Contains("is not tagged team=payments", summary.GetString("cause"), StringComparison.Ordinal);
        Assert.Equal(0, summary.GetNumber("mutatingAwsCalls"));
    }

    [Theory]
    [InlineData("-c", "no-equals-sign")]
    [InlineData("--template", "cdk.out/x.template.json", "-c", "bluegreen:environment=prd")]
    public void Rehearse_BadDeploymentOptions_AreUsageErrors(params string[] args) =>
        Assert.Throws<UsageException>(() => RehearseCommand.Run(args, new StringWriter()));

    [Fact]
    public void Rehearse_TemplateThatDoesNotExist_SaysHowToMakeIt()
    {
        var e = Assert.Throws<BlueGreen.Simulator.Rehearsal.Template.TemplateException>(() => RehearseCommand.Run(["--template", "/nowhere/x.template.json", "--json"], new StringWriter()));

        Assert.Contains("dotnet run --project src/Infra.Cdk", e.Message, StringComparison.Ordinal);
    }
}
