using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Evaluation;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// Parallel: one attempt. Every branch runs on the same input at once; the results are an array in
/// branch order, and the first failure cancels the other branches and fails the state.
/// </summary>
internal static class ParallelStateRunner
{
    public static async Task<StateResult> RunAttemptAsync(ExecutionRunner runner, ParallelState state, JValue raw, StateVisit visit)
    {
        var input = DataFlow.ApplyInputPath(state.InputPath, raw, visit);
        var parameters = state.Parameters?.Evaluate(new PathEnv(input, visit)) ?? input;
        runner.CheckSize(parameters, "The state/task", state.Name, "input");
        runner.Emit("ParallelStateStarted", state.Name);
        JValue[] results;
        try
        {
            results = await BranchGroup.RunAsync(state.Branches.Count, 0, visit.Frame, (i, frame) => runner.RunMachine(state.Branches[i], parameters, frame), onFailed: null);
        }
        catch (StatesException e) when (!visit.Frame.Token.IsCancellationRequested && e is not HistoryLimitExceededException)
        {
            runner.Emit("ParallelStateFailed", state.Name, error: e.Error, cause: e.Cause);
            throw;
        }

        runner.Emit("ParallelStateSucceeded", state.Name);
        return runner.ExitWithResult(state, raw, JArray.Of(results), visit);
    }
}
