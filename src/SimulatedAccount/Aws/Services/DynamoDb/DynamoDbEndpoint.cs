using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace BlueGreen.Simulator.Aws.Services.DynamoDb;

/// <summary>
/// How C# code that uses AWSSDK.DynamoDBv2 (the ops chatbot handler) reaches a simulated account's
/// DynamoDB. Get it from <see cref="DynamoDbService.GetEndpoint"/>. Two ways to hand it over:
/// <list type="bullet">
/// <item><b>In process</b> (tests, the rehearsal's handler host): construct the handler with
/// <see cref="CreateClient"/>; handlers take an <c>IAmazonDynamoDB</c> in their constructor and only
/// their Lambda entry point creates the default <c>new AmazonDynamoDBClient()</c>. Per-account clients,
/// so parallel tests with one dynalite each never mix.</item>
/// <item><b>Another process</b> (a handler run by hand, <c>dynamodb serve</c>): the variables in
/// <see cref="EnvironmentVariables"/>. AWSSDK.Core 4.x honours <c>AWS_ENDPOINT_URL_DYNAMODB</c> for a
/// client created with no explicit ServiceURL, so the unchanged production code path talks to dynalite.</item>
/// </list>
/// The credentials are dummies; nothing here reaches AWS.
/// </summary>
public sealed record DynamoDbEndpoint(Uri ServiceUrl, string Region)
{
    public static string AccessKeyId => DynamoDbWire.AccessKeyId;

    public static string SecretAccessKey => DynamoDbWire.SecretAccessKey;

    /// <summary>For a process whose AWS SDK should use this DynamoDB: endpoint, region and dummy credentials.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AWS_ENDPOINT_URL_DYNAMODB"] = ServiceUrl.ToString(),
        ["AWS_REGION"] = Region,
        ["AWS_ACCESS_KEY_ID"] = AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = SecretAccessKey,
    };

    /// <summary>A client configuration pointed at dynalite, signing for the account's region.</summary>
    public AmazonDynamoDBConfig CreateConfig() => new()
    {
        ServiceURL = ServiceUrl.ToString(),
        AuthenticationRegion = Region,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static AWSCredentials CreateCredentials() => new BasicAWSCredentials(AccessKeyId, SecretAccessKey);

    public AmazonDynamoDBClient CreateClient() => new(CreateCredentials(), CreateConfig());
}
