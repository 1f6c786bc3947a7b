using System.Globalization;
using System.Text;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services;

/// <summary>Formats and helpers shared by the simulated traffic and alarm services (ELBv2, Route 53, CloudWatch).</summary>
internal static class ServiceFormats
{
    /// <summary>How SDK integrations render timestamps in task output: ISO 8601, UTC, milliseconds.</summary>
    public static string Iso(DateTimeOffset t) => IsoTime.Format(t);

    /// <summary>A deterministic lower-case hex id (load balancer, listener and target group ids are 16 hex digits).</summary>
    public static string HexId(string seed, int length = 16)
    {
        var sb = new StringBuilder(length);
        for (var i = 0; sb.Length < length; i++)
        {
            sb.Append(((uint)StableHash.Of($"{seed}#{i}")).ToString("x8", CultureInfo.InvariantCulture));
        }

        return sb.ToString(0, length);
    }

    /// <summary>A deterministic upper-case alphanumeric id (Route 53 zone and change ids).</summary>
    public static string UpperId(string seed, int length)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var sb = new StringBuilder(length);
        for (var i = 0; sb.Length < length; i++)
        {
            sb.Append(Alphabet[(int)((uint)StableHash.Of($"{seed}#{i}") % Alphabet.Length)]);
        }

        return sb.ToString();
    }

    /// <summary>An opaque pagination token for an offset into a stable ordering.</summary>
    public static string PageToken(string scope, int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{scope}:{offset.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>The offset a token from <see cref="PageToken"/> encodes, or null when it is not one of ours for <paramref name="scope"/>.</summary>
    public static int? ReadPageToken(string scope, string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith(scope + ":", StringComparison.Ordinal) && int.TryParse(text[(scope.Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                ? offset
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

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
