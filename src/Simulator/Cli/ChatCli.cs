using System.CommandLine;
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
    private static readonly Option<string> AsOption = new("--as")
    {
        Description = "The Slack user id the command comes from. The rehearsal's policy: U123 operates every cluster, U456 and U457 approve, U789 only views shop-*.",
        HelpName = "USER",
        Required = true,
    };

    private static readonly Option<string> TeamOption = CliOptions.Value("--team", "T", $"The Slack workspace id; default {ChatRehearsal.Team} (allowlisted).");

    private static readonly Option<string> ChannelOption = CliOptions.Value("--channel", "C", $"The Slack channel id; default {ChatRehearsal.Channel} (allowlisted).");

    private static readonly Option<string> ScenarioOption = CliOptions.Scenario("The world the chat function answers about; default happy-alb.");

    private static readonly Option<string> PolicyOption = CliOptions.Value("--policy", "FILE", "A chat policy file (the bluegreen:chatPolicy JSON: who may do what) instead of the rehearsal's.");

    private static readonly Option<bool> JsonOption = CliOptions.Json(
        "Prints one JSON object: statusCode, responseType, text, decision, decisionCode, commandStatus, milliseconds.");

    private static readonly Argument<string> TextArgument = new("TEXT")
    {
        Description = "The slash command as typed in Slack, quoted: \"/bluegreen status shop-blue\".",
    };

    internal static Command Definition()
    {
        var command = new Command("chat", CliOptions.Prose("""
            Sends one Slack slash command through the real chat function and prints the reply and its audit record.
            The command ("/bluegreen status shop-blue") is signed with the app's signing secret and sent as a function URL
            request to the chat function (started from the code package) against the simulated account with the product deployed.

            Exit codes: 0 when the command was accepted, 1 when it was refused, 64 for a usage or scenario error.

            Examples:
              chat --as U123 "/bluegreen status shop-blue"
              chat --as U789 "/bluegreen upgrade shop-blue 1.34"   (refused: U789 only views)
            """))
        {
            AsOption, TeamOption, ChannelOption, ScenarioOption, PolicyOption, JsonOption, TextArgument,
        };
        command.SetAction(r => Run(r, r.InvocationConfiguration.Output));
        return command;
    }

    /// <summary>As <c>chat ARGS</c> on the command line, with exceptions thrown rather than printed.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout) => SimulatorCli.Invoke(["chat", .. args], stdout);

    private static int Run(ParseResult cl, TextWriter stdout)
    {
        var text = cl.GetRequiredValue(TextArgument);
        var user = cl.GetRequiredValue(AsOption);
        var team = cl.GetValue(TeamOption) ?? ChatRehearsal.Team;
        var channel = cl.GetValue(ChannelOption) ?? ChatRehearsal.Channel;
        var scenario = cl.GetValue(ScenarioOption) ?? "happy-alb";
        var policyFile = cl.GetValue(PolicyOption);
        var json = cl.GetValue(JsonOption);
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
}
