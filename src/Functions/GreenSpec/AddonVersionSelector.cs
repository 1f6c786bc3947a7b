using System.Globalization;
using BlueGreen.Functions.Aws;

namespace BlueGreen.Functions.GreenSpec;

/// <summary>A chosen add-on version and why it was chosen.</summary>
public sealed record AddonVersionChoice(string Version, bool IsDefault);

/// <summary>
/// Picks an add-on version for the target Kubernetes version from DescribeAddonVersions: the version EKS
/// marks as the default for that Kubernetes version; failing that, the newest compatible one.
/// </summary>
public static class AddonVersionSelector
{
    public static AddonVersionChoice? Select(string addonName, string targetVersion, IReadOnlyList<AddonInfo> catalog)
    {
        var info = catalog.FirstOrDefault(a => a.AddonName == addonName);
        var compatible = (info?.AddonVersions ?? [])
            .Where(v => v.AddonVersion is not null)
            .Select(v => (Version: v.AddonVersion!, Compat: v.Compatibilities?.FirstOrDefault(c => c.ClusterVersion == targetVersion)))
            .Where(v => v.Compat is not null)
            .ToList();
        if (compatible.Count == 0)
        {
            return null;
        }
        var defaults = compatible.Where(v => v.Compat!.DefaultVersion == true).Select(v => v.Version).ToList();
        return defaults.Count > 0
            ? new AddonVersionChoice(defaults.OrderByDescending(VersionKey, VersionKeyComparer.Instance).First(), IsDefault: true)
            : new AddonVersionChoice(compatible.Select(v => v.Version).OrderByDescending(VersionKey, VersionKeyComparer.Instance).First(), IsDefault: false);
    }

    /// <summary>"v1.19.2-eksbuild.3" -> [1, 19, 2, 3]: every run of digits, compared numerically.</summary>
    internal static IReadOnlyList<long> VersionKey(string version)
    {
        var numbers = new List<long>();
        var i = 0;
        while (i < version.Length)
        {
            if (!char.IsAsciiDigit(version[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < version.Length && char.IsAsciiDigit(version[i]))
            {
                i++;
            }
            numbers.Add(long.TryParse(version.AsSpan(start, Math.Min(i - start, 18)), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0);
        }
        return numbers;
    }

    private sealed class VersionKeyComparer : IComparer<IReadOnlyList<long>>
    {
        public static readonly VersionKeyComparer Instance = new();

        public int Compare(IReadOnlyList<long>? x, IReadOnlyList<long>? y)
        {
            x ??= [];
            y ??= [];
            for (var i = 0; i < Math.Max(x.Count, y.Count); i++)
            {
                var a = i < x.Count ? x[i] : -1;
                var b = i < y.Count ? y[i] : -1;
                if (a != b)
                {
                    return a.CompareTo(b);
                }
            }
            return 0;
        }
    }
}
