using BlueGreen.Simulator.Aws.Services.Sqs;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Services.Sqs;

/// <summary>The dead-letter queues: what SendMessage accepts, what it refuses, and what a queue then holds.</summary>
public sealed class SqsServiceTests : IDisposable
{
    private const string Url = "https://sqs.ap-northeast-2.amazonaws.com/111122223333/schedules-undelivered";

    private readonly PlatformHarness _h = new(JObject.Of(("sqs", JObject.Of(("queues", JArray.Of(JObject.Of(("name", "schedules-undelivered"))))))));

    public void Dispose() => _h.Dispose();

    private SqsService Sqs => _h.Service<SqsService>();

    [Fact]
    public void SendMessage_KeepsTheBodyAndAttributes_AndGetQueueAttributesCountsThem()
    {
        var sent = _h.Call("sqs", "SendMessage", JObject.Of(("QueueUrl", Url), ("MessageBody", """{"cluster":"shop-blue"}"""),
            ("MessageAttributes", JObject.Of(("ERROR_CODE", JObject.Of(("DataType", "String"), ("StringValue", "THROTTLING")))))));

        var message = Assert.Single(Sqs.MessagesIn(PlatformHarness.Arn("sqs", "schedules-undelivered")));
        Assert.Equal((sent.GetString("MessageId"), """{"cluster":"shop-blue"}""", "THROTTLING"), (message.MessageId, message.Body, message.Attributes.GetObject("ERROR_CODE")!.GetString("StringValue")));
        // MD5OfMessageBody is the hex MD5 of the body's UTF-8 bytes (SendMessage response).
        Assert.Equal("f2a76fc3361780cbce1659a3ff5679ff", sent.GetString("MD5OfMessageBody"));
        var attributes = _h.Call("sqs", "GetQueueAttributes", JObject.Of(("QueueUrl", Url), ("AttributeNames", JArray.Of("All")))).GetObject("Attributes")!;
        Assert.Equal(("1", PlatformHarness.Arn("sqs", "schedules-undelivered")), (attributes.GetString("ApproximateNumberOfMessages"), attributes.GetString("QueueArn")));
    }

    [Fact]
    public void SendMessage_ToAQueueThatDoesNotExist_IsRefused_AndNothingIsKept()
    {
        var error = _h.CallFails("sqs", "SendMessage", JObject.Of(("QueueUrl", Url.Replace("schedules", "other", StringComparison.Ordinal)), ("MessageBody", "{}")));

        Assert.Equal("Sqs.QueueDoesNotExistException", error.Error);
        Assert.All(Sqs.Queues.Values, q => Assert.Empty(q));
    }

    [Fact]
    public void SendMessage_OverTheSizeOrAttributeLimits_IsRefused()
    {
        var large = _h.CallFails("sqs", "SendMessage", JObject.Of(("QueueUrl", Url), ("MessageBody", new string('x', SqsService.DefaultMaximumMessageSize + 1))));
        var attributes = new JObjectBuilder();
        for (var i = 0; i < 11; i++)
        {
            attributes.Add($"A{i}", JObject.Of(("DataType", "String"), ("StringValue", "v")));
        }

        var many = _h.CallFails("sqs", "SendMessage", JObject.Of(("QueueUrl", Url), ("MessageBody", "{}"), ("MessageAttributes", attributes.Build())));

        Assert.Contains("Message must be shorter than 262144 bytes", large.Message, StringComparison.Ordinal);
        Assert.Contains("exceeds the allowed maximum [10]", many.Message, StringComparison.Ordinal);
        Assert.All(Sqs.Queues.Values, q => Assert.Empty(q));
    }
}
