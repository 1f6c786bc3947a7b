using System.Globalization;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;
using Spectre.Console;

namespace BlueGreen.Simulator.Cli;

/// <summary>
/// <c>rehearse [--scenario NAME|FILE] [--input FILE|JSON] [--speed FACTOR] [--json]</c>: a full upgrade of the
/// scenario's world with the real state machines and the real decision functions. With <c>--json</c>,
/// stdout carries exactly one JSON summary object and nothing else.
/// </summary>
public static class RehearseCommand
{
    public const string DefaultScenario = "happy-alb";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout)
    {
        var cl = new CommandLine(args, new HashSet<string> { "json" });
        var scenarioName = cl.Get("scenario") ?? DefaultScenario;
        var inputArgument = cl.Get("input");
        var speedText = cl.Get("speed");
        var json = cl.Flag("json");
        cl.RejectUnknown();

        var speed = 0.0;
        if (speedText is not null && (!double.TryParse(speedText, NumberStyles.Float, CultureInfo.InvariantCulture, out speed) || speed < 0))
        {
            throw new UsageException($"--speed must be a non-negative number of virtual seconds per real second, not '{speedText}'.");
        }

        var scenario = Scenario.Load(scenarioName);
        var input = inputArgument is null ? null : AslCommand.ReadJsonArgument(inputArgument, "input");
        using var rehearsal = UpgradeRehearsal.Prepare(scenario, input);
        IRehearsalObserver? observer = json ? null : new ConsoleProgress(CreateConsole(stdout));
        var summary = rehearsal.Run(observer, speed);
        if (json)
        {
            stdout.WriteLine(summary.ToJson().ToJson());
        }

        return 0;
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
