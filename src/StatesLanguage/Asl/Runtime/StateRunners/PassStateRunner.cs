using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Evaluation;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// Pass: InputPath, Parameters, then Result (or the input) placed by ResultPath, OutputPath and Assign.
/// </summary>
internal static class PassStateRunner
{
    public static StateResult Run(ExecutionRunner runner, PassState state, JValue raw, Frame frame)
    {
        var visit = runner.Enter(state, raw, frame);
        var input = DataFlow.ApplyInputPath(state.InputPath, raw, visit);
        var effectiveInput = state.Parameters?.Evaluate(new PathEnv(input, visit)) ?? input;
        runner.CheckSize(effectiveInput, "The state", state.Name, "input after Parameters");

        // Result is the output of the Pass state's "virtual task"; Parameters only shapes that task's
        // input, so when both are present the Result wins (ASL spec, Pass State).
        var result = state.Result ?? effectiveInput;
        var assignment = DataFlow.Assign(state.Assign, result, visit);
        var output = DataFlow.ApplyOutputPath(state.OutputPath, DataFlow.ApplyResultPath(state.ResultPath, raw, result, state.Name), visit);
        return runner.Exit(state, output, visit, assignment);
    }
}
