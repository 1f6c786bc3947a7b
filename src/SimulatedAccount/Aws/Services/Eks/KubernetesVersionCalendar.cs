using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>One Kubernetes minor version as Amazon EKS offers it.</summary>
/// <param name="Version">The minor version, <c>1.32</c>.</param>
/// <param name="UpstreamRelease">When the Kubernetes project released it.</param>
/// <param name="Release">When Amazon EKS released it (standard support starts).</param>
/// <param name="EndOfStandardSupport">Extended support starts (billing for it starts at 00:00 UTC that day).</param>
/// <param name="EndOfExtendedSupport">The version can no longer be used for new clusters.</param>
/// <param name="PatchVersion">The Kubernetes patch EKS runs (<c>kubernetesPatchVersion</c>).</param>
/// <param name="PlatformVersion">The default EKS platform version (<c>eks.34</c>).</param>
public sealed record KubernetesVersionInfo(
    string Version,
    DateTimeOffset UpstreamRelease,
    DateTimeOffset Release,
    DateTimeOffset EndOfStandardSupport,
    DateTimeOffset EndOfExtendedSupport,
    string PatchVersion,
    string PlatformVersion)
{
    /// <summary>The minor number (<c>32</c> for 1.32), for comparisons.</summary>
    public int Minor => KubernetesVersionCalendar.MinorOf(Version) ?? 0;

    public bool IsReleased(DateTimeOffset now) => now >= Release;

    /// <summary><c>versionStatus</c>: STANDARD_SUPPORT, EXTENDED_SUPPORT or UNSUPPORTED at <paramref name="now"/>.</summary>
    public string VersionStatus(DateTimeOffset now) =>
        now < EndOfStandardSupport ? "STANDARD_SUPPORT" : now < EndOfExtendedSupport ? "EXTENDED_SUPPORT" : "UNSUPPORTED";

    /// <summary>The deprecated <c>status</c> member, with the model's lower-case values.</summary>
    public string LegacyStatus(DateTimeOffset now) => VersionStatus(now) switch
    {
        "STANDARD_SUPPORT" => "standard-support",
        "EXTENDED_SUPPORT" => "extended-support",
        _ => "unsupported",
    };
}

/// <summary>
/// The Amazon EKS Kubernetes release calendar behind DescribeClusterVersions and CreateCluster, with support
/// statuses computed from the virtual date.
/// </summary>
/// <remarks>
/// Dates (UTC) from the "Amazon EKS Kubernetes release calendar" table of the Amazon EKS User Guide,
/// <c>docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html</c> (source:
/// github.com/awsdocs/amazon-eks-user-guide, latest/ug/versioning/kubernetes-versions.adoc) for 1.28 to 1.34.
/// 1.35 (EKS release January 27, 2026; end of standard support March 27, 2027; end of extended support
/// March 27, 2028) is from endoflife.date/amazon-eks, consistent with the guide's rule of 14 months of
/// standard plus 12 months of extended support. Default platform versions are the latest EKS platform
/// versions listed there in early 2026; patch versions are representative. A world may add or replace
/// versions (section <c>eks.versions</c>).
/// </remarks>
public sealed class KubernetesVersionCalendar
{
    private static readonly KubernetesVersionInfo[] Published =
    [
        V("1.28", "2023-08-15", "2023-09-26", "2024-11-26", "2025-11-26", "1.28.15", "eks.58"),
        V("1.29", "2023-12-13", "2024-01-23", "2025-03-23", "2026-03-23", "1.29.15", "eks.61"),
        V("1.30", "2024-04-17", "2024-05-23", "2025-07-23", "2026-07-23", "1.30.14", "eks.58"),
        V("1.31", "2024-08-13", "2024-09-26", "2025-11-26", "2026-11-26", "1.31.13", "eks.50"),
        V("1.32", "2024-12-11", "2025-01-23", "2026-03-23", "2027-03-23", "1.32.9", "eks.34"),
        V("1.33", "2025-04-23", "2025-05-29", "2026-07-29", "2027-07-29", "1.33.5", "eks.27"),
        V("1.34", "2025-08-27", "2025-10-02", "2026-12-02", "2027-12-02", "1.34.1", "eks.13"),
        V("1.35", "2025-12-17", "2026-01-27", "2027-03-27", "2028-03-27", "1.35.0", "eks.3"),
    ];

    private readonly SortedDictionary<int, KubernetesVersionInfo> _versions = new();

    public KubernetesVersionCalendar()
    {
        foreach (var v in Published)
        {
            _versions[v.Minor] = v;
        }
    }

    /// <summary>Forces the default version (otherwise the newest released one).</summary>
    public string? DefaultVersionOverride { get; set; }

    /// <summary>Every known version, oldest first, released or not.</summary>
    public IEnumerable<KubernetesVersionInfo> All => _versions.Values;

    public void AddOrReplace(KubernetesVersionInfo info) => _versions[info.Minor] = info;

    public KubernetesVersionInfo? Find(string version) =>
        MinorOf(version) is { } minor && _versions.TryGetValue(minor, out var info) && info.Version == version ? info : null;

    /// <summary>Versions released by <paramref name="now"/>, newest first (the order DescribeClusterVersions uses).</summary>
    public IEnumerable<KubernetesVersionInfo> Released(DateTimeOffset now) => _versions.Values.Where(v => v.IsReleased(now)).Reverse();

    /// <summary>The version CreateCluster uses when none is given, and the one flagged <c>defaultVersion</c>.</summary>
    public KubernetesVersionInfo? DefaultVersion(DateTimeOffset now) =>
        (DefaultVersionOverride is { } forced ? Find(forced) : null) ?? Released(now).FirstOrDefault();

    /// <summary>True when a new cluster may be created at <paramref name="version"/> now (released, not past extended support).</summary>
    public bool CanCreate(string version, DateTimeOffset now) =>
        Find(version) is { } v && v.IsReleased(now) && v.VersionStatus(now) != "UNSUPPORTED";

    /// <summary>The minor number of <c>1.NN</c>, or null when the text is not such a version.</summary>
    public static int? MinorOf(string version)
    {
        var parts = version.Split('.');
        return parts.Length == 2 && parts[0] == "1" && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor) ? minor : null;
    }

    public static KubernetesVersionInfo Parse(JObject o, Func<string, Exception> problem)
    {
        string Required(string key) => o.GetString(key) ?? throw problem($"eks.versions[]: '{key}' is required");
        DateTimeOffset Date(string key) => DateTimeOffset.TryParse(Required(key), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
            ? d
            : throw problem($"eks.versions[]: '{key}' is not a date");
        var version = Required("version");
        if (MinorOf(version) is null)
        {
            throw problem($"eks.versions[]: '{version}' is not a Kubernetes minor version (1.NN)");
        }

        var release = Date("releaseDate");
        return new KubernetesVersionInfo(
            version,
            o.GetString("upstreamReleaseDate") is null ? release : Date("upstreamReleaseDate"),
            release,
            Date("endOfStandardSupportDate"),
            Date("endOfExtendedSupportDate"),
            o.GetString("kubernetesPatchVersion") ?? version + ".0",
            o.GetString("defaultPlatformVersion") ?? "eks.1");
    }

    private static KubernetesVersionInfo V(string version, string upstream, string release, string endStandard, string endExtended, string patch, string platform) =>
        new(version, Day(upstream), Day(release), Day(endStandard), Day(endExtended), patch, platform);

    private static DateTimeOffset Day(string date) => DateTimeOffset.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
