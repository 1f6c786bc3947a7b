using System.Globalization;
using System.Text.Json.Serialization;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.TrafficShift;

/// <summary>A weight change that failed, and the wiring read back right after it.</summary>
public sealed record CheckTrafficAppliedRequest
{
    [JsonPropertyName("plan")] public required UpgradePlan Plan { get; init; }

    /// <summary>The change PlanTrafficShift planned (its <c>greenPercent</c> is what the step meant to set).</summary>
    [JsonPropertyName("change")] public required PlannedSplit Change { get; init; }

    /// <summary>The traffic adapter's <c>read</c> output, taken after the change failed.</summary>
    [JsonPropertyName("current")] public TrafficReading? Current { get; init; }

    /// <summary>Why the change failed: the adapter's error and cause, quoted in the reason.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
}

/// <summary>The part of a planned change the read-back is compared with.</summary>
public sealed record PlannedSplit
{
    [JsonPropertyName("greenPercent")] public required int GreenPercent { get; init; }

    /// <summary>1 for the first step: only then does Green getting nothing mean that no traffic ever moved.</summary>
    [JsonPropertyName("stepIndex")] public required int StepIndex { get; init; }
}

/// <summary>What the failed change left in force.</summary>
public sealed record TrafficReadBackVerdict
{
    public const string Applied = "applied";
    public const string NothingMoved = "nothingMoved";
    public const string Unsettled = "unsettled";

    /// <summary>
    /// <see cref="Applied"/>: the weights are the planned ones, so the step goes on; <see cref="NothingMoved"/>: at the
    /// first step Green gets nothing, so the run fails as before any traffic moved; <see cref="Unsettled"/>: anything else
    /// (a previous step's split, Green at 0 after an earlier step had moved traffic, or a reading that cannot say), so the
    /// step fails and the run rolls back.
    /// </summary>
    [JsonPropertyName("outcome")] public required string Outcome { get; init; }

    [JsonPropertyName("greenPercentNow"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public double? GreenPercentNow { get; init; }

    [JsonPropertyName("reason")] public required string Reason { get; init; }
}

/// <summary>
/// Read back, don't assume (issue 13): a weight change whose call failed may or may not have taken effect, so the step
/// reads the wiring again and decides from what is in force rather than from the error.
/// </summary>
public static class TrafficReadBack
{
    public static TrafficReadBackVerdict Check(CheckTrafficAppliedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = request.Plan;
        var now = TrafficProviders.For(plan.Traffic).GreenPercentNow(plan.Traffic, request.Current ?? throw new InvalidInput("current: required (the traffic adapter's read after the failed change)"));
        var meant = request.Change.GreenPercent;
        var failed = request.Error is { Length: > 0 } error ? $"The change to {meant}% Green failed ({error})" : $"The change to {meant}% Green failed";
        return now switch
        {
            null => new() { Outcome = TrafficReadBackVerdict.Unsettled, GreenPercentNow = null, Reason = $"{failed}, and the weights read back do not say what is in force; rolling back to be safe." },
            _ when Math.Abs(now.Value - meant) < 0.5 => new() { Outcome = TrafficReadBackVerdict.Applied, GreenPercentNow = now, Reason = Invariant($"{failed}, but the weights read back are the planned ones ({now}% Green): the change took effect.") },
            0 when request.Change.StepIndex == 1 => new() { Outcome = TrafficReadBackVerdict.NothingMoved, GreenPercentNow = 0, Reason = $"{failed}, and the weights read back give Green nothing: no traffic moved." },
            0 => new() { Outcome = TrafficReadBackVerdict.Unsettled, GreenPercentNow = 0, Reason = $"{failed}; the weights read back give Green nothing, but an earlier step had moved traffic, so the run rolls back." },
            _ => new() { Outcome = TrafficReadBackVerdict.Unsettled, GreenPercentNow = now, Reason = Invariant($"{failed}; the weights read back give Green {now}%, not {meant}%.") },
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
