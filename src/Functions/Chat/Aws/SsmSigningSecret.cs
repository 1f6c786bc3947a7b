using System.Text;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace BlueGreen.Functions.Chat.Aws;

/// <summary>
/// The Slack signing secret, from an SSM Parameter Store SecureString (GetParameter with WithDecryption = true returns the
/// decrypted value; https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html). Read once per
/// process (one Lambda execution environment) and kept in memory only: never in the template, the environment or a log.
/// A failed read is not cached, so the next request tries again.
/// </summary>
public sealed class SsmSigningSecret(IAmazonSimpleSystemsManagement ssm, string parameterName)
{
    private readonly Lock _gate = new();
    private Task<byte[]>? _secret;

    public string ParameterName => parameterName;

    /// <summary>The secret; concurrent first requests share one GetParameter call.</summary>
    public Task<byte[]> GetAsync(CancellationToken cancellation)
    {
        lock (_gate)
        {
            if (_secret is null || _secret.IsFaulted || _secret.IsCanceled)
            {
                _secret = Read(cancellation);
            }

            return _secret;
        }
    }

    private async Task<byte[]> Read(CancellationToken cancellation)
    {
        var response = await ssm.GetParameterAsync(new GetParameterRequest { Name = parameterName, WithDecryption = true }, cancellation).ConfigureAwait(false);
        return Encoding.UTF8.GetBytes(response.Parameter.Value);
    }
}
