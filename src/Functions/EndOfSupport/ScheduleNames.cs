using System.Security.Cryptography;
using System.Text;

namespace BlueGreen.Functions.EndOfSupport;

/// <summary>
/// The one-time schedule's name: "eos.&lt;cluster&gt;.&lt;target&gt;" ("eos.shop-blue.1.35"). EventBridge Scheduler names,
/// and the NamePrefix that ListSchedules filters by, are 1 to 64 characters of [0-9a-zA-Z-_.] (botocore
/// botocore/data/scheduler/2021-06-30/service-2.json, shapes Name and NamePrefix: min 1, max 64, pattern
/// ^[0-9a-zA-Z-_.]+$; a longer NamePrefix is refused with ValidationException). EKS cluster names (up to 100
/// characters) never contain '.', so "eos.&lt;cluster&gt;." is a prefix no other cluster's schedules share.
/// </summary>
/// <remarks>
/// A cluster name too long for "eos.&lt;cluster&gt;.1.NNN" to fit (over 54 characters) is replaced by the MD5 of the name
/// in lower-case hex, after "eos._": "eos._3f0c...e1.1.35". The name is a function of the cluster's name alone, so every
/// scan finds (ListSchedules NamePrefix) and keeps or moves the same schedule instead of creating another one. The
/// eos-scan-cluster state machine computes the same prefix with the States.Hash intrinsic (Step Functions Developer
/// Guide, "Intrinsic functions": MD5, SHA-1, SHA-256, SHA-384 or SHA-512 of at most 10,000 characters, answered in
/// lower-case hex); no cluster name starts with '_', so a hashed prefix is never a readable one.
/// </remarks>
public static class ScheduleNames
{
    public const int MaxLength = 64;
    public const string Prefix = "eos.";

    /// <summary>"eos." + cluster + "." + the longest target ("1.NNN", 5 characters) still fits with a name this long.</summary>
    public const int LongestReadableClusterName = MaxLength - 4 - 1 - 5;

    /// <summary>The cluster's part, with the dots around it: every schedule of this cluster starts with this.</summary>
    public static string ClusterPrefix(string clusterName)
    {
        ArgumentNullException.ThrowIfNull(clusterName);
        return clusterName.Length <= LongestReadableClusterName ? Prefix + clusterName + "." : Prefix + "_" + Md5Hex(clusterName) + ".";
    }

    public static string For(string clusterName, string targetVersion) => ClusterPrefix(clusterName) + targetVersion;

    // MD5 names, it does not protect: the same function as the state machine's States.Hash(name, 'MD5').
#pragma warning disable CA5351
    private static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
