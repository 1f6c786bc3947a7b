using System.Text.Json;
using BlueGreen.Simulator.Cli;

namespace BlueGreen.Simulator.Tests.Cli;

/// <summary><c>chat --as USER "TEXT"</c>: a signed request through the packaged chat function, the reply printed.</summary>
public sealed class ChatCliTests
{
    [Fact]
    public void Status_ByAViewer_PrintsTheEphemeralReplyAndTheAudit_Exit0()
    {
        var stdout = new StringWriter();

        var exit = ChatCli.Run(["--as", "U789", "/bluegreen status shop-blue"], stdout);

        Assert.Equal(0, exit);
        Assert.Contains("HTTP 200 · ephemeral", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("No runs recorded for shop-blue.", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("audit: accepted (accepted)", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Upgrade_ByAnOperator_IsAPendingCommand()
    {
        var stdout = new StringWriter();

        var exit = ChatCli.Run(["--json", "--as", "U123", "/bluegreen upgrade shop-blue 1.34"], stdout);

        using var reply = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(0, exit);
        Assert.Equal(("in_channel", "pending"), (reply.RootElement.GetProperty("responseType").GetString(), reply.RootElement.GetProperty("commandStatus").GetString()));
    }

    [Theory]
    [InlineData("U789", "T0REHEARSAL", "/bluegreen upgrade shop-blue 1.34", "not-authorized")]
    [InlineData("U123", "T0OTHER", "/bluegreen status", "team-not-allowed")]
    [InlineData("U123", "T0REHEARSAL", "/bluegreen upgrade shop-blue 1.34 --force", "invalid-arguments")]
    public void Refusal_Exits1WithItsCode(string user, string team, string text, string code)
    {
        var stdout = new StringWriter();

        var exit = ChatCli.Run(["--as", user, "--team", team, "--json", text], stdout);

        using var reply = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(1, exit);
        Assert.Equal(code, reply.RootElement.GetProperty("decisionCode").GetString());
        Assert.StartsWith("Refused: ", reply.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingUserOrText_IsAUsageError()
    {
        Assert.Throws<UsageException>(() => ChatCli.Run(["status"], new StringWriter()));
        Assert.Throws<UsageException>(() => ChatCli.Run(["--as", "U123"], new StringWriter()));
        Assert.Throws<UsageException>(() => ChatCli.Run(["--as", "U123", "status", "shop-blue"], new StringWriter()));
    }
}
