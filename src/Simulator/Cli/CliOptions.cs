using System.CommandLine;

namespace BlueGreen.Simulator.Cli;

/// <summary>
/// The options several commands take under one name (<c>--json</c>, <c>--scenario</c>, <c>--input</c>, <c>--template</c>,
/// <c>-c</c>): one spelling and value name each, and a description the command can make its own.
/// </summary>
internal static class CliOptions
{
    public static Option<bool> Json(string description) => new("--json") { Description = description };

    public static Option<string> Scenario(string description) => new("--scenario") { Description = description, HelpName = "NAME|FILE" };

    public static Option<string> Input(string description) => new("--input") { Description = description, HelpName = "FILE|JSON" };

    public static Option<string> Template(string description) => new("--template") { Description = description, HelpName = "FILE" };

    /// <summary>CDK's context option, repeatable: <c>-c bluegreen:environment=prd -c bluegreen:clusterNamePrefixes=shop-</c>.</summary>
    public static Option<string[]> Context() => new("--context", "-c")
    {
        Description = "A CDK context setting, repeatable as for the CDK app (-c bluegreen:environment=prd -c bluegreen:clusterNamePrefixes=shop-): "
            + "overrides cdk.json's settings, validated with the CDK app's rules and messages. Not with --template (a template carries its settings).",
        HelpName = "key=value",
    };

    /// <summary>A string option with a value name for help (<c>--out &lt;FILE&gt;</c>).</summary>
    public static Option<string> Value(string name, string valueName, string description) => new(name) { Description = description, HelpName = valueName };

    /// <summary>A count (<c>--runs &lt;N&gt;</c>) with its default, which help shows.</summary>
    public static Option<T> Number<T>(string name, string description, T defaultValue) =>
        new(name) { Description = description, HelpName = "N", DefaultValueFactory = _ => defaultValue };

    /// <summary>
    /// A command's description as written in the source (wrapped at about 120 columns) made into what help wraps to the
    /// terminal: the first line (the summary the overview lists) on its own, the lines of each paragraph joined, and
    /// indented lines (forms, examples) kept as they are.
    /// </summary>
    public static string Prose(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var result = new System.Text.StringBuilder(lines[0]);
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            var joins = i > 1 && line.Length > 0 && !line.StartsWith(' ') && lines[i - 1].Length > 0 && !lines[i - 1].StartsWith(' ');
            result.Append(joins ? ' ' : '\n').Append(line);
        }

        return result.ToString();
    }
}
