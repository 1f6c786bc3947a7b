using System.Globalization;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.Scheduler;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Fleet;

/// <summary>
/// A rehearsal of a scenario with <c>run: eos-scan</c>: the product deployed into the scenario's world, then the
/// end-of-support scan, started at once, or by the scenario's events (an AWS Health event through the deployed rule).
/// Lock items the world keeps in its own tables (pk CLUSTER#name, sk LOCK) are copied into the deployment's table, as
/// the upgrades that hold them would have written them there.
/// </summary>
public sealed class EndOfSupportRehearsal : IDisposable
{
    private EndOfSupportRehearsal(Scenario scenario, SimulatedAccount account, ProductDeployment deployment)
    {
        Scenario = scenario;
        Account = account;
        Deployment = deployment;
    }

    public Scenario Scenario { get; }

    public SimulatedAccount Account { get; }

    public ProductDeployment Deployment { get; }

    public static EndOfSupportRehearsal Prepare(Scenario scenario, Func<SimulatedAccount, ProductDeployment>? deploy = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var account = AccountFactory.Create(scenario);
        try
        {
            var deployment = (deploy ?? (a => ProductDeployment.Deploy(a, profilesDirectory: scenario.ProfilesDirectory)))(account);
            var rehearsal = new EndOfSupportRehearsal(scenario, account, deployment);
            rehearsal.CopyWorldLocks(FleetFacts.WorldTables(account).Where(t => t != deployment.TableName).ToList());
            return rehearsal;
        }
        catch
        {
            account.Dispose();
            throw;
        }
    }

    /// <summary>Runs the scan (or the scenario's events, which start it) until nothing runs; the summary JSON and the expectation checks.</summary>
    public (JObject Summary, IReadOnlyList<ExpectationCheck> Checks) Run()
    {
        var scanMachine = Deployment.Manifest?.StateMachine("eos-scan").PhysicalName ?? throw new ScenarioException("run: eos-scan needs a deployment from the manifest.");
        EndOfSupportScanRun? run = null;
        if (Scenario.Events.Count == 0)
        {
            run = EndOfSupportScanRun.Run(Deployment);
        }
        else
        {
            Account.RunUntilSettled(Scenario.LastEventAt);
            var scan = Account.StepFunctions.Executions.LastOrDefault(e => e.StateMachineName == scanMachine);
            run = scan is null ? null : EndOfSupportScanRun.Of(Account, scan);
        }

        var scans = Account.StepFunctions.Executions.Count(e => e.StateMachineName == scanMachine);
        var schedules = Schedules();
        var digests = Account.Service<SnsService>().Messages.Count(m => m.Subject == "EKS end-of-support scan");
        var upgrades = Account.StepFunctions.Executions.Where(e => e.StateMachineName == Deployment.UpgradeStateMachine).Select(Upgrade).ToList();
        var invocations = Account.Service<SchedulerService>().Invocations;
        var summary = JObject.Of(
            ("scenario", Scenario.Name),
            ("run", "eos-scan"),
            ("status", run?.Scan.StatusName ?? "NOT_STARTED"),
            ("scans", scans),
            ("clusters", run?.Children.Count ?? 0),
            ("stateTransitions", run?.StateTransitions ?? 0),
            ("historyEvents", run?.ScanHistoryEvents ?? 0),
            ("largestClusterHistoryEvents", run?.LargestChildHistory ?? 0),
            ("dollars", (double)(run?.Dollars ?? 0m)),
            ("digests", digests),
            ("schedules", JArray.From(schedules.Select(s => (JValue)s))),
            ("scheduleInvocations", JArray.From(invocations.Select(i => (JValue)JObject.Of(
                ("schedule", i.Source), ("time", i.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)), ("succeeded", i.Succeeded), ("result", i.Result))))),
            ("upgrades", JArray.From(upgrades.Select(u => (JValue)u))),
            ("decisions", JArray.From(run?.Decisions.OrderBy(d => d.GetString("clusterName"), StringComparer.Ordinal).Select(d => (JValue)d) ?? [])));
        return (summary, Check(Scenario.Expect, summary));
    }

    /// <summary>
    /// The <c>expect</c> fields of a <c>run: eos-scan</c> scenario: status (of the last scan), scans, digests, schedules (the
    /// exact set left), decisions (cluster: action, in the last scan), maxHistoryEvents, scheduleInvocations (how many times
    /// Scheduler fired), upgrades (how many upgrade executions) and upgrade (fields of the last one: status, outcome,
    /// clusterName, targetVersion, requestedBy, startDate).
    /// </summary>
    public static IReadOnlyList<ExpectationCheck> Check(JObject expect, JObject summary)
    {
        ArgumentNullException.ThrowIfNull(expect);
        ArgumentNullException.ThrowIfNull(summary);
        var checks = new List<ExpectationCheck>();
        if (expect.GetString("status") is { } status)
        {
            checks.Add(new("status", status, summary.GetString("status") ?? "", status == summary.GetString("status")));
        }

        foreach (var field in new[] { "scans", "digests" })
        {
            if (expect.GetNumber(field) is { } expected)
            {
                var actual = summary.GetNumber(field) ?? 0;
                checks.Add(new(field, Number(expected), Number(actual), expected.Equals(actual)));
            }
        }

        foreach (var (field, list) in new[] { ("scheduleInvocations", "scheduleInvocations"), ("upgrades", "upgrades") })
        {
            if (expect.GetNumber(field) is { } expected)
            {
                var actual = summary.GetArray(list)?.Count ?? 0;
                checks.Add(new(field, Number(expected), Number(actual), expected.Equals((double)actual)));
            }
        }

        if (expect.GetObject("upgrade") is { } wantedUpgrade)
        {
            var last = summary.GetArray("upgrades")?.OfType<JObject>().LastOrDefault();
            foreach (var (field, value) in wantedUpgrade)
            {
                var actual = last is null ? "no upgrade ran" : last[field] is JString text ? text.Value : last[field]?.ToJson() ?? "absent";
                checks.Add(new($"upgrade.{field}", value.AsString(), actual, value.AsString() == actual));
            }
        }

        if (expect.GetNumber("maxHistoryEvents") is { } max)
        {
            var actual = summary.GetNumber("historyEvents") ?? 0;
            checks.Add(new("maxHistoryEvents", $"at most {Number(max)}", Number(actual), actual <= max));
        }

        if (expect.GetArray("schedules") is { } wanted)
        {
            var expected = string.Join(", ", wanted.Select(w => w.AsString()).Order(StringComparer.Ordinal));
            var actual = string.Join(", ", summary.GetArray("schedules")!.Select(w => w.AsString()).Order(StringComparer.Ordinal));
            checks.Add(new("schedules", expected, actual, expected == actual));
        }

        if (expect.GetObject("decisions") is { } decisions)
        {
            var byCluster = summary.GetArray("decisions")!.OfType<JObject>().ToDictionary(d => d.GetString("clusterName")!, d => d.GetString("action") ?? "", StringComparer.Ordinal);
            foreach (var (cluster, action) in decisions)
            {
                var actual = byCluster.GetValueOrDefault(cluster, "not scanned");
                checks.Add(new($"decisions.{cluster}", action.AsString(), actual, action.AsString() == actual));
            }
        }

        return checks;
    }

    public void Dispose() => Account.Dispose();

    /// <summary>An upgrade execution (started by a schedule the scan placed): who asked, its outcome by its run record.</summary>
    private JObject Upgrade(Asl.Runtime.Execution upgrade)
    {
        var input = upgrade.Input as JObject ?? JObject.Empty;
        var cluster = input.GetString("clusterName") ?? "";
        var record = upgrade.IsRunning || cluster.Length == 0 ? null : UpgradeRehearsal.RunRecordOf(Account, Deployment.TableName, cluster, upgrade);
        return JObject.Of(
            ("name", upgrade.Name),
            ("status", upgrade.StatusName),
            ("outcome", upgrade.IsRunning ? "Running" : UpgradeRehearsal.OutcomeOf(upgrade, record?.GetString("status"))),
            ("clusterName", cluster),
            ("targetVersion", input.GetString("targetVersion") ?? ""),
            ("requestedBy", input.GetString("requestedBy") ?? ""),
            ("startDate", upgrade.StartDate.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            ("runRecordStatus", record?.GetString("status") ?? ""));
    }

    private List<string> Schedules()
    {
        var context = new AwsCallContext { Account = Account, Cancellation = CancellationToken.None, StateName = "rehearsal summary" };
        var names = new List<string>();
        Account.Scheduler.Run(async () =>
        {
            var listed = (JObject)await Account.CallAsync(Account.Service<SchedulerService>(), "ListSchedules", JObject.Of(("NamePrefix", "eos."), ("MaxResults", 100)), context);
            names.AddRange(listed.GetArray("Schedules")?.OfType<JObject>().Select(s => s.GetString("Name")!) ?? []);
        });
        return names;
    }

    private void CopyWorldLocks(IReadOnlyList<string> worldTables)
    {
        var context = new AwsCallContext { Account = Account, Cancellation = CancellationToken.None, StateName = "world locks" };
        var dynamo = Account.Service<DynamoDbService>();
        Account.Scheduler.Run(async () =>
        {
            foreach (var table in worldTables)
            {
                var scanned = (JObject)await Account.CallAsync(dynamo, "Scan", JObject.Of(
                    ("TableName", table), ("FilterExpression", "sk = :lock"), ("ExpressionAttributeValues", JObject.Of((":lock", JObject.Of(("S", "LOCK")))))), context);
                foreach (var item in scanned.GetArray("Items")?.OfType<JObject>() ?? [])
                {
                    await Account.CallAsync(dynamo, "PutItem", JObject.Of(("TableName", Deployment.TableName), ("Item", item)), context);
                }
            }
        });
    }

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
