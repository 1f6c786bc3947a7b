using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Mocking;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Conformance;

/// <summary>Runs every case of the corpus through the engine and checks the outcome the case prescribes.</summary>
public class ConformanceTests
{
    private const int MinimumCorpusSize = 100;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in ConformanceCase.All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Run_Case_MatchesTheExpectedOutcome(string name)
    {
        // Arrange
        var testCase = ConformanceCase.Get(name);

        // Act
        var summary = Run(testCase);

        // Assert
        var expected = testCase.Expected;
        Assert.True(expected.Status == summary.Status, $"{name}: status {summary.Status}, expected {expected.Status}. Error {summary.Error}: {summary.Cause}");
        Assert.Equal(expected.Error, summary.Error);
        if (expected.HasCause)
        {
            Assert.Equal(expected.Cause, summary.Cause);
        }

        if (expected.HasOutput)
        {
            var actual = summary.Output ?? JNull.Instance;
            Assert.True(expected.Output!.Equals(actual), $"{name}: output {actual.ToJson()}, expected {expected.Output.ToJson()}");
        }

        if (expected.StateTransitions is { } transitions)
        {
            Assert.Equal(transitions, summary.StateTransitions);
        }

        if (expected.HistoryEvents is { } events)
        {
            Assert.Equal(events, summary.HistoryEvents);
        }

        if (expected.VirtualSeconds is { } seconds)
        {
            Assert.Equal(seconds, summary.VirtualSeconds, precision: 3);
        }

        if (expected.HistoryEventTypes is { } types)
        {
            Assert.Equal(types, summary.History.Select(e => e.Type));
        }

        if (expected.DiagnosticCodes is { } codes)
        {
            Assert.Equal(codes.Order(StringComparer.Ordinal), summary.Diagnostics.Select(d => d.Code).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Corpus_HasAtLeastOneHundredCases()
    {
        Assert.True(ConformanceCase.All.Count >= MinimumCorpusSize, $"The corpus has {ConformanceCase.All.Count} cases.");
    }

    /// <summary>Runs a case in-process, the way <c>asl run</c> does, on a fresh virtual clock.</summary>
    internal static RunSummary Run(ConformanceCase testCase)
    {
        MockTestCase? mockConfig = null;
        if (testCase.MockConfig is { } config)
        {
            mockConfig = MockConfig.Parse(config).TestCase(null, testCase.TestCase ?? throw new InvalidDataException($"{testCase.Name}: mockConfig needs testCase."));
        }

        var tasks = CaseMockHandler.Registry(testCase.Mocks ?? JObject.Empty);
        // A string definition is the definition's raw text, for cases about text that is not valid JSON.
        var definitionText = testCase.Definition is JString raw ? raw.Value : testCase.Definition.ToJson();
        return LocalRunner.Run(definitionText, testCase.Input, mockConfig, tasks: tasks);
    }
}
