using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Handlers;
using BlueGreen.Functions.Tests.Support;
using BlueGreen.Functions.Traffic;
using BlueGreen.Functions.TrafficShift;

namespace BlueGreen.Functions.Tests.TrafficShift;

public class TrafficReadBackTests
{
    private static ResourceRecordSet Record(string setIdentifier, long weight, string name = "api.example.com.") =>
        new() { Name = name, Type = "A", SetIdentifier = setIdentifier, Weight = weight };

    private static TrafficReadBackVerdict AfterAlb(int meant, int step, params ElbAction[] actions) => TrafficReadBack.Check(new CheckTrafficAppliedRequest
    {
        Plan = Inputs.AlbPlan(),
        Change = new PlannedSplit { GreenPercent = meant, StepIndex = step },
        ReadBack = new ReadBackResult { Current = new AlbTrafficReading { CurrentActions = actions } },
        Error = "States.TaskFailed",
    });

    private static TrafficReadBackVerdict AfterRoute53(int meant, int step, params ResourceRecordSet[] records) => TrafficReadBack.Check(new CheckTrafficAppliedRequest
    {
        Plan = Inputs.Route53Plan(),
        Change = new PlannedSplit { GreenPercent = meant, StepIndex = step },
        ReadBack = new ReadBackResult { Current = new Route53TrafficReading { CurrentRecords = records } },
        Error = "States.TaskFailed",
    });

    [Fact]
    public void Alb_TheFirstChangeNeverApplied_NothingMoved()
    {
        var verdict = AfterAlb(10, 1, Wiring.Forward((Inputs.BlueTg, 100), (Inputs.GreenTg, 0)));

        Assert.Equal((TrafficReadBackVerdict.NothingMoved, (double?)0), (verdict.Outcome, verdict.GreenPercentNow));
        Assert.Equal("The change to 10% Green failed (States.TaskFailed), and the weights read back give Green nothing: no traffic moved.", verdict.Reason);
    }

    [Fact]
    public void Alb_TheChangeTookEffectDespiteTheError_Applied()
    {
        var verdict = AfterAlb(25, 2, Wiring.Forward((Inputs.BlueTg, 75), (Inputs.GreenTg, 25)));

        Assert.Equal((TrafficReadBackVerdict.Applied, (double?)25), (verdict.Outcome, verdict.GreenPercentNow));
    }

    [Fact]
    public void Alb_ThePreviousStepsSplitStillInForce_Unsettled()
    {
        var verdict = AfterAlb(25, 2, Wiring.Forward((Inputs.BlueTg, 90), (Inputs.GreenTg, 10)));

        Assert.Equal((TrafficReadBackVerdict.Unsettled, (double?)10), (verdict.Outcome, verdict.GreenPercentNow));
        Assert.Contains("give Green 10%, not 25%", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Alb_GreenAtZeroAfterAnEarlierStepMovedTraffic_RollsBackRatherThanSayingNothingMoved() =>
        Assert.Equal(TrafficReadBackVerdict.Unsettled, AfterAlb(50, 3, Wiring.Forward((Inputs.BlueTg, 100), (Inputs.GreenTg, 0))).Outcome);

    [Theory]
    [MemberData(nameof(UnreadableForwards))]
    public void Alb_AReadingThatCannotSay_IsUnsettled(ElbAction[] actions)
    {
        var verdict = AfterAlb(10, 1, actions);

        Assert.Equal((TrafficReadBackVerdict.Unsettled, (double?)null), (verdict.Outcome, verdict.GreenPercentNow));
    }

    public static TheoryData<ElbAction[]> UnreadableForwards => new()
    {
        Array.Empty<ElbAction>(),
        new[] { Wiring.Forward((Inputs.BlueTg, 100), (Inputs.GreenTg, null)) },
        new[] { Wiring.Forward((Inputs.BlueTg, 100)), Wiring.Forward((Inputs.GreenTg, 100)) },
    };

    [Fact]
    public void Alb_ASingleTargetGroupForward_GivesItEverything()
    {
        Assert.Equal(TrafficReadBackVerdict.NothingMoved, AfterAlb(10, 1, new ElbAction { Type = "forward", TargetGroupArn = Inputs.BlueTg }).Outcome);
        Assert.Equal((double?)100, AfterAlb(100, 4, new ElbAction { Type = "forward", TargetGroupArn = Inputs.GreenTg }).GreenPercentNow);
    }

    [Fact]
    public void Route53_ReadsGreensShareAmongTheWeightedRecordsOfTheName()
    {
        Assert.Equal(TrafficReadBackVerdict.NothingMoved, AfterRoute53(20, 1, Record("blue", 100), Record("green", 0)).Outcome);
        Assert.Equal(TrafficReadBackVerdict.Applied, AfterRoute53(20, 1, Record("blue", 80), Record("green", 20), Record("other", 5, "www.example.com.")).Outcome);
        // Every record at 0: Route 53 answers with each equally, so Green gets half.
        Assert.Equal((double?)50, AfterRoute53(20, 1, Record("blue", 0), Record("green", 0)).GreenPercentNow);
    }

    private static ElbAction Forward(int blue, int green) => new()
    {
        Type = "forward",
        ForwardConfig = new ForwardActionConfig { TargetGroups = [new TargetGroupTuple { TargetGroupArn = Inputs.BlueTg, Weight = blue }, new TargetGroupTuple { TargetGroupArn = Inputs.GreenTg, Weight = green }] },
    };

    private static TrafficReadBackVerdict AfterAcceptedAlb(int meant, int step, ReadBackResult readBack) => TrafficReadBack.Check(new CheckTrafficAppliedRequest
    {
        Plan = Inputs.AlbPlan(),
        Change = new PlannedSplit { GreenPercent = meant, StepIndex = step },
        ReadBack = readBack,
        Error = null,
    });

    [Fact]
    public void AcceptedChange_ReadBackAsPlanned_IsApplied()
    {
        var verdict = AfterAcceptedAlb(25, 2, new ReadBackResult { Current = new AlbTrafficReading { CurrentActions = [Forward(75, 25)] } });

        Assert.Equal(TrafficReadBackVerdict.Applied, verdict.Outcome);
        Assert.Equal((double?)25, verdict.GreenPercentNow);
        Assert.Equal("The change to 25% Green was accepted and the weights read back are the planned ones (25% Green).", verdict.Reason);
    }

    [Fact]
    public void AcceptedChange_UndoneByAnOwner_IsUnsettled()
    {
        var verdict = AfterAcceptedAlb(50, 3, new ReadBackResult { Current = new AlbTrafficReading { CurrentActions = [Forward(75, 25)] } });

        Assert.Equal(TrafficReadBackVerdict.Unsettled, verdict.Outcome);
        Assert.Equal("The change to 50% Green was accepted; the weights read back give Green 25%, not 50%.", verdict.Reason);
    }

    [Fact]
    public void AcceptedChange_ReadBackFailed_AssumesTheAcceptedWeights()
    {
        var verdict = AfterAcceptedAlb(10, 1, new ReadBackResult { Error = "States.TaskFailed", Cause = "throttled" });

        Assert.Equal(TrafficReadBackVerdict.Applied, verdict.Outcome);
        Assert.Equal((double?)10, verdict.GreenPercentNow);
        Assert.Contains("could not be read back (States.TaskFailed), so the accepted ones are assumed", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FailedChange_ReadBackFailed_IsUnsettled()
    {
        var verdict = TrafficReadBack.Check(new CheckTrafficAppliedRequest
        {
            Plan = Inputs.AlbPlan(),
            Change = new PlannedSplit { GreenPercent = 10, StepIndex = 1 },
            ReadBack = new ReadBackResult { Error = "States.TaskFailed" },
            Error = "States.Timeout",
        });

        Assert.Equal(TrafficReadBackVerdict.Unsettled, verdict.Outcome);
    }

    [Fact]
    public void MissingReading_IsInvalidInput() =>
        Assert.Contains("readBack: required", Assert.Throws<InvalidInput>(() => TrafficReadBack.Check(new CheckTrafficAppliedRequest
        {
            Plan = Inputs.AlbPlan(),
            Change = new PlannedSplit { GreenPercent = 10, StepIndex = 1 },
        })).Message, StringComparison.Ordinal);

    [Fact]
    public void Handler_IsInTheCatalog_AndReadsTheStateMachinesPayload()
    {
        var payload = $$$$"""
            {"plan":{{{{System.Text.Json.JsonSerializer.Serialize(Inputs.AlbPlan(), Serialization.FunctionsJsonContext.Default.UpgradePlan)}}}},
             "change":{"greenPercent":10,"stepIndex":1},"error":"States.TaskFailed",
             "readBack":{"current":{"type":"alb","currentActions":[{"Type":"forward","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"{{{{Inputs.BlueTg}}}}","Weight":100},{"TargetGroupArn":"{{{{Inputs.GreenTg}}}}","Weight":0}]}}]}}}
            """;

        using var output = FunctionCatalog.Get("CheckTrafficApplied").Invoke(Inputs.ToStream(payload));
        using var verdict = System.Text.Json.JsonDocument.Parse(output);

        Assert.Equal("nothingMoved", verdict.RootElement.GetProperty("outcome").GetString());
    }
}
