using System.Globalization;
using System.Text;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws.Services.Lambda;

/// <summary>
/// AWS Lambda: a registry of functions whose handlers are C# delegates (<c>Stream -&gt; Stream</c>, the
/// shape of this product's handlers on the managed .NET runtime), reached through
/// <c>arn:aws:states:::aws-sdk:lambda:*</c> (Invoke, GetFunction, ListFunctions, ListAliases, GetAlias), and through
/// <c>arn:aws:states:::lambda:invoke</c> and function ARNs as Task resources (<see cref="Integrations.LambdaIntegration"/>).
/// A handler that throws is a <em>function error</em>: the Task fails with the exception's type name
/// (<see cref="Type.Name"/>, as the .NET runtime reports <c>errorType</c>) and a cause that is the JSON
/// <c>{"errorType","errorMessage","stackTrace"}</c>. API errors are <c>Lambda.*</c>
/// (<c>Lambda.ResourceNotFoundException</c>); faults injected on <c>lambda:Invoke</c> produce the transient
/// errors workflows retry: throttle is <c>Lambda.TooManyRequestsException</c>, internal is
/// <c>Lambda.ServiceException</c>, and <c>error: AWSLambdaException</c> / <c>SdkClientException</c> give
/// <c>Lambda.AWSLambdaException</c> / <c>Lambda.SdkClientException</c>.
/// </summary>
/// <remarks>
/// <para>Handlers run on the scheduler thread, synchronously, with no synchronization context: the virtual
/// clock cannot move while they compute, nothing else in the simulation interleaves with them, and a handler
/// that blocks on real I/O (DynamoDB through dynalite) cannot deadlock the scheduler. A handler that
/// returns an unfinished task (real asynchronous I/O) is awaited through <see cref="VirtualScheduler.External{T}"/>,
/// which holds the clock still, and resumes the simulation at a point fixed when it was invoked, so runs
/// repeat exactly. Such a handler must not call into the simulation after its first real await.</para>
/// <para>World section <c>lambda</c>: <c>functions: [ { name, aliases, timeoutSeconds, memorySize, durationMs,
/// returns | throws: { errorType, errorMessage } } ]</c>; see scenarios/README.md.</para>
/// </remarks>
public sealed class LambdaService : AwsServiceBase
{
    private readonly Dictionary<string, LambdaFunction> _functions = new(StringComparer.Ordinal);
    private readonly List<LambdaInvocation> _invocations = [];
    private SimulatedAccount? _account;
    private Random _random = new(0);

    public LambdaService()
    {
        OnAsync("Invoke", InvokeAction);
        On("GetFunction", GetFunction);
        On("GetFunctionConfiguration", GetFunctionConfiguration);
        On("ListFunctions", ListFunctions);
        On("GetAlias", GetAlias);
        On("ListAliases", ListAliases);
    }

    public override string SdkName => "lambda";

    public override string ErrorPrefix => "Lambda";

    public override string IamPrefix => "lambda";

    public override string ThrottlingErrorCode => "TooManyRequestsException";

    public override string InternalErrorCode => "ServiceException";

    public override string ValidationErrorCode => "InvalidParameterValueException";

    /// <summary>Besides its API's errors, the client-side ones the optimized integration reports (Lambda.AWSLambdaException, Lambda.SdkClientException).</summary>
    public override IEnumerable<string> OwnErrorCodes => [.. base.OwnErrorCodes, "AWSLambdaException", "SdkClientException"];

    /// <summary>Every invocation so far, in order (the rehearsal's <c>lambdaInvocations</c>).</summary>
    public IReadOnlyList<LambdaInvocation> Invocations => _invocations;

    public IReadOnlyCollection<LambdaFunction> Functions => _functions.Values;

    /// <summary>The seeded source of this service's request ids, which the Step Functions integration draws from too.</summary>
    internal Random RequestIds => _random;

    private SimulatedAccount Account => _account ?? throw new InvalidOperationException("The Lambda service is not attached to an account.");

    /// <summary>
    /// Invoking a function changes no AWS resource (whatever the function itself changes shows up as its own
    /// calls), so rehearsal summaries do not count invocations among the mutating calls.
    /// </summary>
    public override bool IsReadOnly(string action) => base.IsReadOnly(action) || action == "Invoke";

    public override void Attach(SimulatedAccount account)
    {
        _account = account;
        _random = Ids.ServiceRandom(account, "lambda");
    }

    public override void Seed(JObject section, SimulatedAccount account)
    {
        var functions = section.GetArray("functions") ?? JArray.Empty;
        for (var i = 0; i < functions.Count; i++)
        {
            var f = functions[i] as JObject ?? throw new ScenarioException($"lambda.functions[{i}] must be an object");
            var name = f.GetString("name") ?? throw new ScenarioException($"lambda.functions[{i}]: 'name' is required");
            var handler = (f["returns"], f.GetObject("throws")) switch
            {
                ({ } returns, null) => LambdaFunction.Returning(returns),
                (null, { } throws) => LambdaFunction.Throwing(
                    throws.GetString("errorType") ?? throw new ScenarioException($"lambda.functions[{i}].throws: 'errorType' is required"),
                    throws.GetString("errorMessage") ?? string.Empty),
                (null, null) => LambdaFunction.Echo(),
                _ => throw new ScenarioException($"lambda.functions[{i}]: give 'returns' or 'throws', not both"),
            };
            try
            {
                Register(name, handler, Options(f));
            }
            catch (ArgumentException e)
            {
                throw new ScenarioException($"lambda.functions[{i}]: {e.Message}");
            }
        }

        static LambdaFunctionOptions Options(JObject f) => new()
        {
            Aliases = f.GetArray("aliases")?.OfType<JString>().Select(s => s.Value).ToList() ?? [],
            TimeoutSeconds = (int?)f.GetNumber("timeoutSeconds") ?? 3,
            MemorySize = (int?)f.GetNumber("memorySize") ?? 512,
            Duration = TimeSpan.FromMilliseconds(f.GetNumber("durationMs") ?? 0),
            Description = f.GetString("description") ?? string.Empty,
            Tags = f.GetObject("tags")?.Where(t => t.Value is JString).ToDictionary(t => t.Key, t => t.Value.AsString(), StringComparer.Ordinal) ?? new Dictionary<string, string>(),
        };
    }

    /// <summary>Registers (or replaces) function <paramref name="name"/> with a synchronous <c>Stream -&gt; Stream</c> handler.</summary>
    public LambdaFunction RegisterFunction(string name, Func<Stream, Stream> handler, LambdaFunctionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Register(name, input => Task.FromResult(handler(input)), options ?? new LambdaFunctionOptions());
    }

    /// <summary>Registers (or replaces) function <paramref name="name"/> with an asynchronous handler.</summary>
    public LambdaFunction RegisterFunction(string name, Func<Stream, Task<Stream>> handler, LambdaFunctionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Register(name, handler, options ?? new LambdaFunctionOptions());
    }

    /// <summary>
    /// Registers (or replaces) function <paramref name="name"/> whose code is the package in <paramref name="codeDirectory"/>,
    /// started on its first invocation the way the managed runtime starts it (<see cref="ManagedDotnetHost"/>).
    /// </summary>
    public LambdaFunction RegisterPackagedFunction(string name, string codeDirectory, LambdaFunctionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = options.Handler ?? throw new ArgumentException("A packaged function needs its handler string.", nameof(options));
        if (options.Runtime != BlueGreen.LambdaRuntime.ManagedDotnetRuntime.Identifier)
        {
            throw new ArgumentException($"The simulated Lambda runs the {BlueGreen.LambdaRuntime.ManagedDotnetRuntime.Identifier} runtime only, not {options.Runtime}.", nameof(options));
        }

        return Register(name, _ => throw new InvalidOperationException("A packaged function runs only after its init."), options, codeDirectory, () => ManagedDotnetHost.Start(codeDirectory, handler));
    }

    public LambdaFunction? Function(string name) => _functions.GetValueOrDefault(name);

    /// <summary>Tags of the function an ARN names, qualified or not (versions and aliases share the function's tags).</summary>
    public override IReadOnlyDictionary<string, string>? ResourceTags(string arn)
    {
        var prefix = Account.Arn("lambda", "function:");
        if (!arn.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var name = arn[prefix.Length..].Split(':')[0];
        return _functions.GetValueOrDefault(name)?.Options.Tags;
    }

    /// <summary>The ARN of function <paramref name="name"/>, optionally qualified (<c>:live</c>).</summary>
    public string FunctionArn(string name, string? qualifier = null) =>
        Account.Arn("lambda", $"function:{name}") + (qualifier is null ? string.Empty : ":" + qualifier);

    private LambdaFunction Register(string name, Func<Stream, Task<Stream>> handler, LambdaFunctionOptions options, string? codeDirectory = null, Func<FunctionInit>? initializer = null)
    {
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"'{name}' is not a valid function name (1-64 letters, digits, hyphens or underscores).", nameof(name));
        }

        var function = new LambdaFunction(name, FunctionArn(name), handler, options, Account.Scheduler.Now, initializer) { CodeDirectory = codeDirectory };
        _functions[name] = function;
        return function;
    }

    // ---- the API --------------------------------------------------------------------------------

    private async Task<JValue> InvokeAction(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var (function, qualifier) = Resolve(p.RequiredString("FunctionName"), p.OptionalString("Qualifier"));
        var version = function.ResolveVersion(qualifier)!;
        var payload = ApiValues.JsonText(parameters["Payload"]) ?? "{}";
        if (payload.Length > 0 && !JValue.TryParse(payload, out _, out var parseError))
        {
            throw new AwsServiceException("InvalidRequestContentException", $"Could not parse request body into json: {parseError}");
        }

        if (Encoding.UTF8.GetByteCount(payload) > 6 * 1024 * 1024)
        {
            throw new AwsServiceException("RequestTooLargeException", "Request must be smaller than 6291456 bytes for the InvokeFunction operation");
        }

        var invocationType = p.OptionalString("InvocationType") ?? "RequestResponse";
        switch (invocationType)
        {
            case "DryRun":
                return JObject.Of(("StatusCode", 204), ("Payload", string.Empty));
            case "Event":
                StartAsynchronousInvocation(function, version, payload);
                return JObject.Of(("StatusCode", 202), ("Payload", string.Empty));
            case "RequestResponse":
                break;
            default:
                throw Invalid($"1 validation error detected: Value '{invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
        }

        var outcome = await RunAsync(function, version, "RequestResponse", payload, context.Cancellation);
        var response = new JObjectBuilder().Add("StatusCode", 200);
        if (outcome.ErrorType is not null)
        {
            response.Add("FunctionError", "Unhandled");
        }

        return response.Add("ExecutedVersion", version).Add("Payload", outcome.Payload).Build();
    }

    /// <summary>
    /// Event invocations are queued and run after the call returns; like Lambda, a failed attempt is retried
    /// twice, one and then two minutes later (virtual time).
    /// </summary>
    private void StartAsynchronousInvocation(LambdaFunction function, string version, string payload)
    {
        Account.Scheduler.Post(() => _ = RunAsynchronously());

        async Task RunAsynchronously()
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                if (attempt > 0)
                {
                    await Account.Scheduler.Delay(TimeSpan.FromMinutes(attempt));
                }

                var outcome = await RunAsync(function, version, "Event", payload, CancellationToken.None);
                if (outcome.ErrorType is null)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Runs one invocation: the handler, then the function's virtual duration (or its timeout).</summary>
    private async Task<(string Payload, string? ErrorType)> RunAsync(LambdaFunction function, string version, string invocationType, string payload, CancellationToken cancellation)
    {
        var started = Account.Scheduler.Now;
        var requestId = Ids.Uuid(_random);
        var (response, error) = function.InitError(requestId) is { } initError ? (null, initError) : await CallHandlerAsync(function, payload);
        var timeout = TimeSpan.FromSeconds(function.Options.TimeoutSeconds);
        if (function.Options.Duration > TimeSpan.Zero)
        {
            await Account.Scheduler.Delay(function.Options.Duration < timeout ? function.Options.Duration : timeout, cancellation);
        }

        if (function.Options.Duration > timeout)
        {
            error = JObject.Of(
                ("errorType", "Sandbox.Timedout"),
                ("errorMessage", $"RequestId: {requestId} Error: Task timed out after {function.Options.TimeoutSeconds.ToString("F2", CultureInfo.InvariantCulture)} seconds"));
        }

        var errorType = error?.GetString("errorType");
        var result = error?.ToJson() ?? response ?? string.Empty;
        _invocations.Add(new LambdaInvocation(started, function.Name, version, invocationType, requestId, payload, result, errorType));
        return (result, errorType);
    }

    /// <summary>
    /// Calls the C# handler without letting it disturb the virtual clock (see the class remarks). Returns
    /// the response text, or the function error payload.
    /// </summary>
    private async Task<(string? Response, JObject? Error)> CallHandlerAsync(LambdaFunction function, string payload)
    {
        var scheduler = Account.Scheduler;
        Task<Stream> work;
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            work = function.Entry(new MemoryStream(Encoding.UTF8.GetBytes(payload), writable: false));
        }
        catch (Exception e)
        {
            return (null, ErrorPayload(e));
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        // Every invocation resumes at a timer queued now, so invocations continue in the order they were made
        // whatever real time their handlers take. Unconditionally: whether a handler's task is still running
        // when checked depends on thread timing (one that finishes on a pool thread within microseconds looks
        // synchronous), and the simulation must not.
        var resume = scheduler.WaitUntil(scheduler.Now);
        if (!work.IsCompleted)
        {
            // Real asynchronous I/O: the clock holds still while it runs.
            try
            {
                await scheduler.External(work);
            }
            catch (Exception) when (work.IsFaulted || work.IsCanceled)
            {
                // Reported below, with the handler's own exception.
            }
        }

        await resume;

        if (work.IsFaulted)
        {
            var exception = work.Exception!.InnerExceptions.Count == 1 ? work.Exception.InnerException! : work.Exception;
            return (null, ErrorPayload(exception));
        }

        if (work.IsCanceled)
        {
            return (null, ErrorPayload(new TaskCanceledException("The handler's task was canceled.")));
        }

        var output = work.Result;
        if (output is null)
        {
            return (string.Empty, null);
        }

        await using (output)
        {
            using var reader = new StreamReader(output, Encoding.UTF8);
            return (await reader.ReadToEndAsync(CancellationToken.None).ConfigureAwait(true), null);
        }
    }

    /// <summary>
    /// The error payload the .NET Lambda runtime reports for an unhandled exception: <c>errorType</c> is the
    /// exception type's short name, then <c>errorMessage</c>, <c>stackTrace</c> (one line per frame) and the
    /// inner exception as <c>cause</c>.
    /// </summary>
    internal static JObject ErrorPayload(Exception exception)
    {
        var o = new JObjectBuilder()
            .Add("errorType", exception is SimulatedFunctionException s ? s.ErrorType : exception.GetType().Name)
            .Add("errorMessage", exception.Message);
        // The function's own frames: those of the simulator calling it (reflection, this service) are not part of it.
        var frames = (exception.StackTrace ?? string.Empty).Split('\n').Select(l => l.Trim())
            .TakeWhile(l => !l.StartsWith("at System.Reflection.", StringComparison.Ordinal) && !l.StartsWith("at BlueGreen.Simulator.Aws.Services.Lambda.", StringComparison.Ordinal))
            .Where(l => l.Length > 0).ToList();
        if (frames.Count > 0)
        {
            o.Add("stackTrace", JArray.From(frames.Select(f => (JValue)f)));
        }

        if (exception.InnerException is { } inner)
        {
            o.Add("cause", ErrorPayload(inner));
        }

        if (exception is AggregateException aggregate && aggregate.InnerExceptions.Count > 0)
        {
            o.Add("causes", JArray.From(aggregate.InnerExceptions.Select(e => (JValue)ErrorPayload(e))));
        }

        return o.Build();
    }

    private JObject GetFunctionConfiguration(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var (function, qualifier) = Resolve(p.RequiredString("FunctionName"), p.OptionalString("Qualifier"));
        return Configuration(function, qualifier);
    }

    private JObject GetFunction(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var qualifier = p.OptionalString("Qualifier");
        var (function, derived) = Resolve(p.RequiredString("FunctionName"), qualifier);
        return JObject.Of(
            ("Configuration", Configuration(function, derived)),
            ("Code", JObject.Of(("RepositoryType", "S3"), ("Location", $"https://awslambda-{Account.Region}-tasks.s3.{Account.Region}.amazonaws.com/snapshots/{Account.AccountId}/{function.Name}"))),
            ("Tags", JObject.Empty));
    }

    private JObject ListFunctions(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var all = _functions.Values.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        var page = Pagination.Of(all, p.OptionalString("Marker"), p.OptionalInt("MaxItems") ?? 50, PageTokens.Offsets, m => Invalid($"Invalid marker: {m}"));
        return new JObjectBuilder()
            .Add("Functions", JArray.From(page.Items.Select(f => (JValue)Configuration(f, null))))
            .Maybe("NextMarker", page.NextToken)
            .Build();
    }

    private JObject GetAlias(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var (function, _) = Resolve(p.RequiredString("FunctionName"), null);
        var name = p.RequiredString("Name");
        return function.Aliases.TryGetValue(name, out var version)
            ? Alias(function, name, version)
            : throw new AwsServiceException("ResourceNotFoundException", $"Alias not found: {function.Arn}:{name}");
    }

    private JObject ListAliases(JObject parameters, AwsCallContext context)
    {
        var (function, _) = Resolve(Read(parameters).RequiredString("FunctionName"), null);
        return JObject.Of(("Aliases", JArray.From(function.Aliases.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => (JValue)Alias(function, a.Key, a.Value)))));
    }

    private static JObject Alias(LambdaFunction function, string name, string version) => JObject.Of(
        ("AliasArn", $"{function.Arn}:{name}"),
        ("Name", name),
        ("FunctionVersion", version),
        ("Description", string.Empty),
        ("RevisionId", $"{StableHash.Of(function.Arn + name) & 0x7fffffff:x8}-0000-4000-8000-000000000000"));

    private JObject Configuration(LambdaFunction function, string? qualifier)
    {
        var version = qualifier is null ? "$LATEST" : function.ResolveVersion(qualifier)!;
        return new JObjectBuilder()
            .Add("FunctionName", function.Name)
            .Add("FunctionArn", qualifier is null ? function.Arn : $"{function.Arn}:{qualifier}")
            .Add("Runtime", function.Options.Runtime)
            .Add("Role", $"arn:aws:iam::{Account.AccountId}:role/{function.Name}-role")
            .Add("Handler", function.Options.Handler ?? $"Functions::{function.Name}::Handle")
            .Add("CodeSize", 1_048_576)
            .Add("Description", function.Options.Description)
            .Add("Timeout", function.Options.TimeoutSeconds)
            .Add("MemorySize", function.Options.MemorySize)
            .Add("LastModified", function.LastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture))
            .Add("CodeSha256", Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(function.Arn))))
            .Add("Version", version)
            .Add("State", "Active")
            .Add("LastUpdateStatus", "Successful")
            .Add("PackageType", "Zip")
            .Add("Architectures", JArray.Of("arm64"))
            .Build();
    }

    /// <summary>
    /// Finds the function a FunctionName names: a name, <c>name:qualifier</c>, a full ARN or a partial ARN
    /// (<c>ACCOUNT:function:NAME</c>), each optionally qualified.
    /// </summary>
    private (LambdaFunction Function, string? Qualifier) Resolve(string functionName, string? qualifierParameter)
    {
        string name;
        string? qualifier;
        var parts = functionName.Split(':');
        if (functionName.StartsWith("arn:", StringComparison.Ordinal))
        {
            if (parts.Length is < 7 or > 8 || parts[2] != "lambda" || parts[5] != "function")
            {
                throw Invalid($"1 validation error detected: Value '{functionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{{2}}(-gov)?-[a-z]+-\\d{{1}}:)?(\\d{{12}}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
            }

            if (parts[3] != Account.Region || parts[4] != Account.AccountId)
            {
                throw NotFound(functionName);
            }

            (name, qualifier) = (parts[6], parts.Length == 8 ? parts[7] : null);
        }
        else if (parts.Length >= 3 && parts[1] == "function")
        {
            (name, qualifier) = (parts[2], parts.Length > 3 ? parts[3] : null);
        }
        else
        {
            (name, qualifier) = (parts[0], parts.Length > 1 ? parts[1] : null);
        }

        if (qualifierParameter is not null && qualifier is not null && qualifierParameter != qualifier)
        {
            throw Invalid("The derived qualifier from the function name does not match the specified qualifier.");
        }

        qualifier ??= qualifierParameter;
        if (!_functions.TryGetValue(name, out var function) || function.ResolveVersion(qualifier) is null)
        {
            throw NotFound(FunctionArn(name, qualifier));
        }

        return (function, qualifier);
    }

    private static AwsServiceException NotFound(string arn) => new("ResourceNotFoundException", $"Function not found: {arn}");
}
