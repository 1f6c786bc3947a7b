using System.Text.RegularExpressions;

namespace BlueGreen.Functions.Planning;

/// <summary>EKS cluster name rules and the deterministic Green name.</summary>
public static partial class ClusterNames
{
    /// <summary>EKS: alphanumerics, hyphens and underscores, starting with an alphanumeric, at most 100 characters.</summary>
    public const int MaxLength = 100;

    [GeneratedRegex(@"^[0-9A-Za-z][A-Za-z0-9\-_]*$")]
    private static partial Regex Allowed();

    // A version suffix this rule itself appends ("-1-34"), so that shop-1-33 becomes shop-1-34, not shop-1-33-1-34.
    [GeneratedRegex(@"-1-\d{2}$")]
    private static partial Regex VersionSuffix();

    /// <summary>The longest cluster label in an SNS subject: the longest fixed subject text is 53 characters (restore-blue: "Upgrade of X ended TIMED_OUT after committing to Green").</summary>
    public const int MaxLabelLength = 40;

    /// <summary>
    /// The name as an SNS subject shows it: unchanged up to <see cref="MaxLabelLength"/> characters, else cut
    /// and marked with "..." (cluster names are ASCII, as subjects must be).
    /// </summary>
    public static string Label(string name) => name.Length <= MaxLabelLength ? name : name[..(MaxLabelLength - 3)] + "...";

    /// <summary>Null when valid; otherwise why not.</summary>
    public static string? Check(string name)
    {
        if (name.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters (EKS cluster name rules), not {name.Length}";
        }
        return Allowed().IsMatch(name)
            ? null
            : "must start with a letter or digit and contain only letters, digits, hyphens and underscores (EKS cluster name rules)";
    }

    /// <summary>
    /// The Green name when none is given:
    /// <list type="number">
    /// <item>a name ending in "-blue" becomes "...-green", and "...-green" becomes "...-blue" (clusters alternate colours upgrade after upgrade);</item>
    /// <item>otherwise a trailing "-1-NN" version suffix is replaced by the target's, or one is appended: shop -> shop-1-34, shop-1-33 -> shop-1-34;</item>
    /// <item>the stem is cut (and trailing '-'/'_' trimmed) so the result fits EKS's 100 characters.</item>
    /// </list>
    /// The result can equal Blue's name only when Blue already carries the target's suffix; the caller reports that.
    /// </summary>
    public static string DeriveGreen(string blueName, string targetVersion)
    {
        if (blueName.EndsWith("-blue", StringComparison.Ordinal))
        {
            return Fit(blueName[..^"-blue".Length], "-green");
        }
        if (blueName.EndsWith("-green", StringComparison.Ordinal))
        {
            return Fit(blueName[..^"-green".Length], "-blue");
        }
        var stem = VersionSuffix().Replace(blueName, string.Empty);
        return Fit(stem, "-" + targetVersion.Replace('.', '-'));
    }

    private static string Fit(string stem, string suffix)
    {
        if (stem.Length + suffix.Length > MaxLength)
        {
            stem = stem[..(MaxLength - suffix.Length)].TrimEnd('-', '_');
        }
        return stem + suffix;
    }
}
