using System.Globalization;

namespace BlueGreen.Simulator.Json;

/// <summary>
/// Timestamps the way Step Functions writes them in context objects, execution histories and AWS SDK
/// integration results: ISO 8601, UTC, milliseconds (<c>2026-11-23T09:00:00.000Z</c>).
/// </summary>
public static class IsoTime
{
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
