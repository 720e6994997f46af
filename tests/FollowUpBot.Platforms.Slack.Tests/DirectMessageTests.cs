using System.Text.Json.Nodes;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Slack.Tests.Support;
using FollowUpBot.Platforms.Kit;

namespace FollowUpBot.Platforms.Slack.Tests;

public sealed class DirectMessageTests
{
    private static readonly Message Nudge = new("Send Ana a thank-you note tonight.",
        [new Button("nudge:5:done", "Sent it", ButtonStyle.Primary), new Button("nudge:5:snooze", "Snooze"), new Button("nudge:5:skip", "Skip", ButtonStyle.Danger)]);

    private static DirectMessageRequest To(string userId, string key = "n5d1", bool possibleRepeat = false) =>
        new(InteractionTests.Member(userId), Nudge, key, possibleRepeat);

    private static async Task<(SlackAdapterHarness Harness, IChatPlatform Slack)> StartAsync(Action<Dictionary<string, string?>>? settings = null)
    {
        var harness = await SlackAdapterHarness.StartAsync(settings, start: false);
        return (harness, harness.Get<SlackChatPlatformAccessor>().Platform);
    }

    [Fact]
    public async Task NudgeArrivesAsADirectMessageWithFallbackTextButtonsAndItsDeliveryKey()
    {
        var (harness, slack) = await StartAsync();
        await using var _ = harness;

        var result = await slack.SendDirectMessageAsync(To("U1"), CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        Assert.Empty(harness.Fake.Problems);
        var message = harness.Fake.MessagesIn(FakeSlack.DmChannelOf("U1")).Single();
        Assert.Equal(Nudge.Text, message.Text);
        Assert.Equal(["nudge:5:done", "nudge:5:snooze", "nudge:5:skip"], message.ActionIds);
        Assert.Equal("n5d1", (string?)message.Metadata?["event_payload"]?["delivery_key"]);
        var styles = message.Blocks!.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]!.AsArray()
            .Select(e => (string?)e!["style"]).ToList();
        Assert.Equal(["primary", null, "danger"], styles);
    }

    [Fact]
    public async Task TheDirectMessageChannelIsOpenedOnceAndReused()
    {
        var (harness, slack) = await StartAsync();
        await using var _ = harness;

        // A burst of due nudges for one member, then one more later.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => slack.SendDirectMessageAsync(To("U1", $"n{i}d1"), CancellationToken.None)));
        await slack.SendDirectMessageAsync(To("U1", "n9d1"), CancellationToken.None);

        Assert.Single(harness.Fake.CallsTo("conversations.open"));
        Assert.Equal(5, harness.Fake.MessagesIn(FakeSlack.DmChannelOf("U1")).Count);
    }

    [Fact]
    public async Task PossibleRepeatAlreadyInTheHistoryIsNotSentAgain()
    {
        var (harness, slack) = await StartAsync();
        await using var _ = harness;
        harness.Fake.Seed(FakeSlack.DmChannelOf("U1"), Nudge.Text, new JsonObject
        {
            ["event_type"] = "followupbot_delivery", ["event_payload"] = new JsonObject { ["delivery_key"] = "n5d1" },
        });
        harness.Fake.Seed(FakeSlack.DmChannelOf("U1"), "something later", null);

        var result = await slack.SendDirectMessageAsync(To("U1", "n5d1", possibleRepeat: true), CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        Assert.Empty(harness.Fake.CallsTo("chat.postMessage"));
        Assert.Equal("true", harness.Fake.CallsTo("conversations.history").Single().Arg("include_all_metadata"));
    }

    [Fact]
    public async Task PossibleRepeatNotInTheHistoryIsSent()
    {
        var (harness, slack) = await StartAsync();
        await using var _ = harness;
        harness.Fake.Seed(FakeSlack.DmChannelOf("U1"), "an older nudge", new JsonObject
        {
            ["event_type"] = "followupbot_delivery", ["event_payload"] = new JsonObject { ["delivery_key"] = "n4d1" },
        });

        var result = await slack.SendDirectMessageAsync(To("U1", "n5d1", possibleRepeat: true), CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        Assert.Single(harness.Fake.CallsTo("chat.postMessage"));
    }

    /// <summary>Worded and classified by the kit's error model the same way for every adapter (Discord's twin: NoAnswerTests).</summary>
    [Fact]
    public async Task ANudgeNothingAnswersIsRetriedLaterNamingTheServerTriedNotRefused()
    {
        var (harness, slack) = await StartAsync(s =>
        {
            s["Slack:ApiBaseUrl"] = "http://127.0.0.1:9/api/";
            s["Slack:MaxRetries"] = "0";
        });
        await using var _ = harness;

        var result = await slack.SendDirectMessageAsync(To("U1"), CancellationToken.None);

        Assert.Equal(DeliveryStatus.RetryLater, result.Status);
        Assert.Equal("no response from Slack (connection refused at http://127.0.0.1:9)", result.Detail);
        Assert.Contains(harness.Logs.Lines, l => l.Contains("no response (connection refused at http://127.0.0.1:9)"));
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Contains("refused:"));
        Assert.Null(harness.ExitCode.Code);
    }

    [Theory]
    [InlineData("UBOT", "cannot_dm_bot")]
    [InlineData("UGONE", "user_not_found")]
    public async Task MembersSlackCannotMessageAreReportedUnreachable(string userId, string error)
    {
        var (harness, slack) = await StartAsync();
        await using var _ = harness;

        var result = await slack.SendDirectMessageAsync(To(userId), CancellationToken.None);

        Assert.Equal(DeliveryStatus.Unreachable, result.Status);
        Assert.Equal(error, result.Detail);
        Assert.Empty(harness.Fake.CallsTo("chat.postMessage"));
        Assert.Null(harness.ExitCode.Code);
    }

    [Fact]
    public async Task ChannelNotFoundIsReportedAndTheCachedChannelIsForgotten()
    {
        var (harness, slack) = await StartAsync();
        await using var _ = harness;
        await slack.SendDirectMessageAsync(To("U1", "n1d1"), CancellationToken.None);
        harness.Fake.Script("chat.postMessage", FakeFault.ApiError("channel_not_found"));

        var failed = await slack.SendDirectMessageAsync(To("U1", "n2d1"), CancellationToken.None);
        var next = await slack.SendDirectMessageAsync(To("U1", "n3d1"), CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryStatus.Unreachable, "channel_not_found"), failed);
        Assert.Equal(DeliveryStatus.Delivered, next.Status);
        Assert.Equal(2, harness.Fake.CallsTo("conversations.open").Count);
    }

    [Fact]
    public async Task MalformedMessageIsAPermanentFailure()
    {
        var (harness, slack) = await StartAsync();
        await using var _ = harness;
        harness.Fake.Script("chat.postMessage", FakeFault.ApiError("invalid_blocks"));

        var result = await slack.SendDirectMessageAsync(To("U1"), CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryStatus.PermanentFailure, "invalid_blocks"), result);
    }

    [Fact]
    public async Task RateLimitBeyondTheRetriesIsRetryLaterWithSlacksDelay()
    {
        var (harness, slack) = await StartAsync(s => s["Slack:MaxRetries"] = "1");
        await using var _ = harness;
        harness.Fake.Script("chat.postMessage", FakeFault.RateLimited(1), times: 2);

        var result = await slack.SendDirectMessageAsync(To("U1"), CancellationToken.None);

        Assert.Equal(DeliveryStatus.RetryLater, result.Status);
        Assert.True(result.RetryAfter >= TimeSpan.FromSeconds(1));
        Assert.Empty(harness.Fake.MessagesIn(FakeSlack.DmChannelOf("U1")));
    }

    [Fact]
    public async Task InvalidAuthKeepsTheNudgeForLaterAndStopsTheBot()
    {
        var (harness, slack) = await StartAsync();
        await using var _ = harness;
        harness.Fake.BotTokenValid = false;

        var result = await slack.SendDirectMessageAsync(To("U1"), CancellationToken.None);

        Assert.Equal(DeliveryStatus.RetryLater, result.Status);
        Assert.Equal(FatalStop.ExitCode, harness.ExitCode.Code);
    }

    [Fact]
    public async Task ChannelPostGoesToTheChannel()
    {
        var (harness, slack) = await StartAsync();
        await using var _ = harness;

        var result = await slack.PostToChannelAsync(new ChannelPostRequest(FakeSlack.TeamId, "C1", new Message("Weekly digest")), CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        Assert.Equal("Weekly digest", harness.Fake.MessagesIn("C1").Single().Text);
    }
}
