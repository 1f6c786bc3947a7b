using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Scenarios;

public class ScenarioTests
{
    [Fact]
    public void YamlJson_TypesPlainScalarsAndKeepsQuotedStrings()
    {
        var value = YamlJson.Parse("""
            account: "111122223333"
            seed: 42
            ratio: 0.5
            enabled: true
            nothing: null
            name: shop-blue
            version: "1.32"
            list: [1, two]
            """);

        Assert.Equal("""{"account":"111122223333","seed":42,"ratio":0.5,"enabled":true,"nothing":null,"name":"shop-blue","version":"1.32","list":[1,"two"]}""", value.ToJson());
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("2026-11-23T10:00:00Z", 3600)]
    public void ParseOffset_AcceptsDurationsAndTimestamps(string text, double seconds)
    {
        var start = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(seconds), Scenario.ParseOffset(new JString(text), start));
    }

    [Fact]
    public void DeepMerge_MergesObjectsAndReplacesEverythingElse()
    {
        var merged = Scenario.DeepMerge(
            JValue.Parse("""{"eks":{"behaviour":{"greenHealthy":true,"createMinutes":9},"clusters":[1,2]}}"""),
            JValue.Parse("""{"eks":{"behaviour":{"greenHealthy":false},"clusters":[3]}}"""));

        Assert.Equal("""{"eks":{"behaviour":{"greenHealthy":false,"createMinutes":9},"clusters":[3]}}""", merged.ToJson());
    }

    [Fact]
    public void FromJson_ReportsEveryProblemAtOnce()
    {
        var raw = (JObject)JValue.Parse("""
            {"world":"no-such-world","start":"yesterday","bogus":1,
             "events":[{"at":"5m"},{"at":"soon","do":"x"}],
             "faults":[{"kind":"explode","target":"eks:CreateCluster"}]}
            """);

        var e = Assert.Throws<ScenarioException>(() => Scenario.FromJson("broken", raw));

        Assert.Contains("unknown field 'bogus'", e.Message, StringComparison.Ordinal);
        Assert.Contains("world 'no-such-world' does not exist", e.Message, StringComparison.Ordinal);
        Assert.Contains("start 'yesterday'", e.Message, StringComparison.Ordinal);
        Assert.Contains("events[0] needs 'at'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'\"soon\"' is not a time", e.Message, StringComparison.Ordinal);
        Assert.Contains("unknown kind 'explode'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_UnknownSectionOrAction_IsRejectedBeforeAnythingRuns()
    {
        var scenario = Scenario.FromJson("bad", (JObject)JValue.Parse("""
            {"services":{"ec2":{}},"events":[{"at":"1m","do":"meteorStrike"}]}
            """));

        var e = Assert.Throws<ScenarioException>(() => AccountFactory.Create(scenario));

        Assert.Contains("section 'ec2' names no simulated service", e.Message, StringComparison.Ordinal);
        Assert.Contains("event action 'meteorStrike' does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_BadFaults_AreAllRejectedBeforeAnythingRuns()
    {
        var scenario = Scenario.FromJson("bad-faults", (JObject)JValue.Parse("""
            {"faults":[
              {"target":"ec2:RunInstances","kind":"throttle"},
              {"target":"cloudwatch:DescribeAlarm","kind":"internal"},
              {"target":"elasticloadbalancing:ModifyRule","kind":"error","error":"RuleNotFund"},
              {"target":"eks","kind":"throttle"},
              {"target":"sns:Publish","kind":"throttle"}
            ]}
            """));

        var e = Assert.Throws<ScenarioException>(() => AccountFactory.Create(scenario));

        Assert.Contains("faults[0]: target 'ec2:RunInstances' names no simulated service", e.Message, StringComparison.Ordinal);
        Assert.Contains("faults[1]: target 'cloudwatch:DescribeAlarm' names no action of cloudwatch (actions: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("DescribeAlarms", e.Message, StringComparison.Ordinal);
        Assert.Contains("faults[2]: error 'RuleNotFund' is not an error of elasticloadbalancing", e.Message, StringComparison.Ordinal);
        Assert.Contains("faults[3]: target 'eks' names no action of eks", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("faults[4]", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("elasticloadbalancing:ModifyRule", "RuleNotFound")]            // the wire code
    [InlineData("elasticloadbalancing:ModifyRule", "RuleNotFoundException")]   // the model's shape name
    [InlineData("elasticloadbalancing:*", "Throttling")]                       // what the simulator raises itself
    [InlineData("states:*", "ExecutionLimitExceededException")]                // shape ExecutionLimitExceeded + Exception
    [InlineData("states:StartExecution", "ExecutionLimitExceeded")]
    [InlineData("lambda:Invoke", "SdkClientException")]
    [InlineData("eks:call", "ServerException")]
    [InlineData("eks:call", "403")]                                            // eks:call fails with the HTTP status
    [InlineData("*", "InvalidChangeBatch")]
    public void Apply_GoodFaults_AreAccepted(string target, string error)
    {
        var scenario = Scenario.FromJson("good-faults", JObject.Of(("faults", JArray.Of(JObject.Of(("target", target), ("kind", "error"), ("error", error))))));

        using var account = AccountFactory.Create(scenario);

        Assert.Single(account.Faults.Rules);
    }

    [Fact]
    public void Apply_HttpStatusFaultOnAnEksApiAction_IsRejected()
    {
        var scenario = Scenario.FromJson("bad-status", (JObject)JValue.Parse("""{"faults":[{"target":"eks:DescribeCluster","kind":"error","error":"403"}]}"""));

        var e = Assert.Throws<ScenarioException>(() => AccountFactory.Create(scenario));

        Assert.Contains("faults[0]: error '403' is not an error of eks", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_SchedulesEventsOnTheVirtualClock()
    {
        var fired = new List<(DateTimeOffset At, string Who)>();
        var scenario = Scenario.FromJson("events", (JObject)JValue.Parse("""
            {"start":"2026-11-23T09:00:00Z","events":[{"at":"10m","do":"record","who":"b"},{"at":"90s","do":"record","who":"a"}]}
            """));
        using var account = AccountFactory.Create(scenario.AccountOptions);
        account.RegisterEventAction("record", args => fired.Add((account.Scheduler.Now, args.GetString("who")!)));

        scenario.Apply(account);
        account.Scheduler.RunUntil(() => false);

        Assert.Equal([(scenario.AccountOptions.Start.AddSeconds(90), "a"), (scenario.AccountOptions.Start.AddMinutes(10), "b")], fired);
    }
}
