using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Cli;

public static partial class BenchCommand
{
    /// <summary>What a warm chat request is measured with, in turn: a read, a write, and a refusal.</summary>
    private static readonly string[] ChatTexts = ["status shop-blue", "upgrade shop-blue 1.34", "upgrade pay-blue 1.x"];

    /// <summary>
    /// The chat endpoint's in-process time per request (target p99 under 50 ms, so that a function restored by SnapStart
    /// answers well within Slack's 3 seconds): the packaged function invoked through the simulated Lambda with a signed
    /// function URL event, its DynamoDB calls (replay guard, run-record query, command item) going to dynalite over HTTP.
    /// The first request (the cold start: package load, JIT, SDK clients, the SSM read) is reported on its own; then a
    /// warm-up of a tenth as many, then <paramref name="requests"/> timed one by one.
    /// </summary>
    public static JObject MeasureChatEndpoint(int requests)
    {
        if (requests < 1)
        {
            throw new UsageException("--chat-requests must be at least 1.");
        }

        using var chat = ChatRehearsal.Prepare(Scenario.Load("happy-alb"));
        var cold = chat.SlashCommand("U123", "help").Milliseconds;
        for (var i = 0; i < Math.Max(1, requests / 10); i++)
        {
            chat.SlashCommand("U123", ChatTexts[i % ChatTexts.Length]);
        }

        var times = new double[requests];
        for (var i = 0; i < requests; i++)
        {
            var reply = chat.SlashCommand("U123", ChatTexts[i % ChatTexts.Length]);
            if (reply.StatusCode != 200)
            {
                throw new InvalidOperationException($"The chat endpoint answered {reply.StatusCode}: {reply.Text}");
            }

            times[i] = reply.Milliseconds;
        }

        Array.Sort(times);
        return JObject.Of(
            ("requests", requests),
            ("commands", string.Join(" | ", ChatTexts)),
            ("coldStartMilliseconds", Math.Round(cold, 1)),
            ("medianMilliseconds", Math.Round(times[requests / 2], 2)),
            ("p99Milliseconds", Math.Round(times[Math.Min(requests - 1, (int)Math.Ceiling(requests * 0.99) - 1)], 2)),
            ("maxMilliseconds", Math.Round(times[^1], 2)),
            ("targetP99Milliseconds", 50),
            ("secretReads", chat.Ssm.GetParameterCalls));
    }
}
