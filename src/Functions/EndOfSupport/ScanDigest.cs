using System.Text;
using System.Text.Json.Serialization;

namespace BlueGreen.Functions.EndOfSupport;

/// <summary>
/// The scan's digest, one SNS message, kept under Amazon SNS's message limit: "at most 256 KB in size (262,144 bytes, not
/// 262,144 characters)" (botocore sns/2010-03-31 service-2.json, PublishInput.Message; a topic's default
/// MaximumMessageSize). It counts every cluster by action (<see cref="DigestTally"/>, handed from decision to decision
/// like the occupancy) and lists one line per cluster that needs something (not keep, not none), each at most
/// <see cref="MaxLineBytes"/>, at most <see cref="MaxListedLines"/> of them, then "and N more". The eos-scan state
/// machine appends the lines and counts those left out; these numbers bound what it appends (its whole state, with the
/// profiles and the occupancy, also stays under Step Functions' 256 KiB payload quota).
/// </summary>
public static class ScanDigest
{
    /// <summary>Longest line, in UTF-8 bytes (a line is cut there, ending with "...").</summary>
    public const int MaxLineBytes = 400;

    /// <summary>Lines listed; the state machine's "Does the digest list this cluster?" choice uses the same number.</summary>
    public const int MaxListedLines = 250;

    /// <summary>SNS Publish: at most 262,144 bytes of UTF-8.</summary>
    public const int SnsMessageLimitBytes = 262_144;

    /// <summary>"shop-blue 1.32 (EXTENDED_SUPPORT): create, target 1.35: reason", at most <see cref="MaxLineBytes"/> bytes.</summary>
    public static string Line(EndOfSupportDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return Cut($"{decision.ClusterName} {decision.ClusterVersion} ({decision.SupportStatus}): {decision.Action}, target {decision.TargetVersion ?? "-"}: {decision.Reason}", MaxLineBytes);
    }

    /// <summary>Whether the digest lists a cluster with this action (keep and none are only counted).</summary>
    public static bool Lists(string action) => action is not (EndOfSupportActions.Keep or EndOfSupportActions.None);

    /// <summary><paramref name="text"/> cut to at most <paramref name="maxBytes"/> UTF-8 bytes, on a character boundary, ending with "...".</summary>
    public static string Cut(string text, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }
        var builder = new StringBuilder();
        var bytes = 3;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }
            builder.Append(rune.ToString());
            bytes += rune.Utf8SequenceLength;
        }
        return builder.Append("...").ToString();
    }
}

/// <summary>How many clusters of the scan got each action (the digest's counts).</summary>
public sealed record DigestTally
{
    [JsonPropertyName("create")] public int Create { get; init; }
    [JsonPropertyName("update")] public int Update { get; init; }
    [JsonPropertyName("keep")] public int Keep { get; init; }
    [JsonPropertyName("delete")] public int Delete { get; init; }
    [JsonPropertyName("notify")] public int Notify { get; init; }
    [JsonPropertyName("needsHuman")] public int NeedsHuman { get; init; }
    [JsonPropertyName("none")] public int None { get; init; }

    /// <summary>This tally with one more cluster that got <paramref name="action"/>.</summary>
    public DigestTally Add(string action) => action switch
    {
        EndOfSupportActions.Create => this with { Create = Create + 1 },
        EndOfSupportActions.Update => this with { Update = Update + 1 },
        EndOfSupportActions.Keep => this with { Keep = Keep + 1 },
        EndOfSupportActions.Delete => this with { Delete = Delete + 1 },
        EndOfSupportActions.Notify => this with { Notify = Notify + 1 },
        EndOfSupportActions.NeedsHuman => this with { NeedsHuman = NeedsHuman + 1 },
        _ => this with { None = None + 1 },
    };
}
