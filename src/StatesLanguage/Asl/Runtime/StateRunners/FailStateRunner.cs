using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Evaluation;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// Fail: ends with its Error and Cause, each a string or evaluated from ErrorPath / CausePath.
/// </summary>
internal static class FailStateRunner
{
    public static StateResult Run(ExecutionRunner runner, FailState state, JValue raw, Frame frame)
    {
        var visit = runner.Enter(state, raw, frame);
        var env = new PathEnv(raw, visit);
        var error = state.ErrorExpression is { } ee ? StringValue(ee.Evaluate(env), "ErrorPath", state.Name) : state.Error;
        var cause = state.CauseExpression is { } ce ? StringValue(ce.Evaluate(env), "CausePath", state.Name) : state.Cause;
        throw new StatesException(error ?? string.Empty, cause);
    }

    private static string StringValue(JValue value, string field, string stateName) =>
        value as JString is { } s ? s.Value : throw new StatesException(StatesErrors.Runtime, $"The {field} of state '{stateName}' must resolve to a string but was {value.ToJson()}.");
}
