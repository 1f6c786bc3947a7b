using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.EventBridge;

/// <summary>What became of one delivery.</summary>
public enum DeliveryOutcome
{
    /// <summary>The target accepted it (on the first attempt or a retry).</summary>
    Delivered,

    /// <summary>
    /// It failed with an error that is not retried: a permission the role lacks (or a role that cannot be assumed), a
    /// target that does not exist, or a request the target can never accept.
    /// </summary>
    NotRetryable,

    /// <summary>Every attempt the retry policy allows (MaximumRetryAttempts retries after the first) failed.</summary>
    RetryAttemptsExhausted,

    /// <summary>Retries went on until the next one would have come after MaximumEventAgeInSeconds.</summary>
    MaximumEventAgeReached,
}

/// <summary>
/// One event of a rule, or one invocation of a schedule, delivered to one target, however many attempts it took. It is
/// recorded once, when its fate is known, because that is what an operator asks of it: did the target get it, when, after
/// how many tries, and if not, why and where did the event go (the dead-letter queue, or nowhere). Every attempt is also
/// in the account's call log, as a call made by the rule's or schedule's role (<see cref="AwsCallRecord.DeliveredBy"/>),
/// with the fault injected into it, if any.
/// </summary>
/// <param name="Time">When the first attempt was made (the event's arrival, or the schedule's invocation).</param>
/// <param name="Source">The rule or schedule ARN.</param>
/// <param name="Input">What the last attempt sent.</param>
/// <param name="Result">What the target made of it: the execution ARN, the message id; or the last error, <c>Code: message</c>.</param>
public sealed record TargetDelivery(DateTimeOffset Time, string Source, string TargetId, string TargetArn, string Input, bool Succeeded, string Result)
{
    public DeliveryOutcome Outcome { get; init; } = DeliveryOutcome.Delivered;

    /// <summary>Attempts made: the first one and the retries.</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>When the last attempt was made: when it was delivered, or given up.</summary>
    public DateTimeOffset Finished { get; init; }

    /// <summary>Each failed attempt's error (<c>Code: message</c>), in order.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The target's dead-letter queue (DeadLetterConfig), if it has one.</summary>
    public string? DeadLetterQueue { get; init; }

    /// <summary>The undelivered event went to <see cref="DeadLetterQueue"/> (SQS SendMessage succeeded).</summary>
    public bool SentToDeadLetterQueue { get; init; }

    /// <summary>Why an undelivered event is not in its dead-letter queue; null when it is, or when there is none.</summary>
    public string? DeadLetterProblem { get; init; }

    /// <summary>Not delivered and not kept in a dead-letter queue: the event is lost.</summary>
    public bool Dropped => !Succeeded && !SentToDeadLetterQueue;
}

/// <summary>
/// A target's RetryPolicy. EventBridge rule targets and EventBridge Scheduler schedules share its members, ranges and
/// defaults: MaximumRetryAttempts 0 to 185 (default 185), MaximumEventAgeInSeconds 60 to 86400 (default 86400, 24 hours).
/// <list type="bullet">
/// <item>https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html: "By default, EventBridge
/// retries sending the event for 24 hours and up to 185 times with an exponential back off and jitter"; once they are
/// exhausted the event is dropped (or sent to the dead-letter queue).</item>
/// <item>https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html and
/// https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html: the ranges; "Retry attempts with
/// exponential backoff continue until either the maximum number of attempts is made or until the duration of the
/// MaximumEventAgeInSeconds is reached".</item>
/// <item>Scheduler's defaults are the ones GetSchedule reports for a target without a RetryPolicy (SchedulerService).</item>
/// </list>
/// AWS does not publish the backoff's base or cap. The simulator doubles from <see cref="BaseDelay"/> up to
/// <see cref="MaximumDelay"/>, with "equal jitter" (half the delay fixed, half random, seeded), which spends the 185
/// default retries in about 22 hours, within the default day: the two defaults give out at about the same time, as
/// their pairing suggests.
/// </summary>
public sealed record TargetRetryPolicy(int MaximumRetryAttempts, int MaximumEventAgeInSeconds)
{
    public static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaximumDelay = TimeSpan.FromMinutes(10);

    public static TargetRetryPolicy Default { get; } = new(185, 86_400);

    public TimeSpan MaximumEventAge => TimeSpan.FromSeconds(MaximumEventAgeInSeconds);

    /// <summary>The policy a target's <c>RetryPolicy</c> member gives (absent members take the defaults, values kept in range).</summary>
    public static TargetRetryPolicy From(JObject? retryPolicy) => retryPolicy is null
        ? Default
        : new(
            Math.Clamp((int?)retryPolicy.GetNumber("MaximumRetryAttempts") ?? Default.MaximumRetryAttempts, 0, 185),
            Math.Clamp((int?)retryPolicy.GetNumber("MaximumEventAgeInSeconds") ?? Default.MaximumEventAgeInSeconds, 60, 86_400));

    /// <summary>How long to wait before retry number <paramref name="retry"/> (1 for the first retry).</summary>
    public static TimeSpan Backoff(int retry, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var exponential = Math.Min(MaximumDelay.TotalSeconds, BaseDelay.TotalSeconds * Math.Pow(2, Math.Min(retry - 1, 30)));
        return TimeSpan.FromSeconds((exponential / 2) + (random.NextDouble() * exponential / 2));
    }

    /// <summary>
    /// Whether a delivery that failed with <paramref name="code"/> is tried again. Not retried, per
    /// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html ("for errors that result from missing
    /// permissions to a target, or if a target resource that no longer exists, no retry attempts will happen until action
    /// is taken to resolve the underlying issue"; the event goes straight to the dead-letter queue): permission errors and
    /// resources that do not exist. Also not retried, by the simulator's reading rather than an AWS statement: requests
    /// the target can never accept (validation, input that is not JSON, a name already taken; the DLQ error codes
    /// INVALID_JSON, INVALID_PARAMETER and RESOURCE_ALREADY_EXISTS), since every retry would fail the same way. Everything else is retried: throttling, internal
    /// errors, limits, and errors the simulator does not know. EventBridge Scheduler documents no list of its own
    /// (https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html); the same rules apply.
    /// </summary>
    public static bool IsRetryable(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        bool Has(string part) => code.Contains(part, StringComparison.OrdinalIgnoreCase);
        if (Has("Throttl") || Has("TooManyRequests") || Has("LimitExceeded") || Has("Internal") || Has("Unavailable") || Has("Timeout"))
        {
            return true;
        }

        return ErrorCategory(code) is not ("FAILED_TO_ASSUME_ROLE" or "NO_PERMISSIONS" or "NO_RESOURCE" or "INVALID_PARAMETER" or "INVALID_JSON" or "RESOURCE_ALREADY_EXISTS");
    }

    /// <summary>The ERROR_CODE a dead-letter message carries for <paramref name="code"/> (the values eb-rule-dlq.html lists).</summary>
    public static string ErrorCategory(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        bool Has(string part) => code.Contains(part, StringComparison.OrdinalIgnoreCase);
        return code switch
        {
            TargetDeliveryException.FailedToAssumeRole => "FAILED_TO_ASSUME_ROLE",
            _ when Has("Throttl") || Has("TooManyRequests") => "THROTTLING",
            _ when Has("AccessDenied") || Has("AuthorizationError") || Has("NotAuthorized") || Has("Unauthorized") || Has("Forbidden") => "NO_PERMISSIONS",
            _ when Has("NotFound") || Has("DoesNotExist") || code.StartsWith("NoSuch", StringComparison.Ordinal) => "NO_RESOURCE",
            _ when Has("AlreadyExists") => "RESOURCE_ALREADY_EXISTS",
            "InvalidExecutionInput" or "MalformedDetail" or "InvalidRequestContentException" => "INVALID_JSON",
            _ when Has("Validation") || code.StartsWith("Invalid", StringComparison.Ordinal) => "INVALID_PARAMETER",
            _ => "ERROR_FROM_TARGET",
        };
    }
}
