using System.Globalization;
using System.Text;
using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.DynamoDb;

/// <summary>
/// Amazon DynamoDB, for real: every request is forwarded to an in-memory <c>dynalite</c> (see
/// <see cref="DynaliteHost"/>) over the DynamoDB JSON 1.0 protocol, so key schemas, condition
/// expressions, <c>list_append</c>, queries and their errors behave as DynamoDB's. Reached through
/// <c>arn:aws:states:::aws-sdk:dynamodb:*</c> (errors <c>DynamoDb.*</c>, causes in the AWS SDK for
/// Java 2.x format) and the optimized <c>arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem</c>
/// (errors <c>DynamoDB.*</c>, causes in the 1.x format, output with <c>SdkHttpMetadata</c>).
/// <para>
/// Like the AWS SDKs Step Functions uses, only DynamoDB's modeled errors keep their names
/// (<c>ConditionalCheckFailedException</c>, <c>ResourceNotFoundException</c>...); any other error code
/// (<c>ValidationException</c>, <c>SerializationException</c>...) surfaces as <c>DynamoDb.DynamoDbException</c>
/// (AWS SDK integration) or <c>DynamoDB.AmazonDynamoDBException</c> (optimized), with the code in the cause.
/// </para>
/// <para>
/// dynalite starts lazily, on the first DynamoDB call or <see cref="GetEndpoint"/>, and the world's tables
/// are created then. dynalite has no transactions: <c>TransactWriteItems</c>/<c>TransactGetItems</c> fail
/// with DynamoDB's answer to an operation it does not know (<c>UnknownOperationException</c>). The product
/// does not need them: the lock and the run record are separate conditional writes. dynalite has no
/// <c>UpdateTimeToLive</c> either: this service keeps each table's TTL setting itself and reports it in
/// <c>DescribeTimeToLive</c>; expired items are not deleted (DynamoDB only promises to delete them
/// within days, so nothing may rely on it).
/// </para>
/// </summary>
/// <remarks>World section <c>dynamodb</c>: see <see cref="DynamoDbWorld"/> and scenarios/README.md.</remarks>
public sealed class DynamoDbService : AwsServiceBase
{
    /// <summary>The DynamoDB APIs Step Functions optimizes (connect-ddb.html): request-response only.</summary>
    public static readonly IReadOnlyList<string> OptimizedApis = ["getItem", "putItem", "updateItem", "deleteItem"];

    private static readonly string[] ForwardedActions =
    [
        "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem",
        "CreateTable", "DescribeTable", "UpdateTable", "DeleteTable", "ListTables",
    ];

    private static readonly HashSet<string> ReadOnlyActions =
        ["GetItem", "Query", "Scan", "BatchGetItem", "DescribeTable", "DescribeTimeToLive", "ListTables", "TransactGetItems"];

    /// <summary>
    /// Error codes the DynamoDB API model declares (and so the AWS SDKs have exception classes for);
    /// Step Functions reports these by name and every other code as the SDK's generic exception.
    /// </summary>
    private static readonly HashSet<string> ModeledErrors =
    [
        "BackupInUseException", "BackupNotFoundException", "ConditionalCheckFailedException", "ContinuousBackupsUnavailableException",
        "DuplicateItemException", "ExportConflictException", "ExportNotFoundException", "GlobalTableAlreadyExistsException",
        "GlobalTableNotFoundException", "IdempotentParameterMismatchException", "ImportConflictException", "ImportNotFoundException",
        "IndexNotFoundException", "InternalServerError", "InvalidExportTimeException", "InvalidRestoreTimeException",
        "ItemCollectionSizeLimitExceededException", "LimitExceededException", "PointInTimeRecoveryUnavailableException",
        "PolicyNotFoundException", "ProvisionedThroughputExceededException", "ReplicaAlreadyExistsException", "ReplicaNotFoundException",
        "RequestLimitExceeded", "ResourceInUseException", "ResourceNotFoundException", "TableAlreadyExistsException", "TableInUseException",
        "TableNotFoundException", "TransactionCanceledException", "TransactionConflictException", "TransactionInProgressException",
    ];

    private readonly DynaliteOptions _options;
    private readonly DynaliteHost? _sharedHost;
    private readonly OptimizedDynamoDb _optimized;
    private readonly Dictionary<string, string> _ttlAttributes = new(StringComparer.Ordinal);
    private readonly Lock _startLock = new();
    private IReadOnlyList<DynamoDbSeedTable> _seedTables = [];
    private SimulatedAccount? _account;
    private Random _requestIds = new(0);
    private Task<Uri>? _ready;
    private DynaliteHost? _ownedHost;
    private bool _disposed;

    /// <summary>A service that starts its own dynalite when first needed and stops it with the account.</summary>
    public DynamoDbService(DynaliteOptions? options = null)
        : this(options, null)
    {
    }

    /// <summary>
    /// A service that uses an already running dynalite (which it does not stop): tests share one per
    /// class this way. Tables live in that dynalite, so give them names unique to the test.
    /// </summary>
    public DynamoDbService(DynaliteHost sharedHost)
        : this(null, sharedHost ?? throw new ArgumentNullException(nameof(sharedHost)))
    {
    }

    private DynamoDbService(DynaliteOptions? options, DynaliteHost? sharedHost)
    {
        _options = options ?? new DynaliteOptions();
        _sharedHost = sharedHost;
        _optimized = new OptimizedDynamoDb(this);
        Streams = new DynamoDbStreams();
        foreach (var action in ForwardedActions)
        {
            OnAsync(action, (p, c) => ForwardAsync(action, p, c, Flavor.AwsSdk));
        }

        OnAsync("UpdateTimeToLive", (p, c) => UpdateTimeToLiveAsync(p, c, Flavor.AwsSdk));
        OnAsync("DescribeTimeToLive", (p, c) => DescribeTimeToLiveAsync(p, c, Flavor.AwsSdk));
        On("TransactWriteItems", (_, _) => throw Unsupported("TransactWriteItems"));
        On("TransactGetItems", (_, _) => throw Unsupported("TransactGetItems"));
    }

    /// <summary>The two ways Step Functions calls DynamoDB, which name errors differently.</summary>
    private enum Flavor
    {
        /// <summary><c>arn:aws:states:::aws-sdk:dynamodb:*</c> (AWS SDK for Java 2.x conventions).</summary>
        AwsSdk,

        /// <summary><c>arn:aws:states:::dynamodb:*</c> (AWS SDK for Java 1.x conventions).</summary>
        Optimized,
    }

    public override string SdkName => "dynamodb";

    public override string ErrorPrefix => "DynamoDb";

    public override string IamPrefix => "dynamodb";

    public override string ThrottlingErrorCode => "ProvisionedThroughputExceededException";

    public override string InternalErrorCode => "InternalServerError";

    /// <summary>DynamoDB's ValidationException is not modeled: the AWS SDK integration reports it as DynamoDbException.</summary>
    public override string ValidationErrorCode => "DynamoDbException";

    /// <summary>
    /// The same DynamoDB as the optimized integration (<see cref="Integrations.DynamoDbIntegration"/>) calls it: same IAM
    /// name, Java SDK 1.x error conventions and SdkHttpMetadata in the output.
    /// </summary>
    internal IAwsService OptimizedView => _optimized;

    /// <summary>The running dynalite, or null before the first DynamoDB call.</summary>
    public DynaliteHost? Host => _sharedHost is not null && _ready is not null ? _sharedHost : _ownedHost;

    public override bool IsReadOnly(string action) => ReadOnlyActions.Contains(action);

    /// <summary>The tables' streams (<see cref="DynamoDbStreams"/>): enabled by a deployment, read by EventBridge Pipes.</summary>
    public DynamoDbStreams Streams { get; }

    public override void Attach(SimulatedAccount account)
    {
        _account = account;
        account.Calls.Recorded += call =>
        {
            if (Streams.MayHaveWritten(call) && _ready is { IsCompletedSuccessfully: true } ready)
            {
                Streams.RequestCapture(account, ready.Result);
            }
        };
        _requestIds = Ids.ServiceRandom(account, "dynamodb");
        account.Own(new Lifetime(this));
    }

    /// <summary>Validates the world's tables now; they are created when dynalite starts.</summary>
    public override void Seed(JObject section, SimulatedAccount account) => _seedTables = [.. _seedTables, .. DynamoDbWorld.Parse(section)];

    /// <summary>A table a deployment creates (the product's run-record table); like the world's, it exists once dynalite starts.</summary>
    /// <exception cref="InvalidOperationException">DynamoDB is already in use, or a table of that name exists.</exception>
    public void AddTable(DynamoDbSeedTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        lock (_startLock)
        {
            if (_ready is not null)
            {
                throw new InvalidOperationException($"Table {table.Name} must be added before DynamoDB is first used.");
            }

            if (_seedTables.Any(t => t.Name == table.Name))
            {
                throw new InvalidOperationException($"Table already exists: {table.Name}");
            }

            _seedTables = [.. _seedTables, table];
        }
    }

    /// <summary>
    /// Where C# code (AWSSDK.DynamoDBv2) reaches this account's DynamoDB. Starts dynalite and creates the
    /// world's tables if that has not happened yet. See <see cref="DynamoDbEndpoint"/>.
    /// </summary>
    public DynamoDbEndpoint GetEndpoint() => GetEndpointAsync().GetAwaiter().GetResult();

    public async Task<DynamoDbEndpoint> GetEndpointAsync() =>
        new(await EnsureReadyAsync().ConfigureAwait(false), Account.Region);

    private SimulatedAccount Account => _account ?? throw new InvalidOperationException("The DynamoDB service is not attached to an account.");

    private Task<Uri> EnsureReadyAsync()
    {
        lock (_startLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _ready ??= StartAndSeedAsync();
        }
    }

    private async Task<Uri> StartAndSeedAsync()
    {
        var account = Account;
        Uri endpoint;
        if (_sharedHost is not null)
        {
            endpoint = _sharedHost.Endpoint;
        }
        else
        {
            var host = await DynaliteHost.StartAsync(_options with
            {
                Region = account.Region,
                AccountId = account.AccountId,
                DataDirectory = account.Options.DynamoDbDirectory ?? _options.DataDirectory,
            }).ConfigureAwait(false);
            lock (_startLock)
            {
                if (_disposed)
                {
                    host.Dispose();
                    throw new ObjectDisposedException(nameof(DynamoDbService), "The account was disposed while dynalite was starting.");
                }

                _ownedHost = host;
            }

            endpoint = host.Endpoint;
        }

        foreach (var table in _seedTables)
        {
            await SeedTableAsync(endpoint, account.Region, table).ConfigureAwait(false);
        }

        await Streams.BaselineAsync(endpoint, account.Region).ConfigureAwait(false);
        return endpoint;
    }

    private async Task SeedTableAsync(Uri endpoint, string region, DynamoDbSeedTable table)
    {
        await DynamoDbWorld.CreateAsync(endpoint, region, table).ConfigureAwait(false);
        if (table.TtlAttribute is { } ttl)
        {
            lock (_ttlAttributes)
            {
                _ttlAttributes[table.Name] = ttl;
            }
        }
    }

    private async Task<Uri> ReadyEndpointAsync(AwsCallContext context)
    {
        try
        {
            return await context.Scheduler.External(EnsureReadyAsync());
        }
        catch (DynaliteUnavailableException e)
        {
            // A broken local set-up is not something a state machine should be able to catch.
            throw new StatesException(StatesErrors.Runtime, e.Message);
        }
    }

    private async Task<DynamoDbWireResponse> SendAsync(string action, JObject parameters, AwsCallContext context)
    {
        var endpoint = await ReadyEndpointAsync(context);
        try
        {
            return await context.Scheduler.External(DynamoDbWire.SendAsync(endpoint, context.Account.Region, action, parameters.ToJson(), context.Cancellation));
        }
        catch (HttpRequestException e)
        {
            throw new StatesException(StatesErrors.Runtime,
                $"The local DynamoDB (dynalite at {endpoint}) did not answer {action}: {e.Message} {Host?.RecentErrors}".TrimEnd());
        }
    }

    private async Task<JValue> ForwardAsync(string action, JObject parameters, AwsCallContext context, Flavor flavor)
    {
        var response = await SendAsync(action, parameters, context);
        var requestId = NextRequestId();
        if (!response.IsSuccess)
        {
            throw Error(response, action, parameters, flavor, requestId);
        }

        if (action == "DeleteTable")
        {
            lock (_ttlAttributes)
            {
                _ttlAttributes.Remove(parameters.GetString("TableName") ?? string.Empty);
            }
        }

        var body = response.Body.Length == 0 ? JObject.Empty : JValue.Parse(response.Body).AsObject();
        return flavor == Flavor.Optimized ? WithDynamoDbMetadata(body, response, requestId, context.Now) : body;
    }

    private async Task<JValue> UpdateTimeToLiveAsync(JObject parameters, AwsCallContext context, Flavor flavor)
    {
        var table = Read(parameters).RequiredString("TableName");
        var spec = Read(parameters).OptionalObject("TimeToLiveSpecification")
            ?? throw ServiceError("ValidationException", "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null", 400, flavor, NextRequestId());
        var enabled = spec.GetBool("Enabled") ?? throw ServiceError("ValidationException", "1 validation error detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null", 400, flavor, NextRequestId());
        var attribute = spec.GetString("AttributeName") is { Length: > 0 } a
            ? a
            : throw ServiceError("ValidationException", "1 validation error detected: Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null", 400, flavor, NextRequestId());

        // The table must exist: let dynalite say so in DynamoDB's words.
        var describe = await SendAsync("DescribeTable", JObject.Of(("TableName", table)), context);
        if (!describe.IsSuccess)
        {
            throw Error(describe, "UpdateTimeToLive", parameters, flavor, NextRequestId());
        }

        lock (_ttlAttributes)
        {
            var current = _ttlAttributes.GetValueOrDefault(table);
            if (enabled == (current is not null))
            {
                throw ServiceError("ValidationException", enabled ? "TimeToLive is already enabled" : "TimeToLive is already disabled", 400, flavor, NextRequestId());
            }

            if (enabled)
            {
                _ttlAttributes[table] = attribute;
            }
            else
            {
                _ttlAttributes.Remove(table);
            }
        }

        return JObject.Of(("TimeToLiveSpecification", spec));
    }

    private async Task<JValue> DescribeTimeToLiveAsync(JObject parameters, AwsCallContext context, Flavor flavor)
    {
        var answer = (JObject)await ForwardAsync("DescribeTimeToLive", parameters, context, flavor);
        string? attribute;
        lock (_ttlAttributes)
        {
            attribute = _ttlAttributes.GetValueOrDefault(parameters.GetString("TableName") ?? string.Empty);
        }

        return attribute is null
            ? answer
            : answer.With("TimeToLiveDescription", JObject.Of(("TimeToLiveStatus", "ENABLED"), ("AttributeName", attribute)));
    }

    private static AwsServiceException Error(DynamoDbWireResponse response, string action, JObject parameters, Flavor flavor, string requestId)
    {
        var code = response.StatusCode >= 500 ? "InternalServerError" : "ValidationException";
        var message = string.Empty;
        if (JValue.TryParse(response.Body, out var parsed, out _) && parsed is JObject body)
        {
            if (body.GetString("__type") is { } type)
            {
                code = type[(type.LastIndexOf('#') + 1)..];
            }

            message = body.GetString("message") ?? body.GetString("Message") ?? string.Empty;
        }

        if (code == "ResourceInUseException" && message.Length == 0 && action == "CreateTable")
        {
            message = $"Table already exists: {parameters.GetString("TableName")}"; // DynamoDB's words; dynalite leaves it empty
        }

        return ServiceError(code, message, response.StatusCode, flavor, requestId);
    }

    /// <summary>
    /// The error as Step Functions reports it: a modeled code keeps its name, others become the SDK's
    /// generic exception; the cause is the SDK's message format (1.x for optimized, 2.x for AWS SDK integrations).
    /// </summary>
    private static AwsServiceException ServiceError(string code, string message, int status, Flavor flavor, string requestId)
    {
        var modeled = ModeledErrors.Contains(code);
        var statusText = status.ToString(CultureInfo.InvariantCulture);
        return flavor == Flavor.Optimized
            ? new AwsServiceException(modeled ? code : "AmazonDynamoDBException",
                $"{message} (Service: AmazonDynamoDBv2; Status Code: {statusText}; Error Code: {code}; Request ID: {requestId}; Proxy: null)")
            : new AwsServiceException(modeled ? code : "DynamoDbException",
                $"{message} (Service: DynamoDb, Status Code: {statusText}, Request ID: {requestId})");
    }

    private AwsServiceException Unsupported(string action) => ServiceError(
        "UnknownOperationException",
        $"The local DynamoDB engine (dynalite) does not implement {action}, so the simulator answers as DynamoDB answers an operation it does not know. " +
        "The product's design avoids transactions: the upgrade lock and the run record are written by separate conditional writes.",
        400,
        Flavor.AwsSdk,
        NextRequestId());

    /// <summary>A DynamoDB-style request id (52 characters), drawn from the seed so rehearsals repeat exactly.</summary>
    private string NextRequestId()
    {
        lock (_requestIds)
        {
            return Ids.UpperAlphanumeric(_requestIds, 52);
        }
    }

    /// <summary>
    /// The optimized integration's output: the response plus <c>SdkHttpMetadata</c> with DynamoDB's
    /// headers (as recorded from AWS) and <c>SdkResponseMetadata</c>. Date is virtual time.
    /// </summary>
    private static JObject WithDynamoDbMetadata(JObject body, DynamoDbWireResponse response, string requestId, DateTimeOffset now)
    {
        var length = Encoding.UTF8.GetByteCount(response.Body).ToString(CultureInfo.InvariantCulture);
        var date = now.ToString("r", CultureInfo.InvariantCulture);
        var crc = response.Crc32 ?? string.Empty;
        return new JObjectBuilder(body)
            .Add("SdkHttpMetadata", JObject.Of(
                ("AllHttpHeaders", JObject.Of(
                    ("Server", JArray.Of("Server")),
                    ("Connection", JArray.Of("keep-alive")),
                    ("x-amzn-RequestId", JArray.Of(requestId)),
                    ("x-amz-crc32", JArray.Of(crc)),
                    ("Content-Length", JArray.Of(length)),
                    ("Date", JArray.Of(date)),
                    ("Content-Type", JArray.Of(DynamoDbWire.ContentType)))),
                ("HttpHeaders", JObject.Of(
                    ("Connection", "keep-alive"),
                    ("Content-Length", length),
                    ("Content-Type", DynamoDbWire.ContentType),
                    ("Date", date),
                    ("Server", "Server"),
                    ("x-amz-crc32", crc),
                    ("x-amzn-RequestId", requestId))),
                ("HttpStatusCode", 200)))
            .Add("SdkResponseMetadata", JObject.Of(("RequestId", requestId)))
            .Build();
    }

    private void Stop()
    {
        DynaliteHost? host;
        lock (_startLock)
        {
            _disposed = true;
            host = _ownedHost;
            _ownedHost = null;
        }

        host?.Dispose();
    }

    /// <summary>Ties the lazily started dynalite to the account: disposing the account stops it.</summary>
    private sealed class Lifetime(DynamoDbService service) : IDisposable
    {
        public void Dispose() => service.Stop();
    }

    /// <summary>
    /// The same DynamoDB seen through the optimized integration: same IAM name (call log, faults, model
    /// validation), but Java SDK 1.x error conventions and the SdkHttpMetadata output.
    /// </summary>
    private sealed class OptimizedDynamoDb : AwsServiceBase
    {
        public OptimizedDynamoDb(DynamoDbService core)
        {
            foreach (var api in OptimizedApis)
            {
                var action = char.ToUpperInvariant(api[0]) + api[1..];
                OnAsync(action, (p, c) => core.ForwardAsync(action, p, c, Flavor.Optimized));
            }
        }

        public override string SdkName => "dynamodb";

        public override string ErrorPrefix => "DynamoDB";

        public override string IamPrefix => "dynamodb";

        public override string ThrottlingErrorCode => "ProvisionedThroughputExceededException";

        public override string InternalErrorCode => "InternalServerError";

        public override string ValidationErrorCode => "AmazonDynamoDBException";

        public override bool IsReadOnly(string action) => action == "GetItem";
    }
}
