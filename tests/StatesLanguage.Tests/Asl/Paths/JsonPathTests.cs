using BlueGreen.Simulator.Asl.Paths;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Asl.Paths;

public class JsonPathTests
{
    private static readonly JValue Store = JValue.Parse("""
        {"store":{"book":[
          {"category":"reference","author":"Nigel Rees","title":"Sayings","price":8.95},
          {"category":"fiction","author":"Evelyn Waugh","title":"Sword","price":12.99},
          {"category":"fiction","author":"Herman Melville","title":"Moby Dick","isbn":"0-553","price":8.99}],
          "bicycle":{"color":"red","price":19.95}},
          "a.b":{"c":1}}
        """);

    [Theory]
    [InlineData("$", true)]
    [InlineData("$.store.bicycle.color", true)]
    [InlineData("$['a.b'].c", true)]
    [InlineData("$.store.book[0]", true)]
    [InlineData("$.store.book[-1]", true)]
    [InlineData("$.store.book[*]", false)]
    [InlineData("$..price", false)]
    [InlineData("$.store.book[0:2]", false)]
    [InlineData("$.store.book[0,1]", false)]
    [InlineData("$.store.book[?(@.price < 10)]", false)]
    public void IsDefinite_ClassifiesPaths(string path, bool definite)
    {
        Assert.Equal(definite, JsonPath.Parse(path).IsDefinite);
    }

    [Theory]
    [InlineData("$.store.bicycle.color", "\"red\"")]
    [InlineData("$['a.b'].c", "1")]
    [InlineData("$.store.book[-1].title", "\"Moby Dick\"")]
    [InlineData("$.store.book[*].author", "[\"Nigel Rees\",\"Evelyn Waugh\",\"Herman Melville\"]")]
    [InlineData("$.store.book[0:2].price", "[8.95,12.99]")]
    [InlineData("$.store.book[?(@.price < 10)].title", "[\"Sayings\",\"Moby Dick\"]")]
    [InlineData("$.store.book[?(@.isbn)].title", "[\"Moby Dick\"]")]
    [InlineData("$.store.book[?(@.category == 'fiction' && @.price > 10)].title", "[\"Sword\"]")]
    [InlineData("$..color", "[\"red\"]")]
    [InlineData("$.store.book[?(@.price > 100)]", "[]")]
    [InlineData("$.store.['bicycle'].color", "\"red\"")]
    public void TrySelect_SelectsLikeJayway(string path, string expected)
    {
        Assert.True(JsonPath.Parse(path).TrySelect(Store, out var value));
        Assert.Equal(expected, value.ToJson());
    }

    [Fact]
    public void TrySelect_FilterOverScalars_MatchesNothing()
    {
        // Arrange
        var numbers = JValue.Parse("""{"xs":[1,2,3],"objects":[{"n":1},{"n":2}]}""");

        // Act
        JsonPath.Parse("$.xs[?(@ > 1)]").TrySelect(numbers, out var scalars);
        JsonPath.Parse("$.objects[?(@.n > 1)]").TrySelect(numbers, out var objects);

        // Assert
        Assert.Equal("[]", scalars.ToJson());
        Assert.Equal("""[{"n":2}]""", objects.ToJson());
    }

    [Theory]
    [InlineData("$.missing")]
    [InlineData("$.store.bicycle.color.shade")]
    [InlineData("$.store.book[7]")]
    public void TrySelect_DefiniteMissing_ReturnsFalse(string path)
    {
        Assert.False(JsonPath.Parse(path).TrySelect(Store, out _));
    }

    [Theory]
    [InlineData("$$.Execution.Id", PathRoot.Context, null)]
    [InlineData("$counter", PathRoot.Variable, "counter")]
    [InlineData("$counter.items[0]", PathRoot.Variable, "counter")]
    [InlineData("$.x", PathRoot.Data, null)]
    public void Parse_Roots(string text, PathRoot root, string? variable)
    {
        var path = JsonPath.Parse(text);

        Assert.Equal(root, path.Root);
        Assert.Equal(variable, path.VariableName);
    }

    [Theory]
    [InlineData("store")]
    [InlineData("$.")]
    [InlineData("$[")]
    [InlineData("$.a[?(@.b ==)]")]
    [InlineData("$['unterminated]")]
    [InlineData("$.store.book[?(@.price > 1e400)]")]
    [InlineData("$.store.book[?(@.price > $.limit)]")]
    public void Parse_InvalidPath_Throws(string text)
    {
        Assert.Throws<PathSyntaxException>(() => JsonPath.Parse(text));
    }
}
