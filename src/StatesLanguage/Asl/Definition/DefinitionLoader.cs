using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// Parses and validates a States Language definition in one pass, collecting every problem
/// (ValidateStateMachineDefinition style: code, message, location) before anything runs. The top level
/// is read here; <see cref="StateMachineLoader"/> reads the states, each kind in its own loader under
/// StateLoaders/ (which share this namespace: they and this class call each other).
/// </summary>
public static class DefinitionLoader
{
    /// <summary>Loads <paramref name="json"/> or throws <see cref="InvalidDefinitionException"/> listing every problem.</summary>
    public static StateMachineDefinition Load(string json)
    {
        var (definition, diagnostics) = Validate(json);
        return diagnostics.HasErrors || definition is null ? throw new InvalidDefinitionException(diagnostics.Items) : definition;
    }

    public static StateMachineDefinition Load(JValue json)
    {
        var diagnostics = new DiagnosticBag();
        var definition = Compile(json, diagnostics);
        return diagnostics.HasErrors || definition is null ? throw new InvalidDefinitionException(diagnostics.Items) : definition;
    }

    /// <summary>Validates without throwing: the compiled definition (null when unusable) and all diagnostics.</summary>
    public static (StateMachineDefinition? Definition, DiagnosticBag Diagnostics) Validate(string json)
    {
        var diagnostics = new DiagnosticBag();
        if (string.IsNullOrWhiteSpace(json))
        {
            diagnostics.Error("MISSING_DESCRIPTION", "The definition is empty.", "/");
            return (null, diagnostics);
        }

        if (!JValue.TryParse(json, out var root, out var error))
        {
            diagnostics.Error("INVALID_JSON_DESCRIPTION", error!, "/");
            return (null, diagnostics);
        }

        var definition = Compile(root, diagnostics);
        return (diagnostics.HasErrors ? null : definition, diagnostics);
    }

    private static StateMachineDefinition? Compile(JValue root, DiagnosticBag diagnostics)
    {
        if (root is not JObject top)
        {
            diagnostics.Error("SCHEMA_VALIDATION_FAILED", "The definition must be a JSON object.", "/");
            return null;
        }

        var context = new LoadContext(diagnostics);
        foreach (var key in top.Keys)
        {
            if (key is not ("StartAt" or "States" or "Comment" or "Version" or "TimeoutSeconds" or "QueryLanguage"))
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The field '{key}' is not supported by Step Functions", "/");
            }
        }

        context.CheckQueryLanguage(top, "");
        int? timeout = null;
        if (top.TryGet("TimeoutSeconds", out var t))
        {
            timeout = context.PositiveInteger(t, "TimeoutSeconds", "/TimeoutSeconds", allowZero: false);
        }

        var machine = StateMachineLoader.Load(context, top, "", isTopLevel: true);
        VariableScopes.Check(top, "", diagnostics);
        return machine is null ? null : new StateMachineDefinition(machine.StartAt, machine.States, timeout, top);
    }
}
