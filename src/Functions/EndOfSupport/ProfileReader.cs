using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.EndOfSupport;

/// <summary>
/// Reads and validates upgrade profiles, reporting every problem at once (unknown fields, unknown IANA time zones,
/// windows that can never fit a run before the deadline, a pinned version not newer than the versions the profile
/// matches, an upgrade template PlanUpgrade would refuse). The CDK app runs this at synth; the scan's decision
/// function runs it again on what was deployed.
/// </summary>
public static partial class ProfileReader
{
    /// <summary>
    /// Amazon EKS gives a minor version 14 months of standard support after its EKS release ("Amazon EKS Kubernetes
    /// version lifecycle", docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html); a lead time this long or
    /// longer ends before any version's standard support starts, so no window could ever be chosen.
    /// </summary>
    public const int StandardSupportDays = 425;

    /// <summary>Members the profile supplies itself, so the upgrade template must not carry them.</summary>
    private static readonly string[] SuppliedByTheScan = ["clusterName", "targetVersion", "requestedBy", "dryRun", "greenClusterName"];

    private static readonly Dictionary<string, DayOfWeek> DayNames = new(StringComparer.Ordinal)
    {
        ["MON"] = DayOfWeek.Monday, ["TUE"] = DayOfWeek.Tuesday, ["WED"] = DayOfWeek.Wednesday, ["THU"] = DayOfWeek.Thursday,
        ["FRI"] = DayOfWeek.Friday, ["SAT"] = DayOfWeek.Saturday, ["SUN"] = DayOfWeek.Sunday,
    };

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")]
    private static partial Regex ProfileName();

    [GeneratedRegex(@"^1\.\d{1,2}$")]
    private static partial Regex MinorVersion();

    [GeneratedRegex(@"^([01]\d|2[0-3]):[0-5]\d$")]
    private static partial Regex ClockTime();

    [GeneratedRegex(@"^[0-9A-Za-z*?][A-Za-z0-9\-_*?]*$")]
    private static partial Regex NamePattern();

    /// <summary>Reads every profile; throws <see cref="InvalidProfile"/> listing every problem of every profile.</summary>
    /// <param name="profiles">(where the profile came from, e.g. "profiles/shop.json", its JSON).</param>
    public static IReadOnlyList<UpgradeProfile> ReadAll(IEnumerable<(string Source, JsonElement Json)> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var problems = new List<string>();
        var read = new List<UpgradeProfile>();
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (source, json) in profiles)
        {
            var (profile, found) = Read(json);
            problems.AddRange(found.Select(p => $"{source}: {p}"));
            if (profile is null)
            {
                continue;
            }
            if (sources.TryGetValue(profile.Name, out var first))
            {
                problems.Add($"{source}: name: \"{profile.Name}\" is already the name of {first}; profile names must be unique");
                continue;
            }
            sources[profile.Name] = source;
            read.Add(profile);
        }
        if (problems.Count > 0)
        {
            throw new InvalidProfile(problems);
        }
        return read;
    }

    /// <summary>The profile, or null and the problems found.</summary>
    public static (UpgradeProfile? Profile, IReadOnlyList<string> Problems) Read(JsonElement json)
    {
        var problems = new ProblemList();
        var profile = JsonFields.Open(json, string.Empty, problems) is { } root ? ReadProfile(root, problems) : null;
        return problems.Any ? (null, problems.Items) : (profile, []);
    }

    private static UpgradeProfile? ReadProfile(JsonFields root, ProblemList problems)
    {
        root.Raw("$schema");
        root.String("description");
        var name = root.String("name", required: true);
        if (name is not null && !ProfileName().IsMatch(name))
        {
            problems.Add("name", $"must be 1 to 64 lower-case letters, digits and hyphens, not {JsonFields.Quote(name)}");
        }
        var match = ReadMatch(root.Object("match", required: true), problems);
        var schedule = root.String("schedule", required: true);
        if (schedule is not null && !ScheduleModes.All.Contains(schedule))
        {
            problems.Add("schedule", $"must be one of {string.Join(", ", ScheduleModes.All.Select(m => $"\"{m}\""))}, not {JsonFields.Quote(schedule)}");
        }
        var target = ReadTarget(root.String("target", required: true), match, problems);
        var leadDays = root.Int("leadDays", 0, StandardSupportDays - 1) ?? 30;
        var horizonDays = root.Int("horizonDays", 1, 3650) ?? 120;
        var (zoneId, zone) = ReadTimeZone(root.String("timeZone", required: true), problems);
        var windows = ReadWindows(root.Array("windows", required: true), root.PathOf("windows"), problems);
        var freezes = ReadFreezes(root.Array("freezes"), root.PathOf("freezes"), problems);
        var retryWindows = root.Int("retryWindows", 0, 10) ?? 1;
        var runHours = root.Int("runHours", 1, 72) ?? 4;
        var approvalRequired = root.Bool("approvalRequired") ?? false;
        var maxConcurrentUpgrades = root.Int("maxConcurrentUpgrades", 1, 100) ?? 1;
        var upgrade = root.Raw("upgrade", required: true);
        root.RejectUnknown();

        if (windows is not null)
        {
            CheckWindowsCanFit(windows, runHours, retryWindows, horizonDays, leadDays, problems);
        }
        if (upgrade is { } template)
        {
            CheckUpgradeTemplate(template, runHours, approvalRequired, problems);
        }
        if (problems.Any || name is null || match is null || schedule is null || target is null || zone is null || windows is null || upgrade is null)
        {
            return null;
        }
        return new UpgradeProfile(name, match, schedule, target, leadDays, horizonDays, zoneId!, zone, windows, freezes ?? [],
            retryWindows, runHours, approvalRequired, upgrade.Value.Clone())
        {
            MaxConcurrentUpgrades = maxConcurrentUpgrades,
        };
    }

    private static ProfileMatch? ReadMatch(JsonFields? match, ProblemList problems)
    {
        if (match is null)
        {
            return null;
        }
        var names = ReadStrings(match.Array("clusterNames"), match.PathOf("clusterNames"), problems);
        foreach (var (pattern, i) in names.Select((p, i) => (p, i)))
        {
            if (!NamePattern().IsMatch(pattern) || pattern.Length > 100)
            {
                problems.Add(JsonFields.Index(match.PathOf("clusterNames"), i),
                    $"{JsonFields.Quote(pattern)} is not an EKS cluster name pattern (letters, digits, '-', '_', and the wildcards '*' and '?')");
            }
        }
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (match.Object("tags") is { } tagFields)
        {
            foreach (var key in tagFields.MemberNames())
            {
                if (tagFields.String(key, allowEmpty: true) is { } value)
                {
                    tags[key] = value;
                }
            }
        }
        var versions = ReadStrings(match.Array("versions"), match.PathOf("versions"), problems);
        foreach (var (version, i) in versions.Select((v, i) => (v, i)))
        {
            if (!MinorVersion().IsMatch(version))
            {
                problems.Add(JsonFields.Index(match.PathOf("versions"), i), $"must look like \"1.33\", not {JsonFields.Quote(version)}");
            }
        }
        match.RejectUnknown();
        if (names.Count == 0 && tags.Count == 0)
        {
            problems.Add(match.PathOf("clusterNames"), "give at least one cluster name pattern or one tag: a profile that matches nothing by name or tag would match every cluster");
        }
        return new ProfileMatch(names, tags, versions);
    }

    private static string? ReadTarget(string? target, ProfileMatch? match, ProblemList problems)
    {
        if (target is null or TargetPolicies.LatestStandard or TargetPolicies.NextMinor)
        {
            return target;
        }
        if (KubernetesVersion.Parse(target) is not { } pinned || !MinorVersion().IsMatch(target))
        {
            problems.Add("target", $"must be \"latest-standard\", \"next-minor\" or a pinned minor version like \"1.35\", not {JsonFields.Quote(target)}");
            return null;
        }
        foreach (var version in match?.Versions ?? [])
        {
            if (KubernetesVersion.Parse(version) is { } v && v >= pinned)
            {
                problems.Add("target", $"the pinned version {target} is not newer than {version}, a version this profile matches (match.versions): an upgrade must go to a newer version");
            }
        }
        return target;
    }

    private static (string? Id, TimeZoneInfo? Zone) ReadTimeZone(string? id, ProblemList problems)
    {
        if (id is null)
        {
            return (null, null);
        }
        // IANA names only: EventBridge Scheduler's ScheduleExpressionTimezone takes IANA names, and so must the windows.
        // Region names ("Area/Location") and UTC; Windows names ("Korea Standard Time") and abbreviations are refused.
        if ((id == "UTC" || id.Contains('/', StringComparison.Ordinal)) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return (id, zone);
        }
        problems.Add("timeZone", $"{JsonFields.Quote(id)} is not an IANA time zone name (like \"Asia/Seoul\" or \"UTC\")");
        return (null, null);
    }

    private static List<MaintenanceWindow>? ReadWindows(IReadOnlyList<JsonElement>? items, string path, ProblemList problems)
    {
        if (items is null)
        {
            return null;
        }
        if (items.Count == 0)
        {
            problems.Add(path, "give at least one maintenance window: without one no upgrade can ever be placed");
            return null;
        }
        var windows = new List<MaintenanceWindow>();
        for (var i = 0; i < items.Count; i++)
        {
            var at = JsonFields.Index(path, i);
            if (JsonFields.Open(items[i], at, problems) is not { } w)
            {
                continue;
            }
            var dayNames = ReadStrings(w.Array("days", required: true), w.PathOf("days"), problems);
            var days = new List<DayOfWeek>();
            foreach (var day in dayNames)
            {
                if (DayNames.TryGetValue(day, out var d))
                {
                    days.Add(d);
                }
                else
                {
                    problems.Add(w.PathOf("days"), $"{JsonFields.Quote(day)} is not a day (MON, TUE, WED, THU, FRI, SAT, SUN)");
                }
            }
            if (dayNames.Count == 0 && w.Has("days"))
            {
                problems.Add(w.PathOf("days"), "give at least one day");
            }
            var start = w.String("start", required: true);
            TimeOnly? startTime = null;
            if (start is not null)
            {
                if (ClockTime().IsMatch(start))
                {
                    startTime = TimeOnly.ParseExact(start, "HH:mm", CultureInfo.InvariantCulture);
                }
                else
                {
                    problems.Add(w.PathOf("start"), $"must be a 24-hour local time like \"10:00\", not {JsonFields.Quote(start)}");
                }
            }
            var hours = w.Int("hours", 1, 24, required: true);
            w.RejectUnknown();
            if (days.Count > 0 && startTime is { } s && hours is { } h)
            {
                windows.Add(new MaintenanceWindow(days.Distinct().ToList(), s, h));
            }
        }
        return windows.Count == items.Count ? windows : null;
    }

    private static List<Freeze>? ReadFreezes(IReadOnlyList<JsonElement>? items, string path, ProblemList problems)
    {
        if (items is null)
        {
            return null;
        }
        var freezes = new List<Freeze>();
        for (var i = 0; i < items.Count; i++)
        {
            var at = JsonFields.Index(path, i);
            if (JsonFields.Open(items[i], at, problems) is not { } f)
            {
                continue;
            }
            var from = ReadDate(f, "from", problems);
            var to = ReadDate(f, "to", problems);
            var reason = f.String("reason");
            f.RejectUnknown();
            if (from is { } a && to is { } b)
            {
                if (b < a)
                {
                    problems.Add(f.PathOf("to"), $"{b:yyyy-MM-dd} is before from {a:yyyy-MM-dd}");
                }
                else
                {
                    freezes.Add(new Freeze(a, b, reason));
                }
            }
        }
        return freezes;
    }

    private static DateOnly? ReadDate(JsonFields fields, string name, ProblemList problems)
    {
        var text = fields.String(name, required: true);
        if (text is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        problems.Add(fields.PathOf(name), $"must be a date like \"2026-12-24\", not {JsonFields.Quote(text)}");
        return null;
    }

    private static void CheckWindowsCanFit(List<MaintenanceWindow> windows, int runHours, int retryWindows, int horizonDays, int leadDays, ProblemList problems)
    {
        for (var i = 0; i < windows.Count; i++)
        {
            if (windows[i].Hours < runHours)
            {
                problems.Add(JsonFields.Index("windows", i) + ".hours",
                    $"the window is {windows[i].Hours} h but a run needs runHours = {runHours} h: no run could ever finish inside it");
            }
        }
        // Slots are weekly, so the scheduling horizon must hold the slot and its retry slots even in the leanest week.
        var slotsPerWeek = windows.Where(w => w.Hours >= runHours).Sum(w => w.Days.Count);
        var needed = retryWindows + 1;
        var weeks = (needed + slotsPerWeek - 1) / Math.Max(slotsPerWeek, 1);
        if (slotsPerWeek > 0 && horizonDays < weeks * 7)
        {
            problems.Add("horizonDays", $"{horizonDays} days cannot hold the slot and {retryWindows} retry slot(s) at {slotsPerWeek} window(s) a week; it needs at least {weeks * 7} days");
        }
        if (leadDays + weeks * 7 >= StandardSupportDays)
        {
            problems.Add("leadDays", $"{leadDays} days of lead time plus {weeks * 7} days of windows do not fit in the {StandardSupportDays} days of standard support: the windows could never fit before the deadline");
        }
    }

    private static void CheckUpgradeTemplate(JsonElement template, int runHours, bool approvalRequired, ProblemList problems)
    {
        if (template.ValueKind != JsonValueKind.Object)
        {
            problems.Add("upgrade", $"must be a JSON object (the upgrade input without clusterName and targetVersion), not {JsonFields.Describe(template)}");
            return;
        }
        foreach (var supplied in SuppliedByTheScan)
        {
            if (template.TryGetProperty(supplied, out _))
            {
                problems.Add($"upgrade.{supplied}", "the scan supplies this for each cluster; remove it from the profile");
            }
        }
        var plan = TryPlan(template, problems);
        if (plan is null)
        {
            return;
        }
        if (approvalRequired && !plan.Approvals.BeforeTraffic && !plan.Approvals.BeforeFinalize)
        {
            problems.Add("upgrade.approvals", "approvalRequired is true but neither beforeTraffic nor beforeFinalize is set: an unattended scheduled run would need no approval");
        }
        // The run's own waits (health deadline, every bake, approvals) must fit the run time the windows are sized for.
        var seconds = (long)plan.Health.TimeoutSeconds + plan.Strategy.Steps.Sum(s => (long)s.BakeSeconds)
            + (plan.Approvals.BeforeTraffic ? plan.Approvals.TimeoutSeconds : 0) + (plan.Approvals.BeforeFinalize ? plan.Approvals.TimeoutSeconds : 0);
        if (seconds > runHours * 3600L)
        {
            problems.Add("runHours", string.Create(CultureInfo.InvariantCulture,
                $"{runHours} h is shorter than the upgrade's own waits ({seconds / 60} min of health deadline, bakes and approval timeouts)"));
        }
    }

    /// <summary>Runs PlanUpgrade's validation on the template with a placeholder cluster and version, keeping only the template's problems.</summary>
    private static UpgradePlan? TryPlan(JsonElement template, ProblemList problems)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("clusterName", "profile-check");
            writer.WriteString("targetVersion", "1.99");
            foreach (var member in template.EnumerateObject().Where(p => !SuppliedByTheScan.Contains(p.Name)))
            {
                member.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        using var input = JsonDocument.Parse(buffer.ToArray());
        var request = new PlanUpgradeRequest
        {
            Input = input.RootElement,
            Execution = new ExecutionInfo { Id = "arn:aws:states:us-east-1:111122223333:execution:profile-check:check", Name = "check", StartTime = "2026-01-01T00:00:00.000Z" },
        };
        try
        {
            return UpgradePlanner.Plan(request);
        }
        catch (InvalidInput e)
        {
            foreach (var problem in e.Problems)
            {
                problems.Add("upgrade." + problem.Split(": ", 2)[0], problem.Split(": ", 2) is { Length: 2 } parts ? parts[1] : problem);
            }
            return null;
        }
    }

    private static List<string> ReadStrings(IReadOnlyList<JsonElement>? items, string path, ProblemList problems)
    {
        var strings = new List<string>();
        if (items is null)
        {
            return strings;
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].ValueKind == JsonValueKind.String && items[i].GetString() is { Length: > 0 } s)
            {
                strings.Add(s);
            }
            else
            {
                problems.Add(JsonFields.Index(path, i), $"must be a non-empty string, not {JsonFields.Describe(items[i])}");
            }
        }
        return strings;
    }
}
