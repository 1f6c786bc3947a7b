using System.Globalization;
using System.Text;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Paths;

/// <summary>Recursive-descent parser for the JSONPath dialect described on <see cref="JsonPath"/>.</summary>
internal sealed class PathParser(string text)
{
    private int _pos;

    public JsonPath ParsePath()
    {
        if (!JsonPath.LooksLikePath(text))
        {
            throw Error("a path must start with '$'");
        }

        _pos = 1;
        var root = PathRoot.Data;
        string? variable = null;
        if (Peek() == '$')
        {
            root = PathRoot.Context;
            _pos++;
        }
        else if (Peek() is { } c && IsIdentifierStart(c))
        {
            root = PathRoot.Variable;
            var start = _pos;
            while (Peek() is { } ch && IsIdentifierPart(ch))
            {
                _pos++;
            }

            variable = text[start.._pos];
        }

        var segments = ParseSegments(stopAtFilterEnd: false);
        if (_pos != text.Length)
        {
            throw Error($"unexpected '{text[_pos]}' at position {_pos}");
        }

        return JsonPath.Create(text, root, variable, segments);
    }

    private PathSegment[] ParseSegments(bool stopAtFilterEnd)
    {
        var segments = new List<PathSegment>();
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (c == '.')
            {
                if (Peek(1) == '.')
                {
                    _pos += 2;
                    var inner = Peek() == '[' ? ParseBracket() : ParseDotName(afterDescent: true);
                    segments.Add(new DescendantSegment(inner));
                }
                else
                {
                    _pos++;

                    // "$.abc.['def ghi']": a dot before a bracket is allowed (the AWS Paths page spells
                    // names with special characters exactly so) and means the bracket alone.
                    segments.Add(Peek() == '[' ? ParseBracket() : ParseDotName(afterDescent: false));
                }
            }
            else if (c == '[')
            {
                segments.Add(ParseBracket());
            }
            else if (stopAtFilterEnd)
            {
                break;
            }
            else
            {
                throw Error($"unexpected '{c}' at position {_pos}");
            }
        }

        // Jayway merges a final multi-name bracket into one object per match.
        if (segments.Count > 0 && segments[^1] is UnionSegment { Names: { } names })
        {
            segments[^1] = new MergeSegment(names);
        }

        return [.. segments];
    }

    private PathSegment ParseDotName(bool afterDescent)
    {
        if (Peek() == '*')
        {
            _pos++;
            return WildcardSegment.Instance;
        }

        // A backslash makes the next character part of the name, so "$.store\.book" names the field
        // "store.book" (the specification's Reference Path examples).
        var start = _pos;
        var name = new StringBuilder();
        while (_pos < text.Length && text[_pos] is not ('.' or '[' or ' ' or ')' or '=' or '!' or '<' or '>' or '&' or '|' or ','))
        {
            if (text[_pos] == '\\' && _pos + 1 < text.Length)
            {
                _pos++;
            }

            name.Append(text[_pos++]);
        }

        if (_pos == start)
        {
            throw Error(afterDescent ? "expected a name after '..'" : $"expected a name after '.' at position {start}");
        }

        return new ChildSegment(name.ToString());
    }

    private PathSegment ParseBracket()
    {
        Expect('[');
        SkipSpaces();
        PathSegment segment;
        if (Peek() == '*')
        {
            _pos++;
            segment = WildcardSegment.Instance;
        }
        else if (Peek() == '?')
        {
            _pos++;
            SkipSpaces();
            Expect('(');
            var expression = ParseOr();
            SkipSpaces();
            Expect(')');
            segment = new FilterSegment(expression);
        }
        else if (Peek() is '\'' or '"')
        {
            var names = new List<PathSegment> { new ChildSegment(ParseQuoted()) };
            SkipSpaces();
            while (Peek() == ',')
            {
                _pos++;
                SkipSpaces();
                names.Add(new ChildSegment(ParseQuoted()));
                SkipSpaces();
            }

            segment = names.Count == 1 ? names[0] : new UnionSegment([.. names]);
        }
        else
        {
            segment = ParseIndexOrSlice();
        }

        SkipSpaces();
        Expect(']');
        return segment;
    }

    private PathSegment ParseIndexOrSlice()
    {
        int? first = TryParseInt();
        SkipSpaces();
        if (Peek() == ':')
        {
            _pos++;
            SkipSpaces();
            int? end = TryParseInt();
            SkipSpaces();
            var step = 1;
            if (Peek() == ':')
            {
                _pos++;
                SkipSpaces();
                step = TryParseInt() ?? 1;
            }

            return new SliceSegment(first, end, step);
        }

        if (first is null)
        {
            throw Error($"expected an index, a quoted name, '*' or a filter at position {_pos}");
        }

        if (Peek() != ',')
        {
            return new IndexSegment(first.Value);
        }

        var indexes = new List<PathSegment> { new IndexSegment(first.Value) };
        while (Peek() == ',')
        {
            _pos++;
            SkipSpaces();
            indexes.Add(new IndexSegment(TryParseInt() ?? throw Error($"expected an index at position {_pos}")));
            SkipSpaces();
        }

        return new UnionSegment([.. indexes]);
    }

    private FilterExpression ParseOr()
    {
        var left = ParseAnd();
        SkipSpaces();
        while (At("||"))
        {
            _pos += 2;
            left = new FilterOr(left, ParseAnd());
            SkipSpaces();
        }

        return left;
    }

    private FilterExpression ParseAnd()
    {
        var left = ParseUnary();
        SkipSpaces();
        while (At("&&"))
        {
            _pos += 2;
            left = new FilterAnd(left, ParseUnary());
            SkipSpaces();
        }

        return left;
    }

    private FilterExpression ParseUnary()
    {
        SkipSpaces();
        if (Peek() == '!' && Peek(1) != '=')
        {
            _pos++;
            return new FilterNot(ParseUnary());
        }

        if (Peek() == '(')
        {
            _pos++;
            var inner = ParseOr();
            SkipSpaces();
            Expect(')');
            return inner;
        }

        var left = ParseOperand();
        SkipSpaces();
        foreach (var op in (string[])["==", "!=", "<=", ">=", "<", ">"])
        {
            if (At(op))
            {
                _pos += op.Length;
                SkipSpaces();
                return new FilterComparison(left, op, ParseOperand());
            }
        }

        return new FilterExists(left);
    }

    private FilterOperand ParseOperand()
    {
        SkipSpaces();
        var c = Peek();
        if (c == '$')
        {
            // AWS: "Filtering ... by referencing another value in the JSON structure isn't supported."
            throw Error($"a filter cannot refer to another value of the document ('$' at position {_pos}); compare '@' with a literal");
        }

        if (c == '@')
        {
            var start = _pos;
            _pos++;
            var segments = ParseSegments(stopAtFilterEnd: true);
            var pathText = "$" + text[(start + 1).._pos];
            return FilterOperand.ForPath(JsonPath.Create(pathText, PathRoot.Data, null, segments), relative: true);
        }

        if (c is '\'' or '"')
        {
            return FilterOperand.ForLiteral(new JString(ParseQuoted()));
        }

        foreach (var (word, value) in (ReadOnlySpan<(string, JValue)>)[("true", JBool.True), ("false", JBool.False), ("null", JNull.Instance)])
        {
            if (At(word))
            {
                _pos += word.Length;
                return FilterOperand.ForLiteral(value);
            }
        }

        var numberStart = _pos;
        while (Peek() is { } d && (char.IsAsciiDigit(d) || d is '-' or '+' or '.' or 'e' or 'E'))
        {
            _pos++;
        }

        // A literal such as 1e400 parses to infinity, which is no JSON number: it is a syntax error, not a crash.
        if (_pos > numberStart && double.TryParse(text.AsSpan(numberStart, _pos - numberStart), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number))
        {
            return FilterOperand.ForLiteral(new JNumber(number));
        }

        throw Error($"expected a value in the filter at position {numberStart}");
    }

    private string ParseQuoted()
    {
        var quote = text[_pos++];
        var sb = new StringBuilder();
        while (_pos < text.Length && text[_pos] != quote)
        {
            if (text[_pos] == '\\' && _pos + 1 < text.Length)
            {
                _pos++;
            }

            sb.Append(text[_pos++]);
        }

        if (_pos >= text.Length)
        {
            throw Error("unterminated quoted name");
        }

        _pos++;
        return sb.ToString();
    }

    private int? TryParseInt()
    {
        var start = _pos;
        if (Peek() == '-')
        {
            _pos++;
        }

        while (Peek() is { } c && char.IsAsciiDigit(c))
        {
            _pos++;
        }

        if (_pos == start || (_pos == start + 1 && text[start] == '-'))
        {
            _pos = start;
            return null;
        }

        return int.TryParse(text.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Error($"index out of range at position {start}");
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';

    private char? Peek(int offset = 0) => _pos + offset < text.Length ? text[_pos + offset] : null;

    private bool At(string s) => string.CompareOrdinal(text, _pos, s, 0, s.Length) == 0;

    private void SkipSpaces()
    {
        while (Peek() == ' ')
        {
            _pos++;
        }
    }

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Error(_pos < text.Length ? $"expected '{c}' at position {_pos} but found '{text[_pos]}'" : $"expected '{c}' at the end");
        }

        _pos++;
    }

    private PathSyntaxException Error(string reason) => new(text, reason);
}
