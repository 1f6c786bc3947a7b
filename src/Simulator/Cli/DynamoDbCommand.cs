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
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count == 0 || args[0] != "serve")
        {
            throw new UsageException("dynamodb needs a subcommand: serve.");
        }

        var cl = new CommandLine(args.Skip(1).ToList(), new HashSet<string> { "json" });
        var scenarioName = cl.Get("scenario");
        var world = cl.Get("world");
        var json = cl.Flag("json");
        cl.RejectUnknown();
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
