namespace BlueGreen.Functions.Traffic;

/// <summary>
/// A Route 53 record name compared the way Route 53 lists it: lower case, fully qualified, the wildcard label as
/// <c>\052</c> (ListResourceRecordSets escapes <c>*</c>, so <c>*.example.com</c> comes back as <c>\052.example.com.</c>).
/// The one place names are normalised: planning, the weight change, preflight and the decommission all compare with it.
/// </summary>
public static class Route53RecordName
{
    /// <summary>Lower case, with the trailing dot; <c>*</c> kept as typed (the form the plan stores and StartRecordName takes).</summary>
    public static string Qualified(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant().TrimEnd('.') + ".";
    }

    /// <summary>As ListResourceRecordSets returns it: <see cref="Qualified"/>, with <c>*</c> escaped as <c>\052</c>.</summary>
    public static string Listed(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Qualified(name.Replace("\\052", "*", StringComparison.Ordinal)).Replace("*", "\\052", StringComparison.Ordinal);
    }

    /// <summary>True when the two spellings name the same record.</summary>
    public static bool Same(string a, string b) => Listed(a) == Listed(b);
}
