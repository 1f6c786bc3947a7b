using System.Globalization;
using BlueGreen.Simulator.Aws.Services.EventBridge;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Scheduler;

/// <summary>
/// Firing on the virtual clock: each enabled schedule is armed for its next occurrence (within its flexible time
/// window), delivers to its target (a platform target or an <c>aws-sdk</c> universal target) and, once done, completes
/// (ActionAfterCompletion).
/// </summary>
public sealed partial class SchedulerService
{
    /// <summary>(Re)arms the schedule's timer for its next invocation, or completes it when there is none.</summary>
    private void Arm(Schedule schedule)
    {
        schedule.Timer?.Cancel();
        schedule.Timer = null;
        if (schedule.State != "ENABLED")
        {
            return;
        }

        var next = NextOccurrence(schedule);
        if (next is null)
        {
            Complete(schedule);
            return;
        }

        var when = next.Value;
        if (schedule.Window.GetString("Mode") == "FLEXIBLE" && schedule.Window.GetNumber("MaximumWindowInMinutes") is { } minutes)
        {
            when += TimeSpan.FromSeconds(Math.Floor(_random.NextDouble() * minutes * 60));
        }

        schedule.Timer = Account.Scheduler.Schedule(when, () => Fire(schedule, next.Value));
    }

    private DateTimeOffset? NextOccurrence(Schedule s)
    {
        var now = Account.Scheduler.Now;
        if (s.Expression.IsOneTime)
        {
            // EventBridge Scheduler ignores StartDate and EndDate for one-time schedules.
            return s.Fired ? null : s.Expression.NextInvocation(now, now, s.Zone);
        }

        var notBefore = s.LastOccurrence is { } last ? last + TimeSpan.FromTicks(1) : now;
        if (s.Expression is CronExpression && s.LastOccurrence is null)
        {
            notBefore += TimeSpan.FromTicks(1); // a cron schedule's first invocation is the next matching minute after creation
        }

        if (s.StartDate is { } start && start > notBefore)
        {
            notBefore = start;
        }

        var next = s.Expression.NextInvocation(notBefore, s.StartDate ?? s.Anchor, s.Zone);
        return next is { } n && s.EndDate is { } end && n >= end ? null : next;
    }

    private void Fire(Schedule schedule, DateTimeOffset scheduledTime)
    {
        schedule.Timer = null;
        schedule.LastOccurrence = scheduledTime;
        if (schedule.Expression.IsOneTime)
        {
            schedule.Fired = true;
        }

        var invocation = InvokeTargetAsync(schedule, scheduledTime);
        if (NextOccurrence(schedule) is null)
        {
            // The last invocation: ActionAfterCompletion applies once it has been made.
            _ = CompleteAfter(invocation, schedule);
        }
        else
        {
            Arm(schedule);
        }
    }

    private async Task CompleteAfter(Task invocation, Schedule schedule)
    {
        await invocation;
        Complete(schedule);
    }

    private void Complete(Schedule schedule)
    {
        if (schedule.ActionAfterCompletion == "DELETE" && _schedules.TryGetValue((schedule.Group, schedule.Name), out var current) && ReferenceEquals(current, schedule))
        {
            Remove(schedule);
        }
    }

    private async Task InvokeTargetAsync(Schedule schedule, DateTimeOffset scheduledTime)
    {
        var target = schedule.Target;
        var arn = target.GetString("Arn")!;
        var input = (target.GetString("Input") ?? string.Empty)
            .Replace("<aws.scheduler.schedule-arn>", schedule.Arn, StringComparison.Ordinal)
            .Replace("<aws.scheduler.scheduled-time>", scheduledTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("<aws.scheduler.execution-id>", Ids.Uuid(_random), StringComparison.Ordinal)
            .Replace("<aws.scheduler.attempt-number>", "1", StringComparison.Ordinal);
        var time = Account.Scheduler.Now;
        try
        {
            var result = arn.StartsWith(UniversalTargetPrefix, StringComparison.Ordinal)
                ? await InvokeUniversalAsync(arn, input)
                : await PlatformTargets.DeliverAsync(Account, arn, input.Length > 0 ? input : "{}", target.GetObject("EventBridgeParameters"),
                    target.GetString("RoleArn") is { } roleArn ? new TargetRole(roleArn, "scheduler.amazonaws.com", schedule.Arn) : null);
            _invocations.Add(new TargetDelivery(time, schedule.Arn, schedule.Name, arn, input, true, result));
        }
        catch (TargetDeliveryException e)
        {
            _invocations.Add(new TargetDelivery(time, schedule.Arn, schedule.Name, arn, input, false, e.Message));
        }
    }

    /// <summary>
    /// A universal target (<c>arn:aws:scheduler:::aws-sdk:sfn:startExecution</c>): Input is the API request;
    /// its members are accepted in either case (<c>stateMachineArn</c> or <c>StateMachineArn</c>).
    /// </summary>
    private async Task<string> InvokeUniversalAsync(string arn, string input)
    {
        var parts = arn[UniversalTargetPrefix.Length..].Split(':');
        if (parts.Length != 2 || parts[1].Length == 0)
        {
            throw new TargetDeliveryException($"'{arn}' is not a universal target (arn:aws:scheduler:::aws-sdk:service:apiAction).");
        }

        var service = Account.ServiceBySdkName(parts[0]) ?? throw new TargetDeliveryException($"The simulated account has no '{parts[0]}' service.");
        var action = char.ToUpperInvariant(parts[1][0]) + parts[1][1..];
        if (!service.Supports(action))
        {
            throw new TargetDeliveryException($"The simulated account does not implement {parts[0]}:{action}.");
        }

        if (!JValue.TryParse(input.Length > 0 ? input : "{}", out var json, out var error) || json is not JObject request)
        {
            throw new TargetDeliveryException($"The Input of a universal target must be a JSON object (the API request): {error}");
        }

        request = JObject.From(request.Select(m => new KeyValuePair<string, JValue>(char.ToUpperInvariant(m.Key[0]) + m.Key[1..], m.Value)));
        try
        {
            var response = await service.InvokeAsync(action, request, new AwsCallContext { Account = Account, Cancellation = CancellationToken.None });
            return response is JObject o && o.GetString("ExecutionArn") is { } executionArn ? executionArn : response.ToJson();
        }
        catch (AwsServiceException e)
        {
            throw new TargetDeliveryException($"{e.Code}: {e.Message}");
        }
    }
}
