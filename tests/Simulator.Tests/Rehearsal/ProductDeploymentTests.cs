using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

public class ProductDeploymentTests
{
    private static string Definition(string name) => File.ReadAllText(Path.Combine(BuildInfo.RepositoryRoot, ProductDeployment.DefinitionFiles[name]));

    [Fact]
    public void Deploy_EveryPlaceholderHasAValueAndEveryValueIsUsed()
    {
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        var used = ProductDeployment.DefinitionFiles.Keys.SelectMany(n => ProductDeployment.PlaceholdersIn(Definition(n))).ToHashSet();

        Assert.Empty(used.Except(rehearsal.Deployment.Substitutions.Keys));
        Assert.Empty(rehearsal.Deployment.Substitutions.Keys.Except(used));
    }

    [Theory]
    [InlineData("bluegreen-upgrade")]
    [InlineData("bluegreen-bake")]
    [InlineData("bluegreen-decommission-cluster")]
    [InlineData("bluegreen-restore-blue")]
    public void StateMachineFile_IsAValidDefinition(string name)
    {
        var (definition, diagnostics) = DefinitionLoader.Validate(Definition(name));

        Assert.Empty(diagnostics.Items);
        Assert.NotNull(definition);
    }

    [Theory]
    [InlineData("bluegreen-upgrade")]
    [InlineData("bluegreen-decommission-cluster")]
    public void OptimizedEksTasks_NameTheEksPrefixedErrors(string name)
    {
        // eks:createCluster.sync and friends report EKS.<Code>, the aws-sdk integration Eks.<Code>; a
        // Retry or Catch that names only the latter on an optimized task never matches (rehearsals found it).
        var lists = OptimizedEksErrorLists(Definition(name));

        Assert.NotEmpty(lists);
        Assert.All(lists, errors => Assert.All(errors.Where(e => e.StartsWith("Eks.", StringComparison.Ordinal)), e => Assert.Contains("EKS." + e[4..], errors)));
    }

    [Fact]
    public void FunctionName_IsKebabCaseWithTheProductPrefix()
    {
        Assert.Equal("bluegreen-plan-upgrade", ProductDeployment.FunctionName("PlanUpgrade"));
        Assert.Equal("bluegreen-evaluate-alarms", ProductDeployment.FunctionName("EvaluateAlarms"));
    }

    [Fact]
    public void Substitute_MissingPlaceholder_SaysWhich()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ProductDeployment.Substitute("""{"a":"${Known}","b":"${Unknown}"}""", new Dictionary<string, string> { ["Known"] = "x" }, "test.asl.json"));

        Assert.Contains("Unknown", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Known,", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The ErrorEquals lists of the Retry and Catch clauses on optimized EKS tasks.</summary>
    private static List<List<string>> OptimizedEksErrorLists(string definition)
    {
        var root = JValue.Parse(definition);
        var lists = new List<List<string>>();
        void Walk(JValue v)
        {
            switch (v)
            {
                case JObject o:
                    if (o.GetString("Resource") is { } r && r.StartsWith("arn:aws:states:::eks:", StringComparison.Ordinal))
                    {
                        lists.AddRange((o.GetArray("Catch") ?? JArray.Empty).Concat(o.GetArray("Retry") ?? JArray.Empty)
                            .Select(c => c.AsObject().GetArray("ErrorEquals")!.Select(e => e.AsString()).ToList()));
                    }

                    foreach (var m in o)
                    {
                        Walk(m.Value);
                    }

                    break;
                case JArray a:
                    foreach (var i in a)
                    {
                        Walk(i);
                    }

                    break;
            }
        }

        Walk(root);
        return lists;
    }
}
