namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// The pattern of a <c>StringMatches</c> rule. The specification gives a meaning to no character but
/// <c>*</c> ("zero or more characters") and the escapes <c>\*</c> and <c>\\</c>; everything else,
/// line breaks included, is itself, and the pattern covers the whole string.
/// </summary>
/// <remarks>
/// Matched by hand rather than translated to a <see cref="System.Text.RegularExpressions.Regex"/>: a
/// .NET <c>$</c> also matches before a final line break, so <c>"abc\n"</c> matched <c>"abc"</c>. Here the
/// pattern is its literal pieces between the stars: the first must start the string, the last must end
/// it, and the ones between are found in order, each as early as possible (which is always enough when
/// the only wildcard is <c>*</c>). Comparison is ordinal, character by character.
/// </remarks>
public sealed class WildcardPattern
{
    private readonly string[] _pieces;

    private WildcardPattern(string[] pieces) => _pieces = pieces;

    /// <summary>
    /// Reads <paramref name="pattern"/>. A backslash makes the next character literal; an open escape
    /// (which <see cref="IsValid"/> refuses when the definition is loaded) keeps its character.
    /// </summary>
    public static WildcardPattern Parse(string pattern)
    {
        var pieces = new List<string>();
        var piece = new System.Text.StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                piece.Append(pattern[++i]);
            }
            else if (c == '*')
            {
                pieces.Add(piece.ToString());
                piece.Clear();
            }
            else
            {
                piece.Append(c);
            }
        }

        pieces.Add(piece.ToString());
        return new WildcardPattern([.. pieces]);
    }

    /// <summary>
    /// False when <paramref name="pattern"/> holds an open escape: a backslash not followed by <c>*</c> or
    /// a backslash, which the specification makes an error.
    /// </summary>
    public static bool IsValid(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                if (i + 1 >= pattern.Length || pattern[i + 1] is not ('*' or '\\'))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }

    /// <summary>True when the whole of <paramref name="text"/> matches the pattern.</summary>
    public bool IsMatch(string text)
    {
        var first = _pieces[0];
        if (_pieces.Length == 1)
        {
            return string.Equals(text, first, StringComparison.Ordinal);
        }

        var last = _pieces[^1];
        if (text.Length < first.Length + last.Length
            || !text.StartsWith(first, StringComparison.Ordinal)
            || !text.EndsWith(last, StringComparison.Ordinal))
        {
            return false;
        }

        // The middle pieces must fit, in order, between the first piece and the last.
        var position = first.Length;
        var end = text.Length - last.Length;
        for (var p = 1; p < _pieces.Length - 1; p++)
        {
            var piece = _pieces[p];
            var found = text.IndexOf(piece, position, end - position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + piece.Length;
        }

        return true;
    }
}
