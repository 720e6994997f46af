using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Platforms.Discord.Tests;

/// <summary>
/// What nothing answering comes to, worded and classified by the kit's error model the same way for every adapter
/// (Slack's twin: DirectMessageTests in FollowUpBot.Platforms.Slack.Tests).
/// </summary>
public sealed class NoAnswerTests
{
    [Fact]
    public async Task ANudgeNothingAnswersIsRetriedLaterNamingTheServerTriedNotRefused()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var adapter = await AdapterHost.StartAsync(discord, c =>
        {
            c["Discord:ApplicationId"] = FakeDiscord.ApplicationId;
            c["Discord:Mode"] = "http";
            c["Discord:PublicKey"] = new string('a', 64);
            c["Discord:ApiBaseUrl"] = "http://127.0.0.1:9/api/v10/secret-path";
            c["Discord:MaxRestAttempts"] = "1";
        }, waitForSession: false);
        var platform = adapter.Get<IEnumerable<IChatPlatform>>().Single(p => p.Name == "discord");
        var member = new Member(1, new MemberKey("discord", Payloads.GuildId, Payloads.MemberId), "UTC", QuietHours.Default, false,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        var result = await platform.SendDirectMessageAsync(new DirectMessageRequest(member, new Message("Debrief time."), "n1d1", false), default);

        Assert.Equal(DeliveryStatus.RetryLater, result.Status);
        Assert.Equal("no response from Discord (connection refused at http://127.0.0.1:9)", result.Detail);
        Assert.Contains(adapter.Logs.Lines, l => l.Contains("no response (connection refused at http://127.0.0.1:9)"));
        Assert.DoesNotContain(adapter.Logs.Lines, l => l.Contains("refused:") || l.Contains("secret-path"));
        Assert.Null(adapter.ExitCode.Code);
    }
}
