using System.Text.Json;

namespace BlueGreen.Functions.Traffic;

/// <summary>
/// Where the traffic goes, as an adapter's <c>read</c> showed it, in the words the run records and notifications use:
/// <c>split</c>, <c>blue</c>, <c>green</c> or <c>unknown</c>, with a phrase that follows "traffic". The reconciler and the
/// lock check both decide from it.
/// </summary>
public static class TrafficState
{
    public static (string State, string Description) Of(TrafficPlan plan, TrafficReading current)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return TrafficProviders.For(plan).Serving(plan, current) switch
        {
            { Split: true } => ("split", $"is split: traffic-{plan.Type} shows both Blue and Green getting a share"),
            { Blue: true } => ("blue", $"is all on Blue (traffic-{plan.Type} read)"),
            { Green: true } => ("green", $"is all on Green (traffic-{plan.Type} read)"),
            _ => ("unknown", $"reaches neither Blue nor Green (traffic-{plan.Type} read)"),
        };
    }

    /// <summary>A failed read (a Catch's <c>{Error, Cause}</c>), as "unknown" with what went wrong.</summary>
    public static (string State, string Description) Unreadable(JsonElement error) => ("unknown", $"could not be read ({ErrorText(error)})");

    /// <summary>A Catch's <c>{Error, Cause}</c> as "Error: Cause".</summary>
    public static string ErrorText(JsonElement error) => $"{Member(error, "Error") ?? "error"}: {Member(error, "Cause") ?? "no cause"}";

    private static string? Member(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
