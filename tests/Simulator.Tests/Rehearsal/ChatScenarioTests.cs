using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>Issue 15, slice 4: the <c>run: chat</c> scenarios, rehearsed with their <c>expect</c> blocks.</summary>
public class ChatScenarioTests
{
    private static List<string> Names() =>
        [.. Directory.GetFiles(Scenario.ScenariosDirectory, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)).Where(n => Scenario.Load(n).Run == "chat").Order(StringComparer.Ordinal)];

    public static TheoryData<string> ChatScenarios => [.. Names()];

    [Theory]
    [MemberData(nameof(ChatScenarios))]
    public void ChatScenario_MeetsItsExpectBlock(string name)
    {
        using var rehearsal = ChatScenario.Prepare(Scenario.Load(name));

        var (summary, checks) = rehearsal.Run();

        Assert.NotEmpty(checks);
        Assert.All(checks, c => Assert.True(c.Met, $"{name}: {c.Field} expected {c.Expected}, was {c.Actual}\n{summary.ToJson()}"));
        Assert.Equal(0, summary.GetNumber("denials"));
    }

    [Fact]
    public void TheThreeScenariosOfTheIssue_AreShipped() =>
        Assert.Equal(["chat-abort", "chat-forged", "chat-upgrade-approve"], Names());

    [Fact]
    public void ChatForged_EveryRefusalIsAudited_AndNothingActs()
    {
        using var rehearsal = ChatScenario.Prepare(Scenario.Load("chat-forged"));

        var (summary, _) = rehearsal.Run();

        var records = rehearsal.Chat.AuditRecords();
        Assert.Equal(6, records.Count);
        Assert.All(records, r => Assert.Equal(("refused", "refused"), (r["decision"].S, r["status"].S)));
        Assert.Equal([false, false, true, false, true, true], records.Select(r => r["verified"].BOOL ?? false));   // a replay's claims are not trusted either
        Assert.Empty(rehearsal.Account.Http.Posts);
        Assert.DoesNotContain(rehearsal.Account.StepFunctions.Executions, e => true);
        Assert.Equal(0, summary.GetNumber("mutatingAwsCalls"));
    }

    [Fact]
    public void AnUpgradeScenario_CannotUseChatEvents()
    {
        var scenario = Scenario.FromJson("chat-events-without-chat", (Json.JObject)Json.JValue.Parse("""
            {"world":"default","input":{"clusterName":"shop-blue","targetVersion":"1.34"},"events":[{"at":"1m","do":"slashCommand","as":"U123","text":"help"}]}
            """));
        using var rehearsal = UpgradeRehearsal.Prepare(scenario);

        var e = Assert.Throws<ScenarioException>(() => rehearsal.Run());

        Assert.Contains("run: chat", e.Message, StringComparison.Ordinal);
    }
}
