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

    /// <summary>The traffic adapter's <c>read</c> output, taken after the change (in <c>readBack.current</c>).</summary>
    [JsonIgnore] public TrafficReading? Current => ReadBack?.Current;

    /// <summary>What the read-back gave: <c>{current}</c>, or the read's own <c>{Error, Cause}</c> when it failed.</summary>
    [JsonPropertyName("readBack")] public ReadBackResult? ReadBack { get; init; }

    /// <summary>Why the change failed: the adapter's error, quoted in the reason; null when the call succeeded (every change is read back).</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
}

/// <summary>The read-back task's result: the reading, or why there is none.</summary>
public sealed record ReadBackResult
{
    [JsonPropertyName("current")] public TrafficReading? Current { get; init; }

    public string? Error { get; init; }

    public string? Cause { get; init; }
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
/// Read back, don't assume (issue 13): after every weight change the step reads the wiring again and decides from what is
/// in force, not from the call's answer. A change whose call failed may or may not have taken effect; one whose call
/// succeeded may have been undone (a controller that owns the rule) or differ from the plan.
/// </summary>
public static class TrafficReadBack
{
    public static TrafficReadBackVerdict Check(CheckTrafficAppliedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = request.Plan;
        var meant = request.Change.GreenPercent;
        if (request.Current is null)
        {
            var why = request.ReadBack?.Error ?? throw new InvalidInput("readBack: required ({current} from the traffic adapter's read after the change, or the read's {Error, Cause})");
            return request.Error is { Length: > 0 } callError
                ? new() { Outcome = TrafficReadBackVerdict.Unsettled, GreenPercentNow = null, Reason = $"The change to {meant}% Green failed ({callError}), and the weights could not be read back ({why}); rolling back to be safe." }
                : new() { Outcome = TrafficReadBackVerdict.Applied, GreenPercentNow = meant, Reason = $"The change to {meant}% Green was accepted; the weights could not be read back ({why}), so the accepted ones are assumed." };
        }

        var now = TrafficProviders.For(plan.Traffic).GreenPercentNow(plan.Traffic, request.Current);
        // No error: the call succeeded and this is the read-back every change gets; the weights may still differ (a
        // controller that owns the rule put its own back, or someone changed it by hand).
        var succeeded = request.Error is not { Length: > 0 };
        var failed = succeeded ? $"The change to {meant}% Green was accepted" : $"The change to {meant}% Green failed ({request.Error})";
        return now switch
        {
            null => new() { Outcome = TrafficReadBackVerdict.Unsettled, GreenPercentNow = null, Reason = $"{failed}, and the weights read back do not say what is in force; rolling back to be safe." },
            _ when Math.Abs(now.Value - meant) < 0.5 => new()
            {
                Outcome = TrafficReadBackVerdict.Applied,
                GreenPercentNow = now,
                Reason = succeeded ? Invariant($"{failed} and the weights read back are the planned ones ({now}% Green).") : Invariant($"{failed}, but the weights read back are the planned ones ({now}% Green): the change took effect."),
            },
            0 when request.Change.StepIndex == 1 => new() { Outcome = TrafficReadBackVerdict.NothingMoved, GreenPercentNow = 0, Reason = $"{failed}, and the weights read back give Green nothing: no traffic moved." },
            0 => new() { Outcome = TrafficReadBackVerdict.Unsettled, GreenPercentNow = 0, Reason = $"{failed}; the weights read back give Green nothing, but an earlier step had moved traffic, so the run rolls back." },
            _ => new() { Outcome = TrafficReadBackVerdict.Unsettled, GreenPercentNow = now, Reason = Invariant($"{failed}; the weights read back give Green {now}%, not {meant}%.") },
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
