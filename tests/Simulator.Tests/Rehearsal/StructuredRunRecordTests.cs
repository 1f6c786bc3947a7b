using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// The run record keeps its plan, preflight's warnings and a dry run's Green spec as maps and lists (DynamoDB M and L), not
/// JSON text (issue 16), written by the state machines from DescribePlan's marshalled output and read back by the
/// reconciler through ReadRunRecord.
/// </summary>
public class StructuredRunRecordTests
{
    /// <summary>DynamoDB's 400 KB item limit (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).</summary>
    private const int ItemLimitBytes = 400 * 1024;

    /// <summary>The run item as the table holds it: attribute values, not the summary's plain JSON.</summary>
    private static JObject RawRunItem(Simulator.Rehearsal.UpgradeRehearsal rehearsal, JObject runRecord)
    {
        var account = rehearsal.Account;
        return RehearsalKit.Call(account, account.Service<DynamoDbService>(), "GetItem", JObject.Of(
            ("TableName", rehearsal.Deployment.TableName),
            ("Key", JObject.Of(("pk", JObject.Of(("S", runRecord.GetString("pk")!))), ("sk", JObject.Of(("S", runRecord.GetString("sk")!))))),
            ("ConsistentRead", true)))!.GetObject("Item")!;
    }

    /// <summary>
    /// An item's size by DynamoDB's rules (Developer Guide, "Item sizes and formats"): attribute names and strings in UTF-8
    /// bytes, a number about one byte per two significant digits plus one, a Boolean or null one byte, a map or list 3 bytes
    /// plus one byte per element plus its elements (and a map its names).
    /// </summary>
    private static long Size(JValue attribute)
    {
        var (type, value) = attribute.AsObject().Single();
        return type switch
        {
            "S" => System.Text.Encoding.UTF8.GetByteCount(value.AsString()),
            "N" => (value.AsString().Length / 2) + 1,
            "M" => 3 + value.AsObject().Sum(m => System.Text.Encoding.UTF8.GetByteCount(m.Key) + Size(m.Value) + 1),
            "L" => 3 + value.AsArray().Sum(e => Size(e) + 1),
            _ => 1,
        };
    }

    private static long ItemSize(JObject item) => item.Sum(a => System.Text.Encoding.UTF8.GetByteCount(a.Key) + Size(a.Value));

    [Fact]
    public void RealRun_RecordsThePlanAsAMap_AndTheWarningsAsAList()
    {
        var (rehearsal, summary) = RehearsalKit.Run("happy-alb");
        using var _ = rehearsal;

        var item = RawRunItem(rehearsal, summary.RunRecord!);
        Assert.Equal("alb", item.GetObject("plan")!.GetObject("M")!.GetObject("traffic")!.GetObject("M")!.GetObject("type")!.GetString("S"));
        Assert.NotEmpty(item.GetObject("preflightWarnings")!.GetArray("L")!);
        Assert.Null(item["greenSpec"]);
        Assert.Equal(summary.RunRecord!.GetString("runId"), summary.RunRecord.GetObject("plan")!.GetString("runId"));
    }

    [Fact]
    public void Reconciler_ReadsTheTrafficWithTheStructuredPlan()
    {
        var (rehearsal, summary) = RehearsalKit.Run("happy-alb");
        using var _ = rehearsal;

        var reconcile = Assert.Single(summary.Reconciliations);
        Assert.Equal(("SUCCEEDED", "green"), (reconcile.Status, reconcile.Output!.GetString("traffic")));
        Assert.Contains(rehearsal.Account.Calls.Calls, c => c.Action == "Invoke" && c.Parameters.GetString("FunctionName")?.Contains("read-run-record", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void LargeBlue_DryRun_RecordsGreensWholeSpec_WellWithinTheItemLimit()
    {
        var input = (JObject)JValue.Parse(File.ReadAllText(Path.Combine(BuildInfo.RepositoryRoot, "statemachines", "examples", "alb-canary.json")));
        var (rehearsal, summary) = RehearsalKit.Run("large-blue", input.With("dryRun", true));
        using var _ = rehearsal;

        Assert.Equal("Planned", summary.Outcome);
        var item = RawRunItem(rehearsal, summary.RunRecord!);
        var spec = item.GetObject("greenSpec")!.GetObject("M")!;
        Assert.Equal(110, spec.GetObject("accessEntries")!.GetArray("L")!.Count);
        Assert.Equal(130, spec.GetObject("podIdentityAssociations")!.GetArray("L")!.Count);
        Assert.InRange(ItemSize(item), 40_000, ItemLimitBytes / 4);
        // The run's tags are kept once (on the cluster's request), not on each of the 240 requests; no idempotency token.
        Assert.NotNull(spec.GetObject("createCluster")!.GetObject("M")!["Tags"]);
        Assert.Null(spec.GetObject("accessEntries")!.GetArray("L")![0].AsObject().GetObject("M")!.GetObject("createAccessEntry")!.GetObject("M")!["Tags"]);
        Assert.DoesNotContain("ClientRequestToken", item.ToJson(), StringComparison.Ordinal);
        // The dry run holds the spec twice (plain, and recorded): its largest state stays well under the 256 KiB quota.
        var largest = rehearsal.Upgrade!.History.Events.Max(e => e.Data?.Utf8Size ?? 0);
        Assert.InRange(largest, 100_000, 210_000);
    }

    [Fact]
    public void LargeBlue_RealRun_Completes_WithThePlanRecorded()
    {
        var (rehearsal, summary) = RehearsalKit.Run("large-blue");
        using var _ = rehearsal;

        Assert.Equal("Completed", summary.Outcome);
        Assert.Equal(JObject.Of(("S", "shop-blue")), RawRunItem(rehearsal, summary.RunRecord!).GetObject("plan")!.GetObject("M")!.GetObject("blueClusterName"));
    }
}
