using BlueGreen.Functions.Handlers;

namespace BlueGreen.Functions;

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

/// <summary>
/// Every handler in this assembly, listed by hand so the CDK app and the simulator register them without
/// reflecting over the assembly. A test checks each entry against its class.
/// </summary>
public static class FunctionCatalog
{
    public const string AssemblyName = "BlueGreen.Functions";

    public static IReadOnlyList<FunctionDescriptor> All { get; } =
    [
        Describe<PlanUpgradeHandler>("PlanUpgrade", [nameof(InvalidInput)], h => h.Handle),
        Describe<CheckPreflightHandler>("CheckPreflight", [nameof(InvalidInput), nameof(PreflightFailed), nameof(TrafficOwnedByController)], h => h.Handle),
        Describe<BuildGreenSpecHandler>("BuildGreenSpec", [nameof(InvalidInput), nameof(NoCompatibleAddonVersion), nameof(UnsupportedClusterConfiguration), nameof(PreflightFailed)], h => h.Handle),
        Describe<EvaluateHealthHandler>("EvaluateHealth", [nameof(InvalidInput), nameof(HealthCheckTimedOut), nameof(GreenFailed)], h => h.Handle),
        Describe<PlanTrafficShiftHandler>("PlanTrafficShift", [nameof(InvalidInput), nameof(TrafficTargetNotFound)], h => h.Handle),
        Describe<EvaluateAlarmsHandler>("EvaluateAlarms", [nameof(InvalidInput), nameof(AlarmNotFound)], h => h.Handle),
        Describe<EvaluateAlarmHistoryHandler>("EvaluateAlarmHistory", [nameof(InvalidInput)], h => h.Handle),
        Describe<PlanDecommissionHandler>("PlanDecommission", [nameof(InvalidInput)], h => h.Handle),
        Describe<CheckBlueTrafficHandler>("CheckBlueTraffic", [nameof(InvalidInput)], h => h.Handle),
    ];

    public static FunctionDescriptor Get(string name) =>
        All.FirstOrDefault(f => f.Name == name) ?? throw new KeyNotFoundException($"No function named {name}; known: {string.Join(", ", All.Select(f => f.Name))}");

    private static FunctionDescriptor Describe<THandler>(string name, IReadOnlyList<string> errors, Func<THandler, Func<Stream, Stream>> method)
        where THandler : new() =>
        new(
            name,
            $"{AssemblyName}::{typeof(THandler).FullName}::Handle",
            typeof(THandler),
            name + "FunctionArn",
            errors,
            input => method(new THandler())(input));
}
