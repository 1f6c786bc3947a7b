using System.Reflection;
using System.Reflection.Emit;

namespace BlueGreen.Functions.Tests.Architecture;

/// <summary>
/// The types a compiled type uses: its signatures (base type, interfaces, fields, properties, method parameters and
/// returns, attributes) and the type, method and field tokens in its method bodies. Reading the IL, not the
/// <c>using</c> lines, catches uses a parent namespace needs no <c>using</c> for and fully qualified names.
/// <c>nameof</c> and constants leave nothing in the IL, so they are not seen.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

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
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return;
        }
        var typeArguments = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach (var local in method.GetMethodBody()!.LocalVariables)
        {
            Add(found, local.LocalType);
        }

        var at = 0;
        while (at < il.Length)
        {
            var opCode = il[at] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[at + 1])] : OpCodesByValue[il[at]];
            at += opCode.Size;
            switch (opCode.OperandType)
            {
                case OperandType.InlineType:
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineTok:
                    AddMember(found, method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments));
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineBrTarget:
                case OperandType.InlineI:
                case OperandType.InlineSig:
                case OperandType.InlineString:
                case OperandType.ShortInlineR:
                    at += 4;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    at += 1;
                    break;
                default:
                    break;
            }
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
