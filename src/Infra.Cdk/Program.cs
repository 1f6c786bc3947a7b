using Amazon.CDK;
using BlueGreen.Infra.Cdk;
using BlueGreen.Deployment.Configuration;

// cdk.json runs this with "dotnet run --project src/Infra.Cdk"; run it directly for the same result, with context
// values as arguments: dotnet run --project src/Infra.Cdk -- -c bluegreen:clusterNamePrefixes=shop-
DeploymentSettings settings;
IReadOnlyDictionary<string, object?> context;
bool fromCli;
try
{
    (context, fromCli) = CdkContext.Load(BuildPaths.RepositoryRoot, args);
    settings = DeploymentSettings.FromContext(context);
}
catch (Exception e) when (e is InvalidDeploymentSettingsException or ArgumentException)
{
    await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
    return 1;
}

var app = new App(fromCli ? null : new AppProps
{
    Context = context.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!),
    // Where "cdk synth" would write it (unless CDK_OUTDIR says otherwise), so that "cdk deploy --app cdk.out" can pick it up.
    Outdir = System.Environment.GetEnvironmentVariable("CDK_OUTDIR") is { Length: > 0 } outdir ? outdir : Path.Combine(BuildPaths.RepositoryRoot, "cdk.out"),
});
try
{
    _ = new UpgradeStack(app, $"EksBlueGreenUpgrade-{settings.Environment}", settings, StackInputs.FromBuild(), new StackProps
    {
        // Environment-agnostic unless the CLI knows the account: synthesis never looks anything up.
        Env = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT") is { Length: > 0 } account
            ? new Amazon.CDK.Environment { Account = account, Region = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION") }
            : null,
        Description = "EKS Blue/Green upgrades as durable Step Functions workflows (statemachines/*.asl.json).",
    });
}
catch (BlueGreen.Functions.InvalidProfile e)
{
    // profiles/*.json: every problem of every profile, and no template.
    await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
    return 1;
}
var assembly = app.Synth();
// A line saying where the template went (stderr: the CDK CLI reads the cloud assembly, not this process's stdout).
var stack = assembly.GetStackByName($"EksBlueGreenUpgrade-{settings.Environment}");
await Console.Error.WriteLineAsync($"Synthesized {stack.StackName}: {Path.GetRelativePath(BuildPaths.RepositoryRoot, stack.TemplateFullPath)}").ConfigureAwait(false);
return 0;
