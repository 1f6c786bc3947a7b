using BlueGreen.Simulator.Asl.Evaluation;
using BlueGreen.Simulator.Asl.Paths;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>A top-level Choice rule: a condition, where to go, and what to assign when it matches.</summary>
public sealed record ChoiceRule(ChoiceCondition Condition, string Next, PayloadTemplate? Assign);

/// <summary>A Boolean expression of a Choice rule.</summary>
public abstract class ChoiceCondition
{
    public abstract bool Evaluate(in PathEnv env);
}

public sealed class AndCondition(IReadOnlyList<ChoiceCondition> operands) : ChoiceCondition
{
    public override bool Evaluate(in PathEnv env)
    {
        foreach (var o in operands)
        {
            if (!o.Evaluate(env))
            {
                return false;
            }
        }

        return true;
    }
}

public sealed class OrCondition(IReadOnlyList<ChoiceCondition> operands) : ChoiceCondition
{
    public override bool Evaluate(in PathEnv env)
    {
        foreach (var o in operands)
        {
            if (o.Evaluate(env))
            {
                return true;
            }
        }

        return false;
    }
}

public sealed class NotCondition(ChoiceCondition operand) : ChoiceCondition
{
    public override bool Evaluate(in PathEnv env) => !operand.Evaluate(env);
}

/// <summary>The comparison families of the States Language.</summary>
public enum ComparisonKind
{
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

/// <summary>
/// <c>{"Variable": "$.x", "NumericGreaterThan": 3}</c> and friends. A comparison whose operand has the
/// wrong type is simply false (the spec); a Variable that is missing fails the state with
/// <c>States.Runtime</c>, except for IsPresent which exists to test exactly that.
/// </summary>
public sealed class ComparisonCondition : ChoiceCondition
{
    public ComparisonCondition(JsonPath variable, ComparisonKind kind, JValue? literal, JsonPath? otherPath, string operatorName)
    {
        Variable = variable;
        Kind = kind;
        Literal = literal;
        OtherPath = otherPath;
        OperatorName = operatorName;
        if (kind == ComparisonKind.StringMatches && literal is JString pattern)
        {
            _pattern = WildcardPattern.Parse(pattern.Value);
        }
    }

    private readonly WildcardPattern? _pattern;

    public JsonPath Variable { get; }

    public ComparisonKind Kind { get; }

    public JValue? Literal { get; }

    public JsonPath? OtherPath { get; }

    public string OperatorName { get; }

    public override bool Evaluate(in PathEnv env)
    {
        var found = env.TrySelect(Variable, out var value);
        if (Kind == ComparisonKind.IsPresent)
        {
            return found == Literal!.AsBool();
        }

        if (!found)
        {
            throw new StatesException(StatesErrors.Runtime, $"Invalid path '{Variable.Text}': The choice state's condition path references an invalid value.");
        }

        var expected = Literal ?? env.Select(OtherPath!, $"the field '{OperatorName}'");
        return Kind switch
        {
            ComparisonKind.IsNull => value.IsNull == expected.AsBool(),
            ComparisonKind.IsNumeric => value is JNumber == expected.AsBool(),
            ComparisonKind.IsString => value is JString == expected.AsBool(),
            ComparisonKind.IsBoolean => value is JBool == expected.AsBool(),
            ComparisonKind.IsTimestamp => (value is JString s && Rfc3339Timestamp.TryParse(s.Value, out _)) == expected.AsBool(),
            ComparisonKind.BooleanEquals => value is JBool b && expected is JBool e && b.Value == e.Value,
            ComparisonKind.StringMatches => value is JString s && (_pattern ?? WildcardPattern.Parse(expected.AsString())).IsMatch(s.Value),
            >= ComparisonKind.StringEquals and <= ComparisonKind.StringGreaterThanEquals =>
                value is JString a && expected is JString b && Holds(Kind - ComparisonKind.StringEquals, string.CompareOrdinal(a.Value, b.Value)),
            >= ComparisonKind.NumericEquals and <= ComparisonKind.NumericGreaterThanEquals =>
                value is JNumber a && expected is JNumber b && Holds(Kind - ComparisonKind.NumericEquals, a.Value.CompareTo(b.Value)),
            >= ComparisonKind.TimestampEquals and <= ComparisonKind.TimestampGreaterThanEquals =>
                value is JString a && expected is JString b && Rfc3339Timestamp.TryParse(a.Value, out var ta) && Rfc3339Timestamp.TryParse(b.Value, out var tb)
                && Holds(Kind - ComparisonKind.TimestampEquals, ta.CompareTo(tb)),
            _ => false,
        };
    }

    /// <summary>Offsets within each family: Equals, LessThan, GreaterThan, LessThanEquals, GreaterThanEquals.</summary>
    private static bool Holds(int relation, int comparison) => relation switch
    {
        0 => comparison == 0,
        1 => comparison < 0,
        2 => comparison > 0,
        3 => comparison <= 0,
        _ => comparison >= 0,
    };
}
