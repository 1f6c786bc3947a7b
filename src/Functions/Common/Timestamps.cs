using System.Globalization;

namespace BlueGreen.Functions.Common;

/// <summary>ISO-8601 timestamps as Step Functions writes them ($$.State.EnteredTime: 2025-06-01T09:00:00.000Z).</summary>
public static class Timestamps
{
    public static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
