using System.Diagnostics;
using BlueGreen.Infra.Cdk.Tests.Support;
using Xunit.Abstractions;

namespace BlueGreen.Infra.Cdk.Tests;

/// <summary>
/// cfn-lint checks each synthesized template against CloudFormation's own resource schemas: what CloudFormation would
/// refuse at deploy time (an empty <c>DefinitionSubstitutions</c>, an unknown property such as a misspelled
/// <c>InvokedViaFunctionUrl</c>) is an error here. Warnings are reported, not failed on (W3005, a DependsOn a GetAtt
/// already implies, is CDK's own). Without cfn-lint on the PATH the test says so and passes (xunit 2 has no run-time skip).
/// </summary>
[Collection(CdkCollection.Name)]
public sealed class CfnLintTests(SynthesizedStacks stacks, ITestOutputHelper output)
{
    private static readonly Lazy<SynthesizedStack> WithChat = new(() => SynthesizedStacks.Synthesize(
        new Dictionary<string, object?>(SynthesizedStacks.MinimalContext) { ["bluegreen:chatPolicy"] = ChatEndpointStackTests.Policy }));

    public static TheoryData<string> Stacks => ["defaults", "full", "chat"];

    [Theory]
    [MemberData(nameof(Stacks))]
    public void SynthesizedTemplate_HasNoCfnLintErrors(string which)
    {
        var stack = which switch
        {
            "defaults" => stacks.Defaults,
            "full" => stacks.Full,
            _ => WithChat.Value,
        };
        var file = Path.Combine(Path.GetTempPath(), $"cfn-lint-{which}-{Guid.NewGuid():N}.template.json");
        File.WriteAllText(file, stack.Json.Root.ToJsonString());
        try
        {
            var result = CfnLint(file);
            if (result is null)
            {
                output.WriteLine("Not run: cfn-lint is not on the PATH.");
                return;
            }

            var (exit, lines) = result.Value;
            output.WriteLine($"cfn-lint exit {exit}: {lines.Count(l => l.Contains(":W", StringComparison.Ordinal))} warnings");
            // --format parseable: file:line:column:endline:endcolumn:RULE:message; exit code bit 2 is "an error".
            Assert.DoesNotContain(lines, l => l.Split(':').ElementAtOrDefault(5) is { } rule && rule.StartsWith('E'));
            Assert.Equal(0, exit & 2);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static (int Exit, IReadOnlyList<string> Lines)? CfnLint(string template)
    {
        var start = new ProcessStartInfo("cfn-lint", ["--format", "parseable", "--regions", SynthesizedStacks.Region, "--", template])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, [.. (stdout.Result + stderr.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries)]);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
