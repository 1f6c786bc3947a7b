using System.Diagnostics.CodeAnalysis;
using BlueGreen.Functions.Alarms;
using BlueGreen.Functions.Chat;
using BlueGreen.Functions.Chat.Aws;
using BlueGreen.Functions.Decommission;
using BlueGreen.Functions.EndOfSupport;
using BlueGreen.Functions.GreenSpec;
using BlueGreen.Functions.Health;
using BlueGreen.Functions.Locking;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Preflight;
using BlueGreen.Functions.Reporting;
using BlueGreen.Functions.Reconcile;
using BlueGreen.Functions.Serialization;
using BlueGreen.Functions.Traffic;
using BlueGreen.Functions.TrafficShift;

namespace BlueGreen.Functions.Handlers;

// Thin Lambda adapters for the managed dotnet10 runtime: Stream in, Stream out, one domain call each.
// Exceptions are never caught here: the runtime reports the exception's class name as the error type,
// which is what the state machine's Retry/Catch match. Handle is an instance method because the runtime
// constructs the class (public, parameterless constructor) and calls the method on that instance.

/// <summary>Validates the execution input and expands it into the plan. Errors: InvalidInput.</summary>
public sealed class PlanUpgradeHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(UpgradePlanner.Plan(HandlerJson.Read(input, FunctionsJsonContext.Default.PlanUpgradeRequest)),
            FunctionsJsonContext.Default.UpgradePlan);
}

/// <summary>Checks Blue, the target version and what the input names before anything is created. Errors: InvalidInput, PreflightFailed, TrafficOwnedByController.</summary>
public sealed class CheckPreflightHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(PreflightChecker.Check(HandlerJson.Read(input, FunctionsJsonContext.Default.PreflightRequest)),
            FunctionsJsonContext.Default.PreflightResult);
}

/// <summary>Builds Green's create requests. Errors: InvalidInput, NoCompatibleAddonVersion, UnsupportedClusterConfiguration, PreflightFailed.</summary>
public sealed class BuildGreenSpecHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(GreenSpecBuilder.Build(HandlerJson.Read(input, FunctionsJsonContext.Default.BuildGreenSpecRequest)),
            FunctionsJsonContext.Default.GreenSpecification);
}

/// <summary>Judges Green's health against the deadline. Errors: InvalidInput, HealthCheckTimedOut, GreenFailed.</summary>
public sealed class EvaluateHealthHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(HealthEvaluator.Evaluate(HandlerJson.Read(input, FunctionsJsonContext.Default.EvaluateHealthRequest)),
            FunctionsJsonContext.Default.HealthVerdict);
}

/// <summary>Builds the ModifyRule / ModifyListener / ChangeResourceRecordSets call for a weight. Errors: InvalidInput, TrafficTargetNotFound.</summary>
public sealed class PlanTrafficShiftHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(TrafficShiftPlanner.Plan(HandlerJson.Read(input, FunctionsJsonContext.Default.PlanTrafficShiftRequest)),
            FunctionsJsonContext.Default.TrafficShiftPlan);
}

/// <summary>Turns DescribeAlarms into an OK/ALARM verdict. Errors: InvalidInput, AlarmNotFound.</summary>
public sealed class EvaluateAlarmsHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(AlarmEvaluator.Evaluate(HandlerJson.Read(input, FunctionsJsonContext.Default.EvaluateAlarmsRequest)),
            FunctionsJsonContext.Default.AlarmVerdict);
}

/// <summary>Turns one page of DescribeAlarmHistory into an OK/ALARM verdict for one alarm. Errors: InvalidInput.</summary>
public sealed class EvaluateAlarmHistoryHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(AlarmHistoryEvaluator.Evaluate(HandlerJson.Read(input, FunctionsJsonContext.Default.EvaluateAlarmHistoryRequest)),
            FunctionsJsonContext.Default.AlarmHistoryVerdict);
}

/// <summary>Turns Blue's decommission policy into a time and a one-time schedule. Errors: InvalidInput.</summary>
public sealed class PlanDecommissionHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(DecommissionPlanner.Plan(HandlerJson.Read(input, FunctionsJsonContext.Default.PlanDecommissionRequest)),
            FunctionsJsonContext.Default.DecommissionPlan);
}

/// <summary>Decides from the traffic wiring just read whether Blue still gets a share, before it is deleted. Errors: InvalidInput.</summary>
public sealed class CheckBlueTrafficHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(BlueTrafficCheck.Check(HandlerJson.Read(input, FunctionsJsonContext.Default.CheckBlueTrafficRequest)),
            FunctionsJsonContext.Default.BlueTrafficVerdict);
}

/// <summary>Says what the upgrade will do, for people: Green against Blue, warnings, the traffic steps, time and cost. Errors: InvalidInput.</summary>
public sealed class DescribePlanHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input)
    {
        var request = HandlerJson.Read(input, FunctionsJsonContext.Default.DescribePlanRequest);
        return HandlerJson.Write(PlanReporter.Describe(request) with { Record = RunRecordAttributesWriter.Of(request) }, FunctionsJsonContext.Default.PlanReport);
    }
}

/// <summary>Decides what to fix after an upgrade execution ended: its run record, its lock, a notification. Errors: InvalidInput.</summary>
public sealed class ReconcileRunHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(RunReconciler.Reconcile(HandlerJson.Read(input, FunctionsJsonContext.Default.ReconcileRunRequest)),
            FunctionsJsonContext.Default.ReconcileVerdict);
}

/// <summary>Turns a run item (DynamoDB attribute values) into plain JSON, for a state that passes its plan on. Errors: InvalidInput.</summary>
public sealed class ReadRunRecordHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(RunRecordReader.Read(HandlerJson.Read(input, FunctionsJsonContext.Default.ReadRunRecordRequest)),
            FunctionsJsonContext.Default.DictionaryStringJsonElement);
}

/// <summary>After a weight change failed: decides from the weights read back whether it took effect. Errors: InvalidInput.</summary>
public sealed class CheckTrafficAppliedHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(TrafficReadBack.Check(HandlerJson.Read(input, FunctionsJsonContext.Default.CheckTrafficAppliedRequest)),
            FunctionsJsonContext.Default.TrafficReadBackVerdict);
}

/// <summary>After start-run found the cluster lock held: says whether the holder keeps it, must be looked at, or may be taken over. Errors: InvalidInput.</summary>
public sealed class CheckClusterLockHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(ClusterLockCheck.Check(HandlerJson.Read(input, FunctionsJsonContext.Default.CheckClusterLockRequest)),
            FunctionsJsonContext.Default.ClusterLockVerdict);
}

/// <summary>The Slack endpoint behind a function URL: signed, authorized and audited chat commands (the one handler that calls AWS: DynamoDB, SSM). Errors: InvalidInput.</summary>
public sealed class ChatCommandHandler
{
    private readonly ChatEndpoint? _endpoint;

    /// <summary>The Lambda runtime's constructor: the endpoint is built from the environment on the first request.</summary>
    public ChatCommandHandler()
    {
    }

    internal ChatCommandHandler(ChatEndpoint endpoint) => _endpoint = endpoint;

    public Stream Handle(Stream input) => ChatEndpointHost.Handle(_endpoint ?? ChatEndpointHost.Shared, input);
}

/// <summary>Decides one cluster's end-of-support upgrade: status, cost, target, slot, schedule action. Errors: InvalidInput, InvalidProfile.</summary>
public sealed class PlanEndOfSupportHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(EndOfSupportPlanner.Plan(HandlerJson.Read(input, FunctionsJsonContext.Default.PlanEndOfSupportRequest)),
            FunctionsJsonContext.Default.EndOfSupportDecision);
}

/// <summary>Turns an accepted chat command into chat-command's one Step Functions call (start, approve, reject, abort). Errors: InvalidInput, InvalidProfile.</summary>
public sealed class PlanChatCommandHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(ChatCommandPlanner.Plan(HandlerJson.Read(input, FunctionsJsonContext.Default.PlanChatCommandRequest)),
            FunctionsJsonContext.Default.ChatCommandPlan);
}

/// <summary>Writes the Slack approval message (Block Kit, Approve/Reject buttons carrying the run id) that ask-approval posts. Errors: InvalidInput.</summary>
public sealed class ComposeApprovalMessageHandler
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The Lambda runtime invokes an instance method.")]
    public Stream Handle(Stream input) =>
        HandlerJson.Write(ApprovalMessageComposer.Compose(HandlerJson.Read(input, FunctionsJsonContext.Default.ComposeApprovalMessageRequest)),
            FunctionsJsonContext.Default.ApprovalMessage);
}
