using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Mocking;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl;

/// <summary>The outcome of one local run, as <c>asl run</c> prints it.</summary>
public sealed record RunSummary(
    string Status,
    JValue? Output,
    string? Error,
    string? Cause,
    long StateTransitions,
    long HistoryEvents,
    double VirtualSeconds,
    IReadOnlyList<HistoryEvent> History,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    public JObject ToJson(bool includeHistory)
    {
        var o = new JObjectBuilder()
            .Add("status", Status)
            .Add("output", Output ?? JNull.Instance)
            .Add("error", Error is null ? JNull.Instance : Error)
            .Add("cause", Cause is null ? JNull.Instance : Cause)
            .Add("stateTransitions", StateTransitions)
            .Add("historyEvents", HistoryEvents)
            .Add("virtualSeconds", VirtualSeconds);
        if (Diagnostics.Count > 0)
        {
            o.Add("diagnostics", JArray.From(Diagnostics.Select(d => (JValue)d.ToJson())));
        }

        if (includeHistory)
        {
            o.Add("history", JArray.From(History.Select(e => (JValue)e.ToJson())));
        }

        return o.Build();
    }
}

/// <summary>Runs one definition to completion on a fresh virtual clock: the engine behind <c>asl run</c>.</summary>
public static class LocalRunner
{
    /// <summary>The virtual start time of local runs, fixed so runs are reproducible.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    public static RunSummary Run(
        string definitionJson,
        JValue input,
        MockTestCase? mocks = null,
        string stateMachineName = "StateMachine",
        TaskRegistry? tasks = null,
        EngineOptions? options = null,
        DateTimeOffset? start = null)
    {
        var (definition, diagnostics) = DefinitionLoader.Validate(definitionJson);
        if (definition is null)
        {
            var errors = diagnostics.Items.Where(d => d.Severity == "ERROR").ToList();
            return new RunSummary("INVALID", null, "States.InvalidDefinition", string.Join("; ", errors.Select(d => d.ToString())), 0, 0, 0, [], diagnostics.Items);
        }

        var scheduler = new VirtualScheduler(start ?? DefaultStart);
        var engine = new StepFunctionsEngine(scheduler, tasks ?? new TaskRegistry(), options);
        return Run(engine, definition, input, new StartExecutionOptions { StateMachineName = stateMachineName, Mocks = mocks }, diagnostics.Items);
    }

    /// <summary>Starts an execution on <paramref name="engine"/> and runs the scheduler until it ends.</summary>
    public static RunSummary Run(StepFunctionsEngine engine, StateMachineDefinition definition, JValue input, StartExecutionOptions start, IReadOnlyList<Diagnostic>? diagnostics = null)
    {
        var execution = engine.StartExecution(definition, input, start);
        engine.Scheduler.Run(() => execution.Completion);
        return Summarize(execution, diagnostics ?? []);
    }

    public static RunSummary Summarize(Execution execution, IReadOnlyList<Diagnostic> diagnostics) => new(
        execution.StatusName,
        execution.Output,
        execution.Error,
        execution.Cause,
        execution.StateTransitions,
        execution.History.Count,
        ((execution.StopDate ?? execution.StartDate) - execution.StartDate).TotalSeconds,
        execution.History.Events,
        diagnostics);
}
