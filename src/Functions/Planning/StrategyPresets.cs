namespace BlueGreen.Functions.Planning;

/// <summary>A requested traffic step before it is expanded: percent on Green and bake time in minutes.</summary>
public sealed record StepRequest(int Weight, int BakeMinutes);

/// <summary>
/// The named traffic strategies. Every preset ends with a 100% step that also bakes, because alarms are
/// only watched during bakes: a regression that shows up right after the last shift still rolls back to Blue.
/// </summary>
public static class StrategyPresets
{
    public const string AllAtOnce = "AllAtOnce";
    public const string Canary10Percent5Minutes = "Canary10Percent5Minutes";
    public const string Linear10PercentEvery3Minutes = "Linear10PercentEvery3Minutes";
    public const string Custom = "Custom";

    public static IReadOnlyList<string> Names { get; } = [AllAtOnce, Canary10Percent5Minutes, Linear10PercentEvery3Minutes];

    /// <summary>The steps a preset expands to; null for an unknown name.</summary>
    public static IReadOnlyList<StepRequest>? Expand(string name) => name switch
    {
        // 100% to Green in one move, then a 5-minute bake with alarms watched.
        AllAtOnce => [new(100, 5)],
        // 10% for 5 minutes, then the remaining 90% at once, followed by a 5-minute bake.
        Canary10Percent5Minutes => [new(10, 5), new(100, 5)],
        // 10%, 20%, ... 100%, one step every 3 minutes (ten steps, 30 minutes of baking in all).
        Linear10PercentEvery3Minutes => [.. Enumerable.Range(1, 10).Select(i => new StepRequest(i * 10, 3))],
        _ => null,
    };

    /// <summary>
    /// The same steps with every bake lasting at least <paramref name="minimumBakeSeconds"/> (checks re-spread over the
    /// longer bake, no further apart than the poll interval).
    /// </summary>
    public static IReadOnlyList<ShiftStep> WithMinimumBake(IReadOnlyList<ShiftStep> steps, int minimumBakeSeconds, int pollSeconds) =>
        [.. steps.Select(step =>
        {
            if (step.BakeSeconds >= minimumBakeSeconds)
            {
                return step;
            }

            var checks = Math.Max(1, (minimumBakeSeconds + pollSeconds - 1) / pollSeconds);
            return step with { BakeSeconds = minimumBakeSeconds, AlarmChecks = checks, CheckIntervalSeconds = (minimumBakeSeconds + checks - 1) / checks };
        })];

    /// <summary>
    /// Turns requested steps into plan steps: the bake is divided into alarm checks no further apart than
    /// the poll interval (at least one check per step, even with no bake).
    /// </summary>
    public static IReadOnlyList<ShiftStep> ToPlanSteps(IReadOnlyList<StepRequest> steps, int pollSeconds) =>
        [.. steps.Select((step, i) =>
        {
            var bakeSeconds = step.BakeMinutes * 60;
            var checks = Math.Max(1, (bakeSeconds + pollSeconds - 1) / pollSeconds);
            return new ShiftStep
            {
                Index = i + 1,
                Weight = step.Weight,
                BakeSeconds = bakeSeconds,
                AlarmChecks = checks,
                CheckIntervalSeconds = (bakeSeconds + checks - 1) / checks,
                IsFinal = i == steps.Count - 1,
            };
        })];
}
