using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>One finding, shaped like a ValidateStateMachineDefinition diagnostic.</summary>
public sealed record Diagnostic(string Severity, string Code, string Message, string Location)
{
    public JObject ToJson() => JObject.Of(("severity", Severity), ("code", Code), ("message", Message), ("location", Location));

    public override string ToString() => $"{Code}: {Message} at {Location}";
}

/// <summary>Collects every problem in a definition so they can be reported together.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.Severity == "ERROR");

    public void Error(string code, string message, string location) => _items.Add(new("ERROR", code, message, location));

    public void Warning(string code, string message, string location) => _items.Add(new("WARNING", code, message, location));
}

/// <summary>A definition that failed validation; carries every diagnostic.</summary>
public sealed class InvalidDefinitionException(IReadOnlyList<Diagnostic> diagnostics)
    : Exception("Invalid State Machine Definition: " + string.Join("; ", diagnostics.Where(d => d.Severity == "ERROR").Select(d => d.ToString())))
{
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;
}
