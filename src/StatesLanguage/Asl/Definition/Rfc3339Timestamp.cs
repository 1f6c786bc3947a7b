namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// The timestamps the States Language compares and waits for: "the RFC3339 profile of ISO 8601, with
/// the further restrictions that an uppercase T must separate the date and time portions, and an
/// uppercase Z must denote that a numeric time zone offset is not present" (AWS Step Functions
/// Developer Guide, Wait state, https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html;
/// the specification says the same of the Choice state's Timestamp operators).
/// </summary>
/// <remarks>
/// Parsed by hand rather than with <see cref="DateTimeOffset.TryParse(string, IFormatProvider, System.Globalization.DateTimeStyles, out DateTimeOffset)"/>
/// because RFC 3339's grammar and .NET's differ both ways: RFC 3339 section 5.6 allows any offset
/// hour from 00 to 23 (<c>time-numoffset = ("+" / "-") time-hour ":" time-minute</c>), where .NET stops at
/// +-14:00, and .NET accepts surrounding whitespace, which makes <c>"...Z\n"</c> a timestamp where the
/// grammar does not. Only ASCII digits count. aws-local-stepfunctions checks the same grammar (offset
/// hours 00-23). A leap second (<c>:60</c>) is refused, as before: an instant cannot hold it, and
/// neither the old parser nor aws-local-stepfunctions accepts it.
/// </remarks>
public static class Rfc3339Timestamp
{
    /// <summary>The shortest form: <c>YYYY-MM-DDTHH:MM:SSZ</c>.</summary>
    private const int MinimumLength = 20;

    /// <summary>
    /// Parses <paramref name="text"/> into the instant it names (offset zero), or returns false when it
    /// is not such a timestamp or names an instant outside what <see cref="DateTimeOffset"/> holds.
    /// </summary>
    public static bool TryParse(string text, out DateTimeOffset instant)
    {
        instant = default;
        var s = text.AsSpan();
        if (s.Length < MinimumLength || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
            || !TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day)
            || !TryDigits(s.Slice(11, 2), out var hour) || !TryDigits(s.Slice(14, 2), out var minute) || !TryDigits(s.Slice(17, 2), out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var i = 19;
        long fractionTicks = 0;
        if (s[i] == '.')
        {
            var start = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start)
            {
                return false;
            }

            fractionTicks = FractionTicks(s[start..i]);
        }

        if (!TryOffset(s[i..], out var offsetMinutes))
        {
            return false;
        }

        var utcTicks = new DateTime(year, month, day, hour, minute, second).Ticks + fractionTicks - (offsetMinutes * TimeSpan.TicksPerMinute);
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        instant = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return true;
    }

    /// <summary><c>Z</c>, or <c>+HH:MM</c> / <c>-HH:MM</c> with HH 00-23 and MM 00-59, and nothing after it.</summary>
    private static bool TryOffset(ReadOnlySpan<char> s, out int minutes)
    {
        minutes = 0;
        if (s is ['Z'])
        {
            return true;
        }

        if (s.Length != 6 || s[0] is not ('+' or '-') || s[3] != ':'
            || !TryDigits(s.Slice(1, 2), out var hours) || !TryDigits(s.Slice(4, 2), out var mins) || hours > 23 || mins > 59)
        {
            return false;
        }

        minutes = (s[0] == '-' ? -1 : 1) * ((hours * 60) + mins);
        return true;
    }

    /// <summary>
    /// The fraction of a second in 100 ns ticks, rounded on the eighth digit as .NET's own parser rounds
    /// it, so timestamps with more digits compare as they did.
    /// </summary>
    private static long FractionTicks(ReadOnlySpan<char> digits)
    {
        long ticks = 0;
        for (var d = 0; d < 7; d++)
        {
            ticks = (ticks * 10) + (d < digits.Length ? digits[d] - '0' : 0);
        }

        return digits.Length > 7 && digits[7] >= '5' ? ticks + 1 : ticks;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
