using System.Globalization;
using System.Text;
using BlueGreen.Simulator.Asl.Paths;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Intrinsics;

/// <summary>An intrinsic-function argument: a literal, a path, or a nested call.</summary>
public abstract record IntrinsicArgument
{
    /// <param name="Value">The literal's value, escapes resolved.</param>
    /// <param name="FormatText">For string literals: the text with the escapes <c>\{</c>, <c>\}</c> and <c>\\</c> kept, which States.Format needs
    /// to tell a literal brace from a placeholder.</param>
    public sealed record Literal(JValue Value, string? FormatText = null) : IntrinsicArgument;

    public sealed record PathArgument(JsonPath Path) : IntrinsicArgument;

    public sealed record Nested(IntrinsicCall Function) : IntrinsicArgument;
}

/// <summary>A syntax error in an intrinsic-function expression (reported by definition validation).</summary>
public sealed class IntrinsicSyntaxException(string expression, string reason)
    : Exception($"Invalid intrinsic function '{expression}': {reason}");

/// <summary>
/// A parsed call such as <c>States.Format('Hello, {}', $.name)</c>. Parsed once, when the definition
/// is loaded, so syntax errors surface as validation errors rather than at run time.
/// </summary>
public sealed class IntrinsicCall
{
    private IntrinsicCall(string text, string name, IReadOnlyList<IntrinsicArgument> arguments)
    {
        Text = text;
        Name = name;
        Arguments = arguments;
    }

    public string Text { get; }

    public string Name { get; }

    public IReadOnlyList<IntrinsicArgument> Arguments { get; }

    /// <summary>True when <paramref name="text"/> is an intrinsic call rather than a path.</summary>
    public static bool LooksLikeCall(string text) => text.StartsWith("States.", StringComparison.Ordinal);

    /// <summary>"You can nest up to 10 intrinsic functions within a field" (AWS); its example with nine counts every call in the field.</summary>
    public const int MaxFunctionsPerField = 10;

    public static IntrinsicCall Parse(string text)
    {
        var parser = new Parser(text);
        var call = parser.ParseCall();
        parser.SkipSpaces();
        if (!parser.AtEnd)
        {
            throw new IntrinsicSyntaxException(text, $"unexpected text after the call at position {parser.Position}");
        }

        if (parser.Calls > MaxFunctionsPerField)
        {
            throw new IntrinsicSyntaxException(text, $"it uses {parser.Calls} intrinsic functions; at most {MaxFunctionsPerField} can be nested in one field");
        }

        return call;
    }

    public override string ToString() => Text;

    private sealed class Parser(string text)
    {
        private int _pos;

        public int Position => _pos;

        public bool AtEnd => _pos >= text.Length;

        /// <summary>How many function calls were parsed, nested ones included.</summary>
        public int Calls { get; private set; }

        public IntrinsicCall ParseCall()
        {
            Calls++;
            var start = _pos;
            while (!AtEnd && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '.'))
            {
                _pos++;
            }

            var name = text[start.._pos];
            if (!IntrinsicFunctions.IsKnown(name))
            {
                throw new IntrinsicSyntaxException(text, $"unknown function '{name}'");
            }

            SkipSpaces();
            Expect('(');
            var args = new List<IntrinsicArgument>();
            SkipSpaces();
            if (Peek() != ')')
            {
                while (true)
                {
                    SkipSpaces();
                    args.Add(ParseArgument());
                    SkipSpaces();
                    if (Peek() == ',')
                    {
                        _pos++;
                        continue;
                    }

                    break;
                }
            }

            Expect(')');
            var call = new IntrinsicCall(text[start.._pos], name, args);
            IntrinsicFunctions.CheckArity(call);
            return call;
        }

        public void SkipSpaces()
        {
            while (!AtEnd && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private IntrinsicArgument ParseArgument()
        {
            var c = Peek();
            if (c == '\'')
            {
                var (value, formatText) = ParseString();
                return new IntrinsicArgument.Literal(new JString(value), formatText);
            }

            if (c == '$')
            {
                var start = _pos;
                var depth = 0;
                var quote = false;
                while (!AtEnd)
                {
                    var ch = text[_pos];
                    if (ch == '\'' && (_pos == 0 || text[_pos - 1] != '\\'))
                    {
                        quote = !quote;
                    }
                    else if (!quote && (ch == '[' || ch == '('))
                    {
                        depth++;
                    }
                    else if (!quote && (ch == ']' || ch == ')'))
                    {
                        if (depth == 0)
                        {
                            break;
                        }

                        depth--;
                    }
                    else if (!quote && depth == 0 && (ch == ',' || char.IsWhiteSpace(ch)))
                    {
                        break;
                    }

                    _pos++;
                }

                var pathText = text[start.._pos];
                try
                {
                    return new IntrinsicArgument.PathArgument(JsonPath.Parse(pathText));
                }
                catch (PathSyntaxException e)
                {
                    throw new IntrinsicSyntaxException(text, e.Message);
                }
            }

            if (text.AsSpan(_pos).StartsWith("States.", StringComparison.Ordinal))
            {
                return new IntrinsicArgument.Nested(ParseCall());
            }

            foreach (var (word, value) in (ReadOnlySpan<(string, JValue)>)[("true", JBool.True), ("false", JBool.False), ("null", JNull.Instance)])
            {
                if (text.AsSpan(_pos).StartsWith(word, StringComparison.Ordinal))
                {
                    _pos += word.Length;
                    return new IntrinsicArgument.Literal(value);
                }
            }

            var numberStart = _pos;
            while (!AtEnd && (char.IsAsciiDigit(text[_pos]) || text[_pos] is '-' or '+' or '.' or 'e' or 'E'))
            {
                _pos++;
            }

            // A literal such as 1e400 parses to infinity, which is no JSON number: it is a syntax error, not a crash.
            if (_pos > numberStart && double.TryParse(text.AsSpan(numberStart, _pos - numberStart), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                && double.IsFinite(n))
            {
                return new IntrinsicArgument.Literal(new JNumber(n));
            }

            throw new IntrinsicSyntaxException(text, $"expected an argument at position {numberStart}");
        }

        /// <summary>A single-quoted literal; a backslash escapes <c>' { } \</c>.</summary>
        private (string Value, string FormatText) ParseString()
        {
            Expect('\'');
            var value = new StringBuilder();
            var format = new StringBuilder();
            while (!AtEnd && text[_pos] != '\'')
            {
                if (text[_pos] == '\\')
                {
                    // Only the reserved characters ' { } \ may follow a backslash: "If an open escape
                    // backslash is found in the Intrinsic Function, the interpreter will throw" (spec).
                    var next = _pos + 1 < text.Length ? text[_pos + 1] : '\0';
                    if (next is not ('\'' or '{' or '}' or '\\'))
                    {
                        throw new IntrinsicSyntaxException(text, $"an open escape backslash at position {_pos}; write \\\\ for a backslash");
                    }

                    // The Format text keeps escapes that States.Format must still see: an escaped brace is
                    // not a placeholder, and an escaped backslash before "{}" does not escape the brace.
                    if (next is '{' or '}' or '\\')
                    {
                        format.Append('\\');
                    }

                    value.Append(next);
                    format.Append(next);
                    _pos += 2;
                    continue;
                }

                value.Append(text[_pos]);
                format.Append(text[_pos++]);
            }

            Expect('\'');
            return (value.ToString(), format.ToString());
        }

        private char? Peek() => AtEnd ? null : text[_pos];

        private void Expect(char c)
        {
            if (Peek() != c)
            {
                throw new IntrinsicSyntaxException(text, AtEnd ? $"expected '{c}' at the end" : $"expected '{c}' at position {_pos}");
            }

            _pos++;
        }
    }
}
