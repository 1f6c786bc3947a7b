using System.Text.Json;

namespace BlueGreen.LambdaRuntime;

/// <summary>Why the runtime process ended during init: the exit status and what it printed on standard error.</summary>
public sealed record BootstrapFailure(int ExitStatus, string Message)
{
    /// <summary>What Invoke returns for it (Lambda Runtime Interface Emulator, <c>rapid/handlers.go</c>): <c>Runtime.ExitError</c>.</summary>
    public const string ErrorType = "Runtime.ExitError";

    public string InvokeErrorMessage(string requestId) => $"RequestId: {requestId} Error: Runtime exited with error: exit status {ExitStatus}";
}

/// <summary>The files the runtime starts a class-library handler with.</summary>
public sealed record BootstrapFiles(string DepsFile, string RuntimeConfigFile);

/// <summary>
/// What the managed <c>dotnet10</c> runtime checks before it runs a single line of the function, for a class-library
/// handler (<c>Assembly::Type::Method</c>): its <c>/var/runtime/bootstrap</c> is <c>bootstrap.sh</c> of
/// aws/aws-lambda-dotnet <c>Libraries/src/Amazon.Lambda.RuntimeSupport/</c> (copied in by
/// <c>LambdaRuntimeDockerfiles/Images/net10/amd64/Dockerfile</c>), followed by the .NET host reading the runtimeconfig.
/// The CDK app refuses to synthesize a package that fails here; the simulated Lambda service refuses to start one.
/// See docs/aws-api-models.md, "Lambda packages".
/// </summary>
public static class ManagedDotnetRuntime
{
    /// <summary>The runtime identifier (Lambda API model, <c>Runtime</c> enum): Amazon Linux 2023, .NET 10.</summary>
    public const string Identifier = "dotnet10";

    /// <summary>
    /// Regions where Lambda SnapStart is not available (cfn-lint 1.51 rule E2530's Region data, which follows the Lambda
    /// developer guide's SnapStart availability list; both aws-cn Regions among them, and aws-cn is a target partition).
    /// The stack turns SnapStart on only outside them (cdk-review §7).
    /// </summary>
    public static IReadOnlyList<string> RegionsWithoutSnapStart { get; } =
    [
        "ap-east-2", "ap-south-2", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1", "cn-north-1",
        "cn-northwest-1", "eu-central-2", "eu-south-2", "il-central-1", "me-central-1", "mx-central-1", "us-gov-east-1", "us-gov-west-1",
        "us-iso-east-1", "us-iso-west-1", "us-isob-east-1", "us-isob-west-1", "us-isof-east-1", "us-isof-south-1", "eu-isoe-west-1", "eusc-de-east-1",
    ];

    /// <summary>The shared framework major version the runtime ships; a runtimeconfig must ask for it (default roll-forward: Minor).</summary>
    public const int FrameworkMajor = 10;

    /// <summary>bootstrap.sh prints the task root as <c>/var/task</c>, where Lambda unpacks the code.</summary>
    private const string NotInstalled = "Error: .NET binaries for Lambda function are not correctly installed in the /var/task directory of the image when the image was built. The /var/task directory is missing";

    /// <summary>
    /// bootstrap.sh's checks, in its order, then the host's reading of the runtimeconfig. Null when the runtime would
    /// start RuntimeSupport, which then resolves the handler.
    /// </summary>
    /// <param name="taskRoot">The unpacked code (<c>LAMBDA_TASK_ROOT</c>, <c>/var/task</c> on AWS).</param>
    public static BootstrapFailure? Check(string taskRoot, string handler, out BootstrapFiles? files)
    {
        ArgumentNullException.ThrowIfNull(taskRoot);
        files = null;
        const string shownRoot = "/var/task";
        // L14: "[ ! -d dir ] | [ -z "$(ls -A dir)" ]" (a pipe, so a missing and an empty folder both end here).
        if (!Directory.Exists(taskRoot) || !Directory.EnumerateFileSystemEntries(taskRoot).Any())
        {
            return new BootstrapFailure(102, NotInstalled + ".");
        }

        if (string.IsNullOrEmpty(handler))
        {
            return new BootstrapFailure(103, "Error: No Lambda Handler function was specified.");
        }

        var colon = handler.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            // Executable-assembly mode: the function's own Main must start the runtime; this product never uses it.
            var assembly = handler.EndsWith(".dll", StringComparison.Ordinal) ? handler : handler + ".dll";
            return File.Exists(Path.Combine(taskRoot, assembly)) || File.Exists(Path.Combine(taskRoot, handler))
                ? null
                : new BootstrapFailure(104, $"Error: executable assembly {shownRoot}/{assembly} or binary {shownRoot}/{handler} not found.");
        }

        // The raw text before the first ':' names the files; else exactly one candidate of each kind.
        var name = handler[..colon];
        var deps = Pick(taskRoot, name, ".deps.json");
        if (deps is null)
        {
            return new BootstrapFailure(105, NotInstalled + " the required .deps.json file.");
        }

        var runtimeConfig = Pick(taskRoot, name, ".runtimeconfig.json");
        if (runtimeConfig is null)
        {
            return new BootstrapFailure(106, NotInstalled + " the required .runtimeconfig.json file.");
        }

        if (HostFailure(runtimeConfig, deps) is { } host)
        {
            return host;
        }

        files = new BootstrapFiles(deps, runtimeConfig);
        return null;
    }

    /// <summary>The runtime's refusal, as one line for a build error or a test message.</summary>
    public static string Describe(BootstrapFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return $"{failure.Message} (the runtime exits {failure.ExitStatus}: {BootstrapFailure.ErrorType})";
    }

    private static string? Pick(string taskRoot, string name, string suffix)
    {
        var exact = Path.Combine(taskRoot, name + suffix);
        if (File.Exists(exact))
        {
            return exact;
        }

        var candidates = Directory.GetFiles(taskRoot, "*" + suffix, SearchOption.TopDirectoryOnly).Where(f => !Path.GetFileName(f).StartsWith('.')).ToList();
        return candidates.Count == 1 ? candidates[0] : null;
    }

    /// <summary>
    /// The .NET host (hostfxr) after <c>dotnet exec --depsfile --runtimeconfig</c>: a runtimeconfig that is not JSON exits
    /// 147, one without a framework 131, one asking for another major version of Microsoft.NETCore.App 150; a deps.json
    /// that is not JSON 139 (<c>dotnet/runtime src/native/corehost/error_codes.h</c>).
    /// </summary>
    private static BootstrapFailure? HostFailure(string runtimeConfig, string deps)
    {
        JsonElement options;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
            options = document.RootElement.TryGetProperty("runtimeOptions", out var o) ? o.Clone() : default;
        }
        catch (JsonException e)
        {
            return new BootstrapFailure(147, $"Failed to parse file [{runtimeConfig}]. JSON parsing exception: {e.Message}");
        }

        var frameworks = new List<JsonElement>();
        if (options.ValueKind == JsonValueKind.Object && options.TryGetProperty("framework", out var single))
        {
            frameworks.Add(single);
        }

        if (options.ValueKind == JsonValueKind.Object && options.TryGetProperty("frameworks", out var many) && many.ValueKind == JsonValueKind.Array)
        {
            frameworks.AddRange(many.EnumerateArray());
        }

        if (frameworks.Count == 0)
        {
            return new BootstrapFailure(131, "A fatal error was encountered. The library 'libhostpolicy.so' required to execute the application was not found.");
        }

        foreach (var framework in frameworks)
        {
            var name = framework.TryGetProperty("name", out var n) ? n.GetString() : null;
            var version = framework.TryGetProperty("version", out var v) ? v.GetString() : null;
            var major = version is not null && Version.TryParse(version, out var parsed) ? parsed.Major : -1;
            if (name is not ("Microsoft.NETCore.App" or "Microsoft.AspNetCore.App") || major != FrameworkMajor)
            {
                return new BootstrapFailure(150, $"You must install or update .NET to run this application. Framework: '{name}', version '{version}' (x64); the {Identifier} runtime has {FrameworkMajor}.0.x.");
            }
        }

        try
        {
            using var _ = JsonDocument.Parse(File.ReadAllText(deps));
        }
        catch (JsonException e)
        {
            return new BootstrapFailure(139, $"Failed to parse file [{deps}]. JSON parsing exception: {e.Message}");
        }

        return null;
    }
}
