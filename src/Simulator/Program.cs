using BlueGreen.Simulator.Asl.Mocking;
using BlueGreen.Simulator.Cli;

namespace BlueGreen.Simulator;

/// <summary>
/// The local rehearsal platform's command line: the commands and their help are in <see cref="SimulatorCli"/> (each
/// defined beside its implementation); here, the exit codes every command shares. <c>-h</c> or <c>help</c> prints the
/// overview (exit 0), no arguments prints it and exits 64; a usage error is printed on stderr naming the command and
/// pointing at its <c>-h</c>, exit 64, as are scenario, template, deployment-setting, run-table and mock-configuration
/// errors (each with its own message).
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary><see cref="Main"/> with its streams: what the process prints and returns, for a caller that is not a shell.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Count == 0)
        {
            SimulatorCli.WriteOverview(stdout);
            return SimulatorCli.ExitUsage;
        }

        // help, help rehearse, help asl run: the same as -h after the command.
        var words = args[0] == "help" ? [.. args.Skip(1), "--help"] : args;
        var parsed = SimulatorCli.Parse(words);
        try
        {
            return SimulatorCli.Invoke(parsed, stdout, stderr);
        }
        catch (UsageException e)
        {
            SimulatorCli.WriteUsageError(stderr, SimulatorCli.CommandPath(parsed), e.Message);
            return SimulatorCli.ExitUsage;
        }
        catch (Scenarios.ScenarioException e)
        {
            stderr.WriteLine(e.Message);
            return SimulatorCli.ExitUsage;
        }
        catch (Rehearsal.Template.TemplateException e)
        {
            stderr.WriteLine($"Template: {e.Message}");
            return SimulatorCli.ExitUsage;
        }
        catch (BlueGreen.Deployment.Configuration.InvalidDeploymentSettingsException e)
        {
            stderr.WriteLine(e.Message);
            return SimulatorCli.ExitUsage;
        }
        catch (Rehearsal.RunTableException e)
        {
            stderr.WriteLine(e.Message);
            return SimulatorCli.ExitUsage;
        }
        catch (MockConfigException e)
        {
            stderr.WriteLine($"Mock configuration: {e.Message}");
            return SimulatorCli.ExitUsage;
        }
    }
}
