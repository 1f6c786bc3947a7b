namespace BlueGreen.Functions.EndOfSupport;

/// <summary>One placement of a run: a window occurrence, in UTC and as the wall-clock time of the profile's zone.</summary>
/// <param name="LocalStart">The window's start as the zone's wall clock (what Scheduler's at() expression takes).</param>
public sealed record Slot(DateTimeOffset Start, DateTimeOffset End, DateTime LocalStart);

/// <summary>
/// Enumerates maintenance-window occurrences in a profile's IANA time zone. Starts are wall-clock times, so a 10:00
/// window stays at 10:00 local across daylight-saving changes; a start that falls in a transition (a skipped hour,
/// or a repeated one) is not used that day, because which instant it means is ambiguous for Scheduler as well.
/// Window lengths are elapsed hours. A slot that touches a freeze date (local) is skipped.
/// </summary>
public static class MaintenanceSlots
{
    public static IEnumerable<Slot> Between(UpgradeProfile profile, DateTimeOffset earliest, DateTimeOffset latestEnd)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var zone = profile.TimeZone;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(earliest, zone).DateTime);
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(latestEnd, zone).DateTime);
        for (; day <= lastDay; day = day.AddDays(1))
        {
            var slots = new List<Slot>();
            foreach (var window in profile.Windows.Where(w => w.Days.Contains(day.DayOfWeek)))
            {
                var local = day.ToDateTime(window.Start, DateTimeKind.Unspecified);
                if (zone.IsInvalidTime(local) || zone.IsAmbiguousTime(local))
                {
                    continue;
                }
                var start = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
                var end = start.AddHours(window.Hours);
                if (start < earliest || end > latestEnd || TouchesFreeze(profile, local, TimeZoneInfo.ConvertTime(end, zone).DateTime))
                {
                    continue;
                }
                slots.Add(new Slot(start, end, local));
            }
            foreach (var slot in slots.OrderBy(s => s.Start))
            {
                yield return slot;
            }
        }
    }

    private static bool TouchesFreeze(UpgradeProfile profile, DateTime localStart, DateTime localEnd) =>
        profile.Freezes.Any(f => localStart < f.To.AddDays(1).ToDateTime(TimeOnly.MinValue) && localEnd > f.From.ToDateTime(TimeOnly.MinValue));
}
