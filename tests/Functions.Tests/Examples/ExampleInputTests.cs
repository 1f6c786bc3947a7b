using System.Text.Json;
using System.Text.Json.Nodes;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Tests.Planning;
using BlueGreen.Functions.Tests.Support;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Tests.Examples;

/// <summary>The pasteable inputs and the schema agree with each other and with PlanUpgrade.</summary>
public class ExampleInputTests
{
    private static readonly JsonSchemaValidator Schema = new(JsonDocument.Parse(Repository.Read("statemachines/upgrade.input.schema.json")).RootElement);

    public static TheoryData<string> Examples => new(Directory.GetFiles(Repository.PathOf("statemachines/examples"), "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));

    [Fact]
    public void Examples_IncludeTheDocumentedOnes()
    {
        var names = Examples.Cast<object[]>().Select(r => (string)r[0]).ToHashSet();

        Assert.Superset(names, new HashSet<string> { "alb-canary.json", "route53-linear.json", "all-at-once-with-approvals.json", "dry-run.json" });
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_ConformsToTheSchema(string file)
    {
        using var document = JsonDocument.Parse(Repository.Read("statemachines/examples/" + file));

        Assert.Empty(Schema.Validate(document.RootElement));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_IsAcceptedByPlanUpgrade(string file)
    {
        var plan = Inputs.Plan((JsonObject)JsonNode.Parse(Repository.Read("statemachines/examples/" + file))!);

        Assert.NotEmpty(plan.Strategy.Steps);
    }

    [Fact]
    public void AlbCanary_IsTheDemo()
    {
        var plan = Inputs.Plan(Inputs.Alb());

        Assert.Equal(("shop-blue", "shop-green", "1.34"), (plan.BlueClusterName, plan.GreenClusterName, plan.TargetVersion));
        Assert.Contains(":ap-northeast-2:111122223333:", ((AlbTrafficPlan)plan.Traffic).ListenerArn, StringComparison.Ordinal);
        Assert.Equal("shop-blue-tg", ElbArn.Parse(((AlbTrafficPlan)plan.Traffic).BlueTargetGroupArn, ElbArn.TargetGroup)!.TargetGroupName());
        Assert.Equal("shop-green-tg", ElbArn.Parse(((AlbTrafficPlan)plan.Traffic).GreenTargetGroupArn, ElbArn.TargetGroup)!.TargetGroupName());
        Assert.Equal([(10, 300), (25, 300), (50, 300), (100, 300)], plan.Strategy.Steps.Select(s => (s.Weight, s.BakeSeconds)));
        Assert.Equal(["shop-5xx-rate", "shop-p99-latency"], plan.Alarms.Names);
        Assert.Equal(30, plan.Alarms.PollSeconds);
    }

    [Fact]
    public void DryRun_IsADryRun()
    {
        Assert.True(Inputs.Plan((JsonObject)JsonNode.Parse(Repository.Read("statemachines/examples/dry-run.json"))!).DryRun);
    }

    [Fact]
    public void Schema_TopLevelProperties_MatchPlanUpgradesFields()
    {
        using var schema = JsonDocument.Parse(Repository.Read("statemachines/upgrade.input.schema.json"));

        var properties = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name);

        Assert.Equal(UpgradePlanner.TopLevelFields.Order(StringComparer.Ordinal), properties.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(UpgradePlannerTests.BadInputs), MemberType = typeof(UpgradePlannerTests))]
    public void Schema_RejectsTheBadInputsItCanExpress(string baseInput, string path, string? json, string expected, bool schemaRejects)
    {
        _ = expected;
        var input = UpgradePlannerTests.Mutated(baseInput, path, json);

        var errors = Schema.Validate(JsonSerializer.SerializeToElement(input, JsonNodeContext.Default.JsonObject));

        Assert.Equal(schemaRejects, errors.Count > 0);
    }
}
