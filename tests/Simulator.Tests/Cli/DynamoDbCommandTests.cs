using System.Diagnostics;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Tests.Aws.Services.DynamoDb;
using Xunit.Abstractions;

namespace BlueGreen.Simulator.Tests.Cli;

/// <summary>
/// <c>dynamodb serve</c>, run as its own .NET process: dynalite never outlives it, however it ends. (dynalite's lifetime
/// inside a process is the account's; see DynaliteHostTests in the account's tests.)
/// </summary>
public sealed class DynamoDbCommandTests(ITestOutputHelper output)
{
    [Fact]
    public void DotnetProcessKilledWithSigkill_DynaliteNoticesAndExits()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // this test reads /proc; on Windows the stdin watchdog works the same way
        }

        using var child = StartServe(out var dynalitePid);
        child.Kill(); // SIGKILL: no .NET code runs, no exit hook, no Dispose
        child.WaitForExit();

        var clock = Stopwatch.StartNew();
        Assert.True(Processes.WaitUntilGone(dynalitePid, TimeSpan.FromSeconds(5)), "dynalite outlived the killed simulator");
        output.WriteLine($"dynalite exited {clock.ElapsedMilliseconds} ms after its parent was killed");
    }

    [Theory]
    [InlineData("INT")] // Ctrl-C
    [InlineData("TERM")]
    public void DynamoDbServe_Interrupted_ShutsDownCleanly(string signal)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // POSIX signals
        }

        using var child = StartServe(out var dynalitePid);
        using (var kill = Process.Start("kill", ["-" + signal, child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(10)), "dynamodb serve ignored the signal");
        Assert.Equal(0, child.ExitCode);
        Assert.True(Processes.WaitUntilGone(dynalitePid, TimeSpan.FromSeconds(2)));
    }

    /// <summary>Runs <c>dynamodb serve --json</c> in a child .NET process and reads the PID of its dynalite.</summary>
    private static Process StartServe(out int dynalitePid)
    {
        var simulator = Path.Combine(AppContext.BaseDirectory, "BlueGreen.Simulator.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in (string[])[simulator, "dynamodb", "serve", "--json"])
        {
            info.ArgumentList.Add(arg);
        }

        var child = Process.Start(info)!;
        try
        {
            var line = child.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"dynamodb serve printed nothing: {child.StandardError.ReadToEnd()}");
            dynalitePid = (int)JValue.Parse(line).AsObject().GetNumber("dynalitePid")!.Value;
            Assert.True(Processes.IsRunning(dynalitePid));
            return child;
        }
        catch
        {
            child.Kill();
            child.Dispose();
            throw;
        }
    }
}
