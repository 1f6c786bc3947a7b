using System.Text.RegularExpressions;
using BlueGreen.Simulator.Asl.Paths;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws.Services.Scheduler;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws.Services.EventBridge;

/// <summary>
/// Amazon EventBridge rules on the account's default event bus. Every event published on
/// <see cref="SimulatedAccount.Events"/> (CloudWatch "Alarm State Change", "Step Functions Execution Status
/// Change", PutEvents) is matched against the enabled rules' <see cref="EventPattern"/>s and delivered to their
/// targets: Step Functions state machines (an execution with the event as input), Lambda functions, SNS
/// topics. Targets may reshape the event with Input, InputPath or InputTransformer. Each delivery is a call through the
/// account's call path by the target's role, retried by its RetryPolicy and sent to its DeadLetterConfig when given up
/// (<see cref="TargetDeliverer"/>). Rules with a ScheduleExpression (rate or cron, UTC) send "Scheduled Event"s on the
/// virtual clock.
/// Reached through <c>arn:aws:states:::aws-sdk:eventbridge:*</c> (errors <c>EventBridge.*</c>).
/// </summary>
/// <remarks>World section <c>eventbridge</c>: <c>rules: [ { name, eventPattern | scheduleExpression, state, description, targets: [ { id, arn, roleArn, input, inputPath, inputTransformer, retryPolicy, deadLetterConfig } ] } ]</c>.</remarks>
public sealed partial class EventBridgeService : AwsServiceBase
{
    private const string DefaultBus = "default";
    private const int MaxTargetsPerRule = 5;

    /// <summary>World-file target members whose contents are payloads or user-chosen names, not API members.</summary>
    private static readonly HashSet<string> OpaqueMembers = new(StringComparer.Ordinal) { "Input", "InputPathsMap" };

    private readonly Dictionary<string, Rule> _rules = new(StringComparer.Ordinal);
    private readonly List<TargetDelivery> _deliveries = [];
    private SimulatedAccount? _account;
    private TargetDeliverer? _deliverer;

    public EventBridgeService()
    {
        On("PutRule", PutRule);
        On("DescribeRule", (p, _) => DescribeRule(RuleOrThrow(Read(p).RequiredString("Name"), Read(p).OptionalString("EventBusName"))));
        On("ListRules", ListRules);
        On("DeleteRule", DeleteRule);
        On("EnableRule", (p, _) => SetState(p, "ENABLED"));
        On("DisableRule", (p, _) => SetState(p, "DISABLED"));
        On("PutTargets", PutTargets);
        On("RemoveTargets", RemoveTargets);
        On("ListTargetsByRule", ListTargetsByRule);
        On("PutEvents", PutEvents);
        On("TestEventPattern", TestEventPattern);
    }

    public override string SdkName => "eventbridge";

    public override string ErrorPrefix => "EventBridge";

    public override string IamPrefix => "events";

    public override string InternalErrorCode => "InternalException";

    /// <summary>Every delivery to a target, in the order each one finished, with its result, attempts and dead-letter fate.</summary>
    public IReadOnlyList<TargetDelivery> Deliveries => _deliveries;

    private SimulatedAccount Account => _account ?? throw new InvalidOperationException("The EventBridge service is not attached to an account.");

    private TargetDeliverer Deliverer => _deliverer ?? throw new InvalidOperationException("The EventBridge service is not attached to an account.");

    public override bool IsReadOnly(string action) => base.IsReadOnly(action) || action == "TestEventPattern";

    public override void Attach(SimulatedAccount account)
    {
        _account = account;
        _deliverer = new TargetDeliverer(account, Ids.ServiceRandom(account, "eventbridge-retries"));
        account.Events.Subscribe(OnEvent);
        account.RegisterEventAction("putEvent", a =>
        {
            var detail = a.GetObject("detail") ?? JObject.Empty;
            account.Events.Publish(
                a.GetString("source") ?? throw new ScenarioException("putEvent needs 'source'"),
                a.GetString("detailType") ?? throw new ScenarioException("putEvent needs 'detailType'"),
                detail,
                [.. a.GetArray("resources")?.OfType<JString>().Select(s => s.Value) ?? []]);
        });
    }

    /// <summary>
    /// Creates (or replaces) a rule on the default bus with one target, from C# (deployments, tests): the
    /// same validation as PutRule and PutTargets, without appearing in the call log. <paramref name="targetSettings"/>
    /// adds target members such as RetryPolicy and DeadLetterConfig.
    /// </summary>
    public void AddRule(string name, JObject eventPattern, string targetArn, string? roleArn = null, JObject? targetSettings = null)
    {
        var context = new AwsCallContext { Account = Account, Cancellation = CancellationToken.None };
        PutRule(JObject.Of(("Name", name), ("State", "ENABLED"), ("EventPattern", eventPattern.ToJson())), context);
        var target = new JObjectBuilder().Add("Id", "target-1").Add("Arn", targetArn);
        if (roleArn is not null)
        {
            target.Add("RoleArn", roleArn);
        }

        foreach (var (member, value) in targetSettings ?? JObject.Empty)
        {
            target.Add(member, value);
        }

        var result = PutTargets(JObject.Of(("Rule", name), ("Targets", JArray.Of(target.Build()))), context);
        if (result.GetNumber("FailedEntryCount") is > 0)
        {
            throw new AwsServiceException("ValidationException", $"Target {targetArn} refused: {result.GetArray("FailedEntries")!.ToJson()}");
        }
    }

    /// <summary>The rules (name to pattern) an event would trigger now; for tests and diagnostics.</summary>
    public IEnumerable<string> RulesMatching(AwsEvent e)
    {
        var json = e.ToJson();
        return _rules.Values.Where(r => r.State == "ENABLED" && r.Pattern?.Matches(json) == true).Select(r => r.Name);
    }

    // ---- rules ----------------------------------------------------------------------------------

    private JObject PutRule(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var name = p.RequiredString("Name");
        CheckBus(p.OptionalString("EventBusName"));
        if (name.Length > 64 || !NameRegex().IsMatch(name))
        {
            throw Invalid($"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
        }

        var patternText = p.OptionalString("EventPattern");
        var scheduleText = p.OptionalString("ScheduleExpression");
        if (patternText is null && scheduleText is null)
        {
            throw Invalid("Parameter(s) EventPattern or ScheduleExpression must be specified.");
        }

        EventPattern? pattern = null;
        if (patternText is not null)
        {
            try
            {
                pattern = EventPattern.Parse(patternText);
            }
            catch (EventPatternException e)
            {
                throw new AwsServiceException("InvalidEventPatternException", e.Message);
            }
        }

        ScheduleExpression? schedule = null;
        if (scheduleText is not null)
        {
            try
            {
                schedule = ScheduleExpression.Parse(scheduleText, forRule: true);
            }
            catch (ScheduleExpressionException)
            {
                throw Invalid("Parameter ScheduleExpression is not valid.");
            }
        }

        var state = p.OptionalString("State") ?? "ENABLED";
        if (state is not ("ENABLED" or "DISABLED" or "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"))
        {
            throw Invalid($"1 validation error detected: Value '{state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]");
        }

        if (!_rules.TryGetValue(name, out var rule))
        {
            rule = new Rule(name, Account.Arn("events", $"rule/{name}"), new Random(Account.Options.Seed ^ StableHash.Of(name)), context.Now);
            _rules[name] = rule;
        }

        rule.Pattern = pattern;
        rule.Schedule = schedule;
        rule.State = state == "DISABLED" ? "DISABLED" : "ENABLED";
        rule.Description = p.OptionalString("Description");
        rule.RoleArn = p.OptionalString("RoleArn");
        ScheduleNext(rule);
        return JObject.Of(("RuleArn", rule.Arn));
    }

    private JObject DescribeRule(Rule rule)
    {
        var o = new JObjectBuilder().Add("Name", rule.Name).Add("Arn", rule.Arn);
        if (rule.Pattern is { } pattern)
        {
            o.Add("EventPattern", pattern.Text);
        }

        if (rule.Schedule is { } schedule)
        {
            o.Add("ScheduleExpression", schedule.Text);
        }

        o.Add("State", rule.State);
        if (rule.Description is { } description)
        {
            o.Add("Description", description);
        }

        if (rule.RoleArn is { } role)
        {
            o.Add("RoleArn", role);
        }

        return o.Add("EventBusName", DefaultBus).Add("CreatedBy", Account.AccountId).Build();
    }

    private JObject ListRules(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        CheckBus(p.OptionalString("EventBusName"));
        var prefix = p.OptionalString("NamePrefix") ?? string.Empty;
        var all = _rules.Values.Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var page = Pagination.Of(all, p.OptionalString("NextToken"), p.OptionalInt("Limit") is > 0 and var limit ? limit : 100, PageTokens.Offsets, t => Invalid($"Invalid NextToken: {t}"));
        return new JObjectBuilder()
            .Add("Rules", JArray.From(page.Items.Select(r => (JValue)DescribeRule(r).Without("CreatedBy"))))
            .Maybe("NextToken", page.NextToken)
            .Build();
    }

    private JObject DeleteRule(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        CheckBus(p.OptionalString("EventBusName"));
        if (!_rules.TryGetValue(p.RequiredString("Name"), out var rule))
        {
            return JObject.Empty; // DeleteRule of a rule that does not exist succeeds.
        }

        if (rule.Targets.Count > 0)
        {
            throw Invalid("Rule can't be deleted since it has targets.");
        }

        rule.Timer?.Cancel();
        _rules.Remove(rule.Name);
        return JObject.Empty;
    }

    private JObject SetState(JObject parameters, string state)
    {
        var p = Read(parameters);
        var rule = RuleOrThrow(p.RequiredString("Name"), p.OptionalString("EventBusName"));
        rule.State = state;
        ScheduleNext(rule);
        return JObject.Empty;
    }

    private Rule RuleOrThrow(string name, string? bus)
    {
        CheckBus(bus);
        return _rules.GetValueOrDefault(name) ?? throw new AwsServiceException("ResourceNotFoundException", $"Rule {name} does not exist on EventBus {DefaultBus}.");
    }

    private void CheckBus(string? bus)
    {
        if (bus is not null && bus != DefaultBus && bus != Account.Arn("events", "event-bus/default"))
        {
            throw new AwsServiceException("ResourceNotFoundException", $"Event bus {bus} does not exist.");
        }
    }

    // ---- targets --------------------------------------------------------------------------------

    private JObject PutTargets(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var rule = RuleOrThrow(p.RequiredString("Rule"), p.OptionalString("EventBusName"));
        var targets = p.Array("Targets").OfType<JObject>().ToList();
        if (targets.Count == 0)
        {
            throw Invalid("1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }

        var failed = new List<JValue>();
        foreach (var t in targets)
        {
            var id = t.GetString("Id") ?? throw Invalid("1 validation error detected: Value null at 'targets.member.id' failed to satisfy constraint: Member must not be null");
            var arn = t.GetString("Arn") ?? throw Invalid("1 validation error detected: Value null at 'targets.member.arn' failed to satisfy constraint: Member must not be null");
            if (id.Length > 64 || !NameRegex().IsMatch(id))
            {
                throw Invalid($"1 validation error detected: Value '{id}' at 'targets.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
            }

            var shapes = new[] { t.ContainsKey("Input"), t.ContainsKey("InputPath"), t.ContainsKey("InputTransformer") }.Count(b => b);
            if (shapes > 1)
            {
                throw Invalid("Only one of Input, InputPath, or InputTransformer must be provided.");
            }

            if (!rule.Targets.ContainsKey(id) && rule.Targets.Count >= MaxTargetsPerRule)
            {
                failed.Add(JObject.Of(("TargetId", id), ("ErrorCode", "LimitExceededException"), ("ErrorMessage", $"The requested resource exceeds the maximum number allowed ({MaxTargetsPerRule} targets per rule).")));
                continue;
            }

            var input = t.GetString("Input");
            if (input is not null && !JValue.TryParse(input, out _, out _))
            {
                throw Invalid($"Target {id}: Input must be valid JSON text.");
            }

            JsonPath? inputPath = null;
            if (t.GetString("InputPath") is { } pathText && (!JsonPath.TryParse(pathText, out inputPath, out _) || inputPath!.Root != PathRoot.Data))
            {
                throw Invalid($"Target {id}: InputPath '{pathText}' is not a valid JSONPath.");
            }

            var transformer = t.GetObject("InputTransformer") is { } it ? InputTransformer.Parse(it, Invalid) : null;
            rule.Targets[id] = new RuleTarget(id, arn, t, input, inputPath, transformer);
        }

        return JObject.Of(("FailedEntryCount", failed.Count), ("FailedEntries", JArray.From(failed)));
    }

    private JObject RemoveTargets(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var rule = RuleOrThrow(p.RequiredString("Rule"), p.OptionalString("EventBusName"));
        var failed = new List<JValue>();
        foreach (var id in p.Strings("Ids"))
        {
            if (!rule.Targets.Remove(id))
            {
                failed.Add(JObject.Of(("TargetId", id), ("ErrorCode", "ResourceNotFoundException"), ("ErrorMessage", $"Target {id} does not exist on rule {rule.Name}.")));
            }
        }

        return JObject.Of(("FailedEntryCount", failed.Count), ("FailedEntries", JArray.From(failed)));
    }

    private JObject ListTargetsByRule(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var rule = RuleOrThrow(p.RequiredString("Rule"), p.OptionalString("EventBusName"));
        return JObject.Of(("Targets", JArray.From(rule.Targets.Values.Select(t => (JValue)t.Raw))));
    }

    // ---- events ---------------------------------------------------------------------------------

    private JObject PutEvents(JObject parameters, AwsCallContext context)
    {
        var entries = Read(parameters).Array("Entries").OfType<JObject>().ToList();
        if (entries.Count is 0 or > 10)
        {
            throw Invalid("1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10");
        }

        var results = new List<JValue>();
        var failed = 0;
        foreach (var entry in entries)
        {
            var error = EntryError(entry);
            if (error is not null)
            {
                failed++;
                results.Add(JObject.Of(("ErrorCode", error.Value.Code), ("ErrorMessage", error.Value.Message)));
                continue;
            }

            var published = context.Account.Events.Publish(
                entry.GetString("Source")!,
                entry.GetString("DetailType")!,
                (JObject)JValue.Parse(entry.GetString("Detail")!),
                [.. entry.GetArray("Resources")?.OfType<JString>().Select(s => s.Value) ?? []]);
            results.Add(JObject.Of(("EventId", published.Id)));
        }

        return JObject.Of(("FailedEntryCount", failed), ("Entries", JArray.From(results)));
    }

    private (string Code, string Message)? EntryError(JObject entry)
    {
        if (entry.GetString("EventBusName") is { } bus && bus != DefaultBus && bus != Account.Arn("events", "event-bus/default"))
        {
            return ("InternalException", $"Event bus {bus} does not exist.");
        }

        foreach (var member in (string[])["Source", "DetailType", "Detail"])
        {
            if (string.IsNullOrEmpty(entry.GetString(member)))
            {
                return ("InvalidArgument", $"Parameter {member} is not valid. Reason: {member} is a required argument.");
            }
        }

        return JValue.TryParse(entry.GetString("Detail")!, out var detail, out _) && detail is JObject
            ? null
            : ("MalformedDetail", "Detail is malformed.");
    }

    private JObject TestEventPattern(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        EventPattern pattern;
        try
        {
            pattern = EventPattern.Parse(p.RequiredString("EventPattern"));
        }
        catch (EventPatternException e)
        {
            throw new AwsServiceException("InvalidEventPatternException", e.Message);
        }

        if (!JValue.TryParse(p.RequiredString("Event"), out var @event, out _) || @event is not JObject o)
        {
            throw Invalid("Parameter Event is not valid.");
        }

        foreach (var member in (string[])["id", "account", "source", "time", "region", "detail-type"])
        {
            if (!o.ContainsKey(member))
            {
                throw Invalid($"Parameter Event is not valid: the event must have '{member}'.");
            }
        }

        return JObject.Of(("Result", pattern.Matches(o)));
    }

    [GeneratedRegex(@"^[\.\-_A-Za-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();

    private sealed class Rule(string name, string arn, Random random, DateTimeOffset created)
    {
        public string Name { get; } = name;

        public string Arn { get; } = arn;

        public Random Random { get; } = random;

        public DateTimeOffset ScheduleAnchor { get; } = created;

        public EventPattern? Pattern { get; set; }

        public ScheduleExpression? Schedule { get; set; }

        public string State { get; set; } = "ENABLED";

        public string? Description { get; set; }

        public string? RoleArn { get; set; }

        public Dictionary<string, RuleTarget> Targets { get; } = new(StringComparer.Ordinal);

        public VirtualScheduler.Timer? Timer { get; set; }
    }

    private sealed record RuleTarget(string Id, string Arn, JObject Raw, string? Input, JsonPath? InputPath, InputTransformer? Transformer);
}
