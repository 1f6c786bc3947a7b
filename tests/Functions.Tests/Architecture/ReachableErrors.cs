using System.Reflection;

namespace BlueGreen.Functions.Tests.Architecture;

/// <summary>
/// The <see cref="WorkflowError"/> classes code reachable from a method can construct: its body, everything it calls,
/// lambdas it creates and the static constructors of the types it touches, within the method's assembly. Calls through
/// interfaces and virtual methods are followed only to the method named, so an error thrown from an override only is
/// not seen.
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
                }
                if (member.DeclaringType is { TypeInitializer: { } initializer } owner && owner.Assembly == assembly)
                {
                    pending.Push(initializer);
                }
            }
        }
        return errors;
    }

    // A call to List<T>.Add or Foo<int>() names a constructed method; its IL is the generic definition's.
    private static MethodBase Definition(MethodBase method) =>
        method.DeclaringType is { IsConstructedGenericType: true } || method.IsGenericMethod
            ? method.Module.ResolveMethod(method.MetadataToken)!
            : method;
}
