using System.Globalization;
using System.Text;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services;

/// <summary>Formats and helpers shared by the simulated traffic and alarm services (ELBv2, Route 53, CloudWatch).</summary>
internal static class ServiceFormats
{
    /// <summary>How SDK integrations render timestamps in task output: ISO 8601, UTC, milliseconds.</summary>
    public static string Iso(DateTimeOffset t) => IsoTime.Format(t);

    /// <summary>Adds <paramref name="value"/> only when it is present (AWS omits absent members).</summary>
    public static JObjectBuilder Maybe(this JObjectBuilder builder, string key, JValue? value) =>
        value is null or JNull ? builder : builder.Add(key, value);

    public static JObjectBuilder Maybe(this JObjectBuilder builder, string key, string? value) =>
        value is null ? builder : builder.Add(key, value);

    public static JObjectBuilder Maybe(this JObjectBuilder builder, string key, double? value) =>
        value is null ? builder : builder.Add(key, value.Value);

    public static JArray Strings(IEnumerable<string> values) => JArray.From(values.Select(v => (JValue)v));

    /// <summary>A number from JSON that may arrive as a string (Step Functions passes Route 53's MaxItems either way).</summary>
    public static double? Number(JValue? value) => value switch
    {
        JNumber n => n.Value,
        JString s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>A duration from a world file: seconds, or "90s", "5m", "1h30m".</summary>
    public static TimeSpan Duration(JValue value, string what) =>
        value is JNumber or JString
            ? Scenarios.Scenario.ParseOffset(value, DateTimeOffset.UnixEpoch)
            : throw new Scenarios.ScenarioException($"{what}: expected a duration (seconds, 90s, 5m), not {value.KindName}");
}
