using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws.Services.Scheduler;

/// <summary>
/// Seeding from the world's <c>scheduler</c> section: groups and schedules, created through the API's own
/// CreateScheduleGroup and CreateSchedule so the world is checked the way a request is.
/// </summary>
public sealed partial class SchedulerService
{
    public override void Seed(JObject section, SimulatedAccount account)
    {
        var context = new AwsCallContext { Account = account, Cancellation = CancellationToken.None };
        foreach (var (g, i) in (section.GetArray("groups") ?? JArray.Empty).Select((g, i) => (g, i)))
        {
            var name = (g as JObject)?.GetString("name") ?? throw new ScenarioException($"scheduler.groups[{i}]: 'name' is required");
            Seeding(() => CreateScheduleGroup(JObject.Of(("Name", name)), context), $"scheduler.groups[{i}]");
        }

        foreach (var (s, i) in (section.GetArray("schedules") ?? JArray.Empty).Select((s, i) => (s, i)))
        {
            var request = ApiValues.Capitalize(s as JObject ?? throw new ScenarioException($"scheduler.schedules[{i}] must be an object"), OpaqueMembers) as JObject;
            var target = request!.GetObject("Target") ?? JObject.Empty;
            if (!target.ContainsKey("RoleArn"))
            {
                target = target.With("RoleArn", $"arn:aws:iam::{account.AccountId}:role/scheduler-role");
            }

            if (target["Input"] is { } input and not JString)
            {
                target = target.With("Input", input.ToJson());
            }

            request = request.With("Target", target);
            if (!request.ContainsKey("FlexibleTimeWindow"))
            {
                request = request.With("FlexibleTimeWindow", JObject.Of(("Mode", "OFF")));
            }

            Seeding(() => CreateSchedule(request, context), $"scheduler.schedules[{i}]");
        }
    }

    private static void Seeding(Func<JObject> create, string location)
    {
        try
        {
            create();
        }
        catch (AwsServiceException e)
        {
            throw new ScenarioException($"{location}: {e.Code}: {e.Message}");
        }
    }
}
