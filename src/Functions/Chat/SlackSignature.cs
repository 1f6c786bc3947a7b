using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BlueGreen.Functions.Chat;

/// <summary>
/// Slack's request signing, version 0 ("Verifying requests from Slack",
/// https://api.slack.com/authentication/verifying-requests-from-slack): the app's signing secret keys an HMAC-SHA256
/// over <c>v0:{X-Slack-Request-Timestamp}:{raw body}</c>; <c>X-Slack-Signature</c> is <c>v0=</c> and the digest in
/// lower-case hex. A timestamp more than five minutes from the local clock is refused, so a captured request cannot be
/// replayed later (Slack's own verifier, slack_sdk.signature.SignatureVerifier, uses the same absolute five-minute window);
/// a replay inside the window is refused by <see cref="ChatEndpoint"/>'s replay guard.
/// </summary>
public static class SlackSignature
{
    public const string Version = "v0";

    /// <summary>How far the request's timestamp may be from the local clock, either way.</summary>
    public static readonly TimeSpan MaxClockDistance = TimeSpan.FromMinutes(5);

    /// <summary>The <c>X-Slack-Signature</c> value for <paramref name="body"/> sent at <paramref name="timestamp"/> (Unix seconds).</summary>
    public static string Sign(ReadOnlySpan<byte> secret, string timestamp, ReadOnlySpan<byte> body) =>
        Version + "=" + Convert.ToHexStringLower(Digest(secret, timestamp, body));

    /// <summary>Null when the request is Slack's and fresh; otherwise the refusal (never saying which byte differed).</summary>
    public static ChatRefusal? Verify(ReadOnlySpan<byte> secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return ChatRefusal.MissingSignature("the request has no X-Slack-Request-Timestamp or X-Slack-Signature header");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 99_999_999_999)
        {
            return ChatRefusal.MissingSignature("X-Slack-Request-Timestamp is not a Unix time in seconds");
        }

        var distance = now - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (distance.Duration() > MaxClockDistance)
        {
            return ChatRefusal.Stale($"the request was signed {Math.Round(distance.TotalMinutes, 1).ToString(CultureInfo.InvariantCulture)} minutes from now; at most {MaxClockDistance.TotalMinutes.ToString(CultureInfo.InvariantCulture)} are accepted");
        }

        var prefix = Version + "=";
        if (!signature.StartsWith(prefix, StringComparison.Ordinal) || signature.Length != prefix.Length + 64)
        {
            return ChatRefusal.Forged("X-Slack-Signature is not a v0 signature");
        }

        byte[] presented;
        try
        {
            presented = Convert.FromHexString(signature.AsSpan(prefix.Length));
        }
        catch (FormatException)
        {
            return ChatRefusal.Forged("X-Slack-Signature is not a v0 signature");
        }

        // Constant time: the comparison takes as long whichever byte differs, so timing tells an attacker nothing.
        return CryptographicOperations.FixedTimeEquals(presented, Digest(secret, timestamp, body))
            ? null
            : ChatRefusal.Forged("the signature does not match the body (not signed with this app's signing secret)");
    }

    private static byte[] Digest(ReadOnlySpan<byte> secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var head = Encoding.ASCII.GetBytes($"{Version}:{timestamp}:");
        var basestring = new byte[head.Length + body.Length];
        head.CopyTo(basestring, 0);
        body.CopyTo(basestring.AsSpan(head.Length));
        return HMACSHA256.HashData(secret, basestring);
    }
}
