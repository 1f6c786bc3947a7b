using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Reflection;

namespace BlueGreen.Simulator.Cli;

/// <summary>
/// The simulator's command line, on System.CommandLine: one tree of commands, each defined beside its implementation
/// (<c>RehearseCommand.Definition()</c> and so on), parsed the same way whether <see cref="Program.Main"/> or a test calls
/// it. Per-command help (<c>rehearse -h</c>, <c>asl run --help</c>), <c>--version</c>, suggestions for a misspelled command
/// or option, and usage errors in one format (<see cref="UsageProblems"/>, exit <see cref="ExitUsage"/>).
/// </summary>
public static class SimulatorCli
{
    /// <summary>A usage error: EX_USAGE of sysexits.h, as the hand-written parser before this one returned.</summary>
    public const int ExitUsage = 64;

    /// <summary>How the README runs the simulator; the usage lines of help start with it, so they can be copied.</summary>
    public const string Invocation = "dotnet run --project src/Simulator --";

    private const string Summary = "The local rehearsal platform: the product's state machines and decision functions on a local "
        + "Step Functions engine against a simulated AWS account, on a virtual clock.";

    // No response files (@file) and no bundling of short options: every word is taken as written, as before
    // (a chat text or a --input value may start with @, and JSON is never split).
    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null, EnablePosixBundling = false };

    private static readonly Lazy<RootCommand> LazyRoot = new(Build);

    /// <summary>Every command, with its options and descriptions (what <c>-h</c> prints).</summary>
    public static RootCommand Root => LazyRoot.Value;

    private static RootCommand Build()
    {
        var root = new RootCommand(Summary) { HelpName = Invocation };
        root.Subcommands.Add(RehearseCommand.Definition());
        root.Subcommands.Add(ReportCommand.Definition());
        root.Subcommands.Add(AslCommand.Definition());
        root.Subcommands.Add(BenchCommand.Definition());
        root.Subcommands.Add(ChatCli.Definition());
        root.Subcommands.Add(FleetCommand.Definition());
        root.Subcommands.Add(DynamoDbCommand.Definition());
        root.Subcommands.Add(WorldCommand.Definition());
        root.Subcommands.Add(RunsCommand.Definition());
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction help })
            {
                help.MaxWidth = HelpWidth();
            }
            else if (option is VersionOption version)
            {
                // The simulator's own version, also when a test host (not this assembly) is the entry assembly.
                version.Action = new PrintVersion();
            }
        }

        return root;
    }

    /// <summary>The assembly's informational version: the project's version and the commit it was built from.</summary>
    public static string Version { get; } =
        typeof(SimulatorCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static ParseResult Parse(IReadOnlyList<string> args) => Root.Parse(args, Parsing);

    /// <summary>
    /// Parses and runs one command line, with <paramref name="stdout"/> and <paramref name="stderr"/> as the command's
    /// streams. What the parser refuses is thrown as a <see cref="UsageException"/>, and what a command throws is let
    /// through: <see cref="Program"/> turns both into messages and exit codes; a test asserts on them.
    /// </summary>
    public static int Invoke(IReadOnlyList<string> args, TextWriter stdout, TextWriter? stderr = null) =>
        Invoke(Parse(args), stdout, stderr ?? Console.Error);

    public static int Invoke(ParseResult parsed, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(stdout);
        if (parsed.Action is HelpAction)
        {
            return WriteHelp(parsed, stdout);
        }

        if (parsed.Errors.Count > 0)
        {
            throw new UsageException(UsageProblems.Describe(parsed));
        }

        // Exceptions reach Program (no default handler), and no Ctrl-C handling of System.CommandLine's: dynamodb serve has its own.
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
    }

    /// <summary>The words that named the command (<c>asl run</c>); empty for the root.</summary>
    public static string CommandPath(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var words = new List<string>();
        for (var result = parsed.CommandResult; result.Command is not RootCommand; result = (System.CommandLine.Parsing.CommandResult)result.Parent!)
        {
            words.Insert(0, result.Command.Name);
        }

        return string.Join(' ', words);
    }

    /// <summary>One usage error: each problem on its own line naming the command, then where its usage is.</summary>
    public static void WriteUsageError(TextWriter stderr, string command, string problems)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(problems);
        var name = command.Length == 0 ? "simulator" : command;
        foreach (var line in problems.Split('\n'))
        {
            stderr.WriteLine($"{name}: {line}");
        }

        stderr.WriteLine(command.Length == 0 ? "Run with -h for the list of commands." : $"See '{command} -h' for its usage.");
    }

    /// <summary>
    /// The overview (no arguments, <c>help</c>, <c>-h</c>): every command with the first line of its description; the
    /// rest of each description is in its own help.
    /// </summary>
    public static void WriteOverview(TextWriter stdout) => WriteCommandList(stdout, Root);

    /// <summary>The root's or a group's help (<c>asl -h</c>): its commands, each with the first line of its description.</summary>
    private static void WriteCommandList(TextWriter stdout, Command group)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var path = group is RootCommand ? string.Empty : group.Name;
        var commands = Leaves(group, path).ToList();
        var width = Math.Max(commands.Max(c => c.Path.Length), "-h, --help".Length) + 2;
        stdout.WriteLine(group is RootCommand ? Summary : group.Description);
        stdout.WriteLine();
        stdout.WriteLine("Usage:");
        stdout.WriteLine($"  {Invocation} {(path.Length == 0 ? string.Empty : path + " ")}<command> [options]");
        stdout.WriteLine();
        stdout.WriteLine("Commands:");
        foreach (var (name, command) in commands)
        {
            stdout.WriteLine($"  {name.PadRight(width)}{FirstLine(command.Description)}");
        }

        stdout.WriteLine();
        stdout.WriteLine("Options:");
        stdout.WriteLine($"  {"-h, --help".PadRight(width)}This list; after a command, that command's options, exit codes and examples ({commands[0].Path} -h).");
        if (group is RootCommand)
        {
            stdout.WriteLine($"  {"--version".PadRight(width)}The simulator's version (the assembly's informational version: version+commit).");
        }

        stdout.WriteLine();
        stdout.WriteLine("Run '<command> -h' (or 'help <command>') for a command's options. Usage errors exit 64.");
    }

    private static int WriteHelp(ParseResult parsed, TextWriter stdout)
    {
        if (parsed.CommandResult.Command is { Action: null } group)
        {
            WriteCommandList(stdout, group);
            return 0;
        }

        // System.CommandLine's help for the command, without the spaces it leaves at the end of wrapped lines.
        using var buffer = new StringWriter();
        parsed.Invoke(new InvocationConfiguration { Output = buffer, ProcessTerminationTimeout = null });
        foreach (var line in buffer.ToString().TrimEnd().Split('\n'))
        {
            stdout.WriteLine(line.TrimEnd());
        }

        return 0;
    }

    private static IEnumerable<(string Path, Command Command)> Leaves(Command command, string prefix)
    {
        foreach (var sub in command.Subcommands)
        {
            var path = prefix.Length == 0 ? sub.Name : $"{prefix} {sub.Name}";
            if (sub.Subcommands.Count == 0)
            {
                yield return (path, sub);
            }
            else
            {
                foreach (var leaf in Leaves(sub, path))
                {
                    yield return leaf;
                }
            }
        }
    }

    private static string FirstLine(string? description) => (description ?? string.Empty).Split('\n')[0];

    // Wrapped to the terminal; to 100 columns when redirected (a file, a pipe, a test), so the text is the same everywhere.
    private static int HelpWidth()
    {
        if (Console.IsOutputRedirected)
        {
            return 100;
        }

        try
        {
            return Math.Clamp(Console.WindowWidth, 60, 140);
        }
        catch (IOException)
        {
            return 100;
        }
    }

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return 0;
        }
    }
}
