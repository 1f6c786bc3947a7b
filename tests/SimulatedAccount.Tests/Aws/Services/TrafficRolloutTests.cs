using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.CloudWatch;
using BlueGreen.Simulator.Aws.Services.Elbv2;
using static BlueGreen.Simulator.Tests.Aws.Services.TrafficTestKit;

namespace BlueGreen.Simulator.Tests.Aws.Services;

/// <summary>
/// A small canary rollout state machine (shift, bake, check alarms every minute, roll back on ALARM) run
/// against the simulated ELBv2 and CloudWatch together, as the upgrade workflow will.
/// </summary>
public sealed class TrafficRolloutTests : IDisposable
{
    private const string Canary = """
        {"StartAt":"Shift traffic to the canary weight","States":{
          "Shift traffic to the canary weight":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:elasticloadbalancingv2:modifyRule",
            "Parameters":{"RuleArn":"RULE_ARN","Actions":[{"Type":"forward","ForwardConfig":{"TargetGroups":[
              {"TargetGroupArn":"BLUE_TG","Weight":90},{"TargetGroupArn":"GREEN_TG","Weight":10}]}}]},
            "ResultPath":null,"Next":"Bake"},
          "Bake":{"Type":"Wait","Seconds":60,"Next":"Check alarms"},
          "Check alarms":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:cloudwatch:describeAlarms",
            "Parameters":{"AlarmNames":["shop-5xx-rate","shop-p99-latency"]},
            "ResultSelector":{"firing.$":"$.MetricAlarms[?(@.StateValue == 'ALARM')].AlarmName"},
            "ResultPath":"$.alarms","Next":"Any alarm firing?"},
          "Any alarm firing?":{"Type":"Choice","Choices":[{"Variable":"$.alarms.firing[0]","IsPresent":true,"Next":"Roll back to Blue"}],"Default":"Count the bake"},
          "Count the bake":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.bakes.n, 1)"},"ResultPath":"$.bakes","Next":"Baked long enough?"},
          "Baked long enough?":{"Type":"Choice","Choices":[{"Variable":"$.bakes.n","NumericGreaterThanEquals":5,"Next":"Done"}],"Default":"Bake"},
          "Roll back to Blue":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:elasticloadbalancingv2:modifyRule",
            "Parameters":{"RuleArn":"RULE_ARN","Actions":[{"Type":"forward","ForwardConfig":{"TargetGroups":[
              {"TargetGroupArn":"BLUE_TG","Weight":100},{"TargetGroupArn":"GREEN_TG","Weight":0}]}}]},
            "ResultPath":null,"Next":"Rolled back"},
          "Rolled back":{"Type":"Fail","Error":"RolledBack","Cause":"An alarm fired during the canary"},
          "Done":{"Type":"Succeed"}}}
        """;

    private readonly SimulatedAccount _account = DefaultWorld();

    public void Dispose() => _account.Dispose();

    [Fact]
    public void Canary_FaultyGreen_RollsBackWhenTheAlarmFires()
    {
        _account.Workloads.SetFaulty("shop-green", true);

        var summary = Run(_account, Canary, BlueGreen.Simulator.Json.JValue.Parse("""{"bakes":{"n":0}}"""));

        Assert.Equal(("FAILED", "RolledBack"), (summary.Status, summary.Error));
        Assert.Equal(120, summary.VirtualSeconds); // 5xx rate: 2 of 3 one-minute datapoints
        Assert.Equal(0, _account.Service<Elbv2Service>().TrafficPercentOfCluster("shop-green"));
        _account.Scheduler.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("OK", _account.Service<CloudWatchService>().StateOf("shop-5xx-rate"));
    }

    [Fact]
    public void Canary_HealthyGreen_BakesToTheEnd()
    {
        var summary = Run(_account, Canary, BlueGreen.Simulator.Json.JValue.Parse("""{"bakes":{"n":0}}"""));

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal(300, summary.VirtualSeconds);
        Assert.Equal(10, _account.Service<Elbv2Service>().TrafficPercentOfCluster("shop-green"));
    }
}
