using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws.Services.EventBridge;

/// <summary>
/// Seeding from the world's <c>eventbridge</c> section: rules and their targets, created through the API's own PutRule and
/// PutTargets so the world is checked the way a request is.
/// </summary>
public sealed partial class EventBridgeService
{
    public override void Seed(JObject section, SimulatedAccount account)
    {
        var rules = section.GetArray("rules") ?? JArray.Empty;
        for (var i = 0; i < rules.Count; i++)
        {
            var r = rules[i] as JObject ?? throw new ScenarioException($"eventbridge.rules[{i}] must be an object");
            try
            {
                var context = new AwsCallContext { Account = account, Cancellation = CancellationToken.None };
                var name = r.GetString("name") ?? throw new ScenarioException($"eventbridge.rules[{i}]: 'name' is required");
                var put = new JObjectBuilder().Add("Name", name).Add("State", r.GetString("state") ?? "ENABLED");
                if (r["eventPattern"] is { } pattern)
                {
                    put.Add("EventPattern", pattern is JString s ? s.Value : pattern.ToJson());
                }

                if (r.GetString("scheduleExpression") is { } schedule)
                {
                    put.Add("ScheduleExpression", schedule);
                }

                if (r.GetString("description") is { } description)
                {
                    put.Add("Description", description);
                }

                PutRule(put.Build(), context);
                var targets = (r.GetArray("targets") ?? JArray.Empty).OfType<JObject>()
                    .Select(t => (JObject)ApiValues.Capitalize(t, OpaqueMembers))
                    .Select(t => (JValue)(t["Input"] is { } input and not JString ? t.With("Input", input.ToJson()) : t))
                    .ToList();
                if (targets.Count > 0)
                {
                    var result = PutTargets(JObject.Of(("Rule", name), ("Targets", JArray.From(targets))), context);
                    if (result.GetNumber("FailedEntryCount") is > 0)
                    {
                        throw new ScenarioException($"eventbridge.rules[{i}]: targets refused: {result.GetArray("FailedEntries")!.ToJson()}");
                    }
                }
            }
            catch (AwsServiceException e)
            {
                throw new ScenarioException($"eventbridge.rules[{i}]: {e.Code}: {e.Message}");
            }
        }
    }
}
