using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Mocking;

/// <summary>A mock file that does not follow the Step Functions Local format.</summary>
public sealed class MockConfigException(string message) : Exception(message);

/// <summary>
/// A Step Functions Local mock configuration (<c>MockConfigFile.json</c>): test cases per state machine
/// that map state names to named mocked responses, each a list of <c>Return</c> or <c>Throw</c>
/// answers keyed by call index ("0", "1", or ranges such as "1-2").
/// </summary>
public sealed class MockConfig
{
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, string>>> _testCases;
    private readonly Dictionary<string, MockedResponse> _responses;

    private MockConfig(Dictionary<string, Dictionary<string, Dictionary<string, string>>> testCases, Dictionary<string, MockedResponse> responses)
    {
        _testCases = testCases;
        _responses = responses;
    }

    public IEnumerable<string> StateMachineNames => _testCases.Keys;

    public static MockConfig Parse(JValue json)
    {
        if (json is not JObject root)
        {
            throw new MockConfigException("A mock configuration must be a JSON object with StateMachines and MockedResponses.");
        }

        var problems = new List<string>();
        var responses = new Dictionary<string, MockedResponse>(StringComparer.Ordinal);
        foreach (var (name, value) in root.GetObject("MockedResponses") ?? JObject.Empty)
        {
            if (value is not JObject byIndex)
            {
                problems.Add($"MockedResponses.{name} must be an object keyed by call index.");
                continue;
            }

            responses[name] = MockedResponse.Parse(name, byIndex, problems);
        }

        var testCases = new Dictionary<string, Dictionary<string, Dictionary<string, string>>>(StringComparer.Ordinal);
        foreach (var (machine, machineValue) in root.GetObject("StateMachines") ?? JObject.Empty)
        {
            var cases = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            foreach (var (caseName, caseValue) in (machineValue as JObject)?.GetObject("TestCases") ?? JObject.Empty)
            {
                var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (state, responseName) in caseValue as JObject ?? JObject.Empty)
                {
                    if (responseName is not JString r)
                    {
                        problems.Add($"StateMachines.{machine}.TestCases.{caseName}.{state} must name a mocked response.");
                    }
                    else if (!responses.ContainsKey(r.Value))
                    {
                        problems.Add($"StateMachines.{machine}.TestCases.{caseName}.{state} refers to '{r.Value}', which is not in MockedResponses.");
                    }
                    else
                    {
                        mapping[state] = r.Value;
                    }
                }

                cases[caseName] = mapping;
            }

            testCases[machine] = cases;
        }

        return problems.Count > 0 ? throw new MockConfigException(string.Join(Environment.NewLine, problems)) : new MockConfig(testCases, responses);
    }

    /// <summary>The test case to run; <paramref name="stateMachine"/> may be omitted when the file has one machine.</summary>
    public MockTestCase TestCase(string? stateMachine, string testCase)
    {
        if (stateMachine is null)
        {
            if (_testCases.Count != 1)
            {
                throw new MockConfigException($"The mock configuration has {_testCases.Count} state machines ({string.Join(", ", _testCases.Keys)}); choose one with --state-machine.");
            }

            stateMachine = _testCases.Keys.Single();
        }

        if (!_testCases.TryGetValue(stateMachine, out var cases))
        {
            throw new MockConfigException($"The mock configuration has no state machine '{stateMachine}' (it has {string.Join(", ", _testCases.Keys)}).");
        }

        if (!cases.TryGetValue(testCase, out var mapping))
        {
            throw new MockConfigException($"State machine '{stateMachine}' has no test case '{testCase}' (it has {string.Join(", ", cases.Keys)}).");
        }

        return new MockTestCase(mapping.ToDictionary(m => m.Key, m => _responses[m.Value], StringComparer.Ordinal));
    }
}

/// <summary>The answers of one mocked response, by call index.</summary>
public sealed class MockedResponse
{
    private readonly List<(int From, int To, JObject Answer)> _answers;

    private MockedResponse(string name, List<(int From, int To, JObject Answer)> answers)
    {
        Name = name;
        _answers = answers;
    }

    public string Name { get; }

    internal static MockedResponse Parse(string name, JObject byIndex, List<string> problems)
    {
        var answers = new List<(int, int, JObject)>();
        foreach (var (key, value) in byIndex)
        {
            var parts = key.Split('-');
            if (parts.Length is < 1 or > 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var to) || to < from)
            {
                problems.Add($"MockedResponses.{name}: '{key}' is not a call index such as \"0\" or a range such as \"1-2\".");
                continue;
            }

            if (value is not JObject answer || (answer.ContainsKey("Return") == answer.ContainsKey("Throw")))
            {
                problems.Add($"MockedResponses.{name}.{key} must have exactly one of Return or Throw.");
                continue;
            }

            if (answer.GetObject("Throw") is { } t && t.GetString("Error") is null)
            {
                problems.Add($"MockedResponses.{name}.{key}.Throw needs an Error.");
                continue;
            }

            answers.Add((from, to, answer));
        }

        answers.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return new MockedResponse(name, answers);
    }

    /// <summary>
    /// The answer for the <paramref name="callIndex"/>-th call (zero-based, retries included). Calls past
    /// the last index listed repeat the last answer.
    /// </summary>
    public JValue Answer(int callIndex)
    {
        var answer = _answers.FirstOrDefault(a => callIndex >= a.From && callIndex <= a.To).Answer ?? _answers[^1].Answer;
        if (answer.GetObject("Throw") is { } t)
        {
            throw new StatesException(t.GetString("Error")!, t.GetString("Cause"));
        }

        return answer["Return"]!;
    }
}

/// <summary>The mocks of one test case, with per-state call counters for one execution.</summary>
public sealed class MockTestCase(IReadOnlyDictionary<string, MockedResponse> byState)
{
    public bool Mocks(string stateName) => byState.ContainsKey(stateName);

    public MockedResponse ResponseFor(string stateName) => byState[stateName];
}
