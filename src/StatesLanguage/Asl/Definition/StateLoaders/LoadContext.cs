using BlueGreen.Simulator.Asl.Paths;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// One load of a definition: where problems are collected, the state names already taken, and the
/// readers of the fields that several kinds of state share (paths, templates, Assign, integers).
/// </summary>
internal sealed class LoadContext(DiagnosticBag diagnostics)
{
    /// <summary>The specification limits variable names to 80 characters, like state names.</summary>
    private const int MaxVariableNameLength = 80;

    /// <summary>
    /// Every state name seen so far, in any branch or item processor: names are unique within the
    /// whole state machine (ASL spec, States), which is also what lets mocks and history name a state.
    /// </summary>
    private readonly HashSet<string> _stateNames = new(StringComparer.Ordinal);

    public void Error(string code, string message, string location) => diagnostics.Error(code, message, location);

    /// <summary>False when <paramref name="name"/> is already a state somewhere in the state machine.</summary>
    public bool ClaimStateName(string name) => _stateNames.Add(name);

    /// <summary>A Parallel branch or a Map item processor: a state machine of its own, in the same load.</summary>
    public StateMachineDefinition? LoadBranch(JObject o, string location) => StateMachineLoader.Load(this, o, location, isTopLevel: false);

    public void CheckQueryLanguage(JObject o, string location)
    {
        if (o.GetString("QueryLanguage") is { } language && language != "JSONPath")
        {
            diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"QueryLanguage '{language}' is not supported by the local engine; use JSONPath", $"{location}/QueryLanguage");
        }
    }

    public PathField PathFieldOf(JObject o, string field, string location, bool referenceOnly)
    {
        if (!o.TryGet(field, out var value))
        {
            return PathField.Default;
        }

        if (value is JNull)
        {
            return PathField.Null;
        }

        if (value is not JString text)
        {
            diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The value for the field '{field}' must be a STRING or null", $"{location}/{field}");
            return PathField.Default;
        }

        if (!JsonPath.TryParse(text.Value, out var path, out var error))
        {
            diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The value for the field '{field}' must be a valid JSONPath: {error}", $"{location}/{field}");
            return PathField.Default;
        }

        if (referenceOnly && (!path!.IsReferencePath || path.Root != PathRoot.Data))
        {
            diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The value for the field '{field}' must be a valid Reference Path (only '.name', ['name'] and [index] from '$')", $"{location}/{field}");
            return PathField.Default;
        }

        return new PathField(path, false);
    }

    public JsonPath? ReferencePathOf(JObject o, string field, string location)
    {
        if (!o.TryGet(field, out var value))
        {
            return null;
        }

        if (value is not JString text || !JsonPath.TryParse(text.Value, out var path, out _) || !path!.IsReferencePath)
        {
            diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The value for the field '{field}' must be a valid Reference Path", $"{location}/{field}");
            return null;
        }

        return path;
    }

    public PayloadTemplate? ExpressionOf(JObject o, string field, string location)
    {
        if (!o.TryGet(field, out var value))
        {
            return null;
        }

        if (value is not JString text)
        {
            diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The value for the field '{field}' must be a STRING", $"{location}/{field}");
            return null;
        }

        return PayloadTemplate.CompileExpression(text.Value, field, $"{location}/{field}", diagnostics);
    }

    public PayloadTemplate? TemplateOf(JObject o, string field, string location) =>
        o.TryGet(field, out var value) ? PayloadTemplate.Compile(value, $"{location}/{field}", diagnostics) : null;

    public PayloadTemplate? AssignOf(JObject o, string location)
    {
        if (!o.TryGet("Assign", out var value))
        {
            return null;
        }

        if (value is not JObject assign)
        {
            diagnostics.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Assign' must be an OBJECT", $"{location}/Assign");
            return null;
        }

        foreach (var key in assign.Keys)
        {
            var name = key.EndsWith(".$", StringComparison.Ordinal) ? key[..^2] : key;
            if (name.Length is 0 or > MaxVariableNameLength || !(char.IsLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsLetterOrDigit(c) || c == '_') || name == "states")
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"'{name}' is not a valid variable name (1 to {MaxVariableNameLength} letters, digits and underscores, not starting with a digit; 'states' is reserved)", $"{location}/Assign/{key}");
            }
        }

        return PayloadTemplate.Compile(assign, $"{location}/Assign", diagnostics);
    }

    public string? StringOf(JObject o, string field, string location)
    {
        if (!o.TryGet(field, out var value))
        {
            return null;
        }

        if (value is JString s)
        {
            return s.Value;
        }

        diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The value for the field '{field}' must be a STRING", $"{location}/{field}");
        return null;
    }

    public int? PositiveInteger(JValue value, string field, string location, bool allowZero)
    {
        if (value is JNumber { IsInteger: true } n && n.Value <= 99_999_999 && (allowZero ? n.Value >= 0 : n.Value > 0))
        {
            return (int)n.Value;
        }

        diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The value for the field '{field}' must be a {(allowZero ? "non-negative" : "positive")} INTEGER (at most 99999999)", location);
        return null;
    }
}
