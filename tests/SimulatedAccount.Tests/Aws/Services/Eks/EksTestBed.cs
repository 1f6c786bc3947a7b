using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.Eks;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Aws.Services.Eks;

/// <summary>An account on the default world (or an override of it), with helpers to call EKS and run state machines.</summary>
internal sealed class EksTestBed : IDisposable
{
    public const string Subnets = """["subnet-0a1f3c5e7b9d21a01","subnet-0b2e4d6f8a0c32b02","subnet-0c3d5e7f9b1d43c03"]""";

    public const string NodeRole = "arn:aws:iam::111122223333:role/shop-eks-node-role";

    public EksTestBed(string? eksOverrides = null, string? start = null, bool defaultWorld = true)
    {
        var raw = new JObjectBuilder();
        if (defaultWorld)
        {
            raw.Add("world", "default");
        }

        if (start is not null)
        {
            raw.Add("start", start);
        }

        if (eksOverrides is not null)
        {
            raw.Add("services", JObject.Of(("eks", JValue.Parse(eksOverrides))));
        }

        Account = AccountFactory.Create(Scenario.FromJson("eks-test", raw.Build()));
    }

    public SimulatedAccount Account { get; }

    public EksService Eks => Account.Service<EksService>();

    public DateTimeOffset Now => Account.Scheduler.Now;

    public void Dispose() => Account.Dispose();

    /// <summary>One SDK-integration call (logged, fault-injectable), as a Task state would make it.</summary>
    public JObject Call(string action, string parameters) =>
        (JObject)Account.Scheduler.Run(() => Account.CallAsync(Eks, action, (JObject)JValue.Parse(parameters), new AwsCallContext { Account = Account, Cancellation = CancellationToken.None, StateName = "test" }));

    /// <summary>The Step Functions error name and cause a failing call raises.</summary>
    public StatesException CallFails(string action, string parameters) => Assert.Throws<StatesException>(() => Call(action, parameters));

    public void Advance(TimeSpan span) => Account.Scheduler.Advance(span);

    public RunSummary Run(string definition, JValue? input = null) =>
        LocalRunner.Run(Account.StepFunctions, DefinitionLoader.Load(definition), input ?? JObject.Empty, new StartExecutionOptions());

    /// <summary>A one-state machine calling <paramref name="resource"/> with <paramref name="parameters"/>.</summary>
    public RunSummary RunTask(string resource, string parameters) => Run($$$$"""
        {"StartAt":"Task","States":{"Task":{"Type":"Task","Resource":"{{{{resource}}}}","Parameters":{{{{parameters}}}},"End":true}}}
        """);

    public static string GreenCluster(string name = "shop-green", string version = "1.33", string authenticationMode = "API_AND_CONFIG_MAP", string extra = "") => $$"""
        {"Name":"{{name}}","Version":"{{version}}","RoleArn":"arn:aws:iam::111122223333:role/shop-eks-cluster-role",
         "ResourcesVpcConfig":{"SubnetIds":{{Subnets}},"EndpointPublicAccess":true,"EndpointPrivateAccess":true},
         "AccessConfig":{"AuthenticationMode":"{{authenticationMode}}"}{{extra}}}
        """;

    public static string Nodegroup(string cluster = "shop-green", string name = "general", string amiType = "AL2023_x86_64_STANDARD", string instanceType = "m6i.large", string extra = "") => $$"""
        {"ClusterName":"{{cluster}}","NodegroupName":"{{name}}","AmiType":"{{amiType}}","InstanceTypes":["{{instanceType}}"],
         "NodeRole":"{{NodeRole}}","Subnets":{{Subnets}},"ScalingConfig":{"MinSize":3,"MaxSize":10,"DesiredSize":4}{{extra}}}
        """;

    /// <summary>Creates an ACTIVE Green cluster (request-response, then the virtual clock runs on).</summary>
    public void CreateActiveGreen(string name = "shop-green", string version = "1.33")
    {
        Call("CreateCluster", GreenCluster(name, version));
        Advance(TimeSpan.FromMinutes(9));
    }

    public string Status(string cluster) => Call("DescribeCluster", $$"""{"Name":"{{cluster}}"}""").GetObject("Cluster")!.GetString("Status")!;
}
