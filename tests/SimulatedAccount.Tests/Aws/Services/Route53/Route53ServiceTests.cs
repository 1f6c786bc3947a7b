using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.Route53;
using BlueGreen.Simulator.Json;
using static BlueGreen.Simulator.Tests.Aws.Services.TrafficTestKit;

namespace BlueGreen.Simulator.Tests.Aws.Services.Route53;

public sealed class Route53ServiceTests : IDisposable
{
    private const string R53 = "route53";

    private readonly SimulatedAccount _account = DefaultWorld();

    public void Dispose() => _account.Dispose();

    private Route53Service Service => _account.Service<Route53Service>();

    /// <summary>The api.example.com record for <paramref name="color"/> exactly as ListResourceRecordSets returns it, with another weight.</summary>
    private string WeightedRecord(string color, int weight)
    {
        var record = Call(_account, R53, "ListResourceRecordSets", $$$"""{"HostedZoneId":"{{{ZoneId}}}","StartRecordName":"api.example.com","StartRecordType":"A","StartRecordIdentifier":"{{{color}}}","MaxItems":1}""")
            .GetArray("ResourceRecordSets")![0].AsObject();
        return record.With("Weight", weight).ToJson();
    }

    private static string Batch(params string[] changes) =>
        $$$"""{"HostedZoneId":"{{{ZoneId}}}","ChangeBatch":{"Comment":"shift","Changes":[{{{string.Join(",", changes)}}}]}}""";

    private static string Change(string action, string record) => $$$"""{"Action":"{{{action}}}","ResourceRecordSet":""" + record + "}";

    private double StoredWeight(string color) => Service.Weights.Single(w => w.SetIdentifier == color).Weight;

    [Fact]
    public void ListResourceRecordSets_SortsByReversedNameThenTypeThenIdentifier()
    {
        var records = Call(_account, R53, "ListResourceRecordSets", $$$"""{"HostedZoneId":"/hostedzone/{{{ZoneId}}}"}""").GetArray("ResourceRecordSets")!;

        Assert.Equal(
            ["example.com. NS ", "example.com. SOA ", "api.example.com. A blue", "api.example.com. A green", "shop.example.com. A "],
            records.Select(r => $"{r.AsObject().GetString("Name")} {r.AsObject().GetString("Type")} {r.AsObject().GetString("SetIdentifier")}"));
        var green = records[3].AsObject();
        Assert.Equal(0, green.GetNumber("Weight"));
        Assert.Equal("ZWKZPGTI48KDX", green.GetObject("AliasTarget")!.GetString("HostedZoneId"));
        Assert.StartsWith("dualstack.shop-alb-", green.GetObject("AliasTarget")!.GetString("DNSName"), StringComparison.Ordinal);
        Assert.EndsWith(".elb.amazonaws.com.", green.GetObject("AliasTarget")!.GetString("DNSName"), StringComparison.Ordinal);
    }

    [Fact]
    public void ListResourceRecordSets_PagesWithStartRecordNameTypeAndIdentifier()
    {
        var first = Call(_account, R53, "ListResourceRecordSets", $$$"""{"HostedZoneId":"{{{ZoneId}}}","MaxItems":"3"}""");
        var second = Call(_account, R53, "ListResourceRecordSets", $$$"""
            {"HostedZoneId":"{{{ZoneId}}}","MaxItems":3,"StartRecordName":"{{{first.GetString("NextRecordName")}}}",
             "StartRecordType":"{{{first.GetString("NextRecordType")}}}","StartRecordIdentifier":"{{{first.GetString("NextRecordIdentifier")}}}"}
            """);

        Assert.True(first.GetBool("IsTruncated"));
        Assert.Equal(("api.example.com.", "A", "green"), (first.GetString("NextRecordName"), first.GetString("NextRecordType"), first.GetString("NextRecordIdentifier")));
        Assert.False(second.GetBool("IsTruncated"));
        Assert.Equal(["green", null], second.GetArray("ResourceRecordSets")!.Select(r => r.AsObject().GetString("SetIdentifier")));
    }

    [Fact]
    public void ListResourceRecordSets_StartRecordTypeWithoutName_IsInvalidInput()
    {
        var e = CallFails(_account, R53, "ListResourceRecordSets", $$$"""{"HostedZoneId":"{{{ZoneId}}}","StartRecordType":"A"}""");

        Assert.Equal("Route53.InvalidInputException", e.Error);
    }

    [Fact]
    public void ChangeResourceRecordSets_UpsertWeights_IsPendingThenInSyncAfterPropagation()
    {
        var definition = $$$"""
            {"StartAt":"Shift","States":{
              "Shift":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:route53:changeResourceRecordSets",
                "Parameters":{{{Batch(Change("UPSERT", WeightedRecord("blue", 230)), Change("UPSERT", WeightedRecord("green", 25)))}}},
                "ResultSelector":{"Id.$":"$.ChangeInfo.Id","Status.$":"$.ChangeInfo.Status"},"ResultPath":"$.change","Next":"Wait"},
              "Wait":{"Type":"Wait","Seconds":10,"Next":"Check"},
              "Check":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:route53:getChange","Parameters":{"Id.$":"$.change.Id"},
                "ResultSelector":{"Status.$":"$.ChangeInfo.Status"},"ResultPath":"$.poll","Next":"InSync?"},
              "InSync?":{"Type":"Choice","Choices":[{"Variable":"$.poll.Status","StringEquals":"INSYNC","Next":"Done"}],"Default":"Wait"},
              "Done":{"Type":"Succeed"} } }
            """;

        var summary = Run(_account, definition);

        Assert.Equal("SUCCEEDED", summary.Status);
        var output = summary.Output!.AsObject();
        Assert.Equal("PENDING", output.GetObject("change")!.GetString("Status"));
        Assert.StartsWith("/change/C", output.GetObject("change")!.GetString("Id"), StringComparison.Ordinal);
        Assert.Equal(30, summary.VirtualSeconds); // changePropagationSeconds: three 10 s polls
        Assert.Equal(["route53:ChangeResourceRecordSets", "route53:GetChange", "route53:GetChange", "route53:GetChange"], _account.Calls.Calls.Skip(2).Select(c => c.Name));
        Assert.Equal((230.0, 25.0), (StoredWeight("blue"), StoredWeight("green")));
    }

    [Fact]
    public void Weights_TheNameServersAnswerWithNewWeightsOnlyOnceInSync()
    {
        var changed = 0;
        Service.WeightsChanged += () => changed++;

        var info = Call(_account, R53, "ChangeResourceRecordSets", Batch(Change("UPSERT", WeightedRecord("blue", 1)), Change("UPSERT", WeightedRecord("green", 3)))).GetObject("ChangeInfo")!;
        var pending = Service.Weights.Single(w => w.SetIdentifier == "green");
        _account.Scheduler.Advance(TimeSpan.FromSeconds(30));
        var synced = Service.Weights.Single(w => w.SetIdentifier == "green");

        Assert.Equal("PENDING", info.GetString("Status"));
        Assert.Equal((3, 75.0, 0.0, false, "shop-green"), (pending.Weight, pending.Percent, pending.ServedPercent, pending.InSync, pending.Cluster));
        Assert.Equal((75.0, true), (synced.ServedPercent, synced.InSync));
        Assert.Equal(75, Service.ServedPercentOfCluster("shop-green"));
        Assert.Equal(1, changed);
        Assert.Equal("INSYNC", Call(_account, R53, "GetChange", $$$"""{"Id":"{{{info.GetString("Id")}}}"}""").GetObject("ChangeInfo")!.GetString("Status"));
    }

    [Fact]
    public void Weights_AllZero_ShareEqually()
    {
        Call(_account, R53, "ChangeResourceRecordSets", Batch(Change("UPSERT", WeightedRecord("blue", 0))));

        Assert.All(Service.Weights, w => Assert.Equal(50, w.Percent));
    }

    [Fact]
    public void ChangeResourceRecordSets_UpsertWithoutTheFullRecord_IsInvalidInput()
    {
        var e = CallFails(_account, R53, "ChangeResourceRecordSets",
            Batch(Change("UPSERT", """{"Name":"api.example.com","Type":"A","SetIdentifier":"green","Weight":25}""")));

        Assert.Equal("Route53.InvalidInputException", e.Error);
        Assert.Equal("Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=UPSERT, Name=api.example.com, Type=A, SetIdentifier=green]", e.Cause);
        Assert.Equal(0, StoredWeight("green"));
    }

    [Fact]
    public void ChangeResourceRecordSets_WeightWithoutSetIdentifier_IsInvalidInput()
    {
        var record = JValue.Parse(WeightedRecord("green", 10)).AsObject().Without("SetIdentifier").ToJson();

        var e = CallFails(_account, R53, "ChangeResourceRecordSets", Batch(Change("UPSERT", record)));

        Assert.Equal("Route53.InvalidInputException", e.Error);
        Assert.StartsWith("Invalid request: Missing field 'SetIdentifier'", e.Cause, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(-1)]
    public void ChangeResourceRecordSets_WeightOutside0To255_IsInvalidInput(int weight)
    {
        var e = CallFails(_account, R53, "ChangeResourceRecordSets", Batch(Change("UPSERT", WeightedRecord("green", weight))));

        Assert.Equal("Route53.InvalidInputException", e.Error);
        Assert.Contains("resourceRecordSet.weight' failed to satisfy constraint", e.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangeResourceRecordSets_OneBadChange_RejectsTheWholeBatchWithEveryMessage()
    {
        var e = CallFails(_account, R53, "ChangeResourceRecordSets", Batch(
            Change("UPSERT", WeightedRecord("blue", 128)),
            Change("CREATE", WeightedRecord("green", 128)),
            Change("DELETE", WeightedRecord("blue", 7).Replace("\"blue\"", "\"purple\"", StringComparison.Ordinal))));

        Assert.Equal("Route53.InvalidChangeBatchException", e.Error);
        Assert.Equal(
            "[Tried to create resource record set [name='api.example.com.', type='A', set-identifier='green'] but it already exists, "
            + "Tried to delete resource record set [name='api.example.com.', type='A', set-identifier='purple'] but it was not found]",
            e.Cause);
        Assert.Equal((255.0, 0.0), (StoredWeight("blue"), StoredWeight("green")));
        Assert.Equal("Route53.InvalidChangeBatchException", _account.Calls.Calls[^1].Outcome);
    }

    [Fact]
    public void ChangeResourceRecordSets_DeleteMustMatchExactly()
    {
        var e = CallFails(_account, R53, "ChangeResourceRecordSets", Batch(Change("DELETE", WeightedRecord("green", 10))));

        Assert.Equal("Route53.InvalidChangeBatchException", e.Error);
        Assert.Equal("[Tried to delete resource record set [name='api.example.com.', type='A', set-identifier='green'] but the values provided do not match the current values]", e.Cause);
    }

    [Fact]
    public void ChangeResourceRecordSets_DeleteThenCreateInOneBatch_ReplacesTheRecord()
    {
        Call(_account, R53, "ChangeResourceRecordSets", Batch(Change("DELETE", WeightedRecord("green", 0)), Change("CREATE", WeightedRecord("green", 40))));

        Assert.Equal(40, StoredWeight("green"));
    }

    [Fact]
    public void ChangeResourceRecordSets_SameRecordTwice_IsAnInvalidSetOfChanges()
    {
        var e = CallFails(_account, R53, "ChangeResourceRecordSets", Batch(Change("UPSERT", WeightedRecord("green", 10)), Change("UPSERT", WeightedRecord("green", 20))));

        Assert.Equal("[The request contains an invalid set of changes for a resource record set 'A api.example.com.']", e.Cause);
    }

    [Fact]
    public void ChangeResourceRecordSets_NameOutsideTheZone_IsRejected()
    {
        var record = WeightedRecord("green", 10).Replace("api.example.com.", "api.example.org.", StringComparison.Ordinal);

        var e = CallFails(_account, R53, "ChangeResourceRecordSets", Batch(Change("UPSERT", record)));

        Assert.Equal("[RRSet with DNS name api.example.org. is not permitted in zone example.com.]", e.Cause);
    }

    [Fact]
    public void ChangeResourceRecordSets_UnknownZone_FailsWithNoSuchHostedZone()
    {
        var e = CallFails(_account, R53, "ChangeResourceRecordSets", Batch(Change("UPSERT", WeightedRecord("green", 10))).Replace(ZoneId, "Z0000000000000000000", StringComparison.Ordinal));

        Assert.Equal("Route53.NoSuchHostedZoneException", e.Error);
        Assert.Equal("No hosted zone found with ID: Z0000000000000000000", e.Cause);
    }

    [Fact]
    public void ChangeResourceRecordSets_WhilePendingWhenTheWorldSaysSo_FailsWithPriorRequestNotComplete()
    {
        using var account = DefaultWorld(JObject.Of(("route53", JObject.Of(("rejectChangesWhilePending", true)))));
        var record = Call(account, R53, "ListResourceRecordSets", $$$"""{"HostedZoneId":"{{{ZoneId}}}","StartRecordName":"api.example.com","StartRecordType":"A","StartRecordIdentifier":"green","MaxItems":1}""")
            .GetArray("ResourceRecordSets")![0].AsObject();
        var batch = Batch(Change("UPSERT", record.With("Weight", 9).ToJson()));

        Call(account, R53, "ChangeResourceRecordSets", batch);
        var e = CallFails(account, R53, "ChangeResourceRecordSets", batch);
        account.Scheduler.Advance(TimeSpan.FromSeconds(30));
        Call(account, R53, "ChangeResourceRecordSets", batch);

        Assert.Equal("Route53.PriorRequestNotCompleteException", e.Error);
    }

    [Fact]
    public void ChangePropagationSeconds_IsAWorldKnob()
    {
        using var account = DefaultWorld(JObject.Of(("route53", JObject.Of(("changePropagationSeconds", "45s")))));

        Assert.Equal(TimeSpan.FromSeconds(45), account.Service<Route53Service>().PropagationDelay);
    }

    [Fact]
    public void GetChange_UnknownId_FailsWithNoSuchChange()
    {
        var e = CallFails(_account, R53, "GetChange", """{"Id":"/change/CNOPE"}""");

        Assert.Equal("Route53.NoSuchChangeException", e.Error);
    }

    [Fact]
    public void HostedZoneLookups_ReturnTheWorldsZone()
    {
        var byName = Call(_account, R53, "ListHostedZonesByName", """{"DNSName":"example.com"}""");
        var zone = Call(_account, R53, "GetHostedZone", $$$"""{"Id":"{{{ZoneId}}}"}""");
        var all = Call(_account, R53, "ListHostedZones", "{}");

        var found = byName.GetArray("HostedZones")![0].AsObject();
        Assert.Equal(($"/hostedzone/{ZoneId}", "example.com.", 5.0), (found.GetString("Id"), found.GetString("Name"), found.GetNumber("ResourceRecordSetCount")!.Value));
        Assert.False(found.GetObject("Config")!.GetBool("PrivateZone"));
        Assert.Equal(4, zone.GetObject("DelegationSet")!.GetArray("NameServers")!.Count);
        Assert.Equal((1, false), (all.GetArray("HostedZones")!.Count, all.GetBool("IsTruncated")!.Value));
    }
}
