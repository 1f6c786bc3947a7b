using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// A state machine, a Parallel branch or a Map item processor: its states, each loaded by
/// <see cref="StateLoader"/>, and the checks on the graph they form (StartAt, every transition's
/// target, a terminal state, every state reachable).
/// </summary>
internal static class StateMachineLoader
{
    private const int MaxStateNameLength = 80;

    public static StateMachineDefinition? Load(LoadContext context, JObject o, string location, bool isTopLevel)
    {
        if (!isTopLevel)
        {
            foreach (var key in o.Keys)
            {
                if (key is not ("StartAt" or "States" or "Comment" or "ProcessorConfig"))
                {
                    context.Error("SCHEMA_VALIDATION_FAILED", $"The field '{key}' is not supported by Step Functions", location);
                }
            }
        }

        var startAt = o.GetString("StartAt");
        if (startAt is null)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [StartAt]", Loc(location));
        }

        var statesJson = o.GetObject("States");
        if (statesJson is null || statesJson.Count == 0)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [States] (an object with at least one state)", Loc(location));
            return null;
        }

        var states = new Dictionary<string, State>(StringComparer.Ordinal);
        foreach (var (name, value) in statesJson)
        {
            var stateLocation = $"{location}/States/{name}";
            if (name.Length == 0 || name.Length > MaxStateNameLength)
            {
                context.Error("INVALID_STATE_NAME", $"State names must be 1 to {MaxStateNameLength} characters long", stateLocation);
            }

            if (!context.ClaimStateName(name))
            {
                context.Error("DUPLICATE_STATE_NAME", $"Duplicate State name: '{name}' (state names must be unique across the whole state machine, branches and item processors included)", stateLocation);
            }

            if (value is not JObject stateJson)
            {
                context.Error("SCHEMA_VALIDATION_FAILED", "A state must be a JSON object", stateLocation);
                continue;
            }

            var state = StateLoader.Load(context, name, stateJson, stateLocation);
            if (state is not null)
            {
                states[name] = state;
            }
        }

        if (startAt is not null && !statesJson.ContainsKey(startAt))
        {
            context.Error("MISSING_TRANSITION_TARGET", $"Missing 'StartAt' target: {startAt}", Loc(location) + "StartAt");
        }

        CheckTransitions(context, states, statesJson, location);
        if (startAt is not null && statesJson.ContainsKey(startAt))
        {
            CheckReachability(context, startAt, states, location);
        }

        return startAt is null ? null : new StateMachineDefinition(startAt, states, null, o);
    }

    private static string Loc(string location) => location.Length == 0 ? "/" : location + "/";

    private static void CheckTransitions(LoadContext context, Dictionary<string, State> states, JObject statesJson, string location)
    {
        var hasTerminal = false;
        foreach (var state in states.Values)
        {
            var stateLocation = $"{location}/States/{state.Name}";
            foreach (var (target, field) in Transitions(state))
            {
                if (!statesJson.ContainsKey(target))
                {
                    context.Error("MISSING_TRANSITION_TARGET", $"Missing '{field.Split('/')[^1]}' target: {target}", $"{stateLocation}/{field}");
                }
            }

            hasTerminal |= state.End || state is SucceedState or FailState;
        }

        if (!hasTerminal)
        {
            context.Error("MISSING_END_STATE", "The workflow has no terminal state (End: true, Succeed or Fail)", Loc(location) + "States");
        }
    }

    private static void CheckReachability(LoadContext context, string startAt, Dictionary<string, State> states, string location)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { startAt };
        var queue = new Queue<string>([startAt]);
        while (queue.TryDequeue(out var name))
        {
            if (!states.TryGetValue(name, out var state))
            {
                continue;
            }

            foreach (var (target, _) in Transitions(state))
            {
                if (seen.Add(target))
                {
                    queue.Enqueue(target);
                }
            }
        }

        foreach (var name in states.Keys.Where(n => !seen.Contains(n)))
        {
            context.Error("UNREACHABLE_STATE", $"State '{name}' is not reachable", $"{location}/States/{name}");
        }
    }

    private static IEnumerable<(string Target, string Field)> Transitions(State state)
    {
        if (state.Next is not null)
        {
            yield return (state.Next, "Next");
        }

        if (state is ChoiceState choice)
        {
            for (var i = 0; i < choice.Choices.Count; i++)
            {
                yield return (choice.Choices[i].Next, $"Choices[{i}]/Next");
            }

            if (choice.Default is not null)
            {
                yield return (choice.Default, "Default");
            }
        }

        if (state is RecoverableState recoverable)
        {
            for (var i = 0; i < recoverable.Catch.Count; i++)
            {
                yield return (recoverable.Catch[i].Next, $"Catch[{i}]/Next");
            }
        }
    }
}
