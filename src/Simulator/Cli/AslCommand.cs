using System.CommandLine;
using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Mocking;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Scenarios;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Cli;

/// <summary><c>asl run</c> and <c>asl validate</c>: run or check any state machine locally.</summary>
public static class AslCommand
{
    /// <summary>The execution ended FAILED, TIMED_OUT or ABORTED (a CI job running a state machine fails with it).</summary>
    public const int ExitExecutionNotSucceeded = 1;

    public const int ExitInvalidDefinition = 2;

    /// <summary>0 for SUCCEEDED, <see cref="ExitInvalidDefinition"/> for INVALID, <see cref="ExitExecutionNotSucceeded"/> otherwise.</summary>
    public static int ExitCodeFor(string status) => status switch
    {
        "SUCCEEDED" => 0,
        "INVALID" => ExitInvalidDefinition,
        _ => ExitExecutionNotSucceeded,
    };

    private static readonly Option<string> DefinitionOption = CliOptions.Value("--definition", "FILE", "The state machine definition (an .asl.json file).");

    private static readonly Option<string> TemplateOption = CliOptions.Template(
        "Deploys a synthesized template into the simulated account (default world: happy-alb's) and runs its state machine "
        + "--state-machine (default upgrade) as its own role, every call authorized, functions started from their code assets.");

    private static readonly Option<string> InputOption = CliOptions.Input("The execution input: a file, or the JSON itself; default {}.");

    private static readonly Option<string> MockConfigOption = CliOptions.Value("--mock-config", "FILE",
        "A Step Functions Local mock configuration (MockConfigFile.json format) answering the Tasks; with --test-case.");

    private static readonly Option<string> TestCaseOption = CliOptions.Value("--test-case", "NAME", "The mock configuration's test case; with --mock-config.");

    private static readonly Option<string> StateMachineOption = CliOptions.Value("--state-machine", "NAME",
        "The state machine's name: in the mock configuration (default its only one), or in the template (a deployed name, or "
        + "the file it came from: upgrade).");

    private static readonly Option<string> ScenarioOption = CliOptions.Scenario(
        "Runs Tasks against the simulated AWS account seeded from scenarios/NAME (its world, events and faults).");

    private static readonly Option<bool> HistoryOption = new("--history")
    {
        Description = "Adds the execution's history events (GetExecutionHistory's shape) to the printed object.",
    };

    private static readonly Option<string> ValidateDefinitionOption = new("--definition")
    {
        Description = "The state machine definition to check (an .asl.json file).",
        HelpName = "FILE",
        Required = true,
    };

    internal static Command Definition()
    {
        var run = new Command("run", CliOptions.Prose("""
            Runs a state machine on the local engine (virtual clock) and prints one JSON object.
            {"status","output","error","cause","stateTransitions","historyEvents","virtualSeconds"}, and with --history the
            event list. Tasks are answered by a mock configuration (--mock-config, --test-case) or by the simulated account of a
            scenario (--scenario); a Task with neither fails with States.Runtime saying so.

            Forms:
              asl run --definition FILE [--input FILE|JSON] [--mock-config FILE --test-case NAME]
                      [--state-machine NAME] [--scenario NAME|FILE] [--history]
              asl run --template FILE [--state-machine NAME] [--input FILE|JSON]
                      [--scenario NAME|FILE] [--history]

            Exit codes: 0 for SUCCEEDED, 1 for FAILED, TIMED_OUT or ABORTED, 2 for an invalid definition (status INVALID,
            with its diagnostics), 64 for a usage error (an input over 256 KiB is one: InvalidExecutionInput).
            """))
        {
            DefinitionOption, TemplateOption, InputOption, MockConfigOption, TestCaseOption, StateMachineOption, ScenarioOption, HistoryOption,
        };
        run.Validators.Add(result =>
        {
            var template = result.GetResult(TemplateOption) is not null;
            if (!template && result.GetResult(DefinitionOption) is null)
            {
                result.AddError("asl run needs --definition FILE or --template FILE.");
            }
            else if (template && (result.GetResult(DefinitionOption) ?? result.GetResult(MockConfigOption) ?? result.GetResult(TestCaseOption)) is not null)
            {
                result.AddError("--template runs a deployed state machine: --definition, --mock-config and --test-case apply to a definition file.");
            }
        });
        run.SetAction(r => r.GetValue(TemplateOption) is { } template
            ? RunDeployed(r, template, r.InvocationConfiguration.Output)
            : RunDefinition(r, r.InvocationConfiguration.Output));

        var validate = new Command("validate", CliOptions.Prose("""
            Checks a definition and prints {"result": "OK"|"FAIL", "diagnostics": [...]}.
            Every problem at once, in the style of ValidateStateMachineDefinition.

            Exit codes: 0 for OK, 2 for FAIL, 64 for a usage error.
            """))
        {
            ValidateDefinitionOption,
        };
        validate.SetAction(r => Validate(r, r.InvocationConfiguration.Output));

        return new Command("asl", "Runs or checks any state machine locally: asl run, asl validate.") { run, validate };
    }

    /// <summary>As <c>asl ARGS</c> on the command line (<c>run ...</c>, <c>validate ...</c>), with exceptions thrown rather than printed.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout) => SimulatorCli.Invoke(["asl", .. args], stdout);

    private static int RunDefinition(ParseResult cl, TextWriter stdout)
    {
        var definition = ReadFile(cl.GetRequiredValue(DefinitionOption), "definition");
        var input = ReadJsonArgument(cl.GetValue(InputOption) ?? "{}", "input");
        var mockPath = cl.GetValue(MockConfigOption);
        var testCase = cl.GetValue(TestCaseOption);
        var stateMachine = cl.GetValue(StateMachineOption);
        var scenarioName = cl.GetValue(ScenarioOption);
        var history = cl.GetValue(HistoryOption);

        if ((mockPath is null) != (testCase is null))
        {
            throw new UsageException("--mock-config and --test-case go together.");
        }

        MockTestCase? mocks = null;
        if (mockPath is not null)
        {
            var config = MockConfig.Parse(ReadJsonArgument(mockPath, "mock-config"));
            mocks = config.TestCase(stateMachine, testCase!);
            stateMachine ??= config.StateMachineNames.Single();
        }

        RunSummary summary;
        try
        {
            summary = scenarioName is null
                ? LocalRunner.Run(definition, input, mocks, stateMachine ?? "StateMachine")
                : RunOnScenario(definition, input, mocks, stateMachine ?? "StateMachine", scenarioName);
        }
        catch (InvalidExecutionInputException e)
        {
            // StartExecution refuses such an input, so there is no execution to report; like input that is
            // not JSON, it is a problem with the command line.
            throw new UsageException($"--input: {e.ErrorCode}: {e.Message}");
        }

        stdout.WriteLine(summary.ToJson(history).ToJson());
        return ExitCodeFor(summary.Status);
    }

    /// <summary>
    /// <c>asl run --template FILE</c>: deploys the template into the scenario's account and runs one of its state machines as
    /// its own role (every call authorized), with the functions started from their code assets.
    /// </summary>
    private static int RunDeployed(ParseResult cl, string template, TextWriter stdout)
    {
        var input = ReadJsonArgument(cl.GetValue(InputOption) ?? "{}", "input");
        var name = cl.GetValue(StateMachineOption) ?? "upgrade";
        var scenarioName = cl.GetValue(ScenarioOption) ?? RehearseCommand.DefaultScenario;
        var history = cl.GetValue(HistoryOption);

        using var account = AccountFactory.Create(Scenario.Load(scenarioName));
        Rehearsal.Template.TemplateDeployment.Deploy(account, template);
        var sfn = account.Service<Aws.Services.StepFunctions.StepFunctionsService>();
        var machine = sfn.StateMachine(name)
            ?? sfn.StateMachines.SingleOrDefault(m => m.Name.EndsWith("-" + name, StringComparison.Ordinal))
            ?? throw new UsageException($"--state-machine: the template deploys no state machine named {name} (deployed: {string.Join(", ", sfn.StateMachines.Select(m => m.Name))}).");
        var summary = LocalRunner.Run(account.StepFunctions, machine.Definition, input, new StartExecutionOptions { StateMachineName = machine.Name, RoleArn = machine.RoleArn });
        stdout.WriteLine(summary.ToJson(history).ToJson());
        return ExitCodeFor(summary.Status);
    }

    /// <summary>Runs against the simulated account seeded from a scenario (its world, events and faults).</summary>
    private static RunSummary RunOnScenario(string definitionJson, JValue input, MockTestCase? mocks, string stateMachine, string scenarioName)
    {
        var (definition, diagnostics) = DefinitionLoader.Validate(definitionJson);
        if (definition is null)
        {
            return LocalRunner.Run(definitionJson, input);
        }

        using var account = AccountFactory.Create(Scenario.Load(scenarioName));
        return LocalRunner.Run(account.StepFunctions, definition, input, new StartExecutionOptions { StateMachineName = stateMachine, Mocks = mocks }, diagnostics.Items);
    }

    private static int Validate(ParseResult cl, TextWriter stdout)
    {
        var definition = ReadFile(cl.GetRequiredValue(ValidateDefinitionOption), "definition");
        var (_, diagnostics) = DefinitionLoader.Validate(definition);
        var result = JObject.Of(
            ("result", diagnostics.HasErrors ? "FAIL" : "OK"),
            ("diagnostics", JArray.From(diagnostics.Items.Select(d => (JValue)d.ToJson()))));
        stdout.WriteLine(result.ToJson());
        return diagnostics.HasErrors ? ExitInvalidDefinition : 0;
    }

    /// <summary>A file path, or the JSON text itself (so <c>--input '{"a":1}'</c> works).</summary>
    public static JValue ReadJsonArgument(string value, string option)
    {
        var text = File.Exists(value) ? File.ReadAllText(value) : value;
        return JValue.TryParse(text, out var json, out var error)
            ? json
            : throw new UsageException(File.Exists(value)
                ? $"--{option}: the file '{value}' is not valid JSON ({error})."
                : $"--{option}: '{value}' is neither an existing file nor valid JSON ({error}).");
    }

    private static string ReadFile(string path, string option) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new UsageException($"--{option}: no such file '{path}'.");
}
