using BlueGreen.Simulator.Aws.Services.Scheduler;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.EventBridge;

/// <summary>
/// Delivery: every event published on the default bus goes to the targets of the enabled rules it matches (with their
/// input transformers), and scheduled rules fire on the virtual clock.
/// </summary>
public sealed partial class EventBridgeService
{
    private void OnEvent(AwsEvent e)
    {
        var json = e.ToJson();
        foreach (var rule in _rules.Values.ToList())
        {
            if (rule.State == "ENABLED" && rule.Pattern?.Matches(json) == true)
            {
                Deliver(rule, json);
            }
        }
    }

    private void Deliver(Rule rule, JObject @event)
    {
        foreach (var target in rule.Targets.Values.ToList())
        {
            _ = DeliverAsync(rule, target, @event);
        }
    }

    private async Task DeliverAsync(Rule rule, RuleTarget target, JObject @event)
    {
        var time = Account.Scheduler.Now;
        string input;
        try
        {
            input = TargetInput(rule, target, @event);
        }
        catch (TargetDeliveryException e)
        {
            _deliveries.Add(new TargetDelivery(time, rule.Arn, target.Id, target.Arn, string.Empty, false, e.Message));
            return;
        }

        try
        {
            var role = target.Raw.GetString("RoleArn") is { } roleArn ? new TargetRole(roleArn, "events.amazonaws.com", rule.Arn) : null;
            var result = await PlatformTargets.DeliverAsync(Account, target.Arn, input, role: role);
            _deliveries.Add(new TargetDelivery(time, rule.Arn, target.Id, target.Arn, input, true, result));
        }
        catch (TargetDeliveryException e)
        {
            _deliveries.Add(new TargetDelivery(time, rule.Arn, target.Id, target.Arn, input, false, e.Message));
        }
    }

    private static string TargetInput(Rule rule, RuleTarget target, JObject @event)
    {
        if (target.Input is { } constant)
        {
            return constant;
        }

        if (target.InputPath is { } path)
        {
            return path.TrySelect(@event, out var selected)
                ? selected.ToJson()
                : throw new TargetDeliveryException($"InputPath '{path.Text}' selects nothing in the event.");
        }

        return target.Transformer is { } transformer ? transformer.Apply(@event, rule.Name, rule.Arn) : @event.ToJson();
    }

    private void ScheduleNext(Rule rule)
    {
        rule.Timer?.Cancel();
        rule.Timer = null;
        if (rule.Schedule is not { } schedule || rule.State != "ENABLED")
        {
            return;
        }

        var now = Account.Scheduler.Now;
        // A rate rule first fires one period after it is created; a cron rule at its next matching minute.
        var next = schedule is RateExpression rate
            ? schedule.NextInvocation(now + TimeSpan.FromTicks(1), rule.ScheduleAnchor + rate.Period, TimeZoneInfo.Utc)
            : schedule.NextInvocation(now + TimeSpan.FromTicks(1), now, TimeZoneInfo.Utc);
        if (next is { } when)
        {
            rule.Timer = Account.Scheduler.Schedule(when, () =>
            {
                rule.Timer = null;
                var e = new AwsEvent(Ids.Uuid(rule.Random), "aws.events", "Scheduled Event", JObject.Empty, [rule.Arn], Account.Scheduler.Now, Account.AccountId, Account.Region);
                Deliver(rule, e.ToJson());
                ScheduleNext(rule);
            });
        }
    }
}
