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
            GreenSpec = request.Plan.DryRun ? AttributeValues.FromPlain(JsonSerializer.SerializeToElement(request.GreenSpec, context.GreenSpecification), "greenSpec") : null,
            PreflightWarnings = AttributeValues.FromPlain(JsonSerializer.SerializeToElement(request.Preflight.Warnings, context.IReadOnlyListString), "preflightWarnings"),
        };
    }
}
