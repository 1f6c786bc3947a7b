using BlueGreen.Functions.Chat;
using BlueGreen.Functions.Chat.Aws;

namespace BlueGreen.Functions.Tests.Chat;

public class ChatPolicyTests
{
    [Theory]
    [InlineData("shop-*", "shop-blue", true)]
    [InlineData("shop-*", "shop", false)]
    [InlineData("*-blue", "pay-blue", true)]
    [InlineData("*", "anything", true)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData("shop-blue", "Shop-blue", false)]
    public void Matches_GlobWithStar(string pattern, string name, bool expected)
    {
        Assert.Equal(expected, ChatPolicy.Matches(pattern, name));
    }

    [Fact]
    public void Allows_OperatorAlsoViews_ButDoesNotApprove()
    {
        Assert.True(ChatRig.Policy.Allows(ChatRig.Operator, ChatRole.Viewer, "shop-blue"));
        Assert.True(ChatRig.Policy.Allows(ChatRig.Operator, ChatRole.Operator, "shop-blue"));
        Assert.False(ChatRig.Policy.Allows(ChatRig.Operator, ChatRole.Approver, "shop-blue"));
        Assert.False(ChatRig.Policy.Allows(ChatRig.Operator, ChatRole.Operator, "pay-blue"));
        Assert.True(ChatRig.Policy.Allows(ChatRig.GroupMember, ChatRole.Approver, "pay-blue"));
    }

    [Fact]
    public void ParsePolicy_ListsEveryProblem()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ChatEndpointHost.ParsePolicy("""{"grants":[{"principals":["S0NOBODY"],"role":"admin","clusters":["*"]}]}"""));

        Assert.Contains("teamIds", e.Message, StringComparison.Ordinal);
        Assert.Contains("channelIds", e.Message, StringComparison.Ordinal);
        Assert.Contains("grants[0].role", e.Message, StringComparison.Ordinal);
        Assert.Contains("S0NOBODY is not listed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePolicy_ValidJson_RoundTrips()
    {
        var policy = ChatEndpointHost.ParsePolicy("""{"teamIds":["T1"],"channelIds":["C1"],"userGroups":{"S1":["U2"]},"grants":[{"principals":["S1"],"role":"Approver","clusters":["shop-*"]}]}""");

        Assert.True(policy.Allows("U2", ChatRole.Approver, "shop-x"));
    }
}
