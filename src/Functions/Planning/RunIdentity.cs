using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace BlueGreen.Functions.Planning;

/// <summary>
/// Names derived from the execution so that a retried task, or the same execution redriven, always
/// produces the same run id and the same idempotency tokens.
/// </summary>
public static partial class RunIdentity
{
    /// <summary>EKS ClientRequestToken: 1 to 64 characters.</summary>
    public const int MaxTokenLength = 64;

    [GeneratedRegex("[^A-Za-z0-9-]+")]
    private static partial Regex Unsafe();

    /// <summary>
    /// "&lt;execution name, sanitised, at most 55 chars&gt;-&lt;8 hex of SHA-256(execution id)&gt;": readable in tags and
    /// run records, and unique even when two state machines use the same execution name.
    /// </summary>
    public static string RunId(string executionId, string executionName)
    {
        var readable = Unsafe().Replace(executionName, "-").Trim('-');
        if (readable.Length > 55)
        {
            readable = readable[..55].TrimEnd('-');
        }
        var hash = Hex(executionId)[..8];
        return readable.Length == 0 ? "run-" + hash : readable + "-" + hash;
    }

    /// <summary>The CreateCluster token: 32 hex characters (SHA-256 of the execution id).</summary>
    public static string ClusterToken(string executionId) => Hex(executionId)[..32];

    /// <summary>A token for one other create call of the run ("nodegroup/ng-1", "addon/vpc-cni"...): 32 hex characters.</summary>
    public static string TokenFor(string runToken, string purpose) => Hex(runToken + "/" + purpose)[..32];

    private static string Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
