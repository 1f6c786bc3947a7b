namespace BlueGreen.Functions.Traffic;

/// <summary>Every traffic provider, by its <c>type</c>. A new provider is registered here (and as a JsonDerivedType of the plans).</summary>
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
