using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>Tags of any EKS resource by ARN: ListTagsForResource and TagResource (whose validation errors are BadRequestException).</summary>
internal sealed class EksTags(EksStore store) : EksResource(store)
{
    /// <summary>The tag map of the resource named by <paramref name="arn"/>: a cluster, node group, add-on, association or access entry.</summary>
    public Dictionary<string, string> TagsOf(string arn)
    {
        if (!arn.StartsWith("arn:aws:eks:", StringComparison.Ordinal))
        {
            throw new AwsServiceException("BadRequestException", $"Invalid ARN: {arn}");
        }

        foreach (var c in Clusters.Values)
        {
            if (c.Arn == arn)
            {
                return c.Tags;
            }

            var tags = c.Nodegroups.Values.FirstOrDefault(n => n.Arn == arn)?.Tags
                ?? c.Addons.Values.FirstOrDefault(a => a.Arn == arn)?.Tags
                ?? c.PodIdentityAssociations.Values.FirstOrDefault(a => a.Arn == arn)?.Tags
                ?? c.AccessEntries.Values.FirstOrDefault(a => a.Arn == arn)?.Tags;
            if (tags is not null)
            {
                return tags;
            }
        }

        throw new AwsServiceException("NotFoundException", $"Resource not found: {arn}");
    }

    public JObject ListTagsForResource(JObject parameters, AwsCallContext context) =>
        JObject.Of(("Tags", EksWire.StringMap(TagsOf(Read(parameters).RequiredString("ResourceArn")))));

    public JObject TagResource(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var tags = TagsOf(p.RequiredString("ResourceArn"));
        Dictionary<string, string> added;
        try
        {
            added = ReadTags(p.OptionalObject("Tags") ?? throw Invalid("Missing required parameter Tags."));
        }
        catch (AwsServiceException e) when (e.Code == Store.Service.ValidationErrorCode)
        {
            throw new AwsServiceException("BadRequestException", e.Message);
        }

        if (tags.Keys.Union(added.Keys).Count() > 50)
        {
            throw new AwsServiceException("BadRequestException", "The number of tags exceeds the limit of 50.");
        }

        foreach (var (key, value) in added)
        {
            tags[key] = value;
        }

        return JObject.Empty;
    }
}
