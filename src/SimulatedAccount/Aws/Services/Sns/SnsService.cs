using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Sns;

/// <summary>One message published to a topic; in a rehearsal the list of them is the chat transcript.</summary>
public sealed record SnsMessage(DateTimeOffset Time, string MessageId, string TopicArn, string? Subject, string Message, JObject Attributes);

/// <summary>
/// Amazon SNS topics with a kept message log. Reached through <c>arn:aws:states:::aws-sdk:sns:*</c>
/// (errors <c>Sns.*</c>) and the optimized <c>arn:aws:states:::sns:publish</c> (errors <c>SNS.*</c>; see
/// <see cref="Integrations.SnsIntegration"/>).
/// </summary>
/// <remarks>World section <c>sns</c>: <c>topics: [ { name } ]</c>.</remarks>
public sealed class SnsService : AwsServiceBase
{
    private readonly HashSet<string> _topics = new(StringComparer.Ordinal);
    private readonly List<SnsMessage> _messages = [];
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private SimulatedAccount? _account;

    public SnsService()
    {
        On("CreateTopic", CreateTopic);
        On("ListTopics", (_, _) => JObject.Of(("Topics", JArray.From(_topics.Order(StringComparer.Ordinal).Select(t => (JValue)JObject.Of(("TopicArn", t)))))));
        On("DeleteTopic", DeleteTopic);
        On("Publish", Publish);
    }

    public override string SdkName => "sns";

    public override string ErrorPrefix => "Sns";

    public override string IamPrefix => "sns";

    public override string ThrottlingErrorCode => "Throttled";

    public override string InternalErrorCode => "InternalError";

    public override string ValidationErrorCode => "InvalidParameter";

    public IReadOnlyList<SnsMessage> Messages => _messages;

    public override void Seed(JObject section, SimulatedAccount account)
    {
        foreach (var topic in section.GetArray("topics") ?? JArray.Empty)
        {
            _topics.Add(TopicArn(topic.AsObject().GetString("name") ?? throw new Scenarios.ScenarioException("sns.topics[]: 'name' is required")));
        }
    }

    /// <summary>A topic a deployment creates, optionally encrypted with a KMS key (publishers then need that key too).</summary>
    public string AddTopic(string name, string? kmsMasterKeyArn = null)
    {
        var arn = TopicArn(name);
        _topics.Add(arn);
        if (kmsMasterKeyArn is not null)
        {
            _keys[arn] = kmsMasterKeyArn;
        }

        return arn;
    }

    /// <summary>The KMS key a topic is encrypted with, or null when it is not.</summary>
    public string? KmsMasterKeyOf(string topicArn) => _keys.GetValueOrDefault(topicArn);

    public override void Attach(SimulatedAccount account)
    {
        _account = account;
    }

    private JObject CreateTopic(JObject parameters, AwsCallContext context)
    {
        var arn = TopicArn(Read(parameters).RequiredString("Name"));
        _topics.Add(arn);
        return JObject.Of(("TopicArn", arn));
    }

    private JObject DeleteTopic(JObject parameters, AwsCallContext context)
    {
        _topics.Remove(Read(parameters).RequiredString("TopicArn"));
        return JObject.Empty;
    }

    private JObject Publish(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var topic = p.OptionalString("TopicArn") ?? p.OptionalString("TargetArn") ?? throw Invalid("Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
        var message = p.RequiredString("Message");
        if (!_topics.Contains(topic))
        {
            throw new AwsServiceException("NotFound", "Topic does not exist");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(message) > 256 * 1024)
        {
            throw Invalid("Invalid parameter: Message too long");
        }

        // Publish: "Subjects must be ASCII text that begins with a letter, number, or punctuation mark; must not
        // include line breaks or control characters; and must be less than 100 characters long."
        if (p.OptionalString("Subject") is { } subject
            && (subject.Length is 0 or >= 100 || subject.Any(c => c is < ' ' or > '~')))
        {
            throw Invalid("Invalid parameter: Subject");
        }

        var id = $"{context.Account.Random.Next():x8}-{_messages.Count + 1:x4}-4{context.Account.Random.Next(0x1000):x3}-8000-{context.Account.Random.NextInt64(0x1000000000000):x12}";
        _messages.Add(new SnsMessage(context.Now, id, topic, p.OptionalString("Subject"), message, p.OptionalObject("MessageAttributes") ?? JObject.Empty));
        return JObject.Of(("MessageId", id));
    }

    private string TopicArn(string nameOrArn) =>
        nameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? nameOrArn : _account?.Arn("sns", nameOrArn) ?? nameOrArn;
}
