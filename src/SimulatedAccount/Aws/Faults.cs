using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws;

/// <summary>What an injected fault does.</summary>
public enum FaultKind
{
    /// <summary>The service's throttling error (retryable).</summary>
    Throttle,

    /// <summary>The service's internal-failure error.</summary>
    Internal,

    /// <summary>A named error code with a message.</summary>
    Error,

    /// <summary>The call succeeds after extra virtual latency.</summary>
    Latency,
}

/// <summary>
/// One fault rule from a scenario: which calls (<c>eks:CreateCluster</c>, or <c>eks:*</c>) it hits, optionally only
/// those one state makes (<see cref="State"/>: a workflow's shape may change without the scenario's meaning changing),
/// when (the nth of those calls, or with a seeded probability, optionally only within a window of virtual time:
/// <see cref="From"/> and <see cref="Until"/>, measured from the scenario's start), and how often at most.
/// </summary>
public sealed record FaultRule(
    string Target,
    FaultKind Kind,
    IReadOnlyList<int>? OnCalls = null,
    double? Probability = null,
    int? Times = null,
    string? Error = null,
    string? Message = null,
    double LatencySeconds = 0,
    string? State = null,
    TimeSpan? From = null,
    TimeSpan? Until = null)
{
    /// <summary>Whether a call made <paramref name="elapsed"/> after the scenario's start falls in the window (no window: always).</summary>
    public bool IsActiveAt(TimeSpan? elapsed) =>
        elapsed is not { } at || ((From is null || at >= From) && (Until is null || at < Until));

    /// <summary>The service error this fault raises on <paramref name="service"/> (not for <see cref="FaultKind.Latency"/>).</summary>
    public AwsServiceException ToServiceError(IAwsService service) => Kind switch
    {
        FaultKind.Throttle => new AwsServiceException(service.ThrottlingErrorCode, Message ?? "Rate exceeded"),
        FaultKind.Internal => new AwsServiceException(service.InternalErrorCode, Message ?? "We encountered an internal error. Please try again."),
        FaultKind.Error => new AwsServiceException(Error!, Message ?? $"Injected {Error}"),
        _ => throw new InvalidOperationException($"A {Kind} fault raises no error."),
    };

    /// <summary>
    /// What is wrong with this rule in <paramref name="account"/>: a target naming no simulated service or
    /// action, or an error code that none of the targeted services has (neither in its API model nor
    /// among the codes the simulated service raises itself).
    /// </summary>
    public IEnumerable<string> ProblemsIn(SimulatedAccount account)
    {
        var colon = Target.IndexOf(':', StringComparison.Ordinal);
        var (prefix, action) = Target == "*" ? ("*", "*") : colon > 0 ? (Target[..colon], Target[(colon + 1)..]) : (Target, string.Empty);
        var services = prefix == "*" ? account.Services.ToList() : account.Services.Where(s => s.IamPrefix == prefix).ToList();
        if (services.Count == 0)
        {
            yield return $"target '{Target}' names no simulated service (use IAM-style service:Action, service:* or *; services: {string.Join(", ", account.Services.Select(s => s.IamPrefix).Distinct().Order(StringComparer.Ordinal))})";
            yield break;
        }

        if (action.Length == 0 || (action != "*" && !services.Any(s => s.AcceptsFaultOn(action))))
        {
            var actions = services.SelectMany(s => s.FaultActions).Distinct().Order(StringComparer.Ordinal);
            yield return $"target '{Target}' names no action of {prefix} (actions: {string.Join(", ", actions)})";
            yield break;
        }

        if (Kind == FaultKind.Error && !services.Any(s => s.HasErrorCode(Error!, action, account.Validator)))
        {
            var own = services.SelectMany(s => s.OwnErrorCodes).Distinct().Order(StringComparer.Ordinal);
            yield return $"error '{Error}' is not an error of {(prefix == "*" ? "any simulated service" : prefix)}: not in its API model, nor one the simulator raises ({string.Join(", ", own)})";
        }
    }

    public bool Matches(string service, string action, string? state = null) =>
        (Target == $"{service}:{action}" || Target == $"{service}:*" || Target == "*") && (State is null || State == state);

    /// <summary>
    /// Reads one entry of a scenario's <c>faults</c>; <c>from</c> and <c>until</c> are times as events give them (<c>90s</c>,
    /// <c>20m</c>, seconds, or an ISO 8601 timestamp, which needs the scenario's <paramref name="start"/>).
    /// </summary>
    public static FaultRule Parse(JObject o, int index, DateTimeOffset? start = null)
    {
        string Problem(string what) => $"faults[{index}]: {what}";
        var target = o.GetString("target") ?? throw new ScenarioException(Problem("'target' (service:action) is required"));
        var kindText = o.GetString("kind") ?? (o.ContainsKey("error") ? "error" : "throttle");
        var kind = kindText switch
        {
            "throttle" => FaultKind.Throttle,
            "internal" => FaultKind.Internal,
            "error" => FaultKind.Error,
            "latency" => FaultKind.Latency,
            _ => throw new ScenarioException(Problem($"unknown kind '{kindText}' (throttle, internal, error, latency)")),
        };
        if (kind == FaultKind.Error && o.GetString("error") is null)
        {
            throw new ScenarioException(Problem("kind 'error' needs 'error' (the service's error code)"));
        }

        var onCalls = o.GetArray("onCalls")?.Select(v => (int)v.AsNumber()).ToList();
        if (o.GetNumber("onCall") is { } single)
        {
            onCalls = [(int)single];
        }

        var probability = o.GetNumber("probability");
        if (probability is < 0 or > 1)
        {
            throw new ScenarioException(Problem("probability must be between 0 and 1"));
        }

        TimeSpan? Offset(string member)
        {
            if (o[member] is not { } value)
            {
                return null;
            }

            try
            {
                return Scenario.ParseOffset(value, start ?? new AccountOptions().Start);
            }
            catch (ScenarioException e)
            {
                throw new ScenarioException(Problem($"{member}: {e.Message}"));
            }
        }

        var (from, until) = (Offset("from"), Offset("until"));
        if (from is { } f && until is { } u && u <= f)
        {
            throw new ScenarioException(Problem("'until' must be later than 'from'"));
        }

        return new FaultRule(target, kind, onCalls, probability, (int?)o.GetNumber("times"), o.GetString("error"), o.GetString("message"), o.GetNumber("latencySeconds") ?? 0, o.GetString("state"), from, until);
    }
}

/// <summary>Decides, call by call, which fault (if any) applies. Deterministic for a given seed.</summary>
public sealed class FaultInjector(int seed)
{
    private readonly List<(FaultRule Rule, Random Random, int Injected)> _rules = [];
    private readonly Dictionary<string, int> _callCounts = new(StringComparer.Ordinal);

    public void Add(FaultRule rule) => _rules.Add((rule, new Random(seed ^ StableHash.Of(rule.Target) ^ _rules.Count), 0));

    public IEnumerable<FaultRule> Rules => _rules.Select(r => r.Rule);

    /// <summary>
    /// Counts the call (made by state <paramref name="state"/>, when a state machine makes it, <paramref name="elapsed"/>
    /// after the scenario's start) and returns the first fault that fires for it. A rule naming a state counts only that
    /// state's calls; a rule with a window fires only for calls made within it.
    /// </summary>
    public FaultRule? Next(string service, string action, string? state = null, TimeSpan? elapsed = null)
    {
        var key = $"{service}:{action}";
        var n = _callCounts[key] = _callCounts.GetValueOrDefault(key) + 1;
        var inState = state is null ? 0 : _callCounts[key + "@" + state] = _callCounts.GetValueOrDefault(key + "@" + state) + 1;
        for (var i = 0; i < _rules.Count; i++)
        {
            var (rule, random, injected) = _rules[i];
            if (!rule.Matches(service, action, state) || !rule.IsActiveAt(elapsed) || (rule.Times is { } max && injected >= max))
            {
                continue;
            }

            var nth = rule.State is null ? n : inState;
            var fires = rule.OnCalls is { } calls ? calls.Contains(nth) : random.NextDouble() < (rule.Probability ?? 1.0);
            if (fires)
            {
                _rules[i] = (rule, random, injected + 1);
                return rule;
            }
        }

        return null;
    }
}
