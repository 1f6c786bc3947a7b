using BlueGreen.Simulator.Aws.Services.EventBridge;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Services.EventBridge;

public sealed class EventPatternTests
{
    /// <summary>A CloudWatch alarm state change as EventBridge delivers it, with arrays, numbers, nulls and nesting.</summary>
    private static readonly JObject AlarmEvent = JValue.Parse("""
        {
          "version": "0",
          "id": "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
          "detail-type": "CloudWatch Alarm State Change",
          "source": "aws.cloudwatch",
          "account": "111122223333",
          "time": "2026-11-23T09:30:00Z",
          "region": "ap-northeast-2",
          "resources": ["arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:shop-green-5xx"],
          "detail": {
            "alarmName": "shop-green-5xx",
            "state": { "value": "ALARM", "reason": "Threshold Crossed", "timestamp": "2026-11-23T09:30:00.000+0000" },
            "previousState": { "value": "OK" },
            "configuration": {
              "metrics": [
                { "id": "m1", "metricStat": { "metric": { "namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count" }, "period": 60 } },
                { "id": "m2", "metricStat": { "metric": { "namespace": "AWS/ApplicationELB", "name": "TargetResponseTime" }, "period": 300 } }
              ]
            },
            "datapoints": [3, 17.5],
            "weight": 10,
            "clientIp": "10.0.12.7",
            "owner": null,
            "tags": ["team:shop", "env:prd"]
          }
        }
        """).AsObject();

    public static TheoryData<string, bool> Patterns() => new()
    {
        // exact values: strings, arrays of alternatives, event arrays (any element), several fields (AND)
        { """{"source":["aws.cloudwatch"]}""", true },
        { """{"source":["aws.ec2","aws.cloudwatch"]}""", true },
        { """{"source":["aws.CloudWatch"]}""", false },
        { """{"source":["aws.cloudwatch"],"detail-type":["EC2 Instance State-change Notification"]}""", false },
        { """{"resources":["arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:shop-green-5xx"]}""", true },
        { """{"detail":{"tags":["env:prd"]}}""", true },
        { """{"detail":{"tags":["env:stg"]}}""", false },
        // nested detail
        { """{"detail":{"state":{"value":["ALARM"]},"previousState":{"value":["OK"]}}}""", true },
        { """{"detail":{"state":{"value":["OK"]}}}""", false },
        { """{"detail":{"state":["ALARM"]}}""", false },
        { """{"detail":{"missing":{"value":["ALARM"]}}}""", false },
        // numbers compare by value; null and strings are distinct
        { """{"detail":{"weight":[10.0]}}""", true },
        { """{"detail":{"weight":["10"]}}""", false },
        { """{"detail":{"owner":[null]}}""", true },
        { """{"detail":{"owner":[""]}}""", false },
        // arrays of objects: one element must match the whole nested pattern
        { """{"detail":{"configuration":{"metrics":{"id":["m2"],"metricStat":{"period":[300]}}}}}""", true },
        { """{"detail":{"configuration":{"metrics":{"id":["m1"],"metricStat":{"period":[300]}}}}}""", false },
        { """{"detail":{"configuration":{"metrics":{"metricStat":{"metric":{"name":[{"prefix":"HTTPCode_"}]}}}}}}""", true },
        // prefix / suffix / equals-ignore-case / wildcard
        { """{"detail":{"alarmName":[{"prefix":"shop-green"}]}}""", true },
        { """{"detail":{"alarmName":[{"prefix":"shop-blue"}]}}""", false },
        { """{"detail":{"alarmName":[{"prefix":{"equals-ignore-case":"SHOP-GREEN"}}]}}""", true },
        { """{"detail":{"alarmName":[{"suffix":"-5xx"}]}}""", true },
        { """{"detail":{"alarmName":[{"suffix":{"equals-ignore-case":"-5XX"}}]}}""", true },
        { """{"detail":{"alarmName":[{"equals-ignore-case":"SHOP-GREEN-5XX"}]}}""", true },
        { """{"detail":{"alarmName":[{"wildcard":"shop-*-5xx"}]}}""", true },
        { """{"detail":{"alarmName":[{"wildcard":"cart-*"}]}}""", false },
        { """{"detail":{"weight":[{"prefix":"1"}]}}""", false },
        // anything-but: values, lists, prefix; never matches an absent field
        { """{"detail":{"state":{"value":[{"anything-but":"OK"}]}}}""", true },
        { """{"detail":{"state":{"value":[{"anything-but":["ALARM","INSUFFICIENT_DATA"]}]}}}""", false },
        { """{"detail":{"weight":[{"anything-but":[5,20]}]}}""", true },
        { """{"detail":{"alarmName":[{"anything-but":{"prefix":"shop-blue"}}]}}""", true },
        { """{"detail":{"alarmName":[{"anything-but":{"prefix":"shop-"}}]}}""", false },
        { """{"detail":{"alarmName":[{"anything-but":{"suffix":"-5xx"}}]}}""", false },
        { """{"detail":{"alarmName":[{"anything-but":{"equals-ignore-case":["SHOP-GREEN-5XX"]}}]}}""", false },
        { """{"detail":{"absent":[{"anything-but":"x"}]}}""", false },
        // exists: leaves only; an object is not a leaf
        { """{"detail":{"alarmName":[{"exists":true}]}}""", true },
        { """{"detail":{"absent":[{"exists":true}]}}""", false },
        { """{"detail":{"absent":[{"exists":false}]}}""", true },
        { """{"detail":{"alarmName":[{"exists":false}]}}""", false },
        { """{"detail":{"state":[{"exists":false}]}}""", true },
        { """{"detail":{"owner":[{"exists":true}]}}""", true },
        { """{"nothere":{"leaf":[{"exists":false}]}}""", true },
        // numeric: JSON numbers only, ranges and equality, any element of an array
        { """{"detail":{"weight":[{"numeric":[">",0,"<=",10]}]}}""", true },
        { """{"detail":{"weight":[{"numeric":[">",10]}]}}""", false },
        { """{"detail":{"weight":[{"numeric":["=",1e1]}]}}""", true },
        { """{"detail":{"datapoints":[{"numeric":[">=",17,"<",18]}]}}""", true },
        { """{"detail":{"alarmName":[{"numeric":[">",0]}]}}""", false },
        // cidr
        { """{"detail":{"clientIp":[{"cidr":"10.0.0.0/16"}]}}""", true },
        { """{"detail":{"clientIp":[{"cidr":"192.168.0.0/16"}]}}""", false },
        // $or across fields, nested inside detail too
        { """{"source":["aws.cloudwatch"],"$or":[{"detail-type":["nope"]},{"detail":{"weight":[10]}}]}""", true },
        { """{"$or":[{"detail-type":["nope"]},{"source":["aws.ec2"]}]}""", false },
        { """{"detail":{"$or":[{"alarmName":["x"]},{"state":{"value":["ALARM"]}}]}}""", true },
        // mixing alternatives in one array
        { """{"detail":{"state":{"value":["OK",{"prefix":"ALA"}]}}}""", true },
    };

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Matches_AlarmEvent_FollowsEventBridgeSemantics(string pattern, bool expected) =>
        Assert.Equal(expected, EventPattern.Parse(pattern).Matches(AlarmEvent));

    [Theory]
    [InlineData("[]", "Filter is not an object")]
    [InlineData("{}", "Filter is empty")]
    [InlineData("""{"source":"aws.cloudwatch"}""", "Match value must be an object or an array")]
    [InlineData("""{"source":[]}""", "Empty arrays are not allowed")]
    [InlineData("""{"source":[{"prefx":"aws."}]}""", "Unrecognized match type prefx")]
    [InlineData("""{"source":[{"prefix":1}]}""", "prefix match pattern must be a string")]
    [InlineData("""{"detail":{"n":[{"numeric":[">",5,">",6]}]}}""", "Bad numeric range")]
    [InlineData("""{"detail":{"n":[{"numeric":[">",10,"<",5]}]}}""", "Bad numeric range")]
    [InlineData("""{"detail":{"n":[{"numeric":["=",6e9]}]}}""", "out of range")]
    [InlineData("""{"detail":{"n":[{"exists":"yes"}]}}""", "exists match pattern must be either true or false")]
    [InlineData("""{"detail":{"n":[{"anything-but":["a",1]}]}}""", "all values must be strings or all numbers")]
    [InlineData("""{"detail":{"n":[{"wildcard":"a**b"}]}}""", "Consecutive wildcard characters")]
    [InlineData("""{"detail":{"n":[{"cidr":"10.0.0.0"}]}}""", "Malformed CIDR")]
    public void Parse_InvalidPattern_ReportsTheReason(string pattern, string reason)
    {
        var error = Assert.Throws<EventPatternException>(() => EventPattern.Parse(pattern));

        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith("Event pattern is not valid. Reason: ", error.Message, StringComparison.Ordinal);
    }
}
