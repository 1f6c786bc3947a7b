using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Iam;

public enum PolicyEffect
{
    Allow,
    Deny,
}

/// <summary>One condition of a statement: <c>"StringEquals": { "aws:RequestTag/team": ["a", "b"] }</c> is one condition.</summary>
/// <param name="Operator">As written, with any <c>ForAnyValue:</c>/<c>ForAllValues:</c> prefix and <c>IfExists</c> suffix.</param>
/// <param name="Key">The condition key (case-insensitive).</param>
public sealed record PolicyCondition(string Operator, string Key, IReadOnlyList<string> Values);

/// <summary>
/// One statement of an identity-based policy. Exactly one of <see cref="Actions"/>/<see cref="NotActions"/> and one of
/// <see cref="Resources"/>/<see cref="NotResources"/> is set; conditions are ANDed (IAM User Guide, "IAM JSON policy
/// elements": Action, NotAction, Resource, NotResource, Condition).
/// </summary>
public sealed record PolicyStatement(
    string? Sid,
    PolicyEffect Effect,
    IReadOnlyList<string>? Actions,
    IReadOnlyList<string>? NotActions,
    IReadOnlyList<string>? Resources,
    IReadOnlyList<string>? NotResources,
    IReadOnlyList<PolicyCondition> Conditions,
    IReadOnlyList<string> Principals)
{
    public string Describe(string policyName) => Sid is null ? policyName : $"{policyName} (statement {Sid})";
}

/// <summary>A named policy document: an inline policy, a customer-managed policy, or a trust policy.</summary>
public sealed record PolicyDocument(string Name, IReadOnlyList<PolicyStatement> Statements)
{
    /// <summary>
    /// Reads the IAM JSON policy grammar (<c>Version</c>, <c>Statement</c> as an object or a list; <c>Action</c>,
    /// <c>Resource</c> and condition values as a string or a list). Every problem is reported at once.
    /// </summary>
    /// <exception cref="FormatException">The document breaks the grammar.</exception>
    public static PolicyDocument Parse(string name, JValue document)
    {
        var problems = new List<string>();
        var statements = new List<PolicyStatement>();
        if (document is not JObject root)
        {
            throw new FormatException($"Policy {name}: the document must be a JSON object.");
        }

        var list = root["Statement"] switch
        {
            JArray a => a.ToList(),
            JObject o => [o],
            _ => null,
        };
        if (list is null)
        {
            throw new FormatException($"Policy {name}: Statement is missing or not an object or list.");
        }

        for (var i = 0; i < list.Count; i++)
        {
            var where = $"Policy {name}, Statement[{i}]";
            if (list[i] is not JObject s)
            {
                problems.Add($"{where} must be an object");
                continue;
            }

            var effect = s.GetString("Effect") switch
            {
                "Allow" => PolicyEffect.Allow,
                "Deny" => PolicyEffect.Deny,
                var other => Problem(problems, $"{where}: Effect must be Allow or Deny, not {other ?? "absent"}", PolicyEffect.Deny),
            };
            var actions = Strings(s["Action"], $"{where}.Action", problems);
            var notActions = Strings(s["NotAction"], $"{where}.NotAction", problems);
            var resources = Strings(s["Resource"], $"{where}.Resource", problems);
            var notResources = Strings(s["NotResource"], $"{where}.NotResource", problems);
            if ((actions is null) == (notActions is null))
            {
                problems.Add($"{where}: give exactly one of Action and NotAction");
            }

            var principals = Principals(s["Principal"], $"{where}.Principal", problems);
            if (principals.Count == 0 && (resources is null) == (notResources is null))
            {
                problems.Add($"{where}: give exactly one of Resource and NotResource");
            }

            statements.Add(new PolicyStatement(s.GetString("Sid"), effect, actions, notActions, resources, notResources, Conditions(s["Condition"], where, problems), principals));
        }

        return problems.Count == 0 ? new PolicyDocument(name, statements) : throw new FormatException(string.Join("; ", problems));
    }

    private static List<PolicyCondition> Conditions(JValue? value, string where, List<string> problems)
    {
        var conditions = new List<PolicyCondition>();
        if (value is null)
        {
            return conditions;
        }

        if (value is not JObject operators)
        {
            problems.Add($"{where}.Condition must be an object");
            return conditions;
        }

        foreach (var (op, keys) in operators)
        {
            if (keys is not JObject byKey)
            {
                problems.Add($"{where}.Condition.{op} must be an object of condition keys");
                continue;
            }

            foreach (var (key, values) in byKey)
            {
                conditions.Add(new PolicyCondition(op, key, Strings(values, $"{where}.Condition.{op}.{key}", problems) ?? []));
            }
        }

        return conditions;
    }

    /// <summary>Principals of a resource or trust policy, flattened to <c>Service:x</c>, <c>AWS:arn</c> or <c>*</c>.</summary>
    private static List<string> Principals(JValue? value, string where, List<string> problems)
    {
        switch (value)
        {
            case null:
                return [];
            case JString { Value: "*" }:
                return ["*"];
            case JObject o:
                return o.SelectMany(p => (Strings(p.Value, $"{where}.{p.Key}", problems) ?? []).Select(v => $"{p.Key}:{v}")).ToList();
            default:
                problems.Add($"{where} must be \"*\" or an object");
                return [];
        }
    }

    /// <summary>A string or a list of strings; booleans and numbers are read as their text, as IAM does.</summary>
    private static List<string>? Strings(JValue? value, string where, List<string> problems)
    {
        switch (value)
        {
            case null:
                return null;
            case JString s:
                return [s.Value];
            case JBool b:
                return [b.Value ? "true" : "false"];
            case JNumber n:
                return [n.ToJson()];
            case JArray a when a.All(x => x is JString or JBool or JNumber):
                return a.Select(x => x is JString s ? s.Value : x.ToJson()).ToList();
            default:
                problems.Add($"{where} must be a string or a list of strings");
                return null;
        }
    }

    private static T Problem<T>(List<string> problems, string problem, T fallback)
    {
        problems.Add(problem);
        return fallback;
    }
}
