using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.Elbv2;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;
using static BlueGreen.Simulator.Tests.Aws.Services.TrafficTestKit;

namespace BlueGreen.Simulator.Tests.Aws.Services.Elbv2;

public sealed class Elbv2ServiceTests : IDisposable
{
    private const string Elb = "elasticloadbalancingv2";

    private readonly SimulatedAccount _account = DefaultWorld();

    public void Dispose() => _account.Dispose();

    private Elbv2Service Service => _account.Service<Elbv2Service>();

    [Fact]
    public void ModifyRule_WeightedForwardFromStateMachine_ReplacesActionsAndMovesTraffic()
    {
        var summary = Run(_account, SingleTask("arn:aws:states:::aws-sdk:elasticloadbalancingv2:modifyRule",
            """{"RuleArn":"RULE_ARN","Actions":""" + Forward(90, 10) + "}"));

        Assert.Equal("SUCCEEDED", summary.Status);
        var action = summary.Output!.AsObject().GetArray("Rules")![0].AsObject().GetArray("Actions")![0].AsObject();
        Assert.Equal(
            Arns("""{"Type":"forward","Order":1,"ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"BLUE_TG","Weight":90},{"TargetGroupArn":"GREEN_TG","Weight":10}],"TargetGroupStickinessConfig":{"Enabled":false}}}"""),
            action.ToJson());
        Assert.Equal(10, Service.TrafficPercentOfTargetGroup("shop-green-tg"));
        Assert.Equal(90, Service.TrafficPercentOfCluster("shop-blue"));
        var green = Assert.Single(Service.Weights, w => w.TargetGroupName == "shop-green-tg");
        Assert.Equal((10, "shop-green", RuleArn), (green.Weight, green.Cluster, green.ActionOwnerArn));
        Assert.Equal(["elasticloadbalancing:ModifyRule"], _account.Calls.Calls.Select(c => c.Name));
        Assert.Equal(1, _account.Calls.MutatingCount);
    }

    [Fact]
    public void ModifyRule_RawWeights_AreSharesOfTheirSum()
    {
        ModifyRule(_account, 3, 1);

        Assert.Equal(25, Service.TrafficPercentOfTargetGroup("shop-green-tg"));
        Assert.Equal([3, 1], Service.Weights.Where(w => w.ActionOwnerArn == RuleArn).Select(w => w.Weight));
    }

    [Fact]
    public void ModifyRule_RaisesWeightsChanged()
    {
        var raised = 0;
        Service.WeightsChanged += () => raised++;

        ModifyRule(_account, 50, 50);

        Assert.Equal(1, raised);
    }

    [Fact]
    public void ModifyRule_UnknownRule_IsCaughtAsRuleNotFoundException()
    {
        var missing = RuleArn[..^4] + "0000";
        var summary = Run(_account, """
            {"StartAt":"Shift","States":{
              "Shift":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:elasticloadbalancingv2:modifyRule",
                "Parameters":{"RuleArn":"MISSING","Actions":FORWARD},
                "Catch":[{"ErrorEquals":["ElasticLoadBalancingV2.RuleNotFoundException"],"ResultPath":"$.error","Next":"Gone"}],"End":true},
              "Gone":{"Type":"Pass","End":true}}}
            """.Replace("MISSING", missing, StringComparison.Ordinal).Replace("FORWARD", Forward(90, 10), StringComparison.Ordinal));

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal("ElasticLoadBalancingV2.RuleNotFoundException", summary.Output!.AsObject().GetObject("error")!.GetString("Error"));
        Assert.Equal("One or more rules not found", summary.Output!.AsObject().GetObject("error")!.GetString("Cause"));
    }

    [Fact]
    public void ModifyRule_NotARuleArn_FailsWithValidationError()
    {
        var e = CallFails(_account, Elb, "ModifyRule", """{"RuleArn":"LISTENER_ARN","Actions":""" + Forward(90, 10) + "}");

        Assert.Equal("ElasticLoadBalancingV2.ValidationErrorException", e.Error);
        Assert.Equal($"'{ListenerArn}' is not a valid listener rule ARN", e.Cause);
    }

    [Theory]
    [InlineData(1000, 0)]
    [InlineData(100, -1)]
    public void ModifyRule_WeightOutside0To999_IsRejectedAndChangesNothing(int blue, int green)
    {
        var e = CallFails(_account, Elb, "ModifyRule", """{"RuleArn":"RULE_ARN","Actions":""" + Forward(blue, green) + "}");

        Assert.Equal("ElasticLoadBalancingV2.ValidationErrorException", e.Error);
        Assert.Equal("The weight for each target group must be between 0 and 999, inclusive", e.Cause);
        Assert.Equal(0, Service.TrafficPercentOfTargetGroup("shop-green-tg"));
    }

    [Fact]
    public void ModifyRule_Weight999_IsAccepted()
    {
        ModifyRule(_account, 999, 0);

        Assert.Equal(100, Service.TrafficPercentOfTargetGroup("shop-blue-tg"));
    }

    [Fact]
    public void ModifyRule_MoreThanFiveTargetGroups_IsRejected()
    {
        var tuples = string.Join(",", Enumerable.Range(0, 6).Select(i => i % 2 == 0 ? """{"TargetGroupArn":"BLUE_TG","Weight":1}""" : """{"TargetGroupArn":"GREEN_TG","Weight":1}"""));

        var e = CallFails(_account, Elb, "ModifyRule", """{"RuleArn":"RULE_ARN","Actions":[{"Type":"forward","ForwardConfig":{"TargetGroups":[""" + tuples + "]}}]}");

        Assert.Equal("ElasticLoadBalancingV2.ValidationErrorException", e.Error);
        Assert.Contains("at most 5 target groups", e.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void ModifyRule_SeveralTargetGroupsWithoutWeights_IsRejected()
    {
        var e = CallFails(_account, Elb, "ModifyRule", """
            {"RuleArn":"RULE_ARN","Actions":[{"Type":"forward","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"BLUE_TG"},{"TargetGroupArn":"GREEN_TG","Weight":1}]}}]}
            """);

        Assert.Equal("ElasticLoadBalancingV2.ValidationErrorException", e.Error);
        Assert.Contains("weight for each target group", e.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void ModifyRule_TargetGroupArnDisagreeingWithForwardConfig_IsRejected()
    {
        var e = CallFails(_account, Elb, "ModifyRule", """
            {"RuleArn":"RULE_ARN","Actions":[{"Type":"forward","TargetGroupArn":"BLUE_TG","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"GREEN_TG"}]}}]}
            """);

        Assert.Equal("ElasticLoadBalancingV2.ValidationErrorException", e.Error);
    }

    [Fact]
    public void ModifyRule_SingleTargetGroupArn_IsStoredWithAForwardConfigOfWeightOne()
    {
        var rules = Call(_account, Elb, "ModifyRule", """{"RuleArn":"RULE_ARN","Actions":[{"Type":"forward","TargetGroupArn":"GREEN_TG"}]}""");

        Assert.Equal(
            Arns("""{"Type":"forward","TargetGroupArn":"GREEN_TG","Order":1,"ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"GREEN_TG","Weight":1}],"TargetGroupStickinessConfig":{"Enabled":false}}}"""),
            rules.GetArray("Rules")![0].AsObject().GetArray("Actions")![0].ToJson());
        Assert.Equal(100, Service.TrafficPercentOfCluster("shop-green"));
    }

    [Fact]
    public void ModifyRule_UnknownTargetGroup_FailsWithTargetGroupNotFound()
    {
        var ghost = Prefix + "targetgroup/ghost-tg/1234567890abcdef";

        var e = CallFails(_account, Elb, "ModifyRule", """{"RuleArn":"RULE_ARN","Actions":[{"Type":"forward","TargetGroupArn":"GHOST"}]}""".Replace("GHOST", ghost, StringComparison.Ordinal));

        Assert.Equal("ElasticLoadBalancingV2.TargetGroupNotFoundException", e.Error);
        Assert.Equal($"Target groups '{ghost}' not found", e.Cause);
    }

    [Fact]
    public void ModifyRule_StickinessEnabledWithoutDuration_IsRejected_AndWithDurationIsKept()
    {
        const string Sticky = ""","TargetGroupStickinessConfig":{"Enabled":true""";
        var forward = Forward(80, 20)[..^3];

        var e = CallFails(_account, Elb, "ModifyRule", """{"RuleArn":"RULE_ARN","Actions":""" + forward + Sticky + "}}}]}");
        var ok = Call(_account, Elb, "ModifyRule", """{"RuleArn":"RULE_ARN","Actions":""" + forward + Sticky + ""","DurationSeconds":3600}}}]}""");

        Assert.Equal("ElasticLoadBalancingV2.ValidationErrorException", e.Error);
        Assert.Equal("""{"Enabled":true,"DurationSeconds":3600}""",
            ok.GetArray("Rules")![0].AsObject().GetArray("Actions")![0].AsObject().GetObject("ForwardConfig")!.GetObject("TargetGroupStickinessConfig")!.ToJson());
    }

    private const string StickyHour = ""","TargetGroupStickinessConfig":{"Enabled":true,"DurationSeconds":3600}}}]""";

    private void StickyRule(int blue, int green) =>
        Call(_account, Elb, "ModifyRule", """{"RuleArn":"RULE_ARN","Actions":""" + Forward(blue, green)[..^3] + StickyHour + "}");

    [Fact]
    public void ModifyRule_LoweringGreensWeightWithStickinessOn_KeepsItsStickyClientsUntilTheDurationEnds()
    {
        StickyRule(75, 25);
        StickyRule(100, 0);

        // DescribeRules answers with the configured weights; the traffic Green gets still includes its sticky clients.
        Assert.Equal([100, 0], Service.Weights.Where(w => w.ActionOwnerArn == RuleArn).Select(w => w.Weight));
        Assert.Equal(25, Service.TrafficPercentOfTargetGroup("shop-green-tg"));
        Assert.Equal(75, Service.TrafficPercentOfTargetGroup("shop-blue-tg"));

        _account.Scheduler.Advance(TimeSpan.FromSeconds(3599));
        Assert.Equal(25, Service.TrafficPercentOfTargetGroup("shop-green-tg"));
        _account.Scheduler.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, Service.TrafficPercentOfTargetGroup("shop-green-tg"));
    }

    [Fact]
    public void ModifyRule_ForwardingToBlueAloneWithStickinessOff_MovesStickyClientsAtOnce()
    {
        StickyRule(75, 25);

        Call(_account, Elb, "ModifyRule", """{"RuleArn":"RULE_ARN","Actions":[{"Type":"forward","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"BLUE_TG","Weight":100}],"TargetGroupStickinessConfig":{"Enabled":false}}}]}""");

        Assert.Equal(0, Service.TrafficPercentOfTargetGroup("shop-green-tg"));
        Assert.Equal(100, Service.TrafficPercentOfTargetGroup("shop-blue-tg"));
    }

    [Fact]
    public void ModifyRule_RaisingGreensWeightWithStickinessOn_KeepsBluesStickyClients()
    {
        StickyRule(90, 10);
        StickyRule(50, 50);

        // Sessions pinned to Blue stay there: the new weights apply to new clients only, until the cookies expire.
        Assert.Equal(90, Service.TrafficPercentOfTargetGroup("shop-blue-tg"));
        Assert.Equal(10, Service.TrafficPercentOfTargetGroup("shop-green-tg"), 6);
    }

    [Fact]
    public void ModifyRule_StickinessLongerThanSevenDays_IsRejected()
    {
        var forward = Forward(80, 20)[..^3];

        var e = CallFails(_account, Elb, "ModifyRule", """{"RuleArn":"RULE_ARN","Actions":""" + forward + ""","TargetGroupStickinessConfig":{"Enabled":true,"DurationSeconds":604801}}}]}""");

        Assert.Equal("ElasticLoadBalancingV2.ValidationErrorException", e.Error);
    }

    [Fact]
    public void ModifyRule_TwoRoutingActions_FailsWithInvalidLoadBalancerAction()
    {
        var e = CallFails(_account, Elb, "ModifyRule", """
            {"RuleArn":"RULE_ARN","Actions":[{"Type":"forward","TargetGroupArn":"BLUE_TG","Order":1},
              {"Type":"fixed-response","FixedResponseConfig":{"StatusCode":"503"},"Order":2}]}
            """);

        Assert.Equal("ElasticLoadBalancingV2.InvalidLoadBalancerActionException", e.Error);
    }

    [Fact]
    public void ModifyListener_WeightedDefaultActions_ReplaceTheDefaultRule()
    {
        var result = Call(_account, Elb, "ModifyListener", """{"ListenerArn":"LISTENER_ARN","DefaultActions":""" + Forward(50, 50) + "}");
        var rules = Call(_account, Elb, "DescribeRules", """{"ListenerArn":"LISTENER_ARN"}""").GetArray("Rules")!;

        var listener = result.GetArray("Listeners")![0].AsObject();
        Assert.Equal(443, listener.GetNumber("Port"));
        Assert.Equal(2, listener.GetArray("DefaultActions")![0].AsObject().GetObject("ForwardConfig")!.GetArray("TargetGroups")!.Count);
        var defaultRule = rules[^1].AsObject();
        Assert.Equal((true, "default"), (defaultRule.GetBool("IsDefault")!.Value, defaultRule.GetString("Priority")));
        Assert.Equal(listener.GetArray("DefaultActions"), defaultRule.GetArray("Actions"));
        Assert.Contains(Service.Weights, w => w.ActionOwnerArn != RuleArn && w.TargetGroupName == "shop-green-tg" && w.Percent == 50);
    }

    [Fact]
    public void ModifyListener_UnknownListener_FailsWithListenerNotFound()
    {
        var e = CallFails(_account, Elb, "ModifyListener", """{"ListenerArn":"LISTENER_ARN","DefaultActions":""".Replace("LISTENER_ARN", ListenerArn[..^4] + "abcd", StringComparison.Ordinal) + Forward(50, 50) + "}");

        Assert.Equal("ElasticLoadBalancingV2.ListenerNotFoundException", e.Error);
        Assert.Equal("One or more listeners not found", e.Cause);
    }

    [Fact]
    public void ModifyListener_StickyTargetGroupWithoutGroupStickiness_FailsWithInvalidConfigurationRequest()
    {
        using var account = AccountFactory.Create(Scenario.FromJson("sticky", (JObject)JValue.Parse("""
            {"services":{"elbv2":{
              "targetGroups":[{"name":"a-tg","stickiness":true},{"name":"b-tg"}],
              "loadBalancers":[{"name":"lb","listeners":[{"port":80,"protocol":"HTTP","forward":[{"targetGroup":"a-tg"}]}]}]}}}
            """)));
        var service = account.Service<Elbv2Service>();
        var lbArn = Call(account, Elb, "DescribeLoadBalancers", """{"Names":["lb"]}""").GetArray("LoadBalancers")![0].AsObject().GetString("LoadBalancerArn");
        var listener = Call(account, Elb, "DescribeListeners", """{"LoadBalancerArn":"THE_LB"}""".Replace("THE_LB", lbArn!, StringComparison.Ordinal)).GetArray("Listeners")![0].AsObject().GetString("ListenerArn")!;

        var e = CallFails(account, Elb, "ModifyListener", """
            {"ListenerArn":"LISTENER","DefaultActions":[{"Type":"forward","ForwardConfig":{"TargetGroups":[
              {"TargetGroupArn":"A_TG","Weight":1},{"TargetGroupArn":"B_TG","Weight":1}]}}]}
            """.Replace("LISTENER", listener, StringComparison.Ordinal)
            .Replace("A_TG", service.TargetGroupArn("a-tg"), StringComparison.Ordinal)
            .Replace("B_TG", service.TargetGroupArn("b-tg"), StringComparison.Ordinal));

        Assert.Equal("ElasticLoadBalancingV2.InvalidConfigurationRequestException", e.Error);
    }

    [Fact]
    public void DescribeTargetHealth_FollowsTheBoundClustersWorkloads()
    {
        string Health() => Call(_account, Elb, "DescribeTargetHealth", """{"TargetGroupArn":"GREEN_TG"}""")
            .GetArray("TargetHealthDescriptions")!.Select(d => d.AsObject().GetObject("TargetHealth")!.ToJson()).Distinct().Single();

        var before = Call(_account, Elb, "DescribeTargetHealth", """{"TargetGroupArn":"GREEN_TG"}""").GetArray("TargetHealthDescriptions")!;
        Assert.Equal(3, before.Count);
        Assert.Equal("""{"State":"initial","Reason":"Elb.RegistrationInProgress","Description":"Target registration is in progress"}""", Health());

        _account.Scheduler.Advance(TimeSpan.FromMinutes(10));
        _account.Workloads.SetReady("shop-green", true);
        Assert.Equal("""{"State":"initial","Reason":"Elb.InitialHealthChecking","Description":"Initial health checks in progress"}""", Health());

        _account.Scheduler.Advance(TimeSpan.FromSeconds(30)); // 2 healthy checks x 15 s
        Assert.Equal("""{"State":"healthy"}""", Health());

        _account.Workloads.SetReady("shop-green", false);
        Assert.Equal("""{"State":"healthy"}""", Health());
        _account.Scheduler.Advance(TimeSpan.FromSeconds(30)); // 2 failed checks x 15 s
        Assert.Equal("""{"State":"unhealthy","Reason":"Target.FailedHealthChecks","Description":"Health checks failed"}""", Health());
    }

    [Fact]
    public void DescribeTargetHealth_DescribesEachTargetWithItsPortAndZone()
    {
        var first = Call(_account, Elb, "DescribeTargetHealth", """{"TargetGroupArn":"BLUE_TG"}""").GetArray("TargetHealthDescriptions")![0].AsObject();

        Assert.Equal(8080, first.GetObject("Target")!.GetNumber("Port"));
        Assert.StartsWith("10.0.", first.GetObject("Target")!.GetString("Id"), StringComparison.Ordinal);
        Assert.Equal("ap-northeast-2a", first.GetObject("Target")!.GetString("AvailabilityZone"));
        Assert.Equal("8080", first.GetString("HealthCheckPort"));
    }

    [Fact]
    public void DescribeTargetHealth_ReadyAtWorldStart_IsHealthyAtOnce()
    {
        using var account = AccountFactory.Create(Scenario.FromJson("ready", JObject.Of(("world", "default"))).AccountOptions);
        account.Workloads.SetReady("shop-blue", true);
        Scenario.FromJson("ready", JObject.Of(("world", "default"))).Apply(account);

        var health = Call(account, Elb, "DescribeTargetHealth", """{"TargetGroupArn":"BLUE_TG"}""").GetArray("TargetHealthDescriptions")!;

        Assert.All(health, d => Assert.Equal("healthy", d.AsObject().GetObject("TargetHealth")!.GetString("State")));
    }

    [Fact]
    public void DescribeTargetHealth_UnknownTargetGroup_FailsWithTargetGroupNotFound()
    {
        var e = CallFails(_account, Elb, "DescribeTargetHealth", """{"TargetGroupArn":"PREFIXtargetgroup/nope/0123456789abcdef"}""".Replace("PREFIX", Prefix, StringComparison.Ordinal));

        Assert.Equal("ElasticLoadBalancingV2.TargetGroupNotFoundException", e.Error);
    }

    [Fact]
    public void SetTargetHealthEvent_ForcesTheStateUntilAuto()
    {
        using var account = DefaultWorld(events: (JArray)JValue.Parse("""
            [{"at":"1m","do":"setTargetHealth","targetGroup":"shop-blue-tg","state":"unhealthy"},
             {"at":"2m","do":"setTargetHealth","targetGroup":"shop-blue-tg","state":"auto"}]
            """));
        account.Workloads.SetReady("shop-blue", true);
        string State() => Call(account, Elb, "DescribeTargetHealth", """{"TargetGroupArn":"BLUE_TG"}""")
            .GetArray("TargetHealthDescriptions")![0].AsObject().GetObject("TargetHealth")!.GetString("State")!;

        account.Scheduler.Advance(TimeSpan.FromSeconds(90));
        var during = State();
        account.Scheduler.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(("unhealthy", "healthy"), (during, State()));
    }

    [Fact]
    public void SetForwardWeightsEvent_RewritesTheRuleOrTheListenerDefaultActionLikeAnOperator()
    {
        using var account = DefaultWorld(events: (JArray)JValue.Parse("""
            [{"at":"1m","do":"setForwardWeights","rule":"9683b2d02a6cabee","weights":{"shop-blue-tg":30,"shop-green-tg":70}},
             {"at":"2m","do":"setForwardWeights","listener":"d5ef1b3aa1ba9e2b","weights":{"shop-green-tg":1}}]
            """));
        var changes = 0;
        account.Service<Elbv2Service>().WeightsChanged += () => changes++;

        account.Scheduler.Advance(TimeSpan.FromMinutes(3));

        var weights = account.Service<Elbv2Service>().Weights;
        Assert.Equal([("shop-blue-tg", 30), ("shop-green-tg", 70), ("shop-green-tg", 1)], weights.Select(w => (w.TargetGroupName, w.Weight)));
        Assert.Equal(2, changes);
    }

    [Theory]
    [InlineData("""{"weights":{"shop-blue-tg":1}}""", "needs 'rule' or 'listener'")]
    [InlineData("""{"rule":"0000000000000000","weights":{"shop-blue-tg":1}}""", "no rule '0000000000000000'")]
    [InlineData("""{"rule":"9683b2d02a6cabee","weights":{"nope-tg":1}}""", "no target group 'nope-tg'")]
    [InlineData("""{"rule":"9683b2d02a6cabee","weights":{}}""", "needs 'weights'")]
    [InlineData("""{"rule":"9683b2d02a6cabee","weights":{"shop-blue-tg":1000}}""", "999")]
    public void SetForwardWeightsEvent_BadArguments_AreNamed(string args, string expected)
    {
        Assert.True(_account.TryGetEventAction("setForwardWeights", out var action));

        var e = Assert.ThrowsAny<Exception>(() => action(JValue.Parse(args).AsObject()));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describes_ReturnTheWorldInTheApiShapes()
    {
        var lb = Call(_account, Elb, "DescribeLoadBalancers", """{"Names":["shop-alb"]}""").GetArray("LoadBalancers")![0].AsObject();
        var listeners = Call(_account, Elb, "DescribeListeners", """{"LoadBalancerArn":"LB_ARN"}""").GetArray("Listeners")!;
        var groups = Call(_account, Elb, "DescribeTargetGroups", """{"LoadBalancerArn":"LB_ARN"}""").GetArray("TargetGroups")!;
        var tags = Call(_account, Elb, "DescribeTags", """{"ResourceArns":["LB_ARN","GREEN_TG"]}""").GetArray("TagDescriptions")!;

        Assert.Equal((LoadBalancerArn, "internet-facing", "application", "active"), (lb.GetString("LoadBalancerArn"), lb.GetString("Scheme"), lb.GetString("Type"), lb.GetObject("State")!.GetString("Code")));
        Assert.Equal("ZWKZPGTI48KDX", lb.GetString("CanonicalHostedZoneId"));
        Assert.EndsWith(".ap-northeast-2.elb.amazonaws.com", lb.GetString("DNSName"), StringComparison.Ordinal);
        Assert.Equal([80.0, 443.0], listeners.Select(l => l.AsObject().GetNumber("Port")!.Value));
        Assert.Equal(["shop-blue-tg", "shop-green-tg"], groups.Select(g => g.AsObject().GetString("TargetGroupName")));
        Assert.Equal([LoadBalancerArn], groups[1].AsObject().GetArray("LoadBalancerArns")!.Select(a => a.AsString()));
        Assert.Equal("/healthz", groups[1].AsObject().GetString("HealthCheckPath"));
        Assert.Contains(tags[1].AsObject().GetArray("Tags")!, t => t.AsObject().GetString("Key") == "color" && t.AsObject().GetString("Value") == "green");
    }

    [Fact]
    public void DescribeRules_PagesWithMarker()
    {
        var first = Call(_account, Elb, "DescribeRules", """{"ListenerArn":"LISTENER_ARN","PageSize":1}""");
        var second = Call(_account, Elb, "DescribeRules", """{"ListenerArn":"LISTENER_ARN","PageSize":1,"Marker":"NEXT_MARKER"}""".Replace("NEXT_MARKER", first.GetString("NextMarker"), StringComparison.Ordinal));

        Assert.Equal(RuleArn, first.GetArray("Rules")![0].AsObject().GetString("RuleArn"));
        Assert.Equal("10", first.GetArray("Rules")![0].AsObject().GetString("Priority"));
        Assert.True(second.GetArray("Rules")![0].AsObject().GetBool("IsDefault"));
        Assert.Null(second.GetString("NextMarker"));
    }

    [Fact]
    public void DescribeLoadBalancers_UnknownName_FailsWithLoadBalancerNotFound()
    {
        var e = CallFails(_account, Elb, "DescribeLoadBalancers", """{"Names":["nope"]}""");

        Assert.Equal("ElasticLoadBalancingV2.LoadBalancerNotFoundException", e.Error);
    }

    [Fact]
    public void Seed_BadWorld_ReportsEveryProblem()
    {
        var scenario = Scenario.FromJson("bad", (JObject)JValue.Parse("""
            {"services":{"elbv2":{"bogus":1,
              "targetGroups":[{"name":"a-tg"}],
              "loadBalancers":[{"name":"lb","listeners":[{"port":80,"protocol":"HTTP",
                "forward":[{"targetGroup":"missing-tg"}],
                "rules":[{"priority":5,"hostHeader":["x.example.com"],"forward":[{"targetGroup":"a-tg","weight":1000}]}]}]}]}}}
            """));

        var e = Assert.Throws<ScenarioException>(() => AccountFactory.Create(scenario));

        Assert.Contains("unknown field 'bogus'", e.Message, StringComparison.Ordinal);
        Assert.Contains("no target group 'missing-tg'", e.Message, StringComparison.Ordinal);
    }
}
