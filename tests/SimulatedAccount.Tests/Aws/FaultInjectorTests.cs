using BlueGreen.Simulator.Aws;

namespace BlueGreen.Simulator.Tests.Aws;

public class FaultInjectorTests
{
    [Fact]
    public void Next_OnCalls_HitsExactlyThoseCalls()
    {
        var faults = new FaultInjector(seed: 1);
        faults.Add(new FaultRule("eks:CreateCluster", FaultKind.Internal, OnCalls: [2, 3]));

        var hits = Enumerable.Range(1, 5).Select(_ => faults.Next("eks", "CreateCluster") is not null).ToList();

        Assert.Equal([false, true, true, false, false], hits);
        Assert.Null(faults.Next("eks", "DescribeCluster"));
    }

    [Fact]
    public void Next_Probability_IsSeededAndBoundedByTimes()
    {
        static List<bool> Sample(int seed)
        {
            var faults = new FaultInjector(seed);
            faults.Add(new FaultRule("elasticloadbalancing:*", FaultKind.Throttle, Probability: 0.5, Times: 10));
            return Enumerable.Range(0, 200).Select(_ => faults.Next("elasticloadbalancing", "ModifyRule") is not null).ToList();
        }

        var first = Sample(7);

        Assert.Equal(first, Sample(7));
        Assert.Equal(10, first.Count(h => h));
        Assert.NotEqual(first, Sample(8));
    }
}
