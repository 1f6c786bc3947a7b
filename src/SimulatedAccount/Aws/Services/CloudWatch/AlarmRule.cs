using System.Text;

namespace BlueGreen.Simulator.Aws.Services.CloudWatch;

/// <summary>
/// A composite alarm's rule: <c>ALARM(name)</c>, <c>OK(name)</c>, <c>INSUFFICIENT_DATA(name)</c>, <c>TRUE</c>,
/// <c>FALSE</c>, combined with <c>AND</c>, <c>OR</c>, <c>NOT</c> and parentheses. Alarm names may be quoted
/// (<c>ALARM("my alarm")</c>) or given as ARNs. NOT binds tighter than AND, AND tighter than OR.
/// </summary>
internal abstract class AlarmRule
{
    /// <summary>The alarms the rule refers to, as written (names or ARNs).</summary>
    public abstract IEnumerable<string> Children { get; }

    /// <summary>Evaluates the rule with <paramref name="stateOf"/> giving each child's state (null when it does not exist).</summary>
    public abstract bool Evaluate(Func<string, string?> stateOf);

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> with the problem.</summary>
    public static AlarmRule Parse(string text)
    {
        var parser = new Parser(text);
        var rule = parser.ParseOr();
        parser.SkipSpace();
        return parser.AtEnd ? rule : throw new FormatException($"Unexpected text at position {parser.Position + 1} of the alarm rule");
    }

    private sealed class StateCheck(string state, string alarm) : AlarmRule
    {
        public override IEnumerable<string> Children => [alarm];

        public override bool Evaluate(Func<string, string?> stateOf) => stateOf(alarm) == state;
    }

    private sealed class Constant(bool value) : AlarmRule
    {
        public override IEnumerable<string> Children => [];

        public override bool Evaluate(Func<string, string?> stateOf) => value;
    }

    private sealed class Not(AlarmRule inner) : AlarmRule
    {
        public override IEnumerable<string> Children => inner.Children;

        public override bool Evaluate(Func<string, string?> stateOf) => !inner.Evaluate(stateOf);
    }

    private sealed class Binary(AlarmRule left, AlarmRule right, bool isAnd) : AlarmRule
    {
        public override IEnumerable<string> Children => left.Children.Concat(right.Children);

        public override bool Evaluate(Func<string, string?> stateOf) =>
            isAnd ? left.Evaluate(stateOf) && right.Evaluate(stateOf) : left.Evaluate(stateOf) || right.Evaluate(stateOf);
    }

    private sealed class Parser(string text)
    {
        private static readonly string[] Functions = ["INSUFFICIENT_DATA", "ALARM", "OK"];

        public int Position { get; private set; }

        public bool AtEnd => Position >= text.Length;

        public AlarmRule ParseOr()
        {
            var left = ParseAnd();
            while (TryKeyword("OR"))
            {
                left = new Binary(left, ParseAnd(), isAnd: false);
            }

            return left;
        }

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[Position]))
            {
                Position++;
            }
        }

        private AlarmRule ParseAnd()
        {
            var left = ParseNot();
            while (TryKeyword("AND"))
            {
                left = new Binary(left, ParseNot(), isAnd: true);
            }

            return left;
        }

        private AlarmRule ParseNot() => TryKeyword("NOT") ? new Not(ParseNot()) : ParsePrimary();

        private AlarmRule ParsePrimary()
        {
            SkipSpace();
            if (TrySymbol('('))
            {
                var inner = ParseOr();
                Expect(')');
                return inner;
            }

            if (TryKeyword("TRUE"))
            {
                return new Constant(true);
            }

            if (TryKeyword("FALSE"))
            {
                return new Constant(false);
            }

            foreach (var function in Functions)
            {
                if (TryKeyword(function))
                {
                    Expect('(');
                    var name = ParseName();
                    Expect(')');
                    return new StateCheck(function, name);
                }
            }

            throw new FormatException($"Expected ALARM(...), OK(...), INSUFFICIENT_DATA(...), TRUE, FALSE, NOT or '(' at position {Position + 1} of the alarm rule");
        }

        private string ParseName()
        {
            SkipSpace();
            var sb = new StringBuilder();
            if (TrySymbol('"'))
            {
                while (!AtEnd && text[Position] != '"')
                {
                    if (text[Position] == '\\' && Position + 1 < text.Length)
                    {
                        Position++;
                    }

                    sb.Append(text[Position++]);
                }

                Expect('"');
            }
            else
            {
                while (!AtEnd && text[Position] != ')')
                {
                    sb.Append(text[Position++]);
                }
            }

            var name = sb.ToString().Trim();
            return name.Length > 0 ? name : throw new FormatException($"Expected an alarm name at position {Position + 1} of the alarm rule");
        }

        private bool TryKeyword(string keyword)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, Position, keyword, 0, keyword.Length) != 0)
            {
                return false;
            }

            var end = Position + keyword.Length;
            if (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_'))
            {
                return false;
            }

            Position = end;
            return true;
        }

        private bool TrySymbol(char symbol)
        {
            SkipSpace();
            if (!AtEnd && text[Position] == symbol)
            {
                Position++;
                return true;
            }

            return false;
        }

        private void Expect(char symbol)
        {
            if (!TrySymbol(symbol))
            {
                throw new FormatException($"Expected '{symbol}' at position {Position + 1} of the alarm rule");
            }
        }
    }
}
