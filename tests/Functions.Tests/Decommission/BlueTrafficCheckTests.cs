using System.Text;
using System.Text.Json;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Decommission;
using BlueGreen.Functions.Handlers;
using BlueGreen.Functions.Tests.Support;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Tests.Decommission;

public class BlueTrafficCheckTests
{
    private const string Zone = "Z04418462O8NOY6GWC6MT";

    private static readonly AlbBlueShare Alb = new() { ListenerArn = Inputs.Listener, RuleArn = Inputs.Rule, BlueTargetGroupArn = Inputs.BlueTg };

    private static readonly Route53BlueShare Dns = new() { HostedZoneId = Zone, RecordName = "api.example.com.", RecordType = "A", BlueSetIdentifier = "blue" };

    private static BlueTrafficVerdict CheckAlb(params ElbAction[] actions) => BlueTrafficCheck.Check(new CheckBlueTrafficRequest
    {
        ClusterName = "shop-blue", ReplacedBy = "shop-green", Traffic = Alb, Current = new AlbTrafficReading { CurrentActions = actions },
    });

    private static BlueTrafficVerdict CheckDns(params ResourceRecordSet[] records) => BlueTrafficCheck.Check(new CheckBlueTrafficRequest
    {
        ClusterName = "shop-blue", ReplacedBy = "shop-green", Traffic = Dns, Current = new Route53TrafficReading { CurrentRecords = records },
    });

    private static ResourceRecordSet Record(string name, string setIdentifier, long weight, string type = "A") =>
        new() { Name = name, Type = type, SetIdentifier = setIdentifier, Weight = weight };

    [Fact]
    public void Alb_SingleTargetGroupIsBlue_ServesAndNamesTheRuleAndTheForward()
    {
        var verdict = CheckAlb(new ElbAction { Type = "forward", TargetGroupArn = Inputs.BlueTg });

        Assert.True(verdict.ServesTraffic);
        Assert.StartsWith("shop-blue still serves traffic: its target group " + Inputs.BlueTg, verdict.Reason, StringComparison.Ordinal);
        Assert.Contains(Inputs.Rule, verdict.Reason, StringComparison.Ordinal);
        Assert.Contains($"\"TargetGroupArn\":\"{Inputs.BlueTg}\"", verdict.Reason, StringComparison.Ordinal);
        Assert.EndsWith("move all traffic to shop-green and start the decommission again.", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(100, true)]
    [InlineData(null, true)] // ELBv2 does not document the default weight: Blue is kept when in doubt
    [InlineData(0, false)]
    public void Alb_BlueInTheForwardConfig_ServesUnlessItsWeightIsZero(int? blueWeight, bool serves)
    {
        var verdict = CheckAlb(Wiring.Forward((Inputs.BlueTg, blueWeight), (Inputs.GreenTg, 999)));

        Assert.Equal(serves, verdict.ServesTraffic);
    }

    [Fact]
    public void Alb_OnlyGreenIsForwardedTo_ServesNothing()
    {
        Assert.False(CheckAlb(new ElbAction { Type = "forward", TargetGroupArn = Inputs.GreenTg }).ServesTraffic);
        Assert.False(CheckAlb(new ElbAction { Type = "fixed-response" }).ServesTraffic);
    }

    [Fact]
    public void Alb_BlueAtZeroInOneActionButWeightedInAnother_Serves()
    {
        Assert.True(CheckAlb(Wiring.Forward((Inputs.BlueTg, 0), (Inputs.GreenTg, 1)), Wiring.Forward((Inputs.BlueTg, 5))).ServesTraffic);
    }

    [Fact]
    public void Alb_ListenerDefaultAction_NamesTheListener()
    {
        var verdict = BlueTrafficCheck.Check(new CheckBlueTrafficRequest
        {
            ClusterName = "shop-blue", ReplacedBy = "shop-green", Traffic = Alb with { RuleArn = null }, Current = new AlbTrafficReading { CurrentActions = [Wiring.Forward((Inputs.BlueTg, 10), (Inputs.GreenTg, 90))] },
        });

        Assert.True(verdict.ServesTraffic);
        Assert.Contains("by " + Inputs.Listener + " ", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Route53_BluesRecordWeighted_ServesAndSaysItsWeight()
    {
        var verdict = CheckDns(Record("api.example.com.", "blue", 255), Record("api.example.com.", "green", 0));

        Assert.True(verdict.ServesTraffic);
        Assert.Contains($"weighted record api.example.com. A (set identifier blue) in hosted zone {Zone} has weight 255", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Route53_BluesRecordAtZeroWhileGreenGetsTraffic_ServesNothing_EvenBesideAnotherNamesBlueRecord()
    {
        // The listing runs on past Blue's name: another name's "blue" set identifier is not Blue's record.
        var verdict = CheckDns(Record("api.example.com.", "blue", 0), Record("api.example.com.", "green", 255), Record("www.example.com.", "blue", 255));

        Assert.False(verdict.ServesTraffic);
    }

    [Fact]
    public void Route53_EveryRecordOfTheSetAtZero_Serves()
    {
        var verdict = CheckDns(Record("api.example.com.", "blue", 0), Record("api.example.com.", "green", 0), Record("www.example.com.", "green", 10));

        Assert.True(verdict.ServesTraffic);
        Assert.Contains("has weight 0, but so has every other record of that name and type", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Route53_NamesComparedAsRoute53ListsThem_AndTypeMustMatch()
    {
        Assert.True(CheckDns(Record("API.Example.com", "blue", 1), Record("api.example.com.", "green", 0)).ServesTraffic);
        Assert.False(CheckDns(Record("api.example.com.", "blue", 1, type: "AAAA"), Record("api.example.com.", "green", 1)).ServesTraffic);
    }

    [Fact]
    public void Route53_BluesRecordGone_ServesNothing()
    {
        Assert.False(CheckDns(Record("api.example.com.", "green", 255)).ServesTraffic);
    }

    [Fact]
    public void MissingMembers_AreInvalidInputNamingThem()
    {
        Assert.Contains("current: required", Assert.Throws<InvalidInput>(() => BlueTrafficCheck.Check(new CheckBlueTrafficRequest { ClusterName = "a", ReplacedBy = "b", Traffic = Alb })).Message, StringComparison.Ordinal);
        Assert.Contains("currentActions", Assert.Throws<InvalidInput>(() => BlueTrafficCheck.Check(new CheckBlueTrafficRequest { ClusterName = "a", ReplacedBy = "b", Traffic = Alb, Current = new AlbTrafficReading() })).Message, StringComparison.Ordinal);
        Assert.Contains("currentRecords", Assert.Throws<InvalidInput>(() => BlueTrafficCheck.Check(new CheckBlueTrafficRequest { ClusterName = "a", ReplacedBy = "b", Traffic = Dns, Current = new Route53TrafficReading() })).Message, StringComparison.Ordinal);
        Assert.Contains("replacedBy", Assert.Throws<InvalidInput>(() => BlueTrafficCheck.Check(new CheckBlueTrafficRequest { ClusterName = "a", Traffic = Alb })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherProvidersReading_IsInvalidInputNamingBoth()
    {
        var error = Assert.Throws<InvalidInput>(() => BlueTrafficCheck.Check(new CheckBlueTrafficRequest { ClusterName = "a", ReplacedBy = "b", Traffic = Alb, Current = new Route53TrafficReading { CurrentRecords = [] } }));

        Assert.Contains("current.type: route53 was read, not alb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Handler_ReadingWithoutItsType_IsInvalidInput()
    {
        var payload = $$$"""{"clusterName":"shop-blue","replacedBy":"shop-green","traffic":{"type":"alb","listenerArn":"{{{Inputs.Listener}}}","ruleArn":null,"blueTargetGroupArn":"{{{Inputs.BlueTg}}}"},"current":{"currentActions":[]}}""";

        var error = Assert.Throws<InvalidInput>(() => new CheckBlueTrafficHandler().Handle(new MemoryStream(Encoding.UTF8.GetBytes(payload))));

        Assert.Contains("$.current", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Handler_ReadsTheStateMachinesPayload_AndWritesTheVerdict()
    {
        var payload = $$$$"""
            {"clusterName":"shop-blue","replacedBy":"shop-green",
             "traffic":{"type":"alb","listenerArn":"{{{{Inputs.Listener}}}}","ruleArn":null,"blueTargetGroupArn":"{{{{Inputs.BlueTg}}}}","hostedZoneId":null,"recordName":null,"recordType":null,"blueSetIdentifier":null},
             "current":{"type":"alb","currentActions":[{"Type":"forward","Order":1,"TargetGroupArn":"{{{{Inputs.GreenTg}}}}","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"{{{{Inputs.GreenTg}}}}","Weight":1}],"TargetGroupStickinessConfig":{"Enabled":false}}}]}}
            """;

        using var output = new CheckBlueTrafficHandler().Handle(new MemoryStream(Encoding.UTF8.GetBytes(payload)));
        using var verdict = JsonDocument.Parse(output);

        Assert.False(verdict.RootElement.GetProperty("servesTraffic").GetBoolean());
        Assert.Contains(Inputs.Listener, verdict.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
