using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws.Iam;
using BlueGreen.Simulator.Aws.Services;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Integrations;

/// <summary>
/// An EventBridge connection: what an HTTP Task authenticates with (its credentials live in a Secrets Manager secret). For
/// API key auth, the header name and value EventBridge adds to every request
/// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-target-connection-auth.html).
/// </summary>
public sealed record HttpConnection(string Name, string Arn, string SecretArn, string AuthorizationType, string? ApiKeyName = null, string? ApiKeyValue = null);

/// <summary>One request an HTTP Task sent, as the endpoint received it (the simulated account reaches no network).</summary>
public sealed record HttpPost(DateTimeOffset Time, string StateName, string ExecutionArn, string Method, string Url, JValue? Body);

/// <summary>
/// The HTTP Task, <c>arn:aws:states:::http:invoke</c> (https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html):
/// <c>ApiEndpoint</c>, <c>Method</c>, <c>Authentication.ConnectionArn</c> (an EventBridge connection is required) and optional
/// <c>Headers</c>, <c>QueryParameters</c>, <c>RequestBody</c>. The execution role must be allowed
/// <c>states:InvokeHTTPEndpoint</c> on the state machine (condition keys <c>states:HTTPEndpoint</c>, <c>states:HTTPMethod</c>),
/// <c>events:RetrieveConnectionCredentials</c> on the connection and <c>secretsmanager:GetSecretValue</c> /
/// <c>DescribeSecret</c> on the connection's secret. Nothing leaves the machine: each request is recorded in
/// <see cref="Posts"/> and answered <c>200 OK</c> with body <c>ok</c>, as Slack answers a response_url; the output has the
/// HTTP Task's members <c>StatusCode</c>, <c>StatusText</c>, <c>Headers</c>, <c>ResponseBody</c>. Requests to Slack's Web API
/// (<see cref="SlackWebApi.BaseUrl"/>) go to the simulated <see cref="Slack"/>, with the connection's API key header merged
/// into the request's headers as EventBridge merges it; its JSON answer is the <c>ResponseBody</c> as JSON, and a status
/// outside 2xx fails the task with <c>States.Http.StatusCode.&lt;status&gt;</c>.
/// </summary>
public sealed class HttpIntegration(SimulatedAccount account)
{
    public const string Resource = "arn:aws:states:::http:invoke";

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];

    private readonly Dictionary<string, HttpConnection> _connections = new(StringComparer.Ordinal);
    private readonly List<HttpPost> _posts = [];

    public IReadOnlyList<HttpPost> Posts => _posts;

    /// <summary>The simulated Slack Web API (chat.postMessage) that HTTP Tasks to https://slack.com/api/ reach.</summary>
    public SlackWebApi Slack { get; } = new();

    public IReadOnlyCollection<HttpConnection> Connections => _connections.Values;

    public void Register(TaskRegistry tasks) => tasks.Register(Resource, new DelegateTaskHandler(InvokeAsync));

    /// <summary>Creates a connection (CreateConnection): its ARN and the secret EventBridge keeps its credentials in.</summary>
    public HttpConnection AddConnection(string name, string authorizationType, string? apiKeyName = null, string? apiKeyValue = null)
    {
        var id = Ids.StableHex($"{account.AccountId}/connection/{name}", 32);
        var uuid = $"{id[..8]}-{id[8..12]}-{id[12..16]}-{id[16..20]}-{id[20..32]}";
        var connection = new HttpConnection(name, account.Arn("events", $"connection/{name}/{uuid}"),
            account.Arn("secretsmanager", $"secret:events!connection/{name}/{uuid}-{id[..6]}"), authorizationType, apiKeyName, apiKeyValue);
        _connections[connection.Arn] = connection;
        return connection;
    }

    private Task<JValue> InvokeAsync(TaskRequest request)
    {
        var p = request.ObjectParameters();
        var url = p.GetString("ApiEndpoint");
        var method = p.GetString("Method");
        var connectionArn = p.GetObject("Authentication")?.GetString("ConnectionArn");
        var problems = new List<string>();
        if (url is null || !url.StartsWith("https://", StringComparison.Ordinal))
        {
            problems.Add($"ApiEndpoint must be an https URL, not '{url}'");
        }

        if (method is null || !Methods.Contains(method))
        {
            problems.Add($"Method must be one of {string.Join(", ", Methods)}, not '{method}'");
        }

        if (connectionArn is null)
        {
            problems.Add("Authentication.ConnectionArn is required");
        }

        if (problems.Count > 0)
        {
            throw new StatesException(StatesErrors.Runtime, $"The HTTP Task '{request.StateName}' has invalid parameters: {string.Join("; ", problems)}.");
        }

        var connection = _connections.GetValueOrDefault(connectionArn!)
            ?? throw new StatesException("States.Http.Socket", $"Connection {connectionArn} does not exist.");
        var context = RequestContext.Empty.With("states:HTTPEndpoint", url!).With("states:HTTPMethod", method!);
        var requests = new[]
        {
            new AuthorizationRequest("states:InvokeHTTPEndpoint", request.Execution.StateMachineArn, context),
            new AuthorizationRequest("events:RetrieveConnectionCredentials", connection.Arn, RequestContext.Empty),
            new AuthorizationRequest("secretsmanager:GetSecretValue", connection.SecretArn, RequestContext.Empty),
            new AuthorizationRequest("secretsmanager:DescribeSecret", connection.SecretArn, RequestContext.Empty),
        };
        if (account.Refusal(request.Execution.RoleArn, requests, request.StateName) is { } refused)
        {
            throw new StatesException(StatesErrors.TaskFailed, refused.Message);
        }

        _posts.Add(new HttpPost(account.Scheduler.Now, request.StateName, request.Execution.Arn, method!, url!, p["RequestBody"]));
        if (url!.StartsWith(SlackWebApi.BaseUrl, StringComparison.Ordinal))
        {
            var headers = (p.GetObject("Headers") ?? JObject.Empty).ToDictionary(h => h.Key, h => h.Value is JString v ? v.Value : h.Value.ToJson(), StringComparer.Ordinal);
            if (connection.ApiKeyName is { } key && connection.ApiKeyValue is { } value)
            {
                headers[key] = value;
            }

            var answer = Slack.Handle(account.Scheduler.Now, url, headers, p["RequestBody"]);
            if (answer.Status is < 200 or > 299)
            {
                throw new StatesException($"States.Http.StatusCode.{answer.Status}", answer.Body.ToJson());
            }

            JValue slack = JObject.Of(
                ("Headers", JObject.Of(("content-type", JArray.Of("application/json; charset=utf-8")))),
                ("ResponseBody", Slack.AnswersAsText ? answer.Body.ToJson() : answer.Body),
                ("StatusCode", answer.Status),
                ("StatusText", "OK"));
            return Task.FromResult(slack);
        }

        JValue result = JObject.Of(
            ("Headers", JObject.Of(("content-type", JArray.Of("text/plain")))),
            ("ResponseBody", "ok"),
            ("StatusCode", 200),
            ("StatusText", "OK"));
        return Task.FromResult(result);
    }
}
