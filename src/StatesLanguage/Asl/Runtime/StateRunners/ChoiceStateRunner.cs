using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Evaluation;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// Choice: the first rule whose condition holds picks the next state (else Default, else
/// <c>States.NoChoiceMatched</c>), and its Assign replaces the state's own.
/// </summary>
internal static class ChoiceStateRunner
{
    public static StateResult Run(ExecutionRunner runner, ChoiceState state, JValue raw, Frame frame)
    {
        var visit = runner.Enter(state, raw, frame);
        var input = DataFlow.ApplyInputPath(state.InputPath, raw, visit);
        var env = new PathEnv(input, visit);
        string? next = null;
        PayloadTemplate? assign = null;
        foreach (var rule in state.Choices)
        {
            if (rule.Condition.Evaluate(env))
            {
                next = rule.Next;
                assign = rule.Assign;
                break;
            }
        }

        // A chosen rule's Assign replaces the state's own: "If a Choice Rule is chosen, the interpreter
        // evaluates the Choice Rule's Assign field, if any, and does not evaluate the state's top-level
        // Assign field. If no Choice Rules match, the interpreter evaluates the state's top-level Assign".
        if (next is null)
        {
            next = state.Default ?? throw new StatesException(StatesErrors.NoChoiceMatched, $"No choice rule matched and state '{state.Name}' has no Default.");
            assign = state.Assign;
        }

        var assignment = DataFlow.Assign(assign, input, visit);
        var output = DataFlow.ApplyOutputPath(state.OutputPath, input, visit);
        runner.CheckSize(output, "The state", state.Name, "output");
        assignment.Apply(frame.Variables);
        runner.Emit("ChoiceStateExited", state.Name, output);
        return new StateResult(output, next);
    }
}
