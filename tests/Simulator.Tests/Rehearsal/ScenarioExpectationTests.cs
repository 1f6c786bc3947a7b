using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Every scenario in scenarios/ rehearsed end to end: what its <c>expect</c> block says, plus the
/// invariants every ending must keep (traffic never split, lock released, nothing left running).
/// </summary>
public class ScenarioExpectationTests
{
    private static readonly string[] FinishedStatuses = ["Succeeded", "RolledBack", "Failed", "Planned"];

    public static TheoryData<string> Scenarios => [.. RehearsalKit.ScenarioNames()];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Rehearse_Scenario_MeetsItsExpectations(string scenario)
    {
        var (rehearsal, summary) = RehearsalKit.Run(scenario);
        using var _ = rehearsal;
        var expect = rehearsal.Scenario.Expect;
        Assert.True(expect.GetString("outcome") is not null && expect.GetString("status") is not null, $"{scenario}: the expect block names no outcome and status");

        // The comparison `rehearse` exits by (ScenarioExpectation), so the tests and a CI gate cannot disagree.
        var checks = ScenarioExpectation.Check(expect, summary);

        Assert.Empty(checks.Where(c => !c.Met).Select(c => $"{c.Field}: expected {c.Expected}, was {c.Actual}"));
        Assert.Contains(checks, c => c.Field == "outcome");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Rehearse_Scenario_EndsWithTrafficWholeTheLockReleasedAndNothingRunning(string scenario)
    {
        var (rehearsal, summary) = RehearsalKit.Run(scenario);
        using var _ = rehearsal;
        var cluster = (rehearsal.Input as JObject)?.GetString("clusterName") ?? "shop-blue";

        Assert.Contains(summary.FinalWeights, new TrafficWeights?[] { new(100, 0), new(0, 100) });
        Assert.Null(RehearsalKit.Lock(rehearsal, cluster));
        Assert.False(summary.LockHeld, $"the lock is still held by {summary.LockHeldBy}");
        Assert.All(rehearsal.Account.StepFunctions.Executions, e => Assert.False(e.IsRunning, $"{e.StateMachineName}/{e.Name} is still running"));
        if (summary.RunRecord is { } record)
        {
            Assert.Contains(record.GetString("status"), FinishedStatuses);
            // The summary's outcome is the record's, named as operators name it.
            Assert.Equal(record.GetString("status") == "Succeeded" ? "Completed" : record.GetString("status"), summary.Outcome);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Rehearse_Scenario_ReportsErrorsAsMessages_NeverAsLambdaJsonOrStackTraces(string scenario)
    {
        // Issue 16: a function's error reaches the execution's cause, the run record and the notifications as its message
        // (every problem on its own line); the stack trace stays in the function's log.
        var (rehearsal, summary) = RehearsalKit.Run(scenario);
        using var _ = rehearsal;
        var texts = new[] { ("cause", summary.Cause), ("runRecord.reason", Simulator.Rehearsal.RunPicture.ReasonOf(summary.RunRecord)) }
            .Concat(rehearsal.Account.Service<BlueGreen.Simulator.Aws.Services.Sns.SnsService>().Messages.Select(m => ($"notification \"{m.Subject}\"", (string?)m.Message)));

        Assert.All(texts, t => Assert.False(
            t.Item2 is { } text && (text.Contains("stackTrace", StringComparison.Ordinal) || text.Contains("\"errorType\"", StringComparison.Ordinal)),
            $"{t.Item1}: {t.Item2}"));

        // The record's reason is a map {error, cause} (or restore-blue's sentence), and no notification quotes an error
        // as JSON text: nobody should have to unescape {"Error":"...","Cause":"..."} to read why a run ended.
        Assert.False(summary.RunRecord?["reason"] is JString reason && reason.Value.TrimStart().StartsWith('{'), $"runRecord.reason: {summary.RunRecord?["reason"]?.ToJson()}");
        var descriptions = Published(rehearsal).Select(m => (m.Subject, Text: m.Json is { } o ? o.GetObject("content")?.GetString("description") : m.Message));
        Assert.All(descriptions, d => Assert.DoesNotContain("\"Cause\":", d.Text ?? string.Empty, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Rehearse_Scenario_EveryChatNotificationHasOnlyTheCustomNotificationSchemasMembers(string scenario)
    {
        // AWS Chatbot custom notifications: version, source, id, content {textType, title, description, nextSteps,
        // keywords}, metadata (https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html, Event schema).
        // A member of our own beside them is not in the documented schema, so nothing says Chatbot would show the message.
        string[] top = ["version", "source", "id", "content", "metadata"];
        string[] content = ["textType", "title", "description", "nextSteps", "keywords"];
        var (rehearsal, _) = RehearsalKit.Run(scenario);
        using var _r = rehearsal;
        var notifications = Published(rehearsal)
            .Where(m => m.TopicArn.EndsWith("-notifications", StringComparison.Ordinal) && m.Json?.GetString("version") is not null)
            .ToList();

        Assert.All(notifications, n =>
        {
            Assert.True(n.Json!.Keys.All(top.Contains), $"\"{n.Subject}\": {string.Join(", ", n.Json.Keys)}");
            Assert.True(n.Json.GetObject("content")!.Keys.All(content.Contains), $"\"{n.Subject}\" content: {string.Join(", ", n.Json.GetObject("content")!.Keys)}");
        });
    }

    /// <summary>Every message published in the rehearsal, with its body as a JSON object when it is one (a custom notification).</summary>
    private static IEnumerable<(string? Subject, string TopicArn, string Message, JObject? Json)> Published(UpgradeRehearsal rehearsal) =>
        rehearsal.Account.Service<BlueGreen.Simulator.Aws.Services.Sns.SnsService>().Messages
            .Select(m => (m.Subject, m.TopicArn, m.Message, JValue.TryParse(m.Message, out var parsed, out _) ? parsed as JObject : null));
}
