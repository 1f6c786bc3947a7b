using System.Globalization;
using System.Text;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// Wire conventions of the EKS answers as Step Functions returns them: ISO 8601 UTC timestamps with
/// milliseconds (<c>2013-08-23T01:02:15.422Z</c>, what AWS SDK integrations return for timestamp members),
/// string maps (tags, labels) whose keys are user data and keep their case, and opaque pagination tokens. Ids come
/// from <see cref="Ids"/>.
/// </summary>
internal static class EksWire
{
    public static JString Timestamp(DateTimeOffset time) => new(IsoTime.Format(time));

    public static JObject StringMap(IReadOnlyDictionary<string, string> map) =>
        JObject.From(map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new KeyValuePair<string, JValue>(kv.Key, kv.Value)));

    public static JArray Strings(IEnumerable<string> values) => JArray.From(values.Select(v => (JValue)v));

    /// <summary>A string-to-string map from a request or world member; other value kinds are the caller's error.</summary>
    public static Dictionary<string, string> ReadStringMap(JObject? o, Func<string, Exception> invalid, string what)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in o ?? JObject.Empty)
        {
            map[key] = value switch
            {
                JString s => s.Value,
                JNumber or JBool => value.ToJson(),
                _ => throw invalid($"{what}: the value of '{key}' must be a string."),
            };
        }

        return map;
    }

    public static List<string> ReadStrings(JArray? array) => (array ?? JArray.Empty).OfType<JString>().Select(s => s.Value).ToList();

    /// <summary>
    /// One page of <paramref name="items"/> (<see cref="Pagination"/>). The token is opaque to callers (base64 of the list
    /// name and offset), as EKS tokens are; a token from another list, a mangled one, or one past the end is rejected.
    /// </summary>
    public static (List<T> Page, string? NextToken) Page<T>(IReadOnlyList<T> items, int? maxResults, string? nextToken, string list, Func<string, Exception> invalid, int limit = 100)
    {
        if (maxResults is { } max && (max < 1 || max > limit))
        {
            throw invalid($"maxResults must be between 1 and {limit}.");
        }

        var page = Pagination.Of(items, nextToken is { Length: > 0 } ? nextToken : null, maxResults ?? limit, PageTokens.Opaque(list, '|'),
            _ => invalid("The nextToken provided is invalid."), pastEndIsInvalid: true);
        return (page.Items, page.NextToken);
    }

    /// <summary>Base64 of a PEM certificate, the shape of <c>certificateAuthority.data</c>.</summary>
    public static string CertificateAuthorityData(Random random)
    {
        var der = new byte[780];
        random.NextBytes(der);
        der[0] = 0x30;
        der[1] = 0x82;
        var body = Convert.ToBase64String(der);
        var pem = new StringBuilder("-----BEGIN CERTIFICATE-----\n");
        for (var i = 0; i < body.Length; i += 64)
        {
            pem.Append(body, i, Math.Min(64, body.Length - i)).Append('\n');
        }

        pem.Append("-----END CERTIFICATE-----\n");
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(pem.ToString()));
    }
}
