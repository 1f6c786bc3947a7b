using BlueGreen.Deployment;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Iam;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.Pipes;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Rehearsal;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Issue 15, the command path: the chat table's stream (new images), the EventBridge Pipe that filters new accepted command
/// items and starts chat-command (FIRE_AND_FORGET) with its own least-privilege role, and what the simulated account
/// refuses as AWS would.
/// </summary>
public sealed class ChatPipeTests : IDisposable
{
    private readonly ChatRehearsal _chat = ChatRehearsal.Prepare(Scenario.Load("happy-alb"));

    public void Dispose() => _chat.Dispose();

    private SimulatedAccount Account => _chat.Account;

    private string ChatCommandArn => Account.StepFunctions.StateMachineArn(_chat.Deployment.Manifest!.StateMachine("chat-command").PhysicalName);

    [Fact]
    public void AcceptedCommand_StartsChatCommandOnceWithTheStreamRecord_RefusalsStartNothing()
    {
        _chat.SlashCommand("U789", "upgrade shop-blue 1.34");   // refused: a viewer
        _chat.SlashCommand("U123", "upgrade shop-blue 1.34");   // accepted
        Account.RunUntilSettled(Account.Scheduler.Now);

        var stream = Account.Service<DynamoDbService>().Streams.ForTable(_chat.ChatTableName)!;
        Assert.Equal(DeploymentManifest.ChatStreamViewType, stream.ViewType);
        var inserts = stream.Records.Where(r => r.GetString("eventName") == "INSERT").ToList();
        Assert.Contains(inserts, r => r.GetObject("dynamodb")!.GetObject("NewImage")!.GetObject("itemType")?.GetString("S") == "REPLAY");

        var execution = Assert.Single(Account.StepFunctions.Executions, e => e.StateMachineArn == ChatCommandArn);
        var batch = Assert.IsType<JArray>(execution.Input);
        var record = Assert.IsType<JObject>(Assert.Single(batch));
        Assert.Equal(("INSERT", "aws:dynamodb", stream.Arn), (record.GetString("eventName"), record.GetString("eventSource"), record.GetString("eventSourceARN")));
        var image = record.GetObject("dynamodb")!.GetObject("NewImage")!;
        Assert.Equal(("U123", "upgrade", "pending"), (image.GetObject("userId")!.GetString("S"), image.GetObject("verb")!.GetString("S"), image.GetObject("status")!.GetString("S")));
        Assert.Equal("SUCCEEDED", execution.StatusName);

        var command = _chat.AuditRecords().Single(r => r["decision"].S == "accepted");
        Assert.Equal(("done", execution.Arn), (command["status"].S, command["workflowExecutionArn"].S));
        var delivery = Assert.Single(Account.Service<PipesService>().Deliveries);
        Assert.True(delivery.Succeeded, delivery.Result);
        Assert.Equal(PipesService.ModelledLatency, execution.StartDate - delivery.Time);
        Assert.Empty(Account.Denials);
    }

    [Fact]
    public void PipeRole_GrantsOnlyTheStreamReadsOnTheStreamAndStartExecutionOnChatCommand()
    {
        var iam = Account.Service<IamService>();
        var stream = Account.Service<DynamoDbService>().Streams.ForTable(_chat.ChatTableName)!;

        bool Allowed(string action, string resource) => iam.Authorize(PipeRoleArn, new AuthorizationRequest(action, resource, RequestContext.Empty))!.IsAllowed;

        Assert.All(PipesService.StreamReadActions, a => Assert.True(Allowed(a, stream.Arn), a));
        Assert.True(Allowed("states:StartExecution", ChatCommandArn));
        Assert.False(Allowed("states:StartExecution", _chat.Deployment.UpgradeStateMachineArn));
        Assert.False(Allowed("dynamodb:GetRecords", Account.Arn("dynamodb", $"table/{_chat.Deployment.TableName}/stream/2026-11-23T09:00:00.000")));
        Assert.False(Allowed("dynamodb:PutItem", Account.Arn("dynamodb", $"table/{_chat.ChatTableName}")));
    }

    [Fact]
    public void PipeRoleWithoutGetRecords_IsRefusedTheRead_AndNothingStarts()
    {
        RemoveFromPipeRole("dynamodb:GetRecords");

        _chat.SlashCommand("U123", "upgrade shop-blue 1.34");
        Account.RunUntilSettled(Account.Scheduler.Now);

        Assert.DoesNotContain(Account.StepFunctions.Executions, e => e.StateMachineArn == ChatCommandArn);
        var denial = Assert.Single(Account.Denials);
        Assert.Equal("dynamodb:GetRecords", denial.Action);
        var pipe = Assert.Single(Account.Service<PipesService>().Pipes);
        Assert.Equal("STOPPED", pipe.CurrentState);
        Assert.Contains("dynamodb:GetRecords", pipe.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public void PipeRoleWithoutStartExecution_FailsEachAttempt_AndDropsTheBatch()
    {
        RemoveFromPipeRole("states:StartExecution");

        _chat.SlashCommand("U123", "upgrade shop-blue 1.34");
        Account.RunUntilSettled(Account.Scheduler.Now);

        Assert.DoesNotContain(Account.StepFunctions.Executions, e => e.StateMachineArn == ChatCommandArn);
        var delivery = Assert.Single(Account.Service<PipesService>().Deliveries);
        Assert.False(delivery.Succeeded);
        Assert.Equal(1 + DeploymentManifest.ChatPipeSource.MaximumRetryAttempts, delivery.Attempts);
        Assert.All(delivery.Errors, e => Assert.StartsWith("AccessDenied", e, StringComparison.Ordinal));
        Assert.All(Account.Denials, d => Assert.Equal("states:StartExecution", d.Action));
    }

    [Fact]
    public void RequestResponse_OnAStandardStateMachine_IsRefusedAtCreation()
    {
        var pipe = Assert.Single(Account.Service<PipesService>().Pipes).Definition;

        var e = Assert.Throws<AwsServiceException>(() => Account.Service<PipesService>().AddPipe(pipe with { Name = "sync", InvocationType = "REQUEST_RESPONSE" }));

        Assert.Equal("ValidationException", e.Code);
        Assert.Contains("STANDARD", e.Message, StringComparison.Ordinal);
    }

    private string PipeRoleArn => $"arn:aws:iam::{Account.AccountId}:role/{_chat.Deployment.Manifest!.ChatCommandPipeRoleName(Account.Region)}";

    private void RemoveFromPipeRole(string action) => Account.Service<IamService>().Role(PipeRoleArn)!.RemoveAction(action);
}
