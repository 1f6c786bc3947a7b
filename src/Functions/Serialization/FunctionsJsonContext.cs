using System.Text.Json.Serialization;
using BlueGreen.Functions.Alarms;
using BlueGreen.Functions.Chat;
using BlueGreen.Functions.Chat.Http;
using BlueGreen.Functions.Decommission;
using BlueGreen.Functions.EndOfSupport;
using BlueGreen.Functions.GreenSpec;
using BlueGreen.Functions.Health;
using BlueGreen.Functions.Locking;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Preflight;
using BlueGreen.Functions.Reporting;
using BlueGreen.Functions.Reconcile;
using BlueGreen.Functions.Traffic;
using BlueGreen.Functions.TrafficShift;

namespace BlueGreen.Functions.Serialization;

/// <summary>
/// The one source-generated serializer context for every handler input and output (no reflection).
/// No naming policy: AWS shapes use their C# names, which are the API's PascalCase member names; our own
/// contracts name their camelCase members explicitly. Null members are omitted (an SDK integration must
/// not send "Member": null) unless a contract member opts in to being written as null.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    RespectRequiredConstructorParameters = true,
    // The traffic plan and Blue's share name their provider in "type"; the JSON that comes back from a state machine
    // need not have it first.
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(PlanUpgradeRequest))]
[JsonSerializable(typeof(UpgradePlan))]
[JsonSerializable(typeof(PreflightRequest))]
[JsonSerializable(typeof(PreflightResult))]
[JsonSerializable(typeof(BuildGreenSpecRequest))]
[JsonSerializable(typeof(GreenSpecification))]
[JsonSerializable(typeof(EvaluateHealthRequest))]
[JsonSerializable(typeof(HealthVerdict))]
[JsonSerializable(typeof(PlanTrafficShiftRequest))]
[JsonSerializable(typeof(TrafficShiftPlan))]
[JsonSerializable(typeof(EvaluateAlarmsRequest))]
[JsonSerializable(typeof(AlarmVerdict))]
[JsonSerializable(typeof(EvaluateAlarmHistoryRequest))]
[JsonSerializable(typeof(AlarmHistoryVerdict))]
[JsonSerializable(typeof(PlanDecommissionRequest))]
[JsonSerializable(typeof(DecommissionPlan))]
[JsonSerializable(typeof(CheckBlueTrafficRequest))]
[JsonSerializable(typeof(BlueTrafficVerdict))]
[JsonSerializable(typeof(DescribePlanRequest))]
[JsonSerializable(typeof(PlanReport))]
[JsonSerializable(typeof(CheckTrafficAppliedRequest))]
[JsonSerializable(typeof(TrafficReadBackVerdict))]
[JsonSerializable(typeof(ReconcileRunRequest))]
[JsonSerializable(typeof(ReconcileVerdict))]
[JsonSerializable(typeof(ReadRunRecordRequest))]
[JsonSerializable(typeof(Dictionary<string, System.Text.Json.JsonElement>))]
[JsonSerializable(typeof(CheckClusterLockRequest))]
[JsonSerializable(typeof(ClusterLockVerdict))]
[JsonSerializable(typeof(FunctionUrlRequest))]
[JsonSerializable(typeof(FunctionUrlResponse))]
[JsonSerializable(typeof(ChatPolicy))]
[JsonSerializable(typeof(PlanEndOfSupportRequest))]
[JsonSerializable(typeof(EndOfSupportDecision))]
[JsonSerializable(typeof(List<EndOfSupportDecision>))]
[JsonSerializable(typeof(PlanChatCommandRequest))]
[JsonSerializable(typeof(ComposeApprovalMessageRequest))]
[JsonSerializable(typeof(ApprovalMessage))]
[JsonSerializable(typeof(ChatCommandPlan))]
public sealed partial class FunctionsJsonContext : JsonSerializerContext;
