using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Aws.Services;

/// <summary>The default world's traffic resources and small helpers shared by the ELBv2, Route 53 and CloudWatch tests.</summary>
internal static class TrafficTestKit
{
    public const string Prefix = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:";
    public const string LoadBalancerArn = Prefix + "loadbalancer/app/shop-alb/50dc6c495c0c9188";
    public const string ListenerArn = Prefix + "listener/app/shop-alb/50dc6c495c0c9188/f2f7dc8efc522ab2";
    public const string RuleArn = Prefix + "listener-rule/app/shop-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
    public const string BlueTg = Prefix + "targetgroup/shop-blue-tg/6d0ecf831eec9f09";
    public const string GreenTg = Prefix + "targetgroup/shop-green-tg/3e1f2a7b9c4d5e60";
    public const string ZoneId = "Z04418462O8NOY6GWC6MT";

    /// <summary>An account seeded from the default world, with optional per-service overrides and scenario events.</summary>
    public static SimulatedAccount DefaultWorld(JObject? services = null, JArray? events = null)
    {
        var raw = new JObjectBuilder().Add("world", "default");
        if (services is not null)
        {
            raw.Add("services", services);
        }

        if (events is not null)
        {
            raw.Add("events", events);
        }

        return AccountFactory.Create(Scenario.FromJson("test", raw.Build()));
    }

    public static RunSummary Run(SimulatedAccount account, string definition, JValue? input = null) =>
        LocalRunner.Run(account.StepFunctions, DefinitionLoader.Load(Arns(definition)), input ?? JObject.Empty, new StartExecutionOptions());

    /// <summary>A one-Task state machine calling <paramref name="resource"/> with <paramref name="parameters"/>.</summary>
    public static string SingleTask(string resource, string parameters) =>
        """{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"RESOURCE","Parameters":""".Replace("RESOURCE", resource, StringComparison.Ordinal)
        + Arns(parameters) + ""","End":true}}}""";

    /// <summary>Replaces RULE_ARN, LISTENER_ARN, LB_ARN, BLUE_TG and GREEN_TG with the default world's ARNs.</summary>
    public static string Arns(string json) => json
        .Replace("RULE_ARN", RuleArn, StringComparison.Ordinal)
        .Replace("LISTENER_ARN", ListenerArn, StringComparison.Ordinal)
        .Replace("LB_ARN", LoadBalancerArn, StringComparison.Ordinal)
        .Replace("BLUE_TG", BlueTg, StringComparison.Ordinal)
        .Replace("GREEN_TG", GreenTg, StringComparison.Ordinal);

    /// <summary>Makes one call the way Step Functions does (validation, faults, call log, error renaming) on the virtual clock.</summary>
    public static JObject Call(SimulatedAccount account, string sdkName, string action, string parameters)
    {
        var service = account.ServiceBySdkName(sdkName) ?? throw new InvalidOperationException($"no service {sdkName}");
        var context = new AwsCallContext { Account = account, Cancellation = CancellationToken.None };
        return (JObject)account.Scheduler.Run(() => account.CallAsync(service, action, (JObject)JValue.Parse(Arns(parameters)), context));
    }

    /// <summary>The error a call fails with, as a Catch sees it.</summary>
    public static StatesException CallFails(SimulatedAccount account, string sdkName, string action, string parameters) =>
        Assert.Throws<StatesException>(() => Call(account, sdkName, action, parameters));

    /// <summary>A weighted forward action list for ModifyRule / ModifyListener.</summary>
    public static string Forward(int blue, int green) =>
        """[{"Type":"forward","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"BLUE_TG","Weight":BW},{"TargetGroupArn":"GREEN_TG","Weight":GW}]}}]"""
            .Replace("BW", blue.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("GW", green.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public static JObject ModifyRule(SimulatedAccount account, int blue, int green) =>
        Call(account, "elasticloadbalancingv2", "ModifyRule", """{"RuleArn":"RULE_ARN","Actions":""" + Forward(blue, green) + "}");
}
