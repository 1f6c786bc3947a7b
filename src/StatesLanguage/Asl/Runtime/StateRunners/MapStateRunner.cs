using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Evaluation;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// Map (inline): one attempt. Runs the item processor once per item of ItemsPath (each input shaped by
/// ItemSelector, with <c>$$.Map.Item</c>), at most MaxConcurrency at once, results in item order.
/// </summary>
internal static class MapStateRunner
{
    public static async Task<StateResult> RunAttemptAsync(ExecutionRunner runner, MapState state, JValue raw, StateVisit visit)
    {
        var input = DataFlow.ApplyInputPath(state.InputPath, raw, visit);
        var env = new PathEnv(input, visit);
        var itemsValue = state.ItemsPath is { } itemsPath ? env.Select(itemsPath, "the field 'ItemsPath'") : input;
        if (itemsValue is not JArray items)
        {
            throw new StatesException(StatesErrors.Runtime, $"Map state '{state.Name}': the items to iterate ({(state.ItemsPath?.Text ?? "$")}) must be an array but are {itemsValue.KindName}.");
        }

        var maxConcurrency = state.MaxConcurrency;
        if (state.MaxConcurrencyPath is { } mcp)
        {
            var mc = env.Select(mcp, "the field 'MaxConcurrencyPath'");
            maxConcurrency = mc is JNumber { IsInteger: true } n && n.Value >= 0
                ? (int)Math.Min(n.Value, int.MaxValue)
                : throw new StatesException(StatesErrors.Runtime, $"The MaxConcurrencyPath parameter does not reference a valid non-negative integer: {mc.ToJson()}");
        }

        runner.Emit("MapStateStarted", state.Name, JObject.Of(("length", items.Count)));
        JValue[] results;
        try
        {
            results = await BranchGroup.RunAsync(items.Count, maxConcurrency, visit.Frame, async (i, frame) =>
            {
                runner.Emit("MapIterationStarted", state.Name, index: i);
                var itemInput = items[i];
                if (state.ItemSelector is { } selector)
                {
                    visit.MapItem = (i, items[i]);
                    try
                    {
                        itemInput = selector.Evaluate(new PathEnv(input, visit));
                    }
                    finally
                    {
                        visit.MapItem = null;
                    }
                }

                var output = await runner.RunMachine(state.Processor, itemInput, frame);
                runner.Emit("MapIterationSucceeded", state.Name, index: i);
                return output;
            }, onFailed: (i, aborted) => runner.Emit(aborted ? "MapIterationAborted" : "MapIterationFailed", state.Name, index: i));
        }
        catch (StatesException e) when (!visit.Frame.Token.IsCancellationRequested && e is not HistoryLimitExceededException)
        {
            runner.Emit("MapStateFailed", state.Name, error: e.Error, cause: e.Cause);
            throw;
        }

        runner.Emit("MapStateSucceeded", state.Name);
        return runner.ExitWithResult(state, raw, JArray.Of(results), visit);
    }
}
