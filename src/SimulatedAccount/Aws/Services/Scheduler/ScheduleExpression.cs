using System.Globalization;
using System.Text.RegularExpressions;

namespace BlueGreen.Simulator.Aws.Services.Scheduler;

/// <summary>A schedule expression that cannot be used, with the reason.</summary>
public sealed class ScheduleExpressionException(string reason) : Exception(reason);

/// <summary>
/// An EventBridge Scheduler / EventBridge rule schedule expression: <c>at(yyyy-mm-ddThh:mm:ss)</c>,
/// <c>rate(value unit)</c> or <c>cron(minutes hours day-of-month month day-of-week year)</c>, evaluated in a
/// time zone (UTC for EventBridge rules).
/// </summary>
public abstract partial class ScheduleExpression
{
    private protected ScheduleExpression(string text) => Text = text;

    public string Text { get; }

    /// <summary>True for <c>at()</c>: the schedule invokes its target once.</summary>
    public virtual bool IsOneTime => false;

    /// <summary>
    /// Parses <paramref name="text"/>. EventBridge rules (<paramref name="forRule"/>) accept only rate and cron,
    /// and insist on a singular unit for a value of 1 and a plural one otherwise.
    /// </summary>
    public static ScheduleExpression Parse(string text, bool forRule = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (AtRegex().Match(text) is { Success: true } at && !forRule)
        {
            return DateTime.TryParseExact(at.Groups[1].Value, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
                ? new AtExpression(text, local)
                : throw new ScheduleExpressionException($"'{at.Groups[1].Value}' is not a valid date and time (yyyy-mm-ddThh:mm:ss).");
        }

        if (RateRegex().Match(text) is { Success: true } rate)
        {
            if (!int.TryParse(rate.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                throw new ScheduleExpressionException("The rate value must be a positive integer.");
            }

            var unit = rate.Groups[2].Value;
            if (forRule && (value == 1) != !unit.EndsWith('s'))
            {
                throw new ScheduleExpressionException(value == 1 ? "A rate of 1 takes a singular unit (minute, hour, day)." : "A rate above 1 takes a plural unit (minutes, hours, days).");
            }

            var period = unit.TrimEnd('s') switch
            {
                "minute" => TimeSpan.FromMinutes(value),
                "hour" => TimeSpan.FromHours(value),
                _ => TimeSpan.FromDays(value),
            };
            return new RateExpression(text, period);
        }

        if (CronRegex().Match(text) is { Success: true } cron)
        {
            return CronExpression.ParseFields(text, cron.Groups[1].Value);
        }

        throw new ScheduleExpressionException(forRule
            ? "Use rate(value unit) or cron(minutes hours day-of-month month day-of-week year)."
            : "Use at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(minutes hours day-of-month month day-of-week year).");
    }

    /// <summary>
    /// The first invocation time at or after <paramref name="notBefore"/> (UTC), or null when there is none.
    /// <paramref name="anchor"/> is when a rate schedule's first invocation falls (its StartDate, or its creation).
    /// </summary>
    public abstract DateTimeOffset? NextInvocation(DateTimeOffset notBefore, DateTimeOffset anchor, TimeZoneInfo zone);

    /// <summary>Local wall-clock time in <paramref name="zone"/> to UTC. A time skipped by a daylight-saving jump runs just after the jump; a repeated one runs at its first occurrence.</summary>
    internal static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Interpret with the offset in force before the gap: 02:30 on a 02:00 -> 03:00 night becomes 03:30.
            var before = zone.GetUtcOffset(local.AddHours(-3));
            return new DateTimeOffset(local, before).ToUniversalTime();
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            return new DateTimeOffset(local, offsets.Max()).ToUniversalTime();
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    [GeneratedRegex(@"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$", RegexOptions.CultureInvariant)]
    private static partial Regex AtRegex();

    [GeneratedRegex(@"^rate\((\d+) (minutes?|hours?|days?)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex RateRegex();

    [GeneratedRegex(@"^cron\((.*)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex CronRegex();
}

/// <summary><c>at(yyyy-mm-ddThh:mm:ss)</c>: one invocation at a wall-clock time in the schedule's time zone.</summary>
public sealed class AtExpression : ScheduleExpression
{
    internal AtExpression(string text, DateTime local)
        : base(text) => Local = local;

    public DateTime Local { get; }

    public override bool IsOneTime => true;

    /// <summary>The one invocation; a time already past is invoked at once (at <paramref name="notBefore"/>).</summary>
    public override DateTimeOffset? NextInvocation(DateTimeOffset notBefore, DateTimeOffset anchor, TimeZoneInfo zone)
    {
        var when = ToUtc(Local, zone);
        return when >= notBefore ? when : notBefore;
    }
}

/// <summary><c>rate(value unit)</c>: every period from the anchor (StartDate, or creation: "starts invoking immediately").</summary>
public sealed class RateExpression : ScheduleExpression
{
    internal RateExpression(string text, TimeSpan period)
        : base(text) => Period = period;

    public TimeSpan Period { get; }

    public override DateTimeOffset? NextInvocation(DateTimeOffset notBefore, DateTimeOffset anchor, TimeZoneInfo zone)
    {
        if (anchor >= notBefore)
        {
            return anchor;
        }

        var periods = (long)Math.Ceiling((notBefore - anchor).Ticks / (double)Period.Ticks);
        return anchor + TimeSpan.FromTicks(Period.Ticks * periods);
    }
}

/// <summary>
/// <c>cron(minutes hours day-of-month month day-of-week year)</c> with AWS's wildcards: <c>, - * / ?</c>, and
/// <c>L</c>, <c>W</c>, <c>#</c>. Day-of-week runs 1-7 from SUN; one of day-of-month and day-of-week must be <c>?</c>.
/// </summary>
public sealed class CronExpression : ScheduleExpression
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _months;
    private readonly bool[] _years;
    private readonly string _dayOfMonth;
    private readonly string _dayOfWeek;

    private CronExpression(string text, bool[] minutes, bool[] hours, string dayOfMonth, bool[] months, string dayOfWeek, bool[] years)
        : base(text)
    {
        _minutes = minutes;
        _hours = hours;
        _dayOfMonth = dayOfMonth;
        _months = months;
        _dayOfWeek = dayOfWeek;
        _years = years;
    }

    internal static CronExpression ParseFields(string text, string body)
    {
        var fields = body.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            throw new ScheduleExpressionException($"A cron expression has six fields (minutes hours day-of-month month day-of-week year), not {fields.Length}.");
        }

        if ((fields[2] == "?") == (fields[4] == "?"))
        {
            throw new ScheduleExpressionException("Exactly one of day-of-month and day-of-week must be '?'.");
        }

        var expression = new CronExpression(
            text,
            Set(fields[0], 0, 59, null, "minutes"),
            Set(fields[1], 0, 23, null, "hours"),
            fields[2],
            Set(fields[3], 1, 12, MonthNames, "month"),
            fields[4],
            Set(fields[5], 1970, 2199, null, "year"));

        // Validate the day fields once against a sample month, so errors surface at creation.
        _ = expression.DaysOfMonth(2024, 1);
        _ = expression.DaysOfWeek(2024, 1);
        return expression;
    }

    public override DateTimeOffset? NextInvocation(DateTimeOffset notBefore, DateTimeOffset anchor, TimeZoneInfo zone)
    {
        // Invocations fall on whole minutes; start from the first whole minute at or after notBefore.
        var start = TimeZoneInfo.ConvertTime(notBefore, zone).DateTime;
        var day = start.Date;
        while (day.Year <= 2199)
        {
            if (day.Year < 1970 || !_years[day.Year - 1970])
            {
                day = new DateTime(day.Year + 1, 1, 1);
                continue;
            }

            if (!_months[day.Month - 1])
            {
                day = new DateTime(day.Year, day.Month, 1).AddMonths(1);
                continue;
            }

            var days = _dayOfMonth == "?" ? DaysOfWeek(day.Year, day.Month) : DaysOfMonth(day.Year, day.Month);
            if (days.Contains(day.Day))
            {
                for (var h = 0; h < 24; h++)
                {
                    if (!_hours[h])
                    {
                        continue;
                    }

                    for (var m = 0; m < 60; m++)
                    {
                        if (_minutes[m])
                        {
                            var utc = ToUtc(day.AddHours(h).AddMinutes(m), zone);
                            if (utc >= notBefore)
                            {
                                return utc;
                            }
                        }
                    }
                }
            }

            day = day.AddDays(1);
        }

        return null;
    }

    private HashSet<int> DaysOfMonth(int year, int month)
    {
        var last = DateTime.DaysInMonth(year, month);
        var result = new HashSet<int>();
        foreach (var part in _dayOfMonth.Split(','))
        {
            if (part == "L")
            {
                result.Add(last);
            }
            else if (part == "LW")
            {
                result.Add(NearestWeekday(year, month, last));
            }
            else if (part.EndsWith('W') && int.TryParse(part[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var w) && w is >= 1 and <= 31)
            {
                if (w <= last)
                {
                    result.Add(NearestWeekday(year, month, w));
                }
            }
            else
            {
                foreach (var d in Values(part, 1, 31, null, "day-of-month"))
                {
                    if (d <= last)
                    {
                        result.Add(d);
                    }
                }
            }
        }

        return result;
    }

    private HashSet<int> DaysOfWeek(int year, int month)
    {
        var last = DateTime.DaysInMonth(year, month);
        int WeekdayOf(int day) => (int)new DateTime(year, month, day).DayOfWeek + 1; // 1 = SUN
        var result = new HashSet<int>();
        foreach (var part in _dayOfWeek.Split(','))
        {
            if (part == "L")
            {
                // Alone, L is the last day of the week: Saturday.
                result.UnionWith(Enumerable.Range(1, last).Where(d => WeekdayOf(d) == 7));
            }
            else if (part.EndsWith('L'))
            {
                var weekday = Values(part[..^1], 1, 7, DayNames, "day-of-week").Single();
                result.Add(Enumerable.Range(1, last).Last(d => WeekdayOf(d) == weekday));
            }
            else if (part.Split('#') is [var dayPart, var nth])
            {
                var weekday = Values(dayPart, 1, 7, DayNames, "day-of-week").Single();
                if (!int.TryParse(nth, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 5)
                {
                    throw new ScheduleExpressionException($"'{part}': the number after # must be 1 to 5.");
                }

                var matches = Enumerable.Range(1, last).Where(d => WeekdayOf(d) == weekday).ToList();
                if (n <= matches.Count)
                {
                    result.Add(matches[n - 1]);
                }
            }
            else
            {
                var weekdays = Values(part, 1, 7, DayNames, "day-of-week").ToHashSet();
                result.UnionWith(Enumerable.Range(1, last).Where(d => weekdays.Contains(WeekdayOf(d))));
            }
        }

        return result;
    }

    private static int NearestWeekday(int year, int month, int day)
    {
        var date = new DateTime(year, month, day);
        return date.DayOfWeek switch
        {
            DayOfWeek.Saturday => day > 1 ? day - 1 : day + 2,
            DayOfWeek.Sunday => day < DateTime.DaysInMonth(year, month) ? day + 1 : day - 2,
            _ => day,
        };
    }

    private static bool[] Set(string field, int min, int max, string[]? names, string what)
    {
        var set = new bool[max - min + 1];
        foreach (var part in field.Split(','))
        {
            foreach (var v in Values(part, min, max, names, what))
            {
                set[v - min] = true;
            }
        }

        return set;
    }

    /// <summary>One comma-separated part: <c>*</c>, <c>?</c>, <c>n</c>, <c>a-b</c>, and <c>x/step</c> on any of them.</summary>
    private static IEnumerable<int> Values(string part, int min, int max, string[]? names, string what)
    {
        var step = 1;
        var range = part;
        if (part.Split('/') is [var r, var s])
        {
            if (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step <= 0)
            {
                throw new ScheduleExpressionException($"'{part}' in {what}: the increment must be a positive integer.");
            }

            range = r;
        }

        int from, to;
        if (range is "*" or "?")
        {
            (from, to) = (min, max);
        }
        else if (range.Split('-') is [var a, var b])
        {
            (from, to) = (Number(a, min, max, names, what), Number(b, min, max, names, what));
        }
        else
        {
            from = Number(range, min, max, names, what);
            to = step > 1 || part.Contains('/') ? max : from;
        }

        if (from > to)
        {
            throw new ScheduleExpressionException($"'{part}' in {what}: the range runs backwards.");
        }

        for (var v = from; v <= to; v += step)
        {
            yield return v;
        }
    }

    private static int Number(string text, int min, int max, string[]? names, string what)
    {
        if (names is not null && Array.IndexOf(names, text.ToUpperInvariant()) is var index and >= 0)
        {
            return index + 1;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ScheduleExpressionException($"'{text}' is not a valid {what} value ({min}-{max}).");
    }
}
