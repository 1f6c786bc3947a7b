using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.Planning;

public class StrategyPresetsTests
{
    [Fact]
    public void AllAtOnce_IsOneFullShiftWithAFiveMinuteBake()
    {
        var plan = Inputs.Plan(Inputs.Alb().With("strategy", "\"AllAtOnce\""));

        var step = Assert.Single(plan.Strategy.Steps);
        Assert.Equal((100, 300, true), (step.Weight, step.BakeSeconds, step.IsFinal));
        Assert.Equal("AllAtOnce", plan.Strategy.Name);
    }

    [Fact]
    public void Canary10Percent5Minutes_IsTenPercentThenEverything()
    {
        var plan = Inputs.Plan(Inputs.Alb().With("strategy", "{\"preset\":\"Canary10Percent5Minutes\"}"));

        Assert.Equal([(10, 300), (100, 300)], plan.Strategy.Steps.Select(s => (s.Weight, s.BakeSeconds)));
    }

    [Fact]
    public void Linear10PercentEvery3Minutes_IsTenStepsOfTen()
    {
        var plan = Inputs.Plan(Inputs.Alb().With("strategy", "\"Linear10PercentEvery3Minutes\""));

        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 10), plan.Strategy.Steps.Select(s => s.Weight));
        Assert.All(plan.Strategy.Steps, s => Assert.Equal(180, s.BakeSeconds));
        Assert.Equal(Enumerable.Range(1, 10), plan.Strategy.Steps.Select(s => s.Index));
        Assert.Single(plan.Strategy.Steps, s => s.IsFinal);
    }

    [Theory]
    [InlineData(5, 30, 10, 30)]   // 300 s in ten checks 30 s apart
    [InlineData(0, 30, 1, 0)]     // no bake: one immediate check
    [InlineData(1, 45, 2, 30)]    // 60 s with a 45 s poll: two checks 30 s apart, never further apart than the poll
    [InlineData(3, 3600, 1, 180)] // poll longer than the bake: one check at the end of the bake
    public void ToPlanSteps_SplitsTheBakeIntoAlarmChecks(int bakeMinutes, int poll, int checks, int interval)
    {
        var step = Assert.Single(StrategyPresets.ToPlanSteps([new StepRequest(100, bakeMinutes)], poll));

        Assert.Equal(checks, step.AlarmChecks);
        Assert.Equal(interval, step.CheckIntervalSeconds);
        Assert.True(step.AlarmChecks * step.CheckIntervalSeconds >= step.BakeSeconds);
        Assert.True(step.CheckIntervalSeconds <= Math.Max(poll, step.BakeSeconds));
    }
}
