using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>One field of what a rehearsal was expected to end with, and what it ended with.</summary>
public sealed record ExpectationCheck(string Field, string Expected, string Actual, bool Met)
{
    public JObject ToJson() => JObject.Of(("field", Field), ("expected", Expected), ("actual", Actual), ("met", Met));
}

/// <summary>
/// Compares a rehearsal's summary with what was expected: a scenario's <c>expect</c> block (scenarios/README.md lists
/// its fields; each is optional), or just an outcome (<c>rehearse --expect</c>, <c>Completed</c> by default). The
/// scenario tests and the command's exit code use the same comparison, so a CI job can gate on either.
/// </summary>
public static class ScenarioExpectation
{
    /// <summary>The outcomes a summary can report (<see cref="RehearsalSummary.Outcome"/>).</summary>
    public static IReadOnlyList<string> Outcomes { get; } = ["Completed", "RolledBack", "RollbackFailed", "Failed", "Planned"];

    public static IReadOnlyList<ExpectationCheck> Outcome(string expected, RehearsalSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return [Compare("outcome", expected, summary.Outcome)];
    }

    /// <summary>Every field the block names, in the order scenarios/README.md lists them.</summary>
    public static IReadOnlyList<ExpectationCheck> Check(JObject expect, RehearsalSummary summary)
    {
        ArgumentNullException.ThrowIfNull(expect);
        ArgumentNullException.ThrowIfNull(summary);
        var checks = new List<ExpectationCheck>();
        foreach (var (field, actual) in new[] { ("outcome", summary.Outcome), ("status", summary.Status), ("error", summary.Error) })
        {
            if (expect.GetString(field) is { } expected)
            {
                checks.Add(Compare(field, expected, actual));
            }
        }

        if (expect.GetObject("finalWeights") is { } weights)
        {
            var expected = new TrafficWeights(weights.GetNumber("blue") ?? double.NaN, weights.GetNumber("green") ?? double.NaN);
            checks.Add(new ExpectationCheck("finalWeights", Weights(expected), summary.FinalWeights is { } w ? Weights(w) : "none", expected == summary.FinalWeights));
        }

        if (expect.GetObject("runRecord")?.GetString("status") is { } status)
        {
            checks.Add(Compare("runRecord.status", status, summary.RunRecord?.GetString("status")));
        }

        if (expect.GetString("green") is { } green)
        {
            checks.Add(Compare("green", green, summary.Green?.Fate));
        }

        if (expect.GetNumber("mutatingAwsCalls") is { } mutating)
        {
            checks.Add(Compare("mutatingAwsCalls", Number(mutating), Number(summary.MutatingAwsCalls)));
        }

        if (expect.GetNumber("maxHistoryEvents") is { } maxEvents)
        {
            checks.Add(new ExpectationCheck("maxHistoryEvents", $"at most {Number(maxEvents)}", Number(summary.HistoryEvents), summary.HistoryEvents <= maxEvents));
        }

        if (expect.GetObject("alarmReaction") is { } reaction)
        {
            var actual = summary.AlarmReaction;
            if (reaction.GetNumber("maxSecondsToDecision") is { } seconds)
            {
                checks.Add(new ExpectationCheck("alarmReaction.secondsToDecision", $"at most {Number(seconds)}", actual is null ? "no alarm fired" : Number(actual.SecondsToDecision), actual is not null && actual.SecondsToDecision <= seconds));
            }

            if (reaction.GetNumber("maxEventSecondsToBlue") is { } eventSeconds)
            {
                var measured = actual?.EventSecondsToBlue;
                checks.Add(new ExpectationCheck("alarmReaction.eventSecondsToBlue", $"at most {Number(eventSeconds)}", measured is null ? "alarm-rollback changed no weights" : Number(measured.Value), measured is not null && measured <= eventSeconds));
            }

            if (reaction.GetNumber("maxSecondsToNoGreenTraffic") is { } drainSeconds)
            {
                var measured = actual?.SecondsToNoGreenTraffic;
                checks.Add(new ExpectationCheck("alarmReaction.secondsToNoGreenTraffic", $"at most {Number(drainSeconds)}", measured is null ? "Green still served traffic at the end" : Number(measured.Value), measured is not null && measured <= drainSeconds));
            }

            if (reaction.GetNumber("transitionsToBlue") is { } transitions)
            {
                checks.Add(Compare("alarmReaction.transitionsToBlue", Number(transitions), actual is null ? "no alarm fired" : Number(actual.TransitionsToBlue)));
            }
        }

        if (expect.GetObject("reconciled")?.GetArray("fixed") is { } fixes)
        {
            // Every ending starts reconcile-run; what it fixed is in its output.
            var expected = string.Join(", ", fixes.Select(f => f.AsString()).Order(StringComparer.Ordinal));
            var actual = summary.Reconciliations.Count == 1 && summary.Reconciliations[0].Status == "SUCCEEDED"
                ? string.Join(", ", summary.Reconciliations[0].Fixed)
                : $"{summary.Reconciliations.Count} reconciliations ({string.Join(", ", summary.Reconciliations.Select(r => r.Status))})";
            checks.Add(Compare("reconciled.fixed", expected, actual));
        }

        foreach (var other in (expect.GetArray("otherExecutions") ?? JArray.Empty).Select(o => o.AsObject()))
        {
            var name = other.GetString("name");
            var matching = summary.OtherExecutions.Where(e => e.Name == name).ToList();
            var field = $"otherExecutions[{name}]";
            if (matching.Count != 1)
            {
                checks.Add(new ExpectationCheck(field, "one execution", $"{matching.Count} executions", false));
                continue;
            }

            checks.Add(Compare(field + ".status", other.GetString("status"), matching[0].Status));
            checks.Add(Compare(field + ".error", other.GetString("error"), matching[0].Error));
        }

        return checks;
    }

    private static ExpectationCheck Compare(string field, string? expected, string? actual) =>
        new(field, expected ?? "none", actual ?? "none", string.Equals(expected, actual, StringComparison.Ordinal));

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Weights(TrafficWeights w) => $"Blue {Number(w.Blue)}% / Green {Number(w.Green)}%";
}
