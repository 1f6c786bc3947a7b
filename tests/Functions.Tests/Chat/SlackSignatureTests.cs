using System.Text;
using BlueGreen.Functions.Chat;

namespace BlueGreen.Functions.Tests.Chat;

public class SlackSignatureTests
{
    // The worked example of Slack's "Verifying requests from Slack" page: its secret, timestamp, body and signature.
    private const string ExampleBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string ExampleSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static readonly byte[] ExampleSecret = Encoding.UTF8.GetBytes("8f742231b10e8888abcd99yyyzzz85a5");
    private static readonly DateTimeOffset ExampleTime = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    [Fact]
    public void Sign_SlacksWorkedExample_GivesItsSignature()
    {
        Assert.Equal(ExampleSignature, SlackSignature.Sign(ExampleSecret, "1531420618", Encoding.UTF8.GetBytes(ExampleBody)));
    }

    [Fact]
    public void Verify_SlacksWorkedExampleWithinFiveMinutes_Accepts()
    {
        Assert.Null(SlackSignature.Verify(ExampleSecret, "1531420618", ExampleSignature, Encoding.UTF8.GetBytes(ExampleBody), ExampleTime.AddMinutes(4)));
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public void Verify_TimestampMoreThanFiveMinutesAway_RefusesAsStale(int minutes)
    {
        var refusal = SlackSignature.Verify(ExampleSecret, "1531420618", ExampleSignature, Encoding.UTF8.GetBytes(ExampleBody), ExampleTime.AddMinutes(minutes));

        Assert.Equal("stale", refusal?.Code);
        Assert.Equal(401, refusal?.HttpStatus);
    }

    [Fact]
    public void Verify_OneByteOfTheBodyChanged_RefusesAsForged()
    {
        var body = Encoding.UTF8.GetBytes(ExampleBody.Replace("roadrunner", "roadrunnes", StringComparison.Ordinal));

        Assert.Equal("forged", SlackSignature.Verify(ExampleSecret, "1531420618", ExampleSignature, body, ExampleTime)?.Code);
    }

    [Fact]
    public void Verify_OtherSecret_RefusesAsForged()
    {
        Assert.Equal("forged", SlackSignature.Verify("another secret"u8, "1531420618", ExampleSignature, Encoding.UTF8.GetBytes(ExampleBody), ExampleTime)?.Code);
    }

    [Fact]
    public void Verify_TimestampOfTheSignatureChanged_RefusesAsForged()
    {
        // The timestamp is signed: moving it forward to pass the freshness check breaks the signature.
        Assert.Equal("forged", SlackSignature.Verify(ExampleSecret, "1531420619", ExampleSignature, Encoding.UTF8.GetBytes(ExampleBody), ExampleTime)?.Code);
    }

    [Theory]
    [InlineData(null, ExampleSignature, "unsigned")]
    [InlineData("1531420618", null, "unsigned")]
    [InlineData("15314206l8", ExampleSignature, "unsigned")]
    [InlineData("-1531420618", ExampleSignature, "unsigned")]
    [InlineData("1531420618", "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "forged")]
    [InlineData("1531420618", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b50", "forged")]
    [InlineData("1531420618", "v0=z2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "forged")]
    public void Verify_MissingOrMalformedHeaders_Refuses(string? timestamp, string? signature, string code)
    {
        Assert.Equal(code, SlackSignature.Verify(ExampleSecret, timestamp, signature, Encoding.UTF8.GetBytes(ExampleBody), ExampleTime)?.Code);
    }

    [Fact]
    public void Verify_UpperCaseHex_IsTheSameDigest()
    {
        // Hex case carries no information; what is compared is the 32 bytes.
        Assert.Null(SlackSignature.Verify(ExampleSecret, "1531420618", "v0=" + ExampleSignature[3..].ToUpperInvariant(), Encoding.UTF8.GetBytes(ExampleBody), ExampleTime));
    }
}
