using BlueGreen.Simulator.Asl.Evaluation;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>Workflow variables of one scope; Map iterations and Parallel branches read outer scopes.</summary>
internal sealed class VariableScope(VariableScope? parent)
{
    private Dictionary<string, JValue>? _variables;

    public bool TryGet(string name, out JValue value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._variables is not null && scope._variables.TryGetValue(name, out value!))
            {
                return true;
            }
        }

        value = JNull.Instance;
        return false;
    }

    public VariableScope? Parent { get; } = parent;

    public void Set(string name, JValue value) => (_variables ??= new(StringComparer.Ordinal))[name] = value;
}

/// <summary>Where a run of states is happening: its variables, its cancellation and its Map item.</summary>
internal sealed class Frame(VariableScope variables, CancellationToken token, int? mapIndex = null, JValue? mapItem = null)
{
    public VariableScope Variables { get; } = variables;

    public CancellationToken Token { get; } = token;

    public int? MapIndex { get; } = mapIndex;

    public JValue? MapItem { get; } = mapItem;
}

/// <summary>
/// One entry into one state: what <c>$$</c> shows while it runs (the context object is built only if a
/// path asks for it) and access to variables and the execution's seeded random source.
/// </summary>
internal sealed class StateVisit(ExecutionRunner runner, string stateName, DateTimeOffset enteredTime, Frame frame) : IPathContext
{
    private JValue? _context;
    private int _retryCount;
    private string? _taskToken;
    private (int Index, JValue Value)? _mapItem;

    public string StateName { get; } = stateName;

    public Frame Frame { get; } = frame;

    public int RetryCount
    {
        get => _retryCount;
        set
        {
            _retryCount = value;
            _context = null;
        }
    }

    public string? TaskToken
    {
        get => _taskToken;
        set
        {
            _taskToken = value;
            _context = null;
        }
    }

    /// <summary>Set while evaluating a Map state's ItemSelector: <c>$$.Map.Item.Index</c> and <c>.Value</c>.</summary>
    public (int Index, JValue Value)? MapItem
    {
        get => _mapItem;
        set
        {
            _mapItem = value;
            _context = null;
        }
    }

    public JValue ContextObject => _context ??= Build();

    public Random Random => runner.Random;

    public bool TryGetVariable(string name, out JValue value) => Frame.Variables.TryGet(name, out value);

    private JObject Build()
    {
        var execution = runner.Execution;
        var builder = new JObjectBuilder()
            .Add("Execution", JObject.Of(
                ("Id", execution.Arn),
                ("Input", execution.Input),
                ("Name", execution.Name),
                ("RoleArn", runner.RoleArn),
                ("StartTime", IsoTime.Format(execution.StartDate)),
                ("RedriveCount", 0)))
            .Add("State", JObject.Of(
                ("EnteredTime", IsoTime.Format(enteredTime)),
                ("Name", StateName),
                ("RetryCount", RetryCount)))
            .Add("StateMachine", JObject.Of(("Id", execution.StateMachineArn), ("Name", execution.StateMachineName)));
        if (TaskToken is not null)
        {
            builder.Add("Task", JObject.Of(("Token", TaskToken)));
        }

        if (MapItem is { } item)
        {
            builder.Add("Map", JObject.Of(("Item", JObject.Of(("Index", item.Index), ("Value", item.Value)))));
        }

        return builder.Build();
    }
}
