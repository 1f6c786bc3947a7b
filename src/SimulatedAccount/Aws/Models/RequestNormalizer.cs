using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Models;

/// <summary>
/// Turns a request that passed the model check into the one form the simulated services read, once,
/// before the service runs (<see cref="SimulatedAccount.CallAsync"/>):
/// <list type="bullet">
/// <item>members named the Java SDK's way (<c>Ttl</c>, <c>DnsName</c>, <c>OkActions</c>, DynamoDB's
/// <c>Bool</c>, <c>Nul</c>, <c>Ss</c>) take the model's name with its first letter raised (<c>TTL</c>,
/// <c>DNSName</c>, <c>OKActions</c>, <c>BOOL</c>, <c>NULL</c>, <c>SS</c>), which is what the services and
/// dynalite read;</item>
/// <item>scalars the Java SDK converts get the model's type: a number or boolean for a string becomes
/// its text, <c>"10"</c> for a number becomes 10, <c>"true"</c> for a boolean becomes true.</item>
/// </list>
/// Objects and arrays are rebuilt only where something changes; a canonical request is returned as is.
/// </summary>
internal static class RequestNormalizer
{
    public static JObject Aggregate(ApiType type, JObject value)
    {
        JObjectBuilder? changed = null;
        var index = 0;
        foreach (var (name, memberValue) in value)
        {
            var key = name;
            var normalized = memberValue;
            if (type.FindMember(name) is { } member && memberValue is not JNull)
            {
                var modelName = member.AcceptedNames[^1];
                key = member.AcceptedNames.Count > 1 ? modelName : name;
                normalized = member.IsPayload && member.Type.Kind == ApiTypeKind.Blob ? memberValue : Value(member.Type, memberValue);
            }

            if (changed is null && (key != name || !ReferenceEquals(normalized, memberValue)))
            {
                changed = new JObjectBuilder(value.Count);
                foreach (var (k, v) in value.Take(index))
                {
                    changed.Add(k, v);
                }
            }

            changed?.Add(key, normalized);
            index++;
        }

        return changed?.Build() ?? value;
    }

    private static JValue Value(ApiType type, JValue value) => (type.Kind, value) switch
    {
        (ApiTypeKind.Structure or ApiTypeKind.Union, JObject o) => Aggregate(type, o),
        (ApiTypeKind.List, JArray items) => List(type.Element!, items),
        (ApiTypeKind.Map, JObject map) => Map(type.Value!, map),
        (ApiTypeKind.String, JNumber or JBool) => new JString(value.ToJson()),
        (ApiTypeKind.Number, JString s) when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => new JNumber(n),
        (ApiTypeKind.Boolean, JString s) when bool.TryParse(s.Value, out var b) => JBool.Of(b),
        _ => value,
    };

    private static JArray List(ApiType element, JArray items)
    {
        JValue[]? changed = null;
        for (var i = 0; i < items.Count; i++)
        {
            var normalized = items[i] is JNull ? items[i] : Value(element, items[i]);
            if (!ReferenceEquals(normalized, items[i]))
            {
                changed ??= [.. items];
                changed[i] = normalized;
            }
        }

        return changed is null ? items : JArray.From(changed);
    }

    private static JObject Map(ApiType valueType, JObject map)
    {
        JObjectBuilder? changed = null;
        var index = 0;
        foreach (var (key, entry) in map)
        {
            var normalized = entry is JNull ? entry : Value(valueType, entry);
            if (changed is null && !ReferenceEquals(normalized, entry))
            {
                changed = new JObjectBuilder(map.Count);
                foreach (var (k, v) in map.Take(index))
                {
                    changed.Add(k, v);
                }
            }

            changed?.Add(key, normalized);
            index++;
        }

        return changed?.Build() ?? map;
    }
}
