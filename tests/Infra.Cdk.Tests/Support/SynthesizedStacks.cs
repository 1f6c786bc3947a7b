using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using BlueGreen.Deployment.Configuration;

namespace BlueGreen.Infra.Cdk.Tests.Support;

/// <summary>One synthesized stack: the stack object, its assertions template and its JSON.</summary>
public sealed record SynthesizedStack(UpgradeStack Stack, Template Template, TemplateJson Json, DeploymentSettings Settings);

/// <summary>
/// Synthesis takes seconds, so the tests share stacks, made once: one with only the required setting (every default),
/// one with every optional setting given, one that allows every cluster. Both use a concrete account and Region so ARNs read as text.
/// </summary>
public sealed class SynthesizedStacks
{
    public const string Account = "111122223333";
    public const string Region = "ap-northeast-2";

    /// <summary>Every optional setting: Slack, Route 53 zones, Pod Identity roles, encryption keys, named clusters.</summary>
    public static IReadOnlyDictionary<string, object?> FullContext { get; } = new Dictionary<string, object?>
    {
        ["bluegreen:prefix"] = "bg",
        ["bluegreen:environment"] = "prd",
        ["bluegreen:clusterNamePrefixes"] = new[] { "shop-", "payments-" },
        ["bluegreen:clusterRoles"] = new[] { "arn:aws:iam::111122223333:role/shop-eks-cluster-role", "eks-cluster-role" },
        ["bluegreen:nodeRoles"] = "shop-eks-node-role,eks-node-role",
        ["bluegreen:podIdentityRoles"] = new[] { "shop-*", "argocd-management" },
        ["bluegreen:clusterEncryptionKeyArns"] = new[] { "arn:aws:kms:ap-northeast-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
        ["bluegreen:route53HostedZoneIds"] = new[] { "Z0123456789ABCDEFGHIJ" },
        ["bluegreen:trafficTag"] = "team=platform",
        ["bluegreen:hookTag"] = "bluegreen:hook=yes",
        ["bluegreen:gitOpsSecretPrefix"] = "argocd/prd/",
        ["bluegreen:slackWorkspaceId"] = "T0123ABCD",
        ["bluegreen:slackChannelId"] = "C0123ABCD",
        ["bluegreen:logRetentionDays"] = 731,
        ["bluegreen:executionLogLevel"] = "ERROR",
        ["bluegreen:reservedConcurrency"] = "10",
    };

    /// <summary>The least a deployment must give: the clusters and their cluster and node roles; everything else defaults.</summary>
    public static IReadOnlyDictionary<string, object?> MinimalContext { get; } = new Dictionary<string, object?>
    {
        ["bluegreen:clusterNamePrefixes"] = "shop-",
        ["bluegreen:clusterRoles"] = "shop-eks-cluster-role",
        ["bluegreen:nodeRoles"] = "shop-eks-node-role",
    };

    private readonly Lazy<SynthesizedStack> defaults = new(() => Synthesize(MinimalContext));
    private readonly Lazy<SynthesizedStack> full = new(() => Synthesize(FullContext));
    private readonly Lazy<SynthesizedStack> allClusters = new(() => Synthesize(new Dictionary<string, object?>(MinimalContext) { ["bluegreen:clusterNamePrefixes"] = "*" }));

    /// <summary>Every default: only the required setting given.</summary>
    public SynthesizedStack Defaults => defaults.Value;

    public SynthesizedStack Full => full.Value;

    /// <summary>The operator explicitly allows every cluster (<c>*</c>).</summary>
    public SynthesizedStack AllClusters => allClusters.Value;

    public static SynthesizedStack Synthesize(IReadOnlyDictionary<string, object?> context)
    {
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1");
        var settings = DeploymentSettings.FromContext(context);
        var app = new App(new AppProps
        {
            Context = context.ToDictionary(c => c.Key, c => c.Value!),
            Outdir = Path.Combine(Path.GetTempPath(), "bluegreen-cdk-tests", Guid.NewGuid().ToString("N")),
        });
        var stack = new UpgradeStack(app, "EksBlueGreenUpgrade-test", settings, StackInputs.FromBuild(), new StackProps
        {
            Env = new Amazon.CDK.Environment { Account = Account, Region = Region },
        });
        var template = Template.FromStack(stack);
        var path = app.Synth().GetStackArtifact(stack.ArtifactId).TemplateFullPath;
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        return new SynthesizedStack(stack, template, new TemplateJson(json, Account, Region), settings);
    }
}

[CollectionDefinition(Name)]
public sealed class CdkCollection : ICollectionFixture<SynthesizedStacks>
{
    /// <summary>jsii runs one Node process per test process; synthesis stays on one thread at a time.</summary>
    public const string Name = "CDK synthesis";
}
