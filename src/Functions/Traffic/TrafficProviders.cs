using System.Text.Json.Serialization;

namespace BlueGreen.Functions.Traffic;

// The one file a new traffic provider is registered in (docs/adding-a-traffic-provider.md): its provider object in
// TrafficProviders.All, and its plan, Blue share, reading and weight-change request as derived types of the four
// contracts below. Each contract is written as JSON with the provider's type first; the state machines pass them on
// whole and only the provider's adapter (statemachines/traffic-{type}.asl.json) looks inside.

/// <summary>Every traffic provider, by its <c>type</c>.</summary>
internal static class TrafficProviders
{
    public static IReadOnlyList<ITrafficProvider> All { get; } = [new AlbTrafficProvider(), new Route53TrafficProvider()];

    /// <summary>The provider of <paramref name="type"/>, or null for a type no provider has.</summary>
    public static ITrafficProvider? Find(string? type) => All.FirstOrDefault(p => p.Type == type);

    /// <summary>The provider of a plan (every plan type has one).</summary>
    public static ITrafficProvider For(TrafficPlan traffic)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        return Find(traffic.Type) ?? throw new InvalidInput($"plan.traffic.type: unknown traffic type \"{traffic.Type}\"");
    }

    /// <summary>The provider of a decommission's Blue share.</summary>
    public static ITrafficProvider For(BlueShare blue)
    {
        ArgumentNullException.ThrowIfNull(blue);
        return Find(blue.Type) ?? throw new InvalidInput($"traffic.type: unknown traffic type \"{blue.Type}\"");
    }

    /// <summary>Every member any provider reads (so a wrong <c>type</c> does not also call its other members unknown).</summary>
    public static IEnumerable<string> AllMembers => All.SelectMany(p => p.Members).Distinct(StringComparer.Ordinal);
}

/// <summary>How traffic reaches Blue and Green, as the execution input names it: the plan's <c>traffic</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(AlbTrafficPlan), AlbTrafficProvider.TypeName)]
[JsonDerivedType(typeof(Route53TrafficPlan), Route53TrafficProvider.TypeName)]
public abstract record TrafficPlan
{
    /// <summary>The provider's name; written as the discriminator.</summary>
    [JsonIgnore]
    public abstract string Type { get; }
}

/// <summary>
/// The part of the traffic plan that finds Blue's share again: what the decommission input carries, so the decommission
/// can refuse while Blue still gets traffic. Older inputs that also carry the other provider's members as null read the same.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(AlbBlueShare), AlbTrafficProvider.TypeName)]
[JsonDerivedType(typeof(Route53BlueShare), Route53TrafficProvider.TypeName)]
public abstract record BlueShare
{
    [JsonIgnore]
    public abstract string Type { get; }
}

/// <summary>
/// The traffic wiring as the provider's adapter read it (operation <c>read</c>, or <c>inspect</c>, which adds who owns
/// it): the adapter's whole output. Callers pass it on as <c>current</c>, so none of them names a provider's members.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(AlbTrafficReading), AlbTrafficProvider.TypeName)]
[JsonDerivedType(typeof(Route53TrafficReading), Route53TrafficProvider.TypeName)]
public abstract record TrafficReading
{
    [JsonIgnore]
    public abstract string Type { get; }
}

/// <summary>
/// The parameters of the one API call that changes weights, written exactly as the SDK integration takes them: the
/// adapter passes <c>$.change.request</c> on unchanged. Serialized as the derived type without a discriminator (AWS would
/// refuse an unknown member); nothing reads one back.
/// </summary>
[JsonDerivedType(typeof(ModifyRuleRequest))]
[JsonDerivedType(typeof(ModifyListenerRequest))]
[JsonDerivedType(typeof(ChangeResourceRecordSetsRequest))]
public abstract record TrafficApiRequest;
