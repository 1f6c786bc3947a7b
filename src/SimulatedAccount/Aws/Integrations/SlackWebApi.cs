using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Integrations;

/// <summary>One message the simulated Slack accepted: where, when, its <c>ts</c>, and the body as posted.</summary>
public sealed record SlackMessage(DateTimeOffset Time, string Channel, string Ts, string Text, JObject Body)
{
    /// <summary>The buttons of the message's actions blocks: (action_id, value) in order.</summary>
    public IReadOnlyList<(string ActionId, string Value)> Buttons =>
        [.. (Body.GetArray("blocks") ?? JArray.Empty).OfType<JObject>()
            .Where(b => b.GetString("type") == "actions")
            .SelectMany(b => (b.GetArray("elements") ?? JArray.Empty).OfType<JObject>())
            .Where(e => e.GetString("type") == "button")
            .Select(e => (e.GetString("action_id") ?? string.Empty, e.GetString("value") ?? string.Empty))];
}

/// <summary>An HTTP answer of the simulated Slack: status, and the JSON body (Slack answers <c>application/json</c>).</summary>
public sealed record SlackAnswer(int Status, JObject Body);

/// <summary>
/// The part of Slack's Web API the product calls, <c>chat.postMessage</c> (https://api.slack.com/methods/chat.postMessage),
/// reached by HTTP Tasks (nothing leaves the machine). Like Slack: a request without <c>Authorization: Bearer ...</c> is
/// answered <c>not_authed</c>, a token Slack does not know <c>invalid_auth</c>, an unknown channel <c>channel_not_found</c>, a
/// channel the bot is not in <c>not_in_channel</c>, a message without text or blocks <c>no_text</c>; each with HTTP 200 and
/// <c>{"ok": false, "error": ...}</c> (https://api.slack.com/web#evaluating_responses). An accepted message gets
/// <c>{"ok": true, "channel", "ts", "message"}</c>. Faults for tests: <see cref="FailNext"/> (an HTTP status, e.g. 500 or 429)
/// and <see cref="RefuseNext"/> (an <c>ok: false</c> error).
/// </summary>
public sealed class SlackWebApi
{
    public const string BaseUrl = "https://slack.com/api/";

    private readonly HashSet<string> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _channels = new(StringComparer.Ordinal);
    private readonly Queue<int> _failures = new();
    private readonly Queue<string> _refusals = new();
    private readonly List<SlackMessage> _messages = [];
    private readonly List<(DateTimeOffset Time, string Method, SlackAnswer Answer)> _requests = [];
    private long _sequence;

    /// <summary>
    /// When true, the HTTP Task hands Slack's JSON answer over as text rather than as JSON (the Step Functions guide does not
    /// say which it does for <c>application/json</c>; ask-approval reads both).
    /// </summary>
    public bool AnswersAsText { get; set; }

    /// <summary>Messages accepted, oldest first.</summary>
    public IReadOnlyList<SlackMessage> Messages => _messages;

    /// <summary>Every request and its answer, refusals and failures included.</summary>
    public IReadOnlyList<(DateTimeOffset Time, string Method, SlackAnswer Answer)> Requests => _requests;

    /// <summary>A bot token of the workspace (<c>xoxb-...</c>).</summary>
    public void AddBotToken(string token) => _tokens.Add(token);

    /// <summary>A channel, and whether the bot is in it.</summary>
    public void AddChannel(string channelId, bool botIsMember = true) => _channels[channelId] = botIsMember;

    /// <summary>The next <paramref name="times"/> requests answer HTTP <paramref name="status"/>.</summary>
    public void FailNext(int status, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _failures.Enqueue(status);
        }
    }

    /// <summary>The next request is refused with HTTP 200 and <c>{"ok": false, "error": <paramref name="error"/>}</c>.</summary>
    public void RefuseNext(string error) => _refusals.Enqueue(error);

    /// <summary>Answers one request: <paramref name="url"/> under <see cref="BaseUrl"/>, the headers sent (names as given), the JSON body.</summary>
    public SlackAnswer Handle(DateTimeOffset now, string url, IReadOnlyDictionary<string, string> headers, JValue? body)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(headers);
        var method = url[BaseUrl.Length..];
        var answer = Answer(now, method, headers, body);
        _requests.Add((now, method, answer));
        return answer;
    }

    private SlackAnswer Answer(DateTimeOffset now, string method, IReadOnlyDictionary<string, string> headers, JValue? body)
    {
        if (_failures.TryDequeue(out var status))
        {
            return new SlackAnswer(status, JObject.Of(("ok", false), ("error", status == 429 ? "ratelimited" : "internal_error")));
        }

        if (method != "chat.postMessage")
        {
            return Refused("unknown_method");
        }

        var authorization = headers.FirstOrDefault(h => string.Equals(h.Key, "Authorization", StringComparison.OrdinalIgnoreCase)).Value;
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Refused("not_authed");
        }

        if (!_tokens.Contains(authorization["Bearer ".Length..]))
        {
            return Refused("invalid_auth");
        }

        if (_refusals.TryDequeue(out var error))
        {
            return Refused(error);
        }

        var message = body as JObject;
        var channel = message?.GetString("channel");
        if (channel is null || !_channels.TryGetValue(channel, out var member))
        {
            return Refused("channel_not_found");
        }

        if (!member)
        {
            return Refused("not_in_channel");
        }

        var text = message!.GetString("text") ?? string.Empty;
        if (text.Length == 0 && message.GetArray("blocks") is not { Count: > 0 })
        {
            return Refused("no_text");
        }

        // A message's ts is its id in the channel: seconds since the epoch and a sequence, as Slack writes it ("1503435956.000247").
        var ts = string.Create(CultureInfo.InvariantCulture, $"{now.ToUnixTimeSeconds()}.{++_sequence:D6}");
        _messages.Add(new SlackMessage(now, channel, ts, text, message));
        return new SlackAnswer(200, JObject.Of(("ok", true), ("channel", channel), ("ts", ts),
            ("message", JObject.Of(("type", "message"), ("text", text), ("ts", ts), ("blocks", message.GetArray("blocks") ?? JArray.Empty)))));
    }

    private static SlackAnswer Refused(string error) => new(200, JObject.Of(("ok", false), ("error", error)));
}
