using BlueGreen.Simulator.Asl.Paths;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// A Choice rule's condition: And, Or, Not, or one comparison of a Variable with a literal or (for the
/// operators that have one) a <c>...Path</c> operand, whose type is checked when the definition loads.
/// </summary>
internal static class ChoiceConditionLoader
{
    private static readonly Dictionary<string, ComparisonKind> Comparisons =
        Enum.GetValues<ComparisonKind>().ToDictionary(k => k.ToString(), k => k, StringComparer.Ordinal);

    public static ChoiceCondition? Load(LoadContext context, JObject rule, string location, bool topLevel)
    {
        foreach (var key in rule.Keys)
        {
            var allowedHere = key is "Variable" or "And" or "Or" or "Not" or "Comment" || Comparisons.ContainsKey(key) || Comparisons.ContainsKey(StripPath(key))
                || (topLevel && key is "Next" or "Assign");
            if (!allowedHere)
            {
                context.Error("SCHEMA_VALIDATION_FAILED", topLevel || key is not ("Next" or "Assign")
                    ? $"The field '{key}' is not supported in a choice rule"
                    : $"The field '{key}' is only allowed in a top-level choice rule", $"{location}/{key}");
            }
        }

        // A rule is either one comparison on a Variable or one of And, Or, Not; a mixture would leave
        // part of it unevaluated, so it is refused rather than silently half-applied.
        var combinators = rule.Keys.Where(k => k is "And" or "Or" or "Not").ToList();
        var comparisonFields = rule.Keys.Where(k => k == "Variable" || Comparisons.ContainsKey(StripPath(k))).ToList();
        if (combinators.Count > 1 || (combinators.Count == 1 && comparisonFields.Count > 0))
        {
            context.Error("SCHEMA_VALIDATION_FAILED", $"A choice rule is either a comparison on a Variable or exactly one of And, Or and Not, but this one has {string.Join(", ", combinators.Concat(comparisonFields))}", location);
            return null;
        }

        if (rule.GetArray("And") is { } and)
        {
            return new AndCondition(NestedConditions(context, and, $"{location}/And"));
        }

        if (rule.GetArray("Or") is { } or)
        {
            return new OrCondition(NestedConditions(context, or, $"{location}/Or"));
        }

        if (rule.GetObject("Not") is { } not)
        {
            var inner = Load(context, not, $"{location}/Not", topLevel: false);
            return inner is null ? null : new NotCondition(inner);
        }

        var operators = rule.Keys.Where(k => Comparisons.ContainsKey(StripPath(k))).ToList();
        if (operators.Count != 1)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", operators.Count == 0
                ? "A choice rule needs exactly one comparison operator, or And, Or or Not"
                : $"A choice rule can have only one comparison operator but has {string.Join(", ", operators)}", location);
            return null;
        }

        var variableText = rule.GetString("Variable");
        if (variableText is null)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Variable]", location);
            return null;
        }

        if (!JsonPath.TryParse(variableText, out var variable, out var error))
        {
            context.Error("SCHEMA_VALIDATION_FAILED", error!, $"{location}/Variable");
            return null;
        }

        var op = operators[0];
        var kind = Comparisons[StripPath(op)];
        var operand = rule[op]!;
        var isPathVariant = op.EndsWith("Path", StringComparison.Ordinal) && !Comparisons.ContainsKey(op);
        if (isPathVariant)
        {
            // The type tests have no Path form, and neither has StringMatches (ASL spec, Choice Rules).
            if (kind >= ComparisonKind.IsNull || kind == ComparisonKind.StringMatches)
            {
                context.Error("SCHEMA_VALIDATION_FAILED", $"'{op}' is not a valid operator", $"{location}/{op}");
                return null;
            }

            if (operand is not JString pathText || !JsonPath.TryParse(pathText.Value, out var other, out _))
            {
                context.Error("SCHEMA_VALIDATION_FAILED", $"The value for the field '{op}' must be a valid JSONPath", $"{location}/{op}");
                return null;
            }

            return new ComparisonCondition(variable!, kind, null, other, op);
        }

        var expectedOk = kind switch
        {
            >= ComparisonKind.StringEquals and <= ComparisonKind.StringMatches => operand is JString,
            >= ComparisonKind.NumericEquals and <= ComparisonKind.NumericGreaterThanEquals => operand is JNumber,
            >= ComparisonKind.TimestampEquals and <= ComparisonKind.TimestampGreaterThanEquals => operand is JString s && Rfc3339Timestamp.TryParse(s.Value, out _),
            _ => operand is JBool,
        };
        if (!expectedOk)
        {
            var expected = kind switch
            {
                >= ComparisonKind.StringEquals and <= ComparisonKind.StringMatches => "a STRING",
                >= ComparisonKind.NumericEquals and <= ComparisonKind.NumericGreaterThanEquals => "a NUMBER",
                >= ComparisonKind.TimestampEquals and <= ComparisonKind.TimestampGreaterThanEquals => "an RFC 3339 timestamp",
                _ => "a BOOLEAN",
            };
            context.Error("SCHEMA_VALIDATION_FAILED", $"The value for the field '{op}' must be {expected}", $"{location}/{op}");
            return null;
        }

        if (kind == ComparisonKind.StringMatches && !WildcardPattern.IsValid(operand.AsString()))
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'StringMatches' has an open escape: only \\* and \\\\ may follow a backslash", $"{location}/{op}");
            return null;
        }

        return new ComparisonCondition(variable!, kind, operand, null, op);
    }

    private static string StripPath(string op) =>
        op.EndsWith("Path", StringComparison.Ordinal) && !Comparisons.ContainsKey(op) ? op[..^4] : op;

    private static List<ChoiceCondition> NestedConditions(LoadContext context, JArray array, string location)
    {
        var list = new List<ChoiceCondition>();
        if (array.Count == 0)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "And / Or need at least one rule", location);
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JObject nested && Load(context, nested, $"{location}[{i}]", topLevel: false) is { } condition)
            {
                list.Add(condition);
            }
            else if (array[i] is not JObject)
            {
                context.Error("SCHEMA_VALIDATION_FAILED", "A choice rule must be an object", $"{location}[{i}]");
            }
        }

        return list;
    }
}
