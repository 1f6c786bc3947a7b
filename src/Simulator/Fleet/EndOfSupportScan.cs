using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;

namespace BlueGreen.Simulator.Fleet;

/// <summary>
/// Runs the deployed eos-scan state machine in a simulated account to its end and measures it: state transitions of
/// the scan and its per-cluster children, the scan's own history events (the 25,000-event quota is per execution).
/// </summary>
public sealed record EndOfSupportScanRun(Execution Scan, IReadOnlyList<Execution> Children)
{
    /// <summary>Step Functions Standard workflows: $0.025 per 1,000 state transitions (aws.amazon.com/step-functions/pricing, US East).</summary>
    public const decimal DollarsPerThousandTransitions = 0.025m;

    public long StateTransitions => Scan.StateTransitions + Children.Sum(c => c.StateTransitions);

    public long ScanHistoryEvents => Scan.History.Count;

    public long LargestChildHistory => Children.Count == 0 ? 0 : Children.Max(c => c.History.Count);

    public decimal Dollars => StateTransitions * DollarsPerThousandTransitions / 1000m;

    /// <summary>The digest's per-cluster decisions (the children's outputs, without the occupancy they hand on to the next cluster).</summary>
    public IReadOnlyList<JObject> Decisions => [.. Children.Select(c => c.Output).OfType<JObject>().Select(o => o.Without("occupancy"))];

    /// <summary>Starts eos-scan in <paramref name="deployment"/>'s account and runs the virtual clock until it and its children end.</summary>
    public static EndOfSupportScanRun Run(ProductDeployment deployment, JValue? trigger = null, string name = "eos-scan")
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var account = deployment.Account;
        var scan = account.Service<StepFunctionsService>().StartExecution(deployment.Manifest!.StateMachine("eos-scan").PhysicalName, trigger ?? JObject.Empty, name);
        account.Scheduler.RunUntil(() => !scan.IsRunning && account.StepFunctions.Executions.All(e => !e.IsRunning));
        return Of(account, scan);
    }

    /// <summary>An ended scan and the children it started.</summary>
    public static EndOfSupportScanRun Of(SimulatedAccount account, Execution scan)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scan);
        return new EndOfSupportScanRun(scan, account.StepFunctions.Executions
            .Where(e => e.Input is JObject o && o.GetString("AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID") == scan.Arn).ToList());
    }

    /// <summary>Holds <paramref name="cluster"/>'s lock in the deployed table, as a running upgrade does.</summary>
    public static void HoldLock(ProductDeployment deployment, string cluster, string executionArn)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var account = deployment.Account;
        var context = new AwsCallContext { Account = account, Cancellation = CancellationToken.None, StateName = "a running upgrade" };
        account.Scheduler.Run(async () => await account.CallAsync(account.Service<DynamoDbService>(), "PutItem", JObject.Of(
            ("TableName", deployment.TableName),
            ("Item", JObject.Of(
                ("pk", JObject.Of(("S", "CLUSTER#" + cluster))),
                ("sk", JObject.Of(("S", "LOCK"))),
                ("itemType", JObject.Of(("S", "LOCK"))),
                ("executionArn", JObject.Of(("S", executionArn)))))), context));
    }
}
