using BlueGreen.Simulator.Aws.Services.Scheduler;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Services.Scheduler;

public sealed class SchedulerServiceTests : IDisposable
{
    private const string Role = "arn:aws:iam::111122223333:role/scheduler";
    private const string Upgrade = """{"StartAt":"Upgrade","States":{"Upgrade":{"Type":"Pass","End":true}}}""";

    private static readonly string UpgradeArn = PlatformHarness.Arn("states", "stateMachine:upgrade");

    private readonly PlatformHarness _h = new();

    public SchedulerServiceTests() => Sfn.RegisterStateMachine("upgrade", Upgrade);

    public void Dispose() => _h.Dispose();

    private StepFunctionsService Sfn => _h.Service<StepFunctionsService>();

    private SchedulerService Scheduler => _h.Service<SchedulerService>();

    private static JObject Schedule(string name, string expression, JObject? target = null, params (string Key, JValue Value)[] more)
    {
        var request = new JObjectBuilder()
            .Add("Name", name)
            .Add("ScheduleExpression", expression)
            .Add("FlexibleTimeWindow", JObject.Of(("Mode", "OFF")))
            .Add("Target", target ?? JObject.Of(("Arn", UpgradeArn), ("RoleArn", Role), ("Input", """{"cluster":"shop-blue"}""")));
        foreach (var (key, value) in more)
        {
            request[key] = value;
        }

        return request.Build();
    }

    private List<DateTimeOffset> Starts() => Sfn.ExecutionsOf("upgrade").Reverse().Select(e => e.StartDate).ToList();

    [Fact]
    public void AtSchedule_FiresOnceAtItsTimeInItsTimeZone_StartingTheStateMachineWithTheInput()
    {
        var created = _h.Call("scheduler", "CreateSchedule", Schedule("shop-eos", "at(2026-11-24T18:00:00)", more: ("ScheduleExpressionTimezone", "Asia/Seoul")));

        _h.Advance(TimeSpan.FromDays(3));

        Assert.Equal(PlatformHarness.Arn("scheduler", "schedule/default/shop-eos"), created.GetString("ScheduleArn"));
        var execution = Assert.Single(Sfn.ExecutionsOf("upgrade"));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero), execution.StartDate);
        Assert.Equal("""{"cluster":"shop-blue"}""", execution.Input.ToJson());
        Assert.Equal(execution.Arn, Assert.Single(Scheduler.Invocations).Result);
        Assert.Equal("ENABLED", _h.Call("scheduler", "GetSchedule", JObject.Of(("Name", "shop-eos"))).GetString("State"));
    }

    [Fact]
    public void ActionAfterCompletionDelete_DeletesTheOneTimeScheduleAfterItsInvocation()
    {
        _h.Call("scheduler", "CreateSchedule", Schedule("decommission-blue", "at(2026-11-23T12:00:00)", more: ("ActionAfterCompletion", "DELETE")));

        _h.Advance(TimeSpan.FromHours(2));
        Assert.Single(_h.Call("scheduler", "ListSchedules", JObject.Empty).GetArray("Schedules")!);
        _h.Advance(TimeSpan.FromHours(2));

        Assert.Equal([_h.Start.AddHours(3)], Starts());
        Assert.Empty(_h.Call("scheduler", "ListSchedules", JObject.Empty).GetArray("Schedules")!);
        Assert.Equal("Scheduler.ResourceNotFoundException", _h.CallFails("scheduler", "GetSchedule", JObject.Of(("Name", "decommission-blue"))).Error);
    }

    [Fact]
    public void RateSchedule_StartsAtOnceThenEveryPeriod_UntilEndDate_ThenDeletes()
    {
        _h.Call("scheduler", "CreateSchedule", Schedule(
            "poll", "rate(2 hours)", more: [("EndDate", "2026-11-23T15:00:00Z"), ("ActionAfterCompletion", "DELETE")]));

        _h.Advance(TimeSpan.FromDays(1));

        Assert.Equal([_h.Start, _h.Start.AddHours(2), _h.Start.AddHours(4)], Starts());
        Assert.Empty(Scheduler.ScheduleArns);
    }

    [Fact]
    public void RateSchedule_WithStartDate_FirstRunsAtTheStartDate()
    {
        _h.Call("scheduler", "CreateSchedule", Schedule("poll", "rate(1 day)", more: ("StartDate", "2026-11-25T00:00:00Z")));

        _h.Advance(TimeSpan.FromDays(4));

        var first = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal([first, first.AddDays(1), first.AddDays(2)], Starts());
    }

    [Fact]
    public void CronSchedule_RunsAtMatchingMinutes_AndDisablingStopsIt()
    {
        _h.Call("scheduler", "CreateSchedule", Schedule("weekday-scan", "cron(0 18 ? * MON-FRI *)", more: ("ScheduleExpressionTimezone", "Asia/Seoul")));

        _h.Advance(TimeSpan.FromDays(1));
        _h.Call("scheduler", "UpdateSchedule", Schedule("weekday-scan", "cron(0 18 ? * MON-FRI *)", more: [("ScheduleExpressionTimezone", "Asia/Seoul"), ("State", "DISABLED")]));
        _h.Advance(TimeSpan.FromDays(3));

        Assert.Equal([new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero).AddDays(1)], Starts());
    }

    [Fact]
    public void UniversalTarget_SfnStartExecution_WithContextAttributes()
    {
        var target = JObject.Of(
            ("Arn", "arn:aws:scheduler:::aws-sdk:sfn:startExecution"),
            ("RoleArn", Role),
            ("Input", $$"""{"StateMachineArn":"{{UpgradeArn}}","Name":"eos-shop","Input":"{\"scheduledAt\":\"<aws.scheduler.scheduled-time>\",\"by\":\"<aws.scheduler.schedule-arn>\"}"}"""));
        _h.Call("scheduler", "CreateSchedule", Schedule("shop-eos", "at(2026-11-23T10:00:00)", target));

        _h.Advance(TimeSpan.FromHours(2));

        var execution = Assert.Single(Sfn.ExecutionsOf("upgrade"));
        Assert.Equal("eos-shop", execution.Name);
        Assert.Equal(
            $$"""{"scheduledAt":"2026-11-23T10:00:00Z","by":"{{PlatformHarness.Arn("scheduler", "schedule/default/shop-eos")}}"}""",
            execution.Input.ToJson());
    }

    [Fact]
    public void FlexibleTimeWindow_DelaysTheInvocationWithinTheWindow_Deterministically()
    {
        List<DateTimeOffset> Run()
        {
            using var h = new PlatformHarness();
            h.Service<StepFunctionsService>().RegisterStateMachine("upgrade", Upgrade);
            h.Call("scheduler", "CreateSchedule", Schedule("flex", "at(2026-11-23T10:00:00)", more: ("FlexibleTimeWindow", JObject.Of(("Mode", "FLEXIBLE"), ("MaximumWindowInMinutes", 30)))));
            h.Advance(TimeSpan.FromHours(3));
            return h.Service<StepFunctionsService>().ExecutionsOf("upgrade").Select(e => e.StartDate).ToList();
        }

        var first = Run();
        var second = Run();

        var start = Assert.Single(first);
        Assert.InRange(start, _h.Start.AddHours(1), _h.Start.AddHours(1).AddMinutes(30));
        Assert.Equal(first, second);
    }

    [Fact]
    public void ScheduleCreatedByAStateMachine_FiresLater()
    {
        var summary = _h.Run("""
            {"StartAt":"Schedule Blue decommission","States":{"Schedule Blue decommission":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:scheduler:createSchedule",
              "Parameters":{"Name":"decommission-shop-blue","ScheduleExpression":"at(2026-11-30T09:00:00)","ActionAfterCompletion":"DELETE",
                            "FlexibleTimeWindow":{"Mode":"OFF"},
                            "Target":{"Arn":"arn:aws:states:ap-northeast-2:111122223333:stateMachine:upgrade","RoleArn":"arn:aws:iam::111122223333:role/scheduler",
                                      "Input.$":"States.JsonToString($)"}},"End":true}}}
            """, JObject.Of(("cluster", "shop-blue")));

        _h.Advance(TimeSpan.FromDays(8));

        Assert.Equal("SUCCEEDED", summary.Status);
        var execution = Assert.Single(Sfn.ExecutionsOf("upgrade"));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), execution.StartDate);
        Assert.Equal("""{"cluster":"shop-blue"}""", execution.Input.ToJson());
        Assert.Empty(Scheduler.ScheduleArns);
    }

    [Fact]
    public void Errors_HaveTheSchedulerNames()
    {
        _h.Call("scheduler", "CreateSchedule", Schedule("shop-eos", "at(2026-11-24T18:00:00)"));

        Assert.Equal("Scheduler.ConflictException", _h.CallFails("scheduler", "CreateSchedule", Schedule("shop-eos", "at(2026-11-24T18:00:00)")).Error);
        var token = Schedule("retried", "at(2026-11-24T18:00:00)", more: ("ClientToken", "token-1"));
        Assert.Equal(_h.Call("scheduler", "CreateSchedule", token), _h.Call("scheduler", "CreateSchedule", token));
        Assert.Equal("Scheduler.ValidationException", _h.CallFails("scheduler", "CreateSchedule", Schedule("bad", "every day")).Error);
        Assert.Equal("Scheduler.ValidationException", _h.CallFails("scheduler", "CreateSchedule", Schedule("tz", "rate(1 hour)", more: ("ScheduleExpressionTimezone", "Mars/Olympus"))).Error);
        Assert.Equal("Scheduler.ValidationException", _h.CallFails("scheduler", "CreateSchedule", Schedule("flex", "rate(1 hour)", more: ("FlexibleTimeWindow", JObject.Of(("Mode", "FLEXIBLE"))))).Error);
        Assert.Equal("Scheduler.ResourceNotFoundException", _h.CallFails("scheduler", "CreateSchedule", Schedule("g", "rate(1 hour)", more: ("GroupName", "nope"))).Error);
        Assert.Equal("Scheduler.ResourceNotFoundException", _h.CallFails("scheduler", "DeleteSchedule", JObject.Of(("Name", "nope"))).Error);
    }

    [Fact]
    public void ScheduleGroups_HoldSchedules_AndDeletingAGroupDeletesThem()
    {
        _h.Call("scheduler", "CreateScheduleGroup", JObject.Of(("Name", "eos")));
        _h.Call("scheduler", "CreateSchedule", Schedule("shop", "at(2026-12-01T00:00:00)", more: ("GroupName", "eos")));
        _h.Call("scheduler", "CreateSchedule", Schedule("cart", "at(2026-12-01T00:00:00)", more: ("GroupName", "eos")));

        var inGroup = _h.Call("scheduler", "ListSchedules", JObject.Of(("GroupName", "eos")));
        _h.Call("scheduler", "DeleteScheduleGroup", JObject.Of(("Name", "eos")));
        _h.Advance(TimeSpan.FromDays(10));

        Assert.Equal(["cart", "shop"], inGroup.GetArray("Schedules")!.Select(s => s.AsObject().GetString("Name")));
        Assert.Empty(Sfn.ExecutionsOf("upgrade"));
        Assert.Equal(["default"], _h.Call("scheduler", "ListScheduleGroups", JObject.Empty).GetArray("ScheduleGroups")!.Select(g => g.AsObject().GetString("Name")));
    }

    [Fact]
    public void WorldSection_SeedsSchedulesThatFireOnTheVirtualClock()
    {
        using var h = new PlatformHarness(JObject.Of(("scheduler", JValue.Parse("""
            {"schedules":[{"name":"shop-eos","scheduleExpression":"at(2026-11-23T12:00:00)",
                           "target":{"arn":"arn:aws:states:ap-northeast-2:111122223333:stateMachine:upgrade","input":{"cluster":"shop-blue"}}}]}
            """))));
        h.Service<StepFunctionsService>().RegisterStateMachine("upgrade", Upgrade);

        h.Advance(TimeSpan.FromHours(4));

        var execution = Assert.Single(h.Service<StepFunctionsService>().ExecutionsOf("upgrade"));
        Assert.Equal("""{"cluster":"shop-blue"}""", execution.Input.ToJson());
    }
}
