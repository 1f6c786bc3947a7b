using System.CommandLine;
using System.Runtime.InteropServices;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Cli;

/// <summary>
/// <c>dynamodb serve</c>: runs the simulator's DynamoDB (dynalite, with a world's tables) until
/// Ctrl-C or SIGTERM, for C# code run by hand against it (the chatbot handler, a script).
/// </summary>
public static class DynamoDbCommand
{
    private static readonly Option<string> WorldOption = CliOptions.Value("--world", "NAME",
        "The world whose tables to create (a name under scenarios/worlds/, or a world folder); without it (or --scenario) DynamoDB starts empty.");

    private static readonly Option<string> ScenarioOption = CliOptions.Scenario("The scenario whose world to serve, instead of --world.");

    private static readonly Option<bool> JsonOption = CliOptions.Json(
        "Prints one JSON line (endpoint, region, dynalitePid, startupMilliseconds, environment) instead of the export lines.");

    internal static Command Definition()
    {
        var serve = new Command("serve", CliOptions.Prose("""
            Runs the simulator's DynamoDB (dynalite on 127.0.0.1, with the world's tables) until Ctrl-C or SIGTERM.
            Prints the environment variables that point the AWS SDK at it, for C# code run by hand against it (the chat
            handler, a script). dynalite never outlives the simulator, however it ends.

            Exit codes: 0 when stopped by Ctrl-C or SIGTERM, 1 when dynalite cannot start, 64 for a usage or scenario error.
            """))
        {
            WorldOption, ScenarioOption, JsonOption,
        };
        serve.SetAction(r => Run(r, r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return new Command("dynamodb", "The simulator's DynamoDB on its own: dynamodb serve.") { serve };
    }

    /// <summary>As <c>dynamodb ARGS</c> on the command line (<c>serve ...</c>), with exceptions thrown rather than printed.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr) => SimulatorCli.Invoke(["dynamodb", .. args], stdout, stderr);

    private static int Run(ParseResult cl, TextWriter stdout, TextWriter stderr)
    {
        var scenarioName = cl.GetValue(ScenarioOption);
        var world = cl.GetValue(WorldOption);
        var json = cl.GetValue(JsonOption);
        if (scenarioName is not null && world is not null)
        {
            throw new UsageException("--scenario and --world are alternatives: a scenario names its own world.");
        }

        // Registered before dynalite starts, so the host's own exit hooks see the termination cancelled
        // and leave the shutdown to the using block below.
        using var stop = new ManualResetEventSlim();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Set();
        };
        using var sigterm = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Set();
        });

        using var account = (scenarioName, world) switch
        {
            ({ } name, _) => AccountFactory.Create(Scenario.Load(name)),
            (_, { } w) => AccountFactory.Create(Scenario.FromJson(w, JObject.Of(("world", w)))),
            _ => AccountFactory.Create(),
        };
        var service = account.Service<DynamoDbService>();
        DynamoDbEndpoint endpoint;
        try
        {
            endpoint = service.GetEndpoint();
        }
        catch (DynaliteUnavailableException e)
        {
            stderr.WriteLine(e.Message);
            return 1;
        }

        var host = service.Host!;
        if (json)
        {
            stdout.WriteLine(JObject.Of(
                ("endpoint", endpoint.ServiceUrl.ToString()),
                ("region", endpoint.Region),
                ("dynalitePid", host.ProcessId),
                ("startupMilliseconds", Math.Round(host.StartupTime.TotalMilliseconds, 1)),
                ("environment", JObject.From(endpoint.EnvironmentVariables.Select(v => new KeyValuePair<string, JValue>(v.Key, v.Value))))).ToJson());
        }
        else
        {
            stdout.WriteLine($"DynamoDB (dynalite, pid {host.ProcessId}) is listening at {endpoint.ServiceUrl} (started in {host.StartupTime.TotalMilliseconds:0} ms).");
            stdout.WriteLine("Point the AWS SDK at it with:");
            foreach (var (name, value) in endpoint.EnvironmentVariables)
            {
                stdout.WriteLine($"  export {name}={value}");
            }

            stdout.WriteLine("Ctrl-C stops it.");
        }

        stdout.Flush();
        stop.Wait();
        return 0;
    }
}
