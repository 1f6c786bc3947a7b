namespace BlueGreen.Simulator.Aws.Models;

/// <summary>
/// How Step Functions names a service error raised through an AWS SDK integration. The integrations are
/// built on the AWS SDK for Java 2.x, which turns an error response into the exception class of the
/// modeled error shape whose code it carries (on any operation of the service), or into the service's
/// generic exception when the service's model has no such error:
/// <list type="bullet">
/// <item>modeled: <c>Prefix.ShapeName</c>, with <c>Exception</c> added when the shape name lacks it
/// (CloudWatch <c>InternalServiceError</c> is the shape <c>InternalServiceFault</c>:
/// <c>CloudWatch.InternalServiceFaultException</c>; ELBv2 <c>RuleNotFound</c> is
/// <c>ElasticLoadBalancingV2.RuleNotFoundException</c>);</item>
/// <item>not modeled: <c>Prefix.PrefixException</c> (CloudWatch <c>Throttling</c> is
/// <c>CloudWatch.CloudWatchException</c>, Route 53 <c>InternalError</c> is <c>Route53.Route53Exception</c>).</item>
/// </list>
/// The Exception suffix is documented by Step Functions; the generic class is the Java SDK's
/// (<c>CloudWatchException</c>, <c>Route53Exception</c>) and is not in the Step Functions guide.
/// </summary>
public static class SdkIntegrationErrors
{
    private const string Suffix = "Exception";

    /// <summary>The error name for <paramref name="code"/> of the service modeled by <paramref name="model"/>.</summary>
    public static string Name(ApiServiceModel model, string errorPrefix, string code) =>
        model.FindError(code) is { } error ? $"{errorPrefix}.{WithSuffix(error.ShapeName)}" : Generic(errorPrefix);

    /// <summary>The service's generic exception: <c>CloudWatch.CloudWatchException</c>.</summary>
    public static string Generic(string errorPrefix) => $"{errorPrefix}.{errorPrefix}{Suffix}";

    /// <summary>The name without a model: the code itself with the Exception suffix.</summary>
    public static string Legacy(string errorPrefix, string code) => $"{errorPrefix}.{WithSuffix(code)}";

    private static string WithSuffix(string name) => name.EndsWith(Suffix, StringComparison.Ordinal) ? name : name + Suffix;
}
