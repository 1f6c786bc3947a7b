using Amazon.DynamoDBv2.Model;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// The chat function's <c>status</c> and <c>history</c> read a run item exactly as the state machines write it (the plan a
/// map, the warnings a list, issue 16), copied attribute for attribute from a rehearsal's table into the chat's.
/// </summary>
public sealed class ChatReadsRehearsedRunTests : IDisposable
{
    private readonly ChatRehearsal _chat = ChatRehearsal.Prepare(Scenario.Load("happy-alb"));

    public void Dispose() => _chat.Dispose();

    [Fact]
    public async Task StatusAndHistory_ReadARunItemTheUpgradeWrote()
    {
        var (rehearsal, summary) = RehearsalKit.Run("alarm-at-25");
        JObject written;
        using (rehearsal)
        {
            var account = rehearsal.Account;
            written = RehearsalKit.Call(account, account.Service<DynamoDbService>(), "GetItem", JObject.Of(
                ("TableName", rehearsal.Deployment.TableName),
                ("Key", JObject.Of(("pk", JObject.Of(("S", summary.RunRecord!.GetString("pk")!))), ("sk", JObject.Of(("S", summary.RunRecord.GetString("sk")!))))),
                ("ConsistentRead", true)))!.GetObject("Item")!;
        }

        Assert.NotNull(written.GetObject("plan")!.GetObject("M"));
        using (var client = _chat.DynamoDb.CreateClient())
        {
            await client.PutItemAsync(new PutItemRequest { TableName = _chat.Deployment.TableName, Item = written.ToDictionary(a => a.Key, a => Sdk(a.Value)) });
        }

        var runId = summary.RunRecord.GetString("runId")!;
        var status = _chat.SlashCommand("U789", "status shop-blue").Text;
        var history = _chat.SlashCommand("U789", "history shop-blue").Text;

        Assert.Contains($"shop-blue run {runId} to 1.34: RolledBack", status, StringComparison.Ordinal);
        Assert.Contains(runId, history, StringComparison.Ordinal);
    }

    /// <summary>An attribute value as the wire spells it, as the AWS SDK for .NET models it.</summary>
    private static AttributeValue Sdk(JValue attribute)
    {
        var (type, value) = attribute.AsObject().Single();
        return type switch
        {
            "S" => new AttributeValue { S = value.AsString() },
            "N" => new AttributeValue { N = value.AsString() },
            "BOOL" => new AttributeValue { BOOL = value.AsBool() },
            "NULL" => new AttributeValue { NULL = true },
            "SS" => new AttributeValue { SS = [.. value.AsArray().Select(v => v.AsString())] },
            "L" => new AttributeValue { L = [.. value.AsArray().Select(Sdk)] },
            "M" => new AttributeValue { M = value.AsObject().ToDictionary(m => m.Key, m => Sdk(m.Value)) },
            _ => throw new NotSupportedException(type),
        };
    }
}
