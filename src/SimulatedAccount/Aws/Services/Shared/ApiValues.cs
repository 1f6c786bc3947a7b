using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services;

/// <summary>
/// Value conventions shared by the platform services (Secrets Manager, Scheduler, EventBridge, Step
/// Functions, Lambda): how timestamps look in responses, how request timestamps are read, and how member
/// names are raised. Identifiers are <see cref="Ids"/>; pages are <see cref="Pagination"/>.
/// </summary>
internal static class ApiValues
{
    /// <summary>
    /// A timestamp as AWS SDK integrations return it (<c>2026-11-23T09:00:00.000Z</c>). Optimized
    /// integrations (<c>states:startExecution</c>) and event payloads use <see cref="EpochMillis"/> instead.
    /// </summary>
    public static string Timestamp(DateTimeOffset time) => IsoTime.Format(time);

    /// <summary>Milliseconds since the Unix epoch, as Step Functions' optimized integrations and "Step Functions Execution Status Change" events carry dates.</summary>
    public static double EpochMillis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>
    /// Reads a request timestamp: an ISO 8601 string (UTC unless it says otherwise) or a number of epoch
    /// seconds (the AWS JSON protocol's wire form; values past 1e11 are taken as milliseconds).
    /// </summary>
    public static bool TryReadTimestamp(JValue? value, out DateTimeOffset time)
    {
        switch (value)
        {
            case JString s when DateTimeOffset.TryParse(s.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time):
                return true;
            case JNumber n:
                time = n.Value > 1e11 ? DateTimeOffset.FromUnixTimeMilliseconds((long)n.Value) : DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(n.Value * 1000));
                return true;
            default:
                time = default;
                return false;
        }
    }

    /// <summary>
    /// Raises the first letter of every member name, recursively: AWS SDK integrations present every
    /// response member that way (<c>taskScheduledEventDetails</c> becomes <c>TaskScheduledEventDetails</c>).
    /// </summary>
    public static JValue Capitalize(JValue value) => Capitalize(value, new HashSet<string>());

    /// <summary>
    /// <see cref="Capitalize(JValue)"/> for request objects written in world files, leaving the contents of
    /// <paramref name="opaqueMembers"/> (free-form payloads such as <c>Input</c>) as they are.
    /// </summary>
    public static JValue Capitalize(JValue value, IReadOnlySet<string> opaqueMembers) => value switch
    {
        JObject o => JObject.From(o.Select(m =>
        {
            var key = m.Key.Length == 0 ? m.Key : char.ToUpperInvariant(m.Key[0]) + m.Key[1..];
            return new KeyValuePair<string, JValue>(key, opaqueMembers.Contains(key) ? m.Value : Capitalize(m.Value, opaqueMembers));
        })),
        JArray a => JArray.From(a.Select(v => Capitalize(v, opaqueMembers))),
        _ => value,
    };

    /// <summary>The JSON text of a request member that may be given as text or, through Step Functions, as JSON.</summary>
    public static string? JsonText(JValue? value) => value switch
    {
        null or JNull => null,
        JString s => s.Value,
        _ => value.ToJson(),
    };
}
