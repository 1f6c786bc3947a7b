using System.Text.Json;
using System.Text.Json.Nodes;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Handlers;
using BlueGreen.Functions.Locking;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Reconcile;
using BlueGreen.Functions.Tests.Support;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Tests.Locking;

public class ClusterLockCheckTests
{
    private const string Me = "arn:aws:states:ap-northeast-2:111122223333:execution:eks-bluegreen-upgrade:second-attempt";
    private const string Holder = "arn:aws:states:ap-northeast-2:111122223333:execution:eks-bluegreen-upgrade:first-attempt";
    private const string Upgrade = "arn:aws:states:ap-northeast-2:111122223333:stateMachine:eks-bluegreen-upgrade";
    private const string RenewedAt = "2025-06-01T09:00:00.000Z";

    private static readonly AlbTrafficPlan Alb = new() { ListenerArn = Inputs.Listener, RuleArn = Inputs.Rule, BlueTargetGroupArn = Inputs.BlueTg, GreenTargetGroupArn = Inputs.GreenTg };

    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static LockRead Lock(string? renewedAt = RenewedAt, int? leaseSeconds = 3600, string lockedAt = "2025-06-01T08:00:00.000Z") =>
        new() { Item = Element(LockItem(renewedAt, leaseSeconds, lockedAt).ToJsonString()).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal) };

    private static JsonObject LockItem(string? renewedAt = RenewedAt, int? leaseSeconds = 3600, string lockedAt = "2025-06-01T08:00:00.000Z")
    {
        var item = new JsonObject
        {
            ["pk"] = new JsonObject { ["S"] = "CLUSTER#shop-blue" },
            ["sk"] = new JsonObject { ["S"] = "LOCK" },
            ["executionArn"] = new JsonObject { ["S"] = Holder },
            ["runId"] = new JsonObject { ["S"] = "first-attempt-1a2b3c4d" },
            ["requestedBy"] = new JsonObject { ["S"] = "alice@example.com" },
            ["lockedAt"] = new JsonObject { ["S"] = lockedAt },
        };
        if (renewedAt is not null)
        {
            item["renewedAt"] = new JsonObject { ["S"] = renewedAt };
        }

        if (leaseSeconds is { } lease)
        {
            item["leaseSeconds"] = new JsonObject { ["N"] = lease.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }

        return item;
    }

    private static AlbTrafficReading Weights(int blue, int green) => new()
    {
        CurrentActions =
        [
            new ElbAction
            {
                Type = "forward",
                ForwardConfig = new ForwardActionConfig { TargetGroups = [new TargetGroupTuple { TargetGroupArn = Inputs.BlueTg, Weight = blue }, new TargetGroupTuple { TargetGroupArn = Inputs.GreenTg, Weight = green }] },
            },
        ],
    };

    private static ClusterLockVerdict Check(string now, LockRead? lockRead = null, string? status = null, string? holderError = null, TrafficReading? current = null, string? readError = null, string machine = Upgrade) =>
        ClusterLockCheck.Check(new CheckClusterLockRequest
        {
            ClusterName = "shop-blue",
            Me = Me,
            UpgradeStateMachineArn = Upgrade,
            Lock = lockRead ?? Lock(),
            HolderExecution = status is null ? null : new HolderExecution { Status = status, StateMachineArn = machine },
            HolderError = holderError is null ? null : Element(new JsonObject { ["Error"] = holderError, ["Cause"] = "Execution Does Not Exist: 'arn...'" }.ToJsonString()),
            Traffic = Alb,
            Current = current,
            ReadError = readError is null ? null : Element(new JsonObject { ["Error"] = readError, ["Cause"] = "retries exhausted" }.ToJsonString()),
            Now = now,
        });

    [Fact]
    public void LeaseRunning_TheHolderKeepsTheCluster_WithWhenItRunsOut()
    {
        var verdict = Check("2025-06-01T09:59:59.000Z");

        Assert.Equal(ClusterLockVerdict.Held, verdict.Verdict);
        Assert.Equal("UpgradeInProgress", verdict.Error);
        Assert.Equal("2025-06-01T10:00:00.000Z", verdict.LeaseExpiresAt);
        Assert.Null(verdict.Condition);
        Assert.Contains("held by run first-attempt-1a2b3c4d (" + Holder + "), started by alice@example.com", verdict.Cause, StringComparison.Ordinal);
        Assert.Contains("runs until 2025-06-01T10:00:00.000Z", verdict.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void LeaseLapsed_NothingElseKnown_AsksToInspectTheHolder()
    {
        var verdict = Check("2025-06-01T10:00:00.000Z");

        Assert.Equal(ClusterLockVerdict.Inspect, verdict.Verdict);
        Assert.Equal(Holder, verdict.HolderExecutionArn);
        Assert.Null(verdict.Error);
    }

    [Fact]
    public void LeaseLapsed_HolderStillRunning_KeepsTheLockAndSaysHowToStopIt()
    {
        var verdict = Check("2025-06-01T12:30:00.000Z", status: "RUNNING", current: Weights(100, 0));

        Assert.Equal(ClusterLockVerdict.Held, verdict.Verdict);
        Assert.Contains("lease lapsed 2.5 h ago but the execution is still RUNNING", verdict.Cause, StringComparison.Ordinal);
        Assert.Contains("aws stepfunctions stop-execution --execution-arn " + Holder, verdict.Cause, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FAILED", 100, 0, "is all on Blue")]
    [InlineData("SUCCEEDED", 0, 100, "is all on Green")]
    [InlineData("ABORTED", 100, 0, "is all on Blue")]
    public void LeaseLapsed_HolderEnded_TrafficOnOneSide_TakesOverExactlyTheLockItRead(string status, int blue, int green, string traffic)
    {
        var verdict = Check("2025-06-01T10:20:00.000Z", status: status, current: Weights(blue, green));

        Assert.Equal(ClusterLockVerdict.Take, verdict.Verdict);
        var condition = Assert.IsType<LockCondition>(verdict.Condition);
        Assert.Equal("executionArn = :holder AND renewedAt = :seen", condition.Expression);
        Assert.Equal(Holder, condition.Values[":holder"].S);
        Assert.Equal(RenewedAt, condition.Values[":seen"].S);
        Assert.Contains($"which ended ({status}) without releasing it; its lease had lapsed 20 min before and the traffic {traffic}", verdict.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void LeaseLapsed_HolderGoneFromStepFunctions_CountsAsEnded()
    {
        var verdict = Check("2025-09-01T10:00:00.000Z", holderError: "Sfn.ExecutionDoesNotExistException", current: Weights(100, 0));

        Assert.Equal(ClusterLockVerdict.Take, verdict.Verdict);
        Assert.Contains("GONE", verdict.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void LeaseLapsed_HolderCannotBeDescribed_KeepsTheLock()
    {
        var verdict = Check("2025-06-01T11:00:00.000Z", holderError: "Sfn.AccessDeniedException", current: Weights(100, 0));

        Assert.Equal(ClusterLockVerdict.Held, verdict.Verdict);
        Assert.Contains("whether it still runs cannot be read (Sfn.AccessDeniedException", verdict.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void LeaseLapsed_HolderEnded_TrafficSplit_KeepsTheLockForAPerson()
    {
        var verdict = Check("2025-06-01T11:00:00.000Z", status: "FAILED", current: Weights(90, 10));

        Assert.Equal(ClusterLockVerdict.Held, verdict.Verdict);
        Assert.Contains("it ended (FAILED) without releasing the lock", verdict.Cause, StringComparison.Ordinal);
        Assert.Contains("the traffic is split", verdict.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void LeaseLapsed_HolderEnded_TrafficUnreadable_KeepsTheLock()
    {
        var verdict = Check("2025-06-01T11:00:00.000Z", status: "TIMED_OUT", readError: "ElasticLoadBalancingV2.ThrottlingException");

        Assert.Equal(ClusterLockVerdict.Held, verdict.Verdict);
        Assert.Contains("could not be read (ElasticLoadBalancingV2.ThrottlingException: retries exhausted)", verdict.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void LeaseLapsed_HolderOfAnotherStateMachine_IsNeverTakenOver()
    {
        var verdict = Check("2025-06-01T11:00:00.000Z", status: "SUCCEEDED", current: Weights(100, 0), machine: "arn:aws:states:ap-northeast-2:111122223333:stateMachine:something-else");

        Assert.Equal(ClusterLockVerdict.Held, verdict.Verdict);
        Assert.Contains("not to this deployment's upgrade state machine", verdict.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void LockFromBeforeLeases_LastsTheUpgradesTimeoutFromWhenItWasTaken()
    {
        var legacy = Lock(renewedAt: null, leaseSeconds: null, lockedAt: "2025-06-01T08:00:00.000Z");

        Assert.Equal(ClusterLockVerdict.Held, Check("2025-06-08T07:59:59.000Z", legacy).Verdict);
        Assert.Equal(ClusterLockVerdict.Inspect, Check("2025-06-08T08:00:00.000Z", legacy).Verdict);
        var takeover = Check("2025-06-08T09:00:00.000Z", legacy, status: "FAILED", current: Weights(100, 0));
        Assert.Equal("executionArn = :holder AND lockedAt = :seen", takeover.Condition!.Expression);
        Assert.Equal("2025-06-01T08:00:00.000Z", takeover.Condition.Values[":seen"].S);
    }

    [Fact]
    public void LockReleasedMeanwhile_TakesTheFreeLock()
    {
        var verdict = Check("2025-06-01T09:30:00.000Z", new LockRead());

        Assert.Equal(ClusterLockVerdict.Take, verdict.Verdict);
        Assert.Equal("attribute_not_exists(pk) OR executionArn = :me", verdict.Condition!.Expression);
        Assert.Equal(Me, verdict.Condition.Values[":me"].S);
    }

    [Fact]
    public void MissingNowOrMe_IsInvalidInput()
    {
        Assert.Throws<InvalidInput>(() => ClusterLockCheck.Check(new CheckClusterLockRequest { ClusterName = "shop-blue", Me = Me, Lock = Lock(), Now = "soon" }));
        Assert.Throws<InvalidInput>(() => ClusterLockCheck.Check(new CheckClusterLockRequest { ClusterName = "shop-blue", Lock = Lock(), Now = RenewedAt }));
    }

    [Fact]
    public void Handler_ReadsTheStateMachinesPayload_AndWritesEveryMember()
    {
        var input = new JsonObject
        {
            ["clusterName"] = "shop-blue",
            ["me"] = Me,
            ["upgradeStateMachineArn"] = Upgrade,
            ["lock"] = new JsonObject { ["Item"] = LockItem() },
            ["holderExecution"] = null,
            ["holderError"] = null,
            ["traffic"] = new JsonObject { ["type"] = "alb", ["listenerArn"] = Inputs.Listener, ["ruleArn"] = Inputs.Rule, ["blueTargetGroupArn"] = Inputs.BlueTg, ["greenTargetGroupArn"] = Inputs.GreenTg },
            ["current"] = null,
            ["readError"] = null,
            ["now"] = "2025-06-01T10:30:00.000Z",
        };

        using var output = FunctionCatalog.Get("CheckClusterLock").Invoke(Inputs.ToStream(input.ToJsonString()));
        var verdict = JsonNode.Parse(output)!.AsObject();

        Assert.Equal("inspect", (string?)verdict["verdict"]);
        Assert.Equal(Holder, (string?)verdict["holderExecutionArn"]);
        foreach (var member in (string[])["condition", "error", "cause", "note", "leaseExpiresAt"])
        {
            Assert.True(verdict.ContainsKey(member), member);
        }
    }
}

public class ClusterLockLeaseTests
{
    private static HealthPlan Health(int seconds) => new() { TimeoutSeconds = seconds, PollSeconds = 30, MinHealthyTargets = 1 };

    private static ShiftStep Step(int checks, int interval) => new() { Index = 1, Weight = 100, BakeSeconds = checks * interval, AlarmChecks = checks, CheckIntervalSeconds = interval, IsFinal = true };

    [Fact]
    public void DefaultRun_LeaseCoversCreatingGreenAndItsHealthWait()
    {
        var seconds = ClusterLockLease.SecondsFor(Health(1800), new ApprovalPlan { BeforeTraffic = false, BeforeFinalize = false, TimeoutSeconds = 86_400 }, [Step(10, 30)]);

        Assert.Equal(ClusterLockLease.CreateGreenAllowanceSeconds + 1800 + ClusterLockLease.MarginSeconds, seconds);
    }

    [Fact]
    public void ApprovalLongerThanCreatingGreen_LeaseCoversTheLastBakeAndOneApprovalWait()
    {
        var seconds = ClusterLockLease.SecondsFor(Health(1800), new ApprovalPlan { BeforeTraffic = true, BeforeFinalize = true, TimeoutSeconds = 86_400 }, [Step(10, 30)]);

        Assert.Equal(300 + 86_400 + ClusterLockLease.MarginSeconds, seconds);
    }

    [Fact]
    public void LongBake_LeaseCoversOneBakeExecutionNotTheWholeBake()
    {
        var seconds = ClusterLockLease.SecondsFor(Health(600), new ApprovalPlan { BeforeTraffic = false, BeforeFinalize = false, TimeoutSeconds = 0 }, [Step(2880, 120)]);

        Assert.Equal((ClusterLockLease.ChecksPerBakeExecution * 120) + ClusterLockLease.MarginSeconds, seconds);
    }

    [Fact]
    public void Plan_CarriesTheLease()
    {
        var plan = Inputs.AlbPlan();

        Assert.Equal(ClusterLockLease.SecondsFor(plan.Health, plan.Approvals, plan.Strategy.Steps), plan.Records.LeaseSeconds);
        Assert.True(plan.Records.LeaseSeconds > 3600);
    }
}
