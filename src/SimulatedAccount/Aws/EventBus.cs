using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws;

/// <summary>An event on the account's default EventBridge bus (the envelope EventBridge delivers).</summary>
public sealed record AwsEvent(string Id, string Source, string DetailType, JObject Detail, IReadOnlyList<string> Resources, DateTimeOffset Time, string Account, string Region)
{
    /// <summary>The event as EventBridge delivers it to targets.</summary>
    public JObject ToJson() => JObject.Of(
        ("version", "0"),
        ("id", Id),
        ("detail-type", DetailType),
        ("source", Source),
        ("account", Account),
        ("time", Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        ("region", Region),
        ("resources", JArray.From(Resources.Select(r => (JValue)r))),
        ("detail", Detail));
}

/// <summary>
/// The default event bus. Services publish (CloudWatch alarm state changes, Step Functions status
/// changes, scheduled events); EventBridge rules and observers subscribe. Delivery is on the
/// scheduler thread, after the publishing call returns, as on AWS.
/// </summary>
public sealed class EventBus(SimulatedAccount account)
{
    private readonly List<AwsEvent> _published = [];
    private readonly List<Action<AwsEvent>> _subscribers = [];
    private int _sequence;

    public IReadOnlyList<AwsEvent> Published => _published;

    public void Subscribe(Action<AwsEvent> subscriber) => _subscribers.Add(subscriber);

    public AwsEvent Publish(string source, string detailType, JObject detail, params string[] resources)
    {
        _sequence++;
        var id = $"{_sequence:D8}-0000-4000-8000-{StableHash.Of(source + detailType + _sequence) & 0x7fffffff:D12}";
        var e = new AwsEvent(id, source, detailType, detail, resources, account.Scheduler.Now, account.AccountId, account.Region);
        _published.Add(e);
        foreach (var subscriber in _subscribers.ToList())
        {
            account.Scheduler.Post(() => subscriber(e));
        }

        return e;
    }
}
