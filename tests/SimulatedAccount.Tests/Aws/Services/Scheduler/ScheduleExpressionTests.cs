using System.Globalization;
using BlueGreen.Simulator.Aws.Services.Scheduler;

namespace BlueGreen.Simulator.Tests.Aws.Services.Scheduler;

public sealed class ScheduleExpressionTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero); // a Monday

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>The next <paramref name="count"/> invocations after <see cref="Created"/>.</summary>
    private static List<string> Invocations(string expression, int count, string zone = "UTC")
    {
        var parsed = ScheduleExpression.Parse(expression);
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var list = new List<string>();
        var notBefore = Created.AddTicks(1);
        while (list.Count < count && parsed.NextInvocation(notBefore, Created, tz) is { } next)
        {
            list.Add(next.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            notBefore = next.AddTicks(1);
        }

        return list;
    }

    [Theory]
    [InlineData("cron(0 10 * * ? *)", "UTC", "2026-11-23 10:00,2026-11-24 10:00,2026-11-25 10:00")]
    [InlineData("cron(0/20 9 * * ? *)", "UTC", "2026-11-23 09:20,2026-11-23 09:40,2026-11-24 09:00")]
    [InlineData("cron(30 8 ? * MON-FRI *)", "UTC", "2026-11-24 08:30,2026-11-25 08:30,2026-11-26 08:30,2026-11-27 08:30,2026-11-30 08:30")]
    [InlineData("cron(0 0 L * ? *)", "UTC", "2026-11-30 00:00,2026-12-31 00:00,2027-01-31 00:00,2027-02-28 00:00")]
    [InlineData("cron(0 12 ? * 6L *)", "UTC", "2026-11-27 12:00,2026-12-25 12:00")]
    [InlineData("cron(0 12 ? * 2#1 *)", "UTC", "2026-12-07 12:00,2027-01-04 12:00")]
    [InlineData("cron(0 12 1W * ? *)", "UTC", "2026-12-01 12:00,2027-01-01 12:00,2027-02-01 12:00,2027-03-01 12:00,2027-04-01 12:00,2027-05-03 12:00")]
    [InlineData("cron(0 9 1 JAN,JUL ? 2027-2028)", "UTC", "2027-01-01 09:00,2027-07-01 09:00,2028-01-01 09:00,2028-07-01 09:00")]
    [InlineData("cron(0 9 * * ? *)", "Asia/Seoul", "2026-11-24 00:00,2026-11-25 00:00")]
    public void Cron_NextInvocations(string expression, string zone, string expected) =>
        Assert.Equal(expected.Split(','), Invocations(expression, expected.Split(',').Length, zone));

    [Fact]
    public void Cron_DaylightSaving_KeepsTheWallClockTime_AndRunsSkippedTimesAfterTheJump()
    {
        var expression = ScheduleExpression.Parse("cron(30 2 * * ? *)");
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        // 2027-03-14: clocks jump from 02:00 to 03:00 EST->EDT, so 02:30 does not exist that day.
        var beforeJump = expression.NextInvocation(Utc("2027-03-13T00:00:00Z"), Created, zone);
        var onJump = expression.NextInvocation(beforeJump!.Value.AddTicks(1), Created, zone);
        var afterJump = expression.NextInvocation(onJump!.Value.AddTicks(1), Created, zone);

        Assert.Equal(Utc("2027-03-13T07:30:00Z"), beforeJump); // 02:30 EST
        Assert.Equal(Utc("2027-03-14T07:30:00Z"), onJump);     // 03:30 EDT, just after the jump
        Assert.Equal(Utc("2027-03-15T06:30:00Z"), afterJump);  // 02:30 EDT
    }

    [Fact]
    public void At_IsOneTimeInItsTimeZone_AndAPastTimeRunsAtOnce()
    {
        var at = ScheduleExpression.Parse("at(2026-11-24T18:00:00)");
        var seoul = TimeZoneInfo.FindSystemTimeZoneById("Asia/Seoul");

        Assert.True(at.IsOneTime);
        Assert.Equal(Utc("2026-11-24T09:00:00Z"), at.NextInvocation(Created, Created, seoul));
        Assert.Equal(Created.AddDays(3), at.NextInvocation(Created.AddDays(3), Created, seoul));
    }

    [Fact]
    public void Rate_RunsFromTheAnchorEveryPeriod()
    {
        var rate = ScheduleExpression.Parse("rate(15 minutes)");

        Assert.Equal(Created, rate.NextInvocation(Created, Created, TimeZoneInfo.Utc));
        Assert.Equal(Created.AddMinutes(45), rate.NextInvocation(Created.AddMinutes(31), Created, TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("cron(0 9 * * * *)", "Exactly one of day-of-month and day-of-week")]
    [InlineData("cron(0 9 ? * ? *)", "Exactly one of day-of-month and day-of-week")]
    [InlineData("cron(0 25 * * ? *)", "not a valid hours value")]
    [InlineData("cron(0 9 * * ?)", "six fields")]
    [InlineData("cron(0 9 * * ? 1960)", "not a valid year value")]
    [InlineData("rate(0 minutes)", "positive integer")]
    [InlineData("rate(5 weeks)", "Use at(")]
    [InlineData("at(2026-02-30T10:00:00)", "not a valid date")]
    [InlineData("every day", "Use at(")]
    public void Parse_InvalidExpressions_SayWhy(string expression, string reason)
    {
        var error = Assert.Throws<ScheduleExpressionException>(() => ScheduleExpression.Parse(expression));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ForEventBridgeRules_RejectsAtAndEnforcesUnitNumber()
    {
        Assert.Throws<ScheduleExpressionException>(() => ScheduleExpression.Parse("at(2026-12-01T00:00:00)", forRule: true));
        Assert.Throws<ScheduleExpressionException>(() => ScheduleExpression.Parse("rate(5 minute)", forRule: true));
        Assert.IsType<RateExpression>(ScheduleExpression.Parse("rate(1 minute)", forRule: true));
        Assert.IsType<RateExpression>(ScheduleExpression.Parse("rate(1 minutes)"));
    }
}
