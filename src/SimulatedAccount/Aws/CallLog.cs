using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws;

/// <summary>One call made against the simulated account.</summary>
/// <param name="StateName">The Task state that made the call, when a state machine made it.</param>
/// <param name="Principal">The IAM role the call was made as: the execution's role, or the rule's or schedule's role for a delivery; null for calls the simulation makes itself.</param>
/// <param name="DeliveredBy">
/// For a call EventBridge or EventBridge Scheduler made to deliver to a target (or to a dead-letter queue), the rule or
/// schedule ARN that made it; null for every other call.
/// </param>
public sealed record AwsCallRecord(
    DateTimeOffset Time,
    string Service,
    string Action,
    bool Mutating,
    string? StateName,
    JObject Parameters,
    string Outcome,
    string? InjectedFault,
    string? Principal = null,
    string? DeliveredBy = null)
{
    /// <summary>IAM-style name, e.g. <c>eks:CreateCluster</c>.</summary>
    public string Name => $"{Service}:{Action}";

    public bool Succeeded => Outcome == "OK";

    /// <summary>
    /// A mutating call other than starting a state machine: a start changes no resource by itself, and whatever the child
    /// execution changes is logged as its own calls (a traffic adapter's ModifyRule, a decommission's DeleteCluster).
    /// </summary>
    public bool ChangesAResource => Mutating && Name != "states:StartExecution";

    public override string ToString() => Name;
}

/// <summary>Every call in order, for summaries (<c>awsCalls</c>, <c>mutatingAwsCalls</c>) and assertions.</summary>
public sealed class CallLog
{
    private readonly List<AwsCallRecord> _calls = [];

    public IReadOnlyList<AwsCallRecord> Calls => _calls;

    public int MutatingCount => _calls.Count(c => c.Mutating);

    /// <summary>Raised after each call completes (rehearsal progress listens here).</summary>
    public event Action<AwsCallRecord>? Recorded;

    public void Add(AwsCallRecord record)
    {
        _calls.Add(record);
        Recorded?.Invoke(record);
    }

    public int CountOf(string name) => _calls.Count(c => c.Name == name);
}
