using System.Globalization;
using System.Text.RegularExpressions;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.EventBridge;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Scenarios;

/// <summary>A scenario file that cannot be used, with every problem found.</summary>
public sealed class ScenarioException(string message) : Exception(message);

/// <summary>Something a scenario makes happen at a virtual time: a registered event action and its arguments.</summary>
public sealed record ScenarioEvent(TimeSpan At, string Action, JObject Arguments);

/// <summary>
/// A rehearsal scenario (<c>scenarios/NAME.yaml</c> or <c>.json</c>): a world (a folder under
/// <c>scenarios/worlds/</c>, one file per service), per-service overrides, a virtual start time,
/// timed events, faults, the execution input and the expected outcome. See <c>scenarios/README.md</c>.
/// </summary>
public sealed partial class Scenario
{
    private static readonly HashSet<string> TopLevelKeys =
        ["description", "world", "start", "region", "account", "seed", "eventDeliverySeconds", "services", "events", "faults", "input", "expect", "run", "profiles"];

    /// <summary>What a rehearsal of the scenario runs: <c>upgrade</c> (the default) or <c>eos-scan</c> (the end-of-support scan).</summary>
    public static IReadOnlyList<string> Runs { get; } = ["upgrade", "eos-scan", "chat"];

    private Scenario(string name, string? sourcePath, JObject raw, JObject sections)
    {
        Name = name;
        SourcePath = sourcePath;
        Raw = raw;
        Sections = sections;
    }

    public string Name { get; }

    public string? SourcePath { get; }

    public JObject Raw { get; }

    public string? Description => Raw.GetString("description");

    /// <summary>The world's sections with the scenario's overrides merged in, keyed by service name.</summary>
    public JObject Sections { get; }

    public AccountOptions AccountOptions { get; private set; } = new();

    public IReadOnlyList<ScenarioEvent> Events { get; private set; } = [];

    /// <summary>When the last event happens (the start when there are none): a rehearsal runs at least until then.</summary>
    public DateTimeOffset LastEventAt => AccountOptions.Start + (Events.Count == 0 ? TimeSpan.Zero : Events.Max(e => e.At));

    public IReadOnlyList<FaultRule> Faults { get; private set; } = [];

    /// <summary>The execution input, when the scenario names one.</summary>
    public JValue? Input { get; private set; }

    /// <summary>One of <see cref="Runs"/>.</summary>
    public string Run => Raw.GetString("run") ?? "upgrade";

    /// <summary>
    /// The upgrade profiles to deploy instead of the repository's <c>profiles/</c> (a folder of profile files, relative to
    /// the scenario's folder or the repository root), or null: the end-of-support scan of a scenario reads these.
    /// </summary>
    public string? ProfilesDirectory { get; private set; }

    /// <summary>The expected outcome, free-form for the tests that check it.</summary>
    public JObject Expect => Raw.GetObject("expect") ?? JObject.Empty;

    public static string ScenariosDirectory => Path.Combine(BuildInfo.RepositoryRoot, "scenarios");

    /// <summary>
    /// A world folder's file (without extension) that is no service section: the account and Region the world lives in
    /// (<c>{ region, account }</c>), which an imported world carries (its ARNs name them). A scenario's own keys win.
    /// </summary>
    public const string WorldAccountFile = "account";

    /// <summary>Loads a scenario by name (<c>happy-alb</c>, from scenarios/) or by file path.</summary>
    public static Scenario Load(string nameOrPath)
    {
        var path = File.Exists(nameOrPath) ? nameOrPath : FindByName(nameOrPath);
        var raw = ParseFile(path) as JObject ?? throw new ScenarioException($"{path}: a scenario must be an object.");
        return FromJson(Path.GetFileNameWithoutExtension(path), raw, path);
    }

    /// <summary>Builds a scenario from JSON already in memory (tests); relative paths resolve against <paramref name="sourcePath"/>.</summary>
    public static Scenario FromJson(string name, JObject raw, string? sourcePath = null)
    {
        var problems = new List<string>();
        foreach (var key in raw.Keys.Where(k => !TopLevelKeys.Contains(k)))
        {
            problems.Add($"unknown field '{key}' (allowed: {string.Join(", ", TopLevelKeys)})");
        }

        if (raw.GetString("run") is { } run && !Runs.Contains(run))
        {
            problems.Add($"run '{run}' is not one of: {string.Join(", ", Runs)}");
        }

        var sections = JObject.Empty;
        var worldAccount = JObject.Empty;
        if (raw.GetString("world") is { } world)
        {
            (sections, worldAccount) = LoadWorld(world, problems);
        }

        if (raw.GetObject("services") is { } overrides)
        {
            sections = (JObject)DeepMerge(sections, overrides);
        }

        var scenario = new Scenario(name, sourcePath, raw, sections);
        scenario.AccountOptions = new AccountOptions
        {
            Region = raw.GetString("region") ?? worldAccount.GetString("region") ?? new AccountOptions().Region,
            AccountId = raw.GetString("account") ?? worldAccount.GetString("account") ?? new AccountOptions().AccountId,
            Start = raw.GetString("start") is { } start ? ParseTimestamp(start, problems) : new AccountOptions().Start,
            Seed = (int?)raw.GetNumber("seed") ?? new AccountOptions().Seed,
            RuleDeliveryLatency = raw.GetNumber("eventDeliverySeconds") is { } delivery and >= 0 ? TimeSpan.FromSeconds(delivery) : TargetDeliverer.ModelledRuleDeliveryLatency,
        };
        if (raw.GetString("profiles") is { } profiles)
        {
            scenario.ProfilesDirectory = ResolveDirectory(profiles, sourcePath);
            if (!Directory.Exists(scenario.ProfilesDirectory))
            {
                problems.Add($"profiles '{profiles}' is not a folder (relative to the scenario's folder or the repository root)");
            }
        }

        scenario.Events = ParseEvents(raw.GetArray("events"), scenario.AccountOptions.Start, problems);
        scenario.Faults = (raw.GetArray("faults") ?? JArray.Empty).Select((f, i) => TryParse(() => FaultRule.Parse(f.AsObject(), i, scenario.AccountOptions.Start), problems)).OfType<FaultRule>().ToList();
        scenario.Input = raw["input"] switch
        {
            JString inputPath => ParseFile(Resolve(inputPath.Value, sourcePath)),
            JObject inline => inline,
            null => null,
            var other => Fail<JValue>(problems, $"input must be a file path or an object, not {other.KindName}"),
        };

        return problems.Count > 0 ? throw new ScenarioException($"Scenario '{name}':{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", problems)}") : scenario;
    }

    /// <summary>Seeds every service of <paramref name="account"/> with its section, then adds faults and schedules events.</summary>
    public void Apply(SimulatedAccount account)
    {
        var problems = new List<string>();
        foreach (var key in Sections.Keys.Where(k => !account.Services.Any(s => s.WorldSection == k)))
        {
            problems.Add($"section '{key}' names no simulated service (services: {string.Join(", ", account.Services.Select(s => s.WorldSection))})");
        }

        foreach (var e in Events.Where(e => !account.TryGetEventAction(e.Action, out _)))
        {
            problems.Add($"event action '{e.Action}' does not exist (actions: {string.Join(", ", account.EventActionNames.Order())})");
        }

        for (var i = 0; i < Faults.Count; i++)
        {
            problems.AddRange(Faults[i].ProblemsIn(account).Select(p => $"faults[{i}]: {p}"));
        }

        if (problems.Count > 0)
        {
            throw new ScenarioException($"Scenario '{Name}':{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", problems)}");
        }

        foreach (var service in account.Services)
        {
            service.Seed(Sections.GetObject(service.WorldSection) ?? JObject.Empty, account);
        }

        foreach (var fault in Faults)
        {
            account.Faults.Add(fault);
        }

        foreach (var e in Events)
        {
            account.TryGetEventAction(e.Action, out var action);
            account.Scheduler.Schedule(account.Options.Start + e.At, () => action(e.Arguments));
        }
    }

    /// <summary>Objects merge key by key; anything else in <paramref name="overrides"/> replaces.</summary>
    public static JValue DeepMerge(JValue baseValue, JValue overrides)
    {
        if (baseValue is not JObject b || overrides is not JObject o)
        {
            return overrides;
        }

        var builder = new JObjectBuilder(b);
        foreach (var (key, value) in o)
        {
            builder[key] = b.TryGet(key, out var existing) ? DeepMerge(existing, value) : value;
        }

        return builder.Build();
    }

    /// <summary>"90s", "5m", "1h30m", "2d", a number of seconds, or an absolute timestamp.</summary>
    public static TimeSpan ParseOffset(JValue value, DateTimeOffset start)
    {
        switch (value)
        {
            case JNumber n:
                return TimeSpan.FromSeconds(n.Value);
            case JString s when OffsetRegex().Match(s.Value) is { Success: true } m:
                {
                    var total = TimeSpan.Zero;
                    foreach (Capture c in m.Groups["part"].Captures)
                    {
                        var amount = double.Parse(c.Value[..^1], CultureInfo.InvariantCulture);
                        total += c.Value[^1] switch
                        {
                            's' => TimeSpan.FromSeconds(amount),
                            'm' => TimeSpan.FromMinutes(amount),
                            'h' => TimeSpan.FromHours(amount),
                            _ => TimeSpan.FromDays(amount),
                        };
                    }

                    return total;
                }

            case JString s when DateTimeOffset.TryParse(s.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at):
                return at - start;
            default:
                throw new ScenarioException($"'{value.ToJson()}' is not a time: use 90s, 5m, 1h30m, 2d, seconds, or an ISO 8601 timestamp.");
        }
    }

    private static string FindByName(string name)
    {
        foreach (var ext in (string[])[".yaml", ".yml", ".json"])
        {
            var candidate = Path.Combine(ScenariosDirectory, name + ext);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var known = Directory.Exists(ScenariosDirectory)
            ? Directory.GetFiles(ScenariosDirectory).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)).Select(Path.GetFileNameWithoutExtension).Order().ToList()
            : [];
        throw new ScenarioException($"No scenario '{name}' (known: {string.Join(", ", known)}).");
    }

    /// <summary>A world by name (a folder of scenarios/worlds) or by folder path (an imported world: <c>world import</c>).</summary>
    private static (JObject Sections, JObject Account) LoadWorld(string world, List<string> problems)
    {
        var byPath = (world.Contains('/', StringComparison.Ordinal) || world.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || world.StartsWith('.')) && Directory.Exists(world);
        var dir = byPath ? Path.GetFullPath(world) : Path.Combine(ScenariosDirectory, "worlds", world);
        if (!Directory.Exists(dir))
        {
            problems.Add($"world '{world}' does not exist (expected the folder {dir})");
            return (JObject.Empty, JObject.Empty);
        }

        var account = JObject.Empty;
        var builder = new JObjectBuilder();
        foreach (var file in Directory.GetFiles(dir).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (ParseFile(file) is JObject section)
            {
                if (Path.GetFileNameWithoutExtension(file) == WorldAccountFile)
                {
                    account = section;
                }
                else
                {
                    builder[Path.GetFileNameWithoutExtension(file)] = section;
                }
            }
            else
            {
                problems.Add($"{file}: a world file must be an object");
            }
        }

        return (builder.Build(), account);
    }

    private static List<ScenarioEvent> ParseEvents(JArray? events, DateTimeOffset start, List<string> problems)
    {
        var list = new List<ScenarioEvent>();
        for (var i = 0; i < (events?.Count ?? 0); i++)
        {
            if (events![i] is not JObject e || e["at"] is not { } at || e.GetString("do") is not { } action)
            {
                problems.Add($"events[{i}] needs 'at' (when) and 'do' (the action)");
                continue;
            }

            var offset = TryParse(() => ParseOffset(at, start), problems);
            list.Add(new ScenarioEvent(offset, action, e.Without("at").Without("do")));
        }

        return list.OrderBy(e => e.At).ToList();
    }

    private static JValue ParseFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ScenarioException($"No such file '{path}'.");
        }

        var text = File.ReadAllText(path);
        if (path.EndsWith(".json", StringComparison.Ordinal))
        {
            return JValue.TryParse(text, out var json, out var error) ? json : throw new ScenarioException($"{path}: {error}");
        }

        try
        {
            return YamlJson.Parse(text);
        }
        catch (ScenarioException e)
        {
            throw new ScenarioException($"{path}: {e.Message}");
        }
    }

    private static string Resolve(string path, string? sourcePath)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        var relativeToScenario = sourcePath is null ? null : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(sourcePath)!, path));
        return relativeToScenario is not null && File.Exists(relativeToScenario) ? relativeToScenario : Path.Combine(BuildInfo.RepositoryRoot, path);
    }

    private static string ResolveDirectory(string path, string? sourcePath)
    {
        var relativeToScenario = sourcePath is null || Path.IsPathRooted(path) ? null : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(sourcePath)!, path));
        return relativeToScenario is not null && Directory.Exists(relativeToScenario) ? relativeToScenario : Path.GetFullPath(Path.Combine(BuildInfo.RepositoryRoot, path));
    }

    private static DateTimeOffset ParseTimestamp(string text, List<string> problems)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        problems.Add($"start '{text}' is not an ISO 8601 timestamp");
        return new AccountOptions().Start;
    }

    private static T TryParse<T>(Func<T> parse, List<string> problems)
    {
        try
        {
            return parse();
        }
        catch (ScenarioException e)
        {
            problems.Add(e.Message);
            return default!;
        }
    }

    private static T Fail<T>(List<string> problems, string message)
    {
        problems.Add(message);
        return default!;
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?[smhd])+$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetRegex();
}
