namespace BlueGreen.Simulator.Cli;

/// <summary>A mistake in how the command was called; printed with the usage text, exit code 64.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// <c>--name value</c> options and <c>--flag</c> switches after a command's words. Small on purpose:
/// the contract is a handful of options, each documented in <see cref="Program"/>'s usage text.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _repeated = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public CommandLine(IReadOnlyList<string> args, IReadOnlySet<string> flagNames)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-c" or "--context")
            {
                // CDK's context option, repeatable: -c bluegreen:environment=prd -c bluegreen:clusterNamePrefixes=shop-
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"Option {arg} needs a key=value.");
                }

                (_repeated.TryGetValue("context", out var list) ? list : _repeated["context"] = []).Add(args[++i]);
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"Unexpected argument '{arg}'.");
            }

            var name = arg[2..];
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                Set(name[..eq], name[(eq + 1)..]);
            }
            else if (flagNames.Contains(name))
            {
                _flags.Add(name);
            }
            else if (i + 1 < args.Count)
            {
                Set(name, args[++i]);
            }
            else
            {
                throw new UsageException($"Option --{name} needs a value.");
            }
        }
    }

    // The last value wins for Get; GetAll gives every value of an option given more than once (--history a --history b).
    private void Set(string name, string value)
    {
        _options[name] = value;
        (_repeated.TryGetValue(name, out var list) ? list : _repeated[name] = []).Add(value);
    }

    public string? Get(string name)
    {
        _read.Add(name);
        return _options.GetValueOrDefault(name);
    }

    /// <summary>Every value of a repeatable option (<c>-c</c>, <c>--history</c>), in order.</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        _read.Add(name);
        return _repeated.GetValueOrDefault(name) ?? [];
    }

    public string Require(string name) => Get(name) ?? throw new UsageException($"Option --{name} is required.");

    public bool Flag(string name)
    {
        _read.Add(name);
        return _flags.Contains(name);
    }

    /// <summary>Fails on options the command never asked for (a typo should not be silently ignored).</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Concat(_flags).Concat(_repeated.Keys).Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"Unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}.");
        }
    }
}
