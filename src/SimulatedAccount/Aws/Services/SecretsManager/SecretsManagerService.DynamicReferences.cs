using System.Text.Json;
using System.Text.RegularExpressions;

namespace BlueGreen.Simulator.Aws.Services.SecretsManager;

/// <summary>
/// CloudFormation's <c>secretsmanager</c> dynamic references, resolved against this account's secrets as CloudFormation
/// resolves them when it deploys a stack: <c>{{resolve:secretsmanager:secret-id:SecretString[:json-key]}}</c>, the current
/// version (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html). A missing
/// secret, or a json-key the secret does not have, fails the deployment.
/// </summary>
public sealed partial class SecretsManagerService
{
    /// <summary>The text with every secretsmanager dynamic reference replaced by the value it names.</summary>
    /// <exception cref="InvalidOperationException">A reference names a secret, or a key, that does not exist.</exception>
    public string ResolveDynamicReferences(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return DynamicReference().Replace(text, m =>
        {
            var id = m.Groups["id"].Value;
            var secret = _secrets.FirstOrDefault(s => s.DeletedDate is null && (s.Name == id || s.Arn == id))
                ?? throw new InvalidOperationException($"Could not resolve {{{{resolve:secretsmanager:{id}:...}}}}: Secrets Manager can't find the specified secret.");
            var current = secret.Versions.FirstOrDefault(v => v.Stages.Contains("AWSCURRENT"))
                ?? throw new InvalidOperationException($"Could not resolve the secret {id}: it has no AWSCURRENT version.");
            if (m.Groups["key"].Success)
            {
                using var json = JsonDocument.Parse(current.Value.Text);
                return json.RootElement.TryGetProperty(m.Groups["key"].Value, out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()!
                    : throw new InvalidOperationException($"Could not resolve the secret {id}: it has no key {m.Groups["key"].Value}.");
            }

            return current.Value.Text;
        });
    }

    [GeneratedRegex(@"\{\{resolve:secretsmanager:(?<id>arn:[^:}]+(?::[^:}]+){5}|[^:}]+):SecretString(?::(?<key>[^:}]+))?\}\}")]
    private static partial Regex DynamicReference();
}
