using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.Route53;
using BlueGreen.Simulator.Json;
using static BlueGreen.Simulator.Tests.Aws.Services.TrafficTestKit;

namespace BlueGreen.Simulator.Tests.Aws.Models;

/// <summary>
/// The model check accepts the Java SDK's member names (<c>Ttl</c>, <c>DnsName</c>, <c>OkActions</c>,
/// DynamoDB's <c>Bool</c>/<c>Nul</c>/<c>Ss</c>) and loose scalars (<c>"60"</c> for a number, <c>"true"</c>
/// for a boolean, a number for a string); the services must then act on them exactly as on the model's
/// spelling and types, which <c>SimulatedAccount.CallAsync</c> normalizes once before the service runs.
/// </summary>
public sealed class RequestNormalizationTests : IDisposable
{
    private const string Topic = "arn:aws:sns:ap-northeast-2:111122223333:bluegreen-notifications";

    private readonly SimulatedAccount _account = WithTableAndTopic(DefaultWorld());

    /// <summary>The deployment's table and topic (the world has neither: the product's deployment creates them).</summary>
    private static SimulatedAccount WithTableAndTopic(SimulatedAccount account)
    {
        account.Service<BlueGreen.Simulator.Aws.Services.DynamoDb.DynamoDbService>().AddTable(BlueGreen.Simulator.Aws.Services.DynamoDb.DynamoDbWorld.KeyValueTable("bluegreen-upgrades", "pk", "sk", "expiresAt"));
        account.Service<BlueGreen.Simulator.Aws.Services.Sns.SnsService>().AddTopic("bluegreen-notifications");
        return account;
    }

    public void Dispose() => _account.Dispose();

    private JObject Record(string name) =>
        Call(_account, "route53", "ListResourceRecordSets", $$$"""{"HostedZoneId":"{{{ZoneId}}}","StartRecordName":"{{{name}}}","MaxItems":1}""")
            .GetArray("ResourceRecordSets")![0].AsObject();

    private void Create(string record) =>
        Call(_account, "route53", "ChangeResourceRecordSets", $$$"""{"HostedZoneId":"{{{ZoneId}}}","ChangeBatch":{"Changes":[{"Action":"CREATE","ResourceRecordSet":{{{record}}}}]}}""");

    [Theory]
    [InlineData("Ttl", "60")]      // the Java SDK's name
    [InlineData("TTL", "60")]      // the model's name
    [InlineData("Ttl", "\"60\"")]  // a numeric string for a number
    public void ChangeResourceRecordSets_TtlInEitherSpelling_IsStoredAsTheTtl(string member, string ttl)
    {
        Create($$$"""{"Name":"cache.example.com","Type":"A","{{{member}}}":{{{ttl}}},"ResourceRecords":[{"Value":"10.0.0.7"}]}""");

        var record = Record("cache.example.com");
        Assert.Equal(60, record.GetNumber("TTL"));
        Assert.Equal("10.0.0.7", record.GetArray("ResourceRecords")![0].AsObject().GetString("Value"));
    }

    [Fact]
    public void ChangeResourceRecordSets_AliasWithDnsNameAndLooseBoolean_IsStoredAsAnAlias()
    {
        Create("""{"Name":"www.example.com","Type":"A","AliasTarget":{"HostedZoneId":"ZWKZPGTI48KDX","DnsName":"shop-alb-1.ap-northeast-2.elb.amazonaws.com","EvaluateTargetHealth":"false"}}""");

        var alias = Record("www.example.com").GetObject("AliasTarget")!;
        Assert.Equal("shop-alb-1.ap-northeast-2.elb.amazonaws.com.", alias.GetString("DNSName"));
        Assert.Equal(false, alias.GetBool("EvaluateTargetHealth"));
    }

    [Fact]
    public void ChangeResourceRecordSets_WeightAsText_MovesTheWeight()
    {
        var green = Call(_account, "route53", "ListResourceRecordSets", $$$"""{"HostedZoneId":"{{{ZoneId}}}","StartRecordName":"api.example.com","StartRecordType":"A","StartRecordIdentifier":"green","MaxItems":1}""")
            .GetArray("ResourceRecordSets")![0].AsObject().With("Weight", "25");

        Call(_account, "route53", "ChangeResourceRecordSets", $$$"""{"HostedZoneId":"{{{ZoneId}}}","ChangeBatch":{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{{{green.ToJson()}}}}]}}""");

        Assert.Equal(25, _account.Service<Route53Service>().Weights.Single(w => w.SetIdentifier == "green").Weight);
    }

    [Fact]
    public void PutMetricAlarm_OkActionsAndLooseScalars_AreKept()
    {
        Call(_account, "cloudwatch", "PutMetricAlarm", $$$"""
            {"AlarmName":"cache-errors","Namespace":"AWS/ApplicationELB","MetricName":"HTTPCode_Target_5XX_Count","Statistic":"Sum",
             "Period":"60","EvaluationPeriods":"1","Threshold":"5","ComparisonOperator":"GreaterThanThreshold","ActionsEnabled":"false",
             "OkActions":["{{{Topic}}}"]}
            """);

        var alarm = Call(_account, "cloudwatch", "DescribeAlarms", """{"AlarmNames":["cache-errors"]}""").GetArray("MetricAlarms")![0].AsObject();
        Assert.Equal([Topic], alarm.GetArray("OKActions")!.Select(a => a.AsString()));
        Assert.Equal(5, alarm.GetNumber("Threshold"));
        Assert.Equal(60, alarm.GetNumber("Period"));
        Assert.Equal(false, alarm.GetBool("ActionsEnabled"));
    }

    [Fact]
    public void DynamoDbPutItem_JavaStyleAttributeValues_AreStoredAsDynamoDbTypes()
    {
        Call(_account, "dynamodb", "PutItem", """
            {"TableName":"bluegreen-upgrades","Item":{"pk":{"S":"CLUSTER#x"},"sk":{"S":"NOTE"},
             "done":{"Bool":true},"gone":{"Nul":true},"tags":{"Ss":["a","b"]},"count":{"N":7}}}
            """);

        var item = Call(_account, "dynamodb", "GetItem", """{"TableName":"bluegreen-upgrades","Key":{"pk":{"S":"CLUSTER#x"},"sk":{"S":"NOTE"}},"ConsistentRead":true}""").GetObject("Item")!;
        Assert.Equal(true, item.GetObject("done")!.GetBool("BOOL"));
        Assert.Equal(true, item.GetObject("gone")!.GetBool("NULL"));
        Assert.Equal(["a", "b"], item.GetObject("tags")!.GetArray("SS")!.Select(v => v.AsString()));
        Assert.Equal("7", item.GetObject("count")!.GetString("N"));
    }
}
