using System.Diagnostics;
using System.Text.Json;
using BlueGreen.Deployment.Configuration;

namespace BlueGreen.Infra.Cdk.Tests.Configuration;

public class DeploymentSettingsTests
{
    /// <summary>What every environment must name itself: its clusters and their cluster and node roles.</summary>
    private static Dictionary<string, object?> Required(params (string Key, object? Value)[] more)
    {
        var context = new Dictionary<string, object?>
        {
            ["bluegreen:clusterNamePrefixes"] = "shop-",
            ["bluegreen:clusterRoles"] = "shop-eks-cluster-role",
            ["bluegreen:nodeRoles"] = "shop-eks-node-role",
        };
        foreach (var (key, value) in more)
        {
            context[key] = value;
        }

        return context;
    }

    [Fact]
    public void FromContext_NoContext_AsksForTheClustersAndTheirRoles()
    {
        // No default is safe in an account that runs production clusters: the operator names them (or says *), and the
        // roles the workflow may pass to EKS and EC2 (cdk-review §2, §4).
        var error = Assert.Throws<InvalidDeploymentSettingsException>(() => DeploymentSettings.FromContext(new Dictionary<string, object?>()));

        Assert.Equal(3, error.Problems.Count);
        var prefixes = Assert.Single(error.Problems, p => p.StartsWith("bluegreen:clusterNamePrefixes: required;", StringComparison.Ordinal));
        Assert.Contains("-c bluegreen:clusterNamePrefixes=shop-,payments-", prefixes, StringComparison.Ordinal);
        Assert.Contains("bluegreen:environments.dev", prefixes, StringComparison.Ordinal);
        Assert.Contains(error.Problems, p => p.StartsWith("bluegreen:clusterRoles: required;", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("bluegreen:nodeRoles: required;", StringComparison.Ordinal));
    }

    [Fact]
    public void FromContext_EnvironmentSection_AppliesOnlyToThatEnvironment_AndCliValuesWin()
    {
        // cdk.json names dev's clusters under bluegreen:environments.dev: a prd synth does not inherit them (cdk-review §2).
        var environments = new Dictionary<string, object?>
        {
            ["dev"] = new Dictionary<string, object?> { ["clusterNamePrefixes"] = "shop-", ["clusterRoles"] = "shop-eks-cluster-role", ["nodeRoles"] = "shop-eks-node-role" },
        };

        var dev = DeploymentSettings.FromContext(new Dictionary<string, object?> { ["bluegreen:environments"] = environments });
        var overridden = DeploymentSettings.FromContext(new Dictionary<string, object?> { ["bluegreen:environments"] = environments, ["bluegreen:clusterNamePrefixes"] = "payments-" });
        var prd = Assert.Throws<InvalidDeploymentSettingsException>(() => DeploymentSettings.FromContext(new Dictionary<string, object?> { ["bluegreen:environments"] = environments, ["bluegreen:environment"] = "prd" }));

        Assert.Equal(["shop-"], dev.ClusterNamePrefixes);
        Assert.Equal(["payments-"], overridden.ClusterNamePrefixes);
        Assert.Contains(prd.Problems, p => p.StartsWith("bluegreen:clusterNamePrefixes: required;", StringComparison.Ordinal) && p.Contains("bluegreen:environments.prd", StringComparison.Ordinal));
    }

    [Fact]
    public void FromContext_UnknownSettingInAnEnvironmentSection_IsNamed()
    {
        var error = Assert.Throws<InvalidDeploymentSettingsException>(() => DeploymentSettings.FromContext(Required(
            ("bluegreen:environments", new Dictionary<string, object?> { ["prd"] = new Dictionary<string, object?> { ["clusterPrefixes"] = "x" } }))));

        Assert.StartsWith("bluegreen:environments.prd.clusterPrefixes: unknown setting", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_Defaults_KeepEnvironmentsApart()
    {
        // Tags and the Argo CD secret prefix default per environment: dev can reach nothing tagged or named for prd (cdk-review §3).
        var dev = DeploymentSettings.FromContext(Required());
        var prd = DeploymentSettings.FromContext(Required(("bluegreen:environment", "prd")));

        Assert.Equal(new RequiredTag("bluegreen:traffic", "bluegreen-dev"), dev.TrafficTag);
        Assert.Equal(new RequiredTag("bluegreen:traffic", "bluegreen-prd"), prd.TrafficTag);
        Assert.Equal(new RequiredTag("bluegreen:hook", "bluegreen-prd"), prd.HookTag);
        Assert.Equal("argocd/clusters/bluegreen-dev/", dev.GitOpsSecretPrefix);
        Assert.Equal("argocd/clusters/bluegreen-prd/", prd.GitOpsSecretPrefix);
    }

    [Theory]
    [InlineData("*eks-node-role*")]
    [InlineData("*")]
    [InlineData("arn:aws:iam::111122223333:role/*admin")]
    public void FromContext_RolePatternWithALeadingWildcard_IsRefused(string pattern)
    {
        // A leading * matches any path and prefix: "prod-eks-node-role-admin" would become passable (cdk-review §4).
        var error = Assert.Throws<InvalidDeploymentSettingsException>(() => DeploymentSettings.FromContext(Required(("bluegreen:nodeRoles", pattern))));

        Assert.StartsWith($"bluegreen:nodeRoles: \"{pattern}\" is not valid", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_PrefixAndEnvironmentTooLongTogether_NamesBoth()
    {
        // Each is valid alone; together they would push role names past IAM's 64 characters.
        var error = Assert.Throws<InvalidDeploymentSettingsException>(() => DeploymentSettings.FromContext(Required(
            ("bluegreen:prefix", "platform-upgrades"),
            ("bluegreen:environment", "production"))));

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("bluegreen:prefix and bluegreen:environment: together they start every resource name (\"platform-upgrades-production\", 28 characters)", problem, StringComparison.Ordinal);
        Assert.Equal("bluegreen-prd", DeploymentSettings.FromContext(Required(("bluegreen:environment", "prd"))).NameBase);
    }

    [Fact]
    public void FromContext_EveryClusterAllowedExplicitly_IsAccepted()
    {
        var settings = DeploymentSettings.FromContext(Required(("bluegreen:clusterNamePrefixes", "*")));

        Assert.True(settings.AllClusters);
    }

    [Fact]
    public void FromContext_OnlyTheRequiredSettings_UsesSafeDefaults()
    {
        var settings = DeploymentSettings.FromContext(Required());

        Assert.Equal("bluegreen", settings.Prefix);
        Assert.Equal(["shop-"], settings.ClusterNamePrefixes);
        Assert.False(settings.AllClusters);
        Assert.Empty(settings.Route53HostedZoneIds);
        Assert.Empty(settings.PodIdentityRoles);
        Assert.False(settings.SlackEnabled);
        Assert.Equal(new RequiredTag("bluegreen:traffic", "bluegreen-dev"), settings.TrafficTag);
        Assert.Equal(365, settings.LogRetentionDays);
        Assert.Equal(0, settings.ReservedConcurrency);
        Assert.DoesNotContain("*", settings.ClusterRoles.Concat(settings.NodeRoles));
    }

    [Fact]
    public void FromContext_CliStrings_ParseListsNumbersAndTags()
    {
        // -c options arrive as strings: lists comma-separated or as JSON arrays.
        var settings = DeploymentSettings.FromContext(Required(
            ("bluegreen:clusterNamePrefixes", "shop-, payments-"),
            ("bluegreen:route53HostedZoneIds", "[\"Z0123ABC\"]"),
            ("bluegreen:reservedConcurrency", "0"),
            ("bluegreen:trafficTag", "team=platform=web")));

        Assert.Equal(["shop-", "payments-"], settings.ClusterNamePrefixes);
        Assert.Equal(["Z0123ABC"], settings.Route53HostedZoneIds);
        Assert.Equal(0, settings.ReservedConcurrency);
        Assert.Equal(new RequiredTag("team", "platform=web"), settings.TrafficTag);
    }

    [Fact]
    public void FromContext_CdkJsonValues_ParseJsonElements()
    {
        using var doc = JsonDocument.Parse("""{"bluegreen:clusterNamePrefixes": ["shop-"], "bluegreen:clusterRoles": "a-cluster-role", "bluegreen:nodeRoles": ["a-node-role"], "bluegreen:logRetentionDays": 30, "bluegreen:slackWorkspaceId": "T1", "bluegreen:slackChannelId": "C1"}""");
        var context = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

        var settings = DeploymentSettings.FromContext(context);

        Assert.Equal(["a-node-role"], settings.NodeRoles);
        Assert.Equal(30, settings.LogRetentionDays);
        Assert.True(settings.SlackEnabled);
    }

    [Fact]
    public void FromContext_InvalidContext_ListsEveryProblemAtOnce()
    {
        var error = Assert.Throws<InvalidDeploymentSettingsException>(() => DeploymentSettings.FromContext(new Dictionary<string, object?>
        {
            ["bluegreen:prefix"] = "Blue Green",
            ["bluegreen:clusterNamePrefixes"] = new[] { "*", "shop-" },
            ["bluegreen:clusterRoles"] = new[] { "*" },
            ["bluegreen:nodeRoles"] = Array.Empty<string>(),
            ["bluegreen:route53HostedZoneIds"] = "not-a-zone",
            ["bluegreen:trafficTag"] = "aws:reserved=x",
            ["bluegreen:slackWorkspaceId"] = "T0123ABCD",
            ["bluegreen:logRetentionDays"] = 42,
            ["bluegreen:executionLogLevel"] = "DEBUG",
            ["bluegreen:reservedConcurrency"] = "lots",
            ["bluegreen:clusterPrefixes"] = "typo",
        }));

        Assert.Equal(11, error.Problems.Count);
        Assert.StartsWith("The deployment configuration (cdk.json context or -c options) has 11 problems:", error.Message, StringComparison.Ordinal);
        foreach (var key in new[]
                 {
                     "prefix", "clusterNamePrefixes", "clusterRoles", "nodeRoles", "route53HostedZoneIds", "trafficTag", "slackWorkspaceId and",
                     "logRetentionDays", "executionLogLevel", "reservedConcurrency", "clusterPrefixes: unknown setting",
                 })
        {
            Assert.Contains(error.Problems, p => p.StartsWith("bluegreen:" + key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void App_InvalidContext_ExitsWithEveryProblemOnStandardError()
    {
        // The real entry point, as the CDK CLI runs it: context arrives in CDK_CONTEXT_JSON.
        var app = Path.Combine(AppContext.BaseDirectory, "BlueGreen.Infra.Cdk.dll");
        var start = new ProcessStartInfo("dotnet", [app]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["CDK_CONTEXT_JSON"] = """{"bluegreen:prefix": "X", "bluegreen:reservedConcurrency": -1, "bluegreen:clusterNamePrefixes": "shop-", "bluegreen:clusterRoles": "r", "bluegreen:nodeRoles": "n"}""";
        start.Environment["CDK_OUTDIR"] = Path.Combine(Path.GetTempPath(), "bluegreen-cdk-invalid");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("has 2 problems", stderr, StringComparison.Ordinal);
        Assert.Contains("- bluegreen:prefix: \"X\" is not valid", stderr, StringComparison.Ordinal);
        Assert.Contains("- bluegreen:reservedConcurrency: -1 is not valid", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void App_PlainDotnetRun_SynthesizesWithCdkJsonAndTakesContextArguments()
    {
        // Outside the CDK CLI the app reads cdk.json (which names the demo's shop- clusters) and takes -c on top.
        var outdir = Path.Combine(Path.GetTempPath(), "bluegreen-cdk-args-" + Guid.NewGuid().ToString("N"));
        var (defaultCode, fromCdkJson) = RunApp(outdir);
        var (badCode, bad) = RunApp(outdir, "--oops");
        var (okCode, ok) = RunApp(outdir, "-c", "bluegreen:clusterNamePrefixes=payments-", "-c", "bluegreen:environment=qa",
            "-c", "bluegreen:clusterRoles=payments-eks-cluster-role", "-c", "bluegreen:nodeRoles=payments-eks-node-role");

        Assert.True(defaultCode == 0, fromCdkJson);
        Assert.True(File.Exists(Path.Combine(outdir, "EksBlueGreenUpgrade-dev.template.json")));
        Assert.Equal(1, badCode);
        Assert.Contains("Unexpected argument \"--oops\"", bad, StringComparison.Ordinal);
        Assert.True(okCode == 0, ok);
        Assert.True(File.Exists(Path.Combine(outdir, "EksBlueGreenUpgrade-qa.template.json")));
        Directory.Delete(outdir, recursive: true);
    }

    [Fact]
    public void App_ContextWithoutClusterNamePrefixes_NamesTheMissingSetting()
    {
        // The setting has no default in code: a context that drops it (here from the CLI) stops synthesis and says how to give it.
        var outdir = Path.Combine(Path.GetTempPath(), "bluegreen-cdk-missing-" + Guid.NewGuid().ToString("N"));
        var (code, stderr) = RunAppWithCliContext(outdir, """{"bluegreen:environment": "dev"}""");

        Assert.Equal(1, code);
        Assert.Contains("- bluegreen:clusterNamePrefixes: required;", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outdir));
    }

    private static (int ExitCode, string StandardError) RunApp(string outdir, params string[] args) => RunAppWithCliContext(outdir, null, args);

    private static (int ExitCode, string StandardError) RunAppWithCliContext(string outdir, string? cliContext, params string[] args) =>
        BlueGreen.Infra.Cdk.Tests.Support.CdkApp.Run(outdir, cliContext, args);
}
