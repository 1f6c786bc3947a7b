using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws.Services.DynamoDb;

/// <summary>A table the world starts with: its CreateTable request, TTL attribute and preloaded items.</summary>
public sealed record DynamoDbSeedTable(string Name, JObject CreateTableRequest, string? TtlAttribute, IReadOnlyList<JObject> Items);

/// <summary>
/// Reads the <c>dynamodb</c> world section (see scenarios/README.md):
/// <code>
/// tables:
///   - name: bluegreen-upgrades
///     partitionKey: pk                  # a name (type S), or { name: pk, type: S|N|B }
///     sortKey: sk                       # optional, same forms
///     globalSecondaryIndexes:           # optional
///       - { name: byCluster, partitionKey: cluster, sortKey: startedAt, projection: ALL }
///     ttlAttribute: expiresAt           # optional
///     items: [ { pk: "...", sk: "...", attempts: 1 } ]   # plain values, converted like the Document client
/// </code>
/// Every problem is reported at once, as for the rest of a scenario.
/// </summary>
public static class DynamoDbWorld
{
    private static readonly HashSet<string> SectionKeys = ["tables"];
    private static readonly HashSet<string> TableKeys = ["name", "partitionKey", "sortKey", "globalSecondaryIndexes", "ttlAttribute", "items"];
    private static readonly HashSet<string> IndexKeys = ["name", "partitionKey", "sortKey", "projection"];

    /// <summary>
    /// Creates <paramref name="table"/> in the dynalite at <paramref name="endpoint"/>, waits until it is ACTIVE and puts its
    /// items. A table that exists already (kept on disk: <c>AccountOptions.DynamoDbDirectory</c>) is used as it is.
    /// </summary>
    public static async Task CreateAsync(Uri endpoint, string region, DynamoDbSeedTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        async Task<JObject> Send(string action, JObject request)
        {
            var response = await DynamoDbWire.SendAsync(endpoint, region, action, request.ToJson(), CancellationToken.None).ConfigureAwait(false);
            return response.IsSuccess
                ? (JObject)JValue.Parse(response.Body)
                : throw new StatesException(StatesErrors.Runtime, $"Could not seed the world's DynamoDB table '{table.Name}' ({action}): {response.Body}");
        }

        var existing = await DynamoDbWire.SendAsync(endpoint, region, "DescribeTable", JObject.Of(("TableName", table.Name)).ToJson(), CancellationToken.None).ConfigureAwait(false);
        if (!existing.IsSuccess)
        {
            await Send("CreateTable", table.CreateTableRequest).ConfigureAwait(false);
        }

        // Created with createTableMs 0, the table turns ACTIVE on dynalite's next tick; writes before then
        // would fail with ResourceNotFoundException, as on DynamoDB.
        for (var attempt = 0; ; attempt++)
        {
            var description = await Send("DescribeTable", JObject.Of(("TableName", table.Name))).ConfigureAwait(false);
            if (description.GetObject("Table")?.GetString("TableStatus") == "ACTIVE" || attempt == 250)
            {
                break;
            }

            await Task.Delay(2).ConfigureAwait(false);
        }

        foreach (var item in table.Items)
        {
            await Send("PutItem", JObject.Of(("TableName", table.Name), ("Item", item))).ConfigureAwait(false);
        }
    }

    public static IReadOnlyList<DynamoDbSeedTable> Parse(JObject section)
    {
        var problems = new List<string>();
        foreach (var key in section.Keys.Where(k => !SectionKeys.Contains(k)))
        {
            problems.Add($"dynamodb: unknown field '{key}' (allowed: {string.Join(", ", SectionKeys)})");
        }

        var tables = new List<DynamoDbSeedTable>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var list = section["tables"] switch
        {
            null => JArray.Empty,
            JArray a => a,
            _ => Problem(problems, "dynamodb.tables must be a list", JArray.Empty),
        };
        for (var i = 0; i < list.Count; i++)
        {
            var where = $"dynamodb.tables[{i}]";
            if (list[i] is not JObject table)
            {
                problems.Add($"{where} must be an object");
                continue;
            }

            if (ParseTable(table, where, problems) is { } parsed)
            {
                if (!names.Add(parsed.Name))
                {
                    problems.Add($"{where}: table '{parsed.Name}' is listed twice");
                }

                tables.Add(parsed);
            }
        }

        return problems.Count > 0
            ? throw new ScenarioException($"World section 'dynamodb':{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", problems)}")
            : tables;
    }

    /// <summary>A table with a string partition key and sort key, pay per request, optionally with a TTL attribute.</summary>
    public static DynamoDbSeedTable KeyValueTable(string name, string partitionKey, string sortKey, string? ttlAttribute,
        IReadOnlyList<(string Name, string PartitionKey, string SortKey, IReadOnlyList<string> Projected)>? indexes = null)
    {
        var table = new JObjectBuilder().Add("name", name).Add("partitionKey", partitionKey).Add("sortKey", sortKey);
        if (ttlAttribute is not null)
        {
            table.Add("ttlAttribute", ttlAttribute);
        }

        if (indexes is { Count: > 0 })
        {
            table.Add("globalSecondaryIndexes", JArray.From(indexes.Select(i => (JValue)JObject.Of(
                ("name", i.Name), ("partitionKey", i.PartitionKey), ("sortKey", i.SortKey),
                ("projection", i.Projected.Count == 0 ? "KEYS_ONLY" : JArray.From(i.Projected.Select(a => (JValue)a)))))));
        }

        var problems = new List<string>();
        return ParseTable(table.Build(), "table", problems)
            ?? throw new ArgumentException($"'{name}' is not a valid table: {string.Join("; ", problems)}", nameof(name));
    }

    /// <summary>Converts a plain JSON value to a DynamoDB attribute value (string S, number N, boolean BOOL, null NULL, array L, object M).</summary>
    public static JObject ToAttributeValue(JValue value) => value switch
    {
        JString s => JObject.Of(("S", s.Value)),
        JNumber n => JObject.Of(("N", n.ToJson())),
        JBool b => JObject.Of(("BOOL", b.Value)),
        JNull => JObject.Of(("NULL", true)),
        JArray a => JObject.Of(("L", JArray.From(a.Select(v => (JValue)ToAttributeValue(v))))),
        JObject o => JObject.Of(("M", ToItem(o))),
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    /// <summary>Converts a plain JSON object to a DynamoDB item (each member through <see cref="ToAttributeValue"/>).</summary>
    public static JObject ToItem(JObject plain) => JObject.From(plain.Select(m => new KeyValuePair<string, JValue>(m.Key, ToAttributeValue(m.Value))));

    /// <summary>
    /// The inverse of <see cref="ToAttributeValue"/>: a DynamoDB attribute value as plain JSON (sets become
    /// arrays; numbers become JSON numbers; binary stays Base64 text), for summaries people read.
    /// </summary>
    public static JValue FromAttributeValue(JObject attribute)
    {
        var (type, value) = attribute.Count == 1 ? attribute[0] : throw new ArgumentException($"Not a DynamoDB attribute value: {attribute.ToJson()}", nameof(attribute));
        return type switch
        {
            "S" or "B" => value,
            "N" => double.TryParse(value.AsString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) ? new JNumber(n) : value,
            "BOOL" => value,
            "NULL" => JNull.Instance,
            "L" => JArray.From(value.AsArray().Select(v => FromAttributeValue(v.AsObject()))),
            "M" => FromItem(value.AsObject()),
            "SS" or "BS" => value,
            "NS" => JArray.From(value.AsArray().Select(v => FromAttributeValue(JObject.Of(("N", v))))),
            _ => throw new ArgumentException($"Unknown DynamoDB type '{type}'.", nameof(attribute)),
        };
    }

    /// <summary>A DynamoDB item as a plain JSON object.</summary>
    public static JObject FromItem(JObject item) => JObject.From(item.Select(m => new KeyValuePair<string, JValue>(m.Key, FromAttributeValue(m.Value.AsObject()))));

    private static DynamoDbSeedTable? ParseTable(JObject table, string where, List<string> problems)
    {
        var before = problems.Count;
        foreach (var key in table.Keys.Where(k => !TableKeys.Contains(k)))
        {
            problems.Add($"{where}: unknown field '{key}' (allowed: {string.Join(", ", TableKeys)})");
        }

        var name = table.GetString("name");
        if (name is null)
        {
            problems.Add($"{where}: 'name' is required");
        }
        else if (name.Length is < 3 or > 255 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            problems.Add($"{where}: table name '{name}' must be 3 to 255 characters of a-z, A-Z, 0-9, '_', '-' and '.'");
        }

        var definitions = new Dictionary<string, string>(StringComparer.Ordinal);
        var keySchema = KeySchema(table, where, definitions, problems);
        var indexes = new List<JValue>();
        var indexList = table["globalSecondaryIndexes"] switch
        {
            null => JArray.Empty,
            JArray a => a,
            _ => Problem(problems, $"{where}.globalSecondaryIndexes must be a list", JArray.Empty),
        };
        for (var i = 0; i < indexList.Count; i++)
        {
            var indexWhere = $"{where}.globalSecondaryIndexes[{i}]";
            if (indexList[i] is not JObject index)
            {
                problems.Add($"{indexWhere} must be an object");
                continue;
            }

            foreach (var key in index.Keys.Where(k => !IndexKeys.Contains(k)))
            {
                problems.Add($"{indexWhere}: unknown field '{key}' (allowed: {string.Join(", ", IndexKeys)})");
            }

            var indexName = index.GetString("name");
            if (indexName is null)
            {
                problems.Add($"{indexWhere}: 'name' is required");
            }

            var indexKeys = KeySchema(index, indexWhere, definitions, problems);
            indexes.Add(JObject.Of(
                ("IndexName", indexName ?? string.Empty),
                ("KeySchema", indexKeys),
                ("Projection", Projection(index["projection"], indexWhere, problems))));
        }

        var ttl = table["ttlAttribute"];
        if (ttl is not null and not JString)
        {
            problems.Add($"{where}.ttlAttribute must be an attribute name");
        }

        var items = new List<JObject>();
        var itemList = table["items"] switch
        {
            null => JArray.Empty,
            JArray a => a,
            _ => Problem(problems, $"{where}.items must be a list", JArray.Empty),
        };
        for (var i = 0; i < itemList.Count; i++)
        {
            if (itemList[i] is not JObject item)
            {
                problems.Add($"{where}.items[{i}] must be an object");
                continue;
            }

            foreach (var key in keySchema.Select(k => k.AsObject().GetString("AttributeName")!).Where(k => !item.ContainsKey(k)))
            {
                problems.Add($"{where}.items[{i}] lacks the key attribute '{key}'");
            }

            items.Add(ToItem(item));
        }

        if (problems.Count > before || name is null)
        {
            return null;
        }

        var request = new JObjectBuilder()
            .Add("TableName", name)
            .Add("AttributeDefinitions", JArray.From(definitions.Select(d => (JValue)JObject.Of(("AttributeName", d.Key), ("AttributeType", d.Value)))))
            .Add("KeySchema", keySchema)
            .Add("BillingMode", "PAY_PER_REQUEST");
        if (indexes.Count > 0)
        {
            request.Add("GlobalSecondaryIndexes", JArray.From(indexes));
        }

        return new DynamoDbSeedTable(name, request.Build(), (ttl as JString)?.Value, items);
    }

    private static JArray KeySchema(JObject owner, string where, Dictionary<string, string> definitions, List<string> problems)
    {
        var schema = new List<JValue>();
        foreach (var (member, keyType) in (ReadOnlySpan<(string, string)>)[("partitionKey", "HASH"), ("sortKey", "RANGE")])
        {
            var value = owner[member];
            if (value is null)
            {
                if (keyType == "HASH")
                {
                    problems.Add($"{where}: 'partitionKey' is required");
                }

                continue;
            }

            var (name, type) = value switch
            {
                JString s => (s.Value, "S"),
                JObject o => (o.GetString("name"), o.GetString("type") ?? "S"),
                _ => (null, "S"),
            };
            if (name is null)
            {
                problems.Add($"{where}.{member} must be an attribute name or {{ name, type }}");
                continue;
            }

            if (type is not ("S" or "N" or "B"))
            {
                problems.Add($"{where}.{member}: type '{type}' is not a key type (S, N or B)");
                continue;
            }

            if (definitions.TryGetValue(name, out var existing) && existing != type)
            {
                problems.Add($"{where}.{member}: attribute '{name}' is declared both {existing} and {type}");
                continue;
            }

            definitions[name] = type;
            schema.Add(JObject.Of(("AttributeName", name), ("KeyType", keyType)));
        }

        return JArray.From(schema);
    }

    private static JObject Projection(JValue? value, string where, List<string> problems) => value switch
    {
        null or JString { Value: "ALL" } => JObject.Of(("ProjectionType", "ALL")),
        JString { Value: "KEYS_ONLY" } => JObject.Of(("ProjectionType", "KEYS_ONLY")),
        JArray a when a.All(v => v is JString) && a.Count > 0 => JObject.Of(("ProjectionType", "INCLUDE"), ("NonKeyAttributes", a)),
        _ => Problem(problems, $"{where}.projection must be ALL, KEYS_ONLY or a list of attribute names", JObject.Empty),
    };

    private static T Problem<T>(List<string> problems, string message, T fallback)
    {
        problems.Add(message);
        return fallback;
    }
}
