using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Rehearsal.Template;

/// <summary>A template CloudFormation would refuse, or one this simulator cannot deploy; lists every problem.</summary>
public sealed class TemplateException(string message) : Exception(message);

/// <summary>One resource of a template, once its properties are resolved.</summary>
public sealed record TemplateResource(string LogicalId, string Type, JObject Properties);

/// <summary>
/// A synthesized CloudFormation template read the way CloudFormation reads it: parameters (defaults; the CDK bootstrap
/// version parameter resolves to a current bootstrap), conditions, resources in dependency order (<c>Ref</c>,
/// <c>Fn::GetAtt</c>, <c>Fn::Sub</c> and <c>DependsOn</c>), and the intrinsic functions CDK emits: <c>Ref</c>,
/// <c>Fn::GetAtt</c>, <c>Fn::Join</c>, <c>Fn::Sub</c>, <c>Fn::Select</c>, <c>Fn::Split</c>, <c>Fn::If</c>,
/// <c>Fn::Equals</c>, <c>Fn::Not</c>, <c>Fn::And</c>, <c>Fn::Or</c>, <c>Fn::Contains</c>, pseudo parameters and
/// <c>AWS::NoValue</c>. The values of Ref and GetAtt come from the deployment as it creates each resource.
/// </summary>
public sealed partial class CloudFormationTemplate
{
    private readonly JObject _resources;
    private readonly JObject _conditions;
    private readonly Dictionary<string, JValue> _parameters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _conditionValues = new(StringComparer.Ordinal);

    private CloudFormationTemplate(JObject root, IReadOnlyDictionary<string, string> pseudo)
    {
        Root = root;
        Pseudo = pseudo;
        _resources = root.GetObject("Resources") ?? throw new TemplateException("The template has no Resources.");
        _conditions = root.GetObject("Conditions") ?? JObject.Empty;
        foreach (var (name, definition) in root.GetObject("Parameters") ?? JObject.Empty)
        {
            var d = definition.AsObject();
            // CDK's bootstrap check reads an SSM parameter; the simulated account is bootstrapped with a current version.
            _parameters[name] = d.GetString("Type")?.StartsWith("AWS::SSM::Parameter::Value", StringComparison.Ordinal) == true && name == "BootstrapVersion"
                ? new JString("21")
                : d["Default"] ?? throw new TemplateException($"Parameter {name} has no default; the simulator takes no parameter values.");
        }
    }

    public JObject Root { get; }

    /// <summary>AWS::Region, AWS::AccountId, AWS::Partition, AWS::StackId, AWS::StackName, AWS::URLSuffix.</summary>
    public IReadOnlyDictionary<string, string> Pseudo { get; }

    public static CloudFormationTemplate Parse(string json, IReadOnlyDictionary<string, string> pseudo)
    {
        JValue root;
        try
        {
            root = JValue.Parse(json);
        }
        catch (JsonSyntaxException e)
        {
            throw new TemplateException($"The template is not JSON: {e.Message}");
        }

        return root is JObject o ? new CloudFormationTemplate(o, pseudo) : throw new TemplateException("The template must be a JSON object.");
    }

    /// <summary>Logical ids in an order CloudFormation could create them (each after everything it references).</summary>
    public IReadOnlyList<string> CreationOrder()
    {
        var order = new List<string>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        void Visit(string id, Stack<string> path)
        {
            if (state.GetValueOrDefault(id) == 2)
            {
                return;
            }

            if (state.GetValueOrDefault(id) == 1)
            {
                throw new TemplateException($"Circular dependency between resources: {string.Join(" -> ", path.Reverse())} -> {id}");
            }

            state[id] = 1;
            path.Push(id);
            foreach (var dependency in Dependencies(id))
            {
                Visit(dependency, path);
            }

            path.Pop();
            state[id] = 2;
            order.Add(id);
        }

        foreach (var id in _resources.Keys.Order(StringComparer.Ordinal))
        {
            Visit(id, new Stack<string>());
        }

        return order;
    }

    public string TypeOf(string logicalId) => _resources.GetObject(logicalId)?.GetString("Type") ?? throw new TemplateException($"No resource {logicalId}.");

    /// <summary>Whether the resource's Condition (if any) holds.</summary>
    public bool IsCreated(string logicalId) =>
        _resources.GetObject(logicalId)?.GetString("Condition") is not { } condition || Condition(condition);

    /// <summary>The resource's properties with every intrinsic function resolved against what exists so far.</summary>
    public TemplateResource Resolve(string logicalId, Func<string, JValue> reference, Func<string, string, JValue> attribute)
    {
        var resource = _resources.GetObject(logicalId) ?? throw new TemplateException($"No resource {logicalId}.");
        var properties = resource.GetObject("Properties") ?? JObject.Empty;
        var resolved = Evaluate(properties, reference, attribute, $"{logicalId}.Properties");
        return new TemplateResource(logicalId, resource.GetString("Type")!, resolved as JObject ?? JObject.Empty);
    }

    /// <summary>The stack's outputs, resolved.</summary>
    public IReadOnlyDictionary<string, string> Outputs(Func<string, JValue> reference, Func<string, string, JValue> attribute) =>
        (Root.GetObject("Outputs") ?? JObject.Empty).ToDictionary(
            o => o.Key,
            o => Text(Evaluate(o.Value.AsObject()["Value"] ?? JNull.Instance, reference, attribute, $"Outputs.{o.Key}"), $"Outputs.{o.Key}"),
            StringComparer.Ordinal);

    private SortedSet<string> Dependencies(string id)
    {
        var resource = _resources.GetObject(id)!;
        var found = new SortedSet<string>(StringComparer.Ordinal);
        switch (resource["DependsOn"])
        {
            case JString s:
                found.Add(s.Value);
                break;
            case JArray a:
                found.UnionWith(a.OfType<JString>().Select(s => s.Value));
                break;
        }

        void Walk(JValue v)
        {
            switch (v)
            {
                case JObject o when o.Count == 1 && o[0].Key == "Ref" && o[0].Value is JString r && _resources.ContainsKey(r.Value):
                    found.Add(r.Value);
                    break;
                case JObject o when o.Count == 1 && o[0].Key == "Fn::GetAtt":
                    var target = o[0].Value is JArray ga && ga.Count > 0 ? ga[0].AsString() : o[0].Value is JString gs ? gs.Value.Split('.')[0] : null;
                    if (target is not null && _resources.ContainsKey(target))
                    {
                        found.Add(target);
                    }

                    break;
                case JObject o when o.Count == 1 && o[0].Key == "Fn::Sub":
                    var template = o[0].Value is JArray sa && sa.Count > 0 ? sa[0].AsString() : o[0].Value.AsString();
                    foreach (Match m in SubVariable().Matches(template))
                    {
                        var name = m.Groups[1].Value.Split('.')[0];
                        if (_resources.ContainsKey(name))
                        {
                            found.Add(name);
                        }
                    }

                    if (o[0].Value is JArray { Count: 2 } withVariables)
                    {
                        Walk(withVariables[1]);
                    }

                    break;
                case JObject o:
                    foreach (var m in o)
                    {
                        Walk(m.Value);
                    }

                    break;
                case JArray a:
                    foreach (var item in a)
                    {
                        Walk(item);
                    }

                    break;
            }
        }

        Walk(resource);
        foreach (var dependency in found)
        {
            if (!_resources.ContainsKey(dependency))
            {
                throw new TemplateException($"{id} depends on {dependency}, which is not a resource of the template.");
            }
        }

        return found;
    }

    private bool Condition(string name)
    {
        if (_conditionValues.TryGetValue(name, out var known))
        {
            return known;
        }

        var definition = _conditions[name] ?? throw new TemplateException($"No condition {name}.");
        var value = Evaluate(definition, _ => throw new TemplateException($"Condition {name} may not reference a resource."), (_, _) => throw new TemplateException($"Condition {name} may not use Fn::GetAtt."), $"Conditions.{name}");
        return _conditionValues[name] = value is JBool { Value: true };
    }

    private JValue Evaluate(JValue value, Func<string, JValue> reference, Func<string, string, JValue> attribute, string where)
    {
        switch (value)
        {
            case JArray a:
                // AWS::NoValue removes the element.
                return JArray.From(a.Select(v => Evaluate(v, reference, attribute, where)).Where(v => v is not NoValue));
            case JObject o when o.Count == 1 && (o[0].Key.StartsWith("Fn::", StringComparison.Ordinal) || o[0].Key is "Ref" or "Condition"):
                return Intrinsic(o[0].Key, o[0].Value, reference, attribute, where);
            case JObject o:
                var builder = new JObjectBuilder(o.Count);
                foreach (var (key, member) in o)
                {
                    var v = Evaluate(member, reference, attribute, $"{where}.{key}");
                    if (v is not NoValue)
                    {
                        builder.Add(key, v);
                    }
                }

                return builder.Build();
            default:
                return value;
        }
    }

    private JValue Intrinsic(string name, JValue argument, Func<string, JValue> reference, Func<string, string, JValue> attribute, string where)
    {
        JValue Eval(JValue v) => Evaluate(v, reference, attribute, where);
        JArray Args(int count)
        {
            var args = Eval(argument) as JArray;
            return args is not null && (count < 0 || args.Count == count) ? args : throw new TemplateException($"{where}: {name} takes a list of {count} arguments.");
        }

        switch (name)
        {
            case "Ref":
                var target = argument.AsString();
                if (target == "AWS::NoValue")
                {
                    return NoValue.Instance;
                }

                if (Pseudo.TryGetValue(target, out var pseudo))
                {
                    return new JString(pseudo);
                }

                return _parameters.TryGetValue(target, out var parameter) ? parameter : reference(target);
            case "Fn::GetAtt":
                var (resource, attributeName) = argument is JArray ga
                    ? (ga[0].AsString(), Eval(ga[1]).AsString())
                    : (argument.AsString().Split('.', 2)[0], argument.AsString().Split('.', 2)[1]);
                return attribute(resource, attributeName);
            case "Fn::Join":
                var join = Args(2);
                return new JString(string.Join(join[0].AsString(), (join[1] as JArray ?? throw new TemplateException($"{where}: Fn::Join needs a list.")).Select(v => Text(v, where))));
            case "Fn::Select":
                var select = Args(2);
                var index = select[0] is JNumber n ? (int)n.Value : int.Parse(select[0].AsString(), CultureInfo.InvariantCulture);
                var list = select[1] as JArray ?? throw new TemplateException($"{where}: Fn::Select needs a list.");
                return index >= 0 && index < list.Count ? list[index] : throw new TemplateException($"{where}: Fn::Select index {index} is out of range ({list.Count} items).");
            case "Fn::Split":
                var split = Args(2);
                return JArray.From(Text(split[1], where).Split(split[0].AsString()).Select(s => (JValue)s));
            case "Fn::Sub":
                return new JString(Substitute(argument, reference, attribute, where));
            case "Fn::If":
                var branches = argument as JArray ?? throw new TemplateException($"{where}: Fn::If takes [condition, then, else].");
                return Eval(Condition(branches[0].AsString()) ? branches[1] : branches[2]);
            case "Condition":
                return JBool.Of(Condition(argument.AsString()));
            case "Fn::Equals":
                var equals = Args(2);
                return JBool.Of(equals[0].Equals(equals[1]) || Text(equals[0], where) == Text(equals[1], where));
            case "Fn::Not":
                return JBool.Of(Args(1)[0] is not JBool { Value: true });
            case "Fn::And":
                return JBool.Of(Args(-1).All(v => v is JBool { Value: true }));
            case "Fn::Or":
                return JBool.Of(Args(-1).Any(v => v is JBool { Value: true }));
            case "Fn::Contains":
                var contains = Args(2);
                return JBool.Of((contains[0] as JArray ?? JArray.Empty).Any(v => Text(v, where) == Text(contains[1], where)));
            default:
                throw new TemplateException($"{where}: the simulator does not evaluate {name}.");
        }
    }

    private string Substitute(JValue argument, Func<string, JValue> reference, Func<string, string, JValue> attribute, string where)
    {
        var (template, variables) = argument switch
        {
            JString s => (s.Value, JObject.Empty),
            JArray { Count: 2 } a => (a[0].AsString(), (JObject)Evaluate(a[1], reference, attribute, where)),
            _ => throw new TemplateException($"{where}: Fn::Sub takes a string or [string, variables]."),
        };
        return SubVariable().Replace(template, m =>
        {
            var name = m.Groups[1].Value;
            if (name.StartsWith('!'))
            {
                return "${" + name[1..] + "}";
            }

            if (variables[name] is { } variable)
            {
                return Text(variable, where);
            }

            if (Pseudo.TryGetValue(name, out var pseudo))
            {
                return pseudo;
            }

            if (_parameters.TryGetValue(name, out var parameter))
            {
                return Text(parameter, where);
            }

            var dot = name.IndexOf('.', StringComparison.Ordinal);
            return Text(dot < 0 ? reference(name) : attribute(name[..dot], name[(dot + 1)..]), where);
        });
    }

    public static string Text(JValue value, string where) => value switch
    {
        JString s => s.Value,
        JNumber n => n.Value.ToString(CultureInfo.InvariantCulture),
        JBool b => b.Value ? "true" : "false",
        _ => throw new TemplateException($"{where}: expected a string, not {value.ToJson()}."),
    };

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex SubVariable();

    /// <summary>The value of <c>Ref: AWS::NoValue</c>: the property is removed.</summary>
    private sealed class NoValue : JValue
    {
        public static readonly NoValue Instance = new();

        public override JKind Kind => JKind.Null;

        public override void WriteTo(StringBuilder sb) => sb.Append("null");

        public override bool Equals(JValue? other) => ReferenceEquals(this, other);

        public override int GetHashCode() => 0;

        protected override int ComputeUtf8Size() => 4;
    }
}
