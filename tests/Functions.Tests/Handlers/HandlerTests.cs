using System.Text.Json;
using System.Text.Json.Nodes;
using BlueGreen.Functions.Handlers;
using BlueGreen.Functions.Serialization;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.Handlers;

/// <summary>Each handler end to end: JSON stream in, JSON stream out, and the error type on failure.</summary>
public class HandlerTests
{
    private static readonly string Execution =
        $"{{\"id\":\"{Inputs.ExecutionId}\",\"name\":\"{Inputs.ExecutionName}\",\"startTime\":\"{Inputs.StartTime}\"}}";

    private static JsonNode Run(Func<Stream, Stream> handle, string json)
    {
        using var output = handle(Inputs.ToStream(json));
        return JsonNode.Parse(output)!;
    }

    private static string PlanJson() => Run(new PlanUpgradeHandler().Handle, $"{{\"input\":{Inputs.Alb().ToJson()},\"execution\":{Execution}}}").ToJsonString();

    private static string ListenerOnlyPlanJson() => Run(new PlanUpgradeHandler().Handle, $"{{\"input\":{Inputs.Alb().With("traffic.ruleArn", null).ToJson()},\"execution\":{Execution}}}").ToJsonString();

    private static string Route53PlanJson() => Run(new PlanUpgradeHandler().Handle, $"{{\"input\":{Inputs.Route53().ToJson()},\"execution\":{Execution}}}").ToJsonString();

    private static string ErrorName(Func<Stream, Stream> handle, string json)
    {
        // What the Lambda runtime reports as errorType, and Step Functions as the error name.
        var error = Assert.ThrowsAny<Exception>(() => handle(Inputs.ToStream(json)));
        return error.GetType().Name;
    }

    [Fact]
    public void PlanUpgrade_ValidInput_WritesCamelCasePlanWithNulls()
    {
        var plan = JsonNode.Parse(ListenerOnlyPlanJson())!;

        Assert.Equal("shop-green", (string?)plan["greenClusterName"]);
        Assert.Equal(300, (int?)plan["strategy"]!["steps"]![0]!["bakeSeconds"]);
        Assert.True(plan["traffic"]!.AsObject().ContainsKey("ruleArn"));
        Assert.Null(plan["traffic"]!["ruleArn"]);
        Assert.Null(plan["gitops"]);
    }

    [Fact]
    public void PlanUpgrade_BadInput_RaisesInvalidInput()
    {
        Assert.Equal("InvalidInput", ErrorName(new PlanUpgradeHandler().Handle, $"{{\"input\":{{\"clusterName\":\"x\"}},\"execution\":{Execution}}}"));
    }

    [Fact]
    public void AnyHandler_MalformedJson_RaisesInvalidInputWithThePath()
    {
        var error = Assert.Throws<InvalidInput>(() => new EvaluateAlarmsHandler().Handle(Inputs.ToStream("{\"plan\":{\"runId\":5}}")));

        Assert.Contains("$.plan.runId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnyHandler_MissingRequiredMember_RaisesInvalidInput()
    {
        Assert.Equal("InvalidInput", ErrorName(new EvaluateAlarmsHandler().Handle, $"{{\"plan\":{PlanJson()},\"now\":\"{Inputs.StartTime}\"}}"));
    }

    [Fact]
    public void CheckPreflight_HealthyBlue_ReturnsTheResult()
    {
        var json = $$"""
            {"plan":{{PlanJson()}},
             "cluster":{"Name":"shop-blue","Version":"1.32","Status":"ACTIVE","RoleArn":"{{BlueCluster.ClusterRole}}","CreatedAt":"2024-01-01T00:00:00Z",
                        "AccessConfig":{"AuthenticationMode":"API"} },
             "clusterVersions":[{"ClusterVersion":"1.34","VersionStatus":"STANDARD_SUPPORT","EndOfStandardSupportDate":"2026-12-01T00:00:00Z"}],
             "insights":[],
             "nodegroups":[{"NodegroupName":"general","AmiType":"AL2023_x86_64_STANDARD","Status":"ACTIVE"}]}
            """;

        var result = Run(new CheckPreflightHandler().Handle, json);

        Assert.Equal("1.32", (string?)result["blueVersion"]);
        Assert.Equal("1.33", (string?)result["versionsSkipped"]![0]);
    }

    [Fact]
    public void CheckPreflight_BlueNotActive_RaisesPreflightFailed()
    {
        var json = $$"""
            {"plan":{{PlanJson()}},"cluster":{"Name":"shop-blue","Version":"1.32","Status":"UPDATING"},
             "clusterVersions":[{"ClusterVersion":"1.34","VersionStatus":"STANDARD_SUPPORT"}],"insights":[],"nodegroups":[]}
            """;

        Assert.Equal("PreflightFailed", ErrorName(new CheckPreflightHandler().Handle, json));
    }

    private static string GreenSpecInput(string addonVersions) => $$"""
        {"plan":{{PlanJson()}},
         "cluster":{"Name":"shop-blue","Version":"1.32","Status":"ACTIVE","RoleArn":"{{BlueCluster.ClusterRole}}",
                    "ResourcesVpcConfig":{"SubnetIds":["subnet-1","subnet-2"],"SecurityGroupIds":[],"ClusterSecurityGroupId":"sg-0fedcba9876543210","VpcId":"vpc-1","EndpointPublicAccess":false,"EndpointPrivateAccess":true,"PublicAccessCidrs":["0.0.0.0/0"]},
                    "KubernetesNetworkConfig":{"ServiceIpv4Cidr":"10.100.0.0/16","ServiceIpv6Cidr":"fd00::/108","IpFamily":"ipv4"},
                    "AccessConfig":{"AuthenticationMode":"API"},"Tags":{"team":"shop"} },
         "nodegroups":[{"NodegroupName":"general","AmiType":"AL2_ARM_64","Subnets":["subnet-1"],"NodeRole":"{{BlueCluster.NodeRole}}",
                        "ScalingConfig":{"MinSize":1,"MaxSize":3,"DesiredSize":2},"InstanceTypes":["m7g.large"],"DiskSize":20,
                        "NodeRepairConfig":{"Enabled":true,"MaxUnhealthyNodeThresholdPercentage":20} }],
         "addons":[{"AddonName":"vpc-cni","AddonVersion":"v1.19.2-eksbuild.1","Status":"ACTIVE"}],
         "addonVersions":{{addonVersions}},
         "podIdentityAssociations":[],
         "accessEntries":[{"accessEntry":{"PrincipalArn":"{{BlueCluster.AdminRole}}","Type":"STANDARD","KubernetesGroups":[]},
                           "associatedAccessPolicies":[{"PolicyArn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy","AccessScope":{"Type":"cluster","Namespaces":[]} }]}],
         "creatorRoleArn":"{{BlueCluster.WorkflowRole}}"}
        """;

    [Fact]
    public void BuildGreenSpec_WritesSdkParametersInPascalCaseWithoutOutputOnlyMembers()
    {
        var spec = Run(new BuildGreenSpecHandler().Handle, GreenSpecInput(
            """[{"AddonName":"vpc-cni","AddonVersions":[{"AddonVersion":"v1.20.0-eksbuild.1","Compatibilities":[{"ClusterVersion":"1.34","DefaultVersion":true}]}]}]"""));

        var cluster = spec["createCluster"]!.AsObject();
        Assert.Equal("shop-green", (string?)cluster["Name"]);
        var vpc = cluster["ResourcesVpcConfig"]!.AsObject();
        Assert.False(vpc.ContainsKey("ClusterSecurityGroupId"));
        Assert.False(vpc.ContainsKey("VpcId"));
        Assert.False(vpc.ContainsKey("SecurityGroupIds"));
        Assert.False(vpc.ContainsKey("PublicAccessCidrs"));
        Assert.False(cluster["KubernetesNetworkConfig"]!.AsObject().ContainsKey("ServiceIpv6Cidr"));
        Assert.False(cluster.ContainsKey("EncryptionConfig"));
        var nodegroup = spec["nodegroups"]![0]!.AsObject();
        Assert.Equal("AL2023_ARM_64_STANDARD", (string?)nodegroup["AmiType"]);
        Assert.Equal(20, (int?)nodegroup["NodeRepairConfig"]!["MaxUnhealthyNodeThresholdPercentage"]);
        Assert.Equal("v1.20.0-eksbuild.1", (string?)spec["addons"]![0]!["AddonVersion"]);
        var entry = spec["accessEntries"]![0]!;
        Assert.False(entry["createAccessEntry"]!.AsObject().ContainsKey("KubernetesGroups"));
        Assert.False(entry["associateAccessPolicies"]![0]!["AccessScope"]!.AsObject().ContainsKey("Namespaces"));
    }

    [Fact]
    public void BuildGreenSpec_NoCompatibleAddon_RaisesNoCompatibleAddonVersion()
    {
        Assert.Equal("NoCompatibleAddonVersion", ErrorName(new BuildGreenSpecHandler().Handle, GreenSpecInput("[]")));
    }

    [Fact]
    public void BuildGreenSpec_Al2GpuNodegroupMixingNeuronAndNvidia_RaisesUnsupportedClusterConfiguration()
    {
        var input = GreenSpecInput("""[{"AddonName":"vpc-cni","AddonVersions":[{"AddonVersion":"v1.20.0-eksbuild.1","Compatibilities":[{"ClusterVersion":"1.34","DefaultVersion":true}]}]}]""")
            .Replace("\"AmiType\":\"AL2_ARM_64\"", "\"AmiType\":\"AL2_x86_64_GPU\"", StringComparison.Ordinal)
            .Replace("\"InstanceTypes\":[\"m7g.large\"]", "\"InstanceTypes\":[\"trn1.2xlarge\",\"p4d.24xlarge\"]", StringComparison.Ordinal);

        Assert.Equal("UnsupportedClusterConfiguration", ErrorName(new BuildGreenSpecHandler().Handle, input));
    }

    private static string HealthInput(string now, int healthy) => $$"""
        {"plan":{{PlanJson()}},"waitStartedAt":"2025-06-01T09:30:00.000Z","now":"{{now}}",
         "cluster":{"Name":"shop-green","Status":"ACTIVE"},
         "addons":[{"AddonName":"vpc-cni","Status":"ACTIVE"}],
         "nodegroups":[{"NodegroupName":"general","Status":"ACTIVE"}],
         "targetHealth":[{{string.Join(",", Enumerable.Repeat("""{"Target":{"Id":"10.0.1.5","Port":8080},"TargetHealth":{"State":"healthy"}}""", healthy))}}]}
        """;

    [Fact]
    public void EvaluateHealth_NotYetHealthy_ReturnsReasonsAndWait()
    {
        var verdict = Run(new EvaluateHealthHandler().Handle, HealthInput("2025-06-01T09:31:00.000Z", 1));

        Assert.False((bool)verdict["healthy"]!);
        Assert.Equal(30, (int)verdict["waitSeconds"]!);
        Assert.Single(verdict["reasons"]!.AsArray());
    }

    [Fact]
    public void EvaluateHealth_PastDeadline_RaisesHealthCheckTimedOut()
    {
        Assert.Equal("HealthCheckTimedOut", ErrorName(new EvaluateHealthHandler().Handle, HealthInput("2025-06-01T10:30:00.000Z", 0)));
    }

    [Fact]
    public void PlanTrafficShift_Alb_WritesModifyListenerParameters()
    {
        var shift = Run(new PlanTrafficShiftHandler().Handle, $"{{\"plan\":{ListenerOnlyPlanJson()},\"greenPercent\":10}}");

        Assert.Equal("ModifyListener", (string?)shift["apiCall"]);
        var action = shift["request"]!["DefaultActions"]![0]!;
        Assert.Equal("forward", (string?)action["Type"]);
        Assert.Equal(90, (int?)action["ForwardConfig"]!["TargetGroups"]![0]!["Weight"]);
        Assert.Equal(["ListenerArn", "DefaultActions"], shift["request"]!.AsObject().Select(m => m.Key));
    }

    [Fact]
    public void PlanTrafficShift_Route53_RoundTripsTheRecordIncludingUnknownMembers()
    {
        const string records = """
            [{"Name":"api.example.com.","Type":"A","SetIdentifier":"blue","Weight":100,"TTL":60,"ResourceRecords":[{"Value":"192.0.2.10"}],"HealthCheckId":"hc-1","FutureMember":{"x":1}},
             {"Name":"api.example.com.","Type":"A","SetIdentifier":"green","Weight":0,"AliasTarget":{"HostedZoneId":"ZWKZPGTI48KDX","DNSName":"green.elb.amazonaws.com.","EvaluateTargetHealth":true}}]
            """;

        var shift = Run(new PlanTrafficShiftHandler().Handle, $"{{\"plan\":{Route53PlanJson()},\"greenPercent\":20,\"current\":{{\"type\":\"route53\",\"currentRecords\":{records}}}}}");

        var changes = shift["request"]!["ChangeBatch"]!["Changes"]!;
        var blue = changes[0]!["ResourceRecordSet"]!;
        Assert.Equal(80, (int?)blue["Weight"]);
        Assert.Equal(60, (int?)blue["TTL"]);
        Assert.Equal(1, (int?)blue["FutureMember"]!["x"]);
        Assert.Equal("hc-1", (string?)blue["HealthCheckId"]);
        var green = changes[1]!["ResourceRecordSet"]!;
        Assert.Equal(20, (int?)green["Weight"]);
        Assert.Equal("green.elb.amazonaws.com.", (string?)green["AliasTarget"]!["DNSName"]);
        Assert.False(green.AsObject().ContainsKey("TTL"));
    }

    [Fact]
    public void PlanTrafficShift_Route53MissingRecord_RaisesTrafficTargetNotFound()
    {
        Assert.Equal("TrafficTargetNotFound", ErrorName(new PlanTrafficShiftHandler().Handle, $"{{\"plan\":{Route53PlanJson()},\"greenPercent\":20,\"current\":{{\"type\":\"route53\",\"currentRecords\":[]}}}}"));
    }

    [Fact]
    public void EvaluateAlarms_DescribeAlarmsOutput_GivesVerdict()
    {
        const string alarms = """
            {"MetricAlarms":[{"AlarmName":"shop-5xx-rate","StateValue":"ALARM","StateReason":"Threshold Crossed","StateUpdatedTimestamp":"2025-06-01T10:04:00.000Z"},
                             {"AlarmName":"shop-p99-latency","StateValue":"OK","StateUpdatedTimestamp":1748772240}],"CompositeAlarms":[]}
            """;

        var verdict = Run(new EvaluateAlarmsHandler().Handle, $"{{\"plan\":{PlanJson()},\"alarms\":{alarms},\"now\":\"2025-06-01T10:05:00.000Z\"}}");

        Assert.Equal("ALARM", (string?)verdict["verdict"]);
        Assert.Equal("shop-5xx-rate", (string?)verdict["firing"]![0]!["name"]);
    }

    [Fact]
    public void EvaluateAlarms_MissingAlarm_RaisesAlarmNotFound()
    {
        Assert.Equal("AlarmNotFound", ErrorName(new EvaluateAlarmsHandler().Handle,
            $"{{\"plan\":{PlanJson()},\"alarms\":{{\"MetricAlarms\":[]}},\"now\":\"2025-06-01T10:05:00.000Z\"}}"));
    }

    [Fact]
    public void EvaluateAlarmHistory_DescribeAlarmHistoryPage_GivesVerdict()
    {
        // The page as the SDK integration returns it: HistoryData is JSON text, Timestamp ISO-8601.
        const string page = """
            {"AlarmHistoryItems":[{"AlarmName":"shop-5xx-rate","AlarmType":"MetricAlarm","Timestamp":"2025-06-01T10:02:00.000Z","HistoryItemType":"StateUpdate",
              "HistorySummary":"Alarm updated from OK to ALARM",
              "HistoryData":"{\"version\":\"1.0\",\"oldState\":{\"stateValue\":\"OK\"},\"newState\":{\"stateValue\":\"ALARM\",\"stateReason\":\"Threshold Crossed\"}}"}],
             "NextToken":"more"}
            """;

        var verdict = Run(new EvaluateAlarmHistoryHandler().Handle,
            $"{{\"plan\":{PlanJson()},\"alarmName\":\"shop-5xx-rate\",\"since\":\"2025-06-01T10:00:00.000Z\",\"history\":{page}}}");

        Assert.Equal("ALARM", (string?)verdict["verdict"]);
        Assert.Equal("2025-06-01T10:02:00.000Z", (string?)verdict["firedAt"]);
    }

    [Fact]
    public void EvaluateAlarmHistory_BadRequest_RaisesInvalidInput()
    {
        Assert.Equal("InvalidInput", ErrorName(new EvaluateAlarmHistoryHandler().Handle,
            $"{{\"plan\":{PlanJson()},\"alarmName\":\"someone-elses-alarm\",\"since\":\"2025-06-01T10:00:00.000Z\",\"history\":{{}}}}"));
    }

    [Fact]
    public void Plan_RoundTripsThroughTheContext()
    {
        var plan = Inputs.AlbPlan();

        var json = JsonSerializer.Serialize(plan, FunctionsJsonContext.Default.UpgradePlan);
        var back = JsonSerializer.Deserialize(json, FunctionsJsonContext.Default.UpgradePlan)!;

        Assert.Equal(json, JsonSerializer.Serialize(back, FunctionsJsonContext.Default.UpgradePlan));
    }
}
