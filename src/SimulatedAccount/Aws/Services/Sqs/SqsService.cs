using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Sqs;

/// <summary>One message a queue holds: what was sent, when, and its message attributes.</summary>
public sealed record SqsMessage(DateTimeOffset SentAt, string MessageId, string QueueArn, string Body, JObject Attributes);

/// <summary>
/// Amazon SQS standard queues, as far as the product uses them: the dead-letter queues that EventBridge rules and
/// Scheduler schedules send what they could not deliver to. A message to a queue that does not exist is refused with
/// <c>QueueDoesNotExist</c> (SQS API reference, SendMessage's errors), so a dead-letter ARN that names no deployed queue
/// shows up in a rehearsal instead of losing the event silently. Nothing in the workflow reads the queues: operators do
/// (docs/operating.md), and the CloudWatch alarm on each queue says that something is waiting there.
/// </summary>
/// <remarks>World section <c>sqs</c>: <c>queues: [ { name } ]</c>.</remarks>
public sealed class SqsService : AwsServiceBase
{
    /// <summary>A queue's MaximumMessageSize when none is set: 262,144 bytes (SQS API reference, SetQueueAttributes).</summary>
    public const int DefaultMaximumMessageSize = 262_144;

    /// <summary>"A message can contain up to 10 metadata attributes" (SQS developer guide, message quotas).</summary>
    private const int MaxMessageAttributes = 10;

    private readonly Dictionary<string, List<SqsMessage>> _queues = new(StringComparer.Ordinal);
    private SimulatedAccount? _account;

    public SqsService()
    {
        On("SendMessage", SendMessage);
        On("GetQueueAttributes", GetQueueAttributes);
    }

    public override string SdkName => "sqs";

    public override string ErrorPrefix => "Sqs";

    public override string IamPrefix => "sqs";

    public override string ThrottlingErrorCode => "RequestThrottled";

    public override string InternalErrorCode => "InternalError";

    public override string ValidationErrorCode => "InvalidParameterValue";

    /// <summary>Every queue's ARN and the messages it holds, oldest first.</summary>
    public IReadOnlyDictionary<string, List<SqsMessage>> Queues => _queues;

    /// <summary>The messages of one queue (none when it does not exist).</summary>
    public IReadOnlyList<SqsMessage> MessagesIn(string queueArn) => _queues.GetValueOrDefault(queueArn) ?? [];

    public override void Attach(SimulatedAccount account) => _account = account;

    public override void Seed(JObject section, SimulatedAccount account)
    {
        _account = account;
        foreach (var queue in section.GetArray("queues") ?? JArray.Empty)
        {
            AddQueue(queue.AsObject().GetString("name") ?? throw new Scenarios.ScenarioException("sqs.queues[]: 'name' is required"));
        }
    }

    /// <summary>A standard queue a deployment creates; returns its ARN.</summary>
    public string AddQueue(string name)
    {
        var arn = Account.Arn("sqs", name);
        _queues.TryAdd(arn, []);
        return arn;
    }

    private SimulatedAccount Account => _account ?? throw new InvalidOperationException("The SQS service is not attached to an account.");

    private JObject SendMessage(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var queue = QueueOf(p.RequiredString("QueueUrl"));
        var body = p.RequiredString("MessageBody");
        if (body.Length == 0)
        {
            throw Invalid("The request must contain the parameter MessageBody.");
        }

        // MessageBody: "The minimum size is one character." The body and the attributes count against the queue's maximum.
        var attributes = p.OptionalObject("MessageAttributes") ?? JObject.Empty;
        if (attributes.Count > MaxMessageAttributes)
        {
            throw Invalid($"Number of message attributes [{attributes.Count}] exceeds the allowed maximum [{MaxMessageAttributes}].");
        }

        var size = System.Text.Encoding.UTF8.GetByteCount(body) + attributes.Sum(a => System.Text.Encoding.UTF8.GetByteCount(a.Key + a.Value.ToJson()));
        if (size > DefaultMaximumMessageSize)
        {
            throw Invalid($"One or more parameters are invalid. Reason: Message must be shorter than {DefaultMaximumMessageSize} bytes.");
        }

        var id = $"{context.Account.Random.Next():x8}-{_queues[queue].Count + 1:x4}-4{context.Account.Random.Next(0x1000):x3}-8000-{context.Account.Random.NextInt64(0x1000000000000):x12}";
        _queues[queue].Add(new SqsMessage(context.Now, id, queue, body, attributes));
        return JObject.Of(("MessageId", id), ("MD5OfMessageBody", Md5(body)));
    }

    private JObject GetQueueAttributes(JObject parameters, AwsCallContext context)
    {
        var queue = QueueOf(Read(parameters).RequiredString("QueueUrl"));
        return JObject.Of(("Attributes", JObject.Of(
            ("QueueArn", queue),
            ("ApproximateNumberOfMessages", _queues[queue].Count.ToString(CultureInfo.InvariantCulture)),
            ("MaximumMessageSize", DefaultMaximumMessageSize.ToString(CultureInfo.InvariantCulture)))));
    }

    /// <summary>SQS names a queue by its URL, <c>https://sqs.REGION.amazonaws.com/ACCOUNT/NAME</c>; IAM and everything else by its ARN.</summary>
    public static string? QueueArnOf(string url) =>
        url.Split('/') is [_, _, var host, var owner, var name] && host.Split('.') is ["sqs", var region, ..]
            ? $"arn:aws:sqs:{region}:{owner}:{name}"
            : null;

    private string QueueOf(string url) =>
        QueueArnOf(url) is { } arn && _queues.ContainsKey(arn)
            ? arn
            : throw new AwsServiceException("QueueDoesNotExist", "The specified queue does not exist.");

    // SendMessage returns MD5OfMessageBody, a checksum SQS defines (not a security use of MD5).
#pragma warning disable CA5351
    private static string Md5(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
