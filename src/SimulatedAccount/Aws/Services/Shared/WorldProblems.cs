using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws.Services;

/// <summary>
/// The problems of one world section, collected while a service seeds from it, so a scenario's author sees every one at
/// once: each problem is "where: what", and the section fails with all of them, one a line.
/// </summary>
/// <remarks>In the services' namespace (the folder is <c>Shared/</c>) so that every service sees it without a using.</remarks>
internal sealed class WorldProblems
{
    private readonly List<string> _problems = [];

    public int Count => _problems.Count;

    public void Add(string problem) => _problems.Add(problem);

    /// <summary>Every member of <paramref name="section"/> that is not one of <paramref name="allowed"/> is a problem.</summary>
    public void UnknownFields(JObject section, string sectionName, params string[] allowed)
    {
        foreach (var key in section.Keys.Where(k => !allowed.Contains(k, StringComparer.Ordinal)))
        {
            _problems.Add($"{sectionName}: unknown field '{key}' (allowed: {string.Join(", ", allowed)})");
        }
    }

    /// <summary>Runs <paramref name="read"/>; a <see cref="ScenarioException"/> from it is the problem "<paramref name="path"/>: message".</summary>
    public void Try(string path, Action read)
    {
        try
        {
            read();
        }
        catch (ScenarioException e)
        {
            _problems.Add($"{path}: {e.Message}");
        }
    }

    /// <summary>As <see cref="Try(string, Action)"/>, returning what <paramref name="read"/> read, or the default after a problem.</summary>
    public T Try<T>(string path, Func<T> read)
    {
        var value = default(T)!;
        Try(path, () => { value = read(); });
        return value;
    }

    /// <summary>Fails the section with every problem found, if there is any.</summary>
    public void ThrowIfAny()
    {
        if (_problems.Count > 0)
        {
            throw new ScenarioException(string.Join(Environment.NewLine, _problems));
        }
    }
}
