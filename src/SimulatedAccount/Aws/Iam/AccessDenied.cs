using System.Globalization;
using BlueGreen.Simulator.Asl;

namespace BlueGreen.Simulator.Aws.Iam;

/// <summary>One refused authorization: who, what, on what, and why (for the rehearsal summary and the error's cause).</summary>
public sealed record Denial(DateTimeOffset Time, string PrincipalArn, string Action, string Resource, string? StateName, bool ExplicitDeny, string Error)
{
    public override string ToString() =>
        $"{Action} on {Resource} denied to {PrincipalArn}{(StateName is null ? string.Empty : $" in \"{StateName}\"")} ({(ExplicitDeny ? "explicit deny" : "no statement allows it")})";
}

/// <summary>
/// How a call IAM refuses fails, service by service. The message is IAM's ("User: … is not authorized to perform: … on
/// resource: … because no identity-based policy allows the … action", IAM User Guide, "Troubleshoot access denied
/// error messages"); the error name follows Step Functions' rules: through an AWS SDK integration the service's modeled
/// exception when its API model has one (EKS: <c>Eks.AccessDeniedException</c>), else its generic exception
/// (<c>ElasticLoadBalancingV2.ElasticLoadBalancingV2Exception</c>); through an optimized integration the Java SDK v1
/// class (<c>Lambda.AWSLambdaException</c>, observed on AWS; <c>DynamoDB.AmazonDynamoDBException</c>,
/// <c>SNS.AuthorizationErrorException</c>, <c>EKS.AccessDeniedException</c>,
/// <c>StepFunctions.AWSStepFunctionsException</c>). Sources: docs/aws-api-models.md, "IAM in the simulated account".
/// </summary>
public static class AccessDenied
{
    /// <summary>Per IAM prefix: the wire code, HTTP status and Java SDK v1 service name of the service's denial.</summary>
    /// <remarks>Only Lambda, DynamoDB, SNS, EKS and Step Functions have optimized integrations (the others' v1 names are never used).</remarks>
    private static readonly Dictionary<string, (string Code, int Status, string V1Service, string? OptimizedError)> Services = new(StringComparer.Ordinal)
    {
        ["eks"] = ("AccessDeniedException", 403, "AmazonEKS", "EKS.AccessDeniedException"),
        ["lambda"] = ("AccessDeniedException", 403, "AWSLambda", "Lambda.AWSLambdaException"),
        ["dynamodb"] = ("AccessDeniedException", 400, "AmazonDynamoDBv2", "DynamoDB.AmazonDynamoDBException"),
        ["sns"] = ("AuthorizationError", 403, "AmazonSNS", "SNS.AuthorizationErrorException"),
        ["states"] = ("AccessDeniedException", 400, "AWSStepFunctions", "StepFunctions.AWSStepFunctionsException"),
        ["elasticloadbalancing"] = ("AccessDenied", 403, "AmazonElasticLoadBalancing", null),
        ["route53"] = ("AccessDenied", 403, "AmazonRoute53", null),
        ["cloudwatch"] = ("AccessDenied", 403, "AmazonCloudWatch", null),
        ["secretsmanager"] = ("AccessDeniedException", 400, "AWSSecretsManager", null),
        ["scheduler"] = ("AccessDeniedException", 403, "AmazonScheduler", null),
    };

    /// <summary>The wire error code of <paramref name="iamPrefix"/>'s denial (what the service returns).</summary>
    public static string Code(string iamPrefix) => Services.TryGetValue(iamPrefix, out var s) ? s.Code : "AccessDeniedException";

    /// <summary>IAM's message for a refused request made as <paramref name="roleArn"/> (an assumed-role session, as Step Functions makes calls).</summary>
    public static string Message(string roleArn, AuthorizationRequest request, AuthorizationResult result, string session)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        var account = roleArn.Split(':') is { Length: > 4 } parts ? parts[4] : string.Empty;
        var onResource = request.Resource == "*" ? string.Empty : $" on resource: {request.Resource}";
        var why = result.Decision == AuthorizationDecision.ExplicitDeny
            ? " with an explicit deny in an identity-based policy"
            : $" because no identity-based policy allows the {request.Action} action";
        return $"User: arn:aws:sts::{account}:assumed-role/{roleName}/{session} is not authorized to perform: {request.Action}{onResource}{why}";
    }

    /// <summary>The error a Task sees for a denied call of <paramref name="service"/>.</summary>
    public static StatesException TaskError(IAwsService service, string message, bool sdkIntegration, string errorPrefix, IRequestValidator? validator, string requestId)
    {
        ArgumentNullException.ThrowIfNull(service);
        var (code, status, v1, optimized) = Services.TryGetValue(service.IamPrefix, out var s) ? s : ("AccessDeniedException", 403, "Amazon" + errorPrefix, null);
        var statusText = status.ToString(CultureInfo.InvariantCulture);
        return sdkIntegration
            ? new StatesException(
                validator?.SdkIntegrationErrorName(service.SdkName, errorPrefix, code) ?? $"{errorPrefix}.{code}",
                $"{message} (Service: {errorPrefix}, Status Code: {statusText}, Request ID: {requestId})")
            : new StatesException(optimized ?? $"{errorPrefix}.Amazon{errorPrefix}Exception", $"{message} (Service: {v1}; Status Code: {statusText}; Error Code: {code}; Request ID: {requestId}; Proxy: null)");
    }
}
