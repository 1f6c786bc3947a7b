using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Conformance;

/// <summary>What a case expects; optional fields are checked only when the case states them.</summary>
public sealed record ExpectedOutcome(
    string Status,
    JValue? Output,
    bool HasOutput,
    string? Error,
    string? Cause,
    bool HasCause,
    long? StateTransitions,
    long? HistoryEvents,
    double? VirtualSeconds,
    IReadOnlyList<string>? HistoryEventTypes,
    IReadOnlyList<string>? DiagnosticCodes);

/// <summary>
/// One file of the conformance corpus (format in <c>Conformance/README.md</c>): a definition, an input,
/// mocked task answers and the outcome the States Language or the AWS documentation prescribes.
/// </summary>
public sealed class ConformanceCase
{
    private ConformanceCase(string name, JObject json)
    {
        Name = name;
        Json = json;
        Description = json.GetString("description") ?? throw Invalid("needs a description");
        Definition = json["definition"] ?? throw Invalid("needs a definition");
        Input = json["input"] ?? JObject.Empty;
        Mocks = json.GetObject("mocks");
        MockConfig = json.GetObject("mockConfig");
        TestCase = json.GetString("testCase");
        Differential = json["differential"] switch
        {
            JBool { Value: true } => null,
            JString { Value.Length: > 0 } reason => reason.Value,
            _ => throw Invalid("needs \"differential\": true or a non-empty reason to skip"),
        };
        Expected = ParseExpected(json.GetObject("expected") ?? throw Invalid("needs expected"));
    }

    /// <summary>Relative path without extension, e.g. <c>choice/string-matches-escapes</c>.</summary>
    public string Name { get; }

    public JObject Json { get; }

    public string Description { get; }

    public JValue Definition { get; }

    public JValue Input { get; }

    /// <summary>Per state name, the list of answers, one per call (the last one repeats).</summary>
    public JObject? Mocks { get; }

    /// <summary>A Step Functions Local mock configuration, with <see cref="TestCase"/> naming the test case.</summary>
    public JObject? MockConfig { get; }

    public string? TestCase { get; }

    /// <summary>Null when the case runs differentially; otherwise why it does not.</summary>
    public string? Differential { get; }

    public ExpectedOutcome Expected { get; }

    public static string CasesDirectory => Path.Combine(AppContext.BaseDirectory, "Conformance", "Cases");

    public static IReadOnlyList<ConformanceCase> All => LazyAll.Value;

    private static readonly Lazy<IReadOnlyList<ConformanceCase>> LazyAll = new(LoadAll);

    public static ConformanceCase Get(string name) => All.Single(c => c.Name == name);

    private static List<ConformanceCase> LoadAll() =>
        [.. Directory.EnumerateFiles(CasesDirectory, "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(Load)];

    private static ConformanceCase Load(string path)
    {
        var name = Path.ChangeExtension(Path.GetRelativePath(CasesDirectory, path), null).Replace('\\', '/');
        return JValue.Parse(File.ReadAllText(path)) is JObject o
            ? new ConformanceCase(name, o)
            : throw new InvalidDataException($"Case {name} must be a JSON object.");
    }

    private ExpectedOutcome ParseExpected(JObject e) => new(
        e.GetString("status") ?? throw Invalid("needs expected.status"),
        e["output"],
        e.ContainsKey("output"),
        e.GetString("error"),
        e.GetString("cause"),
        e.ContainsKey("cause"),
        e.GetNumber("stateTransitions") is { } t ? (long)t : null,
        e.GetNumber("historyEvents") is { } h ? (long)h : null,
        e.GetNumber("virtualSeconds"),
        e.GetArray("historyEventTypes")?.Select(v => v.AsString()).ToList(),
        e.GetArray("diagnosticCodes")?.Select(v => v.AsString()).ToList());

    private InvalidDataException Invalid(string what) => new($"Case {Name} {what}.");

    public override string ToString() => Name;
}
