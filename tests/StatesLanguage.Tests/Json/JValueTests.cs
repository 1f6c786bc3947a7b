using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Json;

public class JValueTests
{
    [Theory]
    [InlineData("1", "1")]
    [InlineData("1.0", "1")]
    [InlineData("-0", "0")]
    [InlineData("1.5", "1.5")]
    [InlineData("0.1", "0.1")]
    [InlineData("0.00001", "0.00001")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("123456789012345678", "123456789012345680")]
    [InlineData("-867633159802647168", "-867633159802647200")]
    [InlineData("9007199254740993", "9007199254740992")]
    [InlineData("9007199254740991", "9007199254740991")]
    [InlineData("1.2345678901234567e20", "123456789012345670000")]
    [InlineData("18446744073709551616", "18446744073709552000")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("-2.5e-8", "-2.5e-8")]
    public void ToJson_Number_MatchesJavaScript(string input, string expected)
    {
        Assert.Equal(expected, JValue.Parse(input).ToJson());
    }

    [Fact]
    public void ToJson_String_EscapesOnlyWhatJsonStringifyEscapes()
    {
        var value = new JString("a\"b\\c\n\u0001<é>");

        Assert.Equal("\"a\\\"b\\\\c\\n\\u0001<é>\"", value.ToJson());
    }

    [Fact]
    public void Utf8Size_EqualsEncodedLength()
    {
        var value = JValue.Parse("""{"k":"é漢😀\n","n":[1,2.5,null,true],"o":{}}""");

        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(value.ToJson()), value.Utf8Size);
    }

    [Fact]
    public void Equals_ObjectsWithDifferentMemberOrder_AreEqual()
    {
        Assert.Equal(JValue.Parse("""{"a":1,"b":[1,{"c":2}]}"""), JValue.Parse("""{"b":[1,{"c":2}],"a":1}"""));
        Assert.NotEqual(JValue.Parse("[1,2]"), JValue.Parse("[2,1]"));
    }

    [Fact]
    public void With_DoesNotChangeTheOriginal()
    {
        var original = (JObject)JValue.Parse("""{"a":1}""");

        var changed = original.With("b", 2).With("a", 3);

        Assert.Equal("""{"a":1}""", original.ToJson());
        Assert.Equal("""{"a":3,"b":2}""", changed.ToJson());
    }

    [Fact]
    public void Parse_DuplicateKeys_LastOneWins()
    {
        Assert.Equal("""{"a":2}""", JValue.Parse("""{"a":1,"a":2}""").ToJson());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"a\":1} x")]
    [InlineData("NaN")]
    [InlineData("{\"a\":1e400}")]
    [InlineData("[-1e309]")]
    [InlineData("{\"a\":\"\\ud800\"}")]
    public void TryParse_InvalidJson_ReportsAnError(string text)
    {
        Assert.False(JValue.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
