using BlueGreen.Simulator.Aws.Services;

namespace BlueGreen.Simulator.Tests.Aws.Services;

public sealed class PaginationTests
{
    private static readonly string[] Items = ["a", "b", "c", "d", "e"];

    private static Exception Invalid(string token) => new ArgumentException(token);

    [Fact]
    public void Of_OffsetTokens_WalksTheListPageByPage()
    {
        var first = Pagination.Of(Items, null, 2, PageTokens.Offsets, Invalid);
        var second = Pagination.Of(Items, first.NextToken, 2, PageTokens.Offsets, Invalid);
        var last = Pagination.Of(Items, second.NextToken, 2, PageTokens.Offsets, Invalid);

        Assert.Equal(["a", "b"], first.Items);
        Assert.Equal("2", first.NextToken);
        Assert.Equal(["c", "d"], second.Items);
        Assert.Equal("4", second.NextToken);
        Assert.Equal(["e"], last.Items);
        Assert.Null(last.NextToken);
    }

    [Fact]
    public void Of_OpaqueTokens_AreRefusedByAnotherList()
    {
        var page = Pagination.Of(Items, null, 2, PageTokens.Opaque("clusters", '|'), Invalid);

        Assert.Equal(["c", "d"], Pagination.Of(Items, page.NextToken, 2, PageTokens.Opaque("clusters", '|'), Invalid).Items);
        Assert.Throws<ArgumentException>(() => Pagination.Of(Items, page.NextToken, 2, PageTokens.Opaque("addons", '|'), Invalid));
        Assert.Throws<ArgumentException>(() => Pagination.Of(Items, "not base64!", 2, PageTokens.Opaque("clusters", '|'), Invalid));
    }

    [Fact]
    public void Of_TokenPastTheEnd_IsAnEmptyPageUnlessTheListRefusesIt()
    {
        Assert.Empty(Pagination.Of(Items, "9", 2, PageTokens.Offsets, Invalid).Items);
        Assert.Throws<ArgumentException>(() => Pagination.Of(Items, "9", 2, PageTokens.Offsets, Invalid, pastEndIsInvalid: true));
    }

    [Fact]
    public void Of_OffsetTokenThatIsNotANumber_IsInvalid()
    {
        var e = Assert.Throws<ArgumentException>(() => Pagination.Of(Items, "-1", 2, PageTokens.Offsets, Invalid));

        Assert.Equal("-1", e.Message);
    }
}
