using System.Diagnostics;
using System.Globalization;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Aws.Services.DynamoDb;

/// <summary>One dynalite per test class: starting Node costs a few hundred milliseconds, a table costs one.</summary>
public sealed class DynaliteFixture : IDisposable
{
    private int _tables;

    public DynaliteFixture() => Host = DynaliteHost.Start();

    public DynaliteHost Host { get; }

    /// <summary>A table name no other test in this dynalite uses.</summary>
    public string UniqueTable(string prefix) =>
        $"{prefix}-{Interlocked.Increment(ref _tables).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>An account whose DynamoDB is this fixture's dynalite, seeded with the <c>dynamodb</c> section when given.</summary>
    public SimulatedAccount Account(JObject? dynamoDbSection = null)
    {
        var account = new SimulatedAccount();
        account.AddService(new DynamoDbService(Host));
        if (dynamoDbSection is not null)
        {
            Scenario.FromJson("test", JObject.Of(("services", JObject.Of(("dynamodb", dynamoDbSection))))).Apply(account);
        }

        return account;
    }

    public void Dispose() => Host.Dispose();
}

internal static class Processes
{
    /// <summary>
    /// True while <paramref name="pid"/> runs. A zombie counts as gone: it has exited, and on machines
    /// whose PID 1 does not reap orphans it stays in the table until reboot.
    /// </summary>
    public static bool IsRunning(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            var stat = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat";
            try
            {
                var text = File.ReadAllText(stat);
                var state = text[(text.LastIndexOf(')') + 2)..][0];
                return state is not ('Z' or 'X');
            }
            catch (IOException)
            {
                return false;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static bool WaitUntilGone(int pid, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (IsRunning(pid))
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            Thread.Sleep(10);
        }

        return true;
    }
}
