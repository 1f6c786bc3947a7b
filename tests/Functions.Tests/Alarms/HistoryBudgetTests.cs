using BlueGreen.Functions.Alarms;

namespace BlueGreen.Functions.Tests.Alarms;

public class HistoryBudgetTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2025-06-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static IReadOnlyList<AlarmToRead> Reads(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new AlarmToRead { Name = $"alarm-{i}", ChangedAt = null })];

    [Theory]
    [InlineData(30, 2)]      // the default poll: at most 3 changes, one page and one spare
    [InlineData(250, 2)]
    [InlineData(251, 3)]
    [InlineData(3600, 16)]   // a one-hour poll: 360 changes at most
    public void Plan_AllowsOneChangePerTenSecondsSinceQuietSincePlusAPage(int seconds, int pages)
    {
        var planned = HistoryBudget.Plan(Reads(1), Now.AddSeconds(-seconds), Now);

        Assert.Equal(pages, Assert.Single(planned).MaxPages);
    }

    [Fact]
    public void Plan_ManyAlarmsShareTheEventBudget()
    {
        // 10 alarms over a 4-hour approval wait: the span would allow 59 pages each, the finalize budget of 3,000
        // events 9: (3,000 / 10 - 10) / 32.
        var planned = HistoryBudget.Plan(Reads(10), Now.AddHours(-4), Now, 3_000);

        Assert.All(planned, r => Assert.Equal(9, r.MaxPages));
        Assert.True(HistoryBudget.Cost(planned) <= 3_000);
    }

    [Fact]
    public void Plan_EveryAlarmGetsAtLeastOnePage()
    {
        var planned = HistoryBudget.Plan(Reads(100), Now.AddHours(-4), Now, 3_000);

        Assert.All(planned, r => Assert.Equal(1, r.MaxPages));
        Assert.Equal(4_200, HistoryBudget.Cost(planned));
    }

    [Fact]
    public void Cost_IsTheWorstCaseOfEveryPageReadTwice()
    {
        var planned = HistoryBudget.Plan(Reads(2), Now.AddSeconds(-10), Now);

        Assert.Equal(2 * (10 + (32 * 2)), HistoryBudget.Cost(planned));
        Assert.Equal(0, HistoryBudget.Cost([]));
    }
}
