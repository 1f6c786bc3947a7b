using System.Text.Json.Nodes;
using BlueGreen.Functions.Handlers;
using BlueGreen.Simulator.Aws.Services.Lambda;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Services.Lambda;

/// <summary>
/// Functions started from their code package the way the managed dotnet10 runtime starts them: bootstrap.sh's file
/// checks, the host's runtimeconfig check, RuntimeSupport's handler resolution. Each test copies the real published
/// package (the one the CDK app ships) and breaks one thing, then invokes through a state machine's lambda:invoke.
/// </summary>
public sealed class PackagedFunctionTests : IDisposable
{
    private const string Plan = "BlueGreen.Functions::BlueGreen.Functions.Handlers.PlanUpgradeHandler::Handle";

    private readonly PlatformHarness _h = new();
    private readonly string _package = Path.Combine(Path.GetTempPath(), "bluegreen-package-" + Guid.NewGuid().ToString("N"));

    public PackagedFunctionTests()
    {
        Directory.CreateDirectory(_package);
        foreach (var file in Directory.GetFiles(RehearsalBuildInfo.HandlersDirectory))
        {
            File.Copy(file, Path.Combine(_package, Path.GetFileName(file)));
        }
    }

    public void Dispose()
    {
        _h.Dispose();
        Directory.Delete(_package, recursive: true);
    }

    private string PackageFile(string suffix) => Path.Combine(_package, FunctionCatalog.AssemblyName + suffix);

    /// <summary>Registers the packaged function and invokes it once with an empty object (PlanUpgrade answers InvalidInput to that).</summary>
    private (string Status, string? Error, string? Cause) Invoke(string handler = Plan)
    {
        _h.Service<LambdaService>().RegisterPackagedFunction("plan-upgrade", _package, new LambdaFunctionOptions { Handler = handler, TimeoutSeconds = 30 });
        var summary = _h.Run("""
            {"StartAt":"Plan","States":{"Plan":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "Parameters":{"FunctionName":"plan-upgrade","Payload":{}},"End":true}}}
            """, JObject.Empty);
        return (summary.Status, summary.Error, summary.Cause);
    }

    [Fact]
    public void PublishedPackage_StartsAndRunsTheHandlerFromThePackage()
    {
        var (status, error, cause) = Invoke();

        // The handler ran: an empty input is the planner's InvalidInput, a function error with the handler's own type name,
        // and its stack shows the package's source paths (published with PathMap), not this checkout's.
        Assert.Equal("FAILED", status);
        Assert.Equal("InvalidInput", error);
        var frames = JValue.Parse(cause!).AsObject().GetArray("stackTrace")!.Select(f => f.AsString()).ToList();
        Assert.Contains(frames, f => f.Contains("PlanUpgradeHandler.Handle(Stream input) in /_/src/Functions/", StringComparison.Ordinal));
        // Frames of the simulator's own invocation machinery are not the function's (on AWS they would be RuntimeSupport's).
        Assert.DoesNotContain(frames, f => f.Contains("BlueGreen.Simulator", StringComparison.Ordinal) || f.Contains("System.Reflection", StringComparison.Ordinal));
    }

    [Fact]
    public void PublishedPackage_HasEveryFileTheRuntimeNeeds()
    {
        Assert.True(File.Exists(PackageFile(".dll")));
        Assert.True(File.Exists(PackageFile(".deps.json")));
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(PackageFile(".runtimeconfig.json")))!;
        Assert.Equal("Microsoft.NETCore.App", (string?)runtimeConfig["runtimeOptions"]!["framework"]!["name"]);
        Assert.StartsWith("10.", (string?)runtimeConfig["runtimeOptions"]!["framework"]!["version"], StringComparison.Ordinal);
    }

    [Fact]
    public void NoRuntimeConfig_FailsWithRuntimeExitErrorStatus106()
    {
        File.Delete(PackageFile(".runtimeconfig.json"));

        var (status, error, cause) = Invoke();

        Assert.Equal("FAILED", status);
        Assert.Equal("Runtime.ExitError", error);
        Assert.Matches("^\\{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 106\"\\}$", cause);
    }

    [Fact]
    public void NoDepsJson_FailsWithExitStatus105()
    {
        File.Delete(PackageFile(".deps.json"));

        var (_, error, cause) = Invoke();

        Assert.Equal("Runtime.ExitError", error);
        Assert.Contains("exit status 105", cause, StringComparison.Ordinal);
    }

    [Fact]
    public void RuntimeConfigForAnotherDotnet_FailsWithExitStatus150()
    {
        File.WriteAllText(PackageFile(".runtimeconfig.json"), File.ReadAllText(PackageFile(".runtimeconfig.json")).Replace("\"10.0.0\"", "\"8.0.0\"", StringComparison.Ordinal));

        var (_, error, cause) = Invoke();

        Assert.Equal("Runtime.ExitError", error);
        Assert.Contains("exit status 150", cause, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyPackage_FailsWithExitStatus102()
    {
        foreach (var file in Directory.GetFiles(_package))
        {
            File.Delete(file);
        }

        var (_, error, cause) = Invoke();

        Assert.Equal("Runtime.ExitError", error);
        Assert.Contains("exit status 102", cause, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BlueGreen.Functions::BlueGreen.Functions.Handlers.NoSuchHandler::Handle", "Unable to load type 'BlueGreen.Functions.Handlers.NoSuchHandler' from assembly 'BlueGreen.Functions'.")]
    [InlineData("BlueGreen.Functions::BlueGreen.Functions.Handlers.PlanUpgradeHandler::Run", "Unable to find method 'Run' in type 'BlueGreen.Functions.Handlers.PlanUpgradeHandler' from assembly 'BlueGreen.Functions': Found no methods matching method name 'Run'.")]
    [InlineData("Missing.Assembly::BlueGreen.Functions.Handlers.PlanUpgradeHandler::Handle", "Could not find the specified handler assembly with the file name 'Missing.Assembly, Culture=neutral, PublicKeyToken=null'. The assembly should be located in the root of your uploaded .zip file.")]
    [InlineData("BlueGreen.Functions::BlueGreen.Functions.Handlers.PlanUpgradeHandler", "Invalid lambda function handler: 'BlueGreen.Functions::BlueGreen.Functions.Handlers.PlanUpgradeHandler'. The valid format is 'ASSEMBLY::TYPE::METHOD'.")]
    public void HandlerThatDoesNotResolve_FailsWithRuntimeSupportsValidationError(string handler, string message)
    {
        var (status, error, cause) = Invoke(handler);

        Assert.Equal("FAILED", status);
        Assert.Equal("LambdaValidationException", error);
        Assert.Equal(message, JValue.Parse(cause!).AsObject().GetString("errorMessage"));
    }

    [Fact]
    public void AssemblyPresentButNotListedInDepsJson_CannotBeLoaded()
    {
        // The host loads only what the deps.json lists: an assembly copied in by hand is not on the TPA.
        File.WriteAllText(PackageFile(".deps.json"), File.ReadAllText(PackageFile(".deps.json")).Replace("BlueGreen.Functions.dll", "Other.dll", StringComparison.Ordinal));

        var (_, error, cause) = Invoke();

        Assert.Equal("LambdaValidationException", error);
        Assert.Contains("Could not find the specified handler assembly", cause, StringComparison.Ordinal);
    }
}
