using System.Globalization;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.Pipes;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>
/// A <c>run: chat</c> scenario: the product deployed with the chat endpoint (the rehearsal policy), nothing started by the
/// scenario itself; its <c>slashCommand</c> and <c>clickButton</c> events, signed as Slack signs, go through the deployed
/// function at their virtual times, and the stream, the pipe and chat-command do the rest. The summary says what the chat
/// did (every command with its decision and outcome, the follow-ups posted) and what came of it (the upgrade started from
/// chat, its outcome and final weights, the mutating calls).
/// </summary>
public sealed class ChatScenario : IDisposable
{
    private readonly ChatRehearsal _chat;

    private ChatScenario(ChatRehearsal chat) => _chat = chat;

    public Scenario Scenario { get; private init; } = null!;

    public SimulatedAccount Account => _chat.Account;

    public ChatRehearsal Chat => _chat;

    public static ChatScenario Prepare(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario.Run == "chat"
            ? new ChatScenario(ChatRehearsal.Prepare(scenario)) { Scenario = scenario }
            : throw new ScenarioException($"Scenario '{scenario.Name}' is run: {scenario.Run}, not run: chat.");
    }

    public (JObject Summary, IReadOnlyList<ExpectationCheck> Checks) Run()
    {
        var callsBefore = Account.Calls.Calls.Count;
        Account.RunUntilSettled(Scenario.LastEventAt);
        var summary = Summarize(callsBefore);
        return (summary, Check(Scenario.Expect, summary));
    }

    private JObject Summarize(int callsBefore)
    {
        var upgradeArn = _chat.Deployment.UpgradeStateMachineArn;
        var upgrades = Account.StepFunctions.Executions.Where(e => e.StateMachineArn == upgradeArn).ToList();
        var upgrade = upgrades.FirstOrDefault();
        var runRecord = upgrade is null ? null : RunRecord(upgrade);
        var weights = upgrade is null ? null : TrafficProbe.Weights(Account, upgrade.Input);
        var calls = Account.Calls.Calls.Skip(callsBefore).ToList();
        var commands = _chat.AuditRecords().Select(r => JObject.Of(
            ("user", r.TryGetValue("userId", out var u) ? u.S : JNull.Instance),
            ("verb", r.TryGetValue("verb", out var v) ? v.S : JNull.Instance),
            ("decision", r["decision"].S),
            ("decisionCode", r["decisionCode"].S),
            ("status", r["status"].S),
            ("outcome", r.TryGetValue("outcome", out var o) ? o.S : JNull.Instance))).ToList();
        return new JObjectBuilder()
            .Add("scenario", Scenario.Name)
            .Add("upgrades", upgrades.Count)
            .Add("status", upgrade?.StatusName is { } s ? s : JNull.Instance)
            .Add("outcome", Outcome(upgrade, runRecord))
            .Add("error", upgrade?.Error is { } error ? error : JNull.Instance)
            .Add("finalWeights", weights is null ? JNull.Instance : JObject.Of(("blue", weights.Blue), ("green", weights.Green)))
            .Add("commands", JArray.From(commands))
            .Add("refusals", JArray.From(commands.Where(c => c.GetString("decision") == "refused").Select(c => (JValue)c.GetString("decisionCode")!)))
            .Add("chatCommandExecutions", Account.Service<PipesService>().Deliveries.Count(d => d.Succeeded))
            .Add("posts", JArray.From(Account.Http.Posts.Select(p => (JValue)((p.Body as JObject)?.GetString("text") ?? string.Empty))))
            .Add("approvalMessages", JArray.From(ApprovalMessages()))
            .Add("mutatingAwsCalls", calls.Count(c => c.ChangesAResource))
            .Add("denials", Account.Denials.Count)
            .Add("virtualSeconds", (Account.Scheduler.Now - Account.Options.Start).TotalSeconds)
            .Build();
    }

    /// <summary>
    /// The messages the workflow posted to Slack with buttons: channel, the buttons' action ids and values, and whether the
    /// message carries any task token a gate stored (it must not).
    /// </summary>
    private IEnumerable<JValue> ApprovalMessages()
    {
        var tokens = Account.Calls.Calls.Where(c => c.StateName == "Keep the token with the run")
            .Select(c => c.Parameters.GetObject("Item")?.GetObject("taskToken")?.GetString("S")).OfType<string>().ToList();
        return Account.Http.Slack.Messages.Where(m => m.Buttons.Count > 0).Select(m => (JValue)JObject.Of(
            ("channel", m.Channel),
            ("buttons", JArray.From(m.Buttons.Select(b => (JValue)b.ActionId))),
            ("values", JArray.From(m.Buttons.Select(b => (JValue)b.Value))),
            ("carriesTaskToken", tokens.Any(t => m.Body.ToJson().Contains(t, StringComparison.Ordinal)))));
    }

    private static string Outcome(Asl.Runtime.Execution? upgrade, JObject? runRecord) => upgrade is null
        ? "NotStarted"
        : runRecord?.GetString("status") switch
        {
            "Succeeded" => "Completed",
            "RolledBack" => "RolledBack",
            "Planned" => "Planned",
            _ => "Failed",
        };

    private JObject? RunRecord(Asl.Runtime.Execution upgrade)
    {
        if (upgrade.Input is not JObject input || input.GetString("clusterName") is not { } cluster)
        {
            return null;
        }

        var context = new AwsCallContext { Account = Account, Cancellation = CancellationToken.None, StateName = "rehearsal summary" };
        JObject? result = null;
        Account.Scheduler.Run(async () => result = (JObject)await Account.CallAsync(Account.Service<DynamoDbService>(), "Query", JObject.Of(
            ("TableName", _chat.Deployment.TableName),
            ("KeyConditionExpression", "pk = :pk AND begins_with(sk, :run)"),
            ("ExpressionAttributeValues", JObject.Of((":pk", JObject.Of(("S", $"CLUSTER#{cluster}"))), (":run", JObject.Of(("S", "RUN#")))))), context));
        return result?.GetArray("Items")?.OfType<JObject>().Select(DynamoDbWorld.FromItem).FirstOrDefault(i => i.GetString("executionArn") == upgrade.Arn);
    }

    /// <summary>
    /// The <c>expect</c> fields of a <c>run: chat</c> scenario: <c>status</c>, <c>outcome</c>, <c>finalWeights</c> (of the
    /// upgrade started from chat), <c>upgrades</c>, <c>chatCommandExecutions</c>, <c>mutatingAwsCalls</c> (numbers),
    /// <c>refusals</c> (the refusal codes in order), <c>posted</c> (texts each found in some follow-up) and
    /// <c>approvalMessages</c> (<c>count</c>, <c>buttons</c>: the action ids every approval message carries, in order,
    /// <c>carriesTaskToken</c>).
    /// </summary>
    public static IReadOnlyList<ExpectationCheck> Check(JObject expect, JObject summary)
    {
        ArgumentNullException.ThrowIfNull(expect);
        ArgumentNullException.ThrowIfNull(summary);
        var checks = new List<ExpectationCheck>();
        foreach (var field in new[] { "status", "outcome" })
        {
            if (expect.GetString(field) is { } wanted)
            {
                var actual = summary.GetString(field) ?? "none";
                checks.Add(new(field, wanted, actual, wanted == actual));
            }
        }

        foreach (var field in new[] { "upgrades", "chatCommandExecutions", "mutatingAwsCalls" })
        {
            if (expect.GetNumber(field) is { } wanted)
            {
                var actual = summary.GetNumber(field) ?? 0;
                checks.Add(new(field, Number(wanted), Number(actual), wanted.Equals(actual)));
            }
        }

        if (expect.GetObject("finalWeights") is { } weights)
        {
            var actual = summary.GetObject("finalWeights");
            var text = actual is null ? "none" : $"blue {Number(actual.GetNumber("blue") ?? -1)}, green {Number(actual.GetNumber("green") ?? -1)}";
            checks.Add(new("finalWeights", $"blue {Number(weights.GetNumber("blue") ?? -1)}, green {Number(weights.GetNumber("green") ?? -1)}", text,
                actual is not null && actual.GetNumber("blue") == weights.GetNumber("blue") && actual.GetNumber("green") == weights.GetNumber("green")));
        }

        if (expect.GetArray("refusals") is { } refusals)
        {
            var wanted = string.Join(", ", refusals.Select(r => r.AsString()));
            var actual = string.Join(", ", summary.GetArray("refusals")!.Select(r => r.AsString()));
            checks.Add(new("refusals", wanted, actual, wanted == actual));
        }

        if (expect.GetObject("approvalMessages") is { } wantedMessages)
        {
            var messages = summary.GetArray("approvalMessages")!.OfType<JObject>().ToList();
            if (wantedMessages.GetNumber("count") is { } count)
            {
                checks.Add(new("approvalMessages.count", Number(count), Number(messages.Count), messages.Count == (int)count));
            }

            if (wantedMessages.GetArray("buttons") is { } buttons)
            {
                var wanted = string.Join(", ", buttons.Select(b => b.AsString()));
                var actual = messages.Select(m => string.Join(", ", m.GetArray("buttons")!.Select(b => b.AsString()))).ToList();
                checks.Add(new("approvalMessages.buttons", wanted, string.Join(" | ", actual), actual.Count > 0 && actual.All(a => a == wanted)));
            }

            if (wantedMessages.GetBool("carriesTaskToken") is { } carries)
            {
                var actual = messages.Any(m => m.GetBool("carriesTaskToken") == true);
                checks.Add(new("approvalMessages.carriesTaskToken", carries ? "true" : "false", actual ? "true" : "false", actual == carries));
            }
        }

        foreach (var text in expect.GetArray("posted") ?? JArray.Empty)
        {
            var posts = summary.GetArray("posts")!.Select(p => p.AsString()).ToList();
            checks.Add(new("posted", text.AsString(), string.Join(" | ", posts), posts.Any(p => p.Contains(text.AsString(), StringComparison.Ordinal))));
        }

        return checks;
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _chat.Dispose();
}
