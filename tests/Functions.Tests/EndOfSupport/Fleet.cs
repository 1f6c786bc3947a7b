using System.Text.Json;
using System.Text.Json.Nodes;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.EndOfSupport;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.EndOfSupport;

/// <summary>Builders for the end-of-support tests: the EKS calendar, clusters, profiles.</summary>
internal static class Fleet
{
    public static readonly ScanDeployment Deployment = new()
    {
        UpgradeStateMachineArn = "arn:aws:states:ap-northeast-2:111122223333:stateMachine:eks-bluegreen-upgrade",
        SchedulerRoleArn = "arn:aws:iam::111122223333:role/eks-bluegreen-eos-scheduler",
        ScheduleGroupName = "eks-eos",
        DeadLetterQueueArn = "arn:aws:sqs:ap-northeast-2:111122223333:eks-bluegreen-schedules-undelivered",
    };

    /// <summary>The Amazon EKS release calendar (user guide, kubernetes-versions.html) as DescribeClusterVersions returns it.</summary>
    public static IReadOnlyList<ClusterVersionInformation> Versions { get; } =
    [
        V("1.29", "2025-03-23", "2026-03-23"),
        V("1.30", "2025-07-23", "2026-07-23"),
        V("1.31", "2025-11-26", "2026-11-26"),
        V("1.32", "2026-03-23", "2027-03-23"),
        V("1.33", "2026-07-29", "2027-07-29"),
        V("1.34", "2026-12-02", "2027-12-02"),
        V("1.35", "2027-03-27", "2028-03-27"),
    ];

    public static VersionCalendar Calendar => VersionCalendar.From(Versions);

    public static ClusterVersionInformation V(string version, string endStandard, string endExtended) => new()
    {
        ClusterVersion = version,
        ClusterType = "eks",
        EndOfStandardSupportDate = JsonSerializer.SerializeToElement(endStandard + "T00:00:00Z", TestJson.Default.String),
        EndOfExtendedSupportDate = JsonSerializer.SerializeToElement(endExtended + "T00:00:00Z", TestJson.Default.String),
    };

    public static EksCluster Cluster(string name, string version, params (string Key, string Value)[] tags) => new()
    {
        Name = name,
        Arn = $"arn:aws:eks:ap-northeast-2:111122223333:cluster/{name}",
        Version = version,
        Status = "ACTIVE",
        Tags = tags.ToDictionary(t => t.Key, t => t.Value),
    };

    public static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject ProfileJson(string file) => JsonNode.Parse(Repository.Read("profiles/" + file))!.AsObject();

    public static UpgradeProfile Profile(JsonObject json)
    {
        var (profile, problems) = ProfileReader.Read(JsonSerializer.SerializeToElement(json, TestJsonNodes.Default.JsonObject));
        Assert.True(profile is not null, string.Join("\n", problems));
        return profile;
    }

    /// <summary>The shop sample profile with changes.</summary>
    public static UpgradeProfile Shop(Action<JsonObject>? change = null)
    {
        var json = ProfileJson("shop-alb-canary.json");
        change?.Invoke(json);
        return Profile(json);
    }

    public static EndOfSupportDecision Decide(EksCluster cluster, DateTimeOffset now, IReadOnlyList<UpgradeProfile> profiles, bool runInProgress = false, params ExistingSchedule[] schedules) =>
        EndOfSupportPlanner.Decide(new EndOfSupportPlanner.ClusterFacts(cluster, runInProgress, schedules), Calendar, profiles, now, Deployment);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
[System.Text.Json.Serialization.JsonSerializable(typeof(PlanEndOfSupportRequest))]
internal sealed partial class TestJsonNodes : System.Text.Json.Serialization.JsonSerializerContext;
