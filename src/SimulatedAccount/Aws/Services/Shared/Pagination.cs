using System.Globalization;
using System.Text;

namespace BlueGreen.Simulator.Aws.Services;

/// <summary>
/// How a list API writes the token of its next page. Each service keeps the form its API uses: a plain offset, or an
/// opaque token naming the list, which a token from another list does not fit.
/// </summary>
internal abstract class PageTokens
{
    /// <summary>The next item's index as decimal text (Step Functions, Secrets Manager, Scheduler, EventBridge, Lambda).</summary>
    public static PageTokens Offsets { get; } = new OffsetTokens();

    /// <summary>Base64 of <c>list</c>, <paramref name="separator"/> and the offset (EKS with <c>|</c>; CloudWatch and ELBv2 with <c>:</c>).</summary>
    public static PageTokens Opaque(string list, char separator) => new OpaqueTokens(list, separator);

    public abstract string Write(int offset);

    /// <summary>The offset <paramref name="token"/> encodes, or null when it is not a token of this list.</summary>
    public abstract int? Read(string token);

    private sealed class OffsetTokens : PageTokens
    {
        public override string Write(int offset) => offset.ToString(CultureInfo.InvariantCulture);

        public override int? Read(string token) =>
            int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset >= 0 ? offset : null;
    }

    private sealed class OpaqueTokens(string list, char separator) : PageTokens
    {
        public override string Write(int offset) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{list}{separator}{offset.ToString(CultureInfo.InvariantCulture)}"));

        public override int? Read(string token)
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
                return text.StartsWith(list + separator, StringComparison.Ordinal) && int.TryParse(text[(list.Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                    ? offset
                    : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}

/// <summary>One page of a listing, and the token of the next one (null on the last page).</summary>
internal readonly record struct Page<T>(List<T> Items, string? NextToken);

/// <summary>The one way the simulated services page their list APIs: an offset into a stable ordering, carried by a token.</summary>
internal static class Pagination
{
    /// <summary>
    /// At most <paramref name="size"/> of <paramref name="items"/>, from where <paramref name="token"/> says (the start
    /// without one). A token that is not one of <paramref name="tokens"/>' fails with <paramref name="invalidToken"/>, as
    /// does one past the end when <paramref name="pastEndIsInvalid"/> (EKS checks that; the others answer an empty page).
    /// </summary>
    public static Page<T> Of<T>(IReadOnlyList<T> items, string? token, int size, PageTokens tokens, Func<string, Exception> invalidToken, bool pastEndIsInvalid = false)
    {
        var start = token is null ? 0 : tokens.Read(token) ?? throw invalidToken(token);
        if (pastEndIsInvalid && start > items.Count)
        {
            throw invalidToken(token!);
        }

        var page = items.Skip(start).Take(size).ToList();
        return new Page<T>(page, start + page.Count < items.Count ? tokens.Write(start + page.Count) : null);
    }
}
