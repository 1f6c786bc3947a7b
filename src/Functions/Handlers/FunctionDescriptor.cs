namespace BlueGreen.Functions.Handlers;

/// <summary>One deployable Lambda function of this assembly.</summary>
/// <param name="Name">Function name suffix and the name state machines and run records use ("PlanUpgrade").</param>
/// <param name="Handler">The Lambda handler string for the managed dotnet10 runtime.</param>
/// <param name="HandlerType">The handler class.</param>
/// <param name="DefinitionSubstitution">The DefinitionSubstitutions key whose value is this function's ARN in statemachines/*.asl.json.</param>
/// <param name="Errors">Every error name the function throws (for Catch clauses and documentation).</param>
/// <param name="Invoke">Runs the handler in-process (the local simulator registers this instead of a Lambda).</param>
public sealed record FunctionDescriptor(
    string Name,
    string Handler,
    Type HandlerType,
    string DefinitionSubstitution,
    IReadOnlyList<string> Errors,
    Func<Stream, Stream> Invoke);
