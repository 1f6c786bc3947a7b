using System.Text;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Lambda;

/// <summary>How a registered function is configured (what GetFunction reports, and how long an invocation takes).</summary>
public sealed record LambdaFunctionOptions
{
    /// <summary>Aliases (<c>live</c>) pointing at the function's published version <c>1</c>.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The function timeout; an invocation whose <see cref="Duration"/> exceeds it fails with <c>Sandbox.Timedout</c>.</summary>
    public int TimeoutSeconds { get; init; } = 3;

    public int MemorySize { get; init; } = 512;

    /// <summary>Virtual time one invocation takes (zero by default: handler CPU time never shows up on the virtual clock).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.Zero;

    public string Runtime { get; init; } = "dotnet10";

    /// <summary>The handler string GetFunction reports (<c>Assembly::Namespace.Class::Method</c>).</summary>
    public string? Handler { get; init; }

    public string Description { get; init; } = string.Empty;

    /// <summary>The function's tags (IAM sees them as <c>aws:ResourceTag/*</c> on the function and its versions and aliases).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A function in the simulated account: a name, an ARN, its configuration and the C# handler that runs
/// when it is invoked. Handlers have the managed-runtime shape of this product's Lambdas,
/// <c>Stream -&gt; Stream</c> (or its asynchronous form).
/// </summary>
public sealed class LambdaFunction
{
    internal LambdaFunction(string name, string arn, Func<Stream, Task<Stream>> handler, LambdaFunctionOptions options, DateTimeOffset lastModified, Func<FunctionInit>? initializer = null)
    {
        Name = name;
        Arn = arn;
        Handler = handler;
        Options = options;
        LastModified = lastModified;
        Initializer = initializer;
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var alias in options.Aliases)
        {
            aliases[alias] = "1";
        }

        Aliases = aliases;
    }

    public string Name { get; }

    /// <summary>The unqualified function ARN.</summary>
    public string Arn { get; }

    public LambdaFunctionOptions Options { get; }

    public DateTimeOffset LastModified { get; }

    /// <summary>Alias name to the version it points at.</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; }

    internal Func<Stream, Task<Stream>> Handler { get; }

    /// <summary>For a function loaded from a code package: how its init ends, decided on its first invocation (its cold start).</summary>
    internal Func<FunctionInit>? Initializer { get; }

    /// <summary>The folder of its code package, or null for a function whose handler is a C# delegate.</summary>
    public string? CodeDirectory { get; init; }


    private FunctionInit? _init;

    /// <summary>The init error every invocation returns (<c>Runtime.ExitError</c>, <c>LambdaValidationException</c>), or null once the handler started.</summary>
    internal JObject? InitError(string requestId)
    {
        if (Initializer is null)
        {
            return null;
        }

        _init ??= Initializer();
        return _init.Error?.Invoke(requestId);
    }

    /// <summary>The handler that runs an invocation: the package's, once its init succeeded, or the registered delegate.</summary>
    internal Func<Stream, Task<Stream>> Entry => _init?.Handler ?? Handler;

    /// <summary>Published versions: <c>1</c> exists once the function has an alias (aliases point at versions, not at $LATEST).</summary>
    public bool HasVersion(string version) => version == "1" && Aliases.Count > 0;

    /// <summary>The version a qualifier runs (<c>$LATEST</c>, a version number, or an alias), or null when the qualifier names nothing.</summary>
    public string? ResolveVersion(string? qualifier) => qualifier switch
    {
        null or "$LATEST" => "$LATEST",
        _ when Aliases.TryGetValue(qualifier, out var version) => version,
        _ when HasVersion(qualifier) => qualifier,
        _ => null,
    };

    /// <summary>A handler that answers every invocation with the same JSON (world-seeded stub functions).</summary>
    internal static Func<Stream, Task<Stream>> Returning(JValue response) =>
        _ => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(response.ToJson()), writable: false));

    /// <summary>A handler that echoes its input (world-seeded functions with no behaviour given).</summary>
    internal static Func<Stream, Task<Stream>> Echo() =>
        input =>
        {
            var copy = new MemoryStream();
            input.CopyTo(copy);
            copy.Position = 0;
            return Task.FromResult<Stream>(copy);
        };

    /// <summary>A handler that always fails with <paramref name="errorType"/> (world-seeded stub functions).</summary>
    internal static Func<Stream, Task<Stream>> Throwing(string errorType, string message) =>
        _ => Task.FromException<Stream>(new SimulatedFunctionException(errorType, message));
}

/// <summary>
/// A function error with a chosen type name, for stub functions configured in a world file: the Lambda
/// error type it reports is <see cref="ErrorType"/> rather than this class's name.
/// </summary>
public sealed class SimulatedFunctionException(string errorType, string message) : Exception(message)
{
    public string ErrorType { get; } = errorType;
}

/// <summary>One invocation of a function, successful or not, in order.</summary>
/// <param name="Time">When the invocation started (virtual time).</param>
/// <param name="ErrorType">The function error's type (<c>InvalidInput</c>, <c>Sandbox.Timedout</c>), or null when it succeeded.</param>
public sealed record LambdaInvocation(
    DateTimeOffset Time,
    string FunctionName,
    string ExecutedVersion,
    string InvocationType,
    string RequestId,
    string Payload,
    string? Response,
    string? ErrorType);
