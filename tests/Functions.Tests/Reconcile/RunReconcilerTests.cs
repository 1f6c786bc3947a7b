using System.Text.Json;
using System.Text.Json.Nodes;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Handlers;
using BlueGreen.Functions.Reconcile;
using BlueGreen.Functions.Tests.Support;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Tests.Reconcile;

public class RunReconcilerTests
{
    private const string Arn = Inputs.ExecutionId;
    private const string Other = "arn:aws:states:ap-northeast-2:111122223333:execution:eks-bluegreen-upgrade:someone-else";
    private const string Now = "2025-06-01T10:00:00.000Z";
    private const string Reconciler = "arn:aws:states:ap-northeast-2:111122223333:execution:bluegreen-dev-reconcile-run:e1";

    private static readonly AlbTrafficPlan Alb = new() { ListenerArn = Inputs.Listener, RuleArn = Inputs.Rule, BlueTargetGroupArn = Inputs.BlueTg, GreenTargetGroupArn = Inputs.GreenTg };

    private static readonly Route53TrafficPlan Dns = new()
    {
        HostedZoneId = "Z04418462O8NOY6GWC6MT", RecordName = "api.example.com", RecordType = "A", BlueSetIdentifier = "blue", GreenSetIdentifier = "green",
    };

    private static EndedExecution Ended(string status, string? error = null, string? cause = null) =>
        new() { ExecutionArn = Arn, Status = status, Error = error, Cause = cause, StopDate = Element("\"2025-06-01T09:40:00.000Z\"") };

    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static Dictionary<string, JsonElement> Item(string json) =>
        Element(json).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);

    private static LockRead LockHeldBy(string arn) =>
        new() { Item = Item($$$"""{"pk":{"S":"CLUSTER#shop-blue"},"sk":{"S":"LOCK"},"executionArn":{"S":"{{{arn}}}"},"runId":{"S":"run-1"}}""") };

    private static Dictionary<string, JsonElement> Run(string status, bool? moved = null)
    {
        var item = JsonNode.Parse($$$"""
            {"pk":{"S":"CLUSTER#shop-blue"},"sk":{"S":"RUN#2025-06-01T09:00:00.000Z#run-1"},"runId":{"S":"run-1"},"executionArn":{"S":"{{{Arn}}}"},"status":{"S":"{{{status}}}"}}
            """)!.AsObject();
        if (moved is { } m)
        {
            item["trafficMoved"] = new JsonObject { ["BOOL"] = m };
        }

        return Item(item.ToJsonString());
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

    private static ReconcileVerdict Reconcile(EndedExecution execution, LockRead? lockRead = null, Dictionary<string, JsonElement>? run = null, TrafficReading? current = null, TrafficPlan? traffic = null, string? readError = null, string cluster = "shop-blue") =>
        RunReconciler.Reconcile(new ReconcileRunRequest
        {
            Execution = execution,
            ClusterName = cluster,
            Lock = lockRead ?? new LockRead(),
            Run = run,
            Traffic = traffic ?? (current is null ? null : Alb),
            Current = current,
            ReadError = readError is null ? null : Element(new JsonObject { ["Error"] = readError, ["Cause"] = "retries exhausted" }.ToJsonString()),
            RestoreBlueChecks = 60,
            Now = Now,
            Reconciler = Reconciler,
        });

    [Fact]
    public void NormalSuccess_NothingToFixAndNothingNotified()
    {
        var verdict = Reconcile(Ended("SUCCEEDED"), run: Run("Succeeded", moved: true), current: Weights(0, 100));

        Assert.Null(verdict.RecordUpdate);
        Assert.Null(verdict.LockRelease);
        Assert.Null(verdict.Notification);
        Assert.Equal("green", verdict.Traffic);
        Assert.Equal("The execution ended SUCCEEDED and its traffic is all on Green (traffic-alb read). Nothing to fix.", verdict.Summary);
    }

    [Fact]
    public void SucceededStillHoldingTheLock_TrafficNotSplit_ReleasesTheLockOnly()
    {
        var verdict = Reconcile(Ended("SUCCEEDED"), LockHeldBy(Arn), Run("Succeeded", moved: true), Weights(0, 100));

        Assert.Null(verdict.RecordUpdate);
        Assert.Null(verdict.Notification);
        var release = Assert.IsType<LockRelease>(verdict.LockRelease);
        Assert.Equal("CLUSTER#shop-blue", release.Key["pk"].S);
        Assert.Equal("LOCK", release.Key["sk"].S);
        Assert.Equal(Arn, release.ExecutionArn);
        Assert.Equal("RUN#2025-06-01T09:00:00.000Z#run-1", release.RunKey!["sk"].S);
        Assert.StartsWith("lock: released the lock on shop-blue that " + Arn, release.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void SucceededStillHoldingTheLock_TrafficSplit_KeepsTheLockAndNotifies()
    {
        var verdict = Reconcile(Ended("SUCCEEDED"), LockHeldBy(Arn), Run("Running", moved: true), Weights(50, 50));

        Assert.Null(verdict.LockRelease);
        Assert.Null(verdict.RecordUpdate);
        Assert.Equal("split", verdict.Traffic);
        var note = Assert.IsType<ReconcileNotification>(verdict.Notification);
        Assert.Equal("Traffic of shop-blue is split after its upgrade ended SUCCEEDED", note.Subject);
        Assert.Contains("the lock " + Arn + " still holds is kept", note.Description, StringComparison.Ordinal);
        Assert.Contains("the run record still says Running", note.Description, StringComparison.Ordinal);
        Assert.Equal("run-1", note.ThreadId);
    }

    [Fact]
    public void SucceededWithTrafficUnreadable_KeepsTheLockButRecordsTheSuccess()
    {
        var verdict = Reconcile(Ended("SUCCEEDED"), LockHeldBy(Arn), Run("Running", moved: true), readError: "States.TaskFailed");

        Assert.Null(verdict.LockRelease);
        Assert.Equal("Succeeded", verdict.RecordUpdate!.Status);
        Assert.DoesNotContain(":w", verdict.RecordUpdate.ExpressionAttributeValues.Keys);
        Assert.Equal("shop-blue: the reconciler could not finish its upgrade's run", verdict.Notification!.Subject);
        Assert.Contains("could not be read (States.TaskFailed: retries exhausted)", verdict.Notification.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void FailedBeforeTrafficMoved_RecordStillRunning_BecomesFailedWithTheExecutionsErrorAndCause()
    {
        var verdict = Reconcile(Ended("FAILED", "DynamoDB.InternalServerErrorException", "Internal server error"), run: Run("Running"), current: Weights(100, 0));

        var update = Assert.IsType<RecordUpdate>(verdict.RecordUpdate);
        Assert.Equal("Failed", update.Status);
        Assert.Equal("RUN#2025-06-01T09:00:00.000Z#run-1", update.Key["sk"].S);
        Assert.Equal("Failed", update.ExpressionAttributeValues[":status"].S);
        Assert.Equal("Failed", update.ExpressionAttributeValues[":outcome"].S);
        Assert.Equal("DynamoDB.InternalServerErrorException", update.ExpressionAttributeValues[":reason"].M!["error"].S);
        Assert.Equal("Internal server error", update.ExpressionAttributeValues[":reason"].M!["cause"].S);
        Assert.Equal("2025-06-01T09:40:00.000Z", update.ExpressionAttributeValues[":finishedAt"].S);
        Assert.Equal(Now, update.ExpressionAttributeValues[":now"].S);
        Assert.Equal(Reconciler, update.ExpressionAttributeValues[":by"].S);
        Assert.Equal("Running", update.ExpressionAttributeValues[":running"].S);
        Assert.Equal("100", update.ExpressionAttributeValues[":w"].M!["blue"].N);
        Assert.Equal(["runRecord: Running, now Failed (the execution ended FAILED with DynamoDB.InternalServerErrorException)"], update.ExpressionAttributeValues[":fixes"].SS!);
        Assert.Equal("SET #status = :status, outcome = :outcome, phase = :phase, reason = :reason, finishedAt = :finishedAt, updatedAt = :now, reconciledAt = :now, reconciledBy = :by, weights = :w ADD reconciled :fixes", update.UpdateExpression);
        Assert.Equal("status", update.ExpressionAttributeNames["#status"]);
        Assert.Null(verdict.LockRelease);
        Assert.Null(verdict.Notification);
    }

    [Theory]
    [InlineData(true, null, "blue", "RolledBack")]
    [InlineData(false, "UpgradeRolledBack", "blue", "RolledBack")]
    [InlineData(false, "UpgradeRolledBack", "unknown", "RolledBack")]
    [InlineData(false, "States.TaskFailed", "blue", "Failed")]
    [InlineData(false, "States.TaskFailed", "unknown", "Failed")]
    [InlineData(true, "States.TaskFailed", "green", "Succeeded")]
    [InlineData(true, "States.TaskFailed", "unknown", null)]
    [InlineData(true, "States.TaskFailed", "split", null)]
    public void AbnormalEnding_LockReleased_RecordStatusFollowsWhereTrafficIs(bool moved, string? error, string traffic, string? expected)
    {
        var verdict = traffic switch
        {
            "unknown" => Reconcile(Ended("FAILED", error), run: Run("Running", moved), readError: "States.TaskFailed"),
            _ => Reconcile(Ended("FAILED", error), run: Run("Running", moved), current: traffic switch { "blue" => Weights(100, 0), "green" => Weights(0, 100), _ => Weights(90, 10) }),
        };

        Assert.Equal(expected, verdict.RecordUpdate?.Status);
        Assert.Equal(expected is null, verdict.Notification is not null);
    }

    [Fact]
    public void AbortedAfterCommittingToGreen_RecordsCompleted()
    {
        var verdict = Reconcile(Ended("ABORTED"), run: Run("Running", moved: true), current: Weights(0, 100));

        Assert.Equal("Succeeded", verdict.RecordUpdate!.Status);
        Assert.Equal("Completed", verdict.RecordUpdate.ExpressionAttributeValues[":outcome"].S);
        Assert.Equal("ABORTED", verdict.RecordUpdate.ExpressionAttributeValues[":reason"].M!["error"].S);
        Assert.Equal("The execution ended ABORTED without a cause.", verdict.RecordUpdate.ExpressionAttributeValues[":reason"].M!["cause"].S);
    }

    [Fact]
    public void AnEndingTheUpgradeNeverNamed_KeepsTheFunctionsMessageNotItsStackTrace()
    {
        // A decision function's error document inside a child's DescribeExecution output, as a States.Runtime ending
        // or a timeout leaves it: the record gets the message, one problem per line, and no stack trace.
        const string cause = """{"ExecutionArn":"arn:aws:states:eu-west-1:111122223333:execution:bg-dev-create-green:x","Error":"InvalidInput","Cause":"{\"errorType\":\"InvalidInput\",\"errorMessage\":\"The input has 2 problems:\\n- a\\n- b\",\"stackTrace\":[\"at BlueGreen.Functions.Planning.X() in /src/X.cs:line 9\"]}"}""";
        var verdict = Reconcile(Ended("FAILED", "States.TaskFailed", cause), run: Run("Running"), current: Weights(100, 0));

        var reason = verdict.RecordUpdate!.ExpressionAttributeValues[":reason"].M!;
        Assert.Equal("States.TaskFailed", reason["error"].S);
        Assert.Equal("The input has 2 problems:\n- a\n- b", reason["cause"].S);
    }

    [Theory]
    [InlineData("plain words", "plain words")]
    [InlineData("{not json", "{not json")]
    [InlineData("""{"some":"object"}""", """{"some":"object"}""")]
    [InlineData("""{"errorType":"X","errorMessage":"m"}""", "m")]
    [InlineData(null, null)]
    public void FailureCause_UnwrapsOnlyWhatItRecognises(string? cause, string? expected) =>
        Assert.Equal(expected, FailureCause.Readable(cause));

    [Theory]
    [InlineData("FAILED")]
    [InlineData("TIMED_OUT")]
    [InlineData("ABORTED")]
    public void AbnormalEndingStillHoldingTheLock_IsLeftToRestoreBlue(string status)
    {
        var verdict = Reconcile(Ended(status), LockHeldBy(Arn), Run("Running", moved: true), Weights(75, 25));

        Assert.Null(verdict.RecordUpdate);
        Assert.Null(verdict.LockRelease);
        Assert.Equal("split", verdict.Traffic);
        var note = Assert.IsType<ReconcileNotification>(verdict.Notification);
        Assert.Equal($"Traffic of shop-blue is split after its upgrade ended {status}", note.Subject);
        Assert.Contains("restore-blue has not released the lock " + Arn + " still holds after 60 checks", note.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AbnormalEndingStillHoldingTheLock_TrafficWhole_NotifiesThatRestoreBlueHasNotFinished()
    {
        var verdict = Reconcile(Ended("TIMED_OUT"), LockHeldBy(Arn), Run("Running", moved: true), Weights(100, 0));

        Assert.Equal("shop-blue: restore-blue has not released the lock", verdict.Notification!.Subject);
    }

    [Fact]
    public void RejectedRun_AnotherUpgradeHoldsTheLock_NothingReadNothingDone()
    {
        var verdict = Reconcile(Ended("FAILED", "UpgradeInProgress", "held"), LockHeldBy(Other));

        Assert.Equal("notRead", verdict.Traffic);
        Assert.Null(verdict.RecordUpdate);
        Assert.Null(verdict.LockRelease);
        Assert.Null(verdict.Notification);
        Assert.Contains("another upgrade holds the cluster", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void TerminalRecordAndNoLock_TrafficSplit_IsNotified()
    {
        var verdict = Reconcile(Ended("FAILED", "UpgradeRolledBack"), run: Run("RolledBack", moved: true), current: Weights(90, 10));

        Assert.Null(verdict.RecordUpdate);
        Assert.Equal("Traffic of shop-blue is split after its upgrade ended FAILED", verdict.Notification!.Subject);
    }

    [Fact]
    public void Route53_BothRecordsWeighted_IsSplit_OneAtZero_IsNot()
    {
        static ResourceRecordSet Record(string set, long weight) => new() { Name = "api.example.com.", Type = "A", SetIdentifier = set, Weight = weight };

        Assert.Equal("split", Reconcile(Ended("SUCCEEDED"), run: Run("Succeeded"), traffic: Dns, current: new Route53TrafficReading { CurrentRecords = [Record("blue", 10), Record("green", 90)] }).Traffic);
        Assert.Equal("green", Reconcile(Ended("SUCCEEDED"), run: Run("Succeeded"), traffic: Dns, current: new Route53TrafficReading { CurrentRecords = [Record("blue", 0), Record("green", 100)] }).Traffic);
        Assert.Equal("split", Reconcile(Ended("SUCCEEDED"), run: Run("Succeeded"), traffic: Dns, current: new Route53TrafficReading { CurrentRecords = [Record("blue", 0), Record("green", 0)] }).Traffic);
    }

    [Fact]
    public void Subjects_StayUnderSnsLimitForTheLongestClusterName()
    {
        var name = new string('c', 100);
        var split = Reconcile(Ended("TIMED_OUT"), run: Run("RolledBack", true), current: Weights(50, 50), cluster: name);
        var pending = Reconcile(Ended("TIMED_OUT"), LockHeldBy(Arn), Run("Running", true), Weights(100, 0), cluster: name);
        var unknown = Reconcile(Ended("SUCCEEDED"), LockHeldBy(Arn), Run("Running", true), readError: "X", cluster: name);

        Assert.All(new[] { split, pending, unknown }, v => Assert.InRange(v.Notification!.Subject.Length, 1, 99));
        Assert.Contains(name, split.Notification!.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void StopDate_InEpochMilliseconds_IsRecordedAsIso()
    {
        var verdict = Reconcile(Ended("FAILED", "X") with { StopDate = Element("1748770800000") }, run: Run("Running"), current: Weights(100, 0));

        Assert.Equal("2025-06-01T09:40:00.000Z", verdict.RecordUpdate!.ExpressionAttributeValues[":finishedAt"].S);
    }

    [Fact]
    public void BadInput_IsInvalidInput()
    {
        Assert.Throws<InvalidInput>(() => RunReconciler.Reconcile(new ReconcileRunRequest { Now = Now, Reconciler = Reconciler, ClusterName = "shop-blue" }));
        Assert.Contains("RUNNING is not an ending", Assert.Throws<InvalidInput>(() => Reconcile(Ended("RUNNING"))).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidInput>(() => RunReconciler.Reconcile(new ReconcileRunRequest { Execution = Ended("FAILED"), Now = "yesterday", Reconciler = Reconciler, ClusterName = "shop-blue" }));
    }

    [Fact]
    public void Handler_ReadsWhatTheStateMachinePassesAndWritesEveryOptionalMember()
    {
        var input = $$$"""
            {"execution":{"ExecutionArn":"{{{Arn}}}","Status":"FAILED","Error":"E","Cause":"C","StartDate":"2025-06-01T09:00:00.000Z","StopDate":"2025-06-01T09:40:00.000Z","Input":"{}","InputDetails":{"Included":true},"RedriveCount":0},
             "clusterName":"shop-blue",
             "lock":{"SdkHttpMetadata":{"HttpStatusCode":200}},
             "run":{"pk":{"S":"CLUSTER#shop-blue"},"sk":{"S":"RUN#1"},"status":{"S":"Running"},"trafficMoved":{"Bool":true}},
             "traffic":{"type":"alb","listenerArn":"{{{Inputs.Listener}}}","ruleArn":null,"blueTargetGroupArn":"{{{Inputs.BlueTg}}}","greenTargetGroupArn":"{{{Inputs.GreenTg}}}"},
             "current":{"type":"alb","currentActions":[{"Type":"forward","TargetGroupArn":"{{{Inputs.BlueTg}}}"}]},
             "readError":null,"restoreBlueChecks":0,"now":"{{{Now}}}","reconciler":"{{{Reconciler}}}"}
            """;

        using var output = FunctionCatalog.Get("ReconcileRun").Invoke(Inputs.ToStream(input));
        var verdict = JsonNode.Parse(output)!.AsObject();

        Assert.Equal("RolledBack", (string?)verdict["recordUpdate"]!["status"]);
        Assert.Equal("""{"S":"RUN#1"}""", verdict["recordUpdate"]!["key"]!["sk"]!.ToJsonString());
        Assert.Equal("""{"SS":["runRecord: Running, now RolledBack (the execution ended FAILED with E)"]}""", verdict["recordUpdate"]!["expressionAttributeValues"]![":fixes"]!.ToJsonString());
        Assert.True(verdict.ContainsKey("lockRelease") && verdict["lockRelease"] is null);
        Assert.True(verdict.ContainsKey("notification") && verdict["notification"] is null);
        Assert.Equal("blue", (string?)verdict["traffic"]);
    }
}
