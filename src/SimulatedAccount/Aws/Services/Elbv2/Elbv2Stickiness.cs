using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Elbv2;

/// <summary>
/// Clients that target-group stickiness keeps where they were. With stickiness on, ALB sends a request carrying the
/// AWSALBTG cookie "to the target group specified in the cookie" (ALB user guide, load-balancer-listeners.md, "Forward
/// actions"), whatever the weights now say, until the cookie's duration runs out. Modelled per forward action: when a
/// change lowers a target group's share while stickiness is on, that group keeps its former share for the duration,
/// as long as the action still forwards to it with stickiness on (a group the action no longer lists, or an action
/// with stickiness off, gets exactly its weight). This is what the traffic registry, alarms and rehearsal summaries
/// see; DescribeRules and DescribeListeners answer with the configured weights, as ELBv2 does.
/// </summary>
public sealed partial class Elbv2Service
{
    private readonly Dictionary<(string Owner, string TargetGroupArn), StickyHold> _stickyHolds = [];

    private sealed record StickyHold(double Percent, DateTimeOffset Until);

    /// <summary>Call before an action owner's actions change from <paramref name="before"/> to <paramref name="after"/>.</summary>
    private void RememberStickyClients(string ownerArn, JArray before, JArray after)
    {
        if (Stickiness(before) is not { } duration)
        {
            return;
        }

        var now = Account.Scheduler.Now;
        var next = ConfiguredPercents(after);
        foreach (var (targetGroupArn, percent) in ConfiguredPercents(before))
        {
            if (percent > next.GetValueOrDefault(targetGroupArn))
            {
                var until = now + TimeSpan.FromSeconds(duration);
                _stickyHolds[(ownerArn, targetGroupArn)] = new StickyHold(percent, until);
                // The held clients leave when their cookies expire: the traffic changes then, with no API call.
                Account.Scheduler.Schedule(until, () => WeightsChanged?.Invoke());
            }
        }
    }

    /// <summary>Each target group's share of one owner's forward action, sticky clients included.</summary>
    private Dictionary<string, double> EffectivePercents(string ownerArn, JObject forward, Dictionary<string, double> configured)
    {
        if (Stickiness(forward) is null || _account is null)
        {
            return configured;
        }

        var now = Account.Scheduler.Now;
        var held = configured.Keys
            .Select(tg => (tg, hold: _stickyHolds.GetValueOrDefault((ownerArn, tg))))
            .Where(h => h.hold is not null && h.hold.Until > now && h.hold.Percent > configured[h.tg])
            .ToDictionary(h => h.tg, h => h.hold!.Percent, StringComparer.Ordinal);
        if (held.Count == 0)
        {
            return configured;
        }

        // The rest share what the held clients leave, in proportion to their weights.
        var rest = Math.Max(0, 100 - held.Values.Sum());
        var others = configured.Where(c => !held.ContainsKey(c.Key)).Sum(c => c.Value);
        return configured.ToDictionary(
            c => c.Key,
            c => held.TryGetValue(c.Key, out var h) ? h : others > 0 ? rest * c.Value / others : 0,
            StringComparer.Ordinal);
    }

    private static Dictionary<string, double> ConfiguredPercents(JArray actions)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var forward in actions.OfType<JObject>().Where(a => a.GetString("Type") == "forward"))
        {
            foreach (var (tg, percent) in ConfiguredPercents(forward))
            {
                result[tg] = percent;
            }
        }

        return result;
    }

    private static Dictionary<string, double> ConfiguredPercents(JObject forward)
    {
        var tuples = forward.GetObject("ForwardConfig")?.GetArray("TargetGroups")?.OfType<JObject>().ToList() ?? [];
        var total = tuples.Sum(t => t.GetNumber("Weight") ?? 1);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var tuple in tuples)
        {
            result[tuple.GetString("TargetGroupArn")!] = total > 0 ? 100.0 * (tuple.GetNumber("Weight") ?? 1) / total : 0;
        }

        return result;
    }

    /// <summary>The stickiness duration in seconds of the (first) forward action, or null when stickiness is off.</summary>
    private static double? Stickiness(JArray actions) =>
        actions.OfType<JObject>().Where(a => a.GetString("Type") == "forward").Select(Stickiness).FirstOrDefault(d => d is not null);

    private static double? Stickiness(JObject forward) =>
        forward.GetObject("ForwardConfig")?.GetObject("TargetGroupStickinessConfig") is { } s && s.GetBool("Enabled") == true
            ? s.GetNumber("DurationSeconds")
            : null;
}
