using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BlueGreen.Functions.Tests.Support;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Tests.Traffic;

/// <summary>
/// A traffic provider is one class and one adapter state machine, registered in one place
/// (docs/adding-a-traffic-provider.md). These tests fail, naming what is missing, when a step of that list is forgotten.
/// </summary>
public sealed class TrafficProviderRegistrationTests
{
    private static readonly string[] Operations = ["read", "inspect", "apply"];

    public static TheoryData<string> Types => new(TrafficProviders.All.Select(p => p.Type));

    [Theory]
    [MemberData(nameof(Types))]
    public void EveryProvider_HasAnAdapter_ThatReadsInspectsAndApplies(string type)
    {
        var path = $"statemachines/traffic-{type}.asl.json";
        Assert.True(File.Exists(Repository.PathOf(path)), $"{path} is missing: every provider needs its adapter state machine");
        var states = JsonNode.Parse(Repository.Read(path))!["States"]!.AsObject();

        var asked = states.Select(s => s.Value!.AsObject()).First(s => (string?)s["Type"] == "Choice");
        var operations = asked.ToJsonString();
        Assert.All(Operations, o => Assert.Contains($"\"StringEquals\":\"{o}\"", operations, StringComparison.Ordinal));
        // What read and inspect return is the provider's reading, which the functions read by its type.
        var results = states.Select(s => s.Value!["ResultSelector"]).OfType<JsonObject>().ToList();
        Assert.Contains(results, r => (string?)r["type"] == type);
    }

    [Fact]
    public void EveryAdapterFile_BelongsToAProvider()
    {
        var adapters = Directory.GetFiles(Repository.PathOf("statemachines"), "traffic-*.asl.json")
            .Select(f => Path.GetFileName(f)["traffic-".Length..^".asl.json".Length]);

        Assert.All(adapters, type => Assert.True(TrafficProviders.Find(type) is not null, $"statemachines/traffic-{type}.asl.json has no provider in TrafficProviders.All"));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void EveryProvider_IsInTheInputSchema_WithTheMembersItReads(string type)
    {
        var schema = JsonNode.Parse(Repository.Read("statemachines/upgrade.input.schema.json"))!;
        var definitions = schema["properties"]!["traffic"]!["oneOf"]!.AsArray()
            .Select(o => schema["$defs"]![((string)o!["$ref"]!)["#/$defs/".Length..]]!.AsObject());

        var own = definitions.SingleOrDefault(d => (string?)d["properties"]!["type"]!["const"] == type);

        Assert.True(own is not null, $"upgrade.input.schema.json's traffic.oneOf has no object with type \"{type}\"");
        Assert.Equal(
            TrafficProviders.Find(type)!.Members.Order(StringComparer.Ordinal),
            own["properties"]!.AsObject().Select(p => p.Key).Where(k => k != "type").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(typeof(TrafficPlan))]
    [InlineData(typeof(BlueShare))]
    [InlineData(typeof(TrafficReading))]
    public void EveryProvider_RegistersItsOwnType_OfEachContract(Type contract)
    {
        var registered = contract.GetCustomAttributes<JsonDerivedTypeAttribute>().ToDictionary(a => (string)a.TypeDiscriminator!, a => a.DerivedType);

        Assert.Equal(TrafficProviders.All.Select(p => p.Type).Order(StringComparer.Ordinal), registered.Keys.Order(StringComparer.Ordinal));
        Assert.All(registered, r => Assert.Equal(r.Key, ((dynamic)Activator.CreateInstance(r.Value)!).Type));
    }
}
