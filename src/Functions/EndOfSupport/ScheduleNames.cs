using System.Security.Cryptography;
using System.Text;

namespace BlueGreen.Functions.EndOfSupport;

/// <summary>
/// The one-time schedule's name: "eos.&lt;cluster&gt;.&lt;target&gt;" ("eos.shop-blue.1.35"). EventBridge Scheduler names
/// are 1 to 64 characters of [0-9a-zA-Z-_.] (botocore scheduler/2021-06-30/service-2.json, shape Name, pattern
/// ^[0-9a-zA-Z-_.]+$, max 64). EKS cluster names never contain '.', so "eos.&lt;cluster&gt;." is a prefix no other
/// cluster's schedules share. A cluster name too long to fit is cut and marked with 8 hex of its SHA-256.
/// </summary>
public static class ScheduleNames
{
    public const int MaxLength = 64;
    public const string Prefix = "eos.";

    /// <summary>The cluster's part, with the dots around it: every schedule of this cluster starts with this.</summary>
    public static string ClusterPrefix(string clusterName)
    {
        ArgumentNullException.ThrowIfNull(clusterName);
        // Room for "eos." + cluster + "." + the longest target ("1.NN" is 4, "1.NNN" would be 5).
        const int room = MaxLength - 4 - 1 - 5;
        var part = clusterName.Length <= room ? clusterName : clusterName[..(room - 9)] + "_" + Hash8(clusterName);
        return Prefix + part + ".";
    }

    public static string For(string clusterName, string targetVersion) => ClusterPrefix(clusterName) + targetVersion;

    private static string Hash8(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
}
