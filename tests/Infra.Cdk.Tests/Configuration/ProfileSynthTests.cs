using System.Text.Json;
using BlueGreen.Functions;
using BlueGreen.Infra.Cdk.Tests.Support;

namespace BlueGreen.Infra.Cdk.Tests.Configuration;

/// <summary>profiles/*.json are validated at synth: a bad profile stops the stack with every problem listed.</summary>
[Collection(CdkCollection.Name)]
public sealed class ProfileSynthTests(SynthesizedStacks stacks)
{
    [Fact]
    public void BadProfiles_StopSynthesis_ListingEveryProblemOfEveryFile()
    {
        var dir = Directory.CreateTempSubdirectory("bluegreen-profiles-");
        try
        {
            File.Copy(Path.Combine(BuildPaths.ProfilesDirectory, "shop-alb-canary.json"), Path.Combine(dir.FullName, "shop-alb-canary.json"));
            File.WriteAllText(Path.Combine(dir.FullName, "a-bad.json"), """
                {"name":"bad","match":{"clusterNames":["x-*"],"versions":["1.34"]},"schedule":"schedule","target":"1.33",
                 "timeZone":"Asia/Gotham","windows":[{"days":["SAT"],"start":"22:00","hours":1}],"runHours":2,"colour":"blue",
                 "upgrade":{"traffic":{"type":"alb"},"alarms":{"names":["x"]}}}
                """);
            File.WriteAllText(Path.Combine(dir.FullName, "b-broken.json"), "{ not json");
            var app = new Amazon.CDK.App(new Amazon.CDK.AppProps { Outdir = Path.Combine(dir.FullName, "cdk.out") });

            var e = Assert.Throws<InvalidProfile>(() => new UpgradeStack(app, "BadProfiles", stacks.Defaults.Settings,
                new StackInputs(BuildPaths.StateMachinesDirectory, BuildPaths.HandlersDirectory, dir.FullName)));

            Assert.Contains(e.Problems, p => p.Contains("a-bad.json: colour: unknown field", StringComparison.Ordinal));
            Assert.Contains(e.Problems, p => p.EndsWith("a-bad.json: timeZone: \"Asia/Gotham\" is not an IANA time zone name (like \"Asia/Seoul\" or \"UTC\")", StringComparison.Ordinal));
            Assert.Contains(e.Problems, p => p.Contains("a-bad.json: target: the pinned version 1.33 is not newer than 1.34", StringComparison.Ordinal));
            Assert.Contains(e.Problems, p => p.Contains("a-bad.json: windows[0].hours: the window is 1 h but a run needs runHours = 2 h", StringComparison.Ordinal));
            Assert.Contains(e.Problems, p => p.Contains("a-bad.json: upgrade.traffic.listenerArn: required", StringComparison.Ordinal));
            Assert.Contains(e.Problems, p => p.Contains("b-broken.json: not valid JSON", StringComparison.Ordinal));
            Assert.DoesNotContain(e.Problems, p => p.Contains("shop-alb-canary.json", StringComparison.Ordinal));
            Assert.StartsWith($"The upgrade profiles have {e.Problems.Count} problems:", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void RepositoryProfiles_AreReadIntoTheManifest_AsTextADefinitionStringCanCarry()
    {
        var profiles = stacks.Defaults.Stack.Manifest.Profiles;

        using var array = JsonDocument.Parse(profiles.Json);
        Assert.Equal(["payments-route53", "platform-notify", "shop-alb-canary"], array.RootElement.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(profiles.Profiles.Select(p => p.Name), array.RootElement.EnumerateArray().Select(p => p.GetProperty("name").GetString()));

        // The substitution stands inside a JSON string of the definition; States.StringToJson gives the array back.
        using var literal = JsonDocument.Parse("\"" + profiles.AsJsonStringContent() + "\"");
        Assert.Equal(profiles.Json, literal.RootElement.GetString());
    }
}
