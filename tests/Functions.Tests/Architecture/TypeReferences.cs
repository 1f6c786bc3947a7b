using System.Reflection;

namespace BlueGreen.Functions.Tests.Architecture;

/// <summary>
/// The types a compiled type uses: its signatures (base type, interfaces, fields, properties, method parameters and
/// returns, attributes) and the type, method and field tokens in its method bodies. Reading the IL, not the
/// <c>using</c> lines, catches uses a parent namespace needs no <c>using</c> for and fully qualified names
/// (<see cref="MethodBodies"/> reads the bodies).
/// <c>nameof</c> and constants leave nothing in the IL, so they are not seen.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Every type <paramref name="type"/> mentions, generic arguments and element types unwrapped.</summary>
    public static IEnumerable<Type> Of(Type type)
    {
        var found = new HashSet<Type>();
        Add(found, type.BaseType);
        foreach (var implemented in type.GetInterfaces())
        {
            Add(found, implemented);
        }
        AddAttributes(found, type.CustomAttributes);
        foreach (var field in type.GetFields(Declared))
        {
            Add(found, field.FieldType);
            AddAttributes(found, field.CustomAttributes);
        }
        foreach (var property in type.GetProperties(Declared))
        {
            Add(found, property.PropertyType);
            AddAttributes(found, property.CustomAttributes);
        }
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
            {
                Add(found, info.ReturnType);
            }
            foreach (var parameter in method.GetParameters())
            {
                Add(found, parameter.ParameterType);
            }
            AddAttributes(found, method.CustomAttributes);
            AddBody(found, method);
        }
        return found;
    }

    private static void AddAttributes(HashSet<Type> found, IEnumerable<CustomAttributeData> attributes)
    {
        foreach (var attribute in attributes)
        {
            Add(found, attribute.AttributeType);
            foreach (var argument in attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(a => a.TypedValue)))
            {
                if (argument.Value is Type typeArgument)
                {
                    Add(found, typeArgument);
                }
            }
        }
    }

    private static void AddBody(HashSet<Type> found, MethodBase method)
    {
        foreach (var local in method.GetMethodBody()?.LocalVariables ?? [])
        {
            Add(found, local.LocalType);
        }
        foreach (var member in MethodBodies.MembersNamedBy(method))
        {
            AddMember(found, member);
        }
    }

    private static void AddMember(HashSet<Type> found, MemberInfo? member)
    {
        switch (member)
        {
            case Type type:
                Add(found, type);
                break;
            case FieldInfo field:
                Add(found, field.DeclaringType);
                Add(found, field.FieldType);
                break;
            case MethodBase method:
                Add(found, method.DeclaringType);
                if (method.IsGenericMethod)
                {
                    foreach (var argument in method.GetGenericArguments())
                    {
                        Add(found, argument);
                    }
                }
                break;
            default:
                break;
        }
    }

    private static void Add(HashSet<Type> found, Type? type)
    {
        if (type is null || type.IsGenericParameter)
        {
            return;
        }
        if (type.HasElementType)
        {
            Add(found, type.GetElementType());
            return;
        }
        if (type.IsConstructedGenericType)
        {
            Add(found, type.GetGenericTypeDefinition());
            foreach (var argument in type.GetGenericArguments())
            {
                Add(found, argument);
            }
            return;
        }
        found.Add(type);
    }
}
