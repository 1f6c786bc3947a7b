using System.Reflection;
using System.Runtime.CompilerServices;
using BlueGreen.Deployment;

namespace BlueGreen.Infra.Cdk.Tests.Architecture;

/// <summary>
/// One name, one type: a reader who meets <c>EksCluster</c> or <c>StateMachineDefinition</c> anywhere in the product
/// should not have to check which assembly it comes from. The check lives here because this is the one test project
/// that references every product assembly.
/// </summary>
public class TypeNameTests
{
    private static readonly Assembly[] ProductAssemblies =
    [
        typeof(BlueGreen.Functions.WorkflowError).Assembly,
        typeof(DeploymentManifest).Assembly,
        typeof(BlueGreen.LambdaRuntime.ManagedDotnetRuntime).Assembly,
        typeof(BlueGreen.Simulator.Asl.LocalRunner).Assembly,
        typeof(BlueGreen.Simulator.Aws.SimulatedAccount).Assembly,
        typeof(BlueGreen.Simulator.Program).Assembly,
        typeof(UpgradeStack).Assembly,
    ];

    /// <summary>Names two product types may still share, each with the reason. Keep it short.</summary>
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
    };

    [Fact]
    public void ProductTypes_HaveDistinctSimpleNames()
    {
        var shared = ProductAssemblies
            .SelectMany(a => a.GetTypes())
            .Where(IsNamedByHand)
            .GroupBy(SimpleName, StringComparer.Ordinal)
            .Where(g => g.Count() > 1 && !Allowed.ContainsKey(g.Key))
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(t => $"{t.FullName} ({t.Assembly.GetName().Name})").Order(StringComparer.Ordinal))}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(shared.Count == 0, "Types that share a name:" + string.Concat(shared.Select(s => Environment.NewLine + "- " + s)));
    }

    [Fact]
    public void AllowList_NamesOnlyNamesStillShared()
    {
        var counts = ProductAssemblies.SelectMany(a => a.GetTypes()).Where(IsNamedByHand).CountBy(SimpleName).ToDictionary();

        Assert.All(Allowed.Keys, name => Assert.True(counts.GetValueOrDefault(name) > 1, $"{name} is no longer shared; take it off the allow-list ({Allowed[name]})"));
    }

    // Public and internal types a developer wrote (nested ones too, when code outside their class can name them);
    // not the compiler's closures, state machines, file-local types or the attributes it embeds in every assembly.
    private static bool IsNamedByHand(Type type) =>
        !type.Name.Contains('<', StringComparison.Ordinal)
        && type.GetCustomAttribute<CompilerGeneratedAttribute>() is null
        && type.Namespace?.StartsWith("Microsoft.", StringComparison.Ordinal) != true && type.Namespace?.StartsWith("System.", StringComparison.Ordinal) != true
        && (type.IsPublic || type.IsNotPublic || type.IsNestedPublic || type.IsNestedAssembly || type.IsNestedFamORAssem)
        && (type.DeclaringType is null || IsNamedByHand(type.DeclaringType));

    // Foo and Foo<T> read as the same name.
    private static string SimpleName(Type type) => type.Name.Split('`')[0];
}
