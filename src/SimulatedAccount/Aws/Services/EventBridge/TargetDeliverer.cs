using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.EventBridge;

/// <summary>Where one delivery goes and how hard to try: the rule's target, or the schedule's.</summary>
/// <param name="Source">The rule or schedule ARN.</param>
/// <param name="SourceAttribute">The dead-letter message attribute naming it: <c>RULE_ARN</c> or <c>SCHEDULE_ARN</c>.</param>
/// <param name="DeadLetterQueue">DeadLetterConfig.Arn, if the target has one.</param>
/// <param name="DeadLetterPrincipal">The role that sends to the dead-letter queue: the schedule's (Scheduler); none for a rule (the queue's policy admits EventBridge).</param>
internal sealed record DeliveryTarget(string Source, string SourceAttribute, string TargetId, string TargetArn, TargetRetryPolicy Policy, string? DeadLetterQueue, string? DeadLetterPrincipal);

/// <summary>
/// Delivers one event (a rule's) or one invocation (a schedule's) to its target, on the account's virtual clock: one
/// attempt through <see cref="PlatformTargets"/>, and while it fails with a retryable error, retries after an
/// exponential backoff with jitter (<see cref="TargetRetryPolicy.Backoff"/>) until the retry policy's attempts or
/// maximum event age are spent. No thread sleeps: a retry is a timer of the account's scheduler, so a rehearsal
/// that waits out a day of retries costs a few heap operations. An event not delivered goes to the target's
/// dead-letter queue when it has one and the simulated account has SQS (it has none today: the event is then recorded
/// as dropped, with the reason), and is otherwise dropped
/// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-event-delivery.html,
/// https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html).
/// </summary>
internal sealed class TargetDeliverer(SimulatedAccount account, Random random)
{
    /// <summary>
    /// How long an event on the bus takes to reach a rule's target on the first attempt. AWS publishes no figure: the
    /// EventBridge FAQ says only that "the first attempt is made as soon as the event arrives in the event stream"
    /// (https://docs.aws.amazon.com/eventbridge/latest/onboarding/AWS_EventBridge_Partner_Onboarding_FAQ.html), and
    /// users report sub-second end-to-end latency since February 2023 (PostNL Engineering, "Improved EventBridge
    /// Latency Opens Up New Use Cases"). Rehearsals assume a conservative whole second (scenarios set
    /// <see cref="AccountOptions.RuleDeliveryLatency"/> to it), so what is measured on the virtual clock (alarm-rollback's
    /// reaction, restore-blue's start) does not flatter the product. Schedules (EventBridge Scheduler) fire at their time
    /// and are not delayed.
    /// </summary>
    public static readonly TimeSpan ModelledRuleDeliveryLatency = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries started and not yet finished (some are waiting for a retry).</summary>
    public int InProgress { get; private set; }

    /// <summary>
    /// Delivers to <paramref name="target"/>: <paramref name="input"/> builds what attempt n (1 for the first) sends, and
    /// may refuse (an InputPath that selects nothing); <paramref name="send"/> makes one attempt.
    /// </summary>
    public async Task<TargetDelivery> DeliverAsync(DeliveryTarget target, Func<int, string> input, Func<string, Task<string>> send)
    {
        InProgress++;
        try
        {
            return await RunAsync(target, input, send);
        }
        finally
        {
            InProgress--;
        }
    }

    private async Task<TargetDelivery> RunAsync(DeliveryTarget target, Func<int, string> input, Func<string, Task<string>> send)
    {
        var first = account.Scheduler.Now;
        if (target.SourceAttribute == "RULE_ARN" && account.Options.RuleDeliveryLatency > TimeSpan.Zero)
        {
            await account.Scheduler.Delay(account.Options.RuleDeliveryLatency);
        }

        var errors = new List<string>();
        var sent = string.Empty;
        for (var attempt = 1; ; attempt++)
        {
            TargetDeliveryException failure;
            try
            {
                sent = string.Empty;
                sent = input(attempt);
                var result = await send(sent);
                return new TargetDelivery(first, target.Source, target.TargetId, target.TargetArn, sent, true, result)
                {
                    Attempts = attempt,
                    Finished = account.Scheduler.Now,
                    Errors = errors,
                    DeadLetterQueue = target.DeadLetterQueue,
                };
            }
            catch (TargetDeliveryException e)
            {
                failure = e;
            }

            errors.Add(failure.Result);
            var outcome = DeliveryOutcome.NotRetryable;
            if (failure.Retryable)
            {
                // Attempt n has made n - 1 retries; a retry that would come after the maximum event age is not made.
                var delay = attempt > target.Policy.MaximumRetryAttempts ? (TimeSpan?)null : TargetRetryPolicy.Backoff(attempt, random);
                if (delay is null)
                {
                    outcome = DeliveryOutcome.RetryAttemptsExhausted;
                }
                else if (account.Scheduler.Now + delay.Value - first > target.Policy.MaximumEventAge)
                {
                    outcome = DeliveryOutcome.MaximumEventAgeReached;
                }
                else
                {
                    await account.Scheduler.Delay(delay.Value);
                    continue;
                }
            }

            var (queued, problem) = await DeadLetterAsync(target, sent, failure, outcome, attempt);
            return new TargetDelivery(first, target.Source, target.TargetId, target.TargetArn, sent, false, failure.Result)
            {
                Outcome = outcome,
                Attempts = attempt,
                Finished = account.Scheduler.Now,
                Errors = errors,
                DeadLetterQueue = target.DeadLetterQueue,
                SentToDeadLetterQueue = queued,
                DeadLetterProblem = problem,
            };
        }
    }

    /// <summary>
    /// Sends the undelivered event to the dead-letter queue through the account's call path (SQS SendMessage, with the
    /// message attributes eb-rule-dlq.html lists: the rule or schedule, the target, ERROR_CODE, ERROR_MESSAGE,
    /// EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS); whether it got there, and if not, why.
    /// </summary>
    private async Task<(bool Queued, string? Problem)> DeadLetterAsync(DeliveryTarget target, string input, TargetDeliveryException failure, DeliveryOutcome outcome, int attempts)
    {
        if (target.DeadLetterQueue is not { } queue)
        {
            return (false, null);
        }

        if (account.ServiceBySdkName("sqs") is not { } sqs || !sqs.Supports("SendMessage"))
        {
            return (false, $"the simulated account has no SQS, so {queue} cannot receive it");
        }

        var parts = queue.Split(':');
        if (parts.Length != 6 || parts[2] != "sqs")
        {
            return (false, $"{queue} is not an SQS queue ARN");
        }

        static JObject Text(string value) => JObject.Of(("DataType", "String"), ("StringValue", value));
        var attributes = JObject.Of(
            (target.SourceAttribute, Text(target.Source)),
            ("TARGET_ARN", Text(target.TargetArn)),
            ("ERROR_CODE", Text(failure.Code is { } code ? TargetRetryPolicy.ErrorCategory(code) : "INVALID_PARAMETER")),
            ("ERROR_MESSAGE", Text(failure.Result)),
            ("EXHAUSTED_RETRY_CONDITION", Text(outcome switch
            {
                DeliveryOutcome.RetryAttemptsExhausted => "MaximumRetryAttempts",
                DeliveryOutcome.MaximumEventAgeReached => "MaximumEventAgeInSeconds",
                _ => "NotRetryable",
            })),
            ("RETRY_ATTEMPTS", Text((attempts - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var request = JObject.Of(
            ("QueueUrl", $"https://sqs.{parts[3]}.amazonaws.com/{parts[4]}/{parts[5]}"),
            ("MessageBody", input.Length > 0 ? input : "{}"),
            ("MessageAttributes", attributes));
        var context = new AwsCallContext { Account = account, Cancellation = CancellationToken.None, PrincipalArn = target.DeadLetterPrincipal, DeliveredBy = target.Source };
        try
        {
            await account.DeliveryCallAsync(sqs, "SendMessage", request, context);
            return (true, null);
        }
        catch (AwsServiceException e)
        {
            return (false, $"SendMessage to {queue} failed: {e.Code}: {e.Message}");
        }
        catch (NotSupportedException e)
        {
            return (false, e.Message);
        }
    }
}
