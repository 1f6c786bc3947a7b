using System.Globalization;
using System.Text;
using System.Text.Json;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Common;

namespace BlueGreen.Functions.EndOfSupport;

/// <summary>
/// The end-of-support decision for one cluster: how long its version is supported, what staying costs, which version
/// its profile targets, the first maintenance-window slot that ends before the deadline (minus the lead time) with
/// room for retry slots after it, and what the scan does with the cluster's one-time schedule. Pure: the clock is
/// the request's <c>now</c>. The scan's Lambda and <c>fleet report</c> call this same code.
/// </summary>
public static class EndOfSupportPlanner
{
    /// <summary>
    /// Amazon EKS pricing (aws.amazon.com/eks/pricing; announced in "Amazon EKS extended support for Kubernetes versions
    /// pricing", AWS Containers blog, 2024): $0.10 per cluster-hour in standard support, $0.60 in extended support.
    /// </summary>
    public const decimal StandardHourly = 0.10m;
    public const decimal ExtendedHourly = 0.60m;
    public const int HoursPerYear = 8760;

    /// <summary>A slot must start at least this long after the scan, so the schedule exists before it fires.</summary>
    public static readonly TimeSpan MinimumNotice = TimeSpan.FromHours(1);

    public static EndOfSupportDecision Plan(PlanEndOfSupportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new ProblemList();
        if (!Timestamps.TryParse(request.Now, out var now))
        {
            problems.Add("now", "must be an ISO-8601 timestamp ($$.State.EnteredTime)");
        }
        if (string.IsNullOrEmpty(request.Cluster.Name))
        {
            problems.Add("cluster.Name", "required (DescribeCluster's Cluster)");
        }
        if (KubernetesVersion.Parse(request.Cluster.Version) is null)
        {
            problems.Add("cluster.Version", "required: a Kubernetes version like \"1.33\" (DescribeCluster's Cluster)");
        }
        if (problems.Any)
        {
            throw new InvalidInput(problems.Items);
        }
        var profiles = ProfileReader.ReadAll(request.Profiles.Select((p, i) => (JsonFields.Index("profiles", i), p)));
        var locked = request.RunInProgress || request.Lock is { ValueKind: JsonValueKind.Object } lockItem && lockItem.TryGetProperty("Item", out _);
        return Decide(new ClusterFacts(request.Cluster, locked, request.Schedules ?? [], Replacement.Of(request.Cluster, request.LastRuns), ChatHold.From(request.Hold)), VersionCalendar.From(request.ClusterVersions),
            profiles, now, request.Deployment, request.Occupancy, request.Tally);
    }

    /// <summary>
    /// What the scan knows about one cluster; <paramref name="ReplacedBy"/> when an upgrade already replaced it;
    /// <paramref name="Hold"/> when chat cancelled or postponed its schedule.
    /// </summary>
    public sealed record ClusterFacts(EksCluster Cluster, bool RunInProgress, IReadOnlyList<ExistingSchedule> Schedules, Replacement? ReplacedBy = null, ChatHold? Hold = null);

    /// <summary>
    /// The decision for one cluster, given the slots earlier decisions of the same scan took (<paramref name="occupancy"/>,
    /// see <see cref="SlotSpreading"/>); the decision's <see cref="EndOfSupportDecision.Occupancy"/> adds this cluster's slot.
    /// </summary>
    public static EndOfSupportDecision Decide(ClusterFacts facts, VersionCalendar calendar, IReadOnlyList<UpgradeProfile> profiles, DateTimeOffset now, ScanDeployment deployment,
        IReadOnlyDictionary<string, int>? occupancy = null, DigestTally? tally = null)
    {
        var taken = occupancy ?? new Dictionary<string, int>();
        var decision = DecideOne(facts, calendar, profiles, now, deployment, taken);
        var placed = decision.Action is EndOfSupportActions.Create or EndOfSupportActions.Update or EndOfSupportActions.Keep or EndOfSupportActions.Notify
            && decision is { Profile: not null, Slot: not null };
        return decision with
        {
            // A held cluster's kept schedule (a postponed one) will start an upgrade too: its window is taken as well.
            Occupancy = placed ? SlotSpreading.With(taken, SlotSpreading.Key(decision.Profile!, decision.Slot!.Start))
                : decision is { Held: true, Profile: { } heldProfile, HeldSlotStart: { } heldStart } ? SlotSpreading.With(taken, SlotSpreading.Key(heldProfile, heldStart))
                : taken,
            Tally = (tally ?? new DigestTally()).Add(decision.Action),
            DigestLine = ScanDigest.Line(decision),
            Listed = ScanDigest.Lists(decision.Action) || decision.Held,
        };
    }

    private static EndOfSupportDecision DecideOne(ClusterFacts facts, VersionCalendar calendar, IReadOnlyList<UpgradeProfile> profiles, DateTimeOffset now, ScanDeployment deployment,
        IReadOnlyDictionary<string, int> occupancy)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(deployment);
        var name = facts.Cluster.Name!;
        var current = KubernetesVersion.Parse(facts.Cluster.Version)!.Value;
        var dates = calendar.Find(current);
        var status = dates?.StatusAt(now) ?? "UNKNOWN";
        var owned = facts.Schedules.Where(s => s.Name is { } n && n.StartsWith(ScheduleNames.ClusterPrefix(name), StringComparison.Ordinal)).ToList();
        var matched = ProfileMatcher.Matching(profiles, name, facts.Cluster.Version, facts.Cluster.Tags);
        var profile = matched.Count == 1 ? matched[0] : null;
        var line = new EndOfSupportDecision
        {
            ClusterName = name,
            ClusterVersion = current.ToString(),
            SupportStatus = status,
            EndOfStandardSupport = dates?.EndOfStandardSupport is { } std ? Timestamps.Format(std) : null,
            EndOfExtendedSupport = dates?.EndOfExtendedSupport is { } ext ? Timestamps.Format(ext) : null,
            DaysToEndOfStandardSupport = dates?.EndOfStandardSupport is { } s2 ? DaysBetween(now, s2) : null,
            DaysToEndOfExtendedSupport = dates?.EndOfExtendedSupport is { } e2 ? DaysBetween(now, e2) : null,
            Cost = Cost(status, dates, now, null),
            Profile = profile?.Name,
            Action = EndOfSupportActions.None,
            Reason = "",
            DeleteSchedules = [],
        };
        var all = owned.Select(s => s.Name!).ToList();

        if (facts.Cluster.Status == "DELETING")
        {
            return Drop(line, all, "the cluster is being deleted");
        }
        if (facts.RunInProgress)
        {
            return line with { Action = EndOfSupportActions.NeedsHuman, Reason = "an upgrade of this cluster is running; its schedules are left as they are until it ends" };
        }
        if (facts.Hold is { } hold && hold.Until > now)
        {
            // schedule cancel / postpone from chat: a scan that planned as usual would put the schedule back the next day.
            return line with
            {
                Action = owned.Count > 0 ? EndOfSupportActions.Keep : EndOfSupportActions.None,
                Held = true,
                HeldSlotStart = profile is null ? null : HeldWindow(owned, profile) is { } window ? Timestamps.Format(window.Start) : null,
                Reason = $"{hold.Kind} from chat by {hold.By} until {Timestamps.Format(hold.Until)}: its schedules ({(owned.Count == 0 ? "none" : string.Join(", ", all))}) are left as they are until then",
            };
        }
        if (facts.ReplacedBy is { } replaced)
        {
            // A Blue kept after its upgrade (decommission afterRetention or never) is still at the old version: scheduling it
            // again would start an upgrade of a cluster that no longer serves anything.
            return Drop(line, all, $"replaced by {replaced.Green} (its upgrade to {replaced.TargetVersion ?? "?"} succeeded {replaced.FinishedAt ?? "?"}); it waits for its decommission");
        }
        if (matched.Count > 1)
        {
            return line with { Action = EndOfSupportActions.NeedsHuman, Reason = $"matches {matched.Count} profiles ({string.Join(", ", matched.Select(p => p.Name))}); make them match it at most once" };
        }
        if (profile is null)
        {
            var dropped = Drop(line, all, "");
            return dropped with { Action = EndOfSupportActions.NeedsHuman, Reason = "no profile matches this cluster; nothing is scheduled for it" + Cancelled(all) };
        }
        if (profile.Schedule == ScheduleModes.Off)
        {
            return Drop(line, all, $"profile {profile.Name} has schedule \"off\"");
        }
        if (dates is null)
        {
            return line with { Action = EndOfSupportActions.NeedsHuman, Reason = $"EKS's version calendar (DescribeClusterVersions) does not list {current}" };
        }
        var (target, targetProblem) = ChooseTarget(profile, calendar, current, now);
        if (target is null)
        {
            return Drop(line, all, "") with { Action = EndOfSupportActions.NeedsHuman, Reason = targetProblem! + Cancelled(all) };
        }
        line = line with { TargetVersion = target.Value.ToString() };
        if (target.Value <= current)
        {
            return Drop(line, all, $"already at {current}, which profile {profile.Name}'s target ({profile.Target}) does not go past");
        }
        if (status == "UNSUPPORTED")
        {
            return line with { Action = EndOfSupportActions.NeedsHuman, Reason = $"{current} is past the end of extended support: EKS upgrades such clusters in place; upgrade it now by hand" };
        }
        var deadline = status == "STANDARD_SUPPORT" ? dates.EndOfStandardSupport!.Value : dates.EndOfExtendedSupport!.Value;
        var earliest = now + MinimumNotice;
        var finishBy = deadline.AddDays(-profile.LeadDays);
        var late = finishBy <= earliest;
        if (late)
        {
            finishBy = deadline;
        }
        line = line with { FinishBy = Timestamps.Format(finishBy) };
        if (status == "STANDARD_SUPPORT" && finishBy - now > TimeSpan.FromDays(profile.HorizonDays))
        {
            var from = finishBy.AddDays(-profile.HorizonDays);
            return Drop(line, all, $"not yet: the slot is chosen from {VersionCalendar.Day(from)} ({profile.HorizonDays} days before {VersionCalendar.Day(finishBy)})");
        }
        var scheduleName = ScheduleNames.For(name, target.Value.ToString());
        var existing = owned.FirstOrDefault(s => s.Name == scheduleName);
        var open = FirstSlotWithRetries(profile, earliest, finishBy);
        var chain = open is null ? null : SlotSpreading.Choose(profile, earliest, finishBy, occupancy, ScheduledLocalStart(existing, profile));
        // Within the lead time already, the deadline wins over the spreading: such a cluster takes the window that still
        // leaves its retry slots and has the fewest runs, even when that is the profile's maxConcurrentUpgrades or more.
        var overCap = chain is null && late && open is not null;
        chain = overCap ? SlotSpreading.LeastOccupied(profile, earliest, finishBy, occupancy) : chain;
        if (chain is null)
        {
            return Drop(line, all, "") with
            {
                Action = EndOfSupportActions.NeedsHuman,
                Reason = (open is null
                    ? $"no maintenance window of profile {profile.Name} leaves room for the run and {profile.RetryWindows} retry slot(s) before {Timestamps.Format(finishBy)}"
                    : $"every window of profile {profile.Name} that leaves room for {profile.RetryWindows} retry slot(s) before {Timestamps.Format(finishBy)} already has {profile.MaxConcurrentUpgrades} upgrade(s) of the profile (maxConcurrentUpgrades)")
                    + Cancelled(all),
            };
        }
        var slot = chain[0];
        var spread = overCap ? $" (over profile {profile.Name}'s maxConcurrentUpgrades of {profile.MaxConcurrentUpgrades}: every window before the deadline is taken, and the deadline comes first: the one with the fewest runs)"
            : slot.Start > open![0].Start ? $" (spread: the earlier windows already have {profile.MaxConcurrentUpgrades} upgrade(s) of profile {profile.Name}, its maxConcurrentUpgrades)"
            : "";
        line = line with
        {
            Slot = new PlannedSlot
            {
                Start = Timestamps.Format(slot.Start),
                End = Timestamps.Format(slot.End),
                LocalStart = slot.LocalStart.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                TimeZone = profile.TimeZoneId,
                RetryStarts = [.. chain.Skip(1).Select(s => Timestamps.Format(s.Start))],
            },
            Cost = Cost(status, dates, now, slot.End),
        };
        var why = $"{current} leaves {(status == "STANDARD_SUPPORT" ? "standard" : "extended")} support on {VersionCalendar.Day(deadline)}"
            + (late ? $" (within the {profile.LeadDays}-day lead time already)" : "") + spread;
        if (profile.Schedule == ScheduleModes.Notify)
        {
            return line with { Action = EndOfSupportActions.Notify, Reason = why + $"; upgrade to {target} in the slot (profile {profile.Name} only notifies)" + Cancelled(all), DeleteSchedules = all };
        }
        var request = Request(scheduleName, facts.Cluster, target.Value, profile, slot, deployment, deadline);
        var others = all.Where(n => n != scheduleName).ToList();
        line = line with { ScheduleName = scheduleName, DeleteSchedules = others };
        if (existing is null)
        {
            return line with { Action = EndOfSupportActions.Create, Schedule = request, Reason = why + $"; schedule the upgrade to {target}" + Cancelled(others) };
        }
        if (existing.ScheduleExpression == request.ScheduleExpression && existing.ScheduleExpressionTimezone == request.ScheduleExpressionTimezone && existing.State is null or "ENABLED")
        {
            return line with { Action = EndOfSupportActions.Keep, Reason = why + "; the schedule already has this slot" + Cancelled(others) };
        }
        return line with { Action = EndOfSupportActions.Update, Schedule = request, Reason = why + $"; move the schedule to this slot (it was {existing.ScheduleExpression ?? "not read"})" + Cancelled(others) };
    }

    private static (KubernetesVersion? Target, string? Problem) ChooseTarget(UpgradeProfile profile, VersionCalendar calendar, KubernetesVersion current, DateTimeOffset now)
    {
        switch (profile.Target)
        {
            case TargetPolicies.LatestStandard:
                return calendar.LatestStandard(now) is { } latest ? (latest.Version, null) : (null, "EKS lists no version in standard support");
            case TargetPolicies.NextMinor:
                var next = new KubernetesVersion(current.Major, current.Minor + 1);
                return calendar.Find(next) is not null
                    ? (next, null)
                    : (null, $"EKS does not offer {next} yet (DescribeClusterVersions does not list it); profile {profile.Name} targets the next minor version");
            default:
                var pinned = profile.PinnedVersion!.Value;
                if (pinned < current)
                {
                    return (null, $"profile {profile.Name} pins {pinned}, which is older than the cluster's {current}; change the profile's target");
                }
                return calendar.Find(pinned) is not null || pinned == current
                    ? (pinned, null)
                    : (null, $"profile {profile.Name} pins {pinned}, which EKS does not offer (DescribeClusterVersions does not list it)");
        }
    }

    /// <summary>The first slot followed by <see cref="UpgradeProfile.RetryWindows"/> later slots, each after the previous ends, all before <paramref name="finishBy"/>.</summary>
    public static IReadOnlyList<Slot>? FirstSlotWithRetries(UpgradeProfile profile, DateTimeOffset earliest, DateTimeOffset finishBy) =>
        SlotSpreading.Choose(profile, earliest, finishBy, new Dictionary<string, int>());

    /// <summary>
    /// The window occurrence a held cluster's kept schedule starts in: the run takes that window from the profile's other
    /// clusters. A postponed schedule keeps its wall-clock time on a later day, which may lie outside every window (then
    /// it competes with none).
    /// </summary>
    private static Slot? HeldWindow(IReadOnlyList<ExistingSchedule> owned, UpgradeProfile profile)
    {
        if (owned.Select(s => ScheduledLocalStart(s, profile)).FirstOrDefault(t => t is not null) is not { } local
            || profile.TimeZone.IsInvalidTime(local))
        {
            return null;
        }

        var start = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, profile.TimeZone), TimeSpan.Zero);
        return MaintenanceSlots.Between(profile, start.AddDays(-1), start.AddDays(2)).FirstOrDefault(w => w.Start <= start && start < w.End);
    }

    /// <summary>The wall-clock start of the cluster's schedule (at(...) in the profile's zone), which it keeps while it can.</summary>
    private static DateTime? ScheduledLocalStart(ExistingSchedule? schedule, UpgradeProfile profile) =>
        schedule is { ScheduleExpression: { } expression } && schedule.ScheduleExpressionTimezone == profile.TimeZoneId
        && expression.StartsWith("at(", StringComparison.Ordinal) && expression.EndsWith(')')
        && DateTime.TryParseExact(expression[3..^1], "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? local
            : null;

    private static ScheduleRequest Request(string scheduleName, EksCluster cluster, KubernetesVersion target, UpgradeProfile profile, Slot slot, ScanDeployment deployment, DateTimeOffset deadline) => new()
    {
        Name = scheduleName,
        GroupName = deployment.ScheduleGroupName,
        // Scheduler one-time schedules: at(yyyy-mm-ddThh:mm:ss), read in ScheduleExpressionTimezone
        // (docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#one-time).
        ScheduleExpression = $"at({slot.LocalStart.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)})",
        ScheduleExpressionTimezone = profile.TimeZoneId,
        Description = $"eos-scan: upgrade {cluster.Name} {cluster.Version} -> {target} (profile {profile.Name}) before {VersionCalendar.Day(deadline)}",
        // The schedule deletes itself once it has started the upgrade (ActionAfterCompletion DELETE).
        ActionAfterCompletion = "DELETE",
        State = "ENABLED",
        FlexibleTimeWindow = new FlexibleTimeWindow { Mode = "OFF" },
        Target = new ScheduleTarget
        {
            Arn = deployment.UpgradeStateMachineArn,
            RoleArn = deployment.SchedulerRoleArn,
            Input = UpgradeInput(profile, cluster.Name!, target, "eventbridge-schedule/" + scheduleName),
            // A start that failed is retried only while the maintenance window is open (Scheduler's default would go on
            // for 24 hours, into hours nobody agreed to); a start missed altogether leaves the cluster at its version, and
            // the next scan plans it into a retry slot.
            RetryPolicy = new ScheduleRetryPolicy
            {
                MaximumEventAgeInSeconds = (int)Math.Clamp((slot.End - slot.Start).TotalSeconds, 60, 86_400),
                MaximumRetryAttempts = 185,
            },
            DeadLetterConfig = deployment.DeadLetterQueueArn is { } queue ? new ScheduleDeadLetterConfig { Arn = queue } : null,
        },
    };

    /// <summary>The profile's upgrade template with the cluster, the target and who asked: the upgrade's execution input.</summary>
    public static string UpgradeInput(UpgradeProfile profile, string clusterName, KubernetesVersion target, string requestedBy)
    {
        ArgumentNullException.ThrowIfNull(profile);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("clusterName", clusterName);
            writer.WriteString("targetVersion", target.ToString());
            foreach (var member in profile.Upgrade.EnumerateObject())
            {
                member.WriteTo(writer);
            }
            writer.WriteString("requestedBy", requestedBy);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static CostOfStaying Cost(string status, VersionDates? dates, DateTimeOffset now, DateTimeOffset? upgradedBy)
    {
        decimal? extra = null;
        if (dates?.EndOfStandardSupport is { } std && dates.EndOfExtendedSupport is { } ext)
        {
            // Surcharge hours: from when extended support starts (or now) until the upgrade, or, with none planned, until extended support ends.
            var from = now > std ? now : std;
            var until = upgradedBy ?? ext;
            var hours = until > from ? (decimal)Math.Ceiling((until - from).TotalHours) : 0m;
            extra = hours * (ExtendedHourly - StandardHourly);
        }
        return new CostOfStaying
        {
            HourlyNow = status == "EXTENDED_SUPPORT" ? ExtendedHourly : StandardHourly,
            HourlyInExtendedSupport = ExtendedHourly,
            ExtraPerYearInExtendedSupport = (ExtendedHourly - StandardHourly) * HoursPerYear,
            ExtraUntilUpgrade = extra,
        };
    }

    private static EndOfSupportDecision Drop(EndOfSupportDecision line, List<string> owned, string reason) => line with
    {
        Action = owned.Count > 0 ? EndOfSupportActions.Delete : EndOfSupportActions.None,
        Reason = reason + Cancelled(owned),
        DeleteSchedules = owned,
    };

    private static string Cancelled(List<string> names) => names.Count == 0 ? "" : $"; cancel {string.Join(", ", names)}";

    private static int DaysBetween(DateTimeOffset now, DateTimeOffset then) => (int)Math.Floor((then - now).TotalDays);
}
