using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using BlueGreen.LambdaRuntime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Lambda;

/// <summary>How a function's init ended: a handler to call, or the error every invocation then returns.</summary>
internal sealed record FunctionInit(Func<Stream, Task<Stream>>? Handler, Func<string, JObject>? Error)
{
    public static FunctionInit Started(Func<Stream, Task<Stream>> handler) => new(handler, null);

    public static FunctionInit Failed(Func<string, JObject> error) => new(null, error);
}

/// <summary>
/// Starts a function from its code package the way the managed <c>dotnet10</c> runtime does, so that a packaging
/// mistake fails the rehearsal with the runtime's own error instead of passing:
/// <list type="number">
/// <item><c>bootstrap.sh</c> and the .NET host (<see cref="ManagedDotnetRuntime.Check"/>): a missing deps.json or
/// runtimeconfig.json, or one for another .NET, ends the process, and Invoke returns <c>Runtime.ExitError</c>
/// ("RequestId: … Error: Runtime exited with error: exit status 106");</item>
/// <item>RuntimeSupport's <c>UserCodeLoader</c>: the handler string must name an assembly listed in the deps.json and
/// present in the package, a type in it, and one method of a supported shape; otherwise Invoke returns the
/// <c>LambdaValidationException</c> it reports on <c>/runtime/init/error</c>, with RuntimeSupport's message texts
/// (aws/aws-lambda-dotnet <c>Libraries/src/Amazon.Lambda.RuntimeSupport/ExceptionHandling/Errors.cs</c>);</item>
/// <item>the handler then runs from the package's own assembly, loaded into a load context of its own that, like the
/// host's TPA, resolves only what the deps.json lists.</item>
/// </list>
/// One load context per package folder: on AWS every function has its own process, here functions sharing a package
/// share its (stateless) handler classes.
/// </summary>
internal static class ManagedDotnetHost
{
    private static readonly Dictionary<string, PackageLoadContext> Contexts = new(StringComparer.Ordinal);

    public static FunctionInit Start(string taskRoot, string handler)
    {
        if (ManagedDotnetRuntime.Check(taskRoot, handler, out var files) is { } exit)
        {
            return FunctionInit.Failed(requestId => JObject.Of(("errorType", BootstrapFailure.ErrorType), ("errorMessage", exit.InvokeErrorMessage(requestId))));
        }

        if (files is null)
        {
            // An executable assembly: its Main would start the runtime itself, which the simulator cannot host.
            return Validation($"The simulator runs class-library handlers (ASSEMBLY::TYPE::METHOD) only; '{handler}' names an executable assembly.");
        }

        try
        {
            return FunctionInit.Started(Resolve(Context(taskRoot, files), handler));
        }
        catch (HandlerRejectedException e)
        {
            return Validation(e.Message);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            var payload = LambdaService.ErrorPayload(e);
            return FunctionInit.Failed(_ => payload);
        }
        catch (Exception e) when (e is MissingMethodException or TypeInitializationException or BadImageFormatException)
        {
            var payload = LambdaService.ErrorPayload(e);
            return FunctionInit.Failed(_ => payload);
        }
    }

    private static FunctionInit Validation(string message) =>
        FunctionInit.Failed(_ => JObject.Of(("errorType", "LambdaValidationException"), ("errorMessage", message)));

    private static PackageLoadContext Context(string taskRoot, BootstrapFiles files)
    {
        var key = Path.GetFullPath(taskRoot) + "|" + files.DepsFile;
        lock (Contexts)
        {
            if (!Contexts.TryGetValue(key, out var context))
            {
                context = new PackageLoadContext(Path.GetFullPath(taskRoot), files.DepsFile);
                Contexts[key] = context;
            }

            return context;
        }
    }

    /// <summary>RuntimeSupport's UserCodeLoader.Init, in its order: parse, assembly, type, method, method checks, instance, signature.</summary>
    private static Func<Stream, Task<Stream>> Resolve(PackageLoadContext context, string handler)
    {
        var parts = handler.Split("::", 3, StringSplitOptions.None).Select(p => p.Trim()).ToArray();
        const string Format = "The valid format is 'ASSEMBLY::TYPE::METHOD'.";
        if (parts.Length < 3)
        {
            throw new HandlerRejectedException($"Invalid lambda function handler: '{handler}'. {Format}");
        }

        var (assemblyPart, typeName, methodName) = (parts[0], parts[1], parts[2]);
        if (assemblyPart.Length == 0 || typeName.Length == 0 || methodName.Length == 0)
        {
            var missing = assemblyPart.Length == 0 ? "assembly" : typeName.Length == 0 ? "type" : "method";
            throw new HandlerRejectedException($"Invalid lambda function handler: '{handler}', the {missing} is missing. {Format}");
        }

        var assemblyName = new AssemblyName(assemblyPart);
        var assembly = context.LoadListed(assemblyName)
            ?? throw new HandlerRejectedException($"Could not find the specified handler assembly with the file name '{assemblyName.Name}, Culture=neutral, PublicKeyToken=null'. The assembly should be located in the root of your uploaded .zip file.");
        var type = assembly.GetType(typeName)
            ?? throw new HandlerRejectedException($"Unable to load type '{typeName}' from assembly '{assemblyName.Name}'.");

        const BindingFlags Any = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        var candidates = new List<MethodInfo>();
        for (var t = type; t is not null && candidates.Count == 0; t = t.BaseType)
        {
            candidates.AddRange(t.GetMethods(Any).Where(m => m.Name == methodName || m.ToString() == methodName));
        }

        if (candidates.Count == 0)
        {
            throw new HandlerRejectedException($"Unable to find method '{methodName}' in type '{typeName}' from assembly '{assemblyName.Name}': Found no methods matching method name '{methodName}'.");
        }

        if (candidates.Count > 1)
        {
            throw new HandlerRejectedException($"The method '{methodName}' in type '{typeName}' appears to have a number of overloads. To call this method please specify a complete method signature. Possible candidates are:\n{string.Join("\n", candidates.Select(c => c.ToString()))}.");
        }

        var method = candidates[0];
        CheckMethod(method, type);
        var target = method.IsStatic ? null : Activator.CreateInstance(type);
        return Invoker(method, target, assemblyName.Name!, methodName);
    }

    private static void CheckMethod(MethodInfo method, Type type)
    {
        if (method.IsAbstract)
        {
            throw new HandlerRejectedException($"The method '{method}' cannot be used as a Lambda Handler because it is an abstract method. Handler methods cannot be abstract. Please specify a non-abstract handler method.");
        }

        if (method.IsGenericMethod)
        {
            throw new HandlerRejectedException($"The method '{method}' cannot be used as a Lambda Handler because it is a generic method. Handler methods cannot be generic. Please specify a non-generic handler method.");
        }

        if (method.ReturnType == typeof(void) && method.GetCustomAttribute<System.Runtime.CompilerServices.AsyncStateMachineAttribute>() is not null)
        {
            throw new HandlerRejectedException($"The method '{method}' cannot be used as a Lambda Handler because it is an 'async void' method. Handler methods cannot be 'async void'. Please specify a method that is not 'async void'.");
        }

        if (type.IsGenericTypeDefinition)
        {
            throw new HandlerRejectedException($"The type '{type.FullName}' cannot be used as a Lambda Handler type because it is generic. Handler methods cannot be located in generic types. Please specify a handler method in a non-generic type.");
        }

        if (!method.IsStatic && type.IsAbstract)
        {
            throw new HandlerRejectedException($"The instance method '{method}' cannot be used as a Lambda Handler because its type '{type.FullName}' is abstract. Please either use a static handler or specify a type that is not abstract.");
        }
    }

    /// <summary>
    /// The shapes RuntimeSupport accepts without a serializer: no input or exactly <see cref="Stream"/> (a second
    /// parameter would have to be ILambdaContext, from Amazon.Lambda.Core, which this package does not ship); output
    /// void, Task, a Stream or Task of a Stream (InvokeDelegateBuilder).
    /// </summary>
    private static Func<Stream, Task<Stream>> Invoker(MethodInfo method, object? target, string assembly, string methodName)
    {
        var parameters = method.GetParameters();
        var typeName = method.DeclaringType!.FullName;
        if (parameters.Length > 2)
        {
            throw new HandlerRejectedException($"Method '{methodName}' of type '{typeName}' is not supported: the method has more than 2 parameters.");
        }

        if (parameters.Length == 2)
        {
            throw new HandlerRejectedException($"Method '{methodName}' of type '{typeName}' is not supported: the method has 2 parameters, but the second parameter is not of type 'Amazon.Lambda.Core.ILambdaContext'.");
        }

        const string Serializer = "Amazon.Lambda.Core.LambdaSerializerAttribute";
        if (parameters.Length == 1 && parameters[0].ParameterType != typeof(Stream))
        {
            throw new HandlerRejectedException($"Could not find the LambdaSerializerAttribute on the assembly '{assembly}' or method '{methodName}' while attempting to deserialize input data of type '{parameters[0].ParameterType.FullName}'. To use types other than System.IO.Stream as input/output parameters, the assembly or Lambda function should be annotated with {Serializer}.");
        }

        var returns = method.ReturnType;
        var output = returns == typeof(Task) || returns == typeof(void) ? null
            : returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>) ? returns.GetGenericArguments()[0]
            : returns;
        if (output is not null && !typeof(Stream).IsAssignableFrom(output))
        {
            throw new HandlerRejectedException($"Could not find the LambdaSerializerAttribute on the assembly '{assembly}' or method '{methodName}' while attempting to serialize output data of type '{returns}'. To use types other than System.IO.Stream as input/output parameters, the assembly or Lambda function should be annotated with {Serializer}.");
        }

        return async input =>
        {
            var result = method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, parameters.Length == 1 ? [input] : [], CultureInfo.InvariantCulture);
            switch (result)
            {
                case Task task:
                    await task.ConfigureAwait(false);
                    return output is null ? Stream.Null : (Stream)task.GetType().GetProperty("Result")!.GetValue(task)!
                        ?? throw NullResult();
                case Stream stream:
                    return stream;
                case null when output is null:
                    return Stream.Null;
                default:
                    throw NullResult();
            }
        };
    }

    /// <summary>A Stream handler that returns null fails in RuntimeSupport's StreamSerializer, as a NullReferenceException.</summary>
    private static SimulatedFunctionException NullResult() => new("NullReferenceException", "Object reference not set to an instance of an object.");

    private sealed class HandlerRejectedException(string message) : Exception(message);

    /// <summary>
    /// The host's TPA for one package: the assemblies its deps.json lists, loaded from the package folder; everything
    /// else (the shared framework) from the default context. An assembly not listed cannot be loaded, as on AWS.
    /// </summary>
    private sealed class PackageLoadContext : AssemblyLoadContext
    {
        private readonly Dictionary<string, string> _listed = new(StringComparer.OrdinalIgnoreCase);

        public PackageLoadContext(string taskRoot, string depsFile)
            : base($"lambda-package:{taskRoot}", isCollectible: false)
        {
            using var deps = System.Text.Json.JsonDocument.Parse(File.ReadAllText(depsFile));
            if (!deps.RootElement.TryGetProperty("targets", out var targets))
            {
                return;
            }

            foreach (var target in targets.EnumerateObject())
            {
                foreach (var library in target.Value.EnumerateObject())
                {
                    if (!library.Value.TryGetProperty("runtime", out var runtime))
                    {
                        continue;
                    }

                    foreach (var asset in runtime.EnumerateObject())
                    {
                        // The host resolves an app-local asset by its file name in the app folder (the deps file's folder).
                        var file = Path.Combine(taskRoot, Path.GetFileName(asset.Name));
                        _listed.TryAdd(Path.GetFileNameWithoutExtension(asset.Name), file);
                    }
                }
            }
        }

        /// <summary>The assembly if the deps.json lists it and the file is there (case-insensitive name, as the loader matches).</summary>
        public Assembly? LoadListed(AssemblyName name) =>
            name.Name is { } simple && _listed.TryGetValue(simple, out var file) && File.Exists(file) ? LoadFromAssemblyName(name) : null;

        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name is { } simple && _listed.TryGetValue(simple, out var file) && File.Exists(file) ? LoadFromAssemblyPath(file) : null;
    }
}
