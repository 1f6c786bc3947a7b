using System.Text.Json.Serialization;

namespace BlueGreen.Functions.Chat.Http;

/// <summary>
/// The part of a Lambda function URL request the endpoint reads: payload format version 2.0, the same as API Gateway
/// HTTP APIs (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads). Header names arrive in
/// lower case; a body that is not text arrives base64-encoded with <c>isBase64Encoded</c> true.
/// </summary>
public sealed record FunctionUrlRequest
{
    [JsonPropertyName("version")] public string? Version { get; init; }

    [JsonPropertyName("headers")] public IReadOnlyDictionary<string, string>? Headers { get; init; }

    [JsonPropertyName("body")] public string? Body { get; init; }

    [JsonPropertyName("isBase64Encoded")] public bool IsBase64Encoded { get; init; }

    [JsonPropertyName("requestContext")] public FunctionUrlRequestContext? RequestContext { get; init; }
}

public sealed record FunctionUrlRequestContext
{
    [JsonPropertyName("http")] public FunctionUrlHttp? Http { get; init; }
}

public sealed record FunctionUrlHttp
{
    [JsonPropertyName("method")] public string? Method { get; init; }
}

/// <summary>The response format: status code, headers, body (same page as <see cref="FunctionUrlRequest"/>).</summary>
public sealed record FunctionUrlResponse
{
    [JsonPropertyName("statusCode")] public required int StatusCode { get; init; }

    [JsonPropertyName("headers")] public required IReadOnlyDictionary<string, string> Headers { get; init; }

    [JsonPropertyName("body")] public required string Body { get; init; }

    [JsonPropertyName("isBase64Encoded")] public bool IsBase64Encoded { get; init; }
}
