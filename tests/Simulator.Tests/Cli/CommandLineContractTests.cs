using System.Diagnostics;
using System.Reflection;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Cli;

/// <summary>
/// The command line itself, through <see cref="Program.Run"/> (what <c>Main</c> runs, with its streams) and the built
/// program: help for each command, <c>--version</c>, suggestions for misspellings, one format for usage errors, exit codes.
/// </summary>
public sealed class CommandLineContractTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-contract-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private string Definition(string json)
    {
        var path = Path.Combine(_dir, $"sm-{Guid.NewGuid():N}.asl.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>Every command, and each option its usage text has always listed (the contract of docs and scripts).</summary>
    public static TheoryData<string, string[]> CommandsAndTheirOptions => new()
    {
        { "rehearse", ["--scenario <NAME|FILE>", "--world <DIR>", "--input <FILE|JSON>", "--template <FILE>", "-c, --context <key=value>", "--speed <FACTOR>", "--expect <OUTCOME>", "--approve <yes|no|timeout>", "--state <DIR>", "--history-out <DIR>", "--json", "Exit codes: 0 when the run ended as expected"] },
        { "report", ["--out <FILE> (REQUIRED)", "--history <PATH>", "--scenario <NAME|FILE>", "--input <FILE|JSON>", "--template <FILE>", "-c, --context <key=value>", "report --out FILE --history SUMMARY"] },
        { "asl run", ["--definition <FILE>", "--template <FILE>", "--input <FILE|JSON>", "--mock-config <FILE>", "--test-case <NAME>", "--state-machine <NAME>", "--scenario <NAME|FILE>", "--history", "2 for an invalid definition"] },
        { "asl validate", ["--definition <FILE> (REQUIRED)", "\"result\""] },
        { "bench", ["--transitions <N>", "--runs <N>", "--calls <N>", "--chat-requests <N>", "[default: 100000]"] },
        { "chat", ["chat <TEXT> [options]", "--as <USER> (REQUIRED)", "--team <T>", "--channel <C>", "--scenario <NAME|FILE>", "--policy <FILE>", "--json", "0 when the command was accepted"] },
        { "fleet report", ["--world <NAME>", "--at <DATE>", "--profiles <DIR>", "--json", "PlanEndOfSupport"] },
        { "dynamodb serve", ["--world <NAME>", "--scenario <NAME|FILE>", "--json", "SIGTERM"] },
        { "world import", ["world import <DIR> [options]", "--out <WORLD_DIR>", "--green-cluster <NAME>", "--json", "1 when refused"] },
        { "runs list", ["--state <DIR> (REQUIRED)", "--cluster <C>", "--status <S>", "--limit <N>", "--table <NAME>", "--json", "runsByTime"] },
    };

    [Theory]
    [MemberData(nameof(CommandsAndTheirOptions))]
    public void CommandHelp_ListsEachOptionWithItsValueName_AndExitsZero(string command, string[] expected)
    {
        var (exit, stdout, stderr) = Run([.. command.Split(' '), "-h"]);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        Assert.StartsWith("Description:", stdout, StringComparison.Ordinal);
        Assert.Contains($"{SimulatorCliInvocation} {command} ", stdout, StringComparison.Ordinal);
        Assert.All(expected, text => Assert.Contains(text, stdout, StringComparison.Ordinal));
        Assert.All(Lines(stdout), line => Assert.True(line.Length <= 100, $"wider than 100 columns: {line}"));
    }

    private const string SimulatorCliInvocation = "dotnet run --project src/Simulator --";

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    [InlineData("help")]
    public void Help_PrintsEveryCommandWithItsSummary_AndExitsZero(string help)
    {
        var (exit, stdout, _) = Run(help);

        Assert.Equal(0, exit);
        Assert.All(CommandsAndTheirOptions.Select(row => (string)row[0]), command => Assert.Contains($"\n  {command} ", stdout, StringComparison.Ordinal));
        Assert.Contains("Run '<command> -h'", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void NoArguments_PrintsTheOverview_AndExits64()
    {
        var (exit, stdout, _) = Run();

        Assert.Equal(64, exit);
        Assert.Contains("  rehearse ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void HelpWord_BeforeACommand_IsThatCommandsHelp()
    {
        Assert.Equal(Run("asl", "run", "--help").Stdout, Run("help", "asl", "run").Stdout);
    }

    [Fact]
    public void Group_Help_ListsItsSubcommands_AndWithoutOne_IsAUsageError()
    {
        var help = Run("asl", "-h");
        var none = Run("asl");

        Assert.Equal(0, help.Exit);
        Assert.Contains("  asl run ", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("  asl validate ", help.Stdout, StringComparison.Ordinal);
        Assert.Equal(64, none.Exit);
        Assert.Equal(["asl: a subcommand is needed: run or validate.", "See 'asl -h' for its usage."], Lines(none.Stderr));
    }

    [Fact]
    public void Version_PrintsTheAssemblysInformationalVersion()
    {
        var expected = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var (exit, stdout, _) = Run("--version");

        Assert.Equal(0, exit);
        Assert.Equal(expected, stdout.Trim());
        Assert.Matches(@"^\d+\.\d+\.\d+", expected);
    }

    [Theory]
    [InlineData("rehearse --scenaro alarm-at-25", "rehearse: unknown option '--scenaro'. Did you mean --scenario?", "See 'rehearse -h' for its usage.")]
    [InlineData("rehearse --josn", "rehearse: unknown option '--josn'. Did you mean --json?", "See 'rehearse -h' for its usage.")]
    [InlineData("report --out x.html --hist run.json", "report: unknown option '--hist'. Did you mean --history?", "See 'report -h' for its usage.")]
    [InlineData("asl validate --definiton=x.json", "asl validate: unknown option '--definiton=x.json'. Did you mean --definition?", "See 'asl validate -h' for its usage.")]
    [InlineData("runs list --state s --limt 3", "runs list: unknown option '--limt'. Did you mean --limit?", "See 'runs list -h' for its usage.")]
    [InlineData("rehersal", "simulator: unknown command 'rehersal'. Did you mean rehearse?", "Run with -h for the list of commands.")]
    [InlineData("asl runn", "asl: unknown command 'runn'. Did you mean run?", "See 'asl -h' for its usage.")]
    [InlineData("rehearse --bogus", "rehearse: unknown option '--bogus'.", "See 'rehearse -h' for its usage.")]
    public void Misspelling_SaysWhatWasMeant_OnStderr_AndExits64(string commandLine, string problem, string whereHelpIs)
    {
        var (exit, stdout, stderr) = Run(commandLine.Split(' '));

        Assert.Equal(64, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal([problem, whereHelpIs], Lines(stderr));
    }

    [Theory]
    [InlineData("report --scenario happy-alb", "report: Option '--out' is required.")]
    [InlineData("runs list --json", "runs list: Option '--state' is required.")]
    [InlineData("chat /bluegreen", "chat: Option '--as' is required.")]
    [InlineData("asl validate", "asl validate: Option '--definition' is required.")]
    [InlineData("asl run --input {}", "asl run: asl run needs --definition FILE or --template FILE.")]
    [InlineData("asl run --template t.json --definition d.json", "asl run: --template runs a deployed state machine: --definition, --mock-config and --test-case apply to a definition file.")]
    [InlineData("world import", "world import: Required argument 'DIR' missing for command: 'import'.")]
    [InlineData("bench --runs many", "bench: Cannot parse argument 'many' for option '--runs' as expected type 'System.Int32'.")]
    [InlineData("chat --as U123 status shop-blue", "chat: unexpected argument 'shop-blue': <TEXT> is one word (quote it if it has spaces).")]
    [InlineData("rehearse --approve maybe", "rehearse: --approve takes yes, no, timeout; not 'maybe'.")]
    [InlineData("rehearse -c bluegreen:environment=prd --context=novalue", "rehearse: -c takes key=value (e.g. -c bluegreen:environment=prd), not 'novalue'.")]
    [InlineData("rehearse --scenario happy-alb --scenario alarm-at-25", "rehearse: Option '--scenario' expects a single argument but 2 were provided.")]
    public void UsageError_NamesTheCommand_PointsAtItsHelp_AndExits64(string commandLine, string problem)
    {
        var (exit, stdout, stderr) = Run(commandLine.Split(' '));

        Assert.Equal(64, exit);
        Assert.Equal(string.Empty, stdout);
        var command = problem[..problem.IndexOf(':', StringComparison.Ordinal)];
        Assert.Equal([problem, $"See '{command} -h' for its usage."], Lines(stderr));
    }

    [Theory]
    [InlineData("""{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""", 0, "SUCCEEDED")]
    [InlineData("""{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Broken","Cause":"on purpose"}}}""", 1, "FAILED")]
    [InlineData("""{"StartAt":"P","States":{"P":{"Type":"Pass","Next":"Nowhere"}}}""", 2, "INVALID")]
    public void AslRun_ExitCode_FollowsTheStatus(string definition, int expectedExit, string status)
    {
        var (exit, stdout, _) = Run("asl", "run", "--definition", Definition(definition), "--input", """{"a":1}""");

        Assert.Equal(expectedExit, exit);
        Assert.Equal(status, ((JObject)JValue.Parse(stdout)).GetString("status"));
    }

    [Fact]
    public void OptionEqualsValue_IsTheSameAsTwoWords()
    {
        var definition = Definition("""{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");

        var joined = Run("asl", "validate", $"--definition={definition}");
        var apart = Run("asl", "validate", "--definition", definition);

        Assert.Equal((0, """{"result":"OK","diagnostics":[]}"""), (joined.Exit, joined.Stdout.Trim()));
        Assert.Equal(joined, apart);
    }

    [Fact]
    public void AtSign_IsTakenLiterally_NotAsAResponseFile()
    {
        var definition = Definition("""{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");

        var (exit, _, stderr) = Run("asl", "run", "--definition", definition, "--input", "@nothing");

        Assert.Equal(64, exit);
        Assert.StartsWith("asl run: --input: '@nothing' is neither an existing file nor valid JSON", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BuiltProgram_PrintsItsVersion_AndAMisspellingExits64WithTheSuggestion()
    {
        var version = RunProcess("--version");
        var misspelt = RunProcess("rehearse", "--scenaro", "alarm-at-25");

        Assert.Equal(0, version.Exit);
        Assert.Equal(typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion, version.Stdout.Trim());
        Assert.Equal(64, misspelt.Exit);
        Assert.Equal(string.Empty, misspelt.Stdout);
        Assert.StartsWith("rehearse: unknown option '--scenaro'. Did you mean --scenario?", misspelt.Stderr, StringComparison.Ordinal);
    }

    private static (int Exit, string Stdout, string Stderr) RunProcess(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BlueGreen.Simulator.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var child = Process.Start(info)!;
        var stderr = child.StandardError.ReadToEndAsync();
        var stdout = child.StandardOutput.ReadToEnd();
        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(60)), "the simulator did not exit");
        return (child.ExitCode, stdout, stderr.Result);
    }
}
