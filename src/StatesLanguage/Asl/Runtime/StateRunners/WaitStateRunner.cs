using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Evaluation;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// Wait: until Seconds (or SecondsPath) from now, or until the Timestamp (or TimestampPath), in virtual time.
/// </summary>
internal static class WaitStateRunner
{
    public static async Task<StateResult> RunAsync(ExecutionRunner runner, WaitState state, JValue raw, Frame frame)
    {
        var visit = runner.Enter(state, raw, frame);
        var input = DataFlow.ApplyInputPath(state.InputPath, raw, visit);
        var env = new PathEnv(input, visit);
        DateTimeOffset until;
        if (state.Seconds is { } seconds)
        {
            until = runner.Scheduler.Now.AddSeconds(seconds);
        }
        else if (state.SecondsPath is { } secondsPath)
        {
            var value = env.Select(secondsPath, "the field 'SecondsPath'");
            if (value is not JNumber { IsInteger: true } n || n.Value < 0 || n.Value > 99_999_999)
            {
                throw new StatesException(StatesErrors.Runtime, $"The SecondsPath parameter does not reference a valid non-negative integer: {value.ToJson()}");
            }

            until = runner.Scheduler.Now.AddSeconds(n.Value);
        }
        else if (state.Timestamp is { } timestamp)
        {
            until = timestamp;
        }
        else
        {
            var value = env.Select(state.TimestampPath!, "the field 'TimestampPath'");
            if (value is not JString s || !Rfc3339Timestamp.TryParse(s.Value, out until))
            {
                throw new StatesException(StatesErrors.Runtime, $"The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {value.ToJson()}");
            }
        }

        await runner.Scheduler.WaitUntil(until, frame.Token);
        var assignment = DataFlow.Assign(state.Assign, input, visit);
        var output = DataFlow.ApplyOutputPath(state.OutputPath, input, visit);
        return runner.Exit(state, output, visit, assignment);
    }
}
