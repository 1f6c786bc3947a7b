using BlueGreen.Functions.Planning;
using BlueGreen.Simulator.Aws.Services.SecretsManager;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// GitOps registration overwrites an existing Argo CD cluster secret only when this product wrote it for this
/// run (a retry or redrive); any other secret with that name is refused before traffic moves and left as it was.
/// </summary>
public class GitOpsSecretOwnershipTests
{
    private const string SecretName = "argocd/clusters/shop-green";
    private const string ForeignValue = """{"name":"legacy","server":"https://legacy.example.com"}""";

    private static (UpgradeRehearsal Rehearsal, string RunId) Prepare()
    {
        var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("full-options"));
        var name = UpgradeRehearsal.DefaultExecutionName(rehearsal.Input);
        var arn = $"arn:aws:states:{rehearsal.Account.Region}:{rehearsal.Account.AccountId}:execution:{rehearsal.Deployment.UpgradeStateMachine}:{name}";
        return (rehearsal, RunIdentity.RunId(arn, name));
    }

    private static void CreateSecretBeforehand(UpgradeRehearsal rehearsal, params (string Key, string Value)[] tags)
    {
        var parameters = JObject.Of(("Name", SecretName), ("SecretString", ForeignValue));
        if (tags.Length > 0)
        {
            parameters = JObject.Of(("Name", SecretName), ("SecretString", ForeignValue),
                ("Tags", JArray.From(tags.Select(t => (JValue)JObject.Of(("Key", t.Key), ("Value", t.Value))))));
        }
        RehearsalKit.Call(rehearsal.Account, rehearsal.Account.Service<SecretsManagerService>(), "CreateSecret", parameters);
    }

    private static string CurrentValue(UpgradeRehearsal rehearsal) =>
        RehearsalKit.Call(rehearsal.Account, rehearsal.Account.Service<SecretsManagerService>(), "GetSecretValue", JObject.Of(("SecretId", SecretName)))!.GetString("SecretString")!;

    [Fact]
    public void Upgrade_SecretWrittenEarlierByThisRun_IsOverwrittenAndTheUpgradeCompletes()
    {
        var (rehearsal, runId) = Prepare();
        using var _ = rehearsal;
        // As the interrupted attempt left it: every tag CreateSecret set, an older value.
        CreateSecretBeforehand(rehearsal, ("argocd.argoproj.io/secret-type", "cluster"), ("bluegreen:managed-by", "eks-bluegreen-upgrade"), ("bluegreen:run-id", runId));

        var summary = rehearsal.Run();

        Assert.True(summary.Outcome == "Completed", $"{summary.Error}: {summary.Cause}");
        Assert.Contains(rehearsal.Account.Calls.Calls, c => c.Name == "secretsmanager:PutSecretValue");
        Assert.Equal("shop-green", JValue.Parse(CurrentValue(rehearsal)).AsObject().GetString("name"));
    }

    [Fact]
    public void Upgrade_NewSecret_CarriesTheOwnershipTags()
    {
        var (rehearsal, runId) = Prepare();
        using var _ = rehearsal;

        Assert.Equal("Completed", rehearsal.Run().Outcome);

        var described = RehearsalKit.Call(rehearsal.Account, rehearsal.Account.Service<SecretsManagerService>(), "DescribeSecret", JObject.Of(("SecretId", SecretName)))!;
        var tags = described.GetArray("Tags")!.Select(t => t.AsObject()).ToDictionary(t => t.GetString("Key")!, t => t.GetString("Value")!);
        Assert.Equal("eks-bluegreen-upgrade", tags["bluegreen:managed-by"]);
        Assert.Equal(runId, tags["bluegreen:run-id"]);
    }

    public static TheoryData<string, string[]> ForeignTags => new()
    {
        { "no tags at all", [] },
        { "another team's tags", ["team", "payments"] },
        { "this product, another run", ["bluegreen:managed-by", "eks-bluegreen-upgrade", "bluegreen:run-id", "an-earlier-run"] },
        { "this run's id, not managed by this product", ["bluegreen:run-id", "THIS_RUN"] },
    };

    [Theory]
    [MemberData(nameof(ForeignTags))]
    public void Upgrade_SecretNotWrittenByThisRun_FailsWithGitOpsSecretTakenAndLeavesItAlone(string why, string[] flat)
    {
        var (rehearsal, runId) = Prepare();
        using var _ = rehearsal;
        var tags = flat.Chunk(2).Select(p => (p[0], p[1] == "THIS_RUN" ? runId : p[1])).ToArray();
        CreateSecretBeforehand(rehearsal, tags);

        var summary = rehearsal.Run();

        Assert.True(summary.Outcome == "Failed", why);
        Assert.Equal("GitOpsSecretTaken", summary.Error);
        Assert.Contains(SecretName, rehearsal.Upgrade!.Cause, StringComparison.Ordinal);
        Assert.Equal(ForeignValue, CurrentValue(rehearsal));
        Assert.DoesNotContain(rehearsal.Account.Calls.Calls, c => c.Name is "secretsmanager:PutSecretValue" or "secretsmanager:UpdateSecret" or "secretsmanager:TagResource");
        Assert.DoesNotContain(rehearsal.Account.Calls.Calls, c => c.Name is "elasticloadbalancing:ModifyRule" or "elasticloadbalancing:ModifyListener");
    }
}
