using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Rehearsal;

public sealed record TranscriptLine(DateTimeOffset Time, string Subject);

public sealed record ExecutionLine(string StateMachine, string Name, string Status, string? Error);

/// <summary>One reconcile-run execution after the upgrade ended: its status and its output (what it fixed, what it saw).</summary>
public sealed record ReconcileLine(string Name, string Status, string? Error, JObject? Output, long StateTransitions = 0)
{
    /// <summary>What it fixed (<c>runRecord</c>, <c>lock</c>), from its output's <c>fixed</c>.</summary>
    public IReadOnlyList<string> Fixed => Output?.GetObject("fixed")?.Keys.Order(StringComparer.Ordinal).ToList() ?? [];
}

/// <summary>Percent of traffic on each side, as the load balancer or the name servers apply it.</summary>
public sealed record TrafficWeights(double Blue, double Green);

/// <summary>How fast a firing alarm turned into 100% Blue.</summary>
/// <param name="Alarm">The first alarm that went to ALARM.</param>
/// <param name="SecondsToDecision">From the alarm's state change to the bake's rollback decision (its "Did an alarm fire?" choice).</param>
/// <param name="TransitionsToBlue">State transitions from that decision to the state that put all traffic back on Blue (1 = the very next state).</param>
/// <param name="EventSecondsToBlue">
/// From the alarm's state change to the weight change alarm-rollback made (the event path, independent of the bake's
/// poll), or null when it made none. It includes the modelled EventBridge delivery (TargetDeliverer.RuleDeliveryLatency);
/// AWS calls themselves take no virtual time in the simulator.
/// </param>
public sealed record AlarmReaction(string Alarm, DateTimeOffset AlarmAt, DateTimeOffset DecisionAt, double SecondsToDecision, int TransitionsToBlue, double? EventSecondsToBlue = null)
{
    /// <summary>
    /// From the alarm's state change until Green's effective share of the traffic is 0, whichever path moved it and
    /// including clients that target-group stickiness kept on Green (the simulated ALB models them); null when Green
    /// still had traffic at the end.
    /// </summary>
    public double? SecondsToNoGreenTraffic { get; init; }

    public const string DecisionState = "Did an alarm fire?";

    /// <summary>Physical names of the state machine deployed from statemachines/alarm-rollback.asl.json end with this.</summary>
    public const string AlarmRollbackSuffix = "alarm-rollback";

    private static readonly string[] TrafficChanges = ["elasticloadbalancing:ModifyRule", "elasticloadbalancing:ModifyListener", "route53:ChangeResourceRecordSets"];

    /// <summary>
    /// Seconds from <paramref name="alarmAt"/> to the first weight change an alarm-rollback execution (started by the
    /// alarm's event) made through its traffic adapter; null when none did.
    /// </summary>
    public static double? EventPathSeconds(SimulatedAccount account, DateTimeOffset alarmAt)
    {
        ArgumentNullException.ThrowIfNull(account);
        var executions = account.StepFunctions.Executions;
        foreach (var rollback in executions.Where(e => e.StateMachineName.EndsWith(AlarmRollbackSuffix, StringComparison.Ordinal) && e.StartDate >= alarmAt).OrderBy(e => e.StartDate))
        {
            foreach (var adapter in executions.Where(e => e.Input is JObject o && o.GetString("AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID") == rollback.Arn))
            {
                var change = account.Calls.Calls.FirstOrDefault(c => TrafficChanges.Contains(c.Name) && c.Succeeded && c.Time >= adapter.StartDate && (adapter.StopDate is null || c.Time <= adapter.StopDate));
                if (change is not null)
                {
                    return (change.Time - alarmAt).TotalSeconds;
                }
            }
        }

        return null;
    }

    /// <summary>Reads the reaction from the alarm events and the bake executions' histories; null when no alarm fired.</summary>
    public static AlarmReaction? Measure(SimulatedAccount account, IReadOnlyList<Asl.Runtime.Execution> bakes)
    {
        var alarm = account.Events.Published.FirstOrDefault(e =>
            e.DetailType == "CloudWatch Alarm State Change" && e.Detail.GetObject("state")?.GetString("value") == "ALARM");
        if (alarm is null)
        {
            return null;
        }

        foreach (var bake in bakes)
        {
            var entered = bake.History.Events.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).ToList();
            for (var i = 0; i < entered.Count; i++)
            {
                if (entered[i].StateName != DecisionState || entered[i].Timestamp < alarm.Time)
                {
                    continue;
                }

                var rollback = entered.FindIndex(i + 1, e => e.StateName?.Contains("back on Blue", StringComparison.Ordinal) == true);
                var nextCheck = entered.FindIndex(i + 1, e => e.StateName == DecisionState);
                if (rollback > i && (nextCheck < 0 || rollback < nextCheck))
                {
                    return new AlarmReaction(alarm.Detail.GetString("alarmName") ?? "?", alarm.Time, entered[i].Timestamp,
                        (entered[i].Timestamp - alarm.Time).TotalSeconds, rollback - i, EventPathSeconds(account, alarm.Time));
                }
            }
        }

        return null;
    }
}

/// <summary>The rehearsal's result: the summary object of ARCHITECTURE §6 plus the figures behind the workflow's targets.</summary>
public sealed record RehearsalSummary
{
    public required string Scenario { get; init; }

    public required string ExecutionArn { get; init; }

    public required string Status { get; init; }

    /// <summary>Completed, RolledBack, Failed or Planned.</summary>
    public required string Outcome { get; init; }

    public string? Error { get; init; }

    public string? Cause { get; init; }

    public required TrafficWeights? FinalWeights { get; init; }

    public required double VirtualSeconds { get; init; }

    /// <summary>Transitions of the upgrade and its child executions (bakes, traffic adapters): what the upgrade is billed.</summary>
    public required long StateTransitions { get; init; }

    public required long UpgradeStateTransitions { get; init; }

    /// <summary>The execution that still holds the cluster's lock after the run (a finished run should leave none), or null.</summary>
    public string? LockHeldBy { get; init; }

    public bool LockHeld => LockHeldBy is not null;

    /// <summary>
    /// Green's cluster as the rehearsal left it: its name (from the run record, else the input) and its EKS status, or
    /// <c>absent</c> when it does not exist (deleted, or never created). Null when the run names no Green.
    /// </summary>
    public GreenCluster? Green { get; init; }

    /// <summary>The transitions billed per state machine (the upgrade and each kind of child), most first: where the cost is.</summary>
    public IReadOnlyList<StateMachineTransitions> TransitionsByStateMachine { get; init; } = [];

    /// <summary>Events in the upgrade execution's own history (the figure the 25,000-event quota applies to).</summary>
    public required long HistoryEvents { get; init; }

    public required long TotalHistoryEvents { get; init; }

    public required long MaxHistoryEventsPerExecution { get; init; }

    public required int ChildExecutions { get; init; }

    public required int LambdaInvocations { get; init; }

    /// <summary>Every AWS call the run made, in order, as IAM-style <c>service:Action</c>.</summary>
    public required IReadOnlyList<string> AwsCalls { get; init; }

    /// <summary>Calls that change a resource; starting one of the workflow's own state machines is not counted (its calls are).</summary>
    public required int MutatingAwsCalls { get; init; }

    public required JObject? RunRecord { get; init; }

    public required AlarmReaction? AlarmReaction { get; init; }

    public required IReadOnlyList<TranscriptLine> Transcript { get; init; }

    /// <summary>Executions other than the upgrade and its bakes (restore-blue, decommissions, a second upgrade).</summary>
    public required IReadOnlyList<ExecutionLine> OtherExecutions { get; init; }

    /// <summary>The reconcile-run executions the upgrade's ending started (docs/workflow.md, "The reconciler").</summary>
    public IReadOnlyList<ReconcileLine> Reconciliations { get; init; } = [];

    public required double WallMilliseconds { get; init; }

    /// <summary>Calls IAM refused, in order: which action, on which resource, to which role, in which state.</summary>
    public IReadOnlyList<Aws.Iam.Denial> Denials { get; init; } = [];

    public required JObject Expected { get; init; }

    public JObject ToJson() => new JObjectBuilder()
        .Add("scenario", Scenario)
        .Add("executionArn", ExecutionArn)
        .Add("status", Status)
        .Add("outcome", Outcome)
        .Add("error", Error is null ? JNull.Instance : Error)
        .Add("cause", Cause is null ? JNull.Instance : Cause)
        .Add("finalWeights", FinalWeights is null ? JNull.Instance : JObject.Of(("blue", FinalWeights.Blue), ("green", FinalWeights.Green)))
        .Add("virtualSeconds", VirtualSeconds)
        .Add("stateTransitions", StateTransitions)
        .Add("historyEvents", HistoryEvents)
        .Add("lambdaInvocations", LambdaInvocations)
        .Add("awsCalls", JArray.From(AwsCalls.Select(c => (JValue)c)))
        .Add("mutatingAwsCalls", MutatingAwsCalls)
        .Add("runRecord", RunRecord ?? (JValue)JNull.Instance)
        .Add("upgradeStateTransitions", UpgradeStateTransitions)
        .Add("lockHeld", LockHeld)
        .Add("lockHeldBy", LockHeldBy is null ? JNull.Instance : LockHeldBy)
        .Add("green", Green is null ? JNull.Instance : JObject.Of(("cluster", Green.Name), ("status", Green.Status), ("fate", Green.Fate)))
        .Add("transitionsByStateMachine", JArray.From(TransitionsByStateMachine.Select(t => (JValue)JObject.Of(("stateMachine", t.StateMachine), ("executions", t.Executions), ("stateTransitions", t.StateTransitions)))))
        .Add("totalHistoryEvents", TotalHistoryEvents)
        .Add("maxHistoryEventsPerExecution", MaxHistoryEventsPerExecution)
        .Add("childExecutions", ChildExecutions)
        .Add("alarmReaction", AlarmReaction is null ? JNull.Instance : JObject.Of(
            ("alarm", AlarmReaction.Alarm),
            ("alarmAt", IsoTime.Format(AlarmReaction.AlarmAt)),
            ("decisionAt", IsoTime.Format(AlarmReaction.DecisionAt)),
            ("secondsToDecision", AlarmReaction.SecondsToDecision),
            ("transitionsToBlue", AlarmReaction.TransitionsToBlue),
            ("eventSecondsToBlue", AlarmReaction.EventSecondsToBlue is { } eventSeconds ? eventSeconds : JNull.Instance),
            ("secondsToNoGreenTraffic", AlarmReaction.SecondsToNoGreenTraffic is { } drained ? drained : JNull.Instance)))
        .Add("transcript", JArray.From(Transcript.Select(t => (JValue)JObject.Of(("at", IsoTime.Format(t.Time)), ("subject", t.Subject)))))
        .Add("otherExecutions", JArray.From(OtherExecutions.Select(e => (JValue)JObject.Of(
            ("stateMachine", e.StateMachine), ("name", e.Name), ("status", e.Status), ("error", e.Error is null ? JNull.Instance : e.Error)))))
        .Add("reconciliations", JArray.From(Reconciliations.Select(r => (JValue)JObject.Of(
            ("name", r.Name), ("status", r.Status), ("error", r.Error is null ? JNull.Instance : r.Error), ("stateTransitions", r.StateTransitions), ("output", r.Output ?? (JValue)JNull.Instance)))))
        .Add("wallMilliseconds", Math.Round(WallMilliseconds, 1))
        .Add("denials", JArray.From(Denials.Select(d => (JValue)JObject.Of(
            ("at", IsoTime.Format(d.Time)), ("principal", d.PrincipalArn), ("action", d.Action), ("resource", d.Resource),
            ("state", d.StateName is null ? JNull.Instance : d.StateName), ("explicitDeny", d.ExplicitDeny)))))
        .Build();
}

/// <summary>Reads the traffic split the run left, from the account's <see cref="TrafficRegistry"/>.</summary>
public static class TrafficProbe
{
    /// <summary>Percent on Blue and Green for the traffic the input names (null when the input names none the world has).</summary>
    public static TrafficWeights? Weights(SimulatedAccount account, JValue input)
    {
        var traffic = (input as JObject)?.GetObject("traffic");
        var blueCluster = (input as JObject)?.GetString("clusterName");
        switch (traffic?.GetString("type"))
        {
            case "alb":
                {
                    var owner = traffic.GetString("ruleArn") ?? traffic.GetString("listenerArn");
                    var shares = owner is null ? [] : account.Traffic.SharesOf(new TrafficSplit.ForwardAction(owner));
                    return Split(shares, traffic.GetString("blueTargetGroupArn"), traffic.GetString("greenTargetGroupArn"));
                }

            case "route53":
                {
                    var shares = account.Traffic.SharesOf(new TrafficSplit.RecordSet(traffic.GetString("recordName"), traffic.GetString("recordType")));
                    return Split(shares, traffic.GetString("blueSetIdentifier"), traffic.GetString("greenSetIdentifier"));
                }

            default:
                {
                    // An input the planner rejected: report the load balancer's split for Blue's cluster, which nothing changed.
                    var shares = account.Traffic.Shares.Where(s => s.Provider == "alb" && s.Cluster is not null).ToList();
                    var split = shares.FirstOrDefault(s => s.Cluster == blueCluster)?.Split;
                    var action = shares.Where(s => s.Split == split).ToList();
                    return split is null ? null : new TrafficWeights(
                        Math.Round(action.Where(s => s.Cluster == blueCluster).Sum(s => s.Percent), 2),
                        Math.Round(action.Where(s => s.Cluster != blueCluster).Sum(s => s.Percent), 2));
                }
        }
    }

    private static TrafficWeights? Split(IReadOnlyList<TrafficShare> shares, string? blue, string? green) =>
        shares.Count == 0 ? null : new TrafficWeights(
            Math.Round(shares.Where(s => s.Destination == blue).Sum(s => s.Percent), 2),
            Math.Round(shares.Where(s => s.Destination == green).Sum(s => s.Percent), 2));
}

/// <summary>One state machine's share of a run: how many executions it had and the transitions they were billed.</summary>
/// <summary>Green's cluster after a rehearsal: its EKS status (<c>absent</c> when it does not exist) and what that means.</summary>
public sealed record GreenCluster(string Name, string Status)
{
    public const string Absent = "absent";

    /// <summary><c>deleted</c> (gone or being deleted), <c>kept</c> (it exists), as a scenario's <c>expect.green</c> names it.</summary>
    public string Fate => Status is Absent or "DELETING" ? "deleted" : "kept";
}

public sealed record StateMachineTransitions(string StateMachine, int Executions, long StateTransitions);
