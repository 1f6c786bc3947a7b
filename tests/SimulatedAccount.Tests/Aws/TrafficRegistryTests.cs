using BlueGreen.Simulator.Aws;

namespace BlueGreen.Simulator.Tests.Aws;

public sealed class TrafficRegistryTests
{
    [Fact]
    public void Queries_TwoSources_AnswerFromTheSourceOfEachKind()
    {
        var registry = new TrafficRegistry();
        registry.Register(new FakeSource("alb", new TrafficDestination.TargetGroup("green-tg"), "shop-green", 10));
        registry.Register(new FakeSource("route53", new TrafficDestination.WeightedRecord("shop.example.com", "green"), "shop-green", 25));

        Assert.Equal("shop-green", registry.ClusterOf(new TrafficDestination.TargetGroup("green-tg")));
        Assert.Equal(10, registry.PercentOf(new TrafficDestination.TargetGroup("green-tg")));
        Assert.Equal(25, registry.PercentOf(new TrafficDestination.WeightedRecord("shop.example.com", "green")));
        Assert.Equal(25, registry.PercentOfCluster("shop-green"));
        Assert.Equal(["alb", "route53"], registry.Shares.Select(s => s.Provider));
    }

    [Fact]
    public void Knows_NoSourceOfThatKind_CannotTell()
    {
        var registry = new TrafficRegistry();
        Assert.Null(registry.Knows(new TrafficDestination.TargetGroup("green-tg")));

        registry.Register(new FakeSource("alb", new TrafficDestination.TargetGroup("green-tg"), "shop-green", 10));

        Assert.True(registry.Knows(new TrafficDestination.TargetGroup("green-tg")));
        Assert.False(registry.Knows(new TrafficDestination.TargetGroup("blue-tg")));
    }

    [Fact]
    public void NotifyChanged_RaisesChanged()
    {
        var registry = new TrafficRegistry();
        var raised = 0;
        registry.Changed += () => raised++;

        registry.NotifyChanged();

        Assert.Equal(1, raised);
    }

    /// <summary>A source holding one destination of one kind, which gets <paramref name="percent"/> of one split.</summary>
    private sealed class FakeSource(string provider, TrafficDestination destination, string cluster, double percent) : ITrafficSource
    {
        public IEnumerable<TrafficShare> Shares => [new TrafficShare(provider, "split", destination.ToString(), cluster, percent)];

        public bool? Knows(TrafficDestination d) => d.GetType() == destination.GetType() ? d == destination : null;

        public string? ClusterOf(TrafficDestination d) => d == destination ? cluster : null;

        public double PercentOf(TrafficDestination d) => d == destination ? percent : 0;

        public double PercentOfCluster(string c) => c == cluster ? percent : 0;

        public IReadOnlyList<TrafficShare> SharesOf(TrafficSplit split) => [];
    }
}
