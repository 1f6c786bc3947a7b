using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// Succeed: InputPath and OutputPath, then the state machine (or branch, or iteration) ends with that output.
/// </summary>
internal static class SucceedStateRunner
{
    public static StateResult Run(ExecutionRunner runner, SucceedState state, JValue raw, Frame frame)
    {
        var visit = runner.Enter(state, raw, frame);
        var output = DataFlow.ApplyOutputPath(state.OutputPath, DataFlow.ApplyInputPath(state.InputPath, raw, visit), visit);
        runner.CheckSize(output, "The state", state.Name, "output");
        runner.Emit("SucceedStateExited", state.Name, output);
        return new StateResult(output, null);
    }
}
