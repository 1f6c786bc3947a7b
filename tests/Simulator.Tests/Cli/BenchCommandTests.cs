using BlueGreen.Simulator.Cli;

namespace BlueGreen.Simulator.Tests.Cli;

public sealed class BenchCommandTests
{
    [Fact]
    public void MeasureSimulatedCall_TimesTheWholePipeline()
    {
        var result = BenchCommand.MeasureSimulatedCall(200);

        Assert.Equal(200, result.GetNumber("calls"));
        Assert.InRange(result.GetNumber("medianMicroseconds")!.Value, 0.01, 100_000);
        Assert.True(result.GetNumber("p99Microseconds") >= result.GetNumber("medianMicroseconds"));
        Assert.Equal(50, result.GetNumber("targetMicroseconds"));
    }

    [Fact]
    public void MeasureChatEndpoint_TimesSignedRequestsThroughThePackagedFunction()
    {
        var result = BenchCommand.MeasureChatEndpoint(30);

        Assert.Equal(30, result.GetNumber("requests"));
        Assert.InRange(result.GetNumber("medianMilliseconds")!.Value, 0.01, 10_000);
        Assert.True(result.GetNumber("p99Milliseconds") >= result.GetNumber("medianMilliseconds"));
        Assert.Equal(1, result.GetNumber("secretReads"));
    }
}
