using System.Text.Json.Nodes;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Models;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Every AWS SDK Task state in every product state machine retries the two transient errors its service
/// raises (throttling and an internal failure), under the names the simulated account gives them
/// (docs/aws-api-models.md, "Error names"). <see cref="TransientFaultTests"/> proves this by running the happy
/// paths; this covers the states those paths never reach (rollback, cleanup, large-Blue pagination, restore-blue).
/// </summary>
public sealed class RetrierCoverageTests : IDisposable
{
    private const string SdkResource = "arn:aws:states:::aws-sdk:";

    private readonly SimulatedAccount _account = AccountFactory.Create();

    public void Dispose() => _account.Dispose();

    public static TheoryData<string> Files => new(Directory.GetFiles(Path.Combine(BuildInfo.RepositoryRoot, "statemachines"), "*.asl.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Files))]
    public void EverySdkTask_RetriesItsServicesThrottlingAndInternalErrors(string file)
    {
        var definition = JsonNode.Parse(File.ReadAllText(Path.Combine(BuildInfo.RepositoryRoot, "statemachines", file)))!.AsObject();
        var missing = new List<string>();
        var checkedStates = 0;
        foreach (var (name, state) in TaskStates(definition["States"]!.AsObject()))
        {
            var resource = (string?)state["Resource"] ?? string.Empty;
            if (!resource.StartsWith(SdkResource, StringComparison.Ordinal)
                || _account.ServiceBySdkName(resource[SdkResource.Length..].Split(':')[0]) is not { } service)
            {
                continue;
            }

            checkedStates++;
            var retried = (state["Retry"]?.AsArray() ?? []).SelectMany(r => r!["ErrorEquals"]!.AsArray().Select(e => (string)e!)).ToHashSet(StringComparer.Ordinal);
            foreach (var code in new[] { service.ThrottlingErrorCode, service.InternalErrorCode })
            {
                var error = ApiModelValidator.Default.SdkIntegrationErrorName(service.SdkName, service.ErrorPrefix, code);
                if (!retried.Contains(error) && !retried.Contains("States.ALL"))
                {
                    missing.Add($"'{name}' ({resource[SdkResource.Length..]}) does not retry {error}");
                }
            }
        }

        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
        Assert.True(checkedStates > 0 || file is "bake.asl.json" or "restore-blue.asl.json" or "decommission-cluster.asl.json", $"{file}: no AWS SDK Task states found");
    }

    private static IEnumerable<(string Name, JsonObject State)> TaskStates(JsonObject states)
    {
        foreach (var (name, node) in states)
        {
            var state = node!.AsObject();
            if ((string?)state["Type"] == "Task")
            {
                yield return (name, state);
            }

            var nested = (state["Branches"]?.AsArray().Select(b => b!["States"]!.AsObject()) ?? [])
                .Concat(new[] { state["ItemProcessor"], state["Iterator"] }.OfType<JsonNode>().Select(p => p["States"]!.AsObject()));
            foreach (var child in nested.SelectMany(TaskStates))
            {
                yield return child;
            }
        }
    }
}
