using BlueGreen.Functions.Common;

namespace BlueGreen.Functions.EndOfSupport;

/// <summary>
/// Spreads a profile's upgrades over its maintenance windows: at most <see cref="UpgradeProfile.MaxConcurrentUpgrades"/>
/// runs of one profile start in the same window occurrence (default 1: a profile's upgrade template names the same
/// listener rule, target groups and alarms for every cluster it matches, so two of its runs at once would move the same
/// traffic and read the same alarms). The scan decides cluster after cluster in ListClusters order and hands the slots
/// taken so far (the occupancy: "profile@slot start" to runs) to the next decision; <c>fleet report</c> does the same in
/// the same order, so both place every cluster alike. A cluster keeps the slot its schedule already has while that slot
/// is still valid and has room, so a daily scan does not move schedules around.
/// </summary>
public static class SlotSpreading
{
    /// <summary>The occupancy key of a slot of a profile: "shop-alb-canary@2026-11-24T01:00:00Z".</summary>
    public static string Key(string profileName, string slotStart) => $"{profileName}@{slotStart}";

    public static string Key(UpgradeProfile profile, Slot slot)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(slot);
        return Key(profile.Name, Timestamps.Format(slot.Start));
    }

    /// <summary>
    /// The first slot (and its <see cref="UpgradeProfile.RetryWindows"/> retry slots after it, all before
    /// <paramref name="finishBy"/>) whose start has room in <paramref name="occupancy"/>: the slot starting at
    /// <paramref name="preferredLocalStart"/> (the cluster's schedule) when it qualifies, else the earliest. Null when none does.
    /// </summary>
    public static IReadOnlyList<Slot>? Choose(UpgradeProfile profile, DateTimeOffset earliest, DateTimeOffset finishBy, IReadOnlyDictionary<string, int> occupancy, DateTime? preferredLocalStart = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(occupancy);
        var slots = MaintenanceSlots.Between(profile, earliest, finishBy).ToList();
        var preferred = preferredLocalStart is { } local ? slots.FindIndex(s => s.LocalStart == local) : -1;
        var order = preferred >= 0 ? Enumerable.Range(0, slots.Count).Where(i => i != preferred).Prepend(preferred) : Enumerable.Range(0, slots.Count);
        foreach (var first in order)
        {
            if (occupancy.GetValueOrDefault(Key(profile, slots[first])) >= profile.MaxConcurrentUpgrades)
            {
                continue;
            }
            if (ChainFrom(slots, first, profile.RetryWindows) is { } chain)
            {
                return chain;
            }
        }
        return null;
    }

    /// <summary>
    /// Over the cap: of the slots that still leave the retry slots before <paramref name="finishBy"/>, the one with the
    /// fewest runs in <paramref name="occupancy"/> (the earliest of those). Null when no slot leaves them.
    /// </summary>
    public static IReadOnlyList<Slot>? LeastOccupied(UpgradeProfile profile, DateTimeOffset earliest, DateTimeOffset finishBy, IReadOnlyDictionary<string, int> occupancy)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(occupancy);
        var slots = MaintenanceSlots.Between(profile, earliest, finishBy).ToList();
        return Enumerable.Range(0, slots.Count)
            .Select(i => ChainFrom(slots, i, profile.RetryWindows))
            .OfType<List<Slot>>()
            .OrderBy(chain => occupancy.GetValueOrDefault(Key(profile, chain[0])))
            .ThenBy(chain => chain[0].Start)
            .FirstOrDefault();
    }

    /// <summary><paramref name="occupancy"/> with one more run in <paramref name="key"/>'s slot.</summary>
    public static IReadOnlyDictionary<string, int> With(IReadOnlyDictionary<string, int> occupancy, string key)
    {
        ArgumentNullException.ThrowIfNull(occupancy);
        var next = new SortedDictionary<string, int>(occupancy.ToDictionary(), StringComparer.Ordinal);
        next[key] = next.GetValueOrDefault(key) + 1;
        return next;
    }

    /// <summary>The slot at <paramref name="first"/> and the next <paramref name="retries"/> slots, each after the previous ends.</summary>
    private static List<Slot>? ChainFrom(List<Slot> slots, int first, int retries)
    {
        var chain = new List<Slot> { slots[first] };
        for (var i = first + 1; i < slots.Count && chain.Count <= retries; i++)
        {
            if (slots[i].Start >= chain[^1].End)
            {
                chain.Add(slots[i]);
            }
        }
        return chain.Count == retries + 1 ? chain : null;
    }
}
