using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BlueGreen.Simulator.Aws.Services.Ssm;

/// <summary>
/// Just enough of SSM Parameter Store over HTTP for C# code that uses AWSSDK.SimpleSystemsManagement (the chat endpoint
/// reads its Slack signing secret with it): <c>GetParameter</c> in the AWS JSON 1.1 protocol (<c>X-Amz-Target:
/// AmazonSSM.GetParameter</c>), on 127.0.0.1 at a free port. Point the SDK at it with <see cref="EnvironmentVariables"/>
/// (<c>AWS_ENDPOINT_URL_SSM</c>, which AWSSDK.Core 4.x honours for a client created without a ServiceURL).
/// A SecureString comes back decrypted only with <c>WithDecryption: true</c>; otherwise its value is ciphertext, as on AWS
/// (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html). A missing name is
/// <c>ParameterNotFound</c>. Every other action is refused, so a handler that needs more fails here as it would have to be
/// granted more in IAM.
/// </summary>
public sealed class SsmParameterEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, string> _secureStrings = new(StringComparer.Ordinal);
    private readonly string _region;
    private readonly string _accountId;
    private readonly Task _serving;
    private int _getParameterCalls;

    public SsmParameterEndpoint(string region, string accountId)
    {
        _region = region;
        _accountId = accountId;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        ServiceUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        _listener.Prefixes.Add(ServiceUrl.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri ServiceUrl { get; }

    /// <summary>How many GetParameter calls were answered (the chat endpoint makes one per execution environment).</summary>
    public int GetParameterCalls => Volatile.Read(ref _getParameterCalls);

    /// <summary>For the process whose AWS SDK should read parameters here (region and dummy credentials as for DynamoDB).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AWS_ENDPOINT_URL_SSM"] = ServiceUrl.ToString(),
    };

    public void PutSecureString(string name, string value)
    {
        lock (_secureStrings)
        {
            _secureStrings[name] = value;
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            var (status, body) = Answer(context.Request);
            var bytes = Encoding.UTF8.GetBytes(body);
            response.StatusCode = status;
            response.ContentType = "application/x-amz-json-1.1";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        }
    }

    private (int Status, string Body) Answer(HttpListenerRequest request)
    {
        var target = request.Headers["X-Amz-Target"];
        if (target != "AmazonSSM.GetParameter")
        {
            return Error("UnknownOperationException", $"The simulated SSM answers AmazonSSM.GetParameter only, not {target}.");
        }

        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        using var document = JsonDocument.Parse(reader.ReadToEnd());
        var name = document.RootElement.TryGetProperty("Name", out var n) ? n.GetString() : null;
        var decrypt = document.RootElement.TryGetProperty("WithDecryption", out var d) && d.ValueKind == JsonValueKind.True;
        Interlocked.Increment(ref _getParameterCalls);
        string? value;
        lock (_secureStrings)
        {
            value = name is null ? null : _secureStrings.GetValueOrDefault(name);
        }

        if (value is null)
        {
            return Error("ParameterNotFound", $"Parameter {name} not found.");
        }

        var shown = decrypt ? value : Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("Parameter");
            json.WriteString("ARN", $"arn:aws:ssm:{_region}:{_accountId}:parameter{(name!.StartsWith('/') ? name : "/" + name)}");
            json.WriteString("DataType", "text");
            json.WriteNumber("LastModifiedDate", 1_764_892_800);
            json.WriteString("Name", name);
            json.WriteString("Type", "SecureString");
            json.WriteString("Value", shown);
            json.WriteNumber("Version", 1);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return (200, Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static (int, string) Error(string type, string message) =>
        (400, JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = type, ["message"] = message }, SsmJson.Default.DictionaryStringString));

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends when the listener closes; an error on the way out changes nothing.
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SsmJson : System.Text.Json.Serialization.JsonSerializerContext;
