using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Slack.Tests.Support;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Slack.Tests;

public sealed class SecretsTests
{
    private static readonly string[] Secrets =
        [FakeSlack.BotToken, FakeSlack.AppToken, "FAKEBOTSECRET", "FAKEAPPSECRET", "8f742231b10e8888abcd99yyyzzz85a5"];

    [Fact]
    public async Task TokensNeverAppearInLogLinesEvenWhenThingsGoWrong()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var fake = harness.Fake;
        var socket = (await fake.WaitForOpenSocketsAsync(2))[0];
        harness.Engine.Answer = _ => [new Reply(new Message("ok"))];
        fake.Script("users.info", FakeFault.ServerError(500), times: 10);
        await fake.WaitForAckAsync(await socket.SendEnvelopeAsync("slash_commands", fake.SlashCommand("U1", "/interview", "list")));
        fake.Script("chat.postMessage", FakeFault.RateLimited(1), times: 10);
        var slack = harness.Get<SlackChatPlatformAccessor>().Platform;
        await slack.SendDirectMessageAsync(new DirectMessageRequest(InteractionTests.Member("U1"), new Message("hi"), "k1", true), CancellationToken.None);
        await slack.SendDirectMessageAsync(new DirectMessageRequest(InteractionTests.Member("UBOT"), new Message("hi"), "k2", false), CancellationToken.None);
        socket.Abort();
        await fake.WaitForOpenSocketsAsync(2);
        fake.BotTokenValid = false;
        await slack.SendDirectMessageAsync(new DirectMessageRequest(InteractionTests.Member("U2"), new Message("hi"), "k3", false), CancellationToken.None);

        Assert.NotEmpty(harness.Logs.Lines);
        Assert.Contains(harness.Logs.Lines, l => l.Contains("invalid_auth"));
        foreach (var secret in Secrets) Assert.DoesNotContain(secret, harness.Logs.All);
    }

    [Fact]
    public async Task BadSettingsFailAtStartNamingTheSettingButNotItsValue()
    {
        const string wrongToken = "xoxp-user-token-SHOULDNOTLEAK";
        await using var harness = await SlackAdapterHarness.StartAsync(s =>
        {
            s["Slack:BotToken"] = wrongToken;
            s["Slack:AppToken"] = "";
        }, start: false);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => harness.Host.StartAsync());

        Assert.Contains("Slack:BotToken", error.Message);
        Assert.Contains("Slack:AppToken", error.Message);
        Assert.DoesNotContain("SHOULDNOTLEAK", error.Message);
    }

    [Fact]
    public async Task ACoachGivenByNameInsteadOfUserIdFailsAtStart()
    {
        await using var harness = await SlackAdapterHarness.StartAsync(s =>
        {
            s["Slack:CoachUserIds:0"] = "U0GOODID1";
            s["Slack:CoachUserIds:1"] = "@ana.ruiz";
        }, start: false);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => harness.Host.StartAsync());

        Assert.Contains("Slack:CoachUserIds", error.Message);
        Assert.Contains("@ana.ruiz", error.Message);
        Assert.DoesNotContain("U0GOODID1", error.Message);
    }
}
