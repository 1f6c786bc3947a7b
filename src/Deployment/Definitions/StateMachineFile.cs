using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BlueGreen.Deployment.Definitions;

/// <summary>One Task state: its name, its <c>Resource</c> and its <c>Parameters</c> (if any).</summary>
public sealed record TaskCall(string StateName, string Resource, JsonObject? Parameters)
{
    /// <summary>
    /// The <c>${Placeholder}</c> a parameter names statically (<c>"FunctionName": "${PlanUpgradeFunctionArn}"</c>),
    /// or null when the parameter is computed at run time (<c>"FunctionName.$": "$.functionArn"</c>) or absent.
    /// </summary>
    public string? StaticPlaceholder(string parameter) =>
        Parameters?[parameter] is JsonValue value && value.TryGetValue<string>(out var text) && StateMachineFile.WholePlaceholder(text) is { } name
            ? name
            : null;

    /// <summary>True when the parameter is given at run time (<c>Parameter.$</c>).</summary>
    public bool IsDynamic(string parameter) => Parameters?.ContainsKey(parameter + ".$") == true;

    /// <summary>The placeholders a run-time parameter's expression names (<c>States.Format('${Prefix}{}', $.x)</c>: <c>Prefix</c>).</summary>
    public IReadOnlyList<string> DynamicPlaceholders(string parameter) =>
        Parameters?[parameter + ".$"] is JsonValue value && value.TryGetValue<string>(out var text)
            ? StateMachineFile.PlaceholdersIn(text)
            : [];
}

/// <summary>
/// A state machine file of <c>statemachines/</c>, read the way the deployment needs it: the placeholders it
/// uses (every one must get a DefinitionSubstitution) and every Task it runs (every one needs IAM).
/// </summary>
public sealed partial class StateMachineFile
{
    private StateMachineFile(string name, string path, string text, IReadOnlyList<TaskCall> tasks)
    {
        Name = name;
        FilePath = path;
        Text = text;
        Tasks = tasks;
        Placeholders = PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The file's base name: <c>upgrade</c>, <c>bake</c>, <c>decommission-cluster</c>, <c>restore-blue</c>.</summary>
    public string Name { get; }

    public string FilePath { get; }

    public string Text { get; }

    /// <summary>Every <c>${Placeholder}</c> the file uses, sorted.</summary>
    public IReadOnlyList<string> Placeholders { get; }

    /// <summary>Every Task state, including those inside Parallel branches and Map processors.</summary>
    public IReadOnlyList<TaskCall> Tasks { get; }

    /// <summary>The distinct Task resources (<c>arn:aws:states:::...</c>), sorted.</summary>
    public IReadOnlyList<string> Resources => Tasks.Select(t => t.Resource).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The deployed state machines, children first (the upgrade names the others); reconcile-run, which reads the upgrade's
    /// executions, after it.
    /// </summary>
    public static IReadOnlyList<string> DeployedNames { get; } = ["describe-blue", "create-green", "traffic-alb", "traffic-route53", "start-run", "prepare-traffic", "ask-approval", "gate", "alarm-history", "bake", "shift-step", "confirm-green", "retire-blue", "decommission-cluster", "restore-blue", "upgrade", "reconcile-run", "alarm-rollback", "eos-scan-cluster", "eos-scan", "chat-command"];

    /// <summary>
    /// Families of interchangeable children, started by a name computed at run time: the placeholder is the ARN prefix the
    /// family's physical names share, and a member's file is named with the family's prefix. The traffic adapters are one:
    /// <c>States.Format('${TrafficStateMachineArnPrefix}{}', $.plan.traffic.type)</c> starts <c>traffic-alb</c> or
    /// <c>traffic-route53</c>, so no state machine branches on the traffic provider.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Families { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["TrafficStateMachineArnPrefix"] = "traffic-",
    };

    public static StateMachineFile Load(string directory, string name)
    {
        var path = Path.Combine(directory, name + ".asl.json");
        var text = File.ReadAllText(path);
        var root = JsonNode.Parse(text)?.AsObject() ?? throw new InvalidDataException($"{path} is not a JSON object.");
        var tasks = new List<TaskCall>();
        CollectTasks(root["States"]?.AsObject(), tasks);
        return new StateMachineFile(name, path, text, tasks);
    }

    public static IReadOnlyList<StateMachineFile> LoadDeployed(string directory) => DeployedNames.Select(n => Load(directory, n)).ToList();

    /// <summary>Every placeholder named in <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<string> PlaceholdersIn(string text) => PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The placeholder name when the whole string is one placeholder (<c>${Name}</c>), else null.</summary>
    public static string? WholePlaceholder(string text)
    {
        var match = PlaceholderPattern().Match(text);
        return match.Success && match.Length == text.Length ? match.Groups[1].Value : null;
    }

    private static void CollectTasks(JsonObject? states, List<TaskCall> tasks)
    {
        if (states is null)
        {
            return;
        }

        foreach (var (name, node) in states)
        {
            if (node is not JsonObject state)
            {
                continue;
            }

            if ((string?)state["Type"] == "Task" && (string?)state["Resource"] is { } resource)
            {
                tasks.Add(new TaskCall(name, resource, state["Parameters"] as JsonObject));
            }

            if (state["Branches"] is JsonArray branches)
            {
                foreach (var branch in branches.OfType<JsonObject>())
                {
                    CollectTasks(branch["States"]?.AsObject(), tasks);
                }
            }

            foreach (var processor in new[] { "ItemProcessor", "Iterator" })
            {
                if (state[processor] is JsonObject inner)
                {
                    CollectTasks(inner["States"]?.AsObject(), tasks);
                }
            }
        }
    }

    [GeneratedRegex(@"\$\{([A-Za-z][A-Za-z0-9]*)\}")]
    private static partial Regex PlaceholderPattern();
}
