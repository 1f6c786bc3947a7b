using System.Globalization;
using System.Text.Json;
using BlueGreen.Deployment;
using BlueGreen.Functions.EndOfSupport;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Rehearsal;

namespace BlueGreen.Simulator.Fleet;

/// <summary>
/// <c>fleet report</c>: every cluster's end-of-support decision at one date, from <see cref="EndOfSupportPlanner"/>
/// (the code the eos-scan state machine's PlanEndOfSupport function runs) on the facts the scan would read.
/// </summary>
public sealed record FleetReport(DateTimeOffset At, IReadOnlyList<EndOfSupportDecision> Decisions)
{
    public static IReadOnlyList<UpgradeProfile> LoadProfiles(string directory)
    {
        var files = Directory.GetFiles(directory, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var documents = files.Select(f => JsonDocument.Parse(File.ReadAllText(f))).ToList();
        try
        {
            return ProfileReader.ReadAll(files.Select((f, i) => (Path.GetRelativePath(BuildInfo.RepositoryRoot, f), documents[i].RootElement)));
        }
        finally
        {
            documents.ForEach(d => d.Dispose());
        }
    }

    /// <summary>Where one-time schedules would point, for this account and cdk.json's settings.</summary>
    public static ScanDeployment DeploymentFor(SimulatedAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var manifest = DeploymentManifest.Create(ProductDeployment.SettingsFromCdkJson(), Path.Combine(BuildInfo.RepositoryRoot, "statemachines"));
        var upgrade = manifest.StateMachines.Single(m => m.Name == "upgrade").PhysicalName;
        return new ScanDeployment
        {
            UpgradeStateMachineArn = $"arn:aws:states:{account.Region}:{account.AccountId}:stateMachine:{upgrade}",
            SchedulerRoleArn = $"arn:aws:iam::{account.AccountId}:role/{manifest.EndOfSupportSchedulerRoleName(account.Region)}",
            ScheduleGroupName = "default",
        };
    }

    public static FleetReport Build(SimulatedAccount account, IReadOnlyList<UpgradeProfile> profiles, IReadOnlyList<string> lockTables)
    {
        ArgumentNullException.ThrowIfNull(account);
        var facts = FleetFacts.Read(account, lockTables);
        var calendar = VersionCalendar.From(facts.Versions);
        var now = account.Scheduler.Now;
        var deployment = DeploymentFor(account);
        // Cluster after cluster in ListClusters order, each decision getting the slots the earlier ones took, as the scan does.
        var decisions = new List<EndOfSupportDecision>();
        IReadOnlyDictionary<string, int> occupancy = new Dictionary<string, int>();
        foreach (var cluster in facts.Clusters)
        {
            var decision = EndOfSupportPlanner.Decide(new EndOfSupportPlanner.ClusterFacts(cluster, facts.Locked.Contains(cluster.Name!), facts.Schedules), calendar, profiles, now, deployment, occupancy);
            occupancy = decision.Occupancy!;
            decisions.Add(decision with { Occupancy = null, Tally = null, DigestLine = null, Listed = null });
        }
        return new FleetReport(now, [.. decisions.OrderBy(d => d.ClusterName, StringComparer.Ordinal)]);
    }

    /// <summary>Extended-support surcharge of the whole fleet until each cluster's planned upgrade (or the end of extended support).</summary>
    public decimal ExtraCost => Decisions.Sum(d => d.Cost.ExtraUntilUpgrade ?? 0m);

    public void WriteText(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        string[] header = ["cluster", "version", "support", "std days", "ext days", "$/h", "extra $", "profile", "target", "slot (local)", "action"];
        var rows = Decisions.Select(d => new[]
        {
            d.ClusterName,
            d.ClusterVersion,
            d.SupportStatus switch { "STANDARD_SUPPORT" => "standard", "EXTENDED_SUPPORT" => "extended", "UNSUPPORTED" => "unsupported", _ => "unknown" },
            d.DaysToEndOfStandardSupport?.ToString(CultureInfo.InvariantCulture) ?? "-",
            d.DaysToEndOfExtendedSupport?.ToString(CultureInfo.InvariantCulture) ?? "-",
            d.Cost.HourlyNow.ToString("0.00", CultureInfo.InvariantCulture),
            (d.Cost.ExtraUntilUpgrade ?? 0m).ToString("#,0", CultureInfo.InvariantCulture),
            d.Profile ?? "-",
            d.TargetVersion ?? "-",
            d.Slot is { } s ? $"{s.LocalStart[..16].Replace('T', ' ')} {s.TimeZone}" : "-",
            d.Action,
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        output.WriteLine($"Fleet at {At.UtcDateTime:yyyy-MM-dd HH:mm} UTC: {Decisions.Count} clusters, extended-support surcharge until upgrade ${ExtraCost.ToString("#,0", CultureInfo.InvariantCulture)}");
        output.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
        output.WriteLine();
        foreach (var d in Decisions.Where(d => d.Action is not EndOfSupportActions.None))
        {
            output.WriteLine($"{d.ClusterName}: {d.Action}: {d.Reason}");
        }
    }
}
