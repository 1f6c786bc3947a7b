using System.Reflection;

namespace BlueGreen.Functions.Tests.Architecture;

/// <summary>
/// The <see cref="WorkflowError"/> classes code reachable from a method can construct: its body, everything it calls,
/// lambdas it creates and the static constructors of the types it touches, within the method's assembly. A call through an
/// interface, abstract or virtual method is followed into every implementation the assembly has (the traffic providers
/// are reached this way).
/// </summary>
internal static class ReachableErrors
{
    public static IReadOnlySet<string> From(MethodBase entry)
    {
        var assembly = entry.Module.Assembly;
        var seen = new HashSet<MethodBase>();
        var errors = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<MethodBase>([entry]);
        while (pending.TryPop(out var method))
        {
            if (!seen.Add(Definition(method)))
            {
                continue;
            }
            foreach (var member in MethodBodies.MembersNamedBy(Definition(method)))
            {
                if (member is ConstructorInfo { DeclaringType: { IsAbstract: false } constructed } && constructed.IsSubclassOf(typeof(WorkflowError)))
                {
                    errors.Add(constructed.Name);
                }
                if (member is MethodBase callee && callee.Module.Assembly == assembly)
                {
                    pending.Push(callee);
                    foreach (var implementation in Implementations(callee, assembly))
                    {
                        pending.Push(implementation);
                    }
                }
                if (member.DeclaringType is { TypeInitializer: { } initializer } owner && owner.Assembly == assembly)
                {
                    pending.Push(initializer);
                }
            }
        }
        return errors;
    }

    /// <summary>The methods a call to an interface, abstract or virtual method may run instead, in <paramref name="assembly"/>.</summary>
    private static IEnumerable<MethodBase> Implementations(MethodBase callee, Assembly assembly)
    {
        if (callee is not MethodInfo { IsVirtual: true } method || method.DeclaringType is not { } declaring)
        {
            yield break;
        }

        var declaringDefinition = declaring.IsGenericType ? declaring.GetGenericTypeDefinition() : declaring;
        foreach (var type in assembly.GetTypes().Where(t => !t.IsInterface))
        {
            if (declaring.IsInterface)
            {
                var implemented = type.GetInterfaces().FirstOrDefault(i => (i.IsGenericType ? i.GetGenericTypeDefinition() : i) == declaringDefinition);
                if (implemented is null || type.IsAbstract && type.IsSealed)
                {
                    continue;
                }

                var map = type.GetInterfaceMap(implemented);
                for (var i = 0; i < map.InterfaceMethods.Length; i++)
                {
                    if (map.InterfaceMethods[i].MetadataToken == method.MetadataToken && map.TargetMethods[i].DeclaringType == type)
                    {
                        yield return map.TargetMethods[i];
                    }
                }
            }
            else
            {
                var baseToken = method.GetBaseDefinition().MetadataToken;
                foreach (var candidate in type.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (candidate.IsVirtual && candidate.MetadataToken != method.MetadataToken && candidate.GetBaseDefinition().MetadataToken == baseToken
                        && candidate.GetBaseDefinition().Module == method.Module)
                    {
                        yield return candidate;
                    }
                }
            }
        }
    }

    // A call to List<T>.Add or Foo<int>() names a constructed method; its IL is the generic definition's.
    private static MethodBase Definition(MethodBase method) =>
        method.DeclaringType is { IsConstructedGenericType: true } || method.IsGenericMethod
            ? method.Module.ResolveMethod(method.MetadataToken)!
            : method;
}
