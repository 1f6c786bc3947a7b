using System.Text.Json.Nodes;

namespace BlueGreen.Infra.Cdk.Tests.Support;

/// <summary>
/// Reads a synthesized CloudFormation template: resources by type, and intrinsic functions resolved to readable
/// strings (pseudo parameters become the test account's values, a Ref or GetAtt becomes <c>${LogicalId}</c>).
/// </summary>
public sealed class TemplateJson(JsonObject template, string account, string region)
{
    public JsonObject Root { get; } = template;

    public IEnumerable<(string Id, JsonObject Properties)> Resources(string type) =>
        Root["Resources"]!.AsObject()
            .Where(r => (string?)r.Value!["Type"] == type)
            .Select(r => (r.Key, r.Value!["Properties"] as JsonObject ?? []));

    public JsonObject Resource(string logicalId) => Root["Resources"]![logicalId]!.AsObject();

    /// <summary>A string, or an intrinsic function of strings, as text.</summary>
    public string Text(JsonNode? node) => node switch
    {
        JsonValue v => v.ToString(),
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Join((string)join[0]!, join[1]!.AsArray().Select(Text)),
        JsonObject o when o["Ref"] is JsonValue r => (string)r! switch
        {
            "AWS::Partition" => "aws",
            "AWS::Region" => region,
            "AWS::AccountId" => account,
            "AWS::URLSuffix" => "amazonaws.com",
            var id => "${" + id + "}",
        },
        JsonObject o when o["Fn::GetAtt"] is JsonArray att => "${" + (string)att[0]! + "." + (string)att[1]! + "}",
        JsonObject o when o["Fn::Sub"] is JsonValue sub => ((string)sub!).Replace("${AWS::AccountId}", account, StringComparison.Ordinal).Replace("${AWS::Region}", region, StringComparison.Ordinal),
        null => "",
        _ => node.ToJsonString(),
    };

    /// <summary>A value that is one item or a list (Action, Resource) as a list of texts.</summary>
    public IReadOnlyList<string> Texts(JsonNode? node) => node is JsonArray a ? a.Select(Text).ToList() : node is null ? [] : [Text(node)];

    /// <summary>Every policy document in the template: where it is, and its statements.</summary>
    public IEnumerable<(string Where, JsonObject Statement)> AllStatements()
    {
        foreach (var (id, resource) in Root["Resources"]!.AsObject())
        {
            foreach (var (path, doc) in PolicyDocuments(resource!["Properties"]))
            {
                foreach (var statement in Statements(doc))
                {
                    yield return ($"{id} {(string?)resource["Type"]} {path}", statement);
                }
            }
        }
    }

    public static IEnumerable<JsonObject> Statements(JsonNode? document) =>
        document?["Statement"] switch
        {
            JsonArray a => a.OfType<JsonObject>(),
            JsonObject o => [o],
            _ => [],
        };

    private static IEnumerable<(string Path, JsonNode Document)> PolicyDocuments(JsonNode? node, string path = "")
    {
        switch (node)
        {
            case JsonObject o when o.ContainsKey("Statement") && o.ContainsKey("Version"):
                yield return (path, o);
                break;
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    foreach (var found in PolicyDocuments(value, path + "/" + key))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var found in PolicyDocuments(a[i], $"{path}/{i}"))
                    {
                        yield return found;
                    }
                }

                break;
        }
    }
}
