using System.Text.Json.Nodes;
using BlueGreen.Functions.EndOfSupport;
using static BlueGreen.Functions.Tests.EndOfSupport.Fleet;

namespace BlueGreen.Functions.Tests.EndOfSupport;

public class MaintenanceSlotsTests
{
    private static UpgradeProfile InZone(string zone, string days, string start, JsonArray? freezes = null) => Shop(p =>
    {
        p["timeZone"] = zone;
        p["windows"] = JsonNode.Parse($$"""[{"days":[{{days}}],"start":"{{start}}","hours":4}]""");
        p["freezes"] = freezes ?? [];
    });

    private static List<Slot> Slots(UpgradeProfile profile, string from, string until) =>
        [.. MaintenanceSlots.Between(profile, At(from), At(until))];

    [Fact]
    public void Seoul_HasNoDaylightSaving_SoTenAmIsAlwaysOneUtc()
    {
        var slots = Slots(InZone("Asia/Seoul", "\"SUN\"", "10:00"), "2026-03-01T00:00:00Z", "2026-11-30T00:00:00Z");

        Assert.All(slots, s => Assert.Equal(1, s.Start.UtcDateTime.Hour));
        Assert.Equal(40, slots.Count);
    }

    [Fact]
    public void NewYork_WallClockStartStaysAtTenAcrossTheFallBack()
    {
        var slots = Slots(InZone("America/New_York", "\"SUN\"", "10:00"), "2026-10-24T00:00:00Z", "2026-11-09T00:00:00Z");

        Assert.Equal([At("2026-10-25T14:00:00Z"), At("2026-11-01T15:00:00Z"), At("2026-11-08T15:00:00Z")], slots.Select(s => s.Start));
        Assert.All(slots, s => Assert.Equal(10, s.LocalStart.Hour));
    }

    [Fact]
    public void StartInTheSkippedSpringForwardHour_IsNotUsedThatDay()
    {
        // 2027-03-14 02:30 does not exist in New York (clocks jump from 02:00 to 03:00).
        var slots = Slots(InZone("America/New_York", "\"SUN\"", "02:30"), "2027-03-13T00:00:00Z", "2027-03-25T00:00:00Z");

        var slot = Assert.Single(slots);
        Assert.Equal(new DateTime(2027, 3, 21, 2, 30, 0), slot.LocalStart);
        Assert.Equal(At("2027-03-21T06:30:00Z"), slot.Start);
    }

    [Fact]
    public void StartInTheRepeatedFallBackHour_IsNotUsedThatDay()
    {
        // 2026-11-01 01:30 happens twice in New York; which one Scheduler would pick is not ours to guess.
        var slots = Slots(InZone("America/New_York", "\"SUN\"", "01:30"), "2026-10-31T00:00:00Z", "2026-11-12T00:00:00Z");

        var slot = Assert.Single(slots);
        Assert.Equal(At("2026-11-08T06:30:00Z"), slot.Start);
    }

    [Fact]
    public void WindowLength_IsElapsedHours_EvenAcrossATransition()
    {
        // 00:30 + 4 h on the spring-forward night in Berlin (2027-03-28) ends at 05:30 local, 4 real hours later.
        var slot = Assert.Single(Slots(InZone("Europe/Berlin", "\"SUN\"", "00:30"), "2027-03-27T00:00:00Z", "2027-04-01T00:00:00Z"));

        Assert.Equal(TimeSpan.FromHours(4), slot.End - slot.Start);
        Assert.Equal(At("2027-03-27T23:30:00Z"), slot.Start);
    }

    [Fact]
    public void WindowRunningIntoAFreezeDay_IsSkipped()
    {
        // Thursday 22:00 + 4 h ends on Friday, the freeze's first day.
        var freeze = new JsonArray(JsonNode.Parse("""{"from":"2026-12-18","to":"2026-12-20"}"""));
        var slots = Slots(InZone("Asia/Seoul", "\"THU\",\"MON\"", "22:00", freeze), "2026-12-15T00:00:00Z", "2026-12-23T00:00:00Z");

        Assert.Equal([new DateTime(2026, 12, 21, 22, 0, 0)], slots.Select(s => s.LocalStart));
    }

    [Fact]
    public void FreezeDates_AreTheProfilesLocalDates()
    {
        // Monday 2026-12-21 08:00 in Seoul is Sunday 23:00 UTC: the freeze on the 21st (Seoul) covers it.
        var freeze = new JsonArray(JsonNode.Parse("""{"from":"2026-12-21","to":"2026-12-21"}"""));
        var slots = Slots(InZone("Asia/Seoul", "\"MON\"", "08:00", freeze), "2026-12-19T00:00:00Z", "2026-12-29T00:00:00Z");

        Assert.Equal([new DateTime(2026, 12, 28, 8, 0, 0)], slots.Select(s => s.LocalStart));
    }

    [Fact]
    public void SlotEndingAfterTheFinishBy_IsNotOffered()
    {
        var slots = Slots(InZone("UTC", "\"MON\"", "10:00"), "2026-12-07T00:00:00Z", "2026-12-07T13:59:00Z");

        Assert.Empty(slots);
    }

    [Theory]
    [InlineData("shop-blue", "1.35", "eos.shop-blue.1.35")]
    [InlineData("a", "1.9", "eos.a.1.9")]
    public void ScheduleName_IsPrefixClusterTarget(string cluster, string target, string expected) =>
        Assert.Equal(expected, ScheduleNames.For(cluster, target));

    [Fact]
    public void ScheduleName_ForAHundredCharacterCluster_IsTheMd5OfTheName_AndFitsSchedulersRules()
    {
        var longName = new string('c', 60) + "-" + new string('d', 39);
        var other = new string('c', 60) + "-" + new string('e', 39);

        var name = ScheduleNames.For(longName, "1.35");

#pragma warning disable CA5351 // the name's hash, as States.Hash(name, 'MD5') computes it
        var md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(longName)));
#pragma warning restore CA5351
        Assert.Equal($"eos._{md5}.1.35", name);
        Assert.True(name.Length <= 64, name);
        Assert.Matches("^[0-9a-zA-Z-_.]+$", name);
        Assert.Equal(name, ScheduleNames.For(longName, "1.35"));
        Assert.NotEqual(name, ScheduleNames.For(other, "1.35"));
        Assert.StartsWith(ScheduleNames.ClusterPrefix(longName), name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(54, false)]
    [InlineData(55, true)]
    public void ScheduleName_IsReadableUpTo54Characters_WithTheLongestTarget(int length, bool hashed)
    {
        var cluster = new string('a', length);

        var name = ScheduleNames.For(cluster, "1.100");

        Assert.True(name.Length <= ScheduleNames.MaxLength, name);
        Assert.Equal(hashed, name.StartsWith("eos._", StringComparison.Ordinal));
    }
}
