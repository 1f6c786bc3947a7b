using System.Text.Json;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Reporting;

namespace BlueGreen.Functions.Serialization;

/// <summary>
/// The run record's structured attributes (<see cref="RunRecordAttributes"/>): the plan, preflight's warnings and, for a
/// dry run, Green's spec, each serialized exactly as the handlers write them and marshalled to DynamoDB attribute values.
/// </summary>
public static class RunRecordAttributesWriter
{
    public static RunRecordAttributes Of(DescribePlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = FunctionsJsonContext.Default;
        return new RunRecordAttributes
        {
            Plan = AttributeValues.FromPlain(JsonSerializer.SerializeToElement(request.Plan, context.UpgradePlan), "plan"),
            GreenSpec = request.Plan.DryRun ? AttributeValues.FromPlain(RecordedSpec(request.GreenSpec), "greenSpec") : null,
            PreflightWarnings = AttributeValues.FromPlain(JsonSerializer.SerializeToElement(request.Preflight.Warnings, context.IReadOnlyListString), "preflightWarnings"),
        };
    }

    /// <summary>
    /// Green's spec as the record keeps it: without what every create request repeats (the run's tags, kept once on
    /// <c>createCluster</c>, and each request's idempotency token). For large-blue (110 access entries, 130 Pod Identity
    /// associations) that is 70 KB of attribute values instead of 134 KB, which keeps the dry run's largest state (the plain
    /// spec and the record side by side) at 194 KB instead of 257 KB, well under Step Functions' 256 KiB.
    /// </summary>
    public static JsonElement RecordedSpec(GreenSpec.GreenSpecification spec)
    {
        var node = JsonSerializer.SerializeToNode(spec, FunctionsJsonContext.Default.GreenSpecification)!;
        Strip(node, keepTags: false);
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    private static void Strip(System.Text.Json.Nodes.JsonNode? node, bool keepTags)
    {
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject o:
                o.Remove("ClientRequestToken");
                if (!keepTags)
                {
                    o.Remove("Tags");
                }

                foreach (var (name, child) in o.ToList())
                {
                    Strip(child, keepTags: name == "createCluster");
                }

                break;
            case System.Text.Json.Nodes.JsonArray a:
                foreach (var item in a)
                {
                    Strip(item, keepTags: false);
                }

                break;
        }
    }
}
