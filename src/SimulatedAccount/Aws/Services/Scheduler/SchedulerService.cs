using System.Text.RegularExpressions;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws.Services.EventBridge;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Scheduler;

/// <summary>
/// Amazon EventBridge Scheduler: schedules in schedule groups (<c>default</c> always exists) that fire on
/// the virtual clock and invoke their target. Expressions: <c>at(yyyy-mm-ddThh:mm:ss)</c> (one time, in
/// ScheduleExpressionTimezone; a time already past fires at once), <c>rate(n unit)</c> (first at StartDate, or
/// at once when there is none, then every period) and <c>cron(...)</c> (next matching minute in the time zone,
/// daylight saving included), bounded by StartDate and EndDate. FlexibleTimeWindow FLEXIBLE delays each
/// invocation by a seeded random time within the window. ActionAfterCompletion DELETE deletes the schedule
/// after its last invocation. Targets: a state machine ARN (StartExecution with Input), the universal
/// <c>arn:aws:scheduler:::aws-sdk:SERVICE:action</c> (Input holds the API request, e.g. sfn:startExecution),
/// Lambda functions, SNS topics and the default event bus. Input may use the context attributes
/// <c>&lt;aws.scheduler.schedule-arn&gt;</c>, <c>&lt;aws.scheduler.scheduled-time&gt;</c>,
/// <c>&lt;aws.scheduler.execution-id&gt;</c> and <c>&lt;aws.scheduler.attempt-number&gt;</c>. Each invocation is a call
/// through the account's call path by the target's role, retried by its RetryPolicy and sent to its DeadLetterConfig
/// when given up (<see cref="EventBridge.TargetDeliverer"/>).
/// Reached through <c>arn:aws:states:::aws-sdk:scheduler:*</c> (errors <c>Scheduler.*</c>).
/// </summary>
/// <remarks>World section <c>scheduler</c>: <c>groups: [ { name } ], schedules: [ { name, groupName, scheduleExpression, ..., target: { arn, input } } ]</c>.</remarks>
public sealed partial class SchedulerService : AwsServiceBase
{
    public const string UniversalTargetPrefix = "arn:aws:scheduler:::aws-sdk:";
    private const string DefaultGroup = "default";

    /// <summary>World-file members whose contents are payloads, not API members.</summary>
    private static readonly HashSet<string> OpaqueMembers = new(StringComparer.Ordinal) { "Input", "Tags" };

    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, string Name), Schedule> _schedules = [];
    private readonly List<TargetDelivery> _invocations = [];
    private SimulatedAccount? _account;
    private TargetDeliverer? _deliverer;
    private Random _random = new(0);

    public SchedulerService()
    {
        On("CreateSchedule", CreateSchedule);
        On("UpdateSchedule", UpdateSchedule);
        On("GetSchedule", (p, _) => Describe(ScheduleOrThrow(Read(p).RequiredString("Name"), Read(p).OptionalString("GroupName"))));
        On("DeleteSchedule", DeleteSchedule);
        On("ListSchedules", ListSchedules);
        On("CreateScheduleGroup", CreateScheduleGroup);
        On("GetScheduleGroup", (p, _) => DescribeGroup(GroupOrThrow(Read(p).RequiredString("Name"))));
        On("DeleteScheduleGroup", DeleteScheduleGroup);
        On("ListScheduleGroups", ListScheduleGroups);
    }

    public override string SdkName => "scheduler";

    public override string ErrorPrefix => "Scheduler";

    public override string IamPrefix => "scheduler";

    public override string InternalErrorCode => "InternalServerException";

    /// <summary>Every target invocation, in the order each one finished, with its result (the execution ARN, or the error), attempts and dead-letter fate.</summary>
    public IReadOnlyList<TargetDelivery> Invocations => _invocations;

    /// <summary>The ARNs of the schedules that exist now.</summary>
    public IEnumerable<string> ScheduleArns => _schedules.Values.Select(s => s.Arn);

    /// <summary>Invocations started and not yet finished, some waiting for a retry (a rehearsal waits for them).</summary>
    public int InvocationsInProgress => _deliverer?.InProgress ?? 0;

    private SimulatedAccount Account => _account ?? throw new InvalidOperationException("The Scheduler service is not attached to an account.");

    private TargetDeliverer Deliverer => _deliverer ?? throw new InvalidOperationException("The Scheduler service is not attached to an account.");

    public override void Attach(SimulatedAccount account)
    {
        _account = account;
        _random = Ids.ServiceRandom(account, "scheduler");
        _deliverer = new TargetDeliverer(account, Ids.ServiceRandom(account, "scheduler-retries"));
        _groups[DefaultGroup] = new Group(DefaultGroup, account.Arn("scheduler", $"schedule-group/{DefaultGroup}"), account.Scheduler.Now);
    }

    // ---- schedules ------------------------------------------------------------------------------

    private JObject CreateSchedule(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var name = p.RequiredString("Name");
        var group = GroupOrThrow(p.OptionalString("GroupName") ?? DefaultGroup);
        ValidateName(name, "name");
        var clientToken = p.OptionalString("ClientToken");
        if (_schedules.TryGetValue((group.Name, name), out var existing))
        {
            // A retried request (same ClientToken) answers as the first did.
            return clientToken is not null && existing.ClientToken == clientToken
                ? JObject.Of(("ScheduleArn", existing.Arn))
                : throw new AwsServiceException("ConflictException", $"Schedule {name} already exists.");
        }

        var schedule = new Schedule(name, group.Name, Account.Arn("scheduler", $"schedule/{group.Name}/{name}"), context.Now) { ClientToken = clientToken };
        Configure(schedule, p, context.Now);
        _schedules[(group.Name, name)] = schedule;
        Arm(schedule);
        return JObject.Of(("ScheduleArn", schedule.Arn));
    }

    private JObject UpdateSchedule(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var schedule = ScheduleOrThrow(p.RequiredString("Name"), p.OptionalString("GroupName"));
        Configure(schedule, p, context.Now);
        schedule.LastModificationDate = context.Now;
        Arm(schedule);
        return JObject.Of(("ScheduleArn", schedule.Arn));
    }

    /// <summary>Applies a Create/UpdateSchedule request (UpdateSchedule replaces every setting, as on AWS).</summary>
    private void Configure(Schedule schedule, Params p, DateTimeOffset now)
    {
        var expressionText = p.RequiredString("ScheduleExpression");
        ScheduleExpression expression;
        try
        {
            expression = ScheduleExpression.Parse(expressionText);
        }
        catch (ScheduleExpressionException e)
        {
            throw Invalid($"Invalid Schedule Expression {expressionText}. {e.Message}");
        }

        var zoneId = p.OptionalString("ScheduleExpressionTimezone") ?? "UTC";
        TimeZoneInfo zone;
        try
        {
            zone = zoneId == "UTC" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw Invalid($"Invalid Schedule Expression Timezone {zoneId}.");
        }

        DateTimeOffset? Date(string member)
        {
            var value = p.Raw[member];
            if (value is null)
            {
                return null;
            }

            return ApiValues.TryReadTimestamp(value, out var t) ? t : throw Invalid($"{member} is not a valid timestamp.");
        }

        var start = Date("StartDate");
        var end = Date("EndDate");
        if (start is { } s && end is { } e2 && e2 <= s)
        {
            throw Invalid("The EndDate must be after the StartDate.");
        }

        if (end is { } endDate && endDate < now && !expression.IsOneTime)
        {
            throw Invalid("The EndDate you specify cannot be earlier than the current time.");
        }

        var window = p.OptionalObject("FlexibleTimeWindow") ?? throw Invalid("1 validation error detected: Value null at 'flexibleTimeWindow' failed to satisfy constraint: Member must not be null");
        var mode = window.GetString("Mode");
        var maximum = window.GetNumber("MaximumWindowInMinutes");
        switch (mode)
        {
            case "OFF" when maximum is null:
                break;
            case "OFF":
                throw Invalid("MaximumWindowInMinutes must not be set when FlexibleTimeWindow Mode is OFF.");
            case "FLEXIBLE" when maximum is >= 1 and <= 1440:
                break;
            case "FLEXIBLE":
                throw Invalid("MaximumWindowInMinutes must be between 1 and 1440 when FlexibleTimeWindow Mode is FLEXIBLE.");
            default:
                throw Invalid($"1 validation error detected: Value '{mode}' at 'flexibleTimeWindow.mode' failed to satisfy constraint: Member must satisfy enum value set: [OFF, FLEXIBLE]");
        }

        var target = p.OptionalObject("Target") ?? throw Invalid("1 validation error detected: Value null at 'target' failed to satisfy constraint: Member must not be null");
        if (target.GetString("Arn") is not { Length: > 0 } || target.GetString("RoleArn") is not { Length: > 0 })
        {
            throw Invalid("Target Arn and RoleArn are required.");
        }

        var state = p.OptionalString("State") ?? "ENABLED";
        var after = p.OptionalString("ActionAfterCompletion") ?? "NONE";
        if (state is not ("ENABLED" or "DISABLED") || after is not ("NONE" or "DELETE"))
        {
            throw Invalid("State must be ENABLED or DISABLED, and ActionAfterCompletion NONE or DELETE.");
        }

        schedule.Expression = expression;
        schedule.ZoneId = zoneId;
        schedule.Zone = zone;
        schedule.StartDate = start;
        schedule.EndDate = end;
        schedule.Description = p.OptionalString("Description");
        schedule.State = state;
        schedule.Window = window;
        schedule.Target = target;
        schedule.ActionAfterCompletion = after;
        schedule.KmsKeyArn = p.OptionalString("KmsKeyArn");
        schedule.Anchor = now;
        schedule.LastOccurrence = null;
        schedule.Fired = false;
    }

    private JObject DeleteSchedule(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        Remove(ScheduleOrThrow(p.RequiredString("Name"), p.OptionalString("GroupName")));
        return JObject.Empty;
    }

    private void Remove(Schedule schedule)
    {
        schedule.Timer?.Cancel();
        schedule.Timer = null;
        _schedules.Remove((schedule.Group, schedule.Name));
    }

    private static JObject Describe(Schedule s)
    {
        var o = new JObjectBuilder()
            .Add("ActionAfterCompletion", s.ActionAfterCompletion)
            .Add("Arn", s.Arn)
            .Add("CreationDate", ApiValues.Timestamp(s.CreationDate));
        if (s.Description is { } description)
        {
            o.Add("Description", description);
        }

        if (s.EndDate is { } end)
        {
            o.Add("EndDate", ApiValues.Timestamp(end));
        }

        o.Add("FlexibleTimeWindow", s.Window).Add("GroupName", s.Group);
        if (s.KmsKeyArn is { } kms)
        {
            o.Add("KmsKeyArn", kms);
        }

        o.Add("LastModificationDate", ApiValues.Timestamp(s.LastModificationDate))
            .Add("Name", s.Name)
            .Add("ScheduleExpression", s.Expression.Text)
            .Add("ScheduleExpressionTimezone", s.ZoneId);
        if (s.StartDate is { } start)
        {
            o.Add("StartDate", ApiValues.Timestamp(start));
        }

        return o.Add("State", s.State).Add("Target", WithDefaultRetryPolicy(s.Target)).Build();
    }

    /// <summary>The policy invocations are retried by (<see cref="TargetRetryPolicy.Default"/> when the target has none).</summary>
    private static JObject WithDefaultRetryPolicy(JObject target) =>
        target.ContainsKey("RetryPolicy") ? target : target.With("RetryPolicy", JObject.Of(
            ("MaximumEventAgeInSeconds", TargetRetryPolicy.Default.MaximumEventAgeInSeconds), ("MaximumRetryAttempts", TargetRetryPolicy.Default.MaximumRetryAttempts)));

    private JObject ListSchedules(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var group = p.OptionalString("GroupName");
        if (group is not null)
        {
            GroupOrThrow(group);
        }

        var prefix = p.OptionalString("NamePrefix") ?? string.Empty;
        var state = p.OptionalString("State");
        var all = _schedules.Values
            .Where(s => (group is null || s.Group == group) && s.Name.StartsWith(prefix, StringComparison.Ordinal) && (state is null || s.State == state))
            .OrderBy(s => s.Group, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var page = Pagination.Of(all, p.OptionalString("NextToken"), p.OptionalInt("MaxResults") is > 0 and var max ? max : 100, PageTokens.Offsets, t => Invalid($"Invalid NextToken {t}."));
        var response = new JObjectBuilder().Add("Schedules", JArray.From(page.Items.Select(s => (JValue)JObject.Of(
            ("Arn", s.Arn),
            ("CreationDate", ApiValues.Timestamp(s.CreationDate)),
            ("GroupName", s.Group),
            ("LastModificationDate", ApiValues.Timestamp(s.LastModificationDate)),
            ("Name", s.Name),
            ("State", s.State),
            ("Target", JObject.Of(("Arn", s.Target.GetString("Arn")!)))))));
        return response.Maybe("NextToken", page.NextToken).Build();
    }

    private Schedule ScheduleOrThrow(string name, string? groupName)
    {
        var group = GroupOrThrow(groupName ?? DefaultGroup);
        return _schedules.GetValueOrDefault((group.Name, name)) ?? throw new AwsServiceException("ResourceNotFoundException", $"Schedule {name} does not exist.");
    }

    // ---- groups ---------------------------------------------------------------------------------

    private JObject CreateScheduleGroup(JObject parameters, AwsCallContext context)
    {
        var name = Read(parameters).RequiredString("Name");
        ValidateName(name, "name");
        if (_groups.ContainsKey(name))
        {
            throw new AwsServiceException("ConflictException", $"Schedule group {name} already exists.");
        }

        var group = new Group(name, Account.Arn("scheduler", $"schedule-group/{name}"), context.Now);
        _groups[name] = group;
        return JObject.Of(("ScheduleGroupArn", group.Arn));
    }

    private JObject DeleteScheduleGroup(JObject parameters, AwsCallContext context)
    {
        var group = GroupOrThrow(Read(parameters).RequiredString("Name"));
        if (group.Name == DefaultGroup)
        {
            throw Invalid("You cannot delete the default group.");
        }

        foreach (var schedule in _schedules.Values.Where(s => s.Group == group.Name).ToList())
        {
            Remove(schedule);
        }

        _groups.Remove(group.Name);
        return JObject.Empty;
    }

    private JObject ListScheduleGroups(JObject parameters, AwsCallContext context)
    {
        var prefix = Read(parameters).OptionalString("NamePrefix") ?? string.Empty;
        return JObject.Of(("ScheduleGroups", JArray.From(_groups.Values.Where(g => g.Name.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(g => g.Name, StringComparer.Ordinal).Select(g => (JValue)DescribeGroup(g)))));
    }

    private static JObject DescribeGroup(Group g) => JObject.Of(
        ("Arn", g.Arn),
        ("CreationDate", ApiValues.Timestamp(g.Created)),
        ("LastModificationDate", ApiValues.Timestamp(g.Created)),
        ("Name", g.Name),
        ("State", "ACTIVE"));

    private Group GroupOrThrow(string name) =>
        _groups.GetValueOrDefault(name) ?? throw new AwsServiceException("ResourceNotFoundException", $"Schedule group {name} does not exist.");

    private void ValidateName(string name, string member)
    {
        if (name.Length is 0 or > 64 || !NameRegex().IsMatch(name))
        {
            throw Invalid($"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+");
        }
    }

    [GeneratedRegex(@"^[0-9a-zA-Z\-_.]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();

    private sealed record Group(string Name, string Arn, DateTimeOffset Created);

    private sealed class Schedule(string name, string group, string arn, DateTimeOffset created)
    {
        public string Name { get; } = name;

        public string Group { get; } = group;

        public string Arn { get; } = arn;

        public DateTimeOffset CreationDate { get; } = created;

        public DateTimeOffset LastModificationDate { get; set; } = created;

        public ScheduleExpression Expression { get; set; } = null!;

        public string ZoneId { get; set; } = "UTC";

        public TimeZoneInfo Zone { get; set; } = TimeZoneInfo.Utc;

        public DateTimeOffset? StartDate { get; set; }

        public DateTimeOffset? EndDate { get; set; }

        public string? Description { get; set; }

        public string State { get; set; } = "ENABLED";

        public JObject Window { get; set; } = JObject.Empty;

        public JObject Target { get; set; } = JObject.Empty;

        public string ActionAfterCompletion { get; set; } = "NONE";

        public string? KmsKeyArn { get; set; }

        public string? ClientToken { get; init; }

        /// <summary>When a rate schedule without StartDate starts: its creation (or last update).</summary>
        public DateTimeOffset Anchor { get; set; } = created;

        public DateTimeOffset? LastOccurrence { get; set; }

        public bool Fired { get; set; }

        public VirtualScheduler.Timer? Timer { get; set; }
    }
}
