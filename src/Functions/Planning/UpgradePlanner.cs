using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Planning;

/// <summary>
/// Validates the execution input against the contract (statemachines/upgrade.input.schema.json) and expands
/// it into an <see cref="UpgradePlan"/> with every default filled in. Every problem is collected and thrown
/// as one <see cref="InvalidInput"/>, each naming its field.
/// </summary>
public static partial class UpgradePlanner
{
    public const int MaxSteps = 20;
    public const int MaxBakeMinutes = 1440;
    public const int MaxAlarms = 100; // DescribeAlarms accepts at most 100 AlarmNames
    public const int DefaultAlarmPollSeconds = 30;
    public const string DefaultInsufficientData = InsufficientDataPolicies.Alarm;
    public const int DefaultHealthTimeoutMinutes = 30;
    public const int HealthPollSeconds = 30;

    /// <summary>
    /// Each health check (one every <see cref="HealthPollSeconds"/>) adds about 36 events to the upgrade's own
    /// history (the Parallel read, EvaluateHealth, the Choice and the Wait). A Standard execution stops at 25,000
    /// events, and the rest of a run needs up to ~5,000 (a 24-hour final bake takes about 1,500), so the wait for
    /// health gets at most <see cref="HealthHistoryBudget"/> events: 480 checks, 4 hours.
    /// </summary>
    public const int MaxHealthTimeoutMinutes = 240;

    /// <summary>The history events the wait for health may add: 480 checks of 36 events.</summary>
    public const int HealthHistoryBudget = 17_280;

    /// <summary>
    /// Measured in the rehearsal (green-never-healthy, 30 and 60 minutes): a health check adds 33 events, 35 with the
    /// Map that reads Argo CD applications, and 8 more per application (one GET each: the iteration's events).
    /// </summary>
    public const int HealthEventsPerCheck = 35;

    public const int HealthEventsPerArgoApplication = 8;

    /// <summary>The upgrade state machine's TimeoutSeconds (statemachines/upgrade.asl.json).</summary>
    public const int ExecutionTimeoutSeconds = 604_800;

    /// <summary>
    /// What a run needs besides waiting for health, baking and approvals: creating Green (cluster and
    /// nodegroups, tens of minutes), traffic changes, and a rollback retried for about 30 minutes.
    /// </summary>
    public const int ExecutionReserveSeconds = 4 * 3600;
    public const int DefaultMinHealthyTargets = 1;
    public const int DefaultApprovalTimeoutMinutes = 1440;
    public const string DefaultArgoCdNamespace = "argocd";
    public const int MaxHooks = 5;

    /// <summary>The top-level fields of the input contract, in schema order.</summary>
    public static IReadOnlyList<string> TopLevelFields { get; } =
    [
        "clusterName", "targetVersion", "greenClusterName", "traffic", "strategy", "alarms", "health",
        "approvals", "hooks", "gitops", "blue", "green", "dryRun", "requestedBy",
    ];

    [GeneratedRegex(@"^1\.\d{2}$")]
    private static partial Regex VersionShape();



    [GeneratedRegex(@"^arn:(aws|aws-cn|aws-us-gov):lambda:[a-z]{2}(-[a-z]+)+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$")]
    private static partial Regex LambdaArnShape();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex(@"^[A-Za-z0-9/_+=.@-]{1,512}$")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex LabelPrefix();


    public static UpgradePlan Plan(PlanUpgradeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new ProblemList();
        var execution = ReadExecution(request.Execution, problems);
        UpgradePlan? plan = null;
        if (request.Input is not { } input || input.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            problems.Add("input", "required: pass the execution input ($$.Execution.Input or $) as \"input\"");
        }
        else if (input.ValueKind != JsonValueKind.Object)
        {
            // An execution input of [], "x" or 42 is valid JSON, so StartExecution accepts it; say what is wrong with it.
            problems.Add("input", $"the input must be a JSON object, not {JsonFields.Describe(input)}");
        }
        else if (JsonFields.Open(input, string.Empty, problems) is { } root)
        {
            plan = ReadPlan(root, execution, problems);
        }
        if (problems.Any || plan is null)
        {
            throw new InvalidInput(problems.Items);
        }
        return plan;
    }

    private sealed record ExecutionParts(string Id, string Name, string StartedAt);

    private static ExecutionParts ReadExecution(ExecutionInfo? execution, ProblemList problems)
    {
        if (execution is null)
        {
            problems.Add("execution", "required: pass {\"id.$\": \"$$.Execution.Id\", \"name.$\": \"$$.Execution.Name\", \"startTime.$\": \"$$.Execution.StartTime\"}");
            return new ExecutionParts("", "", "");
        }
        if (string.IsNullOrEmpty(execution.Id))
        {
            problems.Add("execution.id", "required ($$.Execution.Id)");
        }
        if (string.IsNullOrEmpty(execution.Name))
        {
            problems.Add("execution.name", "required ($$.Execution.Name)");
        }
        var startedAt = "";
        if (string.IsNullOrEmpty(execution.StartTime))
        {
            problems.Add("execution.startTime", "required ($$.Execution.StartTime)");
        }
        else if (Timestamps.TryParse(execution.StartTime, out var start))
        {
            startedAt = Timestamps.Format(start);
        }
        else
        {
            problems.Add("execution.startTime", "must be an ISO-8601 timestamp");
        }
        return new ExecutionParts(execution.Id ?? "", execution.Name ?? "", startedAt);
    }

    private static UpgradePlan? ReadPlan(JsonFields root, ExecutionParts execution, ProblemList problems)
    {
        var blueName = root.String("clusterName", required: true);
        if (blueName is not null && ClusterNames.Check(blueName) is { } blueProblem)
        {
            problems.Add("clusterName", blueProblem);
            blueName = null;
        }

        var targetVersion = root.String("targetVersion", required: true);
        if (targetVersion is not null && !VersionShape().IsMatch(targetVersion))
        {
            problems.Add("targetVersion", $"must look like \"1.34\" (a Kubernetes minor version), not {JsonFields.Quote(targetVersion)}");
            targetVersion = null;
        }

        var (greenName, derived) = ReadGreenName(root, blueName, targetVersion, problems);
        var traffic = ReadTraffic(root.Object("traffic", required: true), problems);
        var alarms = ReadAlarms(root.Object("alarms", required: true), problems);
        var steps = ReadStrategy(root, problems);
        var health = ReadHealth(root.Object("health"), traffic, problems);
        var approvals = ReadApprovals(root.Object("approvals"), problems);
        var hooks = ReadHooks(root.Object("hooks"), problems);
        var gitops = ReadGitOps(root.Object("gitops"), problems);
        var blue = ReadBlue(root.Object("blue"), problems);
        var green = ReadGreen(root.Object("green"), problems);
        var dryRun = root.Bool("dryRun") ?? false;
        var requestedBy = root.String("requestedBy");
        if (requestedBy is { Length: > 256 })
        {
            problems.Add("requestedBy", "must be at most 256 characters");
        }
        root.RejectUnknown();
        if (steps is not null && health is not null && approvals is not null)
        {
            CheckRunFitsTheExecution(steps.Value.Steps, health, approvals, problems);
        }

        if (problems.Any || blueName is null || targetVersion is null || greenName is null || traffic is null
            || alarms is null || steps is null || health is null || approvals is null || hooks is null || blue is null || green is null)
        {
            return null;
        }

        var runId = RunIdentity.RunId(execution.Id, execution.Name);
        return new UpgradePlan
        {
            RunId = runId,
            ExecutionId = execution.Id,
            ExecutionName = execution.Name,
            StartedAt = execution.StartedAt,
            RequestedBy = requestedBy ?? $"execution:{execution.Name}",
            DryRun = dryRun,
            BlueClusterName = blueName,
            GreenClusterName = greenName,
            GreenClusterNameDerived = derived,
            TargetVersion = targetVersion,
            ClientRequestToken = RunIdentity.ClusterToken(execution.Id),
            Traffic = traffic,
            Strategy = new StrategyPlan { Name = steps.Value.Name, Steps = StrategyPresets.ToPlanSteps(steps.Value.Steps, alarms.PollSeconds) },
            Alarms = alarms,
            Health = health,
            Approvals = approvals,
            Hooks = hooks,
            GitOps = gitops is { } g ? GitOpsPlan.For(g.SecretName, g.Labels, runId) : null,
            Blue = blue,
            Green = green,
            Records = RunRecordKeys.For(blueName, execution.StartedAt, runId),
            Labels = new NotificationLabels { Blue = ClusterNames.Label(blueName), Green = ClusterNames.Label(greenName) },
        };
    }

    private static (string? Name, bool Derived) ReadGreenName(JsonFields root, string? blueName, string? targetVersion, ProblemList problems)
    {
        var given = root.String("greenClusterName");
        if (given is not null)
        {
            if (ClusterNames.Check(given) is { } problem)
            {
                problems.Add("greenClusterName", problem);
                return (null, false);
            }
            if (blueName is not null && string.Equals(given, blueName, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add("greenClusterName", "must differ from clusterName: Green is a new cluster beside Blue");
                return (null, false);
            }
            return (given, false);
        }
        if (blueName is null || targetVersion is null)
        {
            return (null, true);
        }
        var derived = ClusterNames.DeriveGreen(blueName, targetVersion);
        if (string.Equals(derived, blueName, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("greenClusterName", $"the derived name {JsonFields.Quote(derived)} equals clusterName; set greenClusterName explicitly");
            return (null, true);
        }
        return (derived, true);
    }

    private static TrafficPlan? ReadTraffic(JsonFields? traffic, ProblemList problems)
    {
        if (traffic is null)
        {
            return null;
        }
        var type = traffic.String("type", required: true);
        var provider = TrafficProviders.Find(type);
        if (provider is null)
        {
            if (type is not null)
            {
                var types = TrafficProviders.All.Select(p => $"\"{p.Type}\"").ToList();
                problems.Add(traffic.PathOf("type"), $"must be {string.Join(", ", types.SkipLast(1))} or {types[^1]}, not {JsonFields.Quote(type)}");
            }
            // Without a valid type the other members cannot be judged; do not also call them unknown.
            foreach (var member in TrafficProviders.AllMembers)
            {
                traffic.Raw(member);
            }
            traffic.RejectUnknown();
            return null;
        }

        var plan = provider.Read(traffic, problems);
        foreach (var other in TrafficProviders.All.Where(p => p != provider))
        {
            foreach (var unwanted in other.Members.Except(provider.Members))
            {
                if (traffic.Raw(unwanted) is not null)
                {
                    problems.Add(traffic.PathOf(unwanted), $"only applies to traffic.type \"{other.Type}\"");
                }
            }
        }
        traffic.RejectUnknown();
        return plan;
    }

    private static (string Name, IReadOnlyList<StepRequest> Steps)? ReadStrategy(JsonFields root, ProblemList problems)
    {
        var raw = root.Raw("strategy", required: true);
        if (raw is null)
        {
            return null;
        }
        // Shorthand: "strategy": "Canary10Percent5Minutes".
        if (raw.Value.ValueKind == JsonValueKind.String)
        {
            return ReadPreset(raw.Value.GetString()!, "strategy", problems);
        }
        if (JsonFields.Open(raw.Value, "strategy", problems) is not { } strategy)
        {
            return null;
        }
        var preset = strategy.String("preset");
        var steps = strategy.Array("steps");
        strategy.RejectUnknown();
        if (preset is not null && steps is not null)
        {
            // Report the conflict and whatever else is wrong with either, so one run shows every problem.
            problems.Add("strategy", "give either preset or steps, not both");
            ReadPreset(preset, "strategy.preset", problems);
            ReadSteps(steps, problems);
            return null;
        }
        if (preset is not null)
        {
            return ReadPreset(preset, "strategy.preset", problems);
        }
        if (steps is null)
        {
            if (!strategy.Has("preset"))
            {
                problems.Add("strategy", "needs a preset or explicit steps");
            }
            return null;
        }
        var parsed = ReadSteps(steps, problems);
        return parsed is null ? null : (StrategyPresets.Custom, parsed);
    }

    /// <summary>
    /// The waits a run may spend (health deadline, every bake, every approval's timeout) must fit in the
    /// execution's TimeoutSeconds with room for the rest; otherwise Step Functions would time the run out
    /// midway and leave the cleanup to restore-blue.
    /// </summary>
    private static void CheckRunFitsTheExecution(IReadOnlyList<StepRequest> steps, HealthPlan health, ApprovalPlan approvals, ProblemList problems)
    {
        var bakeSeconds = steps.Sum(s => (long)s.BakeMinutes * 60);
        var approvalCount = (approvals.BeforeTraffic ? 1 : 0) + (approvals.BeforeFinalize ? 1 : 0);
        var approvalSeconds = (long)approvalCount * approvals.TimeoutSeconds;
        var total = health.TimeoutSeconds + bakeSeconds + approvalSeconds + ExecutionReserveSeconds;
        if (total > ExecutionTimeoutSeconds)
        {
            problems.Add("strategy", string.Create(CultureInfo.InvariantCulture,
                $"the run could last {Hours(total)} (health.timeoutMinutes {Hours(health.TimeoutSeconds)}, bakes {Hours(bakeSeconds)}, "
                + $"{approvalCount} approval(s) x approvals.timeoutMinutes {Hours(approvals.TimeoutSeconds)}, {Hours(ExecutionReserveSeconds)} to create Green and move traffic), "
                + $"more than the upgrade execution's limit of {Hours(ExecutionTimeoutSeconds)}: shorten the bakes or the approval timeout"));
        }
    }

    private static string Hours(long seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600.0:0.#} h");

    private static (string, IReadOnlyList<StepRequest>)? ReadPreset(string name, string path, ProblemList problems)
    {
        if (StrategyPresets.Expand(name) is { } steps)
        {
            return (name, steps);
        }
        problems.Add(path, $"unknown preset {JsonFields.Quote(name)} (expected one of: {string.Join(", ", StrategyPresets.Names)})");
        return null;
    }

    private static List<StepRequest>? ReadSteps(IReadOnlyList<JsonElement> steps, ProblemList problems)
    {
        if (steps.Count == 0 || steps.Count > MaxSteps)
        {
            problems.Add("strategy.steps", $"must have between 1 and {MaxSteps} steps, not {steps.Count}");
            return null;
        }
        var result = new List<StepRequest>();
        var ok = true;
        for (var i = 0; i < steps.Count; i++)
        {
            var path = JsonFields.Index("strategy.steps", i);
            if (JsonFields.Open(steps[i], path, problems) is not { } step)
            {
                ok = false;
                continue;
            }
            var weight = step.Int("weight", 1, 100, required: true);
            var bake = step.Int("bakeMinutes", 0, MaxBakeMinutes, required: true);
            step.RejectUnknown();
            if (weight is null || bake is null)
            {
                ok = false;
                continue;
            }
            if (result.Count > 0 && weight <= result[^1].Weight)
            {
                problems.Add(step.PathOf("weight"), $"must be greater than the previous step's {result[^1].Weight} (weights strictly increase)");
                ok = false;
            }
            result.Add(new StepRequest(weight.Value, bake.Value));
        }
        if (ok && result[^1].Weight != 100)
        {
            problems.Add(JsonFields.Index("strategy.steps", steps.Count - 1) + ".weight", $"the last step must move 100% of traffic to Green, not {result[^1].Weight}%");
            ok = false;
        }
        return ok ? result : null;
    }

    private static AlarmPlan? ReadAlarms(JsonFields? alarms, ProblemList problems)
    {
        if (alarms is null)
        {
            return null;
        }
        var names = alarms.Array("names", required: true);
        var poll = alarms.Int("pollSeconds", 10, 3600) ?? (alarms.Has("pollSeconds") ? (int?)null : DefaultAlarmPollSeconds);
        var insufficient = alarms.String("insufficientData");
        alarms.RejectUnknown();
        var policyOk = insufficient is null or InsufficientDataPolicies.Ok or InsufficientDataPolicies.Alarm;
        if (insufficient is not null && !policyOk)
        {
            problems.Add("alarms.insufficientData", $"must be \"ok\" or \"alarm\", not {JsonFields.Quote(insufficient)}");
        }
        // The names are checked even when the policy is wrong: every problem is reported at once.
        var list = ReadStringList(names, "alarms.names", 1, MaxAlarms, problems, (name, path) =>
            name.Length > 255 ? "must be at most 255 characters (CloudWatch alarm names)" : null);
        return list is null || poll is null || !policyOk
            ? null
            : new AlarmPlan { Names = list, PollSeconds = poll.Value, InsufficientData = insufficient ?? DefaultInsufficientData };
    }

    private static HealthPlan? ReadHealth(JsonFields? health, TrafficPlan? traffic, ProblemList problems)
    {
        var timeout = DefaultHealthTimeoutMinutes;
        var minTargets = DefaultMinHealthyTargets;
        string? route53TargetGroup = null;
        ArgoCdPlan? argo = null;
        var ok = true;
        if (health is not null)
        {
            var t = health.Int("timeoutMinutes", 1, int.MaxValue);
            if (t > MaxHealthTimeoutMinutes)
            {
                problems.Add("health.timeoutMinutes", string.Create(CultureInfo.InvariantCulture,
                    $"must be at most {MaxHealthTimeoutMinutes}, not {t}: Green is checked every {HealthPollSeconds} s and each check adds about 36 events to the execution history, which Step Functions stops at 25,000"));
                t = null;
            }
            var m = health.Int("minHealthyTargets", 1, 1000);
            ok &= (t is not null || !health.Has("timeoutMinutes")) && (m is not null || !health.Has("minHealthyTargets"));
            timeout = t ?? timeout;
            minTargets = m ?? minTargets;
            var tg = AlbTrafficProvider.ReadArn(health, "greenTargetGroupArn", ElbArn.TargetGroup, "an ELBv2 target group ARN", required: false, problems);
            if (tg is not null && traffic is not null && TrafficProviders.For(traffic).GreenTargetGroupArn(traffic) is not null)
            {
                problems.Add("health.greenTargetGroupArn", $"only applies when traffic names no target group of Green's (with \"{traffic.Type}\", traffic.greenTargetGroupArn is checked)");
            }
            ok &= tg is not null || !health.Has("greenTargetGroupArn");
            route53TargetGroup = tg?.Text;
            var apps = health.Object("applications");
            if (apps is not null)
            {
                argo = ReadArgo(apps, problems);
                ok &= argo is not null;
            }
            health.RejectUnknown();
        }
        if (!ok)
        {
            return null;
        }
        return new HealthPlan
        {
            TimeoutSeconds = timeout * 60,
            PollSeconds = HealthPollSecondsFor(timeout * 60, argo?.Applications.Count ?? 0),
            MinHealthyTargets = minTargets,
            TargetGroupArn = (traffic is null ? null : TrafficProviders.For(traffic).GreenTargetGroupArn(traffic)) ?? route53TargetGroup,
            ArgoCd = argo,
        };
    }

    /// <summary>
    /// Every <see cref="HealthPollSeconds"/>, or less often when the checks of a long wait with many Argo CD applications
    /// (each read with its own GET) would pass <see cref="HealthHistoryBudget"/>: 50 applications for 4 hours are checked
    /// every 6 minutes or so.
    /// </summary>
    public static int HealthPollSecondsFor(int timeoutSeconds, int argoApplications)
    {
        var eventsPerCheck = HealthEventsPerCheck + (HealthEventsPerArgoApplication * argoApplications);
        var checks = Math.Max(1, HealthHistoryBudget / eventsPerCheck);
        return Math.Max(HealthPollSeconds, (int)Math.Ceiling((double)timeoutSeconds / checks));
    }

    private static ArgoCdPlan? ReadArgo(JsonFields apps, ProblemList problems)
    {
        var ns = apps.String("namespace") ?? (apps.Has("namespace") ? null : DefaultArgoCdNamespace);
        if (ns is not null && !DnsLabel().IsMatch(ns))
        {
            problems.Add("health.applications.namespace", $"not a Kubernetes namespace name: {JsonFields.Quote(ns)}");
            ns = null;
        }
        var names = ReadStringList(apps.Array("names", required: true), "health.applications.names", 1, 50, problems, (name, _) =>
            DnsSubdomain().IsMatch(name) ? null : "not a Kubernetes object name (lower-case letters, digits, '-' and '.')");
        apps.RejectUnknown();
        return ns is null || names is null
            ? null
            : new ArgoCdPlan { Namespace = ns, Applications = names, Path = $"/apis/argoproj.io/v1alpha1/namespaces/{ns}/applications" };
    }

    private static ApprovalPlan? ReadApprovals(JsonFields? approvals, ProblemList problems)
    {
        if (approvals is null)
        {
            return new ApprovalPlan { BeforeTraffic = false, BeforeFinalize = false, TimeoutSeconds = DefaultApprovalTimeoutMinutes * 60 };
        }
        var before = approvals.Bool("beforeTraffic");
        var finalize = approvals.Bool("beforeFinalize");
        var timeout = approvals.Int("timeoutMinutes", 1, 10080);
        approvals.RejectUnknown();
        if ((before is null && approvals.Has("beforeTraffic")) || (finalize is null && approvals.Has("beforeFinalize"))
            || (timeout is null && approvals.Has("timeoutMinutes")))
        {
            return null;
        }
        return new ApprovalPlan
        {
            BeforeTraffic = before ?? false,
            BeforeFinalize = finalize ?? false,
            TimeoutSeconds = (timeout ?? DefaultApprovalTimeoutMinutes) * 60,
        };
    }

    private static HookPlan? ReadHooks(JsonFields? hooks, ProblemList problems)
    {
        if (hooks is null)
        {
            return new HookPlan { BeforeAllowTraffic = [], AfterAllowTraffic = [] };
        }
        static string? CheckArn(string arn, string path) =>
            LambdaArnShape().IsMatch(arn) ? null : "not a Lambda function ARN";
        var before = hooks.Array("beforeAllowTraffic");
        var after = hooks.Array("afterAllowTraffic");
        hooks.RejectUnknown();
        var beforeList = before is null ? [] : ReadStringList(before, "hooks.beforeAllowTraffic", 0, MaxHooks, problems, CheckArn);
        var afterList = after is null ? [] : ReadStringList(after, "hooks.afterAllowTraffic", 0, MaxHooks, problems, CheckArn);
        return beforeList is null || afterList is null ? null : new HookPlan { BeforeAllowTraffic = beforeList, AfterAllowTraffic = afterList };
    }

    private static (string SecretName, IReadOnlyDictionary<string, string> Labels)? ReadGitOps(JsonFields? gitops, ProblemList problems)
    {
        if (gitops is null)
        {
            return null;
        }
        var secret = gitops.String("clusterSecretName", required: true);
        if (secret is not null && !SecretName().IsMatch(secret))
        {
            problems.Add("gitops.clusterSecretName", "not a Secrets Manager secret name (1-512 of letters, digits and /_+=.@-)");
            secret = null;
        }
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (gitops.Object("labels") is { } labelFields)
        {
            // Every member is a label; read them all so none counts as unknown.
            foreach (var name in LabelNames(labelFields))
            {
                var value = labelFields.String(name, allowEmpty: true) ?? (labelFields.Has(name) ? null : "");
                var path = labelFields.PathOf(name);
                if (CheckLabelKey(name) is { } keyProblem)
                {
                    problems.Add(path, keyProblem);
                }
                else if (value is not null && value.Length > 0 && (value.Length > 63 || !LabelName().IsMatch(value)))
                {
                    problems.Add(path, "not a Kubernetes label value (at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric)");
                }
                else if (value is not null)
                {
                    labels[name] = value;
                }
            }
            labelFields.RejectUnknown();
            if (labels.Keys.Count(k => k != GitOpsPlan.SecretTypeLabel) > GitOpsPlan.MaxLabels)
            {
                problems.Add("gitops.labels", $"at most {GitOpsPlan.MaxLabels} labels besides {GitOpsPlan.SecretTypeLabel}: the secret carries them as tags, with the secret-type label and two ownership tags, and Secrets Manager allows 50");
            }
        }
        gitops.RejectUnknown();
        return secret is null ? null : (secret, labels);
    }

    private static IEnumerable<string> LabelNames(JsonFields labels) => labels.MemberNames();

    private static string? CheckLabelKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length == 0 || prefix.Length > 253 || !LabelPrefix().IsMatch(prefix))
            {
                return "not a Kubernetes label key: the prefix must be a DNS subdomain";
            }
        }
        return name.Length <= 63 && LabelName().IsMatch(name)
            ? null
            : "not a Kubernetes label key (name of at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric)";
    }

    private static BluePlan? ReadBlue(JsonFields? blue, ProblemList problems)
    {
        if (blue is null)
        {
            return new BluePlan { Decommission = DecommissionPolicies.Never, RetentionSeconds = null };
        }
        var mode = blue.String("decommission") ?? DecommissionPolicies.Never;
        var retention = blue.Int("retentionHours", 1, 720);
        var retentionGiven = blue.Has("retentionHours");
        blue.RejectUnknown();
        switch (mode)
        {
            case DecommissionPolicies.AfterRetention:
                if (!retentionGiven)
                {
                    problems.Add("blue.retentionHours", "required when decommission is \"afterRetention\"");
                }
                return retention is null ? null : new BluePlan { Decommission = mode, RetentionSeconds = retention * 3600 };
            case DecommissionPolicies.Never or DecommissionPolicies.Immediately:
                if (retentionGiven)
                {
                    problems.Add("blue.retentionHours", "only applies when decommission is \"afterRetention\"");
                    return null;
                }
                return new BluePlan { Decommission = mode, RetentionSeconds = null };
            default:
                problems.Add("blue.decommission", $"must be \"never\", \"immediately\" or \"afterRetention\", not {JsonFields.Quote(mode)}");
                return null;
        }
    }

    private static GreenPlan? ReadGreen(JsonFields? green, ProblemList problems)
    {
        if (green is null)
        {
            return new GreenPlan { OnFailure = GreenFailurePolicies.Delete };
        }
        var onFailure = green.String("onFailure") ?? GreenFailurePolicies.Delete;
        green.RejectUnknown();
        if (onFailure is GreenFailurePolicies.Delete or GreenFailurePolicies.Keep)
        {
            return new GreenPlan { OnFailure = onFailure };
        }
        problems.Add("green.onFailure", $"must be \"delete\" or \"keep\", not {JsonFields.Quote(onFailure)}");
        return null;
    }

    /// <summary>A list of distinct non-empty strings with a count range and a per-item check.</summary>
    private static List<string>? ReadStringList(IReadOnlyList<JsonElement>? items, string path, int min, int max,
        ProblemList problems, Func<string, string, string?> check)
    {
        if (items is null)
        {
            return null;
        }
        if (items.Count < min || items.Count > max)
        {
            problems.Add(path, min == max ? $"must have {min} items" : $"must have between {min} and {max} items, not {items.Count}");
            return null;
        }
        var result = new List<string>();
        var ok = true;
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = JsonFields.Index(path, i);
            if (items[i].ValueKind != JsonValueKind.String || items[i].GetString() is not { Length: > 0 } text)
            {
                problems.Add(itemPath, "must be a non-empty string");
                ok = false;
                continue;
            }
            if (check(text, itemPath) is { } problem)
            {
                problems.Add(itemPath, problem);
                ok = false;
            }
            else if (result.Contains(text, StringComparer.Ordinal))
            {
                problems.Add(itemPath, $"duplicate of an earlier item {JsonFields.Quote(text)}");
                ok = false;
            }
            else
            {
                result.Add(text);
            }
        }
        return ok ? result : null;
    }
}
