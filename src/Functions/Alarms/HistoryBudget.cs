namespace BlueGreen.Functions.Alarms;

/// <summary>
/// How much alarm history a check may read. CloudWatch evaluates an alarm at most every 10 seconds (high-resolution
/// alarms), so an alarm cannot legitimately change state more often: the pages allowed cover one change per 10 s
/// since <c>quietSince</c>, plus a page. They are also bounded so that one check's reads stay within the execution's
/// 25,000-event history quota. An alarm with more changes than its pages hold counts as firing (failing safe): a
/// composite alarm whose children change in turn, or an alarm moved by SetAlarmState, may do that legitimately.
/// Every alarm gets at least one page, so many reads can cost more than a small budget (100 reads: 4,200 events).
/// </summary>
public static class HistoryBudget
{
    public const int ChangesPerPage = 25;

    /// <summary>The fastest an alarm is evaluated: high-resolution alarms, every 10 seconds.</summary>
    public const int SecondsPerChange = 10;

    /// <summary>The most history events one check's reads may add by default (every page read twice, see <see cref="Cost"/>).</summary>
    public const int DefaultEventsPerCheck = 6_000;

    /// <summary>The largest budget a caller may ask for: well below the 25,000-event quota.</summary>
    public const int MaxEventsPerCheck = 20_000;

    /// <summary>History events per alarm read (Map iteration, first and last Pass, the second look's Wait and Pass).</summary>
    public const int EventsPerRead = 10;

    /// <summary>History events per page (DescribeAlarmHistory task, EvaluateAlarmHistory task, Choice, next-page Pass), twice.</summary>
    public const int EventsPerPage = 32;

    /// <summary>The reads with their page allowance.</summary>
    public static IReadOnlyList<AlarmToRead> Plan(IReadOnlyList<AlarmToRead> reads, DateTimeOffset? quietSince, DateTimeOffset now, int eventBudget = DefaultEventsPerCheck)
    {
        ArgumentNullException.ThrowIfNull(reads);
        if (reads.Count == 0)
        {
            return [];
        }

        var seconds = quietSince is { } since ? Math.Max(0, (now - since).TotalSeconds) : 0;
        var forTheSpan = (int)Math.Ceiling(seconds / SecondsPerChange / ChangesPerPage) + 1;
        var forTheQuota = Math.Max(1, ((eventBudget / reads.Count) - EventsPerRead) / EventsPerPage);
        var pages = Math.Min(forTheSpan, forTheQuota);
        return [.. reads.Select(r => r with { MaxPages = pages })];
    }

    /// <summary>The most history events the reads can add.</summary>
    public static int Cost(IReadOnlyList<AlarmToRead> reads) =>
        reads is null ? 0 : reads.Sum(r => EventsPerRead + (EventsPerPage * r.MaxPages));
}
