namespace BlueGreen.Functions.Handlers;

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
        Describe<DescribePlanHandler>("DescribePlan", [nameof(InvalidInput)], h => h.Handle),
        Describe<CheckTrafficAppliedHandler>("CheckTrafficApplied", [nameof(InvalidInput)], h => h.Handle),
        Describe<ReconcileRunHandler>("ReconcileRun", [nameof(InvalidInput)], h => h.Handle),
        Describe<ReadRunRecordHandler>("ReadRunRecord", [nameof(InvalidInput)], h => h.Handle),
        Describe<CheckClusterLockHandler>("CheckClusterLock", [nameof(InvalidInput)], h => h.Handle),
        Describe<ChatCommandHandler>("ChatCommand", [nameof(InvalidInput)], h => h.Handle),
        Describe<PlanEndOfSupportHandler>("PlanEndOfSupport", [nameof(InvalidInput), nameof(InvalidProfile)], h => h.Handle),
        Describe<PlanChatCommandHandler>("PlanChatCommand", [nameof(InvalidInput), nameof(InvalidProfile)], h => h.Handle),
        Describe<ComposeApprovalMessageHandler>("ComposeApprovalMessage", [nameof(InvalidInput)], h => h.Handle),
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
