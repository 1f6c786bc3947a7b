using System.Diagnostics;
using System.Reflection;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Conformance;

/// <summary>
/// Runs the corpus through aws-local-stepfunctions, an independent interpreter, and requires the engine
/// to agree with it on status, output and error for every case not excluded by name with a reason.
/// All cases go through one Node process (see <c>differential/run-cases.mjs</c>).
/// </summary>
public class DifferentialTests
{
    private static readonly Lazy<JObject> LibraryResults = new(RunLibrary);

    public static TheoryData<string> DifferentialCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in ConformanceCase.All.Where(c => c.Differential is null))
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DifferentialCases))]
    public void Run_Case_AgreesWithAwsLocalStepFunctions(string name)
    {
        // Arrange
        var testCase = ConformanceCase.Get(name);
        var library = LibraryResults.Value.GetObject(name) ?? throw new InvalidOperationException($"The Node harness returned nothing for {name}.");

        // Act
        var engine = ConformanceTests.Run(testCase);

        // Assert
        var libraryStatus = library.GetString("status");
        Assert.True(engine.Status == libraryStatus,
            $"{name}: engine {engine.Status} ({engine.Error}: {engine.Cause}), library {libraryStatus} ({library.GetString("error")}: {library.GetString("cause")})");
        if (engine.Status == "INVALID")
        {
            // The two validators word their findings differently; agreeing that the definition is invalid is the check.
            return;
        }

        Assert.Equal(library.GetString("error"), engine.Error);
        if (testCase.Expected.Cause is not null)
        {
            Assert.Equal(library.GetString("cause"), engine.Cause);
        }

        var libraryOutput = library["output"] ?? JNull.Instance;
        var engineOutput = engine.Output ?? JNull.Instance;
        Assert.True(libraryOutput.Equals(engineOutput), $"{name}: engine output {engineOutput.ToJson()}, library output {libraryOutput.ToJson()}");
    }

    [Fact]
    public void Corpus_MostCasesRunDifferentially()
    {
        var differential = ConformanceCase.All.Count(c => c.Differential is null);

        Assert.True(differential * 2 > ConformanceCase.All.Count, $"Only {differential} of {ConformanceCase.All.Count} cases run differentially.");
    }

    /// <summary>
    /// Runs the harness once for the whole corpus. Node is required: CI installs it, so a missing Node
    /// is a failure here, not a reason to skip.
    /// </summary>
    private static JObject RunLibrary()
    {
        var nodeDir = typeof(DifferentialTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NodeDir").Value
            ?? throw new InvalidOperationException("The test assembly does not say where its Node packages are.");
        var harness = Path.Combine(AppContext.BaseDirectory, "Conformance", "differential", "run-cases.mjs");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--import", Path.Combine(nodeDir, "with-resolvers.mjs"), harness, ConformanceCase.CasesDirectory, nodeDir])
        {
            start.ArgumentList.Add(argument);
        }

        using var node = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var stderr = node.StandardError.ReadToEndAsync();
        var stdout = node.StandardOutput.ReadToEnd();
        if (!node.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException("The differential harness did not finish within two minutes.");
        }

        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"The differential harness failed (exit {node.ExitCode}). Is `npm ci` done in {nodeDir}? {stderr.Result}");
        }

        return JValue.Parse(stdout) as JObject ?? throw new InvalidOperationException($"The differential harness printed no JSON object: {stdout}");
    }
}
