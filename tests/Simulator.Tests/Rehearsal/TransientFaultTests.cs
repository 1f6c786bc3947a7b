using System.Diagnostics;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;
using Xunit.Abstractions;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Every AWS call the happy paths make survives a transient fault: for each distinct <c>service:Action</c>
/// the upgrade and its bakes call (behind the ALB and with Route 53 records), the first call the
/// workflow makes is throttled (one rehearsal) or fails internally (another), with the error the
/// simulated service raises for it, and the upgrade still completes with all traffic on Green. A call
/// left without a retrier by design is listed in <see cref="NotRetried"/> with the reason.
/// </summary>
public sealed class TransientFaultTests(TransientFaultTests.Runs runs, ITestOutputHelper output) : IClassFixture<TransientFaultTests.Runs>
{
    // The third completes after reading an alarm's history (insufficientData: ok, an alarm that changed during the finalize wait).
    private const string HistoryPath = "history-shows-only-missing-data-during-finalize-approval";

    private static readonly string[] HappyPaths = ["happy-alb", "happy-route53", HistoryPath];

    /// <summary>Calls whose transient failure is not retried, by design, and why. None today.</summary>
    private static readonly Dictionary<string, string> NotRetried = new(StringComparer.Ordinal);

    public static TheoryData<string, FaultKind> Cases =>
        new()
        {
            { "happy-alb", FaultKind.Throttle }, { "happy-alb", FaultKind.Internal }, { "happy-route53", FaultKind.Throttle }, { "happy-route53", FaultKind.Internal },
            { HistoryPath, FaultKind.Throttle }, { HistoryPath, FaultKind.Internal },
        };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rehearse_TransientFaultOnFirstCallOfEveryAction_StillCompletesOnGreen(string scenario, FaultKind kind)
    {
        var run = runs.Faulted[(scenario, kind)];
        var failed = run.Calls.Where(c => c.InjectedFault is not null).Select(c => $"{c.Name} in '{c.StateName}': {c.Outcome}");

        Assert.True(run.Summary.Status == "SUCCEEDED",
            $"{scenario} with a {kind} fault on the first call of each of {run.Targets.Count} actions ended {run.Summary.Status} {run.Summary.Error}: {run.Summary.Cause}{Environment.NewLine}injected: {string.Join(Environment.NewLine, failed)}");
        Assert.Equal("Completed", run.Summary.Outcome);
        Assert.Equal(new TrafficWeights(0, 100), run.Summary.FinalWeights);
        Assert.Equal("Succeeded", run.Summary.RunRecord?.GetString("status"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rehearse_TransientFaults_HitEveryActionTheHappyPathCalls(string scenario, FaultKind kind)
    {
        var run = runs.Faulted[(scenario, kind)];
        var hit = run.Calls.Where(c => c.InjectedFault == kind.ToString()).Select(c => c.Name).ToList();

        // Each targeted action failed exactly once, with a service error, and nothing else was faulted.
        Assert.Equal(run.Targets.Order(StringComparer.Ordinal), hit.Order(StringComparer.Ordinal));
        Assert.All(run.Calls.Where(c => c.InjectedFault is not null), c => Assert.Contains('.', c.Outcome));
        Assert.Contains("cloudwatch:DescribeAlarms", run.Targets);
        Assert.Contains(scenario == "happy-route53" ? "route53:ChangeResourceRecordSets" : "elasticloadbalancing:ModifyRule", run.Targets);
        if (scenario == HistoryPath)
        {
            Assert.Contains("cloudwatch:DescribeAlarmHistory", run.Targets);
        }
        Assert.True(run.Targets.Count >= 20, $"only {run.Targets.Count} actions: {string.Join(", ", run.Targets)}");
    }

    [Fact]
    public void Rehearse_TransientFaults_NamesWhatTheRetriersList()
    {
        output.WriteLine($"{runs.Faulted.Count + HappyPaths.Length} rehearsals in {runs.WallSeconds:F1} s wall");
        // The errors the workflow's retriers absorb are the ones this simulator raises (docs/aws-api-models.md).
        var outcomes = runs.Faulted.Values.SelectMany(r => r.Calls).Where(c => c.InjectedFault is not null).ToLookup(c => c.Name, c => c.Outcome);

        Assert.Contains("CloudWatch.CloudWatchException", outcomes["cloudwatch:DescribeAlarms"]);
        Assert.Contains("CloudWatch.InternalServiceFaultException", outcomes["cloudwatch:DescribeAlarms"]);
        Assert.Contains("CloudWatch.CloudWatchException", outcomes["cloudwatch:DescribeAlarmHistory"]);
        Assert.Contains("Route53.Route53Exception", outcomes["route53:ChangeResourceRecordSets"]);
        Assert.Contains("ElasticLoadBalancingV2.ElasticLoadBalancingV2Exception", outcomes["elasticloadbalancing:ModifyRule"]);
        Assert.Contains("Eks.ThrottlingException", outcomes["eks:DescribeCluster"]);
        Assert.Contains("Eks.ServerException", outcomes["eks:DescribeCluster"]);
    }

    /// <summary>The rehearsals, all run at once: one clean run per happy path to learn what it calls, then one per fault kind.</summary>
    public sealed class Runs
    {
        public Runs()
        {
            var wall = Stopwatch.StartNew();
            var clean = HappyPaths.AsParallel().Select(s => (s, Targets: CleanRun(s))).ToDictionary(x => x.s, x => x.Targets);
            Faulted = Cases.Select(c => ((string)c[0], (FaultKind)c[1])).AsParallel()
                .Select(c => (c, Run: FaultedRun(c.Item1, c.Item2, clean[c.Item1])))
                .ToDictionary(x => x.c, x => x.Run);
            WallSeconds = wall.Elapsed.TotalSeconds;
        }

        public IReadOnlyDictionary<(string Scenario, FaultKind Kind), FaultedRehearsal> Faulted { get; }

        public double WallSeconds { get; }

        private static List<string> CleanRun(string scenario)
        {
            var (rehearsal, summary) = RehearsalKit.Run(scenario);
            using var _ = rehearsal;
            Assert.Equal("SUCCEEDED", summary.Status);
            return rehearsal.Account.Calls.Calls.Where(FromTheWorkflow).Select(c => c.Name).Distinct().Where(n => !NotRetried.ContainsKey(n)).ToList();
        }

        private static FaultedRehearsal FaultedRun(string scenario, FaultKind kind, IReadOnlyList<string> targets)
        {
            using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load(scenario));
            var account = rehearsal.Account;
            foreach (var target in targets)
            {
                // Calls made while deploying the product count too: fault the workflow's first one.
                account.Faults.Add(new FaultRule(target, kind, OnCalls: [account.Calls.CountOf(target) + 1], Times: 1));
            }

            var summary = rehearsal.Run();
            return new FaultedRehearsal(targets, summary, account.Calls.Calls.Where(FromTheWorkflow).ToList());
        }

        private static bool FromTheWorkflow(AwsCallRecord call) => call.StateName is { } state && state != "rehearsal summary";
    }

    public sealed record FaultedRehearsal(IReadOnlyList<string> Targets, RehearsalSummary Summary, IReadOnlyList<AwsCallRecord> Calls);
}
