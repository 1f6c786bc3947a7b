using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Route53;

/// <summary>
/// Record sets: ListResourceRecordSets (in Route 53's order), ChangeResourceRecordSets (a batch checked and applied
/// atomically, PENDING until it propagates) and GetChange, with the checks and error wording of Route 53.
/// </summary>
public sealed partial class Route53Service
{
    /// <summary>
    /// Route 53 lists record sets "sorted by DNS name with the labels reversed, then by type" (and set
    /// identifier), and pages with StartRecordName / StartRecordType / StartRecordIdentifier, each of which
    /// needs the one before it.
    /// </summary>
    private JObject ListResourceRecordSets(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var zone = FindZone(p.RequiredString("HostedZoneId"));
        var max = Math.Min(MaxItems(parameters, 300), 300);
        var startName = p.OptionalString("StartRecordName");
        var startType = p.OptionalString("StartRecordType");
        var startId = p.OptionalString("StartRecordIdentifier");
        if (startType is not null && startName is null)
        {
            throw Invalid("The input is not valid: StartRecordType requires StartRecordName.");
        }

        if (startId is not null && startType is null)
        {
            throw Invalid("The input is not valid: StartRecordIdentifier requires StartRecordType.");
        }

        if (startType is not null && !RecordTypes.Contains(startType))
        {
            throw Invalid($"Invalid type: {startType}");
        }

        var ordered = zone.Records.OrderBy(r => r, RecordOrder.Instance).ToList();
        var start = 0;
        if (startName is not null)
        {
            var probe = new JObjectBuilder().Add("Name", Fqdn(startName)).Add("Type", startType ?? string.Empty).Maybe("SetIdentifier", startId).Build();
            start = ordered.FindIndex(r => RecordOrder.Instance.Compare(r, probe) >= 0);
            start = start < 0 ? ordered.Count : start;
        }

        var page = ordered.Skip(start).Take(max).ToList();
        var truncated = start + max < ordered.Count;
        var builder = new JObjectBuilder()
            .Add("ResourceRecordSets", JArray.From(page.Select(r => (JValue)r)))
            .Add("IsTruncated", truncated);
        if (truncated)
        {
            var next = ordered[start + max];
            builder.Add("NextRecordName", next.GetString("Name")!).Add("NextRecordType", next.GetString("Type")!).Maybe("NextRecordIdentifier", next.GetString("SetIdentifier"));
        }

        return builder.Add("MaxItems", max).Build();
    }

    /// <summary>
    /// Applies a change batch atomically. Every change is first checked on its own (InvalidInput, the first
    /// problem), then the batch is applied in order to a working copy of the zone, collecting every
    /// InvalidChangeBatch message; the zone changes only when the whole batch is valid.
    /// </summary>
    private JObject ChangeResourceRecordSets(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var zone = FindZone(p.RequiredString("HostedZoneId"));
        var batch = p.OptionalObject("ChangeBatch") ?? throw Invalid("1 validation error detected: Value null at 'changeBatch' failed to satisfy constraint: Member must not be null");
        var changes = batch.GetArray("Changes") ?? JArray.Empty;
        if (changes.Count == 0)
        {
            throw Invalid("1 validation error detected: Value '[]' at 'changeBatch.changes' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }

        if (RejectChangesWhilePending && _changes.Values.Any(c => c.ZoneId == zone.Id && c.Status == "PENDING"))
        {
            throw new AwsServiceException("PriorRequestNotComplete", "The request was rejected because Route 53 was still processing a prior request.");
        }

        var parsed = new List<(string Action, JObject Record, string Context)>();
        for (var i = 0; i < changes.Count; i++)
        {
            parsed.Add(CheckChange(changes[i] as JObject ?? throw Invalid($"1 validation error detected: Value at 'changeBatch.changes.{i + 1}.member' failed to satisfy constraint: Member must be a structure"), i + 1));
        }

        var working = zone.Records.ToList();
        var messages = new List<string>();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (action, record, _) in parsed)
        {
            if (Apply(zone, working, action, record, touched) is { } message)
            {
                messages.Add(message);
            }
        }

        if (messages.Count > 0)
        {
            throw new AwsServiceException("InvalidChangeBatch", "[" + string.Join(", ", messages) + "]");
        }

        zone.Records = working;
        var sequence = ++_changeSequence;
        var change = new ChangeModel
        {
            Id = "C" + Ids.StableUpper($"change:{Account.AccountId}:{zone.Id}:{sequence}", 20),
            ZoneId = zone.Id,
            SubmittedAt = context.Now,
            Comment = batch.GetString("Comment"),
            Sequence = sequence,
            Snapshot = working,
        };
        _changes[change.Id] = change;
        Account.Scheduler.Schedule(context.Now + PropagationDelay, () => Propagated(zone, change));
        return JObject.Of(("ChangeInfo", change.ToJson()));
    }

    private JObject GetChange(JObject parameters, AwsCallContext context)
    {
        var id = BareId(Read(parameters).RequiredString("Id"), "change");
        return _changes.TryGetValue(id, out var change)
            ? JObject.Of(("ChangeInfo", change.ToJson()))
            : throw new AwsServiceException("NoSuchChange", $"A change with the specified change ID does not exist: {id}");
    }

    private void Propagated(HostedZoneModel zone, ChangeModel change)
    {
        change.Status = "INSYNC";
        if (change.Sequence > zone.ServedSequence)
        {
            zone.Served = change.Snapshot;
            zone.ServedSequence = change.Sequence;
            WeightsChanged?.Invoke();
        }
    }

    /// <summary>The per-change checks Route 53 answers with InvalidInput, and the record in canonical form.</summary>
    private (string Action, JObject Record, string Context) CheckChange(JObject change, int index)
    {
        var action = change.GetString("Action") ?? throw Invalid($"1 validation error detected: Value null at 'changeBatch.changes.{index}.member.action' failed to satisfy constraint: Member must not be null");
        if (action is not ("CREATE" or "DELETE" or "UPSERT"))
        {
            throw Invalid($"1 validation error detected: Value '{action}' at 'changeBatch.changes.{index}.member.action' failed to satisfy constraint: Member must satisfy enum value set: [CREATE, DELETE, UPSERT]");
        }

        var record = change.GetObject("ResourceRecordSet") ?? throw Invalid($"1 validation error detected: Value null at 'changeBatch.changes.{index}.member.resourceRecordSet' failed to satisfy constraint: Member must not be null");
        var name = record.GetString("Name") ?? throw Invalid($"1 validation error detected: Value null at 'changeBatch.changes.{index}.member.resourceRecordSet.name' failed to satisfy constraint: Member must not be null");
        var type = record.GetString("Type") ?? throw Invalid($"1 validation error detected: Value null at 'changeBatch.changes.{index}.member.resourceRecordSet.type' failed to satisfy constraint: Member must not be null");
        var where = $"in Change with [Action={action}, Name={name}, Type={type}, SetIdentifier={record.GetString("SetIdentifier") ?? "null"}]";
        if (!RecordTypes.Contains(type))
        {
            throw Invalid($"1 validation error detected: Value '{type}' at 'changeBatch.changes.{index}.member.resourceRecordSet.type' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", RecordTypes)}]");
        }

        if (ServiceFormats.Number(record["Weight"]) is { } weight && (weight < 0 || weight > MaxWeight))
        {
            throw Invalid(weight < 0
                ? $"1 validation error detected: Value '{weight.ToString(CultureInfo.InvariantCulture)}' at 'changeBatch.changes.{index}.member.resourceRecordSet.weight' failed to satisfy constraint: Member must have value greater than or equal to 0"
                : $"1 validation error detected: Value '{weight.ToString(CultureInfo.InvariantCulture)}' at 'changeBatch.changes.{index}.member.resourceRecordSet.weight' failed to satisfy constraint: Member must have value less than or equal to {MaxWeight}");
        }

        if (ServiceFormats.Number(record["TTL"]) is { } ttl && (ttl < 0 || ttl > int.MaxValue))
        {
            throw Invalid($"1 validation error detected: Value '{ttl.ToString(CultureInfo.InvariantCulture)}' at 'changeBatch.changes.{index}.member.resourceRecordSet.tTL' failed to satisfy constraint: Member must have value between 0 and 2147483647");
        }

        // Exactly one way of answering: an alias, TTL plus values, or a traffic policy instance.
        var alias = record.ContainsKey("AliasTarget");
        var hasTtl = record.ContainsKey("TTL");
        var hasValues = record.GetArray("ResourceRecords") is { Count: > 0 };
        var policy = record.ContainsKey("TrafficPolicyInstanceId");
        var answers = (alias ? 1 : 0) + (hasTtl && hasValues ? 1 : 0) + (policy ? 1 : 0);
        if (answers > 1 || (alias && (hasTtl || hasValues)))
        {
            throw Invalid($"Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found more than one {where}");
        }

        if (answers == 0)
        {
            throw Invalid($"Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none {where}");
        }

        if (alias && record.GetObject("AliasTarget") is var target && (target?.GetString("HostedZoneId") is null || target.GetString("DNSName") is null || target.GetBool("EvaluateTargetHealth") is null))
        {
            throw Invalid($"Invalid request: AliasTarget needs HostedZoneId, DNSName and EvaluateTargetHealth {where}");
        }

        // Routing policies: a set identifier needs exactly one, and each needs a set identifier.
        var policies = RoutingPolicyMembers.Count(record.ContainsKey);
        var setId = record.GetString("SetIdentifier");
        if (setId is not null && policies == 0)
        {
            throw Invalid($"Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, or MultiValueAnswer], but found none {where}");
        }

        if (policies > 1)
        {
            throw Invalid($"Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, or MultiValueAnswer], but found more than one {where}");
        }

        if (setId is null && policies == 1)
        {
            throw Invalid($"Invalid request: Missing field 'SetIdentifier' {where}");
        }

        if (setId is { Length: 0 or > 128 })
        {
            throw Invalid($"1 validation error detected: Value '{setId}' at 'changeBatch.changes.{index}.member.resourceRecordSet.setIdentifier' failed to satisfy constraint: Member must have length between 1 and 128");
        }

        return (action, Canonical(record), where);
    }

    /// <summary>Applies one change to <paramref name="records"/>; returns Route 53's InvalidChangeBatch message, or null.</summary>
    private static string? Apply(HostedZoneModel zone, List<JObject> records, string action, JObject record, HashSet<string> touched)
    {
        var name = record.GetString("Name")!;
        var type = record.GetString("Type")!;
        var setId = record.GetString("SetIdentifier");
        var described = $"[name='{name}', type='{type}'{(setId is null ? string.Empty : $", set-identifier='{setId}'")}]";
        if (name != zone.Name && !name.EndsWith("." + zone.Name, StringComparison.Ordinal))
        {
            return $"RRSet with DNS name {name} is not permitted in zone {zone.Name}";
        }

        var key = HostedZoneModel.RecordKey(record);
        var existing = records.FindIndex(r => HostedZoneModel.RecordKey(r) == key);
        if (action == "DELETE")
        {
            touched.Remove(key);
            if (existing < 0)
            {
                return $"Tried to delete resource record set {described} but it was not found";
            }

            if (!SameValues(records[existing], record))
            {
                return $"Tried to delete resource record set {described} but the values provided do not match the current values";
            }

            records.RemoveAt(existing);
            return null;
        }

        if (!touched.Add(key))
        {
            return $"The request contains an invalid set of changes for a resource record set '{type} {name}'";
        }

        if (action == "CREATE" && existing >= 0)
        {
            return $"Tried to create resource record set {described} but it already exists";
        }

        var sameName = records.Where(r => r.GetString("Name") == name && HostedZoneModel.RecordKey(r) != key).ToList();
        if (type == "CNAME" ? sameName.Any(r => r.GetString("Type") != "CNAME") : sameName.Any(r => r.GetString("Type") == "CNAME"))
        {
            return $"RRSet of type {type} with DNS name {name} is not permitted as it conflicts with other records with the same DNS name in zone {zone.Name}";
        }

        var sameType = sameName.Where(r => r.GetString("Type") == type).ToList();
        if (setId is null && sameType.Count > 0)
        {
            return $"RRSet with DNS name {name} and type {type} cannot be created as a non-weighted set exists with the same name and type";
        }

        if (setId is not null && sameType.Any(r => r.GetString("SetIdentifier") is null))
        {
            return $"RRSet with DNS name {name}, type {type}, SetIdentifier {setId} cannot be created because a non-weighted set exists with the same name and type";
        }

        if (setId is not null && sameType.Any(r => !RoutingPolicyMembers.Where(r.ContainsKey).SequenceEqual(RoutingPolicyMembers.Where(record.ContainsKey))))
        {
            return $"RRSet with DNS name {name}, type {type}, SetIdentifier {setId} cannot be created because a set with a different routing policy exists with the same name and type";
        }

        if (existing >= 0)
        {
            records[existing] = record;
        }
        else
        {
            records.Add(record);
        }

        return null;
    }

    private static bool SameValues(JObject current, JObject requested) => Comparable(current).Equals(Comparable(requested));

    private static JObject Comparable(JObject record) =>
        record.GetArray("ResourceRecords") is { } values
            ? record.With("ResourceRecords", JArray.From(values.OfType<JObject>().OrderBy(v => v.GetString("Value"), StringComparer.Ordinal)))
            : record;

    /// <summary>A record set as Route 53 stores and returns it: lower-case FQDNs, members in API order.</summary>
    private static JObject Canonical(JObject record)
    {
        var builder = new JObjectBuilder();
        foreach (var member in MemberOrder)
        {
            if (!record.TryGet(member, out var value))
            {
                continue;
            }

            builder.Add(member, member switch
            {
                "Name" => Fqdn(value.AsString()),
                "Weight" or "TTL" => ServiceFormats.Number(value) ?? 0,
                "AliasTarget" => JObject.Of(
                    ("HostedZoneId", value.AsObject().GetString("HostedZoneId")!),
                    ("DNSName", Fqdn(value.AsObject().GetString("DNSName")!)),
                    ("EvaluateTargetHealth", value.AsObject().GetBool("EvaluateTargetHealth") ?? false)),
                _ => value,
            });
        }

        return builder.Build();
    }
}
