using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Cli;

/// <summary>
/// <c>chat --as USER "TEXT"</c>: one slash command, signed as Slack signs it, through the real chat function (started from
/// the code package) against a simulated account with the product deployed; prints the reply the user would see.
/// </summary>
public static class ChatCli
{
    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal) { "as", "team", "channel", "scenario", "policy" };

    public static int Run(IReadOnlyList<string> args, TextWriter stdout)
    {
        var (text, options) = SplitText(args);
        var cl = new CommandLine(options, new HashSet<string> { "json" });
        var user = cl.Require("as");
        var team = cl.Get("team") ?? ChatRehearsal.Team;
        var channel = cl.Get("channel") ?? ChatRehearsal.Channel;
        var scenario = cl.Get("scenario") ?? "happy-alb";
        var policyFile = cl.Get("policy");
        var json = cl.Flag("json");
        cl.RejectUnknown();
        if (text is null)
        {
            throw new UsageException("chat needs the text of the command, e.g. chat --as U123 \"/bluegreen status shop-blue\".");
        }

        if (policyFile is not null && !File.Exists(policyFile))
        {
            throw new UsageException($"--policy {policyFile}: no such file.");
        }

        using var rehearsal = ChatRehearsal.Prepare(Scenario.Load(scenario), policyFile is null ? null : File.ReadAllText(policyFile));
        var reply = rehearsal.SlashCommand(user, text, team, channel);
        var records = rehearsal.AuditRecords();
        var audit = records.Count == 0 ? null : records[^1];
        if (json)
        {
            stdout.WriteLine(JObject.Of(
                ("statusCode", reply.StatusCode),
                ("responseType", reply.ResponseType),
                ("text", reply.Text),
                ("decision", audit?.GetValueOrDefault("decision")?.S ?? string.Empty),
                ("decisionCode", audit?.GetValueOrDefault("decisionCode")?.S ?? string.Empty),
                ("commandStatus", audit?.GetValueOrDefault("status")?.S ?? string.Empty),
                ("milliseconds", Math.Round(reply.Milliseconds, 1))).ToJson());
        }
        else
        {
            stdout.WriteLine($"HTTP {reply.StatusCode} · {reply.ResponseType}{(reply.ResponseType == "ephemeral" ? " (only you can see this)" : string.Empty)}");
            stdout.WriteLine(reply.Text);
            if (audit is not null)
            {
                stdout.WriteLine($"audit: {audit["decision"].S} ({audit["decisionCode"].S}), command {audit["commandId"].S}, status {audit["status"].S}");
            }
        }

        return reply.StatusCode == 200 && audit?.GetValueOrDefault("decision")?.S == "accepted" ? 0 : 1;
    }

    /// <summary>The one argument that is neither an option nor an option's value is the text.</summary>
    private static (string? Text, List<string> Options) SplitText(IReadOnlyList<string> args)
    {
        string? text = null;
        var options = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                options.Add(arg);
                if (ValueOptions.Contains(arg[2..]) && i + 1 < args.Count)
                {
                    options.Add(args[++i]);
                }
            }
            else if (text is null)
            {
                text = arg;
            }
            else
            {
                throw new UsageException($"chat takes one text argument; quote it: \"{text} {arg}\".");
            }
        }

        return (text, options);
    }
}
