using BlueGreen.Functions.Chat;

namespace BlueGreen.Functions.Tests.Chat;

public class ChatGrammarTests
{
    [Theory]
    [InlineData("", "help")]
    [InlineData("  HELP ", "help")]
    [InlineData("status", "status")]
    [InlineData("history shop_blue-2", "history")]
    public void Parse_ValidText_GivesTheVerb(string text, string verb)
    {
        Assert.Equal(verb, ChatGrammar.Parse(text).Command?.Verb);
    }

    [Fact]
    public void Parse_Reject_KeepsTheWholeReason()
    {
        var (command, _) = ChatGrammar.Parse("reject shop-blue-to-1-34-0a1b2c3d error rate too high on green");

        Assert.Equal(new ChatCommand("reject", Run: "shop-blue-to-1-34-0a1b2c3d", Reason: "error rate too high on green"), command);
        Assert.Equal(ChatRole.Approver, command!.Role);
    }

    [Theory]
    [InlineData("schedule list shop-blue", "list", null, ChatRole.Viewer)]
    [InlineData("schedule CANCEL shop-blue", "cancel", null, ChatRole.Operator)]
    [InlineData("schedule postpone shop-blue 7", "postpone", 7, ChatRole.Operator)]
    public void Parse_Schedule_GivesTheOperationAndTheRoleItNeeds(string text, string operation, int? days, ChatRole role)
    {
        var (command, problems) = ChatGrammar.Parse(text);

        Assert.Empty(problems);
        Assert.Equal(new ChatCommand("schedule", Cluster: "shop-blue", Operation: operation, Days: days), command);
        Assert.Equal(role, command!.Role);
        Assert.True(command.IsWorkflowCommand);
    }

    [Theory]
    [InlineData("schedule", "schedule needs list, cancel or postpone")]
    [InlineData("schedule move shop-blue", "not 'move'")]
    [InlineData("schedule postpone shop-blue", "takes 2 argument(s), not 1")]
    [InlineData("schedule postpone shop-blue 0", "from 1 to 30")]
    [InlineData("schedule postpone shop-blue 31", "from 1 to 30")]
    [InlineData("schedule postpone shop-blue -2", "from 1 to 30")]
    [InlineData("schedule list", "takes 1 argument(s), not 0")]
    public void Parse_ScheduleWrong_NamesTheProblem(string text, string problem)
    {
        var (command, problems) = ChatGrammar.Parse(text);

        Assert.Null(command);
        Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ClusterNameOver100Characters_IsRefusedByTheEksRule()
    {
        var (command, problems) = ChatGrammar.Parse("history " + new string('a', 101));

        Assert.Null(command);
        Assert.Contains("at most 100 characters", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("approve run_with_underscore")]
    [InlineData("approve -leading")]
    [InlineData("plan shop 1.34.2")]
    [InlineData("plan shop v1.34")]
    [InlineData("status a b")]
    [InlineData("help me")]
    public void Parse_InvalidArguments_AreProblems(string text)
    {
        var (command, problems) = ChatGrammar.Parse(text);

        Assert.Null(command);
        Assert.NotEmpty(problems);
    }

    [Fact]
    public void Parse_ReasonOverTheLimit_IsAProblem()
    {
        Assert.NotEmpty(ChatGrammar.Parse("reject r-1 " + new string('x', ChatGrammar.MaxReasonLength + 1)).Problems);
    }
}
