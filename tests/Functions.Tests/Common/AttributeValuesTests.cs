using System.Text.Json;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Handlers;
using BlueGreen.Functions.Reconcile;

namespace BlueGreen.Functions.Tests.Common;

public class AttributeValuesTests
{
    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [Fact]
    public void FromPlain_MapsEachJsonKind_ToItsAttributeType()
    {
        var marshalled = AttributeValues.FromPlain(Element("""{"a":"x","n":1.50,"t":true,"z":null,"l":[1,"b"],"m":{}}"""), "v");

        Assert.Equal(
            """{"M":{"a":{"S":"x"},"n":{"N":"1.50"},"t":{"BOOL":true},"z":{"NULL":true},"l":{"L":[{"N":"1"},{"S":"b"}]},"m":{"M":{}}}}""",
            marshalled.GetRawText());
    }

    [Fact]
    public void ToPlain_GivesBackWhatFromPlainWrote_DigitForDigit()
    {
        const string plain = """{"runId":"r-1","weights":{"blue":100,"green":0},"steps":[{"weight":10,"bakeSeconds":300.5}],"dryRun":false,"note":null,"empty":""}""";

        var back = AttributeValues.ToPlain(AttributeValues.FromPlain(Element(plain), "v"), "v");

        Assert.Equal(plain, back.GetRawText());
    }

    [Fact]
    public void ToPlain_ReadsTheAwsSdkIntegrationSpelling()
    {
        // aws-sdk:dynamodb:query answers with the Java SDK's member names.
        var back = AttributeValues.ToPlain(Element("""{"M":{"b":{"Bool":true},"n":{"Nul":true},"s":{"Ss":["x","y"]},"ns":{"Ns":["1","2"]}}}"""), "v");

        Assert.Equal("""{"b":true,"n":null,"s":["x","y"],"ns":[1,2]}""", back.GetRawText());
    }

    [Fact]
    public void FromPlain_RefusesAValueDeeperThanDynamoDbNests()
    {
        var ok = string.Concat(Enumerable.Repeat("[", 31)) + "1" + string.Concat(Enumerable.Repeat("]", 31));
        var tooDeep = "[" + ok + "]";

        Assert.Equal(JsonValueKind.Object, AttributeValues.FromPlain(Element(ok), "plan").ValueKind);
        var e = Assert.Throws<InvalidInput>(() => AttributeValues.FromPlain(Element(tooDeep), "plan"));
        Assert.Contains("plan: nests deeper than the 32 levels", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"S":"a","N":"1"}""", "item.x: not a DynamoDB attribute value")]
    [InlineData("""{"Q":"a"}""", "item.x: 'Q' with a string is not a DynamoDB attribute value")]
    [InlineData("""{"N":"abc"}""", "item.x: N must hold a number")]
    [InlineData("""{"M":{"y":{"L":[{"S":1}]}}}""", "item.x.y[0]: 'S' with a number")]
    public void ToPlain_NamesWhereAValueIsNotAnAttributeValue(string attribute, string problem)
    {
        var e = Assert.Throws<InvalidInput>(() => AttributeValues.ToPlain(Element(attribute), "item.x"));
        Assert.Contains("- " + problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRunRecord_GivesThePlainItem_AndReadsAFormerJsonTextPlan()
    {
        var handler = (ReadRunRecordHandler)Activator.CreateInstance(FunctionCatalog.Get("ReadRunRecord").HandlerType)!;
        const string input = """
            {"item":{"runId":{"S":"r-1"},"plan":{"M":{"traffic":{"M":{"type":{"S":"alb"}}}}},
                     "greenSpec":{"S":"{\"addons\":[]}"},"report":{"S":"{not json, a report}"},"trafficMoved":{"Bool":false}}}
            """;

        using var output = handler.Handle(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(input)));
        var read = JsonDocument.Parse(output).RootElement;

        Assert.Equal("alb", read.GetProperty("plan").GetProperty("traffic").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Array, read.GetProperty("greenSpec").GetProperty("addons").ValueKind);
        Assert.Equal("{not json, a report}", read.GetProperty("report").GetString());
        Assert.False(read.GetProperty("trafficMoved").GetBoolean());
    }

    [Fact]
    public void ReadRunRecord_WithoutAnItem_IsInvalidInput() =>
        Assert.Contains("item: required", Assert.Throws<InvalidInput>(() => RunRecordReader.Read(new ReadRunRecordRequest())).Message, StringComparison.Ordinal);
}
