using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace BlueGreen.Functions.Common;

/// <summary>
/// What the deployment lets the workflow reach, as its settings say (the state machine passes them in through its
/// DefinitionSubstitutions): the tags the IAM conditions require, the role patterns the workflow may pass, and the
/// execution's own ARN (its account and Region). Preflight compares what the input names with these, and BuildGreenSpec
/// the roles Green would be given, so a run the deployed role would refuse halfway fails before anything is created,
/// naming the setting to change.
/// </summary>
public sealed partial record DeploymentFacts
{
    [JsonPropertyName("executionArn")] public required string ExecutionArn { get; init; }
    [JsonPropertyName("trafficTag")] public required TagFact TrafficTag { get; init; }
    [JsonPropertyName("hookTag")] public required TagFact HookTag { get; init; }
    /// <summary>bluegreen:clusterRoles, comma-separated: role ARNs or name patterns.</summary>
    [JsonPropertyName("clusterRoles")] public string ClusterRoles { get; init; } = "";
    /// <summary>bluegreen:nodeRoles, comma-separated.</summary>
    [JsonPropertyName("nodeRoles")] public string NodeRoles { get; init; } = "";
    /// <summary>bluegreen:podIdentityRoles, comma-separated (may be empty).</summary>
    [JsonPropertyName("podIdentityRoles")] public string PodIdentityRoles { get; init; } = "";

    /// <summary>The execution's partition, Region and account: <c>arn:aws:states:REGION:ACCOUNT:execution:...</c>.</summary>
    public (string Partition, string Region, string Account)? Home =>
        ExecutionArnShape().Match(ExecutionArn) is { Success: true } m ? (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value) : null;

    /// <summary>
    /// Whether IAM would let the workflow pass <paramref name="roleArn"/> under one of the configured references (ARNs,
    /// or role-name patterns in the execution's account): <c>*</c> and <c>?</c> are wildcards, case-sensitive, as in the
    /// role policy's Resource.
    /// </summary>
    public bool MayPass(string patterns, string roleArn)
    {
        var (partition, _, account) = Home ?? ("aws", "", "");
        foreach (var reference in patterns.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var arnPattern = reference.StartsWith("arn:", StringComparison.Ordinal) ? reference : $"arn:{partition}:iam::{account}:role/{reference}";
            if (Regex.IsMatch(roleArn, "^" + Regex.Escape(arnPattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):")]
    private static partial Regex ExecutionArnShape();
}

public sealed record TagFact
{
    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("value")] public required string Value { get; init; }

    public override string ToString() => $"{Key}={Value}";
}
