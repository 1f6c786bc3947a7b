using System.Globalization;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws.Services.Elbv2;
using BlueGreen.Simulator.Aws.Services.Lambda;
using BlueGreen.Simulator.Aws.Services.Scheduler;
using BlueGreen.Simulator.Aws.Services.SecretsManager;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;
using BlueGreen.Simulator.Aws;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>The upgrade state machine, rehearsed end to end: what it leaves behind in each ending.</summary>
public class UpgradeWorkflowTests
{
    private static List<string> Transcript(Simulator.Rehearsal.UpgradeRehearsal r) =>
        [.. r.Account.Service<SnsService>().Messages.Select(m => m.Subject ?? string.Empty)];

    [Fact]
    public void HappyAlb_CreatesGreenAsACloneAtTheTargetAndMovesAllTraffic()
    {
        var (rehearsal, summary) = RehearsalKit.Run("happy-alb");
        using var _ = rehearsal;
        var account = rehearsal.Account;

        var green = RehearsalKit.Cluster(account, "shop-green")!;
        Assert.Equal("ACTIVE", green.GetString("Status"));
        Assert.Equal("1.34", green.GetString("Version"));
        Assert.Equal(summary.RunRecord!.GetString("runId"), green.GetObject("Tags")!.GetString("bluegreen:run-id"));
        var nodegroups = RehearsalKit.Nodegroups(account, "shop-green").ToDictionary(n => n.GetString("NodegroupName")!);
        Assert.Equal("AL2023_x86_64_STANDARD", nodegroups["general"].GetString("AmiType"));
        Assert.Equal("AL2023_ARM_64_STANDARD", nodegroups["batch"].GetString("AmiType"));
        Assert.Equal("SPOT", nodegroups["batch"].GetString("CapacityType"));
        Assert.Equal(4, nodegroups["general"].GetObject("ScalingConfig")!.GetNumber("DesiredSize"));
        Assert.Single(nodegroups["batch"].GetArray("Taints")!);
        Assert.Equal("ACTIVE", RehearsalKit.Cluster(account, "shop-blue")!.GetString("Status"));

        var steps = summary.RunRecord!.GetObject("steps")!;
        Assert.Equal(["1", "2", "3", "4"], steps.Keys);
        Assert.All(steps, s => Assert.NotNull(s.Value.AsObject().GetString("appliedAt")));
        Assert.Equal("Completed", summary.RunRecord.GetString("outcome"));
        Assert.Equal("platform-team@example.com", summary.RunRecord.GetString("requestedBy"));

        var transcript = Transcript(rehearsal);
        Assert.Equal("Upgrading shop-blue to Kubernetes 1.34", transcript[0]);
        Assert.Contains("shop-green is healthy", transcript);
        Assert.Equal(["10% of traffic on shop-green", "25% of traffic on shop-green", "50% of traffic on shop-green", "100% of traffic on shop-green"],
            transcript.Where(t => t.Contains("% of traffic", StringComparison.Ordinal)));
        Assert.Equal("shop-blue upgraded to Kubernetes 1.34", transcript[^1]);
        Assert.Equal(4, summary.AwsCalls.Count(c => c == "elasticloadbalancing:ModifyRule"));
    }

    [Fact]
    public void HappyAlb_MeetsTheDemoTargets()
    {
        var (rehearsal, summary) = RehearsalKit.Run("happy-alb");
        using var _ = rehearsal;

        Assert.True(summary.StateTransitions <= 600, $"{summary.StateTransitions} state transitions");
        Assert.True(summary.HistoryEvents <= 2_500, $"{summary.HistoryEvents} history events in the upgrade");
        Assert.True(summary.MaxHistoryEventsPerExecution <= 2_500, $"{summary.MaxHistoryEventsPerExecution} events in one execution");
    }

    [Fact]
    public void HappyAlb_BreaksTheBilledTransitionsDownByStateMachine()
    {
        var (rehearsal, summary) = RehearsalKit.Run("happy-alb");
        using var _ = rehearsal;

        Assert.Equal(summary.StateTransitions, summary.TransitionsByStateMachine.Sum(t => t.StateTransitions));
        Assert.Equal(summary.ChildExecutions + 1, summary.TransitionsByStateMachine.Sum(t => t.Executions));
        var upgrade = Assert.Single(summary.TransitionsByStateMachine, t => t.StateMachine.EndsWith("-upgrade", StringComparison.Ordinal));
        Assert.Equal((1, summary.UpgradeStateTransitions), (upgrade.Executions, upgrade.StateTransitions));
        Assert.Equal(4, Assert.Single(summary.TransitionsByStateMachine, t => t.StateMachine.EndsWith("-bake", StringComparison.Ordinal)).Executions);
        Assert.True(summary.TransitionsByStateMachine.Zip(summary.TransitionsByStateMachine.Skip(1)).All(p => p.First.StateTransitions >= p.Second.StateTransitions), "most first");
        Assert.Equal(summary.TransitionsByStateMachine.Count, summary.ToJson().GetArray("transitionsByStateMachine")!.Count);
    }

    [Fact]
    public void WeightChangesFailingFromTheSecondStepOn_EndRollbackFailed_AndTheSummarySaysSo_WithTheLockHeld()
    {
        // ELBv2 refuses every ModifyRule from the second step on (after the first moved 10%): the read-back finds the first
        // step's split, the rollback is refused too, and the run ends RollbackFailed holding the lock for an operator.
        using var rehearsal = UpgradeRehearsal.Prepare(Scenario.Load("happy-alb"));
        rehearsal.Account.Faults.Add(new FaultRule("elasticloadbalancing:ModifyRule", FaultKind.Internal, From: TimeSpan.FromMinutes(24)));

        var summary = rehearsal.Run();

        Assert.Equal(("RollbackFailed", "RollbackFailed"), (summary.Outcome, summary.RunRecord?.GetString("status")));
        Assert.True(summary.LockHeld);
        Assert.Equal(summary.ExecutionArn, summary.LockHeldBy);
        Assert.Equal(new TrafficWeights(90, 10), summary.FinalWeights);
        Assert.True(summary.ToJson().GetBool("lockHeld"));
    }

    [Fact]
    public void AbortMidShift_RecordsWhatRestoreBlueDid_NamingTheStoppedExecution()
    {
        // Newcomer review #9: the reason read "restore-blue <the upgrade's ARN>".
        var (rehearsal, summary) = RehearsalKit.Run("abort-mid-shift");
        using var _ = rehearsal;

        Assert.Equal($"The upgrade execution {summary.ExecutionArn} ended ABORTED with traffic moved; restore-blue put all traffic back on Blue and released the lock.", Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord));
    }

    [Fact]
    public void AlarmAt25_RollsBackDuringTheSecondStepAndKeepsGreen()
    {
        var (rehearsal, summary) = RehearsalKit.Run("alarm-at-25");
        using var _ = rehearsal;

        Assert.Equal(["1", "2"], summary.RunRecord!.GetObject("steps")!.Keys);
        Assert.Contains("shop-p99-latency", Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord), StringComparison.Ordinal);
        Assert.Equal(0, summary.AlarmReaction!.SecondsToDecision, 0);
        Assert.Equal(1, summary.AlarmReaction.TransitionsToBlue);
        Assert.Equal("ACTIVE", RehearsalKit.Cluster(rehearsal.Account, "shop-green")!.GetString("Status"));
        Assert.Contains("Upgrade of shop-blue rolled back; Blue serves all traffic", Transcript(rehearsal));
    }

    [Fact]
    public void FaultyGreen_TheCanaryCatchesItWithinOnePollOfTheAlarm()
    {
        var (rehearsal, summary) = RehearsalKit.Run("faulty-green");
        using var _ = rehearsal;

        Assert.Equal("shop-5xx-rate", summary.AlarmReaction!.Alarm);
        Assert.True(summary.AlarmReaction.SecondsToDecision <= 30, $"{summary.AlarmReaction.SecondsToDecision} s from alarm to decision");
        Assert.Equal(1, summary.AlarmReaction.TransitionsToBlue);
        Assert.Equal(["1"], summary.RunRecord!.GetObject("steps")!.Keys);
    }

    [Fact]
    public void GreenNeverHealthy_DeletesGreenAndNeverTouchesTraffic()
    {
        var (rehearsal, summary) = RehearsalKit.Run("green-never-healthy");
        using var _ = rehearsal;

        Assert.Null(RehearsalKit.Cluster(rehearsal.Account, "shop-green"));
        Assert.DoesNotContain(summary.AwsCalls, c => c.StartsWith("elasticloadbalancing:Modify", StringComparison.Ordinal));
        Assert.False(summary.RunRecord!.GetBool("trafficMoved"));
        Assert.Contains(summary.OtherExecutions, e => e.StateMachine == "bluegreen-dev-decommission-cluster" && e.Status == "SUCCEEDED");
        Assert.Equal(30 * 60, (summary.VirtualSeconds - 13 * 60) / 1, 0); // 9 min cluster + 4 min nodegroups, then the 30-minute health deadline
    }

    [Fact]
    public void AbortMidShift_RestoreBluePutsTrafficBackAndRecordsTheRun()
    {
        var (rehearsal, summary) = RehearsalKit.Run("abort-mid-shift");
        using var _ = rehearsal;

        Assert.Equal("ABORTED", summary.Status);
        Assert.Equal("Restored by restore-blue", summary.RunRecord!.GetString("phase"));
        Assert.Contains("ABORTED", Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord), StringComparison.Ordinal);
        Assert.Contains(summary.OtherExecutions, e => e.StateMachine == "bluegreen-dev-restore-blue" && e.Status == "SUCCEEDED");
        Assert.Contains(Transcript(rehearsal), t => t.StartsWith("Upgrade of shop-blue ended ABORTED", StringComparison.Ordinal));
        var weights = rehearsal.Account.Service<Elbv2Service>().Weights.Where(w => w.Cluster == "shop-blue").Select(w => w.Percent);
        Assert.Equal([100.0], weights);
    }

    [Fact]
    public void ConcurrentRun_TheSecondChangesNothing()
    {
        var (rehearsal, _) = RehearsalKit.Run("concurrent-run");
        using var __ = rehearsal;

        var second = rehearsal.Account.StepFunctions.Executions.Single(e => e.Name == "shop-blue-second-attempt");
        Assert.Equal("UpgradeInProgress", second.Error);
        Assert.Contains("shop-blue-to-1-34", second.Cause, StringComparison.Ordinal);
        Assert.Equal(1, rehearsal.Account.Calls.Calls.Count(c => c.Name == "eks:CreateCluster"));
    }

    [Fact]
    public void HappyRoute53_MovesTheWeightedRecordsAndSchedulesBluesDeletion()
    {
        var (rehearsal, summary) = RehearsalKit.Run("happy-route53");
        using var _ = rehearsal;

        Assert.Equal(10, summary.AwsCalls.Count(c => c == "route53:ChangeResourceRecordSets"));
        Assert.True(summary.AwsCalls.Count(c => c == "route53:GetChange") >= 10);
        var scheduler = rehearsal.Account.Service<SchedulerService>();
        var listed = Assert.Single(RehearsalKit.Call(rehearsal.Account, scheduler, "ListSchedules", JObject.Empty)!.GetArray("Schedules")!);
        var schedule = RehearsalKit.Call(rehearsal.Account, scheduler, "GetSchedule", JObject.Of(("Name", listed.AsObject().GetString("Name")!)))!;
        Assert.StartsWith("at(2026-11-25T", schedule.GetString("ScheduleExpression"), StringComparison.Ordinal);
        Assert.Equal("DELETE", schedule.GetString("ActionAfterCompletion"));
        Assert.Equal("ACTIVE", RehearsalKit.Cluster(rehearsal.Account, "shop-blue")!.GetString("Status"));
    }

    [Fact]
    public void FullOptions_RunsHooksRecordsApprovalsRegistersGreenAndDeletesBlue()
    {
        var (rehearsal, summary) = RehearsalKit.Run("full-options");
        using var _ = rehearsal;
        var account = rehearsal.Account;

        Assert.Null(RehearsalKit.Cluster(account, "shop-blue"));
        var secret = RehearsalKit.Call(account, account.Service<SecretsManagerService>(), "GetSecretValue", JObject.Of(("SecretId", "argocd/clusters/shop-green")))!;
        Assert.Equal("shop-green", JValue.Parse(secret.GetString("SecretString")!).AsObject().GetString("name"));
        Assert.NotNull(account.Workloads.Get("shop-green").GitOpsRegisteredAt);
        var functions = account.Service<LambdaService>().Invocations.Select(i => i.FunctionName).ToList();
        Assert.Contains("shop-smoke-test", functions);
        Assert.Contains("shop-announce", functions);
        var approvals = summary.RunRecord!.GetArray("approvals")!.Select(a => a.AsObject()).ToList();
        Assert.Equal(["beforeTraffic", "beforeTraffic", "beforeFinalize", "beforeFinalize"], approvals.Select(a => a.GetString("kind")));
        Assert.Equal(2, approvals.Count(a => a.GetString("decision") == "approved"));
        Assert.Contains("alice@example.com", approvals[1].GetString("detail"), StringComparison.Ordinal);
    }
    [Fact]
    public void AlarmDuringFinalizeApproval_RollsBackToBlueInsteadOfDecommissioningIt()
    {
        var (rehearsal, summary) = RehearsalKit.Run("alarm-during-finalize-approval");
        using var _ = rehearsal;

        Assert.Equal("ACTIVE", RehearsalKit.Cluster(rehearsal.Account, "shop-blue")!.GetString("Status"));
        Assert.DoesNotContain(summary.OtherExecutions, e => e.StateMachine == "bluegreen-dev-decommission-cluster");
        Assert.Contains("shop-p99-latency", Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord), StringComparison.Ordinal);
        var approvals = summary.RunRecord!.GetArray("approvals")!.Select(a => a.AsObject()).ToList();
        Assert.Equal("approved", approvals[^1].GetString("decision"));
    }

    [Fact]
    public void AlarmThatFiresAndRecoversDuringFinalizeApproval_StillRollsBack()
    {
        // OK again when the approval arrives: only its state change since Green took all traffic gives it away.
        var (rehearsal, summary) = RehearsalKit.Run("alarm-fires-and-recovers-during-finalize-approval");
        using var _ = rehearsal;

        Assert.Equal(("FAILED", "UpgradeRolledBack"), (summary.Status, summary.Error));
        Assert.Equal(new BlueGreen.Simulator.Rehearsal.TrafficWeights(100, 0), summary.FinalWeights);
        Assert.Equal("ACTIVE", RehearsalKit.Cluster(rehearsal.Account, "shop-blue")!.GetString("Status"));
        Assert.DoesNotContain(summary.OtherExecutions, e => e.StateMachine == "bluegreen-dev-decommission-cluster");
        Assert.Contains("shop-p99-latency (OK since ", Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord), StringComparison.Ordinal);
    }

    [Fact]
    public void HistoryShowsAlarmDuringFinalizeApproval_UnderInsufficientDataOkTheHistoryGivesItAway()
    {
        // Under insufficientData: ok a state change alone proves nothing: the history shows OK to ALARM.
        var (rehearsal, summary) = RehearsalKit.Run("history-shows-alarm-during-finalize-approval");
        using var _ = rehearsal;

        Assert.Equal(new BlueGreen.Simulator.Rehearsal.TrafficWeights(100, 0), summary.FinalWeights);
        Assert.Equal("ACTIVE", RehearsalKit.Cluster(rehearsal.Account, "shop-blue")!.GetString("Status"));
        Assert.DoesNotContain(summary.OtherExecutions, e => e.StateMachine == "bluegreen-dev-decommission-cluster");
        Assert.Single(summary.AwsCalls, c => c == "cloudwatch:DescribeAlarmHistory");
        Assert.Contains("shop-p99-latency went from OK to ALARM at 2026-11-23T09:28:00.000Z", Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord), StringComparison.Ordinal);
    }

    [Fact]
    public void HistoryShowsOnlyMissingDataDuringFinalizeApproval_CompletesAndDeletesBlue()
    {
        var (rehearsal, summary) = RehearsalKit.Run("history-shows-only-missing-data-during-finalize-approval");
        using var _ = rehearsal;

        Assert.Single(summary.AwsCalls, c => c == "cloudwatch:DescribeAlarmHistory");
        Assert.Contains(summary.OtherExecutions, e => e.StateMachine == "bluegreen-dev-decommission-cluster" && e.Status == "SUCCEEDED");
        Assert.Null(RehearsalKit.Cluster(rehearsal.Account, "shop-blue"));
    }

    [Theory]
    [InlineData("alarm-fires-and-recovers-between-checks", 0, "shop-5xx-rate (OK since 2026-11-23T09:27:00.000Z)")]
    [InlineData("history-shows-alarm-between-checks", 1, "shop-5xx-rate went from OK to ALARM at 2026-11-23T09:25:00.000Z, after 2026-11-23T09:24:30.000Z")]
    public void AlarmThatFiresAndRecoversBetweenTwoBakeChecks_RollsBackAtTheNextCheck(string scenario, int historyReads, string reason)
    {
        var (rehearsal, summary) = RehearsalKit.Run(scenario);
        using var _ = rehearsal;

        Assert.Equal(new BlueGreen.Simulator.Rehearsal.TrafficWeights(100, 0), summary.FinalWeights);
        Assert.Equal(historyReads, summary.AwsCalls.Count(c => c == "cloudwatch:DescribeAlarmHistory"));
        Assert.Contains(reason, Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord), StringComparison.Ordinal);
        // Rolled back at the first check after the alarm recovered (09:29:30), not at the end of the bake.
        Assert.Equal("2026-11-23T09:29:30.000Z", summary.RunRecord!.GetString("finishedAt"));
    }

    [Fact]
    public void HistoryShowsOnlyMissingDataBetweenChecks_TheBakeGoesOnAndTheUpgradeCompletes()
    {
        var (rehearsal, summary) = RehearsalKit.Run("history-shows-only-missing-data-between-checks");
        using var _ = rehearsal;

        Assert.Equal("Completed", summary.Outcome);
        Assert.Single(summary.AwsCalls, c => c == "cloudwatch:DescribeAlarmHistory");
    }

    /// <summary>The DescribeAlarmHistory calls of a rehearsal, in order.</summary>
    private static List<BlueGreen.Simulator.Aws.AwsCallRecord> HistoryReads(Simulator.Rehearsal.UpgradeRehearsal rehearsal) =>
        [.. rehearsal.Account.Calls.Calls.Where(c => c.Name == "cloudwatch:DescribeAlarmHistory")];

    [Theory]
    [InlineData("history-spans-pages-during-finalize-approval")]
    [InlineData("history-spans-pages-between-checks")]
    public void HistorySpansPages_EveryPageIsReadAndTheUpgradeCompletes(string scenario)
    {
        var (rehearsal, summary) = RehearsalKit.Run(scenario);
        using var _ = rehearsal;

        Assert.Equal("Completed", summary.Outcome);
        var reads = HistoryReads(rehearsal);
        Assert.Equal(2, reads.Count);
        Assert.Null(reads[0].Parameters.GetString("NextToken"));
        Assert.NotNull(reads[1].Parameters.GetString("NextToken"));
    }

    [Fact]
    public void AlarmFlapsTooOftenDuringFinalizeApproval_CountsAsFiringOnceItsPagesAreRead()
    {
        // 7.5 minutes since Green took all traffic allow one change per 10 s plus a page: 3 pages of 25.
        var (rehearsal, summary) = RehearsalKit.Run("alarm-flaps-too-often-during-finalize-approval");
        using var _ = rehearsal;

        Assert.Equal(3, summary.AwsCalls.Count(c => c == "cloudwatch:DescribeAlarmHistory"));
        Assert.Contains("shop-p99-latency changed state more often since Green took all traffic (2026-11-23T09:24:30.000Z) than 3 pages of 25 changes hold", Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord), StringComparison.Ordinal);
        Assert.Equal("ACTIVE", RehearsalKit.Cluster(rehearsal.Account, "shop-blue")!.GetString("Status"));
    }

    [Theory]
    [InlineData("alarm-history-lags-during-finalize-approval", "Completed", null)]
    [InlineData("alarm-history-lags-between-checks", "Completed", null)]
    [InlineData("alarm-history-missing-during-finalize-approval", "RolledBack", "its history still does not show the state change at 2026-11-23T09:31:58.000Z")]
    public void AlarmHistoryLaggingBehindDescribeAlarms_IsReadAgainTenSecondsLaterThenFailsSafe(string scenario, string outcome, string? reason)
    {
        var (rehearsal, summary) = RehearsalKit.Run(scenario);
        using var _ = rehearsal;

        Assert.Equal(outcome, summary.Outcome);
        var reads = HistoryReads(rehearsal);
        Assert.Equal(2, reads.Count);
        Assert.Equal(TimeSpan.FromSeconds(10), reads[1].Time - reads[0].Time);
        if (reason is not null)
        {
            Assert.Contains(reason, Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Bake_StartedWithoutQuietSince_AsByAnUpgradeStartedBeforeTheField_WatchesFromItsOwnStart()
    {
        var (rehearsal, _) = RehearsalKit.Run("happy-alb");
        using var __ = rehearsal;
        var account = rehearsal.Account;
        var earlier = account.StepFunctions.Executions.First(e => e.StateMachineName == "bluegreen-dev-bake");

        var bake = account.Service<BlueGreen.Simulator.Aws.Services.StepFunctions.StepFunctionsService>().StartExecution("bluegreen-dev-bake", earlier.Input.AsObject().Without("quietSince").With("checksLeft", 2), "old-caller");
        account.Scheduler.RunUntil(() => !bake.IsRunning);

        Assert.Equal("SUCCEEDED", bake.StatusName);
        Assert.Equal("OK", bake.Output!.AsObject().GetString("verdict"));
        Assert.NotNull(bake.Output.AsObject().GetString("describedAt"));
    }

    [Fact]
    public void Bakes_WatchFromWhenTheirStepBeganAndEachHandoverContinuesFromThePreviousLastCheck()
    {
        // A day-long bake spans 27 executions: no gap between them in which an alarm could fire and recover unseen.
        var (rehearsal, _) = RehearsalKit.Run("long-bake");
        using var __ = rehearsal;

        var bakes = rehearsal.Account.StepFunctions.Executions.Where(e => e.StateMachineName == "bluegreen-dev-bake").OrderBy(e => e.StartDate).ToList();
        Assert.True(bakes.Count > 20, $"{bakes.Count} bakes");
        static string Text(JValue value, string member) => value.AsObject().GetString(member)!;
        static double Step(Execution bake) => bake.Input.AsObject().GetObject("step")!.GetNumber("index")!.Value;
        var handovers = 0;
        foreach (var (previous, next) in bakes.Zip(bakes.Skip(1)))
        {
            var quietSince = DateTimeOffset.Parse(Text(next.Input, "quietSince"), CultureInfo.InvariantCulture);
            Assert.True(quietSince <= next.StartDate);
            if (Step(next) == Step(previous))
            {
                // The next chunk of the same step continues from the previous chunk's last DescribeAlarms call.
                Assert.Equal(Text(previous.Output!, "describedAt"), Text(next.Input, "quietSince"));
                handovers++;
            }
            else
            {
                // A new step watches from when it began: after the previous bake, before its own weight change.
                Assert.True(quietSince >= previous.StopDate, $"{next.Name}: {quietSince:o} before {previous.StopDate:o}");
            }
        }

        Assert.True(handovers >= 20, $"{handovers} handovers");
    }

    [Fact]
    public void AbortWhileFinalizing_RestoreBlueLeavesTrafficOnGreenOnceTheRestoreIsDisarmed()
    {
        var (rehearsal, summary) = RehearsalKit.Run("abort-while-finalizing");
        using var _ = rehearsal;

        Assert.Contains(summary.OtherExecutions, e => e.StateMachine == "bluegreen-dev-restore-blue" && e.Status == "SUCCEEDED");
        Assert.Single(summary.AwsCalls, c => c == "elasticloadbalancing:ModifyRule");
        Assert.Equal("Ended by restore-blue after Blue was released", summary.RunRecord!.GetString("phase"));
        Assert.Contains("restore-blue left traffic on Green", Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord), StringComparison.Ordinal);
        Assert.Contains(Transcript(rehearsal), t => t == "Upgrade of shop-blue ended ABORTED after committing to Green");
    }
    [Fact]
    public void ApprovalSaysNoAtFinalize_AnApprovedFalseAnswerIsARefusal()
    {
        var (rehearsal, summary) = RehearsalKit.Run("approval-says-no-at-finalize");
        using var _ = rehearsal;

        var last = summary.RunRecord!.GetArray("approvals")!.Select(a => a.AsObject()).Last();
        Assert.Equal("ApprovalRefused", last.GetString("decision"));
        Assert.Contains("bob@example.com", last.GetString("detail"), StringComparison.Ordinal);
        Assert.Equal("ACTIVE", RehearsalKit.Cluster(rehearsal.Account, "shop-blue")!.GetString("Status"));
        Assert.DoesNotContain(summary.OtherExecutions, e => e.StateMachine == "bluegreen-dev-decommission-cluster");
    }

    [Fact]
    public void SmokeTestFails_AHookReturningPassedFalseStopsTheRunBeforeTraffic()
    {
        var (rehearsal, summary) = RehearsalKit.Run("smoke-test-fails");
        using var _ = rehearsal;

        Assert.DoesNotContain(summary.AwsCalls, c => c.StartsWith("elasticloadbalancing:Modify", StringComparison.Ordinal));
        Assert.Contains("checkout-e2e", Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord), StringComparison.Ordinal);
        Assert.Null(RehearsalKit.Cluster(rehearsal.Account, "shop-green"));
    }
    [Fact]
    public void LargeBlue_GreenCopiesEveryPageOfPodIdentitiesAndAccessEntries()
    {
        var (rehearsal, summary) = RehearsalKit.Run("large-blue");
        using var _ = rehearsal;
        var account = rehearsal.Account;

        Assert.Equal("Completed", summary.Outcome);
        Assert.Equal(2, summary.AwsCalls.Count(c => c == "eks:ListPodIdentityAssociations"));
        Assert.Equal(2, summary.AwsCalls.Count(c => c == "eks:ListInsights"));
        var blueAssociations = ListAll(account, "ListPodIdentityAssociations", "shop-blue", "Associations").Select(a => a.AsObject().GetString("ServiceAccount") + "@" + a.AsObject().GetString("Namespace")).Order().ToList();
        var greenAssociations = ListAll(account, "ListPodIdentityAssociations", "shop-green", "Associations").Select(a => a.AsObject().GetString("ServiceAccount") + "@" + a.AsObject().GetString("Namespace")).Order().ToList();
        Assert.Equal(130, blueAssociations.Count);
        Assert.Equal(blueAssociations, greenAssociations);
        var blueEntries = ListAll(account, "ListAccessEntries", "shop-blue", "AccessEntries").Select(e => e.AsString()).ToList();
        var greenEntries = ListAll(account, "ListAccessEntries", "shop-green", "AccessEntries").Select(e => e.AsString()).ToHashSet();
        Assert.Equal(110, blueEntries.Count);
        Assert.All(blueEntries, e => Assert.Contains(e, greenEntries));
    }

    /// <summary>Every page of an EKS list call, as the workflow must read it.</summary>
    private static List<JValue> ListAll(Simulator.Aws.SimulatedAccount account, string action, string cluster, string member)
    {
        var eks = account.Service<Simulator.Aws.Services.Eks.EksService>();
        var all = new List<JValue>();
        string? token = null;
        do
        {
            var request = JObject.Of(("ClusterName", cluster));
            if (token is not null)
            {
                request = request.With("NextToken", token);
            }
            var page = RehearsalKit.Call(account, eks, action, request)!;
            all.AddRange(page.GetArray(member)!);
            token = page.GetString("NextToken");
        }
        while (token is not null);
        return all;
    }
    [Fact]
    public void GreenNeverHealthy_AtTheLongestHealthDeadline_StaysWellUnderTheHistoryQuota()
    {
        var input = JValue.Parse(File.ReadAllText(Path.Combine(Simulator.Scenarios.Scenario.ScenariosDirectory, "..", "statemachines", "examples", "alb-canary.json"))).AsObject()
            .With("health", JValue.Parse("{\"timeoutMinutes\": " + BlueGreen.Functions.Planning.UpgradePlanner.MaxHealthTimeoutMinutes + ", \"minHealthyTargets\": 2, \"applications\": {\"names\": [\"storefront\", \"checkout\", \"catalog\"]}}"));
        var (rehearsal, summary) = RehearsalKit.Run("green-never-healthy", input);
        using var _ = rehearsal;

        Assert.Equal("HealthCheckTimedOut", summary.Error);
        // 480 checks; the rest of a run (bakes, approvals, rollback) needs up to ~5,000 of the 25,000 events.
        Assert.True(summary.HistoryEvents <= 20_000, $"{summary.HistoryEvents} history events");
    }
    [Fact]
    public void LogAlarmFiringDuringCanary_IsDescribedWithLogAlarmsAndRollsBackNamingIt()
    {
        var (rehearsal, summary) = RehearsalKit.Run("log-alarm-fires-during-canary");
        using var _ = rehearsal;

        Assert.Equal("RolledBack", summary.Outcome);
        Assert.Contains("shop-error-logs", Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord), StringComparison.Ordinal);
        var describes = rehearsal.Account.Calls.Calls.Where(c => c.Name == "cloudwatch:DescribeAlarms").ToList();
        Assert.NotEmpty(describes);
        Assert.All(describes, c => Assert.Contains("LogAlarm", c.Parameters.GetArray("AlarmTypes")!.OfType<JString>().Select(t => t.Value)));
    }

    [Fact]
    public void BlueHasFargateProfiles_IsRefusedByPreflightNamingThemBeforeAnythingIsCreated()
    {
        var (rehearsal, summary) = RehearsalKit.Run("blue-has-fargate-profiles");
        using var _ = rehearsal;

        Assert.Equal("PreflightFailed", summary.Error);
        Assert.Contains("has Fargate profiles (batch-jobs, reports)", summary.Cause, StringComparison.Ordinal);
        Assert.Contains("Move those workloads to nodegroups", summary.Cause, StringComparison.Ordinal);
        Assert.Contains("eks:ListFargateProfiles", summary.AwsCalls);
        Assert.Equal(0, summary.MutatingAwsCalls);
        Assert.Null(RehearsalKit.Cluster(rehearsal.Account, "shop-green"));
    }

    [Fact]
    public void FailsBeforeFirstShift_EndsFailedWithTheErrorAndDeletesGreenByPolicy()
    {
        var (rehearsal, summary) = RehearsalKit.Run("fails-before-first-shift");
        using var _ = rehearsal;

        Assert.Equal("DynamoDB.ResourceNotFoundException", summary.Error);
        Assert.False(summary.RunRecord!.GetBool("trafficMoved"));
        Assert.Null(RehearsalKit.Cluster(rehearsal.Account, "shop-green"));
        Assert.Contains(summary.OtherExecutions, e => e.StateMachine == "bluegreen-dev-decommission-cluster" && e.Status == "SUCCEEDED");
        Assert.Contains(Transcript(rehearsal), t => t == "Upgrade of shop-blue failed; Blue still serves all traffic");
    }
    [Fact]
    public void LongClusterNames_EverySubjectFitsSnsAndEveryNotificationIsDelivered()
    {
        var (rehearsal, summary) = RehearsalKit.Run("long-cluster-names");
        using var _ = rehearsal;

        var transcript = Transcript(rehearsal);
        Assert.Equal(
        [
            "Upgrading shop-blue to Kubernetes 1.34",
            "shop-green-payments-checkout-storefro... is healthy",
            "10% of traffic on shop-green-payments-checkout-storefro...",
            "100% of traffic on shop-green-payments-checkout-storefro...",
            "shop-blue upgraded to Kubernetes 1.34",
        ], transcript);
        Assert.Equal("Completed", summary.Outcome);
    }
}
