using BlueGreen.Functions.Handlers;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// A rehearsal runs the functions from the code package the CDK app ships, started as the managed runtime starts them:
/// a packaging mistake fails the rehearsal with the runtime's error before anything in the account changes.
/// </summary>
public sealed class PackagingRehearsalTests
{
    [Fact]
    public void PackageWithoutRuntimeConfig_FailsAtTheFirstFunctionWithRuntimeExitError_AndChangesNothing()
    {
        var package = Path.Combine(Path.GetTempPath(), "bluegreen-no-runtimeconfig-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(package);
        try
        {
            foreach (var file in Directory.GetFiles(RehearsalBuildInfo.HandlersDirectory).Where(f => !f.EndsWith(".runtimeconfig.json", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(package, Path.GetFileName(file)));
            }

            using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"), deploy: account => ProductDeployment.Deploy(account, codeDirectory: package));
            var summary = rehearsal.Run();

            Assert.Equal("FAILED", summary.Status);
            Assert.Equal("Runtime.ExitError", summary.Error);
            Assert.Contains("exit status 106", summary.Cause, StringComparison.Ordinal);
            Assert.Equal(new TrafficWeights(100, 0), summary.FinalWeights);
            Assert.DoesNotContain(summary.AwsCalls, c => c.StartsWith("eks:Create", StringComparison.Ordinal) || c.StartsWith("elasticloadbalancing:Modify", StringComparison.Ordinal));
            Assert.All(rehearsal.Account.Service<BlueGreen.Simulator.Aws.Services.Lambda.LambdaService>().Invocations, i => Assert.Equal("Runtime.ExitError", i.ErrorType));
        }
        finally
        {
            Directory.Delete(package, recursive: true);
        }
    }

    [Fact]
    public void DefaultRehearsal_RunsEveryFunctionFromThePublishedPackage()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        var lambda = rehearsal.Account.Service<BlueGreen.Simulator.Aws.Services.Lambda.LambdaService>();

        Assert.Equal(FunctionCatalog.All.Count, lambda.Functions.Count);
        Assert.All(lambda.Functions, f => Assert.Equal(RehearsalBuildInfo.HandlersDirectory, f.CodeDirectory));
    }
}
