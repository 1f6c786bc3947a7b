using System.Globalization;
using BlueGreen.Simulator.Aws.Services.EventBridge;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Scheduler;

/// <summary>
/// Firing on the virtual clock: each enabled schedule is armed for its next occurrence (within its flexible time
/// window), delivers to its target (a platform target or an <c>aws-sdk</c> universal target) through the account's call
/// path as the schedule's role (<see cref="PlatformTargets"/>), retried by its RetryPolicy (default 185 retries over 24
/// hours) and sent to its DeadLetterConfig when given up (<see cref="TargetDeliverer"/>) and, once done, completes
/// (ActionAfterCompletion, after the last invocation's retries).
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
        var role = target.GetString("RoleArn") is { } roleArn ? new TargetRole(roleArn, "scheduler.amazonaws.com", schedule.Arn) : null;
        var destination = new DeliveryTarget(schedule.Arn, "SCHEDULE_ARN", schedule.Name, arn, TargetRetryPolicy.From(target.GetObject("RetryPolicy")),
            target.GetObject("DeadLetterConfig")?.GetString("Arn"), role?.RoleArn);
        // One execution id for the invocation; the attempt number counts its retries.
        var executionId = Ids.Uuid(_random);
        string Input(int attempt) => (target.GetString("Input") ?? string.Empty)
            .Replace("<aws.scheduler.schedule-arn>", schedule.Arn, StringComparison.Ordinal)
            .Replace("<aws.scheduler.scheduled-time>", scheduledTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("<aws.scheduler.execution-id>", executionId, StringComparison.Ordinal)
            .Replace("<aws.scheduler.attempt-number>", attempt.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var delivery = await Deliverer.DeliverAsync(destination, Input, input => PlatformTargets.DeliverAsync(
            Account, schedule.Arn, arn, input.Length > 0 || arn.StartsWith(UniversalTargetPrefix, StringComparison.Ordinal) ? input : "{}", role, target.GetObject("EventBridgeParameters")));
        _invocations.Add(delivery);
    }
}
