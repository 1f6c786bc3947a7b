using BlueGreen.Simulator.Asl.Evaluation;
using BlueGreen.Simulator.Asl.Intrinsics;
using BlueGreen.Simulator.Asl.Paths;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// A compiled payload template (Parameters, ResultSelector, ItemSelector, Assign): literal JSON in which
/// keys ending in <c>.$</c> take their value from a path or an intrinsic function. Parts without any
/// <c>.$</c> key compile to the literal itself, so evaluating them costs nothing.
/// </summary>
public abstract class PayloadTemplate
{
    public abstract JValue Evaluate(in PathEnv env);

    /// <summary>True when the template contains no dynamic value.</summary>
    public virtual bool IsStatic => false;

    /// <summary>Compiles <paramref name="json"/>; problems are added to <paramref name="diagnostics"/> at <paramref name="location"/>.</summary>
    public static PayloadTemplate Compile(JValue json, string location, DiagnosticBag diagnostics)
    {
        switch (json)
        {
            case JObject o:
                {
                    var fields = new List<(string Key, PayloadTemplate Value)>(o.Count);
                    var names = new HashSet<string>(StringComparer.Ordinal);
                    var dynamic = false;
                    foreach (var (key, value) in o)
                    {
                        var isDynamic = key.EndsWith(".$", StringComparison.Ordinal) && key.Length > 2;
                        if (!names.Add(isDynamic ? key[..^2] : key))
                        {
                            // "a" and "a.$" would both produce the field "a"; which one wins is undefined.
                            diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The field '{key}' duplicates another field once '.$' is removed", $"{location}/{key}");
                            continue;
                        }

                        if (isDynamic)
                        {
                            var name = key[..^2];
                            dynamic = true;
                            if (value is not JString expression)
                            {
                                diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The value for the field '{key}' must be a STRING that contains a JSONPath or an intrinsic function", $"{location}/{key}");
                                continue;
                            }

                            fields.Add((name, CompileExpression(expression.Value, key, $"{location}/{key}", diagnostics)));
                        }
                        else
                        {
                            var child = Compile(value, $"{location}/{key}", diagnostics);
                            dynamic |= !child.IsStatic;
                            fields.Add((key, child));
                        }
                    }

                    return dynamic ? new ObjectTemplate([.. fields]) : new LiteralTemplate(json);
                }

            case JArray a:
                {
                    var items = a.Select((item, i) => Compile(item, $"{location}[{i}]", diagnostics)).ToArray();
                    return items.All(i => i.IsStatic) ? new LiteralTemplate(json) : new ArrayTemplate(items);
                }

            default:
                return new LiteralTemplate(json);
        }
    }

    /// <summary>Compiles the value of a <c>.$</c> field: a path or an intrinsic function call.</summary>
    public static PayloadTemplate CompileExpression(string expression, string field, string location, DiagnosticBag diagnostics)
    {
        if (IntrinsicCall.LooksLikeCall(expression))
        {
            try
            {
                return new IntrinsicTemplate(IntrinsicCall.Parse(expression));
            }
            catch (IntrinsicSyntaxException e)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", e.Message, location);
                return new LiteralTemplate(JNull.Instance);
            }
        }

        if (!JsonPath.TryParse(expression, out var path, out var error))
        {
            diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call ({error})", location);
            return new LiteralTemplate(JNull.Instance);
        }

        return new PathTemplate(path!, field);
    }

    private sealed class LiteralTemplate(JValue value) : PayloadTemplate
    {
        public override bool IsStatic => true;

        public override JValue Evaluate(in PathEnv env) => value;
    }

    private sealed class ObjectTemplate((string Key, PayloadTemplate Value)[] fields) : PayloadTemplate
    {
        public override JValue Evaluate(in PathEnv env)
        {
            var builder = new JObjectBuilder(fields.Length);
            foreach (var (key, value) in fields)
            {
                builder[key] = value.Evaluate(env);
            }

            return builder.Build();
        }
    }

    private sealed class ArrayTemplate(PayloadTemplate[] items) : PayloadTemplate
    {
        public override JValue Evaluate(in PathEnv env)
        {
            var values = new JValue[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                values[i] = items[i].Evaluate(env);
            }

            return JArray.Of(values);
        }
    }

    private sealed class PathTemplate(JsonPath path, string field) : PayloadTemplate
    {
        public override JValue Evaluate(in PathEnv env) => env.Select(path, $"the field '{field}'");
    }

    private sealed class IntrinsicTemplate(IntrinsicCall call) : PayloadTemplate
    {
        public override JValue Evaluate(in PathEnv env) => env.Evaluate(call);
    }
}
