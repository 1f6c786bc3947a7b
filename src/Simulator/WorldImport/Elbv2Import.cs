using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.WorldImport;

/// <summary>
/// The <c>elbv2</c> world section from what the AWS CLI prints (ELBv2 members are PascalCase; shapes from botocore's
/// <c>elbv2/2015-12-01/service-2.json</c>: DescribeLoadBalancersOutput, DescribeListenersOutput, DescribeRulesOutput (a
/// rule's <c>Priority</c> is a string, <c>"default"</c> for the listener's default rule), DescribeTargetGroupsOutput,
/// DescribeTargetHealthOutput (which does not name its target group: the file name does), DescribeTagsOutput).
/// <para>
/// Which cluster's pods a target group holds is not in any of these outputs. The import binds a target group to the cluster
/// its <c>elbv2.k8s.aws/cluster</c> tag names (the AWS Load Balancer Controller tags what it creates); otherwise to the
/// captured cluster (Blue) when it has healthy targets; otherwise to Green when a forward action lists it beside one of
/// Blue's (the weight-0 target group the upgrade fills).
/// </para>
/// </summary>
public static class Elbv2Import
{
    /// <summary>The tag the AWS Load Balancer Controller puts on the target groups it creates: the cluster's name.</summary>
    public const string ClusterTag = "elbv2.k8s.aws/cluster";

    public static JObject? Read(CapturedFiles files, CapturedCluster blue, string green)
    {
        var listeners = files.All("elbv2", "describe-listeners").SelectMany(f => files.List(f.Json, "Listeners", $"elbv2/describe-listeners{f.Name}.json")).OfType<JObject>().ToList();
        if (listeners.Count == 0)
        {
            return null;
        }

        var tags = files.All("elbv2", "describe-tags").SelectMany(f => files.List(f.Json, "TagDescriptions", $"elbv2/describe-tags{f.Name}.json")).OfType<JObject>()
            .GroupBy(t => t.GetString("ResourceArn") ?? string.Empty, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => JObject.From(g.SelectMany(t => t.GetArray("Tags") ?? JArray.Empty).OfType<JObject>()
                .Select(t => new KeyValuePair<string, JValue>(t.GetString("Key") ?? string.Empty, t.GetString("Value") ?? string.Empty))), StringComparer.Ordinal);
        var rules = files.All("elbv2", "describe-rules").SelectMany(f => files.List(f.Json, "Rules", $"elbv2/describe-rules{f.Name}.json")).OfType<JObject>()
            .Where(r => r.GetBool("IsDefault") != true).ToList();
        var groups = files.All("elbv2", "describe-target-groups").SelectMany(f => files.List(f.Json, "TargetGroups", $"elbv2/describe-target-groups{f.Name}.json")).OfType<JObject>()
            .DistinctBy(t => t.GetString("TargetGroupArn")).ToList();
        if (groups.Count == 0)
        {
            files.Problems.Add("elbv2/describe-target-groups.json is missing (written by: aws elbv2 describe-target-groups --load-balancer-arn ARN)");
        }

        var bindings = Bind(files, groups, rules, tags, blue.Name, green);
        var loadBalancers = files.All("elbv2", "describe-load-balancers").SelectMany(f => files.List(f.Json, "LoadBalancers", "elbv2/describe-load-balancers.json")).OfType<JObject>().ToList();
        var lbArns = listeners.Select(l => l.GetString("LoadBalancerArn") ?? string.Empty).Distinct(StringComparer.Ordinal);
        return JObject.Of(
            ("targetGroups", JArray.From(groups.Select(g => (JValue)TargetGroup(files, g, tags, bindings)))),
            ("loadBalancers", JArray.From(lbArns.Select(arn => (JValue)LoadBalancer(arn, loadBalancers, listeners, rules, tags)))));
    }

    private static Dictionary<string, (string? Cluster, JArray Targets)> Bind(CapturedFiles files, List<JObject> groups, List<JObject> rules, Dictionary<string, JObject> tags, string blue, string green)
    {
        var result = new Dictionary<string, (string?, JArray)>(StringComparer.Ordinal);
        foreach (var g in groups)
        {
            var name = g.GetString("TargetGroupName") ?? string.Empty;
            var healthFile = $"elbv2/describe-target-health-{CapturedFiles.SafeName(name)}.json";
            var health = files.List(files.Required(healthFile, $"aws elbv2 describe-target-health --target-group-arn {g.GetString("TargetGroupArn")}"), "TargetHealthDescriptions", healthFile).OfType<JObject>().ToList();
            var targets = JArray.From(health.Select(h => h.GetObject("Target")).OfType<JObject>().Select(t => (JValue)new JObjectBuilder()
                .Add("id", t.GetString("Id") ?? string.Empty).AddIf("port", t.GetNumber("Port")).AddIf("availabilityZone", t.GetString("AvailabilityZone")).Build()));
            var tagged = tags.GetValueOrDefault(g.GetString("TargetGroupArn") ?? string.Empty)?.GetString(ClusterTag);
            var healthy = health.Any(h => h.GetObject("TargetHealth")?.GetString("State") == "healthy");
            result[g.GetString("TargetGroupArn") ?? name] = (tagged ?? (healthy ? blue : null), targets);
        }

        // A target group forwarded to beside one of Blue's, and bound to no cluster yet, is Green's.
        foreach (var forward in rules.SelectMany(r => r.GetArray("Actions") ?? JArray.Empty).OfType<JObject>().Select(a => a.GetObject("ForwardConfig")?.GetArray("TargetGroups")).OfType<JArray>())
        {
            var arns = forward.OfType<JObject>().Select(t => t.GetString("TargetGroupArn")).OfType<string>().Where(result.ContainsKey).ToList();
            if (arns.Any(a => result[a].Item1 == blue))
            {
                foreach (var arn in arns.Where(a => result[a].Item1 is null))
                {
                    result[arn] = (green, result[arn].Item2);
                }
            }
        }

        return result;
    }

    private static JObject TargetGroup(CapturedFiles files, JObject g, Dictionary<string, JObject> tags, Dictionary<string, (string? Cluster, JArray Targets)> bindings)
    {
        var arn = g.GetString("TargetGroupArn") ?? string.Empty;
        var name = g.GetString("TargetGroupName") ?? string.Empty;
        var (cluster, targets) = bindings.GetValueOrDefault(arn, (null, JArray.Empty));
        var blueTargets = bindings.Values.Where(b => b.Cluster is not null && b.Cluster != cluster && b.Targets.Count > 0).Select(b => b.Targets.Count).DefaultIfEmpty(0).Max();
        var health = new JObjectBuilder()
            .AddIf("protocol", g.GetString("HealthCheckProtocol")).AddIf("port", g.GetString("HealthCheckPort")).AddIf("path", g.GetString("HealthCheckPath"))
            .AddIf("intervalSeconds", g.GetNumber("HealthCheckIntervalSeconds")).AddIf("timeoutSeconds", g.GetNumber("HealthCheckTimeoutSeconds"))
            .AddIf("healthyThreshold", g.GetNumber("HealthyThresholdCount")).AddIf("unhealthyThreshold", g.GetNumber("UnhealthyThresholdCount"))
            .AddIf("matcher", g.GetObject("Matcher")?.GetString("HttpCode") ?? g.GetObject("Matcher")?.GetString("GrpcCode"));
        var world = new JObjectBuilder().Add("name", name).Add("id", LastSegment(arn))
            .AddIf("cluster", cluster).AddIf("protocol", g.GetString("Protocol")).AddIf("port", g.GetNumber("Port"))
            .AddIf("targetType", g.GetString("TargetType")).AddIf("vpcId", g.GetString("VpcId")).AddIf("protocolVersion", g.GetString("ProtocolVersion"))
            .Add("healthCheck", health.Build());
        if (g.GetString("TargetType") is "lambda" or "alb")
        {
            files.Problems.Add($"elbv2 target group {name}: target type {g.GetString("TargetType")} is not simulated (instance and ip are)");
        }

        // Green's target group has no targets before Green exists; once Green's pods are ready it holds as many as Blue's.
        world.Add("targets", cluster is not null && targets.Count == 0 ? (JValue)(double)Math.Max(blueTargets, 1) : targets);
        return world.Add("tags", tags.GetValueOrDefault(arn) ?? JObject.Empty).Build();
    }

    private static JObject LoadBalancer(string arn, List<JObject> described, List<JObject> listeners, List<JObject> rules, Dictionary<string, JObject> tags)
    {
        // arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID
        var path = arn.Split(':').Last().Split('/');
        var lb = described.FirstOrDefault(l => l.GetString("LoadBalancerArn") == arn);
        var world = new JObjectBuilder().Add("name", path.Length == 4 ? path[2] : arn).Add("id", LastSegment(arn))
            .Add("type", lb?.GetString("Type") ?? (path.Length == 4 && path[1] == "net" ? "network" : "application"))
            .AddIf("scheme", lb?.GetString("Scheme")).AddIf("vpcId", lb?.GetString("VpcId")).AddIf("ipAddressType", lb?.GetString("IpAddressType"));
        if (lb?.GetArray("SecurityGroups") is { } groups)
        {
            world.Add("securityGroups", groups);
        }

        if (lb?.GetArray("AvailabilityZones") is { } zones)
        {
            world.Add("subnets", JArray.From(zones.OfType<JObject>().Select(z => (JValue)JObject.Of(("zone", z.GetString("ZoneName") ?? string.Empty), ("subnetId", z.GetString("SubnetId") ?? string.Empty)))));
        }

        world.Add("tags", tags.GetValueOrDefault(arn) ?? JObject.Empty);
        world.Add("listeners", JArray.From(listeners.Where(l => l.GetString("LoadBalancerArn") == arn).Select(l =>
        {
            var listenerArn = l.GetString("ListenerArn") ?? string.Empty;
            var listener = new JObjectBuilder().Add("id", LastSegment(listenerArn)).AddIf("port", l.GetNumber("Port")).AddIf("protocol", l.GetString("Protocol"))
                .AddIf("sslPolicy", l.GetString("SslPolicy"))
                .AddIf("certificateArn", (l.GetArray("Certificates") ?? JArray.Empty).OfType<JObject>().Select(c => c.GetString("CertificateArn")).FirstOrDefault(c => c is not null))
                .Add("defaultActions", l.GetArray("DefaultActions") ?? JArray.Empty)
                .Add("tags", tags.GetValueOrDefault(listenerArn) ?? JObject.Empty);
            var own = rules.Where(r => (r.GetString("RuleArn") ?? string.Empty).Contains("/" + LastSegment(listenerArn) + "/", StringComparison.Ordinal)
                && (r.GetString("RuleArn") ?? string.Empty).StartsWith(listenerArn.Replace(":listener/", ":listener-rule/", StringComparison.Ordinal) + "/", StringComparison.Ordinal));
            listener.Add("rules", JArray.From(own.Select(r => (JValue)new JObjectBuilder()
                .Add("id", LastSegment(r.GetString("RuleArn") ?? string.Empty))
                .Add("priority", int.TryParse(r.GetString("Priority"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 0)
                .Add("conditions", r.GetArray("Conditions") ?? JArray.Empty)
                .Add("actions", r.GetArray("Actions") ?? JArray.Empty)
                .Add("tags", tags.GetValueOrDefault(r.GetString("RuleArn") ?? string.Empty) ?? JObject.Empty).Build())));
            return (JValue)listener.Build();
        })));
        return world.Build();
    }

    private static string LastSegment(string arn) => arn[(arn.LastIndexOf('/') + 1)..];
}
