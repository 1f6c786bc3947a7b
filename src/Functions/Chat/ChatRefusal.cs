namespace BlueGreen.Functions.Chat;

/// <summary>
/// Why a chat request was refused: a stable <see cref="Code"/> for the audit record and tests, the text the person sees
/// (ephemeral: only they see it), and the HTTP status the endpoint answers with. Requests that cannot be shown to be
/// Slack's get 401/413 and a short text; everything later gets 200, because Slack shows only a 200's body to the user.
/// </summary>
public sealed record ChatRefusal(string Code, string Reason, int HttpStatus)
{
    public static ChatRefusal TooLarge(int limit) => new("body-too-large", $"the request body is over {limit} bytes", 413);

    public static ChatRefusal MissingSignature(string reason) => new("unsigned", reason, 401);

    public static ChatRefusal Stale(string reason) => new("stale", reason, 401);

    public static ChatRefusal Forged(string reason) => new("forged", reason, 401);

    public static ChatRefusal Replayed() => new("replayed", "this exact request was already received (a replay)", 401);

    public static ChatRefusal Malformed(string reason) => new("malformed", reason, 200);

    public static ChatRefusal NotAllowed(string code, string reason) => new(code, reason, 200);
}
