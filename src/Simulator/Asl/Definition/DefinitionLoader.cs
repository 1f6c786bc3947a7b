using BlueGreen.Simulator.Asl.Paths;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// Parses and validates a States Language definition in one pass, collecting every problem
/// (ValidateStateMachineDefinition style: code, message, location) before anything runs.
/// </summary>
public static class DefinitionLoader
{
    private const int MaxStateNameLength = 80;

    /// <summary>The specification limits variable names to 80 characters, like state names.</summary>
    private const int MaxVariableNameLength = 80;

    private static readonly string[] WaitFields = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];

    private static readonly HashSet<string> CommonFields = ["Type", "Comment", "QueryLanguage"];

    private static readonly Dictionary<string, HashSet<string>> FieldsByType = new(StringComparer.Ordinal)
    {
        ["Pass"] = ["Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result", "Assign"],
        ["Task"] = ["Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Retry", "Catch", "Credentials", "Assign"],
        ["Choice"] = ["InputPath", "OutputPath", "Choices", "Default", "Assign"],
        ["Wait"] = ["Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath", "Assign"],
        ["Succeed"] = ["InputPath", "OutputPath"],
        ["Fail"] = ["Error", "ErrorPath", "Cause", "CausePath"],
        ["Parallel"] = ["Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Branches", "Retry", "Catch", "Assign"],
        ["Map"] = ["Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "ItemsPath", "ItemSelector", "ItemProcessor", "Iterator", "MaxConcurrency", "MaxConcurrencyPath", "Retry", "Catch", "Assign", "ItemReader", "ResultWriter", "ItemBatcher", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label"],
    };

    private static readonly Dictionary<string, ComparisonKind> Comparisons =
        Enum.GetValues<ComparisonKind>().ToDictionary(k => k.ToString(), k => k, StringComparer.Ordinal);

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

        var context = new Context(diagnostics);
        foreach (var key in top.Keys)
        {
            if (key is not ("StartAt" or "States" or "Comment" or "Version" or "TimeoutSeconds" or "QueryLanguage"))
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The field '{key}' is not supported by Step Functions", "/");
            }
        }

        CheckQueryLanguage(top, "", diagnostics);
        int? timeout = null;
        if (top.TryGet("TimeoutSeconds", out var t))
        {
            timeout = context.PositiveInteger(t, "TimeoutSeconds", "/TimeoutSeconds", allowZero: false);
        }

        var machine = context.CompileMachine(top, "", isTopLevel: true);
        VariableScopes.Check(top, "", diagnostics);
        return machine is null ? null : new StateMachineDefinition(machine.StartAt, machine.States, timeout, top);
    }

    private static void CheckQueryLanguage(JObject o, string location, DiagnosticBag diagnostics)
    {
        if (o.GetString("QueryLanguage") is { } language && language != "JSONPath")
        {
            diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"QueryLanguage '{language}' is not supported by the local engine; use JSONPath", $"{location}/QueryLanguage");
        }
    }

    private sealed class Context(DiagnosticBag diagnostics)
    {
        /// <summary>
        /// Every state name seen so far, in any branch or item processor: names are unique within the
        /// whole state machine (ASL spec, States), which is also what lets mocks and history name a state.
        /// </summary>
        private readonly HashSet<string> _stateNames = new(StringComparer.Ordinal);

        public StateMachineDefinition? CompileMachine(JObject o, string location, bool isTopLevel)
        {
            if (!isTopLevel)
            {
                foreach (var key in o.Keys)
                {
                    if (key is not ("StartAt" or "States" or "Comment" or "ProcessorConfig"))
                    {
                        diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The field '{key}' is not supported by Step Functions", location);
                    }
                }
            }

            var startAt = o.GetString("StartAt");
            if (startAt is null)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [StartAt]", Loc(location));
            }

            var statesJson = o.GetObject("States");
            if (statesJson is null || statesJson.Count == 0)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [States] (an object with at least one state)", Loc(location));
                return null;
            }

            var states = new Dictionary<string, State>(StringComparer.Ordinal);
            foreach (var (name, value) in statesJson)
            {
                var stateLocation = $"{location}/States/{name}";
                if (name.Length == 0 || name.Length > MaxStateNameLength)
                {
                    diagnostics.Error("INVALID_STATE_NAME", $"State names must be 1 to {MaxStateNameLength} characters long", stateLocation);
                }

                if (!_stateNames.Add(name))
                {
                    diagnostics.Error("DUPLICATE_STATE_NAME", $"Duplicate State name: '{name}' (state names must be unique across the whole state machine, branches and item processors included)", stateLocation);
                }

                if (value is not JObject stateJson)
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", "A state must be a JSON object", stateLocation);
                    continue;
                }

                var state = CompileState(name, stateJson, stateLocation);
                if (state is not null)
                {
                    states[name] = state;
                }
            }

            if (startAt is not null && !statesJson.ContainsKey(startAt))
            {
                diagnostics.Error("MISSING_TRANSITION_TARGET", $"Missing 'StartAt' target: {startAt}", Loc(location) + "StartAt");
            }

            CheckTransitions(states, statesJson, location);
            if (startAt is not null && statesJson.ContainsKey(startAt))
            {
                CheckReachability(startAt, states, location);
            }

            return startAt is null ? null : new StateMachineDefinition(startAt, states, null, o);
        }

        private static string Loc(string location) => location.Length == 0 ? "/" : location + "/";

        private void CheckTransitions(Dictionary<string, State> states, JObject statesJson, string location)
        {
            var hasTerminal = false;
            foreach (var state in states.Values)
            {
                var stateLocation = $"{location}/States/{state.Name}";
                foreach (var (target, field) in Transitions(state))
                {
                    if (!statesJson.ContainsKey(target))
                    {
                        diagnostics.Error("MISSING_TRANSITION_TARGET", $"Missing '{field.Split('/')[^1]}' target: {target}", $"{stateLocation}/{field}");
                    }
                }

                hasTerminal |= state.End || state is SucceedState or FailState;
            }

            if (!hasTerminal)
            {
                diagnostics.Error("MISSING_END_STATE", "The workflow has no terminal state (End: true, Succeed or Fail)", Loc(location) + "States");
            }
        }

        private void CheckReachability(string startAt, Dictionary<string, State> states, string location)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal) { startAt };
            var queue = new Queue<string>([startAt]);
            while (queue.TryDequeue(out var name))
            {
                if (!states.TryGetValue(name, out var state))
                {
                    continue;
                }

                foreach (var (target, _) in Transitions(state))
                {
                    if (seen.Add(target))
                    {
                        queue.Enqueue(target);
                    }
                }
            }

            foreach (var name in states.Keys.Where(n => !seen.Contains(n)))
            {
                diagnostics.Error("UNREACHABLE_STATE", $"State '{name}' is not reachable", $"{location}/States/{name}");
            }
        }

        private static IEnumerable<(string Target, string Field)> Transitions(State state)
        {
            if (state.Next is not null)
            {
                yield return (state.Next, "Next");
            }

            if (state is ChoiceState choice)
            {
                for (var i = 0; i < choice.Choices.Count; i++)
                {
                    yield return (choice.Choices[i].Next, $"Choices[{i}]/Next");
                }

                if (choice.Default is not null)
                {
                    yield return (choice.Default, "Default");
                }
            }

            if (state is RecoverableState recoverable)
            {
                for (var i = 0; i < recoverable.Catch.Count; i++)
                {
                    yield return (recoverable.Catch[i].Next, $"Catch[{i}]/Next");
                }
            }
        }

        private State? CompileState(string name, JObject o, string location)
        {
            var type = o.GetString("Type");
            if (type is null || !FieldsByType.TryGetValue(type, out var allowed))
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", type is null ? "These fields are required: [Type]" : $"The value for the field 'Type' must be one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map but was '{type}'", $"{location}/Type");
                return null;
            }

            foreach (var key in o.Keys)
            {
                if (!allowed.Contains(key) && !CommonFields.Contains(key))
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The field '{key}' is not supported by state type {type}", $"{location}/{key}");
                }
            }

            CheckQueryLanguage(o, location, diagnostics);
            var next = o.GetString("Next");
            var end = o.GetBool("End") ?? false;
            if (o.TryGet("End", out var endValue) && endValue is not JBool)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'End' must be a BOOLEAN", $"{location}/End");
            }

            if (o.TryGet("Next", out var nextValue) && nextValue is not JString)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Next' must be a STRING", $"{location}/Next");
            }

            if (allowed.Contains("Next"))
            {
                if (next is not null && end)
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'Next' or 'End' can be set", location);
                }
                else if (next is null && !end)
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", "Either 'Next' or 'End: true' is required", location);
                }
            }

            var inputPath = PathFieldOf(o, "InputPath", location, referenceOnly: false);
            var outputPath = PathFieldOf(o, "OutputPath", location, referenceOnly: false);
            var assign = AssignOf(o, location);

            return type switch
            {
                "Pass" => new PassState
                {
                    Name = name, Type = type, Next = next, End = end, InputPath = inputPath, OutputPath = outputPath, Assign = assign,
                    ResultPath = PathFieldOf(o, "ResultPath", location, referenceOnly: true),
                    Result = o["Result"],
                    Parameters = TemplateOf(o, "Parameters", location),
                },
                "Task" => CompileTask(name, o, location, next, end, inputPath, outputPath, assign),
                "Choice" => new ChoiceState
                {
                    Name = name, Type = type, InputPath = inputPath, OutputPath = outputPath, Assign = assign,
                    Choices = ChoicesOf(o, location),
                    Default = StringOf(o, "Default", location),
                },
                "Wait" => CompileWait(name, o, location, next, end, inputPath, outputPath, assign),
                "Succeed" => new SucceedState { Name = name, Type = type, InputPath = inputPath, OutputPath = outputPath },
                "Fail" => CompileFail(name, o, location),
                "Parallel" => CompileParallel(name, o, location, next, end, inputPath, outputPath, assign),
                _ => CompileMap(name, o, location, next, end, inputPath, outputPath, assign),
            };
        }

        private TaskState CompileTask(string name, JObject o, string location, string? next, bool end, PathField inputPath, PathField outputPath, PayloadTemplate? assign)
        {
            var resource = o.GetString("Resource");
            if (resource is null)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Resource]", location);
            }
            else if (!resource.StartsWith("arn:", StringComparison.Ordinal) || resource.Split(':').Length < 6)
            {
                diagnostics.Error("INVALID_RESOURCE", $"The resource '{resource}' is not a valid ARN", $"{location}/Resource");
            }

            var timeout = o.TryGet("TimeoutSeconds", out var ts) ? PositiveInteger(ts, "TimeoutSeconds", $"{location}/TimeoutSeconds", allowZero: false) : null;
            var heartbeat = o.TryGet("HeartbeatSeconds", out var hb) ? PositiveInteger(hb, "HeartbeatSeconds", $"{location}/HeartbeatSeconds", allowZero: false) : null;
            var timeoutPath = ReferencePathOf(o, "TimeoutSecondsPath", location);
            var heartbeatPath = ReferencePathOf(o, "HeartbeatSecondsPath", location);
            if (timeout is not null && timeoutPath is not null)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'TimeoutSeconds' or 'TimeoutSecondsPath' can be set", location);
            }

            if (heartbeat is not null && heartbeatPath is not null)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'HeartbeatSeconds' or 'HeartbeatSecondsPath' can be set", location);
            }

            if (timeout is not null && heartbeat is not null && heartbeat >= timeout)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'", $"{location}/HeartbeatSeconds");
            }

            return new TaskState
            {
                Name = name, Type = "Task", Next = next, End = end, InputPath = inputPath, OutputPath = outputPath, Assign = assign,
                Resource = resource ?? string.Empty,
                ResultPath = PathFieldOf(o, "ResultPath", location, referenceOnly: true),
                Parameters = TemplateOf(o, "Parameters", location),
                ResultSelector = TemplateOf(o, "ResultSelector", location),
                TimeoutSeconds = timeout,
                TimeoutSecondsPath = timeoutPath,
                HeartbeatSeconds = heartbeat,
                HeartbeatSecondsPath = heartbeatPath,
                Retry = RetryOf(o, location),
                Catch = CatchOf(o, location),
            };
        }

        private WaitState CompileWait(string name, JObject o, string location, string? next, bool end, PathField inputPath, PathField outputPath, PayloadTemplate? assign)
        {
            var present = WaitFields.Where(o.ContainsKey).ToList();
            if (present.Count != 1)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "Exactly one of 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath' is required", location);
            }

            DateTimeOffset? timestamp = null;
            if (o.TryGet("Timestamp", out var tsValue))
            {
                if (tsValue is JString s && Rfc3339Timestamp.TryParse(s.Value, out var parsed))
                {
                    timestamp = parsed;
                }
                else
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Timestamp' must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z", $"{location}/Timestamp");
                }
            }

            return new WaitState
            {
                Name = name, Type = "Wait", Next = next, End = end, InputPath = inputPath, OutputPath = outputPath, Assign = assign,
                Seconds = o.TryGet("Seconds", out var sec) ? PositiveInteger(sec, "Seconds", $"{location}/Seconds", allowZero: true) : null,
                SecondsPath = ReferencePathOf(o, "SecondsPath", location),
                Timestamp = timestamp,
                TimestampPath = ReferencePathOf(o, "TimestampPath", location),
            };
        }

        private FailState CompileFail(string name, JObject o, string location)
        {
            if (o.ContainsKey("Error") && o.ContainsKey("ErrorPath"))
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'Error' or 'ErrorPath' can be set", location);
            }

            if (o.ContainsKey("Cause") && o.ContainsKey("CausePath"))
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'Cause' or 'CausePath' can be set", location);
            }

            return new FailState
            {
                Name = name, Type = "Fail",
                Error = StringOf(o, "Error", location),
                Cause = StringOf(o, "Cause", location),
                ErrorExpression = ExpressionOf(o, "ErrorPath", location),
                CauseExpression = ExpressionOf(o, "CausePath", location),
            };
        }

        private ParallelState CompileParallel(string name, JObject o, string location, string? next, bool end, PathField inputPath, PathField outputPath, PayloadTemplate? assign)
        {
            var branches = new List<StateMachineDefinition>();
            if (o.GetArray("Branches") is not { Count: > 0 } branchesJson)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Branches] (a non-empty array)", location);
            }
            else
            {
                for (var i = 0; i < branchesJson.Count; i++)
                {
                    if (branchesJson[i] is JObject b && CompileMachine(b, $"{location}/Branches[{i}]", isTopLevel: false) is { } branch)
                    {
                        branches.Add(branch);
                    }
                    else if (branchesJson[i] is not JObject)
                    {
                        diagnostics.Error("SCHEMA_VALIDATION_FAILED", "Each branch must be an object with StartAt and States", $"{location}/Branches[{i}]");
                    }
                }
            }

            return new ParallelState
            {
                Name = name, Type = "Parallel", Next = next, End = end, InputPath = inputPath, OutputPath = outputPath, Assign = assign,
                Branches = branches,
                ResultPath = PathFieldOf(o, "ResultPath", location, referenceOnly: true),
                Parameters = TemplateOf(o, "Parameters", location),
                ResultSelector = TemplateOf(o, "ResultSelector", location),
                Retry = RetryOf(o, location),
                Catch = CatchOf(o, location),
            };
        }

        private MapState? CompileMap(string name, JObject o, string location, string? next, bool end, PathField inputPath, PathField outputPath, PayloadTemplate? assign)
        {
            var processorJson = o.GetObject("ItemProcessor") ?? o.GetObject("Iterator");
            var processorField = o.ContainsKey("ItemProcessor") ? "ItemProcessor" : "Iterator";
            if (o.ContainsKey("ItemProcessor") && o.ContainsKey("Iterator"))
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'ItemProcessor' or 'Iterator' can be set", location);
            }

            if (o.ContainsKey("ItemSelector") && o.ContainsKey("Parameters"))
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'ItemSelector' or 'Parameters' can be set", location);
            }

            foreach (var distributedOnly in (string[])["ItemReader", "ResultWriter", "ItemBatcher", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label"])
            {
                if (o.ContainsKey(distributedOnly))
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"'{distributedOnly}' belongs to Distributed Map, which the local engine does not run; use an inline Map", $"{location}/{distributedOnly}");
                }
            }

            if (processorJson?.GetObject("ProcessorConfig")?.GetString("Mode") is { } mode && mode != "INLINE")
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"ProcessorConfig Mode '{mode}' is not supported by the local engine; use INLINE", $"{location}/{processorField}/ProcessorConfig/Mode");
            }

            StateMachineDefinition? processor = null;
            if (processorJson is null)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [ItemProcessor]", location);
            }
            else
            {
                processor = CompileMachine(processorJson, $"{location}/{processorField}", isTopLevel: false);
            }

            var maxConcurrency = o.TryGet("MaxConcurrency", out var mc) ? PositiveInteger(mc, "MaxConcurrency", $"{location}/MaxConcurrency", allowZero: true) ?? 0 : 0;
            var maxConcurrencyPath = ReferencePathOf(o, "MaxConcurrencyPath", location);
            if (o.ContainsKey("MaxConcurrency") && maxConcurrencyPath is not null)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'MaxConcurrency' or 'MaxConcurrencyPath' can be set", location);
            }

            var itemsPath = ReferencePathOf(o, "ItemsPath", location);
            return processor is null ? null : new MapState
            {
                Name = name, Type = "Map", Next = next, End = end, InputPath = inputPath, OutputPath = outputPath, Assign = assign,
                Processor = processor,
                ItemsPath = itemsPath,
                ItemSelector = TemplateOf(o, o.ContainsKey("ItemSelector") ? "ItemSelector" : "Parameters", location),
                MaxConcurrency = maxConcurrency,
                MaxConcurrencyPath = maxConcurrencyPath,
                ResultPath = PathFieldOf(o, "ResultPath", location, referenceOnly: true),
                ResultSelector = TemplateOf(o, "ResultSelector", location),
                Retry = RetryOf(o, location),
                Catch = CatchOf(o, location),
            };
        }

        private List<ChoiceRule> ChoicesOf(JObject o, string location)
        {
            var rules = new List<ChoiceRule>();
            if (o.GetArray("Choices") is not { Count: > 0 } choices)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Choices] (a non-empty array)", location);
                return rules;
            }

            for (var i = 0; i < choices.Count; i++)
            {
                var ruleLocation = $"{location}/Choices[{i}]";
                if (choices[i] is not JObject rule)
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", "A choice rule must be an object", ruleLocation);
                    continue;
                }

                var next = rule.GetString("Next");
                if (next is null)
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Next]", ruleLocation);
                }

                var condition = ConditionOf(rule, ruleLocation, topLevel: true);
                if (condition is not null && next is not null)
                {
                    rules.Add(new ChoiceRule(condition, next, AssignOf(rule, ruleLocation)));
                }
            }

            return rules;
        }

        private ChoiceCondition? ConditionOf(JObject rule, string location, bool topLevel)
        {
            foreach (var key in rule.Keys)
            {
                var allowedHere = key is "Variable" or "And" or "Or" or "Not" or "Comment" || Comparisons.ContainsKey(key) || Comparisons.ContainsKey(StripPath(key))
                    || (topLevel && key is "Next" or "Assign");
                if (!allowedHere)
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", topLevel || key is not ("Next" or "Assign")
                        ? $"The field '{key}' is not supported in a choice rule"
                        : $"The field '{key}' is only allowed in a top-level choice rule", $"{location}/{key}");
                }
            }

            // A rule is either one comparison on a Variable or one of And, Or, Not; a mixture would leave
            // part of it unevaluated, so it is refused rather than silently half-applied.
            var combinators = rule.Keys.Where(k => k is "And" or "Or" or "Not").ToList();
            var comparisonFields = rule.Keys.Where(k => k == "Variable" || Comparisons.ContainsKey(StripPath(k))).ToList();
            if (combinators.Count > 1 || (combinators.Count == 1 && comparisonFields.Count > 0))
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"A choice rule is either a comparison on a Variable or exactly one of And, Or and Not, but this one has {string.Join(", ", combinators.Concat(comparisonFields))}", location);
                return null;
            }

            if (rule.GetArray("And") is { } and)
            {
                return new AndCondition(NestedConditions(and, $"{location}/And"));
            }

            if (rule.GetArray("Or") is { } or)
            {
                return new OrCondition(NestedConditions(or, $"{location}/Or"));
            }

            if (rule.GetObject("Not") is { } not)
            {
                var inner = ConditionOf(not, $"{location}/Not", topLevel: false);
                return inner is null ? null : new NotCondition(inner);
            }

            var operators = rule.Keys.Where(k => Comparisons.ContainsKey(StripPath(k))).ToList();
            if (operators.Count != 1)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", operators.Count == 0
                    ? "A choice rule needs exactly one comparison operator, or And, Or or Not"
                    : $"A choice rule can have only one comparison operator but has {string.Join(", ", operators)}", location);
                return null;
            }

            var variableText = rule.GetString("Variable");
            if (variableText is null)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Variable]", location);
                return null;
            }

            if (!JsonPath.TryParse(variableText, out var variable, out var error))
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", error!, $"{location}/Variable");
                return null;
            }

            var op = operators[0];
            var kind = Comparisons[StripPath(op)];
            var operand = rule[op]!;
            var isPathVariant = op.EndsWith("Path", StringComparison.Ordinal) && !Comparisons.ContainsKey(op);
            if (isPathVariant)
            {
                // The type tests have no Path form, and neither has StringMatches (ASL spec, Choice Rules).
                if (kind >= ComparisonKind.IsNull || kind == ComparisonKind.StringMatches)
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"'{op}' is not a valid operator", $"{location}/{op}");
                    return null;
                }

                if (operand is not JString pathText || !JsonPath.TryParse(pathText.Value, out var other, out _))
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The value for the field '{op}' must be a valid JSONPath", $"{location}/{op}");
                    return null;
                }

                return new ComparisonCondition(variable!, kind, null, other, op);
            }

            var expectedOk = kind switch
            {
                >= ComparisonKind.StringEquals and <= ComparisonKind.StringMatches => operand is JString,
                >= ComparisonKind.NumericEquals and <= ComparisonKind.NumericGreaterThanEquals => operand is JNumber,
                >= ComparisonKind.TimestampEquals and <= ComparisonKind.TimestampGreaterThanEquals => operand is JString s && Rfc3339Timestamp.TryParse(s.Value, out _),
                _ => operand is JBool,
            };
            if (!expectedOk)
            {
                var expected = kind switch
                {
                    >= ComparisonKind.StringEquals and <= ComparisonKind.StringMatches => "a STRING",
                    >= ComparisonKind.NumericEquals and <= ComparisonKind.NumericGreaterThanEquals => "a NUMBER",
                    >= ComparisonKind.TimestampEquals and <= ComparisonKind.TimestampGreaterThanEquals => "an RFC 3339 timestamp",
                    _ => "a BOOLEAN",
                };
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The value for the field '{op}' must be {expected}", $"{location}/{op}");
                return null;
            }

            if (kind == ComparisonKind.StringMatches && !WildcardPattern.IsValid(operand.AsString()))
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'StringMatches' has an open escape: only \\* and \\\\ may follow a backslash", $"{location}/{op}");
                return null;
            }

            return new ComparisonCondition(variable!, kind, operand, null, op);
        }

        private static string StripPath(string op) =>
            op.EndsWith("Path", StringComparison.Ordinal) && !Comparisons.ContainsKey(op) ? op[..^4] : op;

        private List<ChoiceCondition> NestedConditions(JArray array, string location)
        {
            var list = new List<ChoiceCondition>();
            if (array.Count == 0)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "And / Or need at least one rule", location);
            }

            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JObject nested && ConditionOf(nested, $"{location}[{i}]", topLevel: false) is { } condition)
                {
                    list.Add(condition);
                }
                else if (array[i] is not JObject)
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", "A choice rule must be an object", $"{location}[{i}]");
                }
            }

            return list;
        }

        private List<Retrier> RetryOf(JObject o, string location)
        {
            var list = new List<Retrier>();
            if (!o.TryGet("Retry", out var value))
            {
                return list;
            }

            if (value is not JArray retriers)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Retry' must be an ARRAY", $"{location}/Retry");
                return list;
            }

            for (var i = 0; i < retriers.Count; i++)
            {
                var l = $"{location}/Retry[{i}]";
                if (retriers[i] is not JObject r)
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", "A retrier must be an object", l);
                    continue;
                }

                foreach (var key in r.Keys.Where(k => k is not ("ErrorEquals" or "IntervalSeconds" or "MaxAttempts" or "BackoffRate" or "MaxDelaySeconds" or "JitterStrategy" or "Comment")))
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The field '{key}' is not supported in a retrier", $"{l}/{key}");
                }

                var errors = ErrorEqualsOf(r, l, isLast: i == retriers.Count - 1, "retrier");
                var interval = r.TryGet("IntervalSeconds", out var iv) ? PositiveInteger(iv, "IntervalSeconds", $"{l}/IntervalSeconds", allowZero: false) ?? 1 : 1;
                var maxAttempts = r.TryGet("MaxAttempts", out var ma) ? PositiveInteger(ma, "MaxAttempts", $"{l}/MaxAttempts", allowZero: true) ?? 3 : 3;
                var backoff = 2.0;
                if (r.TryGet("BackoffRate", out var br))
                {
                    if (br is JNumber n && n.Value >= 1.0)
                    {
                        backoff = n.Value;
                    }
                    else
                    {
                        diagnostics.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'BackoffRate' must be a NUMBER of at least 1.0", $"{l}/BackoffRate");
                    }
                }

                double? maxDelay = r.TryGet("MaxDelaySeconds", out var md) ? PositiveInteger(md, "MaxDelaySeconds", $"{l}/MaxDelaySeconds", allowZero: false) : null;
                var jitter = JitterStrategy.None;
                if (r.GetString("JitterStrategy") is { } js)
                {
                    jitter = js switch
                    {
                        "FULL" => JitterStrategy.Full,
                        "NONE" => JitterStrategy.None,
                        _ => Invalid(),
                    };

                    JitterStrategy Invalid()
                    {
                        diagnostics.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'JitterStrategy' must be FULL or NONE", $"{l}/JitterStrategy");
                        return JitterStrategy.None;
                    }
                }

                list.Add(new Retrier(errors, interval, maxAttempts, backoff, maxDelay, jitter));
            }

            return list;
        }

        private List<Catcher> CatchOf(JObject o, string location)
        {
            var list = new List<Catcher>();
            if (!o.TryGet("Catch", out var value))
            {
                return list;
            }

            if (value is not JArray catchers)
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Catch' must be an ARRAY", $"{location}/Catch");
                return list;
            }

            for (var i = 0; i < catchers.Count; i++)
            {
                var l = $"{location}/Catch[{i}]";
                if (catchers[i] is not JObject c)
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", "A catcher must be an object", l);
                    continue;
                }

                foreach (var key in c.Keys.Where(k => k is not ("ErrorEquals" or "Next" or "ResultPath" or "Assign" or "Comment")))
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"The field '{key}' is not supported in a catcher", $"{l}/{key}");
                }

                var errors = ErrorEqualsOf(c, l, isLast: i == catchers.Count - 1, "catcher");
                var next = c.GetString("Next");
                if (next is null)
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Next]", l);
                    continue;
                }

                list.Add(new Catcher(errors, next, PathFieldOf(c, "ResultPath", l, referenceOnly: true), AssignOf(c, l)));
            }

            return list;
        }

        private List<string> ErrorEqualsOf(JObject o, string location, bool isLast, string what)
        {
            if (o.GetArray("ErrorEquals") is not { Count: > 0 } array || array.Any(e => e is not JString))
            {
                diagnostics.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'ErrorEquals' must be a non-empty ARRAY of STRING", $"{location}/ErrorEquals");
                return [];
            }

            var errors = array.Select(e => e.AsString()).ToList();
            if (errors.Contains(StatesErrors.All))
            {
                if (errors.Count > 1)
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"'{StatesErrors.All}' must appear alone in ErrorEquals", $"{location}/ErrorEquals");
                }

                if (!isLast)
                {
                    diagnostics.Error("SCHEMA_VALIDATION_FAILED", $"A {what} with '{StatesErrors.All}' must be the last {what}", $"{location}/ErrorEquals");
                }
            }

            return errors;
        }

        private PathField PathFieldOf(JObject o, string field, string location, bool referenceOnly)
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

        private JsonPath? ReferencePathOf(JObject o, string field, string location)
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

        private PayloadTemplate? ExpressionOf(JObject o, string field, string location)
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

        private PayloadTemplate? TemplateOf(JObject o, string field, string location) =>
            o.TryGet(field, out var value) ? PayloadTemplate.Compile(value, $"{location}/{field}", diagnostics) : null;

        private PayloadTemplate? AssignOf(JObject o, string location)
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

        private string? StringOf(JObject o, string field, string location)
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
}
