using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Conformance;

/// <summary>
/// Test-only task handler that replays a case's <c>mocks</c>: per state name, one answer per call
/// (retries included; the last answer repeats). An answer may take virtual time with
/// <c>"delaySeconds"</c>, which is how cases reach TimeoutSeconds without changing the mock-config format.
/// It is registered as a <see cref="TaskRegistry"/> handler rather than as engine mocks so that the task
/// runs through the engine's real path: timeouts, heartbeats and cancellation included.
/// </summary>
internal sealed class CaseMockHandler(JObject mocks) : ITaskHandler
{
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);

    public static TaskRegistry Registry(JObject mocks) => new TaskRegistry().RegisterPrefix("arn:", new CaseMockHandler(mocks));

    public async Task<JValue> InvokeAsync(TaskRequest request)
    {
        if (mocks.GetArray(request.StateName) is not { Count: > 0 } answers)
        {
            throw new StatesException(StatesErrors.Runtime, $"The case has no mocked answer for state '{request.StateName}'.");
        }

        var index = _calls.GetValueOrDefault(request.StateName);
        _calls[request.StateName] = index + 1;
        var answer = answers[Math.Min(index, answers.Count - 1)].AsObject();

        if (answer.GetNumber("delaySeconds") is { } delay)
        {
            await request.Scheduler.Delay(TimeSpan.FromSeconds(delay), request.CancellationToken);
        }

        if (answer.GetObject("throw") is { } thrown)
        {
            throw new StatesException(thrown.GetString("error") ?? string.Empty, thrown.GetString("cause"));
        }

        return answer["return"] ?? JNull.Instance;
    }
}
