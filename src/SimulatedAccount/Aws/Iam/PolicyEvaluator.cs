using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace BlueGreen.Simulator.Aws.Iam;

/// <summary>
/// The request context of one authorization: condition keys (case-insensitive, as IAM treats key names) with their
/// values. Single-valued keys hold one value; <c>aws:TagKeys</c> holds one per tag.
/// </summary>
public sealed class RequestContext
{
    private readonly Dictionary<string, IReadOnlyList<string>> _keys = new(StringComparer.OrdinalIgnoreCase);

    public static RequestContext Empty => new();

    public IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> Keys => _keys;

    public RequestContext With(string key, string value) => With(key, [value]);

    public RequestContext With(string key, IReadOnlyList<string> values)
    {
        var copy = Copy();
        copy._keys[key] = values;
        return copy;
    }

    /// <summary><c>aws:RequestTag/K</c> for each tag and <c>aws:TagKeys</c> listing their keys (a request that sends tags).</summary>
    public RequestContext WithRequestTags(IReadOnlyDictionary<string, string> tags)
    {
        if (tags.Count == 0)
        {
            return this;
        }

        var copy = Copy();
        foreach (var (key, value) in tags)
        {
            copy._keys["aws:RequestTag/" + key] = [value];
        }

        copy._keys["aws:TagKeys"] = tags.Keys.ToList();
        return copy;
    }

    /// <summary><c>aws:ResourceTag/K</c> for each tag the resource carries.</summary>
    public RequestContext WithResourceTags(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null || tags.Count == 0)
        {
            return this;
        }

        var copy = Copy();
        foreach (var (key, value) in tags)
        {
            copy._keys["aws:ResourceTag/" + key] = [value];
        }

        return copy;
    }

    public bool TryGet(string key, out IReadOnlyList<string> values) => _keys.TryGetValue(key, out values!);

    private RequestContext Copy()
    {
        var copy = new RequestContext();
        foreach (var (k, v) in _keys)
        {
            copy._keys[k] = v;
        }

        return copy;
    }
}

/// <summary>One action on one resource, asked of a principal's policies.</summary>
public sealed record AuthorizationRequest(string Action, string Resource, RequestContext Context)
{
    public override string ToString() => $"{Action} on {Resource}";
}

public enum AuthorizationDecision
{
    Allowed,

    /// <summary>No statement allows it (the default of every request).</summary>
    ImplicitDeny,

    /// <summary>A Deny statement matches; nothing can allow it then.</summary>
    ExplicitDeny,
}

/// <summary>The decision, and the statement that made it (the Allow or Deny that matched; none for an implicit deny).</summary>
public sealed record AuthorizationResult(AuthorizationDecision Decision, PolicyDocument? Policy, PolicyStatement? Statement)
{
    public bool IsAllowed => Decision == AuthorizationDecision.Allowed;
}

/// <summary>
/// Evaluates identity-based policies the way IAM does within one account (IAM User Guide, "Policy evaluation logic"):
/// an explicit Deny wins, then any Allow, otherwise the request is implicitly denied. Actions match case-insensitively
/// with <c>*</c> and <c>?</c>; resources match as ARNs (<see cref="ArnMatches"/>); conditions as
/// <see cref="ConditionMatches"/> describes. Permissions boundaries, SCPs and session policies are not modelled.
/// </summary>
public static partial class PolicyEvaluator
{
    public static AuthorizationResult Evaluate(IEnumerable<PolicyDocument> policies, AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(request);
        AuthorizationResult? allowed = null;
        foreach (var policy in policies)
        {
            foreach (var statement in policy.Statements)
            {
                if (!Applies(statement, request))
                {
                    continue;
                }

                if (statement.Effect == PolicyEffect.Deny)
                {
                    return new AuthorizationResult(AuthorizationDecision.ExplicitDeny, policy, statement);
                }

                allowed ??= new AuthorizationResult(AuthorizationDecision.Allowed, policy, statement);
            }
        }

        return allowed ?? new AuthorizationResult(AuthorizationDecision.ImplicitDeny, null, null);
    }

    /// <summary>True when the statement covers the action and resource and every one of its conditions holds.</summary>
    public static bool Applies(PolicyStatement statement, AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(request);
        var actionMatches = statement.Actions is { } actions
            ? actions.Any(a => ActionMatches(a, request.Action))
            : !statement.NotActions!.Any(a => ActionMatches(a, request.Action));
        if (!actionMatches)
        {
            return false;
        }

        // Trust policies name principals instead of resources; their callers check the principal themselves.
        var resourceMatches = statement.Resources is { } resources
            ? resources.Any(r => ArnMatches(r, request.Resource))
            : statement.NotResources is not { } notResources || !notResources.Any(r => ArnMatches(r, request.Resource));
        return resourceMatches && statement.Conditions.All(c => ConditionMatches(c, request.Context));
    }

    /// <summary>Actions are <c>service:Name</c>, compared without regard to case; <c>*</c> and <c>?</c> are wildcards.</summary>
    public static bool ActionMatches(string pattern, string action) => Glob(pattern, action, ignoreCase: true, arn: false);

    /// <summary>
    /// A resource pattern against an ARN (IAM User Guide, "IAM JSON policy elements: Resource" and "Condition operators",
    /// ARN operators): <c>*</c> alone matches every resource; otherwise partition, service, Region and account are
    /// matched one by one (<c>*</c> any characters, <c>?</c> one, never crossing a colon), and the resource part, which
    /// may itself hold colons (<c>function:NAME:live</c>), as a whole. Case-sensitive.
    /// </summary>
    public static bool ArnMatches(string pattern, string arn)
    {
        if (pattern == "*")
        {
            return true;
        }

        var p = pattern.Split(':', 6);
        var a = arn.Split(':', 6);
        if (p.Length != 6 || a.Length != 6)
        {
            // Not an ARN (or a pattern with too few segments): only an exact match.
            return string.Equals(pattern, arn, StringComparison.Ordinal);
        }

        for (var i = 0; i < 5; i++)
        {
            if (!Glob(p[i], a[i], ignoreCase: false, arn: true))
            {
                return false;
            }
        }

        return Glob(p[5], a[5], ignoreCase: false, arn: false);
    }

    /// <summary>
    /// One condition against the request context (IAM User Guide, "Condition operators" and "Multivalued context keys"):
    /// <list type="bullet">
    /// <item>values listed for one key are ORed; the request's value must match one of them;</item>
    /// <item>a key absent from the request makes a positive operator false and a negated one (<c>...Not...</c>) true;
    /// <c>...IfExists</c> is true when the key is absent; <c>Null</c> tests presence;</item>
    /// <item><c>ForAnyValue:</c> is true when any request value matches (false for no values); <c>ForAllValues:</c> when
    /// every request value matches (true for no values).</item>
    /// </list>
    /// </summary>
    /// <exception cref="NotSupportedException">An operator this simulator does not evaluate (never silently true).</exception>
    public static bool ConditionMatches(PolicyCondition condition, RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(context);
        var op = condition.Operator;
        var set = op.StartsWith("ForAnyValue:", StringComparison.OrdinalIgnoreCase) ? SetOperator.Any
            : op.StartsWith("ForAllValues:", StringComparison.OrdinalIgnoreCase) ? SetOperator.All
            : SetOperator.None;
        if (set != SetOperator.None)
        {
            op = op[(op.IndexOf(':', StringComparison.Ordinal) + 1)..];
        }

        var ifExists = op.EndsWith("IfExists", StringComparison.Ordinal);
        if (ifExists)
        {
            op = op[..^"IfExists".Length];
        }

        var present = context.TryGet(condition.Key, out var requestValues) && requestValues.Count > 0;
        if (op == "Null")
        {
            var wantsAbsent = condition.Values.Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase));
            return wantsAbsent != present;
        }

        var (compare, negated) = Comparison(op);
        if (!present)
        {
            return set switch
            {
                SetOperator.All => true,
                SetOperator.Any => false,
                _ => ifExists || negated,
            };
        }

        bool MatchesAny(string value) => condition.Values.Any(expected => compare(value, expected));
        return (set, negated) switch
        {
            (SetOperator.All, false) => requestValues.All(MatchesAny),
            (SetOperator.All, true) => requestValues.All(v => !MatchesAny(v)),
            (SetOperator.Any, true) => requestValues.Any(v => !MatchesAny(v)),
            (_, false) => requestValues.Any(MatchesAny),
            (_, true) => !requestValues.Any(MatchesAny),
        };
    }

    private enum SetOperator
    {
        None,
        Any,
        All,
    }

    private static (Func<string, string, bool> Compare, bool Negated) Comparison(string op) => op switch
    {
        "StringEquals" => (string.Equals, false),
        "StringNotEquals" => (string.Equals, true),
        "StringEqualsIgnoreCase" => ((a, b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase), false),
        "StringNotEqualsIgnoreCase" => ((a, b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase), true),
        "StringLike" => ((value, pattern) => Glob(pattern, value, ignoreCase: false, arn: false), false),
        "StringNotLike" => ((value, pattern) => Glob(pattern, value, ignoreCase: false, arn: false), true),
        // "ArnEquals and ArnLike behave identically" (Condition operators, "Amazon Resource Name (ARN) condition operators").
        "ArnEquals" or "ArnLike" => ((value, pattern) => ArnMatches(pattern, value), false),
        "ArnNotEquals" or "ArnNotLike" => ((value, pattern) => ArnMatches(pattern, value), true),
        "Bool" => ((a, b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase), false),
        "NumericEquals" => (Numeric((a, b) => a == b), false),
        "NumericNotEquals" => (Numeric((a, b) => a == b), true),
        "NumericLessThan" => (Numeric((a, b) => a < b), false),
        "NumericLessThanEquals" => (Numeric((a, b) => a <= b), false),
        "NumericGreaterThan" => (Numeric((a, b) => a > b), false),
        "NumericGreaterThanEquals" => (Numeric((a, b) => a >= b), false),
        _ => throw new NotSupportedException($"The simulated IAM does not evaluate the condition operator {op}; add it to {nameof(PolicyEvaluator)}."),
    };

    private static Func<string, string, bool> Numeric(Func<double, double, bool> compare) =>
        (a, b) => double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
            && compare(x, y);

    private static readonly Dictionary<(string, bool, bool), Regex> Patterns = [];

    private static bool Glob(string pattern, string value, bool ignoreCase, bool arn)
    {
        if (pattern == "*")
        {
            return true;
        }

        if (!pattern.Contains('*', StringComparison.Ordinal) && !pattern.Contains('?', StringComparison.Ordinal))
        {
            return string.Equals(pattern, value, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        }

        Regex? regex;
        lock (Patterns)
        {
            if (!Patterns.TryGetValue((pattern, ignoreCase, arn), out regex))
            {
                regex = new Regex(ToRegex(pattern, arn), RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None));
                Patterns[(pattern, ignoreCase, arn)] = regex;
            }
        }

        return regex.IsMatch(value);
    }

    /// <summary>A glob as a regular expression; within one ARN segment (<paramref name="segment"/>) no wildcard crosses a colon.</summary>
    private static string ToRegex(string pattern, bool segment)
    {
        var sb = new StringBuilder("^");
        foreach (var c in pattern)
        {
            sb.Append(c switch
            {
                '*' => segment ? "[^:]*" : ".*",
                '?' => segment ? "[^:]" : ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return sb.Append("\\z").ToString();
    }
}
