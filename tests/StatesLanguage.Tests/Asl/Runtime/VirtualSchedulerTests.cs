using BlueGreen.Simulator.Asl.Runtime;

namespace BlueGreen.Simulator.Tests.Asl.Runtime;

public class VirtualSchedulerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Run_InterleavesDelaysInVirtualTimeOrder()
    {
        using var scheduler = new VirtualScheduler(Start);
        var log = new List<string>();

        async Task Actor(string name, int seconds, int repeats)
        {
            for (var i = 0; i < repeats; i++)
            {
                await scheduler.Delay(TimeSpan.FromSeconds(seconds));
                log.Add($"{name}@{(scheduler.Now - Start).TotalSeconds}");
            }
        }

        scheduler.Run(() => Task.WhenAll(Actor("wait300", 300, 2), Actor("cluster540", 540, 1), Actor("poll30", 30, 3)));

        Assert.Equal(["poll30@30", "poll30@60", "poll30@90", "wait300@300", "cluster540@540", "wait300@600"], log);
    }

    [Fact]
    public void Delay_OfADay_CostsNoRealTime()
    {
        using var scheduler = new VirtualScheduler(Start);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        scheduler.Run(() => scheduler.Delay(TimeSpan.FromHours(24)));

        Assert.Equal(Start.AddHours(24), scheduler.Now);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Delay_Cancelled_DoesNotMoveTheClock()
    {
        using var scheduler = new VirtualScheduler(Start);
        using var cts = new CancellationTokenSource();

        scheduler.Run(async () =>
        {
            var longWait = scheduler.Delay(TimeSpan.FromHours(1), cts.Token);
            await scheduler.Delay(TimeSpan.FromSeconds(10));
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => longWait);
        });

        Assert.Equal(Start.AddSeconds(10), scheduler.Now);
    }

    [Fact]
    public void External_HoldsTheClockWhileRealWorkRuns()
    {
        using var scheduler = new VirtualScheduler(Start);
        var observed = DateTimeOffset.MinValue;

        scheduler.Run(async () =>
        {
            var timer = scheduler.Delay(TimeSpan.FromSeconds(1));
            observed = await scheduler.External(Task.Run(async () =>
            {
                await Task.Delay(50);
                return scheduler.Now;
            }));
            await timer;
        });

        Assert.Equal(Start, observed);
        Assert.Equal(Start.AddSeconds(1), scheduler.Now);
    }
}
