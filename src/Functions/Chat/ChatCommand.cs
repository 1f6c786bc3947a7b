using System.Text.RegularExpressions;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.Chat;

/// <summary>The roles a person holds for a cluster pattern. Operators and approvers may also read (viewer).</summary>
public enum ChatRole
{
    Viewer,
    Operator,
    Approver,
}

/// <summary>
/// One command of the grammar, validated:
/// <c>help | status [cluster] | history &lt;cluster&gt; | plan &lt;cluster&gt; &lt;version&gt; [profile] |
/// upgrade &lt;cluster&gt; &lt;version&gt; [profile] | approve &lt;run&gt; | reject &lt;run&gt; &lt;reason&gt; | abort &lt;run&gt; |
/// schedule list|cancel &lt;cluster&gt; | schedule postpone &lt;cluster&gt; &lt;days&gt;</c>.
/// </summary>
public sealed record ChatCommand(string Verb, string? Cluster = null, string? Version = null, string? Profile = null, string? Run = null, string? Reason = null,
    string? Operation = null, int? Days = null)
{
    /// <summary>
    /// The role the verb needs. <c>schedule list</c> only reads (viewer); cancelling or postponing an end-of-support
    /// schedule changes when an upgrade starts (operator).
    /// </summary>
    public ChatRole Role => Verb switch
    {
        "upgrade" or "abort" => ChatRole.Operator,
        "schedule" when Operation != "list" => ChatRole.Operator,
        "approve" or "reject" => ChatRole.Approver,
        _ => ChatRole.Viewer,
    };

    /// <summary>Whether the command workflow acts on it (Step Functions calls); the others the endpoint answers itself.</summary>
    public bool IsWorkflowCommand => Verb is "plan" or "upgrade" or "approve" or "reject" or "abort" or "schedule";

    /// <summary>Whether it names a run rather than a cluster (the run's cluster is looked up for authorization).</summary>
    public bool NamesRun => Run is not null;
}

/// <summary>Parses and validates the text after the slash command. Every problem is named; nothing is guessed.</summary>
public static partial class ChatGrammar
{
    public const int MaxReasonLength = 500;

    public const string Usage = """
        /bluegreen help
        /bluegreen status [cluster]
        /bluegreen history <cluster>
        /bluegreen plan <cluster> <version> [profile]
        /bluegreen upgrade <cluster> <version> [profile]
        /bluegreen approve <run>
        /bluegreen reject <run> <reason>
        /bluegreen abort <run>
        /bluegreen schedule list <cluster>
        /bluegreen schedule cancel <cluster>
        /bluegreen schedule postpone <cluster> <days>
        """;

    /// <summary>The most days a postpone moves an end-of-support schedule.</summary>
    public const int MaxPostponeDays = 30;

    // Kubernetes minor versions as EKS names them ("1.34").
    [GeneratedRegex(@"^[1-9][0-9]?\.[0-9]{1,3}$")]
    private static partial Regex VersionPattern();

    // A profile is a file name in the profiles folder: lower case, digits and hyphens.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex ProfilePattern();

    // Run ids are RunIdentity.RunId: letters, digits and hyphens, at most 64 characters.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")]
    private static partial Regex RunPattern();

    /// <summary>The command, or every problem with the text.</summary>
    public static (ChatCommand? Command, IReadOnlyList<string> Problems) Parse(string text)
    {
        var words = (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return (new ChatCommand("help"), []);
        }

        var verb = words[0].ToLowerInvariant();
        var args = words[1..];
        var problems = new List<string>();
        ChatCommand? command = verb switch
        {
            "help" => Arity(verb, args, 0, 0, problems) ? new ChatCommand(verb) : null,
            "status" => Arity(verb, args, 0, 1, problems) ? new ChatCommand(verb, Cluster: args.Length == 1 ? Cluster(args[0], problems) : null) : null,
            "history" => Arity(verb, args, 1, 1, problems) ? new ChatCommand(verb, Cluster: Cluster(args[0], problems)) : null,
            "plan" or "upgrade" => Arity(verb, args, 2, 3, problems)
                ? new ChatCommand(verb, Cluster(args[0], problems), Version(args[1], problems), args.Length == 3 ? Profile(args[2], problems) : null)
                : null,
            "approve" or "abort" => Arity(verb, args, 1, 1, problems) ? new ChatCommand(verb, Run: Run(args[0], problems)) : null,
            "reject" => Arity(verb, args, 2, int.MaxValue, problems) ? new ChatCommand(verb, Run: Run(args[0], problems), Reason: Reason(args[1..], problems)) : null,
            "schedule" => Schedule(args, problems),
            _ => Unknown(verb, problems),
        };
        return problems.Count == 0 ? (command, []) : (null, problems);
    }

    private static ChatCommand? Unknown(string verb, List<string> problems)
    {
        problems.Add($"'{Shorten(verb)}' is not a command; the commands are help, status, history, plan, upgrade, approve, reject, abort, schedule");
        return null;
    }

    /// <summary><c>schedule list &lt;cluster&gt;</c>, <c>schedule cancel &lt;cluster&gt;</c>, <c>schedule postpone &lt;cluster&gt; &lt;days&gt;</c>.</summary>
    private static ChatCommand? Schedule(string[] args, List<string> problems)
    {
        var operation = args.Length > 0 ? args[0].ToLowerInvariant() : null;
        switch (operation)
        {
            case "list" or "cancel":
                return Arity($"schedule {operation}", args[1..], 1, 1, problems) ? new ChatCommand("schedule", Cluster: Cluster(args[1], problems), Operation: operation) : null;
            case "postpone":
                if (!Arity("schedule postpone", args[1..], 2, 2, problems))
                {
                    return null;
                }

                var days = int.TryParse(args[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxPostponeDays
                    ? n
                    : (int?)null;
                if (days is null)
                {
                    problems.Add($"days '{Shorten(args[2])}' must be a whole number of days from 1 to {MaxPostponeDays}");
                }

                return new ChatCommand("schedule", Cluster: Cluster(args[1], problems), Operation: operation, Days: days);
            default:
                problems.Add($"schedule needs list, cancel or postpone{(operation is null ? string.Empty : $", not '{Shorten(operation)}'")}: /bluegreen schedule list <cluster>");
                return null;
        }
    }

    private static bool Arity(string verb, string[] args, int min, int max, List<string> problems)
    {
        if (args.Length >= min && args.Length <= max)
        {
            return true;
        }

        var usage = Usage.Split('\n').First(l => l.Contains($" {verb}", StringComparison.Ordinal)).Trim();
        problems.Add($"{verb} takes {(min == max ? min.ToString(System.Globalization.CultureInfo.InvariantCulture) : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}")} argument(s), not {args.Length}: {usage}");
        return false;
    }

    private static string? Cluster(string name, List<string> problems) =>
        ClusterNames.Check(name) is { } why ? Problem(problems, $"cluster '{Shorten(name)}' {why}") : name;

    private static string? Version(string version, List<string> problems) =>
        VersionPattern().IsMatch(version) ? version : Problem(problems, $"version '{Shorten(version)}' must be a Kubernetes minor version such as 1.34");

    private static string? Profile(string profile, List<string> problems) =>
        ProfilePattern().IsMatch(profile) ? profile : Problem(problems, $"profile '{Shorten(profile)}' must be lower-case letters, digits and hyphens (at most 63)");

    private static string? Run(string run, List<string> problems) =>
        RunPattern().IsMatch(run) ? run : Problem(problems, $"run '{Shorten(run)}' must be a run id: letters, digits and hyphens, at most 64 characters");

    private static string? Reason(string[] words, List<string> problems)
    {
        var reason = string.Join(' ', words);
        return reason.Length <= MaxReasonLength ? reason : Problem(problems, $"the reason must be at most {MaxReasonLength} characters, not {reason.Length}");
    }

    private static string? Problem(List<string> problems, string problem)
    {
        problems.Add(problem);
        return null;
    }

    // Refusals quote what was typed, but never more than a few words' worth.
    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
