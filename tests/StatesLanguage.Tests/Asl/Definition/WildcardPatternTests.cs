using BlueGreen.Simulator.Asl.Definition;

namespace BlueGreen.Simulator.Tests.Asl.Definition;

public class WildcardPatternTests
{
    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "abc\n", false)]
    [InlineData("abc", "abc\r\n", false)]
    [InlineData("abc", "\nabc", false)]
    [InlineData("*.log", "app.log", true)]
    [InlineData("*.log", "app.log\n", false)]
    [InlineData("a\nb", "a\nb", true)]
    [InlineData("a\nb", "a b", false)]
    [InlineData("a*b", "a\nb", true)]
    [InlineData("*", "", true)]
    [InlineData("*", "line one\nline two", true)]
    [InlineData("", "", true)]
    [InlineData("", "\n", false)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData("ab*ba", "aba", false)]
    [InlineData("a**b", "ab", true)]
    [InlineData("a.c", "abc", false)]
    [InlineData("a?c", "abc", false)]
    [InlineData("a?c", "a?c", true)]
    [InlineData("[ab]", "a", false)]
    [InlineData("^a$", "^a$", true)]
    [InlineData(@"a\*b", "a*b", true)]
    [InlineData(@"a\*b", "axb", false)]
    [InlineData(@"dir\\*", @"dir\file", true)]
    public void IsMatch_MatchesTheWholeStringWithOnlyStarAsAWildcard(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, WildcardPattern.Parse(pattern).IsMatch(text));
    }

    [Theory]
    [InlineData(@"a\*", true)]
    [InlineData(@"a\\", true)]
    [InlineData(@"a\n", false)]
    [InlineData(@"a\", false)]
    [InlineData("a\n", true)]
    public void IsValid_RefusesOpenEscapes(string pattern, bool expected)
    {
        Assert.Equal(expected, WildcardPattern.IsValid(pattern));
    }
}
