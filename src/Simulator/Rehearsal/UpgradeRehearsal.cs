using System.Diagnostics;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.Lambda;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>Watches a rehearsal as it runs (the live console display; tests may add their own).</summary>
public interface IRehearsalObserver
{
    void Started(UpgradeRehearsal rehearsal);

    void Finished(UpgradeRehearsal rehearsal, RehearsalSummary summary);
}

/// <summary>
/// One rehearsal: a simulated account built from a scenario, the product deployed into it, and the real
/// upgrade state machine run with the real decision functions until it and everything it started (bake
/// children, restore-blue, decommissions started at once) have finished. Disposing it stops dynalite.
/// </summary>
public sealed class UpgradeRehearsal : IDisposable
{
    private readonly Stopwatch _wall = new();
    private readonly List<WeightPoint> _weights = [];
    private int _callsBefore;

    private UpgradeRehearsal(Scenario scenario, SimulatedAccount account, ProductDeployment deployment, JValue input)
    {
        Scenario = scenario;
        Account = account;
        Deployment = deployment;
        Input = input;
    }

    public Scenario Scenario { get; }

    public SimulatedAccount Account { get; }

    public ProductDeployment Deployment { get; }

    public JValue Input { get; }

    /// <summary>Whether the input is the scenario's own (not <c>--input</c>): then the scenario's name and text describe the run.</summary>
    public bool ScenarioInput => ReferenceEquals(Input, Scenario.Input);

    /// <summary>The upgrade execution (set once <see cref="Run"/> starts it).</summary>
    public Execution? Upgrade { get; private set; }

    /// <summary>
    /// Builds the account from <paramref name="scenario"/> and deploys the product into it (by default the manifest
    /// cdk.json describes, with the published code package; <paramref name="deploy"/> chooses otherwise); nothing runs yet.
    /// </summary>
    /// <param name="dynamoDbDirectory">Keeps DynamoDB's tables in this folder (<c>rehearse --state</c>): the run table outlives the rehearsal.</param>
    public static UpgradeRehearsal Prepare(Scenario scenario, JValue? input = null, Func<SimulatedAccount, ProductDeployment>? deploy = null, string? dynamoDbDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var chosenInput = input ?? scenario.Input ?? throw new ScenarioException($"Scenario '{scenario.Name}' names no input; pass --input.");
        var account = AccountFactory.Create(scenario, dynamoDbDirectory is null ? null : scenario.AccountOptions with { DynamoDbDirectory = dynamoDbDirectory });
        try
        {
            return new UpgradeRehearsal(scenario, account, (deploy ?? (a => ProductDeployment.Deploy(a)))(account), chosenInput);
        }
        catch
        {
            account.Dispose();
            throw;
        }
    }

    /// <summary>Runs the upgrade to its end and returns the summary.</summary>
    public RehearsalSummary Run(IRehearsalObserver? observer = null, double speed = 0, string? executionName = null)
    {
        Account.Scheduler.Speed = speed;
        _callsBefore = Account.Calls.Calls.Count;
        _wall.Start();
        // The traffic split whenever it changes (sticky clients included): the report draws it, the summary reads when
        // Green stopped serving.
        RecordWeights();
        Account.Traffic.Changed += RecordWeights;
        Upgrade = Account.Service<StepFunctionsService>().StartExecution(Deployment.UpgradeStateMachine, Input, executionName ?? DefaultExecutionName(Input));
        observer?.Started(this);
        Account.RunUntilSettled(Scenario.LastEventAt);
        Account.Traffic.Changed -= RecordWeights;
        _wall.Stop();
        var summary = Summarize();
        observer?.Finished(this, summary);
        return summary;
    }

    public void Dispose() => Account.Dispose();

    /// <summary>The rehearsal's outcome of an ended upgrade execution, from its run record's status.</summary>
    public static string OutcomeOf(Execution upgrade, string? runRecordStatus)
    {
        ArgumentNullException.ThrowIfNull(upgrade);
        return runRecordStatus switch
        {
            "Succeeded" => "Completed",
            "RolledBack" => "RolledBack",
            "Planned" => "Planned",
            "RollbackFailed" => "RollbackFailed",
            _ when upgrade.Status == ExecutionStatus.Succeeded && upgrade.Output?.AsObject().GetString("outcome") == "Planned" => "Planned",
            _ => "Failed",
        };
    }

    /// <summary>
    /// The run item <paramref name="upgrade"/> wrote for <paramref name="cluster"/> in <paramref name="table"/> (the
    /// cluster's runs, newest first, the one naming this execution), as plain JSON; read through the account.
    /// </summary>
    public static JObject? RunRecordOf(SimulatedAccount account, string table, string cluster, Execution upgrade)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(upgrade);
        var context = new AwsCallContext { Account = account, Cancellation = CancellationToken.None, StateName = "rehearsal summary" };
        JObject? result = null;
        account.Scheduler.Run(async () => result = (JObject)await account.CallAsync(account.Service<DynamoDbService>(), "Query", RunQuery(cluster).With("TableName", table), context));
        return result?.GetArray("Items")?.OfType<JObject>().Select(DynamoDbWorld.FromItem).FirstOrDefault(item => item.GetString("executionArn") == upgrade.Arn);
    }

    private static JObject RunQuery(string cluster) => JObject.Of(
        ("KeyConditionExpression", "pk = :pk AND begins_with(sk, :run)"),
        ("ExpressionAttributeValues", JObject.Of((":pk", JObject.Of(("S", $"CLUSTER#{cluster}"))), (":run", JObject.Of(("S", "RUN#"))))),
        ("ScanIndexForward", false));

    /// <summary>"shop-blue-to-1-34": readable in the console, and the run id is derived from it.</summary>
    public static string DefaultExecutionName(JValue input)
    {
        var o = input as JObject;
        var cluster = o?.GetString("clusterName") ?? "cluster";
        var version = o?.GetString("targetVersion") ?? "next";
        var name = new string($"{cluster}-to-{version}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        return name.Length <= 80 ? name : name[..80];
    }

    private RehearsalSummary Summarize()
    {
        var upgrade = Upgrade!;
        var calls = Account.Calls.Calls.Skip(_callsBefore).ToList();
        var children = Account.StepFunctions.Executions.Where(e => e != upgrade && IsChildOf(e, upgrade)).ToList();
        var runRecord = ReadRunRecord(upgrade);
        var status = runRecord?.GetString("status");
        return new RehearsalSummary
        {
            Scenario = Scenario.Name,
            ExecutionArn = upgrade.Arn,
            Status = upgrade.StatusName,
            Outcome = OutcomeOf(upgrade, status),
            Error = upgrade.Error,
            Cause = upgrade.Cause,
            FinalWeights = TrafficProbe.Weights(Account, Input),
            VirtualSeconds = ((upgrade.StopDate ?? Account.Scheduler.Now) - upgrade.StartDate).TotalSeconds,
            StateTransitions = upgrade.StateTransitions + children.Sum(c => c.StateTransitions),
            UpgradeStateTransitions = upgrade.StateTransitions,
            LockHeldBy = ReadLock() is { } held ? held.GetString("executionArn") ?? "(unknown holder)" : null,
            Green = GreenOf(runRecord),
            TransitionsByStateMachine = children.Append(upgrade).GroupBy(e => e.StateMachineName, StringComparer.Ordinal)
                .OrderByDescending(g => g.Sum(e => e.StateTransitions)).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new StateMachineTransitions(g.Key, g.Count(), g.Sum(e => e.StateTransitions))).ToList(),
            HistoryEvents = upgrade.History.Count,
            TotalHistoryEvents = upgrade.History.Count + children.Sum(c => c.History.Count),
            MaxHistoryEventsPerExecution = children.Select(c => c.History.Count).Append(upgrade.History.Count).Max(),
            ChildExecutions = children.Count,
            LambdaInvocations = Account.Service<LambdaService>().Invocations.Count,
            AwsCalls = calls.Select(c => c.Name).ToList(),
            MutatingAwsCalls = calls.Count(c => c.ChangesAResource),
            RunRecord = runRecord,
            AlarmReaction = AlarmReaction.Measure(Account, children) is { } reaction
                ? reaction with { SecondsToNoGreenTraffic = SecondsToNoGreenTraffic(reaction.AlarmAt) }
                : null,
            Transcript = Account.Service<Aws.Services.Sns.SnsService>().Messages.Select(m => new TranscriptLine(m.Time, m.Subject ?? string.Empty)).ToList(),
            OtherExecutions = Account.StepFunctions.Executions.Where(e => e != upgrade && !children.Contains(e))
                .Select(e => new ExecutionLine(e.StateMachineName, e.Name, e.StatusName, e.Error)).ToList(),
            Reconciliations = Account.StepFunctions.Executions.Where(e => e.StateMachineName == Deployment.ReconcileStateMachine)
                .Select(e => new ReconcileLine(e.Name, e.StatusName, e.Error, e.Output as JObject, e.StateTransitions)).ToList(),
            WallMilliseconds = _wall.Elapsed.TotalMilliseconds,
            Denials = Account.Denials.ToList(),
            Expected = Scenario.Expect,
        };
    }

    /// <summary>The traffic split of the run's input over virtual time: one point per change (the last one of an instant).</summary>
    public IReadOnlyList<WeightPoint> Weights => _weights;

    private void RecordWeights()
    {
        if (TrafficProbe.Weights(Account, Input) is not { } w)
        {
            return;
        }

        var now = Account.Scheduler.Now;
        if (_weights.Count > 0 && _weights[^1].Blue == w.Blue && _weights[^1].Green == w.Green)
        {
            return;
        }

        if (_weights.Count > 0 && _weights[^1].At == now)
        {
            _weights[^1] = new WeightPoint(now, w.Blue, w.Green);
            return;
        }

        _weights.Add(new WeightPoint(now, w.Blue, w.Green));
    }

    /// <summary>From <paramref name="from"/> until Green's share was 0 (0 when it already was); null when it never got there.</summary>
    private double? SecondsToNoGreenTraffic(DateTimeOffset from)
    {
        if (_weights.LastOrDefault(w => w.At <= from) is { Green: 0 })
        {
            return 0;
        }

        return _weights.FirstOrDefault(w => w.At > from && w.Green == 0) is { } drained ? (drained.At - from).TotalSeconds : null;
    }

    private GreenCluster? GreenOf(JObject? runRecord)
    {
        var name = runRecord?.GetString("greenClusterName") ?? (Input as JObject)?.GetString("greenClusterName");
        return name is null ? null
            : new GreenCluster(name, Account.Service<Aws.Services.Eks.EksService>().FindCluster(name)?.Status ?? GreenCluster.Absent);
    }

    /// <summary>The upgrade execution and every execution it started, directly or through its children, in start order.</summary>
    public IReadOnlyList<Execution> RunExecutions() => Upgrade is not { } upgrade ? []
        : [upgrade, .. Account.StepFunctions.Executions.Where(e => e != upgrade && IsChildOf(e, upgrade))];

    /// <summary>
    /// Nested executions carry their parent's id, as Step Functions does for nested executions; the upgrade's children
    /// (bakes, traffic adapters) and theirs (a bake's rollback through the adapter) are all billed to the upgrade.
    /// </summary>
    private bool IsChildOf(Execution candidate, Execution parent)
    {
        for (var current = candidate; current.Input is JObject o && o.GetString("AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID") is { } id;)
        {
            if (id == parent.Arn)
            {
                return true;
            }

            var next = Account.StepFunctions.Executions.FirstOrDefault(e => e.Arn == id);
            if (next is null)
            {
                return false;
            }

            current = next;
        }

        return false;
    }

    /// <summary>The run item this execution wrote, as plain JSON (DynamoDB's type wrappers removed).</summary>
    /// <summary>The cluster's lock item after the run, if any (a finished run should hold none).</summary>
    private JObject? ReadLock() => ReadTable("GetItem", cluster => JObject.Of(
        ("Key", JObject.Of(("pk", JObject.Of(("S", $"CLUSTER#{cluster}"))), ("sk", JObject.Of(("S", "LOCK"))))),
        ("ConsistentRead", true)))?.GetObject("Item") is { } item ? DynamoDbWorld.FromItem(item) : null;

    /// <summary>The upgrade's own run item (the cluster's runs, newest first, the one naming this execution).</summary>
    private JObject? ReadRunRecord(Execution upgrade) => ReadTable("Query", RunQuery)?.GetArray("Items")?.OfType<JObject>().Select(DynamoDbWorld.FromItem)
        .FirstOrDefault(item => item.GetString("executionArn") == upgrade.Arn);

    /// <summary>
    /// One read of the run table about the input's cluster, after the run, through the account (the summary's calls were
    /// counted before); null when the input names no cluster.
    /// </summary>
    private JObject? ReadTable(string action, Func<string, JObject> parameters)
    {
        if (Input is not JObject input || input.GetString("clusterName") is not { } cluster)
        {
            return null;
        }

        var context = new AwsCallContext { Account = Account, Cancellation = CancellationToken.None, StateName = "rehearsal summary" };
        JObject? result = null;
        Account.Scheduler.Run(async () =>
            result = (JObject)await Account.CallAsync(Account.Service<DynamoDbService>(), action, parameters(cluster).With("TableName", Deployment.TableName), context));
        return result;
    }
}
