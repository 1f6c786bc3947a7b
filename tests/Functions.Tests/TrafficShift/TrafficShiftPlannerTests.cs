using System.Text.Json;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Tests.Support;
using BlueGreen.Functions.Traffic;
using BlueGreen.Functions.TrafficShift;

namespace BlueGreen.Functions.Tests.TrafficShift;

public class TrafficShiftPlannerTests
{
    private static UpgradePlan RulePlan() => Inputs.Plan(Inputs.Alb().With("traffic.ruleArn", "\"" + Inputs.Rule + "\""));

    private static ResourceRecordSet Record(string setId, long weight) => new()
    {
        Name = "api.example.com.",
        Type = "A",
        SetIdentifier = setId,
        Weight = weight,
        AliasTarget = new AliasTarget { HostedZoneId = "ZWKZPGTI48KDX", DnsName = $"{setId}-alb-123456.us-east-1.elb.amazonaws.com.", EvaluateTargetHealth = true },
        HealthCheckId = setId == "blue" ? "abcdef11-2222-3333-4444-555555fedcba" : null,
    };

    [Fact]
    public void Plan_AlbWithoutRule_ModifiesTheListenersDefaultAction()
    {
        var shift = TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = Inputs.Plan(Inputs.Alb().With("traffic.ruleArn", null)), GreenPercent = 25 });

        Assert.Equal("ModifyListener", shift.ApiCall);
        Assert.IsNotType<ModifyRuleRequest>(shift.Request);
        Assert.Equal(Inputs.Listener, ((ModifyListenerRequest)shift.Request).ListenerArn);
        var action = Assert.Single(((ModifyListenerRequest)shift.Request).DefaultActions);
        Assert.Equal("forward", action.Type);
        Assert.Null(action.TargetGroupArn);
        Assert.Equal(
            [new TargetGroupTuple { TargetGroupArn = Inputs.BlueTg, Weight = 75 }, new TargetGroupTuple { TargetGroupArn = Inputs.GreenTg, Weight = 25 }],
            action.ForwardConfig!.TargetGroups!);
        Assert.Equal((75, 25), (shift.BlueWeight, shift.GreenWeight));
    }

    [Fact]
    public void Plan_AlbWithRule_ModifiesTheRule()
    {
        var shift = TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = RulePlan(), GreenPercent = 50 });

        Assert.Equal("ModifyRule", shift.ApiCall);
        Assert.IsNotType<ModifyListenerRequest>(shift.Request);
        Assert.Equal(Inputs.Rule, ((ModifyRuleRequest)shift.Request).RuleArn);
        Assert.Equal([50, 50], ((ModifyRuleRequest)shift.Request).Actions[0].ForwardConfig!.TargetGroups!.Select(t => t.Weight!.Value));
    }

    [Fact]
    public void Plan_AlbWithCurrentActions_KeepsOtherActionsAndStickiness()
    {
        using var oidc = JsonDocument.Parse("{\"Issuer\":\"https://idp.example.com\",\"ClientId\":\"shop\"}");
        var current = new[]
        {
            new ElbAction { Type = "authenticate-oidc", Order = 1, OtherMembers = new() { ["AuthenticateOidcConfig"] = oidc.RootElement.Clone() } },
            new ElbAction
            {
                Type = "forward", Order = 2, TargetGroupArn = Inputs.BlueTg,
                ForwardConfig = new ForwardActionConfig
                {
                    TargetGroups = [new TargetGroupTuple { TargetGroupArn = Inputs.BlueTg, Weight = 1 }, new TargetGroupTuple { TargetGroupArn = Inputs.GreenTg, Weight = 0 }],
                    TargetGroupStickinessConfig = new TargetGroupStickinessConfig { Enabled = true, DurationSeconds = 600 },
                },
            },
        };

        var shift = TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = RulePlan(), GreenPercent = 10, Current = new AlbTrafficReading { CurrentActions = current } });

        var actions = ((ModifyRuleRequest)shift.Request).Actions;
        Assert.Same(current[0], actions[0]);
        Assert.Equal(2, actions[1].Order);
        Assert.Null(actions[1].TargetGroupArn);
        Assert.Equal(new TargetGroupStickinessConfig { Enabled = true, DurationSeconds = 600 }, actions[1].ForwardConfig!.TargetGroupStickinessConfig);
        Assert.Equal([90, 10], actions[1].ForwardConfig!.TargetGroups!.Select(t => t.Weight!.Value));
    }

    [Fact]
    public void Plan_AlbForwardToSomethingElse_RefusesToTakeOver()
    {
        var current = new[] { new ElbAction { Type = "forward", TargetGroupArn = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/other/0123456789abcdef" } };

        var error = Assert.Throws<TrafficTargetNotFound>(() => TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = Inputs.AlbPlan(), GreenPercent = 10, Current = new AlbTrafficReading { CurrentActions = current } }));

        Assert.Contains("neither Blue's nor Green's target group", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_AlbForwardWithoutGreen_RefusesBecauseGreenCouldNeverBeHealthy()
    {
        var current = new[] { new ElbAction { Type = "forward", TargetGroupArn = Inputs.BlueTg } };

        // describe-blue's preflight asks for 0% to Green (not a rollback): Green's group must already be in the action.
        var error = Assert.Throws<TrafficTargetNotFound>(() => TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = Inputs.AlbPlan(), GreenPercent = 0, Current = new AlbTrafficReading { CurrentActions = current } }));

        var problem = Assert.Single(error.Problems);
        Assert.Contains("does not forward to Green's target group", problem, StringComparison.Ordinal);
        Assert.Contains("weight 0", problem, StringComparison.Ordinal);
    }

    /// <summary>One forward action over <paramref name="groups"/> (target group ARN, weight) with that stickiness.</summary>
    private static ElbAction[] Forward(TargetGroupStickinessConfig stickiness, params (string TargetGroupArn, int Weight)[] groups) =>
    [
        new ElbAction
        {
            Type = "forward",
            ForwardConfig = new ForwardActionConfig
            {
                TargetGroups = [.. groups.Select(g => new TargetGroupTuple { TargetGroupArn = g.TargetGroupArn, Weight = g.Weight })],
                TargetGroupStickinessConfig = stickiness,
            },
        },
    ];

    [Fact]
    public void Plan_AlbRollbackWhenAnEarlierRollbackForwardsToBlueAlone_KeepsBlueAlone()
    {
        // alarm-rollback may already have forwarded to Blue alone; the run's own rollback then changes nothing.
        var current = Forward(new TargetGroupStickinessConfig { Enabled = false }, (Inputs.BlueTg, 100));

        var shift = TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = RulePlan(), Rollback = true, Current = new AlbTrafficReading { CurrentActions = current } });

        var forward = Assert.Single(((ModifyRuleRequest)shift.Request).Actions);
        Assert.Equal([(Inputs.BlueTg, 100)], forward.ForwardConfig!.TargetGroups!.Select(t => (t.TargetGroupArn, t.Weight!.Value)));
        Assert.Equal((0, 100), (shift.GreenWeight, shift.BlueWeight));
    }

    [Fact]
    public void Plan_AlbRollbackWithStickinessOn_ForwardsToBlueAloneWithStickinessOff_AndSaysWhatToPutBack()
    {
        var current = Forward(new TargetGroupStickinessConfig { Enabled = true, DurationSeconds = 3600 }, (Inputs.BlueTg, 75), (Inputs.GreenTg, 25));

        var shift = TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = RulePlan(), Rollback = true, Current = new AlbTrafficReading { CurrentActions = current } });

        // The AWSALBTG cookie routes to the group it names while stickiness is on; a group the action does not list gets nothing.
        var forward = Assert.Single(((ModifyRuleRequest)shift.Request).Actions).ForwardConfig!;
        Assert.Equal([(Inputs.BlueTg, 100)], forward.TargetGroups!.Select(t => (t.TargetGroupArn, t.Weight!.Value)));
        Assert.Equal(new TargetGroupStickinessConfig { Enabled = false }, forward.TargetGroupStickinessConfig);
        Assert.Contains("stickiness (3600 s) was on", shift.Description, StringComparison.Ordinal);
        Assert.Contains($"put Green's target group {Inputs.GreenTg} back", shift.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_AlbStepWithStickinessOn_KeepsBothGroupsAndStickiness()
    {
        var current = Forward(new TargetGroupStickinessConfig { Enabled = true, DurationSeconds = 3600 }, (Inputs.BlueTg, 100), (Inputs.GreenTg, 0));

        var shift = TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = RulePlan(), GreenPercent = 0, Current = new AlbTrafficReading { CurrentActions = current } });

        var forward = Assert.Single(((ModifyRuleRequest)shift.Request).Actions).ForwardConfig!;
        Assert.Equal(2, forward.TargetGroups!.Count);
        Assert.Equal(new TargetGroupStickinessConfig { Enabled = true, DurationSeconds = 3600 }, forward.TargetGroupStickinessConfig);
    }

    [Fact]
    public void Plan_AlbForwardWithAThirdTargetGroup_RefusesInsteadOfDroppingIt()
    {
        const string canary = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/shop-canary-tg/0123456789abcdef";
        var current = new[]
        {
            new ElbAction
            {
                Type = "forward",
                ForwardConfig = new ForwardActionConfig
                {
                    TargetGroups =
                    [
                        new TargetGroupTuple { TargetGroupArn = Inputs.BlueTg, Weight = 90 },
                        new TargetGroupTuple { TargetGroupArn = canary, Weight = 10 },
                        new TargetGroupTuple { TargetGroupArn = Inputs.GreenTg, Weight = 0 },
                    ],
                },
            },
        };

        var error = Assert.Throws<TrafficTargetNotFound>(() => TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = Inputs.AlbPlan(), GreenPercent = 10, Current = new AlbTrafficReading { CurrentActions = current } }));

        var problem = Assert.Single(error.Problems);
        Assert.Contains("also forwards to " + canary, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_Rollback_SendsEverythingToBlue()
    {
        var shift = TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = Inputs.AlbPlan(), GreenPercent = 50, Rollback = true });

        Assert.True(shift.Rollback);
        Assert.Equal((0, 100, 0), (shift.GreenPercent, shift.BlueWeight, shift.GreenWeight));
        Assert.Contains("roll back", shift.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Plan_PercentOutOfRange_IsInvalidInput(int percent)
    {
        var error = Assert.Throws<InvalidInput>(() => TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = Inputs.AlbPlan(), GreenPercent = percent }));

        Assert.StartsWith("greenPercent: must be between 0 and 100", error.Problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_NoPercentAndNoRollback_IsInvalidInput()
    {
        Assert.Throws<InvalidInput>(() => TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = Inputs.AlbPlan() }));
    }

    [Fact]
    public void Plan_Route53_UpsertsBothRecordsInOneBatchChangingOnlyWeight()
    {
        var blue = Record("blue", 100) with { OtherMembers = new() { ["FutureMember"] = JsonDocument.Parse("\"kept\"").RootElement.Clone() } };
        var green = Record("green", 0);
        var unrelated = Record("blue", 100) with { Name = "www.example.com." };

        var shift = TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = Inputs.Route53Plan(), GreenPercent = 30, Current = new Route53TrafficReading { CurrentRecords = [unrelated, blue, green] } });

        Assert.Equal("ChangeResourceRecordSets", shift.ApiCall);
        var request = ((ChangeResourceRecordSetsRequest)shift.Request);
        Assert.Equal("Z04418462O8NOY6GWC6MT", request.HostedZoneId);
        Assert.Equal(2, request.ChangeBatch.Changes.Count);
        Assert.All(request.ChangeBatch.Changes, c => Assert.Equal("UPSERT", c.Action));
        Assert.Equal(blue with { Weight = 70 }, request.ChangeBatch.Changes[0].ResourceRecordSet);
        Assert.Equal(green with { Weight = 30 }, request.ChangeBatch.Changes[1].ResourceRecordSet);
        Assert.Contains("30% to Green", request.ChangeBatch.Comment, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_Route53NonAliasRecord_KeepsTtlAndValues()
    {
        var blue = new ResourceRecordSet { Name = "api.example.com.", Type = "A", SetIdentifier = "blue", Weight = 100, Ttl = 60, ResourceRecords = [new ResourceRecord { Value = "192.0.2.10" }] };
        var green = blue with { SetIdentifier = "green", Weight = 0, ResourceRecords = [new ResourceRecord { Value = "192.0.2.20" }] };

        var shift = TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = Inputs.Route53Plan(), Rollback = true, Current = new Route53TrafficReading { CurrentRecords = [green, blue] } });

        var changed = ((ChangeResourceRecordSetsRequest)shift.Request).ChangeBatch.Changes.Select(c => c.ResourceRecordSet).ToList();
        Assert.Equal((100L, 60L, "192.0.2.10"), (changed[0].Weight!.Value, changed[0].Ttl!.Value, changed[0].ResourceRecords![0].Value));
        Assert.Equal((0L, 60L, "192.0.2.20"), (changed[1].Weight!.Value, changed[1].Ttl!.Value, changed[1].ResourceRecords![0].Value));
    }

    [Fact]
    public void Plan_Route53MissingRecord_ThrowsTrafficTargetNotFound()
    {
        var error = Assert.Throws<TrafficTargetNotFound>(() => TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = Inputs.Route53Plan(), GreenPercent = 10, Current = new Route53TrafficReading { CurrentRecords = [Record("blue", 100)] } }));

        Assert.Contains("SetIdentifier \"green\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_Route53WithoutRecords_IsInvalidInput()
    {
        Assert.Throws<InvalidInput>(() => TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = Inputs.Route53Plan(), GreenPercent = 10 }));
    }

    [Fact]
    public void Plan_Route53UnweightedRecord_IsRefused()
    {
        var error = Assert.Throws<TrafficTargetNotFound>(() => TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest
        {
            Plan = Inputs.Route53Plan(), GreenPercent = 10, Current = new Route53TrafficReading { CurrentRecords = [Record("blue", 1) with { Weight = null }, Record("green", 0)] },
        }));

        Assert.Contains("is not a weighted record", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_AlwaysWithinBothServicesRanges()
    {
        for (var percent = 0; percent <= 100; percent++)
        {
            var shift = TrafficShiftPlanner.Plan(new PlanTrafficShiftRequest { Plan = Inputs.AlbPlan(), GreenPercent = percent });
            Assert.Equal(100, shift.BlueWeight + shift.GreenWeight);
            Assert.InRange(shift.BlueWeight, 0, Route53TrafficProvider.MaxWeight);
            Assert.InRange(shift.GreenWeight, 0, Route53TrafficProvider.MaxWeight);
        }
    }
}
