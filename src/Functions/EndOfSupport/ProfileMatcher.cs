using System.Text;
using System.Text.RegularExpressions;

namespace BlueGreen.Functions.EndOfSupport;

/// <summary>Which profile applies to a cluster: by name pattern and tags; two matching profiles is a conflict for a human.</summary>
public static class ProfileMatcher
{
    public static IReadOnlyList<UpgradeProfile> Matching(IEnumerable<UpgradeProfile> profiles, string clusterName, string? clusterVersion, IReadOnlyDictionary<string, string>? tags)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        return profiles.Where(p => Matches(p.Match, clusterName, clusterVersion, tags ?? new Dictionary<string, string>())).ToList();
    }

    public static bool Matches(ProfileMatch match, string clusterName, string? clusterVersion, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(tags);
        var byName = match.ClusterNames.Count == 0 || match.ClusterNames.Any(p => Glob(p).IsMatch(clusterName));
        var byTags = match.Tags.All(t => tags.TryGetValue(t.Key, out var v) && v == t.Value);
        var byVersion = match.Versions.Count == 0 || (clusterVersion is not null && match.Versions.Contains(clusterVersion));
        return byName && byTags && byVersion;
    }

    /// <summary>'*' is any run of characters, '?' one character; everything else literal; the whole name must match.</summary>
    private static Regex Glob(string pattern)
    {
        var regex = new StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) });
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
