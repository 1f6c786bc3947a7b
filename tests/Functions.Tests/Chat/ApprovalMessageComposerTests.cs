using System.Text.Json;
using BlueGreen.Functions.Chat;
using BlueGreen.Functions.Handlers;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.Chat;

/// <summary>ComposeApprovalMessage: the Block Kit approval message ask-approval posts with chat.postMessage.</summary>
public class ApprovalMessageComposerTests
{
    private static ComposeApprovalMessageRequest Request() => new()
    {
        Plan = Inputs.AlbPlan(),
        Gate = new ApprovalGate
        {
            Kind = "beforeTraffic",
            Question = new ApprovalQuestion { Subject = "Approve?", Title = "Approve moving traffic to shop-green?", Description = "shop-green (Kubernetes 1.34) is healthy." },
        },
        AskedAt = "2025-06-01T10:00:00.000Z",
        Channel = "C0OPS",
        UpgradeExecutionArn = Inputs.ExecutionId,
        Run = JsonDocument.Parse("""{"Item": {"blueVersion": {"S": "1.33"}}}""").RootElement.Clone(),
    };

    [Fact]
    public void Compose_BeforeTraffic_NamesClustersVersionsGateRunAndDeadline_WithBothButtonsCarryingTheRunId()
    {
        var request = Request();
        var plan = request.Plan!;

        var message = ApprovalMessageComposer.Compose(request);

        var body = message.Request;
        Assert.Equal("C0OPS", body.GetProperty("channel").GetString());
        var deadline = DateTimeOffset.Parse("2025-06-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture).AddSeconds(plan.Approvals.TimeoutSeconds);
        Assert.Equal(BlueGreen.Functions.Common.Timestamps.Format(deadline), message.Deadline);
        var text = Texts(body);
        Assert.Contains($"1.33 → {plan.TargetVersion}", text, StringComparison.Ordinal);
        Assert.Contains($"{plan.BlueClusterName} → {plan.GreenClusterName}", text, StringComparison.Ordinal);
        Assert.Contains("before traffic moves to Green", text, StringComparison.Ordinal);
        Assert.Contains($"<!date^{deadline.ToUnixTimeSeconds()}^", text, StringComparison.Ordinal);
        var actions = body.GetProperty("blocks").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "actions");
        var buttons = actions.GetProperty("elements").EnumerateArray().Select(e => (e.GetProperty("action_id").GetString(), e.GetProperty("value").GetString())).ToList();
        Assert.Equal([(SlackRequest.ApproveAction, plan.RunId), (SlackRequest.RejectAction, plan.RunId)], buttons);
        Assert.Contains(plan.RunId, body.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Every string in the message, decoded, one per line.</summary>
    private static string Texts(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => string.Join("\n", element.EnumerateObject().Select(p => Texts(p.Value))),
        JsonValueKind.Array => string.Join("\n", element.EnumerateArray().Select(Texts)),
        JsonValueKind.String => element.GetString()!,
        _ => string.Empty,
    };

    [Fact]
    public void Compose_WithoutBlueVersion_NamesTheTargetOnly()
    {
        var message = ApprovalMessageComposer.Compose(Request() with { Run = JsonDocument.Parse("""{"Error": "DynamoDB.ResourceNotFoundException"}""").RootElement.Clone() });

        Assert.Contains("*Kubernetes*\n1.34", Texts(message.Request), StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_TextWithSlackControlCharacters_IsEscaped()
    {
        var request = Request() with { Gate = Request().Gate! with { Question = new ApprovalQuestion { Title = "Approve <b> & <!channel>?", Description = "a > b" } } };

        var blocks = ApprovalMessageComposer.Compose(request).Request.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString();

        Assert.Equal("*Approve &lt;b&gt; &amp; &lt;!channel&gt;?*\na &gt; b", blocks);
    }

    [Fact]
    public void Compose_PlanSummary_ListsTheStepsAndAlarms()
    {
        var plan = Inputs.AlbPlan();

        var summary = ApprovalMessageComposer.PlanSummary(plan);

        Assert.StartsWith($"{plan.Strategy.Name}, {plan.Strategy.Steps.Count} steps (", summary, StringComparison.Ordinal);
        Assert.Contains($"{plan.Strategy.Steps[0].Weight}% for ", summary, StringComparison.Ordinal);
        Assert.Contains("through alb", summary, StringComparison.Ordinal);
        Assert.Contains(plan.Alarms.Names[0], summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_BadInput_ListsEveryProblem()
    {
        var e = Assert.Throws<InvalidInput>(() => ApprovalMessageComposer.Compose(new ComposeApprovalMessageRequest { Gate = new ApprovalGate { Kind = "whenever" }, AskedAt = "soon", Channel = "#ops" }));

        Assert.Equal(5, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("plan:", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("gate.kind:", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("channel:", StringComparison.Ordinal));
    }

    [Fact]
    public void Handler_RoundTripsThroughTheCatalog_AndTheOutputHasNoTaskToken()
    {
        var request = JsonSerializer.Serialize(Request(), Serialization.FunctionsJsonContext.Default.ComposeApprovalMessageRequest);

        using var output = FunctionCatalog.Get("ComposeApprovalMessage").Invoke(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(request)));
        using var reader = new StreamReader(output);
        var text = reader.ReadToEnd();

        Assert.Contains("\"request\":{\"channel\":\"C0OPS\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("taskToken", text, StringComparison.Ordinal);
    }
}
