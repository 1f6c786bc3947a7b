using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// What EKS says about Kubernetes versions (DescribeClusterVersions, from the world's <see cref="KubernetesVersionCalendar"/>)
/// and about a cluster's readiness for the next one (ListInsights, DescribeInsight).
/// </summary>
internal sealed class EksVersionsAndInsights(EksStore store) : EksResource(store)
{
    public JObject DescribeClusterVersions(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var clusterType = p.OptionalString("ClusterType") ?? "eks";
        var includeAll = p.OptionalBool("IncludeAll") ?? false;
        var defaultOnly = p.OptionalBool("DefaultOnly") ?? false;
        var wanted = p.Strings("ClusterVersions");
        var versionStatus = p.OptionalString("VersionStatus");
        var legacyStatus = p.OptionalString("Status");
        var defaultVersion = Calendar.DefaultVersion(Now)?.Version;
        var versions = clusterType != "eks"
            ? []
            : Calendar.Released(Now)
                .Where(v => includeAll || v.VersionStatus(Now) != "UNSUPPORTED" || wanted.Contains(v.Version))
                .Where(v => !defaultOnly || v.Version == defaultVersion)
                .Where(v => wanted.Count == 0 || wanted.Contains(v.Version))
                .Where(v => versionStatus is null || v.VersionStatus(Now) == versionStatus)
                .Where(v => legacyStatus is null || v.LegacyStatus(Now) == legacyStatus)
                .ToList();
        var (page, next) = EksWire.Page(versions, p.OptionalInt("MaxResults"), p.OptionalString("NextToken"), "versions", Invalid);
        return WithNextToken(JObject.Of(("ClusterVersions", JArray.From(page.Select(v => (JValue)JObject.Of(
            ("ClusterVersion", v.Version),
            ("ClusterType", "eks"),
            ("DefaultPlatformVersion", v.PlatformVersion),
            ("DefaultVersion", v.Version == defaultVersion),
            ("ReleaseDate", EksWire.Timestamp(v.Release)),
            ("EndOfStandardSupportDate", EksWire.Timestamp(v.EndOfStandardSupport)),
            ("EndOfExtendedSupportDate", EksWire.Timestamp(v.EndOfExtendedSupport)),
            ("Status", v.LegacyStatus(Now)),
            ("VersionStatus", v.VersionStatus(Now)),
            ("KubernetesPatchVersion", v.PatchVersion)))))), next);
    }

    public JObject ListInsights(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        var filter = p.OptionalObject("Filter") ?? JObject.Empty;
        var categories = EksWire.ReadStrings(filter.GetArray("Categories"));
        var versions = EksWire.ReadStrings(filter.GetArray("KubernetesVersions"));
        var statuses = EksWire.ReadStrings(filter.GetArray("Statuses"));
        var matching = cluster.Insights
            .Where(i => (categories.Count == 0 || categories.Contains(i.Category))
                && (versions.Count == 0 || versions.Contains(i.KubernetesVersion))
                && (statuses.Count == 0 || statuses.Contains(i.Status)))
            .ToList();
        var (page, next) = EksWire.Page(matching, p.OptionalInt("MaxResults"), p.OptionalString("NextToken"), "insights", Invalid);
        return WithNextToken(JObject.Of(("Insights", JArray.From(page.Select(i => (JValue)i.ToSummaryJson())))), next);
    }

    public JObject DescribeInsight(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var cluster = RequireCluster(p.RequiredString("ClusterName"));
        var id = p.RequiredString("Id");
        var insight = cluster.Insights.FirstOrDefault(i => i.Id == id) ?? throw NotFound($"No insight found for id: {id}.");
        return JObject.Of(("Insight", insight.ToJson()));
    }

    public static readonly string[] InsightKeys =
        ["id", "name", "category", "kubernetesVersion", "status", "reason", "description", "recommendation", "lastRefreshTime", "lastTransitionTime", "additionalInfo", "resources", "categorySpecificSummary"];

    public EksInsight ReadInsight(WorldReader r, SimulatedCluster cluster)
    {
        var nextMinor = KubernetesVersionCalendar.MinorOf(cluster.Version) + 1;
        return new EksInsight
        {
            Id = r.Str("id") ?? Ids.Uuid(Account.Random),
            Name = r.Req("name"),
            Category = r.OneOf("category", "UPGRADE_READINESS", "MISCONFIGURATION", "ROLLBACK_READINESS") ?? "UPGRADE_READINESS",
            KubernetesVersion = r.Str("kubernetesVersion") ?? $"1.{nextMinor}",
            LastRefreshTime = r.Time("lastRefreshTime") ?? Now.AddHours(-6),
            LastTransitionTime = r.Time("lastTransitionTime") ?? Now.AddDays(-7),
            Description = r.Str("description") ?? string.Empty,
            Status = r.OneOf("status", "PASSING", "WARNING", "ERROR", "UNKNOWN") ?? "PASSING",
            Reason = r.Str("reason") ?? string.Empty,
            Recommendation = r.Str("recommendation") ?? string.Empty,
            AdditionalInfo = r.Map("additionalInfo"),
            Resources = r.Raw.GetArray("resources") is { } resources ? (JArray)WorldReader.Pascalize(resources) : JArray.Empty,
            CategorySpecificSummary = r.Obj("categorySpecificSummary") is { } summary ? (JObject)WorldReader.Pascalize(summary) : JObject.Empty,
        };
    }
}
