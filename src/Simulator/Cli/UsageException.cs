namespace BlueGreen.Simulator.Cli;

/// <summary>
/// A mistake in how a command was called: an option the parser refused, or a combination or value the command refused.
/// <see cref="Program"/> prints it on stderr naming the command, points at <c>&lt;command&gt; -h</c>, and exits
/// <see cref="SimulatorCli.ExitUsage"/>. The message may hold several problems, one per line.
/// </summary>
public sealed class UsageException(string message) : Exception(message);
