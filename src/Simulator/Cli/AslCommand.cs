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

    public static int Run(IReadOnlyList<string> args, TextWriter stdout)
    {
        if (args.Count == 0)
        {
            throw new UsageException("asl needs a subcommand: run or validate.");
        }

        return args[0] switch
        {
            "run" => RunDefinition(new CommandLine(args.Skip(1).ToList(), new HashSet<string> { "history" }), stdout),
            "validate" => Validate(new CommandLine(args.Skip(1).ToList(), new HashSet<string>()), stdout),
            _ => throw new UsageException($"Unknown asl subcommand '{args[0]}'."),
        };
    }

    private static int RunDefinition(CommandLine cl, TextWriter stdout)
    {
        if (cl.Get("template") is { } template)
        {
            return RunDeployed(cl, template, stdout);
        }

        var definition = ReadFile(cl.Require("definition"), "definition");
        var input = ReadJsonArgument(cl.Get("input") ?? "{}", "input");
        var mockPath = cl.Get("mock-config");
        var testCase = cl.Get("test-case");
        var stateMachine = cl.Get("state-machine");
        var scenarioName = cl.Get("scenario");
        var history = cl.Flag("history");
        cl.RejectUnknown();

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
    private static int RunDeployed(CommandLine cl, string template, TextWriter stdout)
    {
        var input = ReadJsonArgument(cl.Get("input") ?? "{}", "input");
        var name = cl.Get("state-machine") ?? "upgrade";
        var scenarioName = cl.Get("scenario") ?? RehearseCommand.DefaultScenario;
        var history = cl.Flag("history");
        cl.RejectUnknown();

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

    private static int Validate(CommandLine cl, TextWriter stdout)
    {
        var definition = ReadFile(cl.Require("definition"), "definition");
        cl.RejectUnknown();
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
