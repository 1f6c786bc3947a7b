using System.CommandLine;
using System.CommandLine.Parsing;

namespace BlueGreen.Simulator.Cli;

/// <summary>
/// What the parser refused, one problem a line, in the simulator's words: an unknown option or command with the closest
/// names the command has ("unknown option '--scenaro'. Did you mean --scenario?"), a word no argument takes, a group
/// command given no subcommand, and System.CommandLine's own messages for the rest (a missing required option, a value
/// that does not convert).
/// </summary>
internal static class UsageProblems
{
    public static string Describe(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var isGroup = command.Subcommands.Count > 0 && command.Action is null;
        var unmatched = parsed.UnmatchedTokens;
        var problems = new List<string>();
        var suggested = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < unmatched.Count; i++)
        {
            var token = unmatched[i];
            if (token.StartsWith('-') && token.Length > 1)
            {
                var close = Closest(token, OptionNames(command));
                suggested.UnionWith(close);
                problems.Add($"unknown option '{token}'.{DidYouMean(close)}");
            }
            else if (i > 0 && IsValueOfUnknownOption(parsed.Tokens, unmatched[i - 1], token))
            {
                // --scenaro alarm-at-25: one mistake, said once.
            }
            else if (isGroup)
            {
                problems.Add($"unknown command '{token}'.{DidYouMean(Closest(token, command.Subcommands.Select(c => c.Name)))}");
            }
            else
            {
                problems.Add(command.Arguments.Count == 1
                    ? $"unexpected argument '{token}': <{command.Arguments[0].Name}> is one word (quote it if it has spaces)."
                    : $"unexpected argument '{token}'.");
            }
        }

        foreach (var error in parsed.Errors)
        {
            // An unmatched token's error is said above, and so is a required option that was misspelled (--definiton: --definition);
            // a group's "Required command was not provided." is said below.
            var aboutUnmatched = error.SymbolResult is CommandResult && unmatched.Any(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal));
            var misspelled = error.SymbolResult is OptionResult { IdentifierToken: null } missing && suggested.Contains(missing.Option.Name);
            if (!aboutUnmatched && !misspelled && !(isGroup && error.SymbolResult is CommandResult))
            {
                problems.Add(error.Message);
            }
        }

        if (isGroup && unmatched.Count == 0)
        {
            problems.Add($"a {(command is RootCommand ? "command" : "subcommand")} is needed: {string.Join(" or ", command.Subcommands.Select(c => c.Name))}.");
        }

        return string.Join('\n', problems.Distinct(StringComparer.Ordinal));
    }

    /// <summary>
    /// The names within a third of their length in edit distance (rehersal: rehearse) or starting with what was typed
    /// (--hist: --history, --history-out), closest first, at most three.
    /// </summary>
    public static IReadOnlyList<string> Closest(string typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var word = typed.Split('=', 2)[0].TrimStart('-');
        return candidates
            .Distinct(StringComparer.Ordinal)
            .Select(c => (Name: c, Distance: Distance(word, c.TrimStart('-'))))
            .Where(c => c.Distance <= (c.Name.TrimStart('-').Length + 2) / 3 || (word.Length >= 3 && c.Name.TrimStart('-').StartsWith(word, StringComparison.Ordinal)))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(3)
            .Select(c => c.Name)
            .ToList();
    }

    private static string DidYouMean(IReadOnlyList<string> close) => close.Count == 0 ? string.Empty : $" Did you mean {string.Join(" or ", close)}?";

    // The long names of the command's options and of the options it inherits (--help), not the short aliases: -c, -h, -?
    // are too short to be told apart from a typo.
    private static IEnumerable<string> OptionNames(Command command) =>
        command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive)))
            .SelectMany(o => o.Aliases.Prepend(o.Name))
            .Where(n => n.StartsWith("--", StringComparison.Ordinal));

    private static bool IsValueOfUnknownOption(IReadOnlyList<Token> tokens, string previous, string token)
    {
        if (!previous.StartsWith('-') || previous.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Value == previous && tokens[i + 1].Value == token)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Edit distance with adjacent transpositions (optimal string alignment): "josn" is one step from "json".</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
