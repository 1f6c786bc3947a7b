using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.Planning;

public class ClusterNamesTests
{
    [Theory]
    [InlineData("shop-blue", "1.34", "shop-green")]
    [InlineData("shop-green", "1.35", "shop-blue")]
    [InlineData("shop", "1.34", "shop-1-34")]
    [InlineData("shop-1-33", "1.34", "shop-1-34")]
    [InlineData("shop_prd", "1.33", "shop_prd-1-33")]
    [InlineData("blue", "1.34", "blue-1-34")]
    public void DeriveGreen_FollowsTheNamingRule(string blue, string target, string expected)
    {
        Assert.Equal(expected, ClusterNames.DeriveGreen(blue, target));
    }

    [Fact]
    public void DeriveGreen_LongName_StaysWithinEksLimit()
    {
        var blue = new string('a', 97) + "-x";

        var green = ClusterNames.DeriveGreen(blue, "1.34");

        Assert.Equal(100, green.Length);
        Assert.EndsWith("-1-34", green, StringComparison.Ordinal);
        Assert.Null(ClusterNames.Check(green));
    }

    [Fact]
    public void DeriveGreen_CutAtHyphen_TrimsTrailingSeparators()
    {
        var blue = new string('a', 94) + "-" + new string('b', 10);

        var green = ClusterNames.DeriveGreen(blue, "1.34");

        Assert.Equal(new string('a', 94) + "-1-34", green);
    }

    [Fact]
    public void Plan_DerivedNameEqualsBlue_AsksForAnExplicitName()
    {
        var input = Inputs.Alb().With("clusterName", "\"shop-1-34\"");

        var error = Assert.Throws<InvalidInput>(() => Inputs.Plan(input));

        Assert.Contains(error.Problems, p => p.StartsWith("greenClusterName: the derived name", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("shop", true)]
    [InlineData("9shop_a-b", true)]
    [InlineData("_shop", false)]
    [InlineData("shop.blue", false)]
    [InlineData("", false)]
    public void Check_AppliesEksNameRules(string name, bool valid)
    {
        Assert.Equal(valid, ClusterNames.Check(name) is null);
    }
    [Theory]
    [InlineData("shop-blue", "shop-blue")]
    [InlineData("forty-character-cluster-name-exactly-40x", "forty-character-cluster-name-exactly-40x")]
    [InlineData("shop-green-payments-checkout-storefront-catalog-search", "shop-green-payments-checkout-storefro...")]
    public void Label_CutsNamesLongerThanFortyCharacters(string name, string label)
    {
        Assert.Equal(label, ClusterNames.Label(name));
        Assert.True(ClusterNames.Label(name).Length <= ClusterNames.MaxLabelLength);
    }
}
