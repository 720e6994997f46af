using System.Text.Json.Nodes;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Discord.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Discord.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("Discord:Token", "", "Discord:Token")]
    [InlineData("Discord:Token", "Bot abc def", "Discord:Token")]
    [InlineData("Discord:ShardId", "3", "Discord:ShardId")]
    [InlineData("Discord:ShardLeaseRenewInterval", "00:00:20", "Discord:ShardLeaseRenewInterval")]
    [InlineData("Discord:ShardLeaseDuration", "00:00:00.1", "ShardLeaseDuration")]
    [InlineData("Discord:ApiBaseUrl", "not a url", "Discord:ApiBaseUrl")]
    [InlineData("Discord:Mode", "http", "Discord:PublicKey")]
    [InlineData("Discord:GuildId", "my-server", "Discord:GuildId")]
    public async Task BadSettingsStopTheStartWithAClearMessage(string key, string value, string named)
    {
        await using var discord = await FakeDiscord.StartAsync();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AdapterHost.StartAsync(discord, c => c[key] = value, waitForSession: false));

        Assert.Contains(named, error.Message);
        Assert.DoesNotContain("abc def", error.Message);
    }

    [Fact]
    public async Task TheTokenNeverAppearsInALogLine()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.ClosedDms["1500000000000000003"] = 0;
        discord.Script(r => r.Is("POST", "channels/"), FakeReply.ServerError(), FakeReply.RateLimited(0.01), new FakeReply(0, Drop: true));
        await using (var adapter = await AdapterHost.StartAsync(discord))
        {
            adapter.Engine.Answer = _ => throw new InvalidOperationException("boom");
            await discord.Gateway.InteractionAsync(Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>()));
            await discord.Gateway.SendOpAsync(7);
            await discord.Gateway.WaitForFrameAsync(f => f.Op == 6, "a resume");
            var platform = adapter.Get<IEnumerable<IChatPlatform>>().Single();
            var member = new Member(1, new MemberKey("discord", Payloads.GuildId, "1500000000000000003"), "UTC", QuietHours.Default, false, default, default);
            await platform.SendDirectMessageAsync(new DirectMessageRequest(member, new Message("hi"), "n1d1", false), default);
            await platform.SendDirectMessageAsync(new DirectMessageRequest(member with { Key = member.Key with { UserId = Payloads.MemberId } }, new Message("hi"), "n2d1", false), default);
            discord.Gateway.CloseOnIdentify = 4004;
            await discord.Gateway.SendOpAsync(9, JsonValue.Create(false));
            await GatewayTests.Poll(() => adapter.Logs.Lines.Any(l => l.Contains("4004")), "the fatal close logged");

            Assert.True(adapter.Logs.Lines.Count > 10);
            Assert.DoesNotContain(adapter.Logs.Lines, l => l.Contains(FakeDiscord.Token) || l.Contains("fake-bot-token"));
            Assert.DoesNotContain(adapter.Logs.Lines, l => l.Contains("interaction-token-"));
        }
    }
}
