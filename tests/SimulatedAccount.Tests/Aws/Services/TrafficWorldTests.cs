using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.CloudWatch;
using BlueGreen.Simulator.Aws.Services.Elbv2;
using BlueGreen.Simulator.Aws.Services.Route53;
using static BlueGreen.Simulator.Tests.Aws.Services.TrafficTestKit;

namespace BlueGreen.Simulator.Tests.Aws.Services;

/// <summary>The default world's traffic and alarm resources carry the names other checks rely on.</summary>
public sealed class TrafficWorldTests : IDisposable
{
    private readonly SimulatedAccount _account = DefaultWorld();

    public void Dispose() => _account.Dispose();

    [Fact]
    public void DefaultWorld_AlbRuleForwards100To0ToBlueAndGreenTargetGroups()
    {
        var weights = _account.Service<Elbv2Service>().Weights.Where(w => w.ActionOwnerArn == RuleArn).ToList();

        Assert.Equal(
            [("shop-blue-tg", BlueTg, "shop-blue", 100, 100.0), ("shop-green-tg", GreenTg, "shop-green", 0, 0.0)],
            weights.Select(w => (w.TargetGroupName, w.TargetGroupArn, w.Cluster, w.Weight, w.Percent)));
        var listener = Call(_account, "elasticloadbalancingv2", "DescribeListeners", """{"ListenerArns":["LISTENER_ARN"]}""").GetArray("Listeners")![0].AsObject();
        Assert.Equal(("HTTPS", 443.0), (listener.GetString("Protocol"), listener.GetNumber("Port")!.Value));
        var rule = Call(_account, "elasticloadbalancingv2", "DescribeRules", """{"RuleArns":["RULE_ARN"]}""").GetArray("Rules")![0].AsObject();
        Assert.Equal(["host-header", "path-pattern"], rule.GetArray("Conditions")!.Select(c => c.AsObject().GetString("Field")));
    }

    [Fact]
    public void DefaultWorld_AlarmsAreOkAndWatchGreen()
    {
        var cloudWatch = _account.Service<CloudWatchService>();

        Assert.Equal(("OK", "OK"), (cloudWatch.StateOf("shop-5xx-rate"), cloudWatch.StateOf("shop-p99-latency")));
    }

    [Fact]
    public void DefaultWorld_ApiRecordsAreWeighted255To0()
    {
        var weights = _account.Service<Route53Service>().Weights;

        Assert.Equal(
            [("example.com.", "api.example.com.", "A", "blue", "shop-blue", 255, 100.0), ("example.com.", "api.example.com.", "A", "green", "shop-green", 0, 0.0)],
            weights.Select(w => (w.Zone, w.Name, w.Type, w.SetIdentifier, w.Cluster, w.Weight, w.Percent)));
        Assert.All(weights, w => Assert.True(w.InSync));
    }

    [Fact]
    public void DefaultWorld_RegistersTheTrafficEventActions()
    {
        Assert.Contains("setAlarmState", _account.EventActionNames);
        Assert.Contains("setTargetHealth", _account.EventActionNames);
    }
}
