using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace BlueGreen.Simulator.Aws.Services.DynamoDb;

/// <summary>Node.js or the dynalite package is missing, or dynalite would not start.</summary>
public sealed class DynaliteUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Where to find Node.js and dynalite, and what identity dynalite puts in table ARNs.</summary>
public sealed record DynaliteOptions
{
    /// <summary>The <c>node</c> executable; found on PATH when null.</summary>
    public string? NodePath { get; init; }

    /// <summary>The folder holding <c>dynalite-host.js</c> and <c>node_modules/dynalite</c>.</summary>
    public string NodeDir { get; init; } = BuildInfo.NodeDir;

    /// <summary>Region in the ARNs dynalite returns (<c>TableArn</c>).</summary>
    public string Region { get; init; } = "ap-northeast-2";

    /// <summary>Account id in the ARNs dynalite returns.</summary>
    public string AccountId { get; init; } = "111122223333";

    /// <summary>A folder where dynalite keeps its tables (LevelDB), so they outlive the process; in memory when null.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>How long to wait for dynalite to answer (shared CI machines can be slow).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// One in-memory <c>dynalite</c> (a DynamoDB engine for Node.js) listening on 127.0.0.1, on a port the
/// OS picks. It is started through <c>node/dynalite-host.js</c> and is always stopped:
/// <list type="bullet">
/// <item><see cref="Dispose"/> closes its stdin (it exits at once) and kills it if it lingers;</item>
/// <item>process exit, unhandled exceptions, Ctrl-C and SIGTERM/SIGHUP (unless another handler
/// cancelled the termination) kill every live host;</item>
/// <item>if this process dies without running any code (SIGKILL, a crash), dynalite notices that its
/// stdin reached end-of-file (the kernel closes our end of the pipe) or that its parent PID is gone,
/// and exits by itself.</item>
/// </list>
/// </summary>
public sealed class DynaliteHost : IDisposable
{
    private const string ReadyPrefix = "DYNALITE_LISTENING ";
    private const string HostScript = "dynalite-host.js";

    private static readonly ConcurrentDictionary<DynaliteHost, byte> Live = new();
    private static readonly Lock HooksLock = new();
    private static readonly List<PosixSignalRegistration> SignalRegistrations = [];
    private static bool _hooksInstalled;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr;
    private int _disposed;

    private DynaliteHost(Process process, Uri endpoint, TimeSpan startupTime, ConcurrentQueue<string> stderr)
    {
        _process = process;
        _stderr = stderr;
        Endpoint = endpoint;
        StartupTime = startupTime;
        ProcessId = process.Id;
    }

    /// <summary>The base URL to send DynamoDB requests to, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The PID of the Node.js process that runs dynalite.</summary>
    public int ProcessId { get; }

    /// <summary>From starting Node.js to dynalite's first answer.</summary>
    public TimeSpan StartupTime { get; }

    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true; // disposed
            }
        }
    }

    /// <summary>What dynalite wrote to stderr (last lines), for error messages.</summary>
    public string RecentErrors => string.Join(Environment.NewLine, _stderr);

    /// <summary>Starts dynalite and waits until it answers an HTTP request.</summary>
    public static async Task<DynaliteHost> StartAsync(DynaliteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DynaliteOptions();
        var node = FindNode(options.NodePath);
        var script = Path.Combine(options.NodeDir, HostScript);
        if (!File.Exists(Path.Combine(options.NodeDir, "node_modules", "dynalite", "package.json")))
        {
            throw new DynaliteUnavailableException(
                $"The dynalite package is not installed in {Path.Combine(options.NodeDir, "node_modules")}. Build the simulator once " +
                $"(`dotnet build src/Simulator`, which runs `npm ci`) or run `npm ci` in {options.NodeDir}.");
        }

        if (!File.Exists(script))
        {
            throw new DynaliteUnavailableException($"{script} is missing; it ships with the simulator's sources.");
        }

        InstallExitHooks();
        var clock = Stopwatch.StartNew();
        var info = new ProcessStartInfo(node)
        {
            WorkingDirectory = options.NodeDir,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (options.DataDirectory is { } data)
        {
            Directory.CreateDirectory(data);
            info.ArgumentList.Add(Path.GetFullPath(data));
        }
        info.Environment["AWS_REGION"] = options.Region;
        info.Environment["AWS_ACCOUNT_ID"] = options.AccountId;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith(ReadyPrefix, StringComparison.Ordinal)
                && int.TryParse(line.AsSpan(ReadyPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var p))
            {
                port.TrySetResult(p);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                stderr.Enqueue(line);
                while (stderr.Count > 40 && stderr.TryDequeue(out string? _))
                {
                }
            }
        };
        process.Exited += (_, _) => port.TrySetException(new DynaliteUnavailableException(
            $"dynalite exited during start-up (exit code {SafeExitCode(process)}).{Environment.NewLine}{string.Join(Environment.NewLine, stderr)}"));

        try
        {
            if (!process.Start())
            {
                throw new DynaliteUnavailableException($"Could not start {node}.");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new DynaliteUnavailableException($"Could not start Node.js ({node}): {e.Message}", e);
        }

        DynaliteHost? host = null;
        try
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StartTimeout);
            int listening;
            try
            {
                listening = await port.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DynaliteUnavailableException(
                    $"dynalite did not start within {options.StartTimeout.TotalSeconds:0} s.{Environment.NewLine}{string.Join(Environment.NewLine, stderr)}");
            }

            var endpoint = new Uri($"http://127.0.0.1:{listening}/");
            await WaitUntilAnsweringAsync(endpoint, timeout.Token).ConfigureAwait(false);
            host = new DynaliteHost(process, endpoint, clock.Elapsed, stderr);
            Live.TryAdd(host, 0);
            return host;
        }
        finally
        {
            if (host is null)
            {
                Kill(process);
                process.Dispose();
            }
        }
    }

    /// <summary>Starts dynalite, blocking the caller (for synchronous set-up code and tools).</summary>
    public static DynaliteHost Start(DynaliteOptions? options = null) =>
        Task.Run(() => StartAsync(options)).GetAwaiter().GetResult();

    /// <summary>Stops dynalite: end-of-file on its stdin first, a kill if it has not exited within two seconds.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Live.TryRemove(this, out _);
        try
        {
            if (!_process.HasExited)
            {
                try
                {
                    _process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // Already gone.
                }

                if (!_process.WaitForExit(TimeSpan.FromSeconds(2)))
                {
                    Kill(_process);
                    _process.WaitForExit(TimeSpan.FromSeconds(5));
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>Kills every dynalite this process started and has not stopped yet.</summary>
    internal static void StopAll()
    {
        foreach (var host in Live.Keys)
        {
            if (Live.TryRemove(host, out _))
            {
                Kill(host._process);
            }
        }
    }

    private static void InstallExitHooks()
    {
        lock (HooksLock)
        {
            if (_hooksInstalled)
            {
                return;
            }

            _hooksInstalled = true;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
            AppDomain.CurrentDomain.UnhandledException += (_, _) => StopAll();
            // Handlers registered before ours may cancel Ctrl-C to shut down gracefully (and still need
            // DynamoDB); then the host stays until Dispose or process exit.
            Console.CancelKeyPress += (_, e) =>
            {
                if (!e.Cancel)
                {
                    StopAll();
                }
            };
            if (!OperatingSystem.IsWindows())
            {
                foreach (var signal in (PosixSignal[])[PosixSignal.SIGTERM, PosixSignal.SIGHUP])
                {
                    SignalRegistrations.Add(PosixSignalRegistration.Create(signal, context =>
                    {
                        if (!context.Cancel)
                        {
                            StopAll();
                        }
                    }));
                }
            }
        }
    }

    private static async Task WaitUntilAnsweringAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        // dynalite answers GET / with "healthy: ..."; the listen callback has fired, so this normally
        // succeeds at once, but a loaded machine may accept the connection a moment later.
        while (true)
        {
            try
            {
                using var response = await DynamoDbWire.Http.GetAsync(endpoint, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string FindNode(string? configured)
    {
        if (configured is not null)
        {
            return File.Exists(configured)
                ? configured
                : throw new DynaliteUnavailableException($"Node.js was not found at {configured}.");
        }

        var name = OperatingSystem.IsWindows() ? "node.exe" : "node";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DynaliteUnavailableException(
            "Node.js was not found on PATH. The simulator's DynamoDB is dynalite, a Node.js package: install Node.js 20 or later, " +
            "then build the simulator (`dotnet build src/Simulator`, which runs `npm ci`).");
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile, or never started.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting; nothing left to kill.
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }
}
