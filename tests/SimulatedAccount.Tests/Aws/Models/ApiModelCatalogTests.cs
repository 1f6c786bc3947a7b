using System.Diagnostics;
using BlueGreen.Simulator.Aws.Models;

namespace BlueGreen.Simulator.Tests.Aws.Models;

public sealed class ApiModelCatalogTests : IDisposable
{
    private static readonly string[] SimulatedServices =
        ["cloudwatch", "dynamodb", "eks", "elasticloadbalancingv2", "eventbridge", "lambda", "route53", "scheduler", "secretsmanager", "sfn", "sns", "sqs"];

    private readonly string _dir = Directory.CreateTempSubdirectory("aws-models-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Embedded_HasAModelForEverySimulatedService()
    {
        var catalog = ApiModelCatalog.Embedded;

        Assert.True(catalog.IsAvailable);
        Assert.Equal(SimulatedServices, catalog.SdkNames);
        Assert.All(SimulatedServices, sdkName =>
        {
            var model = catalog.Find(sdkName)!;
            Assert.Equal(sdkName, model.SdkName);
            Assert.StartsWith("@aws-sdk/client-", model.Package, StringComparison.Ordinal);
            Assert.NotEmpty(model.Operations);
        });
    }

    [Theory]
    [InlineData("eks", "CreateCluster", "restJson1")]
    [InlineData("eks", "DescribeClusterVersions", "restJson1")]
    [InlineData("elasticloadbalancingv2", "ModifyRule", "awsQuery")]
    [InlineData("route53", "ChangeResourceRecordSets", "restXml")]
    [InlineData("cloudwatch", "DescribeAlarms", "awsJson1_0")]
    [InlineData("sns", "Publish", "awsQuery")]
    [InlineData("sqs", "SendMessage", "awsJson1_0")]
    [InlineData("secretsmanager", "CreateSecret", "awsJson1_1")]
    [InlineData("scheduler", "CreateSchedule", "restJson1")]
    [InlineData("eventbridge", "PutEvents", "awsJson1_1")]
    [InlineData("sfn", "StartExecution", "awsJson1_0")]
    [InlineData("lambda", "Invoke", "restJson1")]
    [InlineData("dynamodb", "PutItem", "awsJson1_0")]
    public void Embedded_HasTheOperationsTheWorkflowCalls(string sdkName, string action, string protocol)
    {
        var model = ApiModelCatalog.Embedded.Find(sdkName)!;

        Assert.Equal(protocol, model.Protocol);
        Assert.True(model.Operations.ContainsKey(action), $"{sdkName} has no {action}");
    }

    [Fact]
    public void Embedded_CarriesRequiredMembersEnumsAndStepFunctionsNames()
    {
        var input = ApiModelCatalog.Embedded.Find("eks")!.Operations["CreateNodegroup"].Input;

        Assert.Equal(["ClusterName", "NodegroupName", "Subnets", "NodeRole"], input.RequiredMembers.Select(m => m.ParameterName));
        var capacityType = input.FindMember("CapacityType")!;
        Assert.Equal("capacityType", capacityType.Name);
        Assert.Equal(["CAPACITY_BLOCK", "ON_DEMAND", "SPOT"], capacityType.Enum!.Values);
        Assert.Equal(ApiTypeKind.List, input.FindMember("Subnets")!.Type.Kind);
        Assert.True(input.FindMember("ClientRequestToken")!.IsIdempotencyToken);
    }

    [Fact]
    public void Embedded_RecursiveShapesAreLinked()
    {
        var attributeValue = ApiModelCatalog.Embedded.Find("dynamodb")!.Operations["PutItem"].Input.FindMember("Item")!.Type.Value!;

        Assert.Equal(ApiTypeKind.Union, attributeValue.Kind);
        Assert.Same(attributeValue, attributeValue.FindMember("M")!.Type.Value);
        Assert.Same(attributeValue, attributeValue.FindMember("L")!.Type.Element);
    }

    [Fact]
    public void Find_FromManyThreads_LoadsEachModelOnce()
    {
        var catalog = ApiModelCatalog.FromEmbeddedResources();
        var models = new ApiServiceModel?[32];

        Parallel.For(0, models.Length, i => models[i] = catalog.Find(i % 2 == 0 ? "eks" : "route53"));

        Assert.All(models.Where((_, i) => i % 2 == 0), m => Assert.Same(models[0], m));
        Assert.All(models.Where((_, i) => i % 2 == 1), m => Assert.Same(models[1], m));
    }

    [Fact]
    public void Find_UnknownService_ReturnsNull()
    {
        Assert.Null(ApiModelCatalog.Embedded.Find("ec2"));
    }

    [Fact]
    public void Find_WithoutModels_ExplainsHowToGetThem()
    {
        var catalog = ApiModelCatalog.FromDirectory(_dir);

        Assert.False(catalog.IsAvailable);
        var e = Assert.Throws<InvalidOperationException>(() => catalog.Find("sns"));
        Assert.Contains("Node.js", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exporter_WritesOneModelPerServiceIdenticalToTheEmbeddedOnes()
    {
        var (exit, output) = RunNode("export-models.mjs", _dir);

        Assert.True(exit == 0, output);
        Assert.Equal([.. SimulatedServices.Append("index").Select(s => s + ".json").Order(StringComparer.Ordinal)], Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var exported = ApiModelCatalog.FromDirectory(_dir);
        Assert.Equal(SimulatedServices, exported.SdkNames);
        foreach (var file in Directory.GetFiles(_dir))
        {
            using var embedded = typeof(ApiModelCatalog).Assembly.GetManifestResourceStream("AwsModels/" + Path.GetFileName(file))!;
            using var reader = new StreamReader(embedded);
            Assert.True(reader.ReadToEnd() == File.ReadAllText(file), $"{Path.GetFileName(file)}: the embedded model differs from a fresh export");
        }
    }

    private static (int Exit, string Output) RunNode(params string[] args)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = BuildInfo.NodeDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "node export-models.mjs did not finish");
        return (process.ExitCode, stdout + stderr.Result);
    }
}
