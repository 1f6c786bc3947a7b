using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BlueGreen.Functions.Aws;
using BlueGreen.Functions.Planning;

namespace BlueGreen.Functions.Decommission;

/// <summary>What the decommission read of Blue's traffic wiring, and whose cluster it is about to delete.</summary>
public sealed record CheckBlueTrafficRequest
{
    [JsonPropertyName("clusterName")] public string? ClusterName { get; init; }

    /// <summary>The cluster that replaced Blue: where the operator should move the traffic.</summary>
    [JsonPropertyName("replacedBy")] public string? ReplacedBy { get; init; }

    [JsonPropertyName("traffic")] public DecommissionTraffic? Traffic { get; init; }

    /// <summary>The listener rule's actions or the listener's default actions, as the ALB adapter read them.</summary>
    [JsonPropertyName("currentActions")] public IReadOnlyList<ElbAction>? CurrentActions { get; init; }

    /// <summary>The records listed from Blue's record name on, as the Route 53 adapter read them.</summary>
    [JsonPropertyName("currentRecords")] public IReadOnlyList<ResourceRecordSet>? CurrentRecords { get; init; }
}

/// <summary>Whether Blue still gets a share of the traffic, and the sentence that says why (the decommission's Cause).</summary>
public sealed record BlueTrafficVerdict
{
    [JsonPropertyName("servesTraffic")] public required bool ServesTraffic { get; init; }

    [JsonPropertyName("reason")] public required string Reason { get; init; }
}

/// <summary>
/// Decides whether Blue still serves traffic before the decommission deletes it: an operator may have moved traffic
/// back by hand during the retention period. When in doubt Blue is kept: a forward tuple without a Weight counts as
/// getting traffic (ELBv2 does not document its default), and so does a weighted set whose records are all at weight 0
/// (Route 53 then answers with every record equally).
/// </summary>
public static class BlueTrafficCheck
{
    public static BlueTrafficVerdict Check(CheckBlueTrafficRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cluster = request.ClusterName ?? throw new InvalidInput("clusterName: required");
        var replacedBy = request.ReplacedBy ?? throw new InvalidInput("replacedBy: required");
        var traffic = request.Traffic ?? throw new InvalidInput("traffic: required");
        return traffic.Type switch
        {
            TrafficTypes.Alb => CheckAlb(cluster, replacedBy, traffic, request.CurrentActions ?? throw new InvalidInput("currentActions: required for alb")),
            TrafficTypes.Route53 => CheckRoute53(cluster, replacedBy, traffic, request.CurrentRecords ?? throw new InvalidInput("currentRecords: required for route53")),
            _ => throw new InvalidInput($"traffic.type: unknown traffic type \"{traffic.Type}\""),
        };
    }

    private static BlueTrafficVerdict CheckAlb(string cluster, string replacedBy, DecommissionTraffic traffic, IReadOnlyList<ElbAction> actions)
    {
        var blue = traffic.BlueTargetGroupArn ?? throw new InvalidInput("traffic.blueTargetGroupArn: required for alb");
        var forwards = actions.Where(a => a.Type == "forward").ToList();
        var serves = forwards.Any(a =>
            a.TargetGroupArn == blue
            || (a.ForwardConfig?.TargetGroups ?? []).Any(t => t.TargetGroupArn == blue && t.Weight is not 0));
        var source = traffic.RuleArn ?? traffic.ListenerArn;
        return serves
            ? new BlueTrafficVerdict
            {
                ServesTraffic = true,
                Reason = $"{cluster} still serves traffic: its target group {blue} is forwarded to at a weight other than 0 by {source} (forward: {JsonSerializer.Serialize(forwards, TrafficJsonContext.Default.ListElbAction)}). Nothing was deleted; move all traffic to {replacedBy} and start the decommission again.",
            }
            : new BlueTrafficVerdict { ServesTraffic = false, Reason = $"{source} forwards nothing to {cluster}'s target group {blue}." };
    }

    private static BlueTrafficVerdict CheckRoute53(string cluster, string replacedBy, DecommissionTraffic traffic, IReadOnlyList<ResourceRecordSet> records)
    {
        var name = traffic.RecordName ?? throw new InvalidInput("traffic.recordName: required for route53");
        var type = traffic.RecordType ?? throw new InvalidInput("traffic.recordType: required for route53");
        var setIdentifier = traffic.BlueSetIdentifier ?? throw new InvalidInput("traffic.blueSetIdentifier: required for route53");
        var zone = traffic.HostedZoneId;

        // The listing starts at the record name but runs on into other names, which may reuse the set identifier: name,
        // type and set identifier must all match.
        var listedName = DecommissionTraffic.ListedName(name);
        var set = records.Where(r => r.Weight is not null && DecommissionTraffic.ListedName(r.Name) == listedName && r.Type == type).ToList();
        var blue = set.FirstOrDefault(r => r.SetIdentifier == setIdentifier);
        var where = $"its weighted record {listedName} {type} (set identifier {setIdentifier}) in hosted zone {zone}";
        if (blue is null)
        {
            return new BlueTrafficVerdict { ServesTraffic = false, Reason = $"{cluster} has no weighted record {listedName} {type} (set identifier {setIdentifier}) any more." };
        }

        if (blue.Weight > 0)
        {
            return new BlueTrafficVerdict
            {
                ServesTraffic = true,
                Reason = string.Create(CultureInfo.InvariantCulture, $"{cluster} still serves traffic: {where} has weight {blue.Weight}. Nothing was deleted; move all traffic to {replacedBy} and start the decommission again."),
            };
        }

        return set.Any(r => r.Weight > 0)
            ? new BlueTrafficVerdict { ServesTraffic = false, Reason = $"{where} has weight 0 and another record of that name and type gets the traffic." }
            : new BlueTrafficVerdict
            {
                ServesTraffic = true,
                Reason = $"{cluster} still serves traffic: {where} has weight 0, but so has every other record of that name and type, and Route 53 then answers with all of them equally. Nothing was deleted; give {replacedBy} a weight above 0 and start the decommission again.",
            };
    }
}

/// <summary>Serializes the forward actions quoted in a verdict's reason, as ELBv2 spells them.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ElbAction>))]
internal sealed partial class TrafficJsonContext : JsonSerializerContext;
