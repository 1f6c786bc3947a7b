using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace BlueGreen.Simulator.Aws.Services.DynamoDb;

/// <summary>One raw DynamoDB answer: HTTP status, JSON body and the headers Step Functions passes on.</summary>
public sealed record DynamoDbWireResponse(int StatusCode, string Body, string? Crc32)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}

/// <summary>
/// The DynamoDB JSON 1.0 protocol as the AWS SDKs speak it: <c>POST /</c> with
/// <c>X-Amz-Target: DynamoDB_20120810.Action</c>, <c>Content-Type: application/x-amz-json-1.0</c> and a
/// SigV4 signature made with the simulator's dummy credentials (dynalite checks the headers' presence
/// and format, not the signature, but a real signature costs microseconds and keeps requests honest).
/// </summary>
public static class DynamoDbWire
{
    public const string TargetPrefix = "DynamoDB_20120810.";
    public const string ContentType = "application/x-amz-json-1.0";

    /// <summary>Dummy credentials for the local engine (never real ones: nothing here reaches AWS).</summary>
    public const string AccessKeyId = "AKIALOCALSIMULATOR00";

    public const string SecretAccessKey = "local-simulator-secret-not-a-real-key";

    /// <summary>Shared by every account: connections to each dynalite are pooled and kept alive.</summary>
    internal static HttpClient Http { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>Sends one action with its JSON body; never throws for DynamoDB errors (read the status).</summary>
    public static async Task<DynamoDbWireResponse> SendAsync(Uri endpoint, string region, string action, string json, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        var target = TargetPrefix + action;
        var now = DateTime.UtcNow;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("Authorization", Authorization(endpoint, region, target, amzDate, body));

        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var crc = response.Headers.TryGetValues("x-amz-crc32", out var values) ? values.FirstOrDefault() : null;
        return new DynamoDbWireResponse((int)response.StatusCode, text, crc);
    }

    /// <summary>The SigV4 <c>Authorization</c> header for a DynamoDB JSON request.</summary>
    internal static string Authorization(Uri endpoint, string region, string target, string amzDate, byte[] body)
    {
        const string SignedHeaders = "content-type;host;x-amz-date;x-amz-target";
        var date = amzDate[..8];
        var host = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";
        var canonical = $"POST\n/\n\ncontent-type:{ContentType}\nhost:{host}\nx-amz-date:{amzDate}\nx-amz-target:{target}\n\n{SignedHeaders}\n{Hex(SHA256.HashData(body))}";
        var scope = $"{date}/{region}/dynamodb/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + SecretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, "dynamodb");
        key = Hmac(key, "aws4_request");
        return $"AWS4-HMAC-SHA256 Credential={AccessKeyId}/{scope}, SignedHeaders={SignedHeaders}, Signature={Hex(Hmac(key, toSign))}";
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
