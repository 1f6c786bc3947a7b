using System.Reflection;
using System.Text.RegularExpressions;

namespace BlueGreen.Functions.Tests.Architecture;

/// <summary>
/// Which namespace of an assembly uses which, read from the compiled types (<see cref="TypeReferences"/>) and from the
/// source files' <c>using</c> directives and fully qualified names (a constant such as <c>GreenTags.ManagedBy</c> is
/// copied into the IL of the code that reads it, so only the source shows that use), with one example use per edge
/// so a failure names the code to look at.
/// </summary>
internal sealed partial class NamespaceGraph
{
    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    private NamespaceGraph()
    {
    }

    /// <summary>
    /// The namespaces of <paramref name="assembly"/> that start with <paramref name="root"/> and the uses among them, from
    /// its types and, when given, from the C# files under <paramref name="sourceDirectory"/>.
    /// </summary>
    public static NamespaceGraph Of(Assembly assembly, string root, string? sourceDirectory)
    {
        bool Inside(string? name) => name is not null && (name == root || name.StartsWith(root + ".", StringComparison.Ordinal));

        var graph = new NamespaceGraph();
        foreach (var type in assembly.GetTypes().Where(t => Inside(t.Namespace)))
        {
            var from = type.Namespace!;
            var uses = graph.Writable(from);
            foreach (var used in TypeReferences.Of(type).Where(u => u.Assembly == assembly && Inside(u.Namespace) && u.Namespace != from))
            {
                uses.TryAdd(used.Namespace!, $"{Describe(type)} uses {Describe(used)}");
            }
        }

        if (sourceDirectory is null)
        {
            return graph;
        }
        var known = graph._edges.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(sourceDirectory, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")))
        {
            var code = string.Join('\n', File.ReadLines(file).Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            if (FileNamespace().Match(code) is not { Success: true } declared || !Inside(declared.Groups[1].Value))
            {
                continue;
            }
            var from = declared.Groups[1].Value;
            foreach (var name in QualifiedName().Matches(code).Select(m => m.Value))
            {
                // "using BlueGreen.Functions.Common;" names a namespace; "BlueGreen.Functions.Common.GreenTags.ManagedBy"
                // names members of the longest namespace it starts with.
                var used = known.Where(ns => name == ns || name.StartsWith(ns + ".", StringComparison.Ordinal)).MaxBy(ns => ns.Length);
                if (used is not null && used != from)
                {
                    graph.Writable(from).TryAdd(used, $"{Path.GetFileName(file)} names {name}");
                }
            }
        }
        return graph;
    }

    /// <summary>The namespaces <paramref name="name"/> uses, each with one example use.</summary>
    public IReadOnlyDictionary<string, string> EdgesFrom(string name) =>
        _edges.TryGetValue(name, out var edges) ? edges : new Dictionary<string, string>();

    /// <summary>The groups of namespaces that reach each other (strongly connected components of two or more).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        // Tarjan's algorithm: a handful of namespaces, so recursion depth is no concern.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var cycles = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var next in EdgesFrom(node).Keys)
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (stack.Contains(next) && index.TryGetValue(next, out var nextIndex))
                {
                    low[node] = Math.Min(low[node], nextIndex);
                }
            }
            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    component.Add(member);
                }
                while (member != node);
                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    cycles.Add(component);
                }
            }
        }

        foreach (var node in _edges.Keys.Order(StringComparer.Ordinal).ToList())
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }
        return cycles;
    }

    private Dictionary<string, string> Writable(string name)
    {
        if (!_edges.TryGetValue(name, out var edges))
        {
            edges = new Dictionary<string, string>(StringComparer.Ordinal);
            _edges[name] = edges;
        }
        return edges;
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"\bBlueGreen(\.\w+)+")]
    private static partial Regex QualifiedName();

    // Compiler-generated types (closures, async state machines) are nested in the type whose code they hold.
    private static string Describe(Type type)
    {
        var outer = type;
        while (outer.DeclaringType is { } declaring)
        {
            outer = declaring;
        }
        return outer.FullName!;
    }
}
