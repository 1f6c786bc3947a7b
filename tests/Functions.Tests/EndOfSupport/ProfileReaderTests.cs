using System.Text.Json;
using System.Text.Json.Nodes;
using BlueGreen.Functions.EndOfSupport;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.EndOfSupport;

public class ProfileReaderTests
{
    public static TheoryData<string> SampleProfiles =>
        [.. Directory.GetFiles(Repository.PathOf("profiles"), "*.json").Select(Path.GetFileName).Where(f => f != "profile.schema.json").Select(f => f!)];

    private static IReadOnlyList<string> Problems(JsonObject json) =>
        ProfileReader.Read(JsonSerializer.SerializeToElement(json, TestJsonNodes.Default.JsonObject)).Problems;

    private static IReadOnlyList<string> SchemaProblems(JsonObject json)
    {
        using var schema = JsonDocument.Parse(Repository.Read("profiles/profile.schema.json"));
        return new JsonSchemaValidator(schema.RootElement).Validate(JsonSerializer.SerializeToElement(json, TestJsonNodes.Default.JsonObject));
    }

    [Fact]
    public void Repository_HasAtLeastTwoSampleProfiles_OneScheduleAndOneNotify()
    {
        var files = Directory.GetFiles(Repository.PathOf("profiles"), "*.json").Where(f => !f.EndsWith("profile.schema.json", StringComparison.Ordinal));
        var modes = files.Select(f => Fleet.Profile(Fleet.ProfileJson(Path.GetFileName(f))).Schedule).ToList();

        Assert.Contains(ScheduleModes.Schedule, modes);
        Assert.Contains(ScheduleModes.Notify, modes);
    }

    [Theory]
    [MemberData(nameof(SampleProfiles))]
    public void SampleProfile_PassesTheReaderAndTheSchema(string file)
    {
        var json = Fleet.ProfileJson(file);

        Assert.Empty(Problems(json));
        Assert.Empty(SchemaProblems(json));
    }

    [Fact]
    public void BadProfile_ListsEveryProblemAtOnce()
    {
        var json = Fleet.ProfileJson("shop-alb-canary.json");
        json["colour"] = "blue";
        json["timeZone"] = "Asia/Gotham";
        json["target"] = "1.33";
        json["match"]!["versions"] = new JsonArray("1.33", "1.34");
        json["windows"]![0]!["hours"] = 2;
        json["upgrade"]!["clusterName"] = "shop-blue";
        json["upgrade"]!["alarms"]!["pollSeconds"] = 0;

        var problems = Problems(json);

        Assert.Contains(problems, p => p.StartsWith("colour: unknown field", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("timeZone: \"Asia/Gotham\" is not an IANA time zone", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("target: the pinned version 1.33 is not newer than 1.33", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("target: the pinned version 1.33 is not newer than 1.34", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("windows[0].hours: the window is 2 h but a run needs runHours = 3 h", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("upgrade.clusterName: the scan supplies this", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("upgrade.alarms.pollSeconds:", StringComparison.Ordinal));
        Assert.Equal(7, problems.Count);
    }

    [Fact]
    public void Schema_RefusesUnknownFieldsAndWhatTheScanSupplies_LikeTheReader()
    {
        var json = Fleet.ProfileJson("shop-alb-canary.json");
        json["colour"] = "blue";
        json["upgrade"]!["targetVersion"] = "1.35";
        json["windows"]![0]!["days"] = new JsonArray("TUESDAY");

        var schema = SchemaProblems(json);
        var reader = Problems(json);

        Assert.Contains(schema, p => p.StartsWith("$.colour", StringComparison.Ordinal));
        Assert.Contains(schema, p => p.StartsWith("$.upgrade.targetVersion", StringComparison.Ordinal));
        Assert.Contains(schema, p => p.StartsWith("$.windows[0].days[0]", StringComparison.Ordinal));
        Assert.Contains(reader, p => p.StartsWith("colour:", StringComparison.Ordinal));
        Assert.Contains(reader, p => p.StartsWith("upgrade.targetVersion:", StringComparison.Ordinal));
        Assert.Contains(reader, p => p.StartsWith("windows[0].days: \"TUESDAY\" is not a day", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Asia/Seoul", true)]
    [InlineData("America/New_York", true)]
    [InlineData("UTC", true)]
    [InlineData("Korea Standard Time", false)]
    [InlineData("KST", false)]
    [InlineData("Asia/Gotham", false)]
    public void TimeZone_OnlyIanaNamesAreAccepted(string zone, bool accepted)
    {
        var json = Fleet.ProfileJson("shop-alb-canary.json");
        json["timeZone"] = zone;

        Assert.Equal(accepted, !Problems(json).Any(p => p.StartsWith("timeZone:", StringComparison.Ordinal)));
    }

    [Fact]
    public void LeadTime_ThatLeavesNoRoomInStandardSupport_IsRefused()
    {
        var json = Fleet.ProfileJson("shop-alb-canary.json");
        json["leadDays"] = 420;

        Assert.Contains(Problems(json), p => p.StartsWith("leadDays: 420 days of lead time plus 7 days of windows do not fit", StringComparison.Ordinal));
    }

    [Fact]
    public void Horizon_TooShortForTheSlotAndItsRetries_IsRefused()
    {
        var json = Fleet.ProfileJson("shop-alb-canary.json");
        json["windows"] = JsonNode.Parse("""[{"days":["TUE"],"start":"10:00","hours":4}]""");
        json["retryWindows"] = 2;
        json["horizonDays"] = 14;

        Assert.Contains(Problems(json), p => p.StartsWith("horizonDays: 14 days cannot hold the slot and 2 retry slot(s) at 1 window(s) a week; it needs at least 21 days", StringComparison.Ordinal));
    }

    [Fact]
    public void ApprovalRequired_WithoutAnApprovalGate_IsRefused()
    {
        var json = Fleet.ProfileJson("shop-alb-canary.json");
        json["upgrade"]!.AsObject().Remove("approvals");

        Assert.Contains(Problems(json), p => p.StartsWith("upgrade.approvals: approvalRequired is true", StringComparison.Ordinal));
    }

    [Fact]
    public void RunHours_ShorterThanTheUpgradesOwnWaits_IsRefused()
    {
        var json = Fleet.ProfileJson("shop-alb-canary.json");
        json["runHours"] = 1;
        json["windows"]![0]!["hours"] = 1;

        // 30 min health deadline + 2 x 5 min canary bakes + 60 min approval timeout.
        Assert.Contains(Problems(json), p => p.StartsWith("runHours: 1 h is shorter than the upgrade's own waits (100 min", StringComparison.Ordinal));
    }

    [Fact]
    public void FreezeEndingBeforeItStarts_AndMissingRequiredFields_AreProblems()
    {
        var json = new JsonObject { ["name"] = "Bad Name", ["match"] = new JsonObject(), ["freezes"] = JsonNode.Parse("""[{"from":"2027-01-05","to":"2027-01-01"}]""") };

        var problems = Problems(json);

        Assert.Contains("name: must be 1 to 64 lower-case letters, digits and hyphens, not \"Bad Name\"", problems);
        Assert.Contains(problems, p => p.StartsWith("match.clusterNames: give at least one cluster name pattern or one tag", StringComparison.Ordinal));
        Assert.Contains("freezes[0].to: 2027-01-01 is before from 2027-01-05", problems);
        Assert.Contains("schedule: required", problems);
        Assert.Contains("timeZone: required", problems);
        Assert.Contains("windows: required", problems);
        Assert.Contains("upgrade: required", problems);
    }

    [Fact]
    public void ReadAll_PrefixesEachProblemWithItsFile_AndRefusesDuplicateNames()
    {
        var good = JsonSerializer.SerializeToElement(Fleet.ProfileJson("shop-alb-canary.json"), TestJsonNodes.Default.JsonObject);
        var bad = Fleet.ProfileJson("platform-notify.json");
        bad["schedule"] = "sometimes";

        var error = Assert.Throws<InvalidProfile>(() => ProfileReader.ReadAll(
        [
            ("profiles/a.json", good),
            ("profiles/b.json", good),
            ("profiles/c.json", JsonSerializer.SerializeToElement(bad, TestJsonNodes.Default.JsonObject)),
        ]));

        Assert.Equal(2, error.Problems.Count);
        Assert.StartsWith("profiles/b.json: name: \"shop-alb-canary\" is already the name of profiles/a.json", error.Problems[0], StringComparison.Ordinal);
        Assert.StartsWith("profiles/c.json: schedule: must be one of", error.Problems[1], StringComparison.Ordinal);
        Assert.StartsWith("The upgrade profiles have 2 problems:", error.Message, StringComparison.Ordinal);
    }
}
