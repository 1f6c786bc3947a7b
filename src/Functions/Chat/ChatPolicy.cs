using System.Text.Json.Serialization;

namespace BlueGreen.Functions.Chat;

/// <summary>
/// Who may do what from chat (deploy setting <c>chat.policy</c>, given to the function as <c>BLUEGREEN_CHAT_POLICY</c>;
/// it is not a secret). Only the listed workspaces and channels are heard. A grant gives a role for clusters whose
/// names match one of its patterns (<c>*</c> matches any run of characters) to Slack users (<c>U…</c>/<c>W…</c>) or
/// user groups (<c>S…</c>). Slack's requests name the user, not their groups, so <see cref="UserGroups"/> lists each
/// group's members as deployed: a change in Slack needs a redeploy (the endpoint calls no Slack API and holds no bot token).
/// </summary>
public sealed record ChatPolicy
{
    [JsonPropertyName("teamIds")] public IReadOnlyList<string> TeamIds { get; init; } = [];

    [JsonPropertyName("channelIds")] public IReadOnlyList<string> ChannelIds { get; init; } = [];

    [JsonPropertyName("userGroups")] public IReadOnlyDictionary<string, IReadOnlyList<string>> UserGroups { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    [JsonPropertyName("grants")] public IReadOnlyList<ChatGrant> Grants { get; init; } = [];

    /// <summary>
    /// The policy with absent lists as empty ones: the source-generated reader sets every init-only member, so a member
    /// missing from the JSON arrives as null despite its initializer.
    /// </summary>
    public ChatPolicy Normalized() => this with
    {
        TeamIds = TeamIds ?? [],
        ChannelIds = ChannelIds ?? [],
        UserGroups = UserGroups ?? new Dictionary<string, IReadOnlyList<string>>(),
        Grants = [.. (Grants ?? []).Select(g => g with { Principals = g.Principals ?? [], Role = g.Role ?? string.Empty, Clusters = g.Clusters ?? [] })],
    };

    /// <summary>Every problem with the policy (an empty list when it can be used).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (TeamIds.Count == 0)
        {
            problems.Add("teamIds: at least one Slack workspace (team) id is needed");
        }

        if (ChannelIds.Count == 0)
        {
            problems.Add("channelIds: at least one channel id is needed");
        }

        for (var i = 0; i < Grants.Count; i++)
        {
            var grant = Grants[i];
            if (grant.Principals.Count == 0 || grant.Clusters.Count == 0)
            {
                problems.Add($"grants[{i}]: needs at least one principal and one cluster pattern");
            }

            if (!Enum.TryParse<ChatRole>(grant.Role, ignoreCase: true, out _) || int.TryParse(grant.Role, out _))
            {
                problems.Add($"grants[{i}].role: must be viewer, operator or approver");
            }

            problems.AddRange(grant.Principals.Where(p => p.StartsWith('S') && !UserGroups.ContainsKey(p)).Select(p => $"grants[{i}]: user group {p} is not listed in userGroups"));
        }

        return problems;
    }

    /// <summary>Whether <paramref name="user"/> holds <paramref name="role"/> for <paramref name="cluster"/> (null: for some cluster).</summary>
    public bool Allows(string user, ChatRole role, string? cluster) =>
        Grants.Any(g => Holds(g, user) && Confers(g, role) && (cluster is null || g.Clusters.Any(p => Matches(p, cluster))));

    private bool Holds(ChatGrant grant, string user) =>
        grant.Principals.Any(p => p == user || (UserGroups.TryGetValue(p, out var members) && members.Contains(user)));

    private static bool Confers(ChatGrant grant, ChatRole role) =>
        Enum.TryParse<ChatRole>(grant.Role, ignoreCase: true, out var held) && (held == role || role == ChatRole.Viewer);

    /// <summary>Glob match with <c>*</c> only, ordinal (EKS names are case-sensitive).</summary>
    internal static bool Matches(string pattern, string name)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return pattern == name;
        }

        if (!name.StartsWith(parts[0], StringComparison.Ordinal) || !name.EndsWith(parts[^1], StringComparison.Ordinal) || name.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }

        var at = parts[0].Length;
        var end = name.Length - parts[^1].Length;
        foreach (var middle in parts[1..^1])
        {
            var found = name.IndexOf(middle, at, end - at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            at = found + middle.Length;
        }

        return true;
    }
}

/// <summary>One grant: a role for some clusters to some people.</summary>
public sealed record ChatGrant
{
    [JsonPropertyName("principals")] public IReadOnlyList<string> Principals { get; init; } = [];

    [JsonPropertyName("role")] public string Role { get; init; } = string.Empty;

    [JsonPropertyName("clusters")] public IReadOnlyList<string> Clusters { get; init; } = [];
}
