using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.SimpleSystemsManagement;
using BlueGreen.Functions.Chat;
using BlueGreen.Functions.Chat.Http;
using BlueGreen.Functions.Serialization;

namespace BlueGreen.Functions.Chat.Aws;

/// <summary>
/// The plumbing of the Slack endpoint's handler (<c>Handlers.ChatCommandHandler</c>) behind a Lambda function URL (auth
/// type NONE: Slack signs its requests, and the endpoint checks the signature before anything else): function URL
/// payload 2.0 in, its response format out; the work is <see cref="ChatEndpoint"/>. Configuration comes from the
/// environment, the signing secret from SSM (<see cref="SsmSigningSecret"/>), both once per execution environment.
/// </summary>
public static class ChatEndpointHost
{
    /// <summary>The chat table (replay guard, command items).</summary>
    public const string ChatTableVariable = "BLUEGREEN_CHAT_TABLE";

    /// <summary>The run-record table (read only: status, history, and the runs that approve/reject/abort name).</summary>
    public const string RunsTableVariable = "BLUEGREEN_RUNS_TABLE";

    /// <summary>The name of the SSM SecureString parameter holding the signing secret (the name, never the secret).</summary>
    public const string SigningSecretParameterVariable = "BLUEGREEN_CHAT_SIGNING_SECRET_PARAMETER";

    /// <summary>The <see cref="ChatPolicy"/> as JSON.</summary>
    public const string PolicyVariable = "BLUEGREEN_CHAT_POLICY";

    // One endpoint per execution environment: the SDK clients, the policy and the secret are set up by the first request.
    // Keyed by the configuration, which never changes inside a Lambda execution environment; a simulator process that
    // hosts the function for several simulated accounts one after the other gets one endpoint per account.
    private static readonly Dictionary<string, ChatEndpoint> Endpoints = new(StringComparer.Ordinal);
    private static readonly Lock EndpointsGate = new();

    private static readonly string[] ConfigurationVariables =
    [
        ChatTableVariable, RunsTableVariable, SigningSecretParameterVariable, PolicyVariable,
        "AWS_REGION", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SSM",
    ];

    /// <summary>The endpoint of this execution environment, built from the environment by the first request.</summary>
    public static ChatEndpoint Shared
    {
        get
        {
            var key = string.Join('\n', ConfigurationVariables.Select(v => Environment.GetEnvironmentVariable(v) ?? string.Empty));
            lock (EndpointsGate)
            {
                if (!Endpoints.TryGetValue(key, out var endpoint))
                {
                    endpoint = CreateFromEnvironment();
                    Endpoints[key] = endpoint;
                }

                return endpoint;
            }
        }
    }

    /// <summary>One function URL invocation. Errors: InvalidInput (an event that is not a function URL request).</summary>
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The response stream is handed to the runtime.")]
    public static Stream Handle(ChatEndpoint endpoint, Stream input)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var request = HandlerJson.Read(input, FunctionsJsonContext.Default.FunctionUrlRequest);
        // The managed runtime calls the handler on a thread of its own with no synchronization context: waiting cannot deadlock.
        var response = endpoint.HandleAsync(ToChatRequest(request)).GetAwaiter().GetResult();
        return HandlerJson.Write(new FunctionUrlResponse
        {
            StatusCode = response.StatusCode,
            Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["content-type"] = "application/json" },
            Body = response.Body,
        }, FunctionsJsonContext.Default.FunctionUrlResponse);
    }

    internal static ChatHttpRequest ToChatRequest(FunctionUrlRequest request)
    {
        if (request.Version != "2.0" || request.RequestContext?.Http?.Method is not { } method)
        {
            throw new InvalidInput("$: the event is not a Lambda function URL request (payload format version 2.0 with requestContext.http.method)");
        }

        byte[] body;
        try
        {
            body = request.Body is null ? [] : request.IsBase64Encoded ? Convert.FromBase64String(request.Body) : Encoding.UTF8.GetBytes(request.Body);
        }
        catch (FormatException)
        {
            throw new InvalidInput("$.body: isBase64Encoded is true but the body is not base64");
        }

        // Function URLs send header names in lower case already; lower them again so a hand-made event behaves the same.
        var headers = (request.Headers ?? new Dictionary<string, string>())
            .GroupBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        return new ChatHttpRequest(method, headers, body);
    }

    /// <summary>Reads the policy text (<see cref="PolicyVariable"/>); every problem is named.</summary>
    public static ChatPolicy ParsePolicy(string json)
    {
        ChatPolicy policy;
        try
        {
            policy = JsonSerializer.Deserialize(json, FunctionsJsonContext.Default.ChatPolicy) ?? throw new InvalidOperationException($"{PolicyVariable} is null.");
            policy = policy.Normalized();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{PolicyVariable} is not a chat policy: {e.Message}", e);
        }

        var problems = policy.Problems();
        return problems.Count == 0 ? policy : throw new InvalidOperationException($"{PolicyVariable} has problems: {string.Join("; ", problems)}");
    }

    private static ChatEndpoint CreateFromEnvironment()
    {
        string Required(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The chat endpoint needs the environment variable {name} (set by the deployment).");

        var secret = new SsmSigningSecret(new AmazonSimpleSystemsManagementClient(), Required(SigningSecretParameterVariable));
        var store = new DynamoDbChatStore(new AmazonDynamoDBClient(), Required(ChatTableVariable), Required(RunsTableVariable));
        return new ChatEndpoint(ParsePolicy(Required(PolicyVariable)), store, secret.GetAsync, TimeProvider.System);
    }
}
