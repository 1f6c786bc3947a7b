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
        var planSteps = StrategyPresets.ToPlanSteps(steps.Value.Steps, alarms.PollSeconds);
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
            Strategy = new StrategyPlan { Name = steps.Value.Name, Steps = planSteps },
            Alarms = alarms,
            Health = health,
            Approvals = approvals,
            Hooks = hooks,
            GitOps = gitops is { } g ? GitOpsPlan.For(g.SecretName, g.Labels, runId) : null,
            Blue = blue,
            Green = green,
            Records = RunRecordKeys.For(blueName, execution.StartedAt, runId, ClusterLockLease.SecondsFor(health, approvals, planSteps)),
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
}
