using BlueGreen.Functions.Aws;

namespace BlueGreen.Functions.Tests.Support;

/// <summary>Traffic wiring as the adapters read it, for the tests of the decisions that read it.</summary>
internal static class Wiring
{
    /// <summary>A forward action splitting between target groups with these weights (null: a tuple without Weight).</summary>
    public static ElbAction Forward(params (string Arn, int? Weight)[] groups) => new()
    {
        Type = "forward",
        ForwardConfig = new ForwardActionConfig { TargetGroups = [.. groups.Select(g => new TargetGroupTuple { TargetGroupArn = g.Arn, Weight = g.Weight })] },
    };
}
