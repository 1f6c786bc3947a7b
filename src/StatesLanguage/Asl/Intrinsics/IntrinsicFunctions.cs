using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Intrinsics;

/// <summary>
/// The <c>States.*</c> intrinsic functions. Argument-count mistakes are found when the definition is
/// loaded; type and value mistakes found at run time fail the state with <c>States.IntrinsicFailure</c>
/// (Appendix B of the States Language), which Retry and Catch can handle.
/// </summary>
public static class IntrinsicFunctions
{
    private const int MaxStringLength = 10_000;
    private const int MaxArrayRangeItems = 1_000;

    private static readonly Dictionary<string, (int Min, int Max)> Arity = new(StringComparer.Ordinal)
    {
        ["States.Format"] = (1, int.MaxValue),
        ["States.StringToJson"] = (1, 1),
        ["States.JsonToString"] = (1, 1),
        ["States.Array"] = (0, int.MaxValue),
        ["States.ArrayPartition"] = (2, 2),
        ["States.ArrayContains"] = (2, 2),
        ["States.ArrayRange"] = (3, 3),
        ["States.ArrayGetItem"] = (2, 2),
        ["States.ArrayLength"] = (1, 1),
        ["States.ArrayUnique"] = (1, 1),
        ["States.Base64Encode"] = (1, 1),
        ["States.Base64Decode"] = (1, 1),
        ["States.Hash"] = (2, 2),
        ["States.JsonMerge"] = (3, 3),
        ["States.MathRandom"] = (2, 3),
        ["States.MathAdd"] = (2, 2),
        ["States.StringSplit"] = (2, 2),
        ["States.UUID"] = (0, 0),
    };

    public static bool IsKnown(string name) => Arity.ContainsKey(name);

    internal static void CheckArity(IntrinsicCall call)
    {
        var (min, max) = Arity[call.Name];
        var n = call.Arguments.Count;
        if (n < min || n > max)
        {
            var expected = min == max ? $"exactly {min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
            throw new IntrinsicSyntaxException(call.Text, $"{call.Name} takes {expected} argument(s) but was given {n}");
        }

        if (call.Name == "States.JsonToString" && call.Arguments[0] is not IntrinsicArgument.PathArgument)
        {
            throw new IntrinsicSyntaxException(call.Text, "States.JsonToString takes a path argument");
        }
    }

    /// <summary>Evaluates <paramref name="call"/>; <paramref name="resolvePath"/> selects path arguments.</summary>
    public static JValue Evaluate(IntrinsicCall call, Func<Paths.JsonPath, JValue> resolvePath, Random random)
    {
        var args = new JValue[call.Arguments.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = call.Arguments[i] switch
            {
                IntrinsicArgument.Literal l => l.Value,
                IntrinsicArgument.PathArgument p => resolvePath(p.Path),
                IntrinsicArgument.Nested c => Evaluate(c.Function, resolvePath, random),
                _ => throw new InvalidOperationException("Unknown argument kind."),
            };
        }

        var f = new Invocation(call, args);
        return call.Name switch
        {
            "States.Format" => Format(f),
            "States.StringToJson" => StringToJson(f),
            "States.JsonToString" => new JString(args[0].ToJson()),
            "States.Array" => JArray.Of(args),
            "States.ArrayPartition" => ArrayPartition(f),
            "States.ArrayContains" => JBool.Of(f.Array(0).Contains(args[1])),
            "States.ArrayRange" => ArrayRange(f),
            "States.ArrayGetItem" => ArrayGetItem(f),
            "States.ArrayLength" => new JNumber(f.Array(0).Count),
            "States.ArrayUnique" => JArray.From(f.Array(0).Distinct()),
            "States.Base64Encode" => new JString(Convert.ToBase64String(Encoding.UTF8.GetBytes(f.BoundedString(0)))),
            "States.Base64Decode" => Base64Decode(f),
            "States.Hash" => Hash(f),
            "States.JsonMerge" => JsonMerge(f),
            "States.MathRandom" => MathRandom(f, random),
            "States.MathAdd" => MathAdd(f),
            "States.StringSplit" => StringSplit(f),
            "States.UUID" => new JString(RandomUuid(random)),
            _ => throw f.Fail($"unknown function {call.Name}"),
        };
    }

    private static JString Format(Invocation f)
    {
        var template = f.Call.Arguments[0] is IntrinsicArgument.Literal { FormatText: { } raw } ? raw : f.String(0);
        var sb = new StringBuilder();
        var next = 1;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '\\' && i + 1 < template.Length && template[i + 1] is '{' or '}' or '\\')
            {
                sb.Append(template[++i]);
            }
            else if (c == '{' && i + 1 < template.Length && template[i + 1] == '}')
            {
                if (next >= f.Args.Length)
                {
                    throw f.Fail("the template has more {} placeholders than arguments");
                }

                sb.Append(f.Args[next] switch
                {
                    JString s => s.Value,
                    JNumber or JBool or JNull => f.Args[next].ToJson(),
                    _ => throw f.Fail($"argument {next + 1} is {f.Args[next].KindName}; only strings, numbers, booleans and null can be formatted"),
                });
                next++;
                i++;
            }
            else
            {
                sb.Append(c);
            }
        }

        if (next != f.Args.Length)
        {
            throw f.Fail($"the template has {next - 1} {{}} placeholder(s) but {f.Args.Length - 1} argument(s) were given");
        }

        return new JString(sb.ToString());
    }

    private static JValue StringToJson(Invocation f)
    {
        var text = f.String(0);
        return JValue.TryParse(text, out var value, out var error) ? value : throw f.Fail($"the string is not JSON ({error})");
    }

    private static JArray ArrayPartition(Invocation f)
    {
        var array = f.Array(0);
        var size = f.RoundedInteger(1);
        if (size <= 0)
        {
            throw f.Fail("the chunk size must be a positive integer");
        }

        var chunks = new List<JValue>();
        for (var i = 0; i < array.Count; i += size)
        {
            chunks.Add(JArray.From(array.Skip(i).Take(size)));
        }

        return JArray.From(chunks);
    }

    private static JArray ArrayRange(Invocation f)
    {
        var start = f.RoundedInteger(0);
        var end = f.RoundedInteger(1);
        var step = f.RoundedInteger(2);
        if (step == 0)
        {
            throw f.Fail("the step must not be zero");
        }

        var items = new List<JValue>();
        for (long v = start; step > 0 ? v <= end : v >= end; v += step)
        {
            if (items.Count == MaxArrayRangeItems)
            {
                throw f.Fail($"the range would have more than {MaxArrayRangeItems} items");
            }

            items.Add(new JNumber(v));
        }

        return JArray.From(items);
    }

    private static JValue ArrayGetItem(Invocation f)
    {
        var array = f.Array(0);
        var index = f.Integer(1);
        return index >= 0 && index < array.Count ? array[index] : throw f.Fail($"index {index} is out of bounds for an array of {array.Count}");
    }

    private static JString Base64Decode(Invocation f)
    {
        var text = f.BoundedString(0);
        try
        {
            return new JString(Encoding.UTF8.GetString(Convert.FromBase64String(text)));
        }
        catch (FormatException)
        {
            throw f.Fail("the string is not valid Base64");
        }
    }

    private static JString Hash(Invocation f)
    {
        var data = Encoding.UTF8.GetBytes(f.BoundedString(0));
        var algorithm = f.String(1);
#pragma warning disable CA5351, CA5350 // MD5 and SHA-1 are part of the function's contract, not used for security here
        byte[] digest = algorithm switch
        {
            "MD5" => MD5.HashData(data),
            "SHA-1" => SHA1.HashData(data),
            "SHA-256" => SHA256.HashData(data),
            "SHA-384" => SHA384.HashData(data),
            "SHA-512" => SHA512.HashData(data),
            _ => throw f.Fail($"unsupported algorithm '{algorithm}' (use MD5, SHA-1, SHA-256, SHA-384 or SHA-512)"),
        };
#pragma warning restore CA5351, CA5350
        return new JString(Convert.ToHexStringLower(digest));
    }

    private static JObject JsonMerge(Invocation f)
    {
        if (f.Args[0] is not JObject left || f.Args[1] is not JObject right)
        {
            throw f.Fail("both values to merge must be objects");
        }

        if (f.Args[2] is not JBool deep)
        {
            throw f.Fail("the third argument must be a boolean");
        }

        if (deep.Value)
        {
            throw f.Fail("deep merge is not supported; pass false");
        }

        var builder = new JObjectBuilder(left);
        foreach (var (k, v) in right)
        {
            builder[k] = v;
        }

        return builder.Build();
    }

    /// <summary>A number from start (inclusive) to end (exclusive), as the AWS documentation defines it.</summary>
    private static JNumber MathRandom(Invocation f, Random random)
    {
        var start = f.RoundedInteger(0);
        var end = f.RoundedInteger(1);
        if (end <= start)
        {
            throw f.Fail($"the end ({end}) must be greater than the start ({start}); the end is exclusive");
        }

        // A seed argument gives the same number every time, as on AWS; without one the execution's seeded generator is used.
        var generator = f.Args.Length == 3 ? new Random(f.Integer(2)) : random;
        return new JNumber(generator.NextInt64(start, end));
    }

    private static JNumber MathAdd(Invocation f)
    {
        var sum = (long)f.RoundedInteger(0) + f.RoundedInteger(1);
        return new JNumber(sum);
    }

    private static JArray StringSplit(Invocation f)
    {
        var text = f.String(0);
        var delimiters = f.String(1);
        // Every character of the second argument is a delimiter, as the AWS documentation's example shows
        // ("This.is+a,test=string" split on ".+,=").
        var parts = delimiters.Length == 0 ? [text] : text.Split(delimiters.ToCharArray());
        return JArray.From(parts.Select(p => (JValue)new JString(p)));
    }

    private static string RandomUuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        var hex = Convert.ToHexStringLower(bytes);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary>One call's evaluated arguments, with typed accessors that fail with a clear message.</summary>
    private readonly record struct Invocation(IntrinsicCall Call, JValue[] Args)
    {
        public StatesException Fail(string reason) =>
            new(StatesErrors.IntrinsicFailure, $"The function '{Call.Text}' failed: {reason}.");

        public string String(int i) => Args[i] is JString s ? s.Value : throw Fail($"argument {i + 1} must be a string but is {Args[i].KindName}");

        public string BoundedString(int i)
        {
            var s = String(i);
            return s.Length <= MaxStringLength ? s : throw Fail($"argument {i + 1} is longer than {MaxStringLength:N0} characters");
        }

        public JArray Array(int i) => Args[i] as JArray ?? throw Fail($"argument {i + 1} must be an array but is {Args[i].KindName}");

        /// <summary>
        /// An integer argument of MathAdd, MathRandom, ArrayRange or ArrayPartition: AWS documents for each
        /// that "If you specify a non-integer value ... Step Functions will round it off to the nearest integer".
        /// </summary>
        public int RoundedInteger(int i)
        {
            if (Args[i] is JNumber n && Math.Round(n.Value, MidpointRounding.AwayFromZero) is var rounded && rounded is >= int.MinValue and <= int.MaxValue)
            {
                return (int)rounded;
            }

            throw Fail($"argument {i + 1} must be a number in the range of a 32-bit integer but is {Args[i].ToJson().ToString(CultureInfo.InvariantCulture)}");
        }

        public int Integer(int i)
        {
            if (Args[i] is JNumber { IsInteger: true } n && n.Value is >= int.MinValue and <= int.MaxValue)
            {
                return (int)n.Value;
            }

            throw Fail($"argument {i + 1} must be an integer but is {Args[i].ToJson().ToString(CultureInfo.InvariantCulture)}");
        }
    }
}
