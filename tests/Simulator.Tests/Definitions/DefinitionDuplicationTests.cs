using System.Text.Json.Nodes;

namespace BlueGreen.Simulator.Tests.Definitions;

/// <summary>
/// No block of five or more states is written twice in <c>statemachines/</c> (issue 12): a reusable part becomes a child
/// state machine instead. A block is the first five states reached from a state within its scope (breadth first, along
/// Next, Default, Choices and Catch); two blocks are copies when they are the same shape and share no state. The shape
/// keeps every key, state type, resource and error name and forgets names, comments and other texts, so a copy whose
/// messages were reworded (the approval before traffic and the one to finalize were 87-94% alike) is still a copy.
/// </summary>
public class DefinitionDuplicationTests
{
    private const int BlockSize = 5;

    private static readonly HashSet<string> KeptTexts = ["Type", "Resource", "ErrorEquals"];

    [Fact]
    public void StateMachines_NoBlockOfFiveStatesIsWrittenTwice()
    {
        var files = Directory.GetFiles(Path.Combine(BuildInfo.RepositoryRoot, "statemachines"), "*.asl.json")
            .ToDictionary(f => Path.GetFileName(f), f => JsonNode.Parse(File.ReadAllText(f))!.AsObject());

        var copies = Copies(files);

        Assert.True(copies.Count == 0, "Copied blocks (make the part a child state machine):" + Environment.NewLine + string.Join(Environment.NewLine, copies));
    }

    [Fact]
    public void Copies_ReworderedBlockInAnotherFile_IsFound()
    {
        // The check itself can fail: the same five-state approval written twice, with other names and texts.
        static JsonObject Machine(string word) => JsonNode.Parse($$$$"""
            {"StartAt":"Record {{{{word}}}}","States":{
              "Record {{{{word}}}}":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem","Parameters":{"TableName":"t","UpdateExpression":"SET phase = :{{{{word}}}}"},"Next":"Ask {{{{word}}}}"},
              "Ask {{{{word}}}}":{"Type":"Task","Resource":"arn:aws:states:::sns:publish.waitForTaskToken","Parameters":{"Message":"approve {{{{word}}}}?"},"Catch":[{"ErrorEquals":["States.Timeout"],"Next":"Timed out {{{{word}}}}"}],"Next":"Yes {{{{word}}}}?"},
              "Yes {{{{word}}}}?":{"Type":"Choice","Choices":[{"Variable":"$.ok","BooleanEquals":true,"Next":"Done {{{{word}}}}"}],"Default":"Timed out {{{{word}}}}"},
              "Timed out {{{{word}}}}":{"Type":"Fail","Error":"ApprovalTimedOut"},
              "Done {{{{word}}}}":{"Type":"Succeed","Comment":"{{{{word}}}}"}}}
            """)!.AsObject();

        var copies = Copies(new Dictionary<string, JsonObject> { ["a.asl.json"] = Machine("first"), ["b.asl.json"] = Machine("second") });

        Assert.Contains("a.asl.json:Record first == b.asl.json:Record second", copies);
    }

    /// <summary>Every pair of disjoint blocks of the same shape, as "file/scope:state == file/scope:state".</summary>
    private static List<string> Copies(IReadOnlyDictionary<string, JsonObject> files)
    {
        var blocks = new Dictionary<string, List<(string Start, HashSet<string> States)>>(StringComparer.Ordinal);
        foreach (var (file, definition) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            foreach (var (scope, states) in DefinitionScopes.Of(file, definition["States"]!.AsObject()))
            {
                foreach (var start in states.Select(s => s.Key))
                {
                    var (members, shape) = Block(states, start);
                    if (members.Count < BlockSize)
                    {
                        continue;
                    }

                    if (!blocks.TryGetValue(shape, out var list))
                    {
                        blocks[shape] = list = [];
                    }

                    list.Add(($"{scope}:{start}", members.Select(m => $"{scope}:{m}").ToHashSet(StringComparer.Ordinal)));
                }
            }
        }

        var copies = new List<string>();
        foreach (var list in blocks.Values)
        {
            for (var i = 0; i < list.Count; i++)
            {
                for (var j = i + 1; j < list.Count; j++)
                {
                    if (!list[i].States.Overlaps(list[j].States))
                    {
                        copies.Add($"{list[i].Start} == {list[j].Start}");
                    }
                }
            }
        }

        return copies;
    }

    /// <summary>The states of the block that starts at <paramref name="start"/>, and its shape.</summary>
    private static (List<string> Members, string Shape) Block(JsonObject states, string start)
    {
        var members = new List<string> { start };
        for (var i = 0; i < members.Count && members.Count < BlockSize; i++)
        {
            foreach (var target in Targets(states[members[i]]!.AsObject()).Where(t => !members.Contains(t) && states.ContainsKey(t)))
            {
                if (members.Count < BlockSize)
                {
                    members.Add(target);
                }
            }
        }

        var shape = new JsonArray([.. members.Select(m => Shape(states[m], null, members))]);
        return (members, shape.ToJsonString());
    }

    private static IEnumerable<string> Targets(JsonObject state)
    {
        foreach (var key in new[] { "Next", "Default" })
        {
            if (state[key] is JsonValue v)
            {
                yield return (string)v!;
            }
        }

        foreach (var list in new[] { "Choices", "Catch" })
        {
            foreach (var rule in state[list]?.AsArray() ?? [])
            {
                yield return (string)rule!["Next"]!;
            }
        }
    }

    /// <summary>A state as a shape: transitions by position in the block, texts forgotten except types, resources and errors.</summary>
    private static JsonNode? Shape(JsonNode? node, string? key, List<string> members) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => p.Key != "Comment").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
            KeyValuePair.Create(p.Key, p.Key is "Next" or "Default" && p.Value is JsonValue target
                ? (JsonNode?)JsonValue.Create(members.IndexOf((string)target!))
                : Shape(p.Value, p.Key, members)))),
        JsonArray a => new JsonArray([.. a.Select(x => Shape(x, key, members))]),
        JsonValue v when v.TryGetValue<string>(out var text) => JsonValue.Create(key is not null && KeptTexts.Contains(key) ? text : "text"),
        JsonValue v => v.DeepClone(),
        _ => null,
    };
}
