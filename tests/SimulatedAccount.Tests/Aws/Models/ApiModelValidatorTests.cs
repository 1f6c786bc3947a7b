using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Models;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Models;

public sealed class ApiModelValidatorTests
{
    private static readonly ApiModelValidator Validator = ApiModelValidator.Default;

    private static IReadOnlyList<RequestProblem> Validate(string sdkName, string action, string parameters) =>
        Validator.Validate(sdkName, action, JValue.Parse(parameters).AsObject());

    public static TheoryData<string, string, string> ValidRequests => new()
    {
        {
            "eks", "CreateCluster", """
            {"Name":"shop-green","Version":"1.33","RoleArn":"arn:aws:iam::111122223333:role/eks-cluster",
             "ResourcesVpcConfig":{"SubnetIds":["subnet-a","subnet-b"],"SecurityGroupIds":["sg-1"],"EndpointPublicAccess":true,"EndpointPrivateAccess":true},
             "KubernetesNetworkConfig":{"IpFamily":"ipv4"},"AccessConfig":{"AuthenticationMode":"API","BootstrapClusterCreatorAdminPermissions":false},
             "UpgradePolicy":{"SupportType":"STANDARD"},"Tags":{"bluegreen/role":"green","team":"platform"}}
            """
        },
        {
            "eks", "CreateNodegroup", """
            {"ClusterName":"shop-green","NodegroupName":"general","Subnets":["subnet-a"],"NodeRole":"arn:aws:iam::111122223333:role/node",
             "ScalingConfig":{"MinSize":2,"MaxSize":6,"DesiredSize":3},"InstanceTypes":["m7i.large"],"AmiType":"AL2023_x86_64_STANDARD",
             "CapacityType":"ON_DEMAND","Labels":{"workload":"web"},"Taints":[{"Key":"dedicated","Value":"web","Effect":"NO_SCHEDULE"}],
             "UpdateConfig":{"MaxUnavailablePercentage":33}}
            """
        },
        { "eks", "DescribeClusterVersions", """{"ClusterVersions":["1.33"],"IncludeAll":false,"VersionStatus":"STANDARD_SUPPORT","MaxResults":10}""" },
        {
            "elasticloadbalancingv2", "ModifyRule", """
            {"RuleArn":"arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener-rule/app/shop/1/2/3",
             "Actions":[{"Type":"forward","ForwardConfig":{
               "TargetGroups":[{"TargetGroupArn":"arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/blue/1","Weight":90},
                               {"TargetGroupArn":"arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/green/2","Weight":10}],
               "TargetGroupStickinessConfig":{"Enabled":false}}}]}
            """
        },
        {
            "route53", "ChangeResourceRecordSets", """
            {"HostedZoneId":"Z123","ChangeBatch":{"Comment":"shift 10% to green","Changes":[
              {"Action":"UPSERT","ResourceRecordSet":{"Name":"shop.example.com","Type":"CNAME","SetIdentifier":"green","Weight":10,"Ttl":60,
                "ResourceRecords":[{"Value":"green.shop.example.com"}]}},
              {"Action":"UPSERT","ResourceRecordSet":{"Name":"shop.example.com","Type":"A","SetIdentifier":"blue","Weight":90,
                "AliasTarget":{"HostedZoneId":"ZWKZPGTI48KDX","DnsName":"blue-123.ap-northeast-2.elb.amazonaws.com","EvaluateTargetHealth":true}}}]}}
            """
        },
        { "cloudwatch", "DescribeAlarms", """{"AlarmNames":["shop-green-5xx","shop-green-latency"],"AlarmTypes":["MetricAlarm","CompositeAlarm"],"StateValue":"ALARM","MaxRecords":100}""" },
        {
            "sns", "Publish", """
            {"TopicArn":"arn:aws:sns:ap-northeast-2:111122223333:bluegreen","Subject":"Upgrade started","Message":"{\"cluster\":\"shop-blue\"}",
             "MessageAttributes":{"cluster":{"DataType":"String","StringValue":"shop-blue"}}}
            """
        },
        {
            "secretsmanager", "CreateSecret", """
            {"Name":"argocd/clusters/shop-green","SecretString":"{\"server\":\"https://example\"}","Description":"Argo CD cluster secret",
             "Tags":[{"Key":"argocd.argoproj.io/secret-type","Value":"cluster"}]}
            """
        },
        {
            "scheduler", "CreateSchedule", """
            {"Name":"decommission-shop-blue","GroupName":"bluegreen","ScheduleExpression":"at(2026-11-30T09:00:00)","ScheduleExpressionTimezone":"UTC",
             "FlexibleTimeWindow":{"Mode":"OFF"},"ActionAfterCompletion":"DELETE","StartDate":"2026-11-23T09:00:00Z",
             "Target":{"Arn":"arn:aws:states:ap-northeast-2:111122223333:stateMachine:decommission","RoleArn":"arn:aws:iam::111122223333:role/scheduler",
                       "Input":"{\"cluster\":\"shop-blue\"}","RetryPolicy":{"MaximumRetryAttempts":3}}}
            """
        },
        {
            "eventbridge", "PutEvents", """
            {"Entries":[{"Source":"bluegreen.upgrade","DetailType":"Upgrade completed","Detail":"{\"cluster\":\"shop-green\"}","EventBusName":"default",
                         "Resources":["arn:aws:eks:ap-northeast-2:111122223333:cluster/shop-green"],"Time":"2026-11-23T09:30:00Z"}]}
            """
        },
        { "sfn", "StartExecution", """{"StateMachineArn":"arn:aws:states:ap-northeast-2:111122223333:stateMachine:upgrade","Name":"shop-1","Input":"{}"}""" },
        { "lambda", "Invoke", """{"FunctionName":"plan-upgrade","InvocationType":"RequestResponse","Payload":{"cluster":"shop-blue","targetVersion":"1.33"}}""" },
        {
            "dynamodb", "PutItem", """
            {"TableName":"upgrades","ConditionExpression":"attribute_not_exists(#pk)","ExpressionAttributeNames":{"#pk":"pk"},
             "Item":{"pk":{"S":"cluster#shop-blue"},"weight":{"N":"10"},"dryRun":{"Bool":false},"legacy":{"BOOL":true},"note":{"Nul":true},
                     "labels":{"Ss":["a","b"]},"steps":{"L":[{"M":{"at":{"S":"2026-11-23T09:00:00Z"},"weight":{"N":"10"}}}]}},
             "ExpressionAttributeValues":{":now":{"S":"2026-11-23T09:00:00Z"}},"ReturnValues":"NONE"}
            """
        },
    };

    [Theory]
    [MemberData(nameof(ValidRequests))]
    public void Validate_CorrectRequest_ReportsNothing(string sdkName, string action, string parameters)
    {
        Assert.Empty(Validate(sdkName, action, parameters));
    }

    [Fact]
    public void Validate_MisspelledMember_IsUnknownWithStepFunctionsMessage()
    {
        var problem = Assert.Single(Validate("sns", "Publish", """{"TopicArnn":"arn:aws:sns:ap-northeast-2:111122223333:t","Message":"hi"}"""));

        Assert.Equal(RequestProblemKind.UnknownMember, problem.Kind);
        Assert.Equal("TopicArnn", problem.Path);
        Assert.Equal("The field \"TopicArnn\" is not supported by Step Functions", problem.Message);
    }

    [Fact]
    public void Validate_MisspelledNestedMember_NamesTheFieldAndLocatesIt()
    {
        var problem = Assert.Single(Validate("route53", "ChangeResourceRecordSets", """
            {"HostedZoneId":"Z1","ChangeBatch":{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"a.example.com","Type":"A","Ttll":60}}]}}
            """));

        Assert.Equal(RequestProblemKind.UnknownMember, problem.Kind);
        Assert.Equal("ChangeBatch.Changes[0].ResourceRecordSet.Ttll", problem.Path);
        Assert.Equal("The field \"Ttll\" is not supported by Step Functions", problem.Message);
    }

    [Fact]
    public void Validate_CamelCaseMember_IsUnknown()
    {
        var problems = Validate("sfn", "StartExecution", """{"stateMachineArn":"arn:aws:states:ap-northeast-2:111122223333:stateMachine:upgrade"}""");

        Assert.Equal([RequestProblemKind.UnknownMember, RequestProblemKind.MissingRequired], problems.Select(p => p.Kind));
        Assert.Equal("The field \"stateMachineArn\" is not supported by Step Functions", problems[0].Message);
    }

    [Fact]
    public void Validate_MapKeys_AreUserDataButMapValuesAreChecked()
    {
        var problem = Assert.Single(Validate("dynamodb", "PutItem", """{"TableName":"t","Item":{"Not A Member":{"S":"x"},"pk":{"Sx":"y"}}}"""));

        Assert.Equal(RequestProblemKind.UnknownMember, problem.Kind);
        Assert.Equal("Item['pk'].Sx", problem.Path);
    }

    [Fact]
    public void Validate_StringWhereListRequired_IsWrongType()
    {
        var problem = Assert.Single(Validate("eks", "CreateNodegroup", """{"ClusterName":"c","NodegroupName":"n","Subnets":"subnet-a","NodeRole":"r"}"""));

        Assert.Equal(RequestProblemKind.WrongType, problem.Kind);
        Assert.Equal("Subnets", problem.Path);
        Assert.Equal("The value for the field \"Subnets\" must be an array, not a string", problem.Message);
    }

    [Theory]
    [InlineData("10", true)]
    [InlineData("\"10\"", true)]
    [InlineData("\"ten\"", false)]
    [InlineData("true", false)]
    [InlineData("[10]", false)]
    public void Validate_Number_AcceptsWhatTheJavaSdkConverts(string weight, bool valid)
    {
        var problems = Validate("elasticloadbalancingv2", "ModifyRule", $$$"""
            {"RuleArn":"r","Actions":[{"Type":"forward","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"tg","Weight":{{{weight}}}}]}}]}
            """);

        Assert.Equal(valid, problems.Count == 0);
        if (!valid)
        {
            Assert.Equal("Actions[0].ForwardConfig.TargetGroups[0].Weight", Assert.Single(problems).Path);
        }
    }

    [Fact]
    public void Validate_ObjectWhereStringRequired_IsWrongType()
    {
        var problem = Assert.Single(Validate("sns", "Publish", """{"TopicArn":"t","Message":{"cluster":"shop"}}"""));

        Assert.Equal(RequestProblemKind.WrongType, problem.Kind);
        Assert.Equal("The value for the field \"Message\" must be a string, not an object", problem.Message);
    }

    [Fact]
    public void Validate_TimestampThatIsNotADate_IsWrongType()
    {
        var problems = Validate("scheduler", "CreateSchedule", """
            {"Name":"n","ScheduleExpression":"rate(1 day)","FlexibleTimeWindow":{"Mode":"OFF"},"Target":{"Arn":"a","RoleArn":"r"},"StartDate":"next tuesday"}
            """);

        Assert.Equal(RequestProblemKind.WrongType, Assert.Single(problems).Kind);
        Assert.Equal("StartDate", problems[0].Path);
    }

    [Fact]
    public void Validate_MissingRequiredMembers_AreReportedInTheServicesWords()
    {
        var problems = Validate("eks", "CreateCluster", """{"Name":"shop-green"}""");

        Assert.Equal([RequestProblemKind.MissingRequired, RequestProblemKind.MissingRequired], problems.Select(p => p.Kind));
        Assert.Equal(["RoleArn", "ResourcesVpcConfig"], problems.Select(p => p.Path));
        Assert.Equal("Value null at 'roleArn' failed to satisfy constraint: Member must not be null", problems[0].Message);
        Assert.Equal(
            "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; " +
            "Value null at 'resourcesVpcConfig' failed to satisfy constraint: Member must not be null",
            Validator.DescribeForService("eks", problems));
    }

    [Fact]
    public void Validate_MissingNestedRequiredMember_UsesTheServicesPath()
    {
        var problem = Assert.Single(Validate("route53", "ChangeResourceRecordSets", """
            {"HostedZoneId":"Z1","ChangeBatch":{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"a.example.com","Type":"A"}},{"ResourceRecordSet":{"Name":"b.example.com","Type":"A"}}]}}
            """));

        Assert.Equal(RequestProblemKind.MissingRequired, problem.Kind);
        Assert.Equal("ChangeBatch.Changes[1].Action", problem.Path);
        Assert.Equal("1 validation error detected: Value null at 'changeBatch.changes.2.member.action' failed to satisfy constraint: Member must not be null",
            Validator.DescribeForService("route53", [problem]));
    }

    [Fact]
    public void Validate_NullRequiredMember_IsMissing()
    {
        var problem = Assert.Single(Validate("sfn", "StartExecution", """{"StateMachineArn":null}"""));

        Assert.Equal(RequestProblemKind.MissingRequired, problem.Kind);
        Assert.Equal("Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null", problem.Message);
    }

    [Fact]
    public void Validate_SnsPublishWithoutMessage_IsSnsInvalidParameterWording()
    {
        var problem = Assert.Single(Validate("sns", "Publish", """{"TopicArn":"arn:aws:sns:ap-northeast-2:111122223333:t"}"""));

        Assert.Equal(RequestProblemKind.MissingRequired, problem.Kind);
        Assert.Equal("Invalid parameter: Empty message", problem.Message);
        Assert.Equal("Invalid parameter: Empty message", Validator.DescribeForService("sns", [problem]));
    }

    [Fact]
    public void Validate_ValueOutsideEnum_IsConstraintViolation()
    {
        var problem = Assert.Single(Validate("elasticloadbalancingv2", "ModifyRule", """{"RuleArn":"r","Actions":[{"Type":"Forward","TargetGroupArn":"tg"}]}"""));

        Assert.Equal(RequestProblemKind.ConstraintViolation, problem.Kind);
        Assert.Equal("Actions[0].Type", problem.Path);
        Assert.Equal(
            "Value 'Forward' at 'actions.1.member.type' failed to satisfy constraint: Member must satisfy enum value set: " +
            "[authenticate-cognito, authenticate-oidc, fixed-response, forward, jwt-validation, redirect]",
            problem.Message);
    }

    [Fact]
    public void Validate_ListElementOutsideEnum_IsConstraintViolation()
    {
        var problem = Assert.Single(Validate("cloudwatch", "DescribeAlarms", """{"AlarmTypes":["MetricAlarm","Metric"]}"""));

        Assert.Equal(RequestProblemKind.ConstraintViolation, problem.Kind);
        Assert.Equal("AlarmTypes[1]", problem.Path);
        Assert.StartsWith("Value 'Metric' at 'alarmTypes.2.member' failed to satisfy constraint", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_AreAllReported()
    {
        var problems = Validate("eks", "CreateNodegroup", """
            {"ClusterName":"c","NodegroupName":"n","Subnetz":["subnet-a"],"InstanceTypes":"m7i.large","CapacityType":"SPOTTY","ScalingConfig":{"MinSize":"two"}}
            """);

        Assert.Equal(
            [
                (RequestProblemKind.UnknownMember, "Subnetz"),
                (RequestProblemKind.WrongType, "InstanceTypes"),
                (RequestProblemKind.ConstraintViolation, "CapacityType"),
                (RequestProblemKind.WrongType, "ScalingConfig.MinSize"),
                (RequestProblemKind.MissingRequired, "Subnets"),
                (RequestProblemKind.MissingRequired, "NodeRole"),
            ],
            problems.Select(p => (p.Kind, p.Path)));
    }

    [Theory]
    [InlineData("""{"Ttl":60}""")]
    [InlineData("""{"TTL":60}""")]
    public void Validate_JavaBeanAndModelSpellings_AreBothAccepted(string ttl)
    {
        var recordSet = JValue.Parse(ttl).AsObject().With("Name", "a.example.com").With("Type", "A");
        var parameters = JObject.Of(("HostedZoneId", "Z1"), ("ChangeBatch", JObject.Of(("Changes", JArray.Of(JObject.Of(("Action", "UPSERT"), ("ResourceRecordSet", recordSet)))))));

        Assert.Empty(Validator.Validate("route53", "ChangeResourceRecordSets", parameters));
    }

    [Fact]
    public void Validate_LambdaPayload_TakesAnyJson()
    {
        Assert.Empty(Validate("lambda", "Invoke", """{"FunctionName":"f","Payload":[1,{"a":true}]}"""));
        Assert.Empty(Validate("lambda", "Invoke", """{"FunctionName":"f","Payload":"plain text"}"""));
    }

    [Fact]
    public void Validate_BuiltWithoutModels_ChecksNothing()
    {
        var empty = Directory.CreateTempSubdirectory("no-models-");
        try
        {
            var validator = new ApiModelValidator(ApiModelCatalog.FromDirectory(empty.FullName));

            Assert.Empty(validator.Validate("sns", "Publish", JObject.Of(("TopicArnn", "t"))));
        }
        finally
        {
            empty.Delete();
        }
    }

    [Fact]
    public void Validate_ServiceOrOperationWithoutModel_IsNotChecked()
    {
        Assert.Empty(Validate("ec2", "DescribeInstances", """{"Anything":1}"""));
        Assert.Empty(Validate("eks", "Call", """{"Anything":1}"""));
    }
}
