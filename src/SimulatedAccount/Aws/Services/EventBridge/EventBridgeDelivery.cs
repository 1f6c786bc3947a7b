using BlueGreen.Simulator.Aws.Services.Scheduler;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.EventBridge;

/// <summary>
/// Delivery: every event published on the default bus goes to the targets of the enabled rules it matches (with their
/// input transformers), and scheduled rules fire on the virtual clock. Each target gets the event through the account's
/// call path, as a call by the target's role (<see cref="PlatformTargets"/>), retried on the virtual clock by its
/// RetryPolicy (default 185 retries over 24 hours) and sent to its DeadLetterConfig when it is given up
/// (<see cref="TargetDeliverer"/>); <see cref="Deliveries"/> records each delivery's fate once it is known.
/// </summary>
public sealed partial class EventBridgeService
{
    /// <summary>Deliveries started and not yet finished, some waiting for a retry (a rehearsal waits for them).</summary>
    public int DeliveriesInProgress => _deliverer?.InProgress ?? 0;

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
        var role = target.Raw.GetString("RoleArn") is { } roleArn ? new TargetRole(roleArn, "events.amazonaws.com", rule.Arn) : null;
        var destination = new DeliveryTarget(rule.Arn, "RULE_ARN", target.Id, target.Arn, TargetRetryPolicy.From(target.Raw.GetObject("RetryPolicy")),
            target.Raw.GetObject("DeadLetterConfig")?.GetString("Arn"), DeadLetterPrincipal: null);
        var delivery = await Deliverer.DeliverAsync(destination, _ => TargetInput(rule, target, @event),
            input => PlatformTargets.DeliverAsync(Account, rule.Arn, target.Arn, input, role));
        _deliveries.Add(delivery);
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
