using System.Text;
using System.Text.Json;
using BlueGreen.Functions.Handlers;

namespace BlueGreen.Functions.Tests.Chat;

public class ChatCommandHandlerTests
{
    private readonly ChatRig _rig = new();

    private MemoryStream Event(string body, bool base64, string method = "POST", string version = "2.0")
    {
        var signed = _rig.Signed(body);
        var json = $$"""
            {"version":"{{version}}","routeKey":"$default","rawPath":"/","rawQueryString":"",
             "headers":{"X-Slack-Request-Timestamp":"{{signed.Headers["x-slack-request-timestamp"]}}","x-slack-signature":"{{signed.Headers["x-slack-signature"]}}","content-type":"application/x-www-form-urlencoded"},
             "requestContext":{"http":{"method":"{{method}}","path":"/"},"requestId":"r-1","timeEpoch":1},
             "body":{{JsonSerializer.Serialize(base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(body)) : body, Support.TestJson.Default.String)}},"isBase64Encoded":{{(base64 ? "true" : "false")}}}
            """;
        return new MemoryStream(Encoding.UTF8.GetBytes(json));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Handle_FunctionUrlEvent_AnswersInTheResponseFormat(bool base64)
    {
        using var output = new ChatCommandHandler(_rig.Endpoint).Handle(Event(ChatRig.SlashBody("upgrade shop-blue 1.34"), base64));

        var response = JsonDocument.Parse(output).RootElement;
        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/json", response.GetProperty("headers").GetProperty("content-type").GetString());
        Assert.Equal("in_channel", JsonDocument.Parse(response.GetProperty("body").GetString()!).RootElement.GetProperty("response_type").GetString());
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("")]
    public void Handle_NotAFunctionUrlEvent_RaisesInvalidInput(string version)
    {
        Assert.Throws<InvalidInput>(() => new ChatCommandHandler(_rig.Endpoint).Handle(Event("help", false, version: version)));
    }

    [Fact]
    public void Handle_Base64FlagWithTextBody_RaisesInvalidInput()
    {
        var json = """{"version":"2.0","headers":{},"requestContext":{"http":{"method":"POST"}},"body":"not base64!","isBase64Encoded":true}""";

        Assert.Throws<InvalidInput>(() => new ChatCommandHandler(_rig.Endpoint).Handle(new MemoryStream(Encoding.UTF8.GetBytes(json))));
    }
}
