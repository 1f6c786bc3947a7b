using System.Text;
using BlueGreen.Functions.Chat;

namespace BlueGreen.Functions.Tests.Chat;

public class ChatEndpointTests
{
    private readonly ChatRig _rig = new();

    [Fact]
    public void Upgrade_ByAnOperator_IsAcceptedAsAPendingCommandAndAnsweredInChannel()
    {
        var response = _rig.Say("upgrade shop-blue 1.34 canary");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("in_channel", ChatRig.TypeOf(response));
        var record = Assert.Single(_rig.Store.Records);
        Assert.Equal((ChatAuditRecord.Accepted, ChatAuditRecord.Pending, "shop-blue"), (record.Decision, record.Status, record.Cluster));
        Assert.Equal(new ChatCommand("upgrade", "shop-blue", "1.34", "canary"), record.Command);
        Assert.Equal((ChatRig.Team, ChatRig.Channel, ChatRig.Operator), (record.TeamId, record.ChannelId, record.UserId));
        Assert.Equal("https://hooks.slack.com/commands/T0BLUE/1/abc", record.ResponseUrl);
        Assert.Equal(_rig.Clock.Now.AddDays(400), record.ExpiresAt);
        Assert.Contains(record.CommandId, ChatRig.TextOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public void ForgedRequest_IsRefusedWith401_AuditedUnverified_AndNotRemembered()
    {
        var response = _rig.Send(_rig.Signed(ChatRig.SlashBody("upgrade shop-blue 1.34"), secret: "guessed"));

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("ephemeral", ChatRig.TypeOf(response));
        var record = Assert.Single(_rig.Store.Records);
        Assert.Equal(("refused", "forged", false), (record.Decision, record.DecisionCode, record.Verified));
        Assert.Null(record.UserId);
        Assert.Equal(0, _rig.Store.Remembered);
    }

    [Fact]
    public void StaleRequest_IsRefused()
    {
        var response = _rig.Send(_rig.Signed(ChatRig.SlashBody("upgrade shop-blue 1.34"), at: _rig.Clock.Now.AddMinutes(-5).AddSeconds(-1)));

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("stale", Assert.Single(_rig.Store.Records).DecisionCode);
    }

    [Fact]
    public void ExactReplayWithinTheWindow_IsRefused()
    {
        var request = _rig.Signed(ChatRig.SlashBody("upgrade shop-blue 1.34"));
        _rig.Send(request);
        _rig.Clock.Now = _rig.Clock.Now.AddMinutes(2);

        var replay = _rig.Send(request);

        Assert.Equal(401, replay.StatusCode);
        Assert.Equal(["accepted", "replayed"], _rig.Store.Records.Select(r => r.DecisionCode));
        Assert.Single(_rig.Store.Records, r => r.Status == ChatAuditRecord.Pending);
    }

    [Fact]
    public void BodyOverTheLimit_IsRefusedWith413BeforeTheSecretIsRead()
    {
        var body = ChatRig.SlashBody("help") + "&pad=" + new string('a', ChatEndpoint.MaxBodyBytes);

        var response = _rig.Send(_rig.Signed(body));

        Assert.Equal(413, response.StatusCode);
        Assert.Equal(0, _rig.SecretReads);
        Assert.Equal("body-too-large", Assert.Single(_rig.Store.Records).DecisionCode);
    }

    [Fact]
    public void Get_IsRefusedWith405()
    {
        var signed = _rig.Signed(ChatRig.SlashBody("help"));

        Assert.Equal(405, _rig.Send(signed with { Method = "GET" }).StatusCode);
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "upgrade shop-blue 1.34", "team", "team-not-allowed" },
        { "upgrade shop-blue 1.34", "channel", "channel-not-allowed" },
        { "deploy shop-blue 1.34", "", "unknown-command" },
        { "upgrade -shop 1.34", "", "invalid-arguments" },
        { "upgrade shop-blue latest", "", "invalid-arguments" },
        { "upgrade shop-blue 1.34 canary extra", "", "invalid-arguments" },
        { "plan shop-blue", "", "invalid-arguments" },
        { "upgrade pay-blue 1.34", "", "not-authorized" },
        { "approve shop-blue-to-1-34-0a1b2c3d", "", "not-authorized" },
        { "abort no-such-run", "", "run-not-found" },
        { "reject shop-blue-to-1-34-0a1b2c3d", "", "invalid-arguments" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refusal_IsEphemeral_AuditedWithItsReason_AndHasNoOtherEffect(string text, string where, string code)
    {
        _rig.AddRun("shop-blue-to-1-34-0a1b2c3d", "shop-blue", "slack/U0SOMEONE");
        var body = ChatRig.SlashBody(text, team: where == "team" ? "T0OTHER" : ChatRig.Team, channel: where == "channel" ? "C0RANDOM" : ChatRig.Channel);

        var response = _rig.Send(_rig.Signed(body));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("ephemeral", ChatRig.TypeOf(response));
        Assert.StartsWith("Refused: ", ChatRig.TextOf(response), StringComparison.Ordinal);
        var record = Assert.Single(_rig.Store.Records);
        Assert.Equal((ChatAuditRecord.Refused, code, ChatAuditRecord.Refused, true), (record.Decision, record.DecisionCode, record.Status, record.Verified));
        Assert.False(string.IsNullOrWhiteSpace(record.DecisionReason));
        Assert.Null(record.ResponseUrl);
    }

    [Fact]
    public void InvalidArguments_NameEveryProblemAndShowTheUsage()
    {
        var text = ChatRig.TextOf(_rig.Say("upgrade -shop latest Canary"));

        Assert.Contains("EKS cluster name rules", text, StringComparison.Ordinal);
        Assert.Contains("version 'latest'", text, StringComparison.Ordinal);
        Assert.Contains("profile 'Canary'", text, StringComparison.Ordinal);
        Assert.Contains("/bluegreen upgrade <cluster> <version> [profile]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Viewer_CannotUpgrade_ButCanAskForStatus()
    {
        _rig.AddRun("shop-blue-to-1-34-0a1b2c3d", "shop-blue", "slack/U0OPERATOR");

        Assert.Contains("needs the operator role for shop-blue", ChatRig.TextOf(_rig.Say("upgrade shop-blue 1.34", ChatRig.Viewer)), StringComparison.Ordinal);
        var status = ChatRig.TextOf(_rig.Say("status shop-blue", ChatRig.Viewer));

        Assert.Contains("shop-blue run shop-blue-to-1-34-0a1b2c3d to 1.34: Running, phase Waiting for approval, Blue 100% · Green 0%", status, StringComparison.Ordinal);
        Assert.Equal(ChatAuditRecord.Answered, _rig.Store.Records[^1].Status);
    }

    [Fact]
    public void StatusWithoutCluster_ShowsOnlyRunsTheUserMayView()
    {
        _rig.AddRun("pay-green-to-1-34-99999999", "pay-green", "slack/U0X");

        Assert.Equal("No runs recorded yet.", ChatRig.TextOf(_rig.Say("status", ChatRig.Operator)));
        Assert.Contains("pay-green", ChatRig.TextOf(_rig.Say("status", ChatRig.Viewer)), StringComparison.Ordinal);
    }

    [Fact]
    public void Stranger_GetsHelpButNothingElse()
    {
        Assert.Equal(ChatAuditRecord.Accepted, AuditOf(_rig.Say("help", ChatRig.Stranger)).Decision);
        Assert.Equal("not-authorized", AuditOf(_rig.Say("status", ChatRig.Stranger)).DecisionCode);
    }

    [Fact]
    public void Approve_ByTheUserWhoStartedTheRun_IsRefused_FourEyes()
    {
        _rig.AddRun("shop-blue-to-1-34-0a1b2c3d", "shop-blue", "slack/" + ChatRig.Approver);

        var response = _rig.Send(_rig.Signed(ChatRig.ButtonBody(SlackRequest.ApproveAction, "shop-blue-to-1-34-0a1b2c3d")));

        Assert.Contains("someone else must approve it", ChatRig.TextOf(response), StringComparison.Ordinal);
        Assert.Equal("self-approval", _rig.Store.Records.Single().DecisionCode);
    }

    [Fact]
    public void ApproveButton_ByAnApproverInAUserGroup_IsAcceptedForTheRunAndItsExecution()
    {
        var run = _rig.AddRun("shop-blue-to-1-34-0a1b2c3d", "shop-blue", "slack/" + ChatRig.Operator);

        _rig.Send(_rig.Signed(ChatRig.ButtonBody(SlackRequest.ApproveAction, run.RunId, user: ChatRig.GroupMember)));

        var record = _rig.Store.Records.Single();
        Assert.Equal((ChatAuditRecord.Pending, SlackRequest.Button, "shop-blue", run.ExecutionArn), (record.Status, record.Source, record.Cluster, record.ExecutionArn));
        Assert.Equal(new ChatCommand("approve", Run: run.RunId), record.Command);
        Assert.Equal("https://hooks.slack.com/actions/T0BLUE/2/def", record.ResponseUrl);
    }

    [Fact]
    public void RejectButton_RecordsTheButtonsReason()
    {
        var run = _rig.AddRun("shop-blue-to-1-34-0a1b2c3d", "shop-blue", "slack/" + ChatRig.Operator);

        _rig.Send(_rig.Signed(ChatRig.ButtonBody(SlackRequest.RejectAction, run.RunId)));

        Assert.Equal(SlackRequest.ButtonRejectReason, _rig.Store.Records.Single().Command?.Reason);
    }

    [Theory]
    [InlineData("payload=%7Bnot+json")]
    [InlineData("payload=%7B%22type%22%3A%22view_submission%22%7D")]
    [InlineData("team_id=T0BLUE&team_id=T0BLUE&channel_id=C0OPS&user_id=U0OPERATOR&command=%2Fbluegreen")]
    [InlineData("team_id=T0BLUE&user_id=U0OPERATOR&command=%2Fbluegreen&text=help")]
    [InlineData("just text")]
    public void MalformedButSigned_IsRefusedAsMalformed(string body)
    {
        var response = _rig.Send(_rig.Signed(body));

        Assert.Equal((200, "malformed"), (response.StatusCode, _rig.Store.Records.Single().DecisionCode));
    }

    [Fact]
    public void UnknownButton_IsRefusedAsMalformed()
    {
        _rig.Send(_rig.Signed(ChatRig.ButtonBody("delete-everything", "shop-blue-to-1-34-0a1b2c3d")));

        Assert.Equal("malformed", _rig.Store.Records.Single().DecisionCode);
    }

    [Fact]
    public void Abort_ByAnOperator_NamesTheRunsExecution()
    {
        var run = _rig.AddRun("shop-blue-to-1-34-0a1b2c3d", "shop-blue", "console/alice");

        var text = ChatRig.TextOf(_rig.Say("abort " + run.RunId));

        Assert.Contains("restore-blue puts traffic back on Blue", text, StringComparison.Ordinal);
        Assert.Equal(run.ExecutionArn, _rig.Store.Records.Single().ExecutionArn);
    }

    [Fact]
    public void TheSigningSecret_NeverAppearsInARecordOrReply()
    {
        var replies = new[] { _rig.Say("upgrade shop-blue 1.34"), _rig.Send(_rig.Signed(ChatRig.SlashBody("help"), secret: "wrong")) };

        Assert.All(replies, r => Assert.DoesNotContain(ChatRig.Secret, r.Body, StringComparison.Ordinal));
        Assert.All(_rig.Store.Records, r => Assert.DoesNotContain(ChatRig.Secret, r.ToString(), StringComparison.Ordinal));
        Assert.Equal(2, Encoding.UTF8.GetByteCount(ChatRig.Secret) > 0 ? _rig.Store.Records.Count : 0);
    }

    private ChatAuditRecord AuditOf(ChatHttpResponse response)
    {
        Assert.NotNull(response);
        return _rig.Store.Records[^1];
    }
}
