using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.Tests.Support;

/// <summary>Builders for execution inputs and plans.</summary>
internal static class Inputs
{
    public const string ExecutionId = "arn:aws:states:ap-northeast-2:111122223333:execution:eks-bluegreen-upgrade:shop-1-34-20250601";
    public const string ExecutionName = "shop-1-34-20250601";
    public const string StartTime = "2025-06-01T09:00:00.000Z";

    public const string Listener = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener/app/shop-alb/50dc6c495c0c9188/f2f7dc8efc522ab2";
    public const string Rule = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener-rule/app/shop-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
    public const string BlueTg = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/shop-blue-tg/6d0ecf831eec9f09";
    public const string GreenTg = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/shop-green-tg/3e1f2a7b9c4d5e60";

    /// <summary>A valid ALB input (the demo, as a mutable node).</summary>
    public static JsonObject Alb() => (JsonObject)JsonNode.Parse(Repository.Read("statemachines/examples/alb-canary.json"))!;

    /// <summary>A valid Route 53 input.</summary>
    public static JsonObject Route53() => (JsonObject)JsonNode.Parse(Repository.Read("statemachines/examples/route53-linear.json"))!;

    public static ExecutionInfo Execution() => new() { Id = ExecutionId, Name = ExecutionName, StartTime = StartTime };

    public static UpgradePlan Plan(JsonObject input) =>
        UpgradePlanner.Plan(new PlanUpgradeRequest { Input = JsonSerializer.SerializeToElement(input, JsonNodeContext.Default.JsonObject), Execution = Execution() });

    public static UpgradePlan AlbPlan() => Plan(Alb());

    public static UpgradePlan Route53Plan() => Plan(Route53());

    /// <summary>
    /// Sets (or with null removes) the member at a dotted path with [n] indexes ("strategy.steps[1].weight")
    /// to a JSON value given as text.
    /// </summary>
    public static JsonObject With(this JsonObject input, string path, string? json)
    {
        var parts = path.Split('.');
        JsonNode node = input;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            node = Step(node, parts[i]);
        }
        var last = parts[^1];
        if (last.EndsWith(']'))
        {
            var (name, index) = SplitIndex(last);
            var array = (JsonArray)(name.Length == 0 ? node : node[name]!);
            if (json is null)
            {
                array.RemoveAt(index);
            }
            else
            {
                array[index] = JsonNode.Parse(json);
            }
        }
        else if (json is null)
        {
            ((JsonObject)node).Remove(last);
        }
        else
        {
            node[last] = JsonNode.Parse(json);
        }
        return input;
    }

    private static JsonNode Step(JsonNode node, string part)
    {
        if (!part.EndsWith(']'))
        {
            return node[part] ?? throw new InvalidOperationException($"no member {part}");
        }
        var (name, index) = SplitIndex(part);
        return (name.Length == 0 ? node : node[name]!)[index]!;
    }

    private static (string Name, int Index) SplitIndex(string part)
    {
        var open = part.IndexOf('[', StringComparison.Ordinal);
        return (part[..open], int.Parse(part[(open + 1)..^1], CultureInfo.InvariantCulture));
    }

    public static string ToJson(this JsonNode node) => node.ToJsonString();

    public static Stream ToStream(string json) => new MemoryStream(Encoding.UTF8.GetBytes(json));

    /// <summary>What a deployment lets the run reach: the demo's tags, and the given role settings.</summary>
    public static BlueGreen.Functions.Common.DeploymentFacts Deployment(string clusterRoles = "shop-eks-cluster-role", string nodeRoles = "shop-eks-node-role,shop-karpenter-*", string podIdentityRoles = "(none)") => new()
    {
        ExecutionArn = ExecutionId,
        TrafficTag = new BlueGreen.Functions.Common.TagFact { Key = "bluegreen:traffic", Value = "bluegreen-dev" },
        HookTag = new BlueGreen.Functions.Common.TagFact { Key = "bluegreen:hook", Value = "bluegreen-dev" },
        ClusterRoles = clusterRoles,
        NodeRoles = nodeRoles,
        PodIdentityRoles = podIdentityRoles,
    };
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class JsonNodeContext : System.Text.Json.Serialization.JsonSerializerContext;
