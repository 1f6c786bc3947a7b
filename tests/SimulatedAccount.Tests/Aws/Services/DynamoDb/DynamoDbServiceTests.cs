using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Aws.Services.DynamoDb;

public sealed class DynamoDbServiceTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>
{
    private const string RunStartedItem = """
        {"pk":{"S.$":"States.Format('LOCK#{}', $.cluster)"},"sk":{"S":"LOCK"},
         "runId":{"S.$":"$.runId"},"status":{"S":"InProgress"}}
        """;

    private static RunSummary Run(SimulatedAccount account, string definition, JValue? input = null) =>
        LocalRunner.Run(account.StepFunctions, DefinitionLoader.Load(definition), input ?? JObject.Empty, new StartExecutionOptions());

    /// <summary>The product's table shape: pk/sk strings, runs of a cluster newest first through a GSI.</summary>
    private static JObject UpgradesTable(string name, params JObject[] items) => JObject.Of(("tables", JArray.Of(JObject.Of(
        ("name", name),
        ("partitionKey", "pk"),
        ("sortKey", "sk"),
        ("globalSecondaryIndexes", JArray.Of(JObject.Of(("name", "byCluster"), ("partitionKey", "cluster"), ("sortKey", "startedAt")))),
        ("ttlAttribute", "expiresAt"),
        ("items", JArray.From(items))))));

    [Fact]
    public void OptimizedPutItem_ConditionalLockTakenTwice_SecondFailsWithCatchableConditionalCheckFailed()
    {
        var table = dynalite.UniqueTable("lock");
        using var account = dynalite.Account(UpgradesTable(table));
        var definition = """
            {"StartAt":"Take the upgrade lock","States":{
              "Take the upgrade lock":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem",
                "Parameters":{"TableName":"TABLE","Item":ITEM,"ConditionExpression":"attribute_not_exists(pk)"},
                "ResultPath":null,"Next":"Take it again"},
              "Take it again":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem",
                "Parameters":{"TableName":"TABLE","Item":ITEM,"ConditionExpression":"attribute_not_exists(pk)"},
                "Catch":[{"ErrorEquals":["DynamoDB.ConditionalCheckFailedException"],"ResultPath":"$.lockError","Next":"Upgrade already in progress"}],
                "End":true},
              "Upgrade already in progress":{"Type":"Pass","End":true}}}
            """.Replace("TABLE", table, StringComparison.Ordinal).Replace("ITEM", RunStartedItem, StringComparison.Ordinal);

        var summary = Run(account, definition, JObject.Of(("cluster", "shop-blue"), ("runId", "run-1")));

        Assert.Equal("SUCCEEDED", summary.Status);
        var lockError = summary.Output!.AsObject().GetObject("lockError")!;
        Assert.Equal("DynamoDB.ConditionalCheckFailedException", lockError.GetString("Error"));
        Assert.Matches(
            @"^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: [A-Z0-9]{52}; Proxy: null\)$",
            lockError.GetString("Cause"));
        Assert.Equal(["dynamodb:PutItem", "dynamodb:PutItem"], account.Calls.Calls.Select(c => c.Name));
        Assert.Equal(["OK", "DynamoDB.ConditionalCheckFailedException"], account.Calls.Calls.Select(c => c.Outcome));
        Assert.Equal(2, account.Calls.MutatingCount);
    }

    [Fact]
    public void AwsSdkPutItem_ConditionFails_UsesMixedCasePrefixAndJava2Cause()
    {
        var table = dynalite.UniqueTable("lock");
        using var account = dynalite.Account(UpgradesTable(table, JObject.Of(("pk", "LOCK#shop-blue"), ("sk", "LOCK"))));

        var summary = Run(account, """
            {"StartAt":"Take the upgrade lock","States":{"Take the upgrade lock":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:dynamodb:putItem",
              "Parameters":{"TableName":"TABLE","Item":{"pk":{"S":"LOCK#shop-blue"},"sk":{"S":"LOCK"}},"ConditionExpression":"attribute_not_exists(pk)"},
              "End":true}}}
            """.Replace("TABLE", table, StringComparison.Ordinal));

        Assert.Equal("FAILED", summary.Status);
        Assert.Equal("DynamoDb.ConditionalCheckFailedException", summary.Error);
        Assert.Matches(@"^The conditional request failed \(Service: DynamoDb, Status Code: 400, Request ID: [A-Z0-9]{52}\)$", summary.Cause);
    }

    [Fact]
    public async Task OptimizedUpdateItem_ListAppendUnderCondition_AppendsStepsUntilTheConditionFails()
    {
        var table = dynalite.UniqueTable("runs");
        using var account = dynalite.Account(UpgradesTable(table, JObject.Of(("pk", "RUN#run-1"), ("sk", "RUN"), ("status", "InProgress"))));
        const string Update = """
            {"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem",
              "Parameters":{"TableName":"TABLE","Key":{"pk":{"S":"RUN#run-1"},"sk":{"S":"RUN"}},
                "UpdateExpression":"SET #steps = list_append(if_not_exists(#steps, :none), :step), #weight = :weight",
                "ConditionExpression":"#status = :inProgress",
                "ExpressionAttributeNames":{"#steps":"steps","#weight":"greenWeight","#status":"status"},
                "ExpressionAttributeValues":{":none":{"L":[]},":inProgress":{"S":"InProgress"},
                  ":weight":{"N.$":"States.Format('{}', $.weight)"},
                  ":step":{"L":[{"M":{"weight":{"N.$":"States.Format('{}', $.weight)"},"at":{"S.$":"$$.State.EnteredTime"}}}]}},
                "ReturnValues":"UPDATED_NEW"},
              "ResultSelector":{"steps.$":"$.Attributes.steps.L","weight.$":"$.Attributes.greenWeight.N"},
              "ResultPath":"$.NAME","Next":"NEXT"}
            """;
        string Step(string name, string next) => Update.Replace("NAME", name, StringComparison.Ordinal).Replace("NEXT", next, StringComparison.Ordinal);
        var definition = """
            {"StartAt":"Record 10 percent","States":{
              "Record 10 percent":FIRST,
              "Move to 50 percent":{"Type":"Pass","Result":50,"ResultPath":"$.weight","Next":"Record 50 percent"},
              "Record 50 percent":SECOND,
              "Finish the run":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem",
                "Parameters":{"TableName":"TABLE","Key":{"pk":{"S":"RUN#run-1"},"sk":{"S":"RUN"}},
                  "UpdateExpression":"SET #status = :done","ExpressionAttributeNames":{"#status":"status"},
                  "ExpressionAttributeValues":{":done":{"S":"Succeeded"}}},
                "ResultPath":null,"Next":"Record after the end"},
              "Record after the end":LATE,
              "Unreachable":{"Type":"Succeed"}}}
            """.Replace("FIRST", Step("first", "Move to 50 percent"), StringComparison.Ordinal)
            .Replace("SECOND", Step("second", "Finish the run"), StringComparison.Ordinal)
            .Replace("LATE", Step("late", "Unreachable"), StringComparison.Ordinal)
            .Replace("TABLE", table, StringComparison.Ordinal);

        var summary = Run(account, definition, JObject.Of(("weight", 10)));

        Assert.Equal("FAILED", summary.Status);
        Assert.Equal("DynamoDB.ConditionalCheckFailedException", summary.Error);
        var updates = account.Calls.Calls.Where(c => c.Name == "dynamodb:UpdateItem").Select(c => c.Outcome);
        Assert.Equal(["OK", "OK", "OK", "DynamoDB.ConditionalCheckFailedException"], updates);
        using var client = (await account.Service<DynamoDbService>().GetEndpointAsync()).CreateClient();
        var item = (await client.GetItemAsync(table, new()
        {
            ["pk"] = new() { S = "RUN#run-1" },
            ["sk"] = new() { S = "RUN" },
        })).Item;
        Assert.Equal("Succeeded", item["status"].S);
        Assert.Equal("50", item["greenWeight"].N);
        Assert.Equal(["10", "50"], item["steps"].L.Select(s => s.M["weight"].N));
    }

    [Fact]
    public void OptimizedGetItem_FoundAndMissing_ReturnItemWithSdkMetadataOrMetadataOnly()
    {
        var table = dynalite.UniqueTable("runs");
        using var account = dynalite.Account(UpgradesTable(table, JObject.Of(("pk", "RUN#run-1"), ("sk", "RUN"), ("attempt", 2), ("dryRun", false))));
        var definition = """
            {"StartAt":"Read the run","States":{
              "Read the run":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem",
                "Parameters":{"TableName":"TABLE","Key":{"pk":{"S":"RUN#run-1"},"sk":{"S":"RUN"}}},"ResultPath":"$.found","Next":"Read a missing run"},
              "Read a missing run":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem",
                "Parameters":{"TableName":"TABLE","Key":{"pk":{"S":"RUN#nope"},"sk":{"S":"RUN"}}},"ResultPath":"$.missing","End":true}}}
            """.Replace("TABLE", table, StringComparison.Ordinal);

        var summary = Run(account, definition);

        Assert.Equal("SUCCEEDED", summary.Status);
        var found = summary.Output!.AsObject().GetObject("found")!;
        Assert.Equal(["Item", "SdkHttpMetadata", "SdkResponseMetadata"], found.Keys);
        Assert.Equal("""{"S":"RUN#run-1"}""", found.GetObject("Item")!["pk"]!.ToJson());
        Assert.Equal("""{"N":"2"}""", found.GetObject("Item")!["attempt"]!.ToJson());
        Assert.Equal("""{"BOOL":false}""", found.GetObject("Item")!["dryRun"]!.ToJson());
        var http = found.GetObject("SdkHttpMetadata")!;
        Assert.Equal(200, http.GetNumber("HttpStatusCode"));
        var headers = http.GetObject("HttpHeaders")!;
        Assert.Equal(["Connection", "Content-Length", "Content-Type", "Date", "Server", "x-amz-crc32", "x-amzn-RequestId"], headers.Keys);
        Assert.Equal("application/x-amz-json-1.0", headers.GetString("Content-Type"));
        Assert.Equal("Mon, 23 Nov 2026 09:00:00 GMT", headers.GetString("Date")); // virtual time
        Assert.Equal(found.GetObject("SdkResponseMetadata")!.GetString("RequestId"), headers.GetString("x-amzn-RequestId"));
        Assert.Equal(JArray.Of(headers.GetString("x-amzn-RequestId")!), http.GetObject("AllHttpHeaders")!["x-amzn-RequestId"]);
        var missing = summary.Output!.AsObject().GetObject("missing")!;
        Assert.Equal(["SdkHttpMetadata", "SdkResponseMetadata"], missing.Keys);
        Assert.Equal("2", missing.GetObject("SdkHttpMetadata")!.GetObject("HttpHeaders")!.GetString("Content-Length"));
    }

    [Fact]
    public void AwsSdkQuery_RunsOfOneCluster_ComeNewestFirstThroughTheGsi()
    {
        var table = dynalite.UniqueTable("runs");
        using var account = dynalite.Account(UpgradesTable(table,
            JObject.Of(("pk", "RUN#a"), ("sk", "RUN"), ("cluster", "shop"), ("startedAt", "2026-11-01T09:00:00Z")),
            JObject.Of(("pk", "RUN#c"), ("sk", "RUN"), ("cluster", "shop"), ("startedAt", "2026-11-20T09:00:00Z")),
            JObject.Of(("pk", "RUN#b"), ("sk", "RUN"), ("cluster", "shop"), ("startedAt", "2026-11-10T09:00:00Z")),
            JObject.Of(("pk", "RUN#x"), ("sk", "RUN"), ("cluster", "payments"), ("startedAt", "2026-11-21T09:00:00Z")),
            JObject.Of(("pk", "LOCK#shop"), ("sk", "LOCK"), ("cluster", "shop"))));

        var summary = Run(account, """
            {"StartAt":"List the cluster's runs","States":{"List the cluster's runs":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:dynamodb:query",
              "Parameters":{"TableName":"TABLE","IndexName":"byCluster","KeyConditionExpression":"#c = :c",
                "ExpressionAttributeNames":{"#c":"cluster"},"ExpressionAttributeValues":{":c":{"S.$":"$.cluster"}},
                "ScanIndexForward":false,"Limit":2},
              "End":true}}}
            """.Replace("TABLE", table, StringComparison.Ordinal), JObject.Of(("cluster", "shop")));

        Assert.Equal("SUCCEEDED", summary.Status);
        var output = summary.Output!.AsObject();
        Assert.Equal(["RUN#c", "RUN#b"], output.GetArray("Items")!.Select(i => i.AsObject().GetObject("pk")!.GetString("S")));
        Assert.Equal(2, output.GetNumber("Count"));
        Assert.NotNull(output.GetObject("LastEvaluatedKey")); // paging, as DynamoDB does
        Assert.False(output.ContainsKey("SdkHttpMetadata")); // AWS SDK integrations return the bare response
        Assert.Equal("dynamodb:Query", Assert.Single(account.Calls.Calls).Name);
        Assert.Equal(0, account.Calls.MutatingCount);
    }

    [Fact]
    public void MissingTable_BothIntegrations_ReportResourceNotFoundInTheirOwnFormat()
    {
        using var account = dynalite.Account();
        const string Definition = """
            {"StartAt":"Write","States":{"Write":{"Type":"Task","Resource":"RESOURCE",
              "Parameters":{"TableName":"no-such-table","Item":{"pk":{"S":"x"}}},"End":true}}}
            """;

        var optimized = Run(account, Definition.Replace("RESOURCE", "arn:aws:states:::dynamodb:putItem", StringComparison.Ordinal));
        var sdk = Run(account, Definition.Replace("RESOURCE", "arn:aws:states:::aws-sdk:dynamodb:putItem", StringComparison.Ordinal));

        // As recorded from AWS (Step Functions execution history).
        Assert.Equal("DynamoDB.ResourceNotFoundException", optimized.Error);
        Assert.StartsWith("Requested resource not found (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: ", optimized.Cause, StringComparison.Ordinal);
        Assert.Equal("DynamoDb.ResourceNotFoundException", sdk.Error);
        Assert.StartsWith("Requested resource not found (Service: DynamoDb, Status Code: 400, Request ID: ", sdk.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidationError_IsNotModeled_SoItSurfacesAsTheSdksGenericException()
    {
        var table = dynalite.UniqueTable("runs");
        using var account = dynalite.Account(UpgradesTable(table));
        const string Definition = """
            {"StartAt":"Write","States":{"Write":{"Type":"Task","Resource":"RESOURCE",
              "Parameters":{"TableName":"TABLE","Item":{"pk":{"S":"x"}}},"End":true}}}
            """;

        var optimized = Run(account, Definition.Replace("RESOURCE", "arn:aws:states:::dynamodb:putItem", StringComparison.Ordinal).Replace("TABLE", table, StringComparison.Ordinal));
        var sdk = Run(account, Definition.Replace("RESOURCE", "arn:aws:states:::aws-sdk:dynamodb:putItem", StringComparison.Ordinal).Replace("TABLE", table, StringComparison.Ordinal));

        Assert.Equal("DynamoDB.AmazonDynamoDBException", optimized.Error);
        Assert.Contains("One or more parameter values were invalid: Missing the key sk in the item", optimized.Cause, StringComparison.Ordinal);
        Assert.Contains("Error Code: ValidationException", optimized.Cause, StringComparison.Ordinal);
        Assert.Equal("DynamoDb.DynamoDbException", sdk.Error);
        Assert.StartsWith("One or more parameter values were invalid: Missing the key sk in the item (Service: DynamoDb, Status Code: 400, Request ID: ", sdk.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void TransactWriteItems_DynaliteHasNone_AnsweredAsAnUnknownOperationNotFaked()
    {
        using var account = dynalite.Account();

        var summary = Run(account, """
            {"StartAt":"Write both","States":{"Write both":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:dynamodb:transactWriteItems",
              "Parameters":{"TransactItems":[{"Put":{"TableName":"t","Item":{"pk":{"S":"x"}}}}]},"End":true}}}
            """);

        Assert.Equal("FAILED", summary.Status);
        Assert.Equal("DynamoDb.DynamoDbException", summary.Error);
        Assert.Contains("does not implement TransactWriteItems", summary.Cause, StringComparison.Ordinal);
        Assert.Contains("separate conditional writes", summary.Cause, StringComparison.Ordinal);
        Assert.Equal("DynamoDb.DynamoDbException", Assert.Single(account.Calls.Calls).Outcome);
    }

    [Fact]
    public void TimeToLive_FromTheWorldAndUpdateTimeToLive_IsReportedByDescribeTimeToLive()
    {
        var withTtl = dynalite.UniqueTable("runs");
        var plain = dynalite.UniqueTable("plain");
        using var account = dynalite.Account(JObject.Of(("tables", JArray.Of(
            UpgradesTable(withTtl).GetArray("tables")![0],
            JObject.Of(("name", plain), ("partitionKey", "id"))))));
        var definition = """
            {"StartAt":"World TTL","States":{
              "World TTL":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:dynamodb:describeTimeToLive","Parameters":{"TableName":"WITH"},"ResultPath":"$.world","Next":"No TTL yet"},
              "No TTL yet":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:dynamodb:describeTimeToLive","Parameters":{"TableName":"PLAIN"},"ResultPath":"$.before","Next":"Enable TTL"},
              "Enable TTL":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:dynamodb:updateTimeToLive",
                "Parameters":{"TableName":"PLAIN","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"ttl"}},"ResultPath":"$.update","Next":"TTL now"},
              "TTL now":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:dynamodb:describeTimeToLive","Parameters":{"TableName":"PLAIN"},"ResultPath":"$.after","Next":"Enable again"},
              "Enable again":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:dynamodb:updateTimeToLive",
                "Parameters":{"TableName":"PLAIN","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"ttl"}},"End":true}}}
            """.Replace("WITH", withTtl, StringComparison.Ordinal).Replace("PLAIN", plain, StringComparison.Ordinal);

        var summary = Run(account, definition);

        Assert.Equal("FAILED", summary.Status);
        Assert.Equal("DynamoDb.DynamoDbException", summary.Error);
        Assert.StartsWith("TimeToLive is already enabled (Service: DynamoDb", summary.Cause, StringComparison.Ordinal);
        Assert.Equal(["OK", "OK", "OK", "OK", "DynamoDb.DynamoDbException"], account.Calls.Calls.Select(c => c.Outcome));
        var events = summary.History.Where(e => e.Type == "TaskSucceeded").Select(e => e.Data!.ToJson()).ToList();
        Assert.Equal("""{"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"expiresAt"}}""", events[0]);
        Assert.Equal("""{"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}}""", events[1]);
        Assert.Equal("""{"TimeToLiveSpecification":{"Enabled":true,"AttributeName":"ttl"}}""", events[2]);
        Assert.Equal("""{"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"ttl"}}""", events[3]);
    }

    [Fact]
    public void InjectedThrottle_OnOptimizedPutItem_IsRetriedAndNamedLikeDynamoDb()
    {
        var table = dynalite.UniqueTable("runs");
        using var account = dynalite.Account(UpgradesTable(table));
        account.Faults.Add(new FaultRule("dynamodb:PutItem", FaultKind.Throttle, OnCalls: [1]));

        var summary = Run(account, """
            {"StartAt":"Write","States":{"Write":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem",
              "Parameters":{"TableName":"TABLE","Item":{"pk":{"S":"x"},"sk":{"S":"y"}}},
              "Retry":[{"ErrorEquals":["DynamoDB.ProvisionedThroughputExceededException"],"IntervalSeconds":2}],"End":true}}}
            """.Replace("TABLE", table, StringComparison.Ordinal));

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal(["DynamoDB.ProvisionedThroughputExceededException", "OK"], account.Calls.Calls.Select(c => c.Outcome));
        Assert.Equal(2, summary.VirtualSeconds);
    }

    [Fact]
    public async Task CSharpClient_ReadsWhatTheStateMachineWrote()
    {
        var table = dynalite.UniqueTable("runs");
        using var account = dynalite.Account(UpgradesTable(table));
        var summary = Run(account, """
            {"StartAt":"Record the run","States":{"Record the run":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem",
              "Parameters":{"TableName":"TABLE","Item":{"pk":{"S.$":"States.Format('RUN#{}', $$.Execution.Name)"},"sk":{"S":"RUN"},
                "cluster":{"S.$":"$.cluster"},"startedAt":{"S.$":"$$.Execution.StartTime"},"steps":{"L":[]},"weights":{"M":{"blue":{"N":"100"},"green":{"N":"0"}}}}},
              "End":true}}}
            """.Replace("TABLE", table, StringComparison.Ordinal), JObject.Of(("cluster", "shop-blue")));
        Assert.Equal("SUCCEEDED", summary.Status);

        using var client = (await account.Service<DynamoDbService>().GetEndpointAsync()).CreateClient();
        var runs = await client.QueryAsync(new Amazon.DynamoDBv2.Model.QueryRequest
        {
            TableName = table,
            IndexName = "byCluster",
            KeyConditionExpression = "#c = :c",
            ExpressionAttributeNames = new() { ["#c"] = "cluster" },
            ExpressionAttributeValues = new() { [":c"] = new() { S = "shop-blue" } },
            ScanIndexForward = false,
        });

        var run = Assert.Single(runs.Items);
        Assert.StartsWith("RUN#", run["pk"].S, StringComparison.Ordinal);
        Assert.Equal("2026-11-23T09:00:00Z", run["startedAt"].S.Replace(".000", string.Empty, StringComparison.Ordinal));
        Assert.Equal("100", run["weights"].M["blue"].N);
        Assert.Empty(run["steps"].L);
    }

    [Fact]
    public async Task CSharpClient_ConditionalPutOnTheStateMachinesLock_ThrowsConditionalCheckFailed()
    {
        var table = dynalite.UniqueTable("lock");
        using var account = dynalite.Account(UpgradesTable(table, JObject.Of(("pk", "LOCK#shop-blue"), ("sk", "LOCK"))));
        using var client = (await account.Service<DynamoDbService>().GetEndpointAsync()).CreateClient();

        var e = await Assert.ThrowsAsync<Amazon.DynamoDBv2.Model.ConditionalCheckFailedException>(() => client.PutItemAsync(new Amazon.DynamoDBv2.Model.PutItemRequest
        {
            TableName = table,
            Item = new() { ["pk"] = new() { S = "LOCK#shop-blue" }, ["sk"] = new() { S = "LOCK" } },
            ConditionExpression = "attribute_not_exists(pk)",
        }));

        Assert.Equal("The conditional request failed", e.Message);
    }

    [Fact]
    public void DynamoDbCallsInFlight_HoldVirtualTimeStill_SoAParallelBakeTimerCannotFireEarly()
    {
        var table = dynalite.UniqueTable("runs");
        using var account = dynalite.Account(UpgradesTable(table));
        var definition = """
            {"StartAt":"Bake while recording","States":{"Bake while recording":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Record steps","States":{"Record steps":{"Type":"Map","ItemsPath":"$.steps","MaxConcurrency":1,"End":true,
                "ItemProcessor":{"StartAt":"Record a step","States":{"Record a step":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem",
                  "Parameters":{"TableName":"TABLE","Item":{"pk":{"S":"RUN#r"},"sk":{"S.$":"States.Format('STEP#{}', $)"}}},"End":true}}}}}},
              {"StartAt":"Bake","States":{"Bake":{"Type":"Wait","Seconds":60,"End":true}}}]}}}
            """.Replace("TABLE", table, StringComparison.Ordinal);

        var summary = Run(account, definition, JObject.Of(("steps", JArray.From(Enumerable.Range(1, 15).Select(i => (JValue)i)))));

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal(60, summary.VirtualSeconds);
        var puts = account.Calls.Calls.Where(c => c.Name == "dynamodb:PutItem").ToList();
        Assert.Equal(15, puts.Count);
        Assert.All(puts, c => Assert.Equal(account.Options.Start, c.Time)); // no put waited for the bake
    }

    [Fact]
    public void Seed_InvalidSection_ReportsEveryProblemAtOnce()
    {
        var section = (JObject)JValue.Parse("""
            {"tables":[
              {"name":"ok-table","partitionKey":"pk","sortKey":{"name":"pk","type":"N"}},
              {"partitionKey":{"name":"id","type":"X"},"bogus":1},
              {"name":"x","partitionKey":"id","items":[{"other":1}],"globalSecondaryIndexes":[{"partitionKey":"g","projection":"SOME"}]}],
             "extra":true}
            """);

        var e = Assert.Throws<ScenarioException>(() => DynamoDbWorld.Parse(section));

        Assert.Contains("dynamodb: unknown field 'extra'", e.Message, StringComparison.Ordinal);
        Assert.Contains("attribute 'pk' is declared both S and N", e.Message, StringComparison.Ordinal);
        Assert.Contains("dynamodb.tables[1]: 'name' is required", e.Message, StringComparison.Ordinal);
        Assert.Contains("type 'X' is not a key type", e.Message, StringComparison.Ordinal);
        Assert.Contains("dynamodb.tables[1]: unknown field 'bogus'", e.Message, StringComparison.Ordinal);
        Assert.Contains("table name 'x' must be 3 to 255 characters", e.Message, StringComparison.Ordinal);
        Assert.Contains("dynamodb.tables[2].items[0] lacks the key attribute 'id'", e.Message, StringComparison.Ordinal);
        Assert.Contains("globalSecondaryIndexes[0]: 'name' is required", e.Message, StringComparison.Ordinal);
        Assert.Contains("projection must be ALL, KEYS_ONLY or a list", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToItem_PlainValues_BecomeAttributeValuesLikeTheDocumentClient()
    {
        var item = DynamoDbWorld.ToItem((JObject)JValue.Parse("""{"s":"a","n":1.5,"b":true,"z":null,"l":[1,"x"],"m":{"k":"v"}}"""));

        Assert.Equal(
            """{"s":{"S":"a"},"n":{"N":"1.5"},"b":{"BOOL":true},"z":{"NULL":true},"l":{"L":[{"N":"1"},{"S":"x"}]},"m":{"M":{"k":{"S":"v"}}}}""",
            item.ToJson());
    }

    [Fact]
    public void DefaultWorld_WithoutDynamoDbCalls_StartsNoDynalite()
    {
        using var account = AccountFactory.Create(Scenario.FromJson("default-world", JObject.Of(("world", "default"))));

        var summary = Run(account, """{"StartAt":"Nothing","States":{"Nothing":{"Type":"Pass","End":true}}}""");

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Null(account.Service<DynamoDbService>().Host);
    }
}
