using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Iam;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Iam;

public sealed class RequiredPermissionsTests : IDisposable
{
    private readonly SimulatedAccount _account = AccountFactory.Create();

    public void Dispose() => _account.Dispose();

    /// <summary>Every service call the product's state machines make (from the Task resources of statemachines/*.asl.json).</summary>
    public static TheoryData<string, string> CallsOfTheStateMachines()
    {
        var data = new TheoryData<string, string>();
        var calls = new SortedSet<(string, string)>();
        foreach (var file in Directory.GetFiles(Path.Combine(BuildInfo.RepositoryRoot, "statemachines"), "*.asl.json"))
        {
            foreach (var resource in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), "\"arn:aws:states:::([a-z0-9-]+(?::[A-Za-z0-9]+)+)").Select(m => m.Groups[1].Value))
            {
                var parts = resource.Split(':');
                var (service, action) = parts[0] == "aws-sdk" ? (parts[1], parts[2]) : (parts[0], parts[1].Split('.')[0]);
                // eks:call and the HTTP Task (http:invoke) call no service API: their IAM is checked where they run
                // (HttpIntegration: states:InvokeHTTPEndpoint, the connection and its secret).
                if ((service, action) is not ("eks", "call") and not ("http", "invoke"))
                {
                    calls.Add((service, char.ToUpperInvariant(action[0]) + action[1..]));
                }
            }
        }

        foreach (var (service, action) in calls)
        {
            data.Add(service, action);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CallsOfTheStateMachines))]
    public void EveryCallOfTheStateMachines_HasARule(string service, string action)
    {
        var sdkName = service switch { "states" => "sfn", _ => service };
        var requests = RequiredPermissions.For(_account.ServiceBySdkName(sdkName)!, action, JObject.Empty, _account);

        Assert.NotEmpty(requests);
    }

    [Fact]
    public void ACallWithoutARule_IsRefusedRatherThanPassedUnchecked() =>
        Assert.Throws<NotSupportedException>(() => RequiredPermissions.For(_account.ServiceBySdkName("sns")!, "CreatePlatformEndpoint", JObject.Empty, _account));

    [Fact]
    public void CreateAccessEntry_ForEc2Nodes_PassesTheNodeRoleToEc2()
    {
        var requests = RequiredPermissions.For(_account.ServiceBySdkName("eks")!, "CreateAccessEntry", JObject.Of(
            ("ClusterName", "shop-green"), ("PrincipalArn", "arn:aws:iam::111122223333:role/karpenter-node"), ("Type", "EC2_LINUX"), ("Tags", JObject.Of(("team", "a")))), _account);

        Assert.Equal(["eks:CreateAccessEntry", "iam:PassRole", "eks:TagResource"], requests.Select(r => r.Action));
        var passRole = requests[1];
        Assert.Equal("arn:aws:iam::111122223333:role/karpenter-node", passRole.Resource);
        Assert.True(passRole.Context.TryGet("iam:PassedToService", out var to) && to.SequenceEqual(["ec2.amazonaws.com"]));
        Assert.True(requests[0].Context.TryGet("aws:RequestTag/team", out _));
    }

    [Fact]
    public void Invoke_ThroughAnAlias_IsAuthorizedOnTheQualifiedArn()
    {
        var requests = RequiredPermissions.For(_account.ServiceBySdkName("lambda")!, "Invoke", JObject.Of(("FunctionName", "arn:aws:lambda:ap-northeast-2:111122223333:function:hook:live")), _account);

        Assert.Equal(("lambda:InvokeFunction", "arn:aws:lambda:ap-northeast-2:111122223333:function:hook:live"), (requests[0].Action, requests[0].Resource));
    }
}
