using System.Text.RegularExpressions;

namespace BlueGreen.Functions.Traffic;

/// <summary>
/// An Application Load Balancer listener, listener rule or target group ARN, split into the parts that
/// must agree with each other (a forward action can only reach target groups in the load balancer's own
/// account and Region, and a rule belongs to exactly one listener).
/// </summary>
public sealed partial record ElbArn(string Partition, string Region, string Account, string Kind, string Path)
{
    // arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2
    [GeneratedRegex(@"^arn:(aws|aws-cn|aws-us-gov):elasticloadbalancing:([a-z]{2}(-[a-z]+)+-\d):(\d{12}):(listener|listener-rule|targetgroup)/(.+)$")]
    private static partial Regex Shape();

    [GeneratedRegex(@"^app/[A-Za-z0-9-]{1,32}/[0-9a-f]{1,32}/[0-9a-f]{1,32}$")]
    private static partial Regex ListenerPath();

    [GeneratedRegex(@"^app/[A-Za-z0-9-]{1,32}/[0-9a-f]{1,32}/[0-9a-f]{1,32}/[0-9a-f]{1,32}$")]
    private static partial Regex RulePath();

    // Target group names: 1-32 alphanumerics or hyphens, not starting or ending with a hyphen.
    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?/[0-9a-f]{1,32}$")]
    private static partial Regex TargetGroupPath();

    public const string Listener = "listener";
    public const string ListenerRule = "listener-rule";
    public const string TargetGroup = "targetgroup";

    /// <summary>Parses an ARN of the wanted kind; null when it is not one (only Application Load Balancers carry weighted forwards).</summary>
    public static ElbArn? Parse(string arn, string kind)
    {
        var match = Shape().Match(arn);
        if (!match.Success || match.Groups[5].Value != kind)
        {
            return null;
        }
        var path = match.Groups[6].Value;
        var pathOk = kind switch
        {
            Listener => ListenerPath().IsMatch(path),
            ListenerRule => RulePath().IsMatch(path),
            _ => TargetGroupPath().IsMatch(path),
        };
        return pathOk ? new ElbArn(match.Groups[1].Value, match.Groups[2].Value, match.Groups[4].Value, kind, path) : null;
    }

    /// <summary>The load balancer a listener ARN belongs to (<c>.../listener/app/NAME/LB/LISTENER</c> is on <c>.../loadbalancer/app/NAME/LB</c>); null when it is not a listener ARN.</summary>
    public static string? LoadBalancerOfListener(string listenerArn)
    {
        var marker = listenerArn.IndexOf(":listener/", StringComparison.Ordinal);
        var path = marker < 0 ? null : listenerArn[(marker + ":listener/".Length)..];
        var last = path?.LastIndexOf('/') ?? -1;
        return path is null || last < 0 ? null : $"{listenerArn[..marker]}:loadbalancer/{path[..last]}";
    }

    /// <summary>"app/name/lb-id/listener-id": a rule's path starts with its listener's.</summary>
    public string ListenerPathOfRule() => Path[..Path.LastIndexOf('/')];

    /// <summary>The target group's name (the part between "targetgroup/" and the id).</summary>
    public string TargetGroupName() => Path[..Path.IndexOf('/', StringComparison.Ordinal)];
}
