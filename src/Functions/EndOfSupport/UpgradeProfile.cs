using System.Text.Json;

namespace BlueGreen.Functions.EndOfSupport;

/// <summary>What the scan does for the clusters a profile matches.</summary>
public static class ScheduleModes
{
    /// <summary>Nothing: schedules this scan made for the cluster are deleted.</summary>
    public const string Off = "off";
    /// <summary>Report the slot in the digest but create no schedule.</summary>
    public const string Notify = "notify";
    /// <summary>Create (or move) a one-time schedule that starts the upgrade in the slot.</summary>
    public const string Schedule = "schedule";

    public static IReadOnlyList<string> All { get; } = [Off, Notify, Schedule];
}

/// <summary>How the target version is chosen: "latest-standard", "next-minor", or a pinned minor version ("1.35").</summary>
public static class TargetPolicies
{
    public const string LatestStandard = "latest-standard";
    public const string NextMinor = "next-minor";
}

/// <summary>
/// An upgrade profile (profiles/*.json, schema profiles/profile.schema.json): everything an upgrade input needs except
/// the cluster and the version, plus when and how the end-of-support scan schedules the upgrade.
/// </summary>
/// <param name="Upgrade">The upgrade input without clusterName, targetVersion and requestedBy (checked by PlanUpgrade's own validation).</param>
public sealed record UpgradeProfile(
    string Name,
    ProfileMatch Match,
    string Schedule,
    string Target,
    int LeadDays,
    int HorizonDays,
    string TimeZoneId,
    TimeZoneInfo TimeZone,
    IReadOnlyList<MaintenanceWindow> Windows,
    IReadOnlyList<Freeze> Freezes,
    int RetryWindows,
    int RunHours,
    bool ApprovalRequired,
    JsonElement Upgrade)
{
    /// <summary>At most this many runs of this profile start in the same window occurrence (default 1; see <see cref="SlotSpreading"/>).</summary>
    public int MaxConcurrentUpgrades { get; init; } = 1;

    /// <summary>The pinned version, or null for latest-standard / next-minor.</summary>
    public Common.KubernetesVersion? PinnedVersion =>
        Target is TargetPolicies.LatestStandard or TargetPolicies.NextMinor ? null : Common.KubernetesVersion.Parse(Target);
}

/// <summary>
/// Which clusters a profile applies to: any of the name patterns ('*' and '?' wildcards) and every tag, and, when
/// versions are listed, only clusters at one of them. At least one of names and tags is given.
/// </summary>
public sealed record ProfileMatch(IReadOnlyList<string> ClusterNames, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Versions);

/// <summary>A weekly window: on each of <paramref name="Days"/>, from <paramref name="Start"/> (local time) for <paramref name="Hours"/> hours.</summary>
public sealed record MaintenanceWindow(IReadOnlyList<DayOfWeek> Days, TimeOnly Start, int Hours);

/// <summary>No upgrade may run on these local dates (inclusive).</summary>
public sealed record Freeze(DateOnly From, DateOnly To, string? Reason);
