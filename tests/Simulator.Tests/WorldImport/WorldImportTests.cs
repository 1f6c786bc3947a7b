using BlueGreen.Simulator.Cli;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.WorldImport;

/// <summary>
/// <c>world import</c> and <c>rehearse --world</c> through the CLI, on a captured folder written by hand in the AWS CLI's
/// shapes (captured-shop-payments: account 444455556666, us-east-1, an ALB with a weighted rule, a Route 53 zone, alarms).
/// </summary>
public sealed class WorldImportTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(BuildInfo.RepositoryRoot, "tests", "Simulator.Tests", "WorldImport");
    private static readonly string Captured = Path.Combine(Fixtures, "captured-shop-payments");
    private static readonly string Input = Path.Combine(Fixtures, "payments-upgrade.json");
    private readonly string _temp = Directory.CreateTempSubdirectory("world-import-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void ImportThenRehearse_CapturedAccount_CompletesInThatAccount()
    {
        var world = Path.Combine(_temp, "world");
        var imported = new StringWriter();

        var importExit = WorldCommand.Run(["import", Captured, "--out", world, "--json"], imported, new StringWriter());
        var stdout = new StringWriter();
        var rehearseExit = RehearseCommand.Run(["--world", world, "--input", Input, "--json"], stdout);

        Assert.Equal(0, importExit);
        var import = (JObject)JValue.Parse(imported.ToString());
        Assert.Equal(("shop-payments-green", "us-east-1", "444455556666"), (import.GetString("greenCluster"), import.GetString("region"), import.GetString("account")));
        Assert.Equal(RehearseCommand.ExitExpected, rehearseExit);
        var summary = (JObject)JValue.Parse(stdout.ToString());
        Assert.Equal("Completed", summary.GetString("outcome"));
        Assert.Equal("""{"blue":0,"green":100}""", summary["finalWeights"]!.ToJson());
        Assert.Equal("Succeeded", summary.GetObject("runRecord")!.GetString("status"));
    }

    [Fact]
    public void Import_BindsBluesHealthyTargetGroupToBlue_AndTheWeightZeroOneBesideItToGreen()
    {
        var world = Path.Combine(_temp, "world");

        Assert.Equal(0, WorldCommand.Run(["import", Captured, "--out", world], new StringWriter(), new StringWriter()));

        var elbv2 = (JObject)JValue.Parse(File.ReadAllText(Path.Combine(world, "elbv2.json")));
        var groups = elbv2.GetArray("targetGroups")!.OfType<JObject>().ToDictionary(t => t.GetString("name")!, t => t);
        Assert.Equal("shop-payments-blue", groups["payments-blue-tg"].GetString("cluster"));
        Assert.Equal("shop-payments-green", groups["payments-green-tg"].GetString("cluster"));
        Assert.Equal(3, groups["payments-blue-tg"].GetArray("targets")!.Count);
        Assert.Equal(3, groups["payments-green-tg"].GetNumber("targets")); // as many as Blue's, once Green's pods are ready
        var account = (JObject)JValue.Parse(File.ReadAllText(Path.Combine(world, "account.json")));
        Assert.Equal("""{"region":"us-east-1","account":"444455556666"}""", account.ToJson());
    }

    [Fact]
    public void Rehearse_ImportedWorld_HeaderDescribesTheInputNotAScenario()
    {
        var world = Path.Combine(_temp, "world");
        WorldCommand.Run(["import", Captured, "--out", world], new StringWriter(), new StringWriter());
        var stdout = new StringWriter();

        RehearseCommand.Run(["--world", world, "--input", Input], stdout);

        var header = stdout.ToString().Split('\n')[0];
        Assert.Contains("Rehearsal shop-payments-blue to 1.34 (alb), world ", header, StringComparison.Ordinal);
        Assert.DoesNotContain("happy-alb", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("in account 444455556666 (us-east-1)", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Rehearse_InputNamingAnotherAccountsTraffic_ListsWhatTheImportedWorldHas()
    {
        var world = Path.Combine(_temp, "world");
        WorldCommand.Run(["import", Captured, "--out", world], new StringWriter(), new StringWriter());
        var stdout = new StringWriter();

        var exit = RehearseCommand.Run(["--world", world, "--input", Path.Combine(BuildInfo.RepositoryRoot, "statemachines", "examples", "alb-canary.json")], stdout);

        Assert.Equal(RehearseCommand.ExitNotExpected, exit);
        var text = stdout.ToString();
        Assert.Contains("clusterName shop-blue: the simulated account (world " + world + ") has no such cluster; it has shop-payments-blue", text, StringComparison.Ordinal);
        Assert.Contains("traffic.ruleArn arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener-rule/app/shop-alb/", text, StringComparison.Ordinal);
        Assert.Contains("it has arn:aws:elasticloadbalancing:us-east-1:444455556666:listener-rule/app/payments-alb/7a1b2c3d4e5f6071/0f1e2d3c4b5a6978/5e4d3c2b1a098765", text, StringComparison.Ordinal);
        Assert.Contains("traffic.greenTargetGroupArn ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_MissingAndMalformedFiles_RefusedWithEveryProblem_AndWritesNothing()
    {
        var captured = CopyOfCaptured();
        File.Delete(Path.Combine(captured, "eks", "nodegroups", "general.json"));
        File.Delete(Path.Combine(captured, "eks", "addons", "coredns.json"));
        File.WriteAllText(Path.Combine(captured, "cloudwatch", "describe-alarms.json"), "{\"MetricAlarms\": [");
        File.WriteAllText(Path.Combine(captured, "eks", "list-addons.json"), "[\"vpc-cni\"]");
        var world = Path.Combine(_temp, "world");
        var stderr = new StringWriter();

        var exit = WorldCommand.Run(["import", captured, "--out", world], new StringWriter(), stderr);

        Assert.Equal(WorldCommand.ExitRefused, exit);
        var text = stderr.ToString();
        Assert.Contains("- eks/nodegroups/general.json is missing (written by: aws eks describe-nodegroup --cluster-name CLUSTER --nodegroup-name general)", text, StringComparison.Ordinal);
        Assert.Contains("- cloudwatch/describe-alarms.json is not JSON: ", text, StringComparison.Ordinal);
        Assert.Contains("- eks/list-addons.json must hold a JSON object, as the AWS CLI prints it, not array", text, StringComparison.Ordinal);
        Assert.False(Directory.Exists(world));
    }

    [Fact]
    public void Import_WhatTheSimulatorCannotModel_RefusedWithEveryProblem()
    {
        var captured = CopyOfCaptured();
        Rewrite(Path.Combine(captured, "eks", "addons", "coredns.json"), text => text.Replace("v1.11.4-eksbuild.2", "v9.9.9-eksbuild.1", StringComparison.Ordinal));
        var zone = Path.Combine(captured, "route53", "list-resource-record-sets-Z0PAYMENTS12345678AB.json");
        Rewrite(zone, text => text.Replace("\"SetIdentifier\": \"green\",", "\"SetIdentifier\": \"green\", \"Failover\": \"SECONDARY\",", StringComparison.Ordinal));
        var stderr = new StringWriter();
        var stdout = new StringWriter();

        var exit = WorldCommand.Run(["import", captured, "--out", Path.Combine(_temp, "world"), "--json"], stdout, stderr);

        Assert.Equal(WorldCommand.ExitRefused, exit);
        var problems = ((JObject)JValue.Parse(stdout.ToString())).GetArray("problems")!.Select(p => p.AsString()).ToList();
        Assert.Contains(problems, p => p.Contains("api.pay.example.com. A uses Failover routing, which is not simulated", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("version 'v9.9.9-eksbuild.1' of coredns is not compatible with Kubernetes 1.32", StringComparison.Ordinal));
    }

    [Fact]
    public void CaptureScript_WithAFakeAwsCli_WritesTheFilesTheImportReads()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // a bash script
        }

        var captured = Path.Combine(_temp, "captured");
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardError = true }; // the script prints to stderr only
        foreach (var arg in (string[])[Path.Combine(BuildInfo.RepositoryRoot, "tools", "capture-world.sh"), "shop-payments-blue", "us-east-1", captured,
            "--load-balancer", "arn:aws:elasticloadbalancing:us-east-1:444455556666:loadbalancer/app/payments-alb/7a1b2c3d4e5f6071", "--hosted-zone", "Z0PAYMENTS12345678AB"])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PATH"] = Path.Combine(Fixtures, "fake-aws") + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        using var script = System.Diagnostics.Process.Start(start)!;
        var errors = script.StandardError.ReadToEnd();
        script.WaitForExit();

        Assert.True(script.ExitCode == 0, errors);
        static IEnumerable<string> Files(string root) => Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal);
        Assert.Equal(Files(Captured), Files(captured));
        Assert.Equal(0, WorldCommand.Run(["import", captured, "--out", Path.Combine(_temp, "world")], new StringWriter(), new StringWriter()));
    }

    [Fact]
    public void World_WithoutImportOrFolder_IsAUsageError()
    {
        Assert.Throws<UsageException>(() => WorldCommand.Run(["export", Captured], new StringWriter(), new StringWriter()));
        Assert.Throws<UsageException>(() => RehearseCommand.Run(["--world", Path.Combine(_temp, "none"), "--input", Input], new StringWriter()));
        Assert.Throws<UsageException>(() => RehearseCommand.Run(["--world", _temp], new StringWriter()));
    }

    private string CopyOfCaptured()
    {
        var copy = Path.Combine(_temp, "captured");
        foreach (var file in Directory.GetFiles(Captured, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Captured, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    private static void Rewrite(string path, Func<string, string> change)
    {
        var before = File.ReadAllText(path);
        var after = change(before);
        Assert.NotEqual(before, after);
        File.WriteAllText(path, after);
    }
}
