using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Preflight;
using BlueGreen.Functions.Tests.Support;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Tests.Preflight;

/// <summary>Preflight against what the deployment lets the run reach: alarms, hooks, ARNs, the traffic tag, controllers, TTLs.</summary>
public class ReachCheckerTests
{
    private const string LoadBalancer = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:loadbalancer/app/shop-alb/50dc6c495c0c9188";

    private static readonly DeploymentFacts Deployment = Inputs.Deployment();

    private static ResourceTagDescription Tags(string arn, params (string Key, string Value)[] tags) =>
        new() { ResourceArn = arn, Tags = [.. tags.Select(t => new ResourceTag { Key = t.Key, Value = t.Value })] };

    private static PreflightRequest Request(BlueGreen.Functions.Planning.UpgradePlan? plan = null, IReadOnlyList<string>? alarms = null, IReadOnlyList<HookFound>? hooks = null,
        IReadOnlyList<ResourceTagDescription>? tags = null, IReadOnlyList<ResourceRecordSet>? records = null)
    {
        plan ??= Inputs.AlbPlan();
        return new()
        {
            Plan = plan,
            Cluster = BlueCluster.Cluster(),
            ClusterVersions = [BlueCluster.Version("1.34", "STANDARD_SUPPORT")],
            Insights = [],
            Nodegroups = [BlueCluster.Nodegroup("general", "AL2023_x86_64_STANDARD")],
            Deployment = Deployment,
            AlarmsFound = alarms ?? plan.Alarms.Names,
            Hooks = hooks ?? [],
            Traffic = plan.Traffic.Type == "alb"
                ? new AlbTrafficReading { Tags = new TagsRead { Descriptions = tags ?? [Tags(LoadBalancer), Tags(Inputs.Listener), Tags(Inputs.Rule, ("bluegreen:traffic", "bluegreen-dev"))] } }
                : new Route53TrafficReading { CurrentRecords = records },
        };
    }

    [Fact]
    public void Check_StickyForwardAction_WarnsThatARollbackLeavesStickyClientsOnGreen()
    {
        var sticky = new ElbAction
        {
            Type = "forward",
            ForwardConfig = new ForwardActionConfig
            {
                TargetGroups = [new TargetGroupTuple { TargetGroupArn = Inputs.BlueTg, Weight = 100 }, new TargetGroupTuple { TargetGroupArn = Inputs.GreenTg, Weight = 0 }],
                TargetGroupStickinessConfig = new TargetGroupStickinessConfig { Enabled = true, DurationSeconds = 3600 },
            },
        };
        var request = Request() with { Traffic = ((AlbTrafficReading)Request().Traffic!) with { CurrentActions = [sticky] } };

        var result = PreflightChecker.Check(request);

        Assert.Contains(result.Warnings, w => w.StartsWith("traffic: target group stickiness is on for 3600 seconds on " + Inputs.Rule, StringComparison.Ordinal));
        Assert.DoesNotContain(PreflightChecker.Check(Request()).Warnings, w => w.Contains("stickiness", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_EverythingReachable_Passes() =>
        Assert.Equal("1.34", PreflightChecker.Check(Request()).TargetVersion);

    [Fact]
    public void Check_AnAlarmThatDoesNotExist_IsNamedBeforeGreenIsBuilt()
    {
        var plan = Inputs.AlbPlan();
        var error = Assert.Throws<PreflightFailed>(() => PreflightChecker.Check(Request(alarms: plan.Alarms.Names.Skip(1).ToList())));

        Assert.Contains($"alarms.names: \"{plan.Alarms.Names[0]}\" does not exist in this account and Region", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AHookThatCannotBeRead_NamesTheTagToAdd()
    {
        var hook = "arn:aws:lambda:ap-northeast-2:111122223333:function:shop-smoke-test:live";
        var plan = Inputs.AlbPlan() with { Hooks = new BlueGreen.Functions.Planning.HookPlan { BeforeAllowTraffic = [hook], AfterAllowTraffic = [] } };

        var error = Assert.Throws<PreflightFailed>(() => PreflightChecker.Check(Request(plan, hooks: [new HookFound { Arn = hook, Found = false, Error = "Lambda.LambdaException" }])));

        Assert.Contains($"hooks: {hook} does not exist, or is not tagged bluegreen:hook=bluegreen-dev", error.Message, StringComparison.Ordinal);
        Assert.Contains("aws lambda tag-resource --resource arn:aws:lambda:ap-northeast-2:111122223333:function:shop-smoke-test --tags bluegreen:hook=bluegreen-dev", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ARuleWithoutTheTrafficTag_SaysHowToTagIt()
    {
        var error = Assert.Throws<PreflightFailed>(() => PreflightChecker.Check(Request(tags: [Tags(LoadBalancer), Tags(Inputs.Listener), Tags(Inputs.Rule, ("team", "shop"))])));

        Assert.Contains($"traffic: {Inputs.Rule} is not tagged bluegreen:traffic=bluegreen-dev", error.Message, StringComparison.Ordinal);
        Assert.Contains($"aws elbv2 add-tags --resource-arns {Inputs.Rule} --tags Key=bluegreen:traffic,Value=bluegreen-dev", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ARuleTheLoadBalancerControllerOwns_IsRefusedWithANamedError()
    {
        var owned = Tags(Inputs.Rule, ("bluegreen:traffic", "bluegreen-dev"), ("ingress.k8s.aws/stack", "shop/storefront"));

        var error = Assert.Throws<TrafficOwnedByController>(() => PreflightChecker.Check(Request(tags: [Tags(LoadBalancer, ("ingress.k8s.aws/stack", "shop/storefront")), Tags(Inputs.Listener), owned])));

        Assert.Contains("managed by the AWS Load Balancer Controller for an Ingress (tag ingress.k8s.aws/stack=shop/storefront)", error.Message, StringComparison.Ordinal);
        Assert.Contains("TargetGroupBinding", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TargetGroupsBoundByTargetGroupBindings_AreFine()
    {
        // Only an Ingress's stack tags mean ownership; elbv2.k8s.aws/cluster on a bound target group does not.
        var tags = new[] { Tags(LoadBalancer, ("elbv2.k8s.aws/cluster", "shop-blue")), Tags(Inputs.Listener), Tags(Inputs.Rule, ("bluegreen:traffic", "bluegreen-dev")) };

        Assert.Equal("1.34", PreflightChecker.Check(Request(tags: tags)).TargetVersion);
    }

    [Fact]
    public void Check_RecordsExternalDnsOwns_AreRefusedWithANamedError()
    {
        var plan = Inputs.Route53Plan();
        var name = ((Route53TrafficPlan)plan.Traffic).RecordName!;
        var registry = new ResourceRecordSet { Name = name, Type = "TXT", Ttl = 300, ResourceRecords = [new ResourceRecord { Value = "\"heritage=external-dns,external-dns/owner=shop-blue\"" }] };

        var error = Assert.Throws<TrafficOwnedByController>(() => PreflightChecker.Check(Request(plan, records: [registry])));

        Assert.Contains("managed by external-dns", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ARecordCachedLongerThanABake_LengthensEveryShorterBake_AndWarns()
    {
        var plan = Inputs.Route53Plan();
        var blue = new ResourceRecordSet { Name = ((Route53TrafficPlan)plan.Traffic).RecordName!, Type = "A", SetIdentifier = ((Route53TrafficPlan)plan.Traffic).BlueSetIdentifier, Weight = 100, Ttl = 900, ResourceRecords = [new ResourceRecord { Value = "10.0.0.1" }] };

        var result = PreflightChecker.Check(Request(plan, records: [blue]));

        Assert.Contains(result.Warnings, w => w.Contains("have a TTL of 900 s, longer than the shortest bake", StringComparison.Ordinal) && w.Contains("every bake lasts at least 900 s", StringComparison.Ordinal));
        Assert.All(result.Strategy.Steps, s => Assert.True(s.BakeSeconds >= 900));
        Assert.All(result.Strategy.Steps, s => Assert.True(s.CheckIntervalSeconds <= plan.Alarms.PollSeconds && s.AlarmChecks * s.CheckIntervalSeconds >= s.BakeSeconds));
        Assert.Equal(plan.Strategy.Steps.Select(s => s.Weight), result.Strategy.Steps.Select(s => s.Weight));
    }

    [Fact]
    public void Check_ARecordCachedSoLongTheBakesWouldNotFit_IsRefused()
    {
        var plan = Inputs.Route53Plan();
        var blue = new ResourceRecordSet { Name = ((Route53TrafficPlan)plan.Traffic).RecordName!, Type = "A", SetIdentifier = ((Route53TrafficPlan)plan.Traffic).BlueSetIdentifier, Weight = 100, Ttl = 172_800, ResourceRecords = [new ResourceRecord { Value = "10.0.0.1" }] };

        var error = Assert.Throws<PreflightFailed>(() => PreflightChecker.Check(Request(plan, records: [blue])));

        Assert.Contains("lower the TTL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AliasRecordsWithoutTtl_LeaveTheStrategyAsPlanned()
    {
        var plan = Inputs.Route53Plan();

        Assert.Equal(plan.Strategy, PreflightChecker.Check(Request(plan, records: [])).Strategy);
    }

    [Fact]
    public void Check_AnArnOfAnotherRegionOrAccount_IsNamed()
    {
        var elsewhere = Inputs.AlbPlan() with
        {
            Traffic = (AlbTrafficPlan)Inputs.AlbPlan().Traffic with { GreenTargetGroupArn = "arn:aws:elasticloadbalancing:us-east-1:444455556666:targetgroup/shop-green-tg/3e1f2a7b9c4d5e60" },
        };

        var error = Assert.Throws<PreflightFailed>(() => PreflightChecker.Check(Request(elsewhere)));

        Assert.Contains("traffic.greenTargetGroupArn: arn:aws:elasticloadbalancing:us-east-1:444455556666:targetgroup/shop-green-tg/3e1f2a7b9c4d5e60 is in account 444455556666, us-east-1, but this deployment runs in account 111122223333, ap-northeast-2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EveryProblemIsListedAtOnce()
    {
        var plan = Inputs.AlbPlan();
        var error = Assert.Throws<PreflightFailed>(() => PreflightChecker.Check(Request(alarms: [], tags: [Tags(LoadBalancer), Tags(Inputs.Listener), Tags(Inputs.Rule)])));

        Assert.Contains(error.Problems, p => p.StartsWith("alarms.names:", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("traffic:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("shop-eks-node-role", "arn:aws:iam::111122223333:role/shop-eks-node-role", true)]
    [InlineData("shop-karpenter-*", "arn:aws:iam::111122223333:role/shop-karpenter-node", true)]
    [InlineData("shop-karpenter-*", "arn:aws:iam::111122223333:role/prd/shop-karpenter-node", false)]
    [InlineData("arn:aws:iam::111122223333:role/prd/*", "arn:aws:iam::111122223333:role/prd/shop-karpenter-node", true)]
    [InlineData("shop-eks-node-role", "arn:aws:iam::444455556666:role/shop-eks-node-role", false)]
    [InlineData("(none)", "arn:aws:iam::111122223333:role/anything", false)]
    public void MayPass_MatchesAsTheRolePolicysResourceWould(string patterns, string role, bool passable) =>
        Assert.Equal(passable, Deployment.MayPass(patterns, role));
}
