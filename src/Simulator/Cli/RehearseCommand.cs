using System.CommandLine;
using System.Globalization;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;
using Spectre.Console;

namespace BlueGreen.Simulator.Cli;

/// <summary>
/// <c>rehearse [--scenario NAME|FILE | --world DIR] [--input FILE|JSON] [--state DIR] [--template FILE | -c key=value ...] [--speed FACTOR] [--expect OUTCOME] [--approve yes|no|timeout] [--json]</c>:
/// a full upgrade of the scenario's world with the real state machines and the real decision functions, deployed the
/// way the CDK app deploys them: from the deployment manifest with cdk.json's settings (and <c>-c</c> overrides, validated
/// as the CDK app validates them), or from a synthesized template (<c>--template</c>). <c>--approve</c> answers every approval
/// the run asks for (<see cref="ApprovalResponder"/>). With <c>--json</c>, stdout carries
/// exactly one JSON summary object and nothing else.
/// <para>
/// The exit code gates a CI job: <see cref="ExitExpected"/> when the run ended as expected (<c>--expect OUTCOME</c>;
/// otherwise the scenario's <c>expect</c> block, unless <c>--input</c> replaced the scenario's input; otherwise the outcome
/// <c>Completed</c>), <see cref="ExitNotExpected"/> when it did not (each field compared is printed, and listed under
/// <c>expectation</c> in the JSON), 64 for a usage or scenario error.
/// </para>
/// </summary>
public static class RehearseCommand
{
    public const string DefaultScenario = "happy-alb";

    public const int ExitExpected = 0;

    public const int ExitNotExpected = 1;

    private static readonly Option<string> ScenarioOption = CliOptions.Scenario(
        "The scenario to rehearse: a name under scenarios/ (happy-alb, alarm-at-25, ...) or a scenario file; default happy-alb. "
        + "Its world, events, faults and expect block; a run: eos-scan or run: chat scenario rehearses that instead of an upgrade.");

    private static readonly Option<string> WorldOption = CliOptions.Value("--world", "DIR",
        "Rehearses --input in a world folder (e.g. one made by world import) instead of a scenario's: no events, no faults, no expect block.");

    private static readonly Option<string> InputOption = CliOptions.Input(
        "The execution input (a file, or the JSON itself) instead of the scenario's; statemachines/examples/ has some. "
        + "An input naming what the simulated account lacks is still run, after a note listing what the world has.");

    private static readonly Option<string> TemplateOption = CliOptions.Template(
        "Deploys a synthesized template (cdk.out/<stack>.template.json, after dotnet run --project src/Infra.Cdk) instead of the manifest.");

    private static readonly Option<string[]> ContextOption = CliOptions.Context();

    private static readonly Option<string> SpeedOption = CliOptions.Value("--speed", "FACTOR",
        "Paces the virtual clock, in virtual seconds per real second (60 = a virtual minute per second), to watch it live; default 0, as fast as it runs.");

    private static readonly Option<string> ExpectOption = CliOptions.Value("--expect", "OUTCOME",
        $"The outcome that counts as expected ({string.Join("|", ScenarioExpectation.Outcomes)}), instead of the scenario's expect block.");

    private static readonly Option<string> ApproveOption = CliOptions.Value("--approve", string.Join("|", ApprovalResponder.Answers),
        "Answers every approval the run asks for, a minute after each question (yes: SendTaskSuccess, no: SendTaskFailure, timeout: nobody answers); without it nobody does.");

    private static readonly Option<string> StateOption = CliOptions.Value("--state", "DIR",
        "Keeps the run table in DIR across rehearsals, for runs list --state DIR.");

    private static readonly Option<string> HistoryOutOption = CliOptions.Value("--history-out", "DIR",
        "Writes each execution's history (the upgrade's and every child's) as aws stepfunctions get-execution-history prints it, "
        + "one DIR/<execution name>.json each, for report --history DIR.");

    private static readonly Option<bool> JsonOption = CliOptions.Json(
        "Prints only the summary object on stdout (status, outcome, error, finalWeights, virtualSeconds, stateTransitions, "
        + "historyEvents, lambdaInvocations, awsCalls, mutatingAwsCalls, runRecord, expectation), no progress.");

    internal static Command Definition()
    {
        var command = new Command("rehearse", CliOptions.Prose("""
            Rehearses a whole Blue/Green upgrade on the simulated account; exits 0 when it ends as expected.
            The real state machines and decision functions run against the scenario's world (default: happy-alb), deployed from
            the same manifest as the CDK stack (cdk.json's settings; -c overrides them, as for the CDK app) or from a
            synthesized template (--template). Every call is authorized against the deployed roles; functions start from their
            code package. Shows live progress and the plan; --json prints only the summary object.

            Exit codes: 0 when the run ended as expected: --expect OUTCOME if given, else the scenario's expect block (unless
            --input replaced its input), else outcome Completed; 1 when it did not (the fields that differ are printed);
            64 for a usage or scenario error.

            Examples:
              rehearse --scenario alarm-at-25 --expect RolledBack
              rehearse --input statemachines/examples/dry-run.json --expect Planned
              rehearse --scenario approval-timeout --approve yes --expect Completed
              rehearse --world my-world --input my-upgrade.json
            """))
        {
            ScenarioOption, WorldOption, InputOption, TemplateOption, ContextOption, SpeedOption, ExpectOption, ApproveOption,
            StateOption, HistoryOutOption, JsonOption,
        };
        command.SetAction(r => Run(r, r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>As <c>rehearse ARGS</c> on the command line, with exceptions thrown rather than printed.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout) => SimulatorCli.Invoke(["rehearse", .. args], stdout);

    private static int Run(ParseResult cl, TextWriter stdout, TextWriter stderr)
    {
        var scenarioName = cl.GetValue(ScenarioOption) ?? DefaultScenario;
        var worldDirectory = cl.GetValue(WorldOption);
        var stateDirectory = cl.GetValue(StateOption);
        var inputArgument = cl.GetValue(InputOption);
        var speedText = cl.GetValue(SpeedOption);
        var json = cl.GetValue(JsonOption);
        var template = cl.GetValue(TemplateOption);
        IReadOnlyList<string> context = cl.GetValue(ContextOption) ?? [];
        var expectedOutcome = cl.GetValue(ExpectOption);
        var approve = cl.GetValue(ApproveOption);
        var historyOut = cl.GetValue(HistoryOutOption);
        if (approve is not null && !ApprovalResponder.Answers.Contains(approve))
        {
            throw new UsageException($"--approve takes {string.Join(", ", ApprovalResponder.Answers)}; not '{approve}'.");
        }
        if (expectedOutcome is not null && !ScenarioExpectation.Outcomes.Contains(expectedOutcome))
        {
            throw new UsageException($"--expect takes an outcome: {string.Join(", ", ScenarioExpectation.Outcomes)}; not '{expectedOutcome}'.");
        }

        // Validated now, with the CDK app's rules and messages, before anything is simulated.
        _ = Deployment(template, context);

        var speed = 0.0;
        if (speedText is not null && (!double.TryParse(speedText, NumberStyles.Float, CultureInfo.InvariantCulture, out speed) || speed < 0))
        {
            throw new UsageException($"--speed must be a non-negative number of virtual seconds per real second, not '{speedText}'.");
        }

        var scenario = worldDirectory is null ? Scenario.Load(scenarioName) : WorldScenario(worldDirectory, cl.GetValue(ScenarioOption), inputArgument);
        var deploy = Deployment(template, context, scenario.ProfilesDirectory);
        if (scenario.Run == "eos-scan")
        {
            return inputArgument is not null || expectedOutcome is not null
                ? throw new UsageException("--input and --expect apply to upgrade rehearsals; an eos-scan scenario has its own expect block.")
                : RehearseEndOfSupportScan(scenario, deploy, json, stdout);
        }

        if (scenario.Run == "chat")
        {
            return inputArgument is not null || expectedOutcome is not null
                ? throw new UsageException("--input and --expect apply to upgrade rehearsals; a chat scenario starts its runs from chat and has its own expect block.")
                : RehearseChat(scenario, json, stdout);
        }

        var input = inputArgument is null ? null : AslCommand.ReadJsonArgument(inputArgument, "input");
        using var rehearsal = UpgradeRehearsal.Prepare(scenario, input, deploy, stateDirectory is null ? null : KeptRunTable.DynamoDbDirectory(stateDirectory));
        if (stateDirectory is not null)
        {
            KeptRunTable.Describe(stateDirectory, rehearsal.Deployment.TableName, rehearsal.Account.Region, rehearsal.Account.AccountId);
        }

        if (input is not null)
        {
            // The run still happens (and fails as AWS would); the user learns first that their input names another account.
            foreach (var gap in InputWorldGaps.Find(rehearsal.Account, input, scenario.Raw.GetString("world") ?? scenario.Name))
            {
                (json ? stderr : stdout).WriteLine($"Note: --input names what the simulated account lacks. {gap}. Write a world for your account (scenarios/README.md), or import it (tools/capture-world.sh, then world import).");
            }
        }

        if (approve is not null)
        {
            ApprovalResponder.Attach(rehearsal.Account, approve);
        }

        var console = json ? null : CreateConsole(stdout);
        // A kept table already holds earlier rehearsals' runs: a name of its own keeps this run's id (and item) apart.
        var executionName = stateDirectory is null ? null
            : $"{UpgradeRehearsal.DefaultExecutionName(rehearsal.Input)[..Math.Min(60, UpgradeRehearsal.DefaultExecutionName(rehearsal.Input).Length)]}-{DateTime.UtcNow:yyyyMMdd-HHmmssfff}";
        var summary = rehearsal.Run(console is null ? null : new ConsoleProgress(console), speed, executionName);
        if (historyOut is not null)
        {
            var written = HistoryExport.Write(rehearsal, historyOut);
            (json ? stderr : stdout).WriteLine($"Wrote {written.Count} execution histories (get-execution-history documents) to {historyOut}: {written[0]}.json and its child executions'.");
        }

        var (source, checks) = expectedOutcome is not null ? ("--expect", ScenarioExpectation.Outcome(expectedOutcome, summary))
            : input is null && scenario.Expect.Count > 0 ? ("scenario", ScenarioExpectation.Check(scenario.Expect, summary))
            : ("default", ScenarioExpectation.Outcome("Completed", summary));
        var met = checks.All(c => c.Met);
        if (console is null)
        {
            var expectation = JObject.Of(("source", source), ("met", met), ("checks", JArray.From(checks.Select(c => (JValue)c.ToJson()))));
            stdout.WriteLine(summary.ToJson().With("expectation", expectation).ToJson());
        }
        else
        {
            Report(console, source, checks);
        }

        return met ? ExitExpected : ExitNotExpected;
    }

    /// <summary>A <c>run: chat</c> scenario: what the chat did and what came of it, checked against its expect block.</summary>
    private static int RehearseChat(Scenario scenario, bool json, TextWriter stdout)
    {
        using var rehearsal = ChatScenario.Prepare(scenario);
        var (summary, checks) = rehearsal.Run();
        var met = checks.All(c => c.Met);
        if (json)
        {
            stdout.WriteLine(summary.With("expectation", JObject.Of(("source", "scenario"), ("met", met), ("checks", JArray.From(checks.Select(c => (JValue)c.ToJson()))))).ToJson());
            return met ? ExitExpected : ExitNotExpected;
        }

        var console = CreateConsole(stdout);
        foreach (var command in summary.GetArray("commands")!.OfType<JObject>())
        {
            console.MarkupLine(Markup.Escape($"  {command.GetString("user")} {command.GetString("verb") ?? "?"}: {command.GetString("decisionCode")} ({command.GetString("status")}) {command.GetString("outcome")}"));
        }

        console.MarkupLine(Markup.Escape($"upgrades from chat: {summary.GetNumber("upgrades")}, {summary.GetString("status") ?? "none"} {summary.GetString("outcome")}; {summary.GetArray("posts")!.Count} follow-ups posted"));
        Report(console, "scenario", checks);
        return met ? ExitExpected : ExitNotExpected;
    }

    /// <summary>A <c>run: eos-scan</c> scenario: the scan's summary with every cluster's decision, checked against its expect block.</summary>
    private static int RehearseEndOfSupportScan(Scenario scenario, Func<Aws.SimulatedAccount, ProductDeployment> deploy, bool json, TextWriter stdout)
    {
        using var rehearsal = BlueGreen.Simulator.Fleet.EndOfSupportRehearsal.Prepare(scenario, deploy);
        var (summary, checks) = rehearsal.Run();
        var met = checks.All(c => c.Met);
        if (json)
        {
            var expectation = JObject.Of(("source", "scenario"), ("met", met), ("checks", JArray.From(checks.Select(c => (JValue)c.ToJson()))));
            stdout.WriteLine(summary.With("expectation", expectation).ToJson());
        }
        else
        {
            var console = CreateConsole(stdout);
            console.MarkupLine(Markup.Escape($"eos-scan {summary.GetString("status")}: {summary.GetNumber("clusters")} clusters, {summary.GetNumber("stateTransitions")} state transitions, {summary.GetNumber("historyEvents")} history events"));
            foreach (var decision in summary.GetArray("decisions")!.OfType<JObject>())
            {
                console.MarkupLine(Markup.Escape($"  {decision.GetString("clusterName")}: {decision.GetString("action")}: {decision.GetString("reason")}"));
            }

            Report(console, "scenario", checks);
        }

        return met ? ExitExpected : ExitNotExpected;
    }

    /// <summary>
    /// <c>--world DIR</c>: a world folder (an imported one, <c>world import</c>) with the caller's <c>--input</c>, and nothing
    /// else: no events, no faults, no expectations (the default, outcome Completed, applies).
    /// </summary>
    private static Scenario WorldScenario(string worldDirectory, string? scenarioName, string? input)
    {
        if (scenarioName is not null)
        {
            throw new UsageException("--scenario and --world are alternatives: a scenario names its own world.");
        }

        if (input is null)
        {
            throw new UsageException("--world needs --input: the execution input to rehearse in that world (statemachines/examples/ has some to adapt).");
        }

        if (!Directory.Exists(worldDirectory))
        {
            throw new UsageException($"--world {worldDirectory}: no such folder (make one with: world import CAPTURED_DIR --out {worldDirectory}).");
        }

        var path = Path.GetFullPath(worldDirectory);
        return Scenario.FromJson(Path.GetFileName(path.TrimEnd(Path.DirectorySeparatorChar)), JObject.Of(("world", path)));
    }

    /// <summary>Each field compared, so a failed CI job says which one differed.</summary>
    private static void Report(IAnsiConsole console, string source, IReadOnlyList<ExpectationCheck> checks)
    {
        var from = source switch { "scenario" => "the scenario's expect block", "--expect" => "--expect", _ => "the default, outcome Completed" };
        console.MarkupLine(checks.All(c => c.Met)
            ? $"[green]As expected[/] ({Markup.Escape(from)}): {Markup.Escape(string.Join(", ", checks.Select(c => $"{c.Field} {c.Actual}")))}"
            : $"[red]Not as expected[/] ({Markup.Escape(from)}):");
        foreach (var check in checks.Where(c => !c.Met))
        {
            console.MarkupLine($"  [red]✗[/] {Markup.Escape(check.Field)}: expected {Markup.Escape(check.Expected)}, was {Markup.Escape(check.Actual)}");
        }
    }

    /// <summary>How the product gets into the simulated account: a synthesized template, or the manifest for cdk.json plus <c>-c</c>.</summary>
    /// <param name="profilesDirectory">A scenario's own upgrade profiles (its <c>profiles</c> folder), deployed instead of the repository's.</param>
    public static Func<Aws.SimulatedAccount, ProductDeployment> Deployment(string? template, IReadOnlyList<string> context, string? profilesDirectory = null)
    {
        if (template is not null)
        {
            return profilesDirectory is not null
                ? throw new UsageException("A synthesized template carries the profiles it was synthesized with; a scenario with its own profiles rehearses the manifest (drop --template).")
                : context.Count > 0
                ? throw new UsageException("-c settings are synthesized into a template: give them to the CDK app (dotnet run --project src/Infra.Cdk -- -c ...), or drop --template.")
                : account => Rehearsal.Template.TemplateDeployment.Deploy(account, template);
        }

        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in context)
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new UsageException($"-c takes key=value (e.g. -c bluegreen:environment=prd), not '{pair}'.");
            }

            overrides[pair[..at]] = pair[(at + 1)..];
        }

        var settings = ProductDeployment.SettingsFromCdkJson(overrides);
        return account => ProductDeployment.Deploy(account, settings, profilesDirectory: profilesDirectory);
    }

    /// <summary>Colours on a terminal; plain, wide text when redirected to a file or a CI log.</summary>
    private static IAnsiConsole CreateConsole(TextWriter stdout)
    {
        var redirected = Console.IsOutputRedirected || stdout != Console.Out;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (redirected)
        {
            console.Profile.Width = 120;
        }

        return console;
    }
}
