using System.Globalization;
using System.Text.Json;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;

namespace BlueGreen.Functions.EndOfSupport;

/// <summary>One version of DescribeClusterVersions, with its dates read.</summary>
public sealed record VersionDates(KubernetesVersion Version, string Text, DateTimeOffset? EndOfStandardSupport, DateTimeOffset? EndOfExtendedSupport, string? ReportedStatus)
{
    /// <summary>
    /// STANDARD_SUPPORT, EXTENDED_SUPPORT or UNSUPPORTED at <paramref name="now"/>: from the dates when EKS gives them
    /// (the status EKS reported was true when the scan read it, the dates stay true on any date), else the reported status.
    /// </summary>
    public string StatusAt(DateTimeOffset now) =>
        EndOfStandardSupport is { } std && EndOfExtendedSupport is { } ext
            ? now < std ? "STANDARD_SUPPORT" : now < ext ? "EXTENDED_SUPPORT" : "UNSUPPORTED"
            : ReportedStatus ?? "UNKNOWN";
}

/// <summary>
/// DescribeClusterVersions' ClusterVersions (botocore eks/2017-11-01: clusterVersion, endOfStandardSupportDate,
/// endOfExtendedSupportDate, versionStatus STANDARD_SUPPORT|EXTENDED_SUPPORT|UNSUPPORTED, and the deprecated status
/// standard-support|extended-support|unsupported), as Step Functions SDK integrations return them (PascalCase).
/// </summary>
public sealed class VersionCalendar
{
    private readonly List<VersionDates> _versions;

    private VersionCalendar(List<VersionDates> versions) => _versions = versions;

    public IReadOnlyList<VersionDates> Versions => _versions;

    public static VersionCalendar From(IEnumerable<ClusterVersionInformation>? versions)
    {
        var read = new List<VersionDates>();
        foreach (var v in versions ?? [])
        {
            if (KubernetesVersion.Parse(v.ClusterVersion) is not { } version || (v.ClusterType is { } type && type != "eks"))
            {
                continue;
            }
            var status = v.VersionStatus ?? v.Status switch
            {
                "standard-support" => "STANDARD_SUPPORT",
                "extended-support" => "EXTENDED_SUPPORT",
                "unsupported" => "UNSUPPORTED",
                _ => null,
            };
            read.Add(new VersionDates(version, v.ClusterVersion!, Date(v.EndOfStandardSupportDate), Date(v.EndOfExtendedSupportDate), status));
        }
        return new VersionCalendar([.. read.DistinctBy(v => v.Version).OrderBy(v => v.Version)]);
    }

    public VersionDates? Find(KubernetesVersion version) => _versions.FirstOrDefault(v => v.Version == version);

    /// <summary>The newest version in standard support at <paramref name="now"/>.</summary>
    public VersionDates? LatestStandard(DateTimeOffset now) => _versions.LastOrDefault(v => v.StatusAt(now) == "STANDARD_SUPPORT");

    /// <summary>
    /// A Timestamp member: Step Functions SDK integrations render it as an ISO-8601 string; the JSON protocol's
    /// epoch seconds are accepted too.
    /// </summary>
    public static DateTimeOffset? Date(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } s when Timestamps.TryParse(s.GetString(), out var d) => d,
        { ValueKind: JsonValueKind.Number } n when n.TryGetDouble(out var seconds) => DateTimeOffset.UnixEpoch.AddSeconds(seconds),
        _ => null,
    };

    public static string Day(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
