using System.Text.Json.Nodes;
using FollowUpBot.Platforms.Discord.Gateway;
using FollowUpBot.Platforms.Discord.Tests.Fakes;
using Microsoft.Extensions.Hosting;

namespace FollowUpBot.Platforms.Discord.Tests;

/// <summary>Several adapters, one per shard, on one fake Discord: who gets which interaction, and who registers commands.</summary>
public sealed class ShardTests : IAsyncLifetime
{
    private FakeDiscord _discord = null!;

    public async Task InitializeAsync() => _discord = await FakeDiscord.StartAsync();

    public async Task DisposeAsync() => await _discord.DisposeAsync();

    private Task<AdapterHost> StartShardAsync(string name, int shard, int count, Action<Dictionary<string, string?>>? configure = null) =>
        AdapterHost.StartAsync(_discord, c =>
        {
            c["Discord:GatewayUrl"] = _discord.Gateway.UrlFor(name);
            c["Discord:ShardId"] = shard.ToString(System.Globalization.CultureInfo.InvariantCulture);
            c["Discord:ShardCount"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            configure?.Invoke(c);
        }, waitForSession: false);

    private Task<GatewayFrame> IdentifiedAsync(int shard, int count) =>
        _discord.Gateway.WaitForFrameAsync(f => f.Op == 2 && f.Data!["shard"]!.ToJsonString() == $"[{shard},{count}]", $"the Identify of shard {shard}");

    [Fact]
    public async Task EachShardGetsTheInteractionsOfItsOwnGuildsAndDirectMessagesGoToShardZero()
    {
        await using var zero = await StartShardAsync("a", 0, 2);
        await using var one = await StartShardAsync("b", 1, 2);
        var zeroConnection = (await IdentifiedAsync(0, 2)).Connection;
        var oneConnection = (await IdentifiedAsync(1, 2)).Connection;

        var inZero = Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>(), guildId: Payloads.GuildOnShard(0, 2));
        var inOne = Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>(), userId: Payloads.OtherMemberId, guildId: Payloads.GuildOnShard(1, 2));
        var inDm = Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>(), inGuild: false);
        foreach (var interaction in new[] { inZero, inOne, inDm }) await _discord.Gateway.InteractionAsync(interaction);

        foreach (var interaction in new[] { inZero, inOne, inDm }) await _discord.CallbackAsync(interaction["id"]!.GetValue<string>());
        Assert.Equal([Payloads.GuildOnShard(0, 2), "dm"], zero.Engine.Events.Select(e => e.From.Key.Workspace).Order(StringComparer.Ordinal));
        Assert.Equal([Payloads.GuildOnShard(1, 2)], one.Engine.Events.Select(e => e.From.Key.Workspace).ToArray());
        var sentOn = _discord.Gateway.Dispatches.Where(d => d.Type == "INTERACTION_CREATE").ToDictionary(d => d.Data!["id"]!.GetValue<string>(), d => d.Connection);
        Assert.Equal(zeroConnection, sentOn[inZero["id"]!.GetValue<string>()]);
        Assert.Equal(oneConnection, sentOn[inOne["id"]!.GetValue<string>()]);
        Assert.Equal(zeroConnection, sentOn[inDm["id"]!.GetValue<string>()]);
    }

    [Fact]
    public async Task AShardThatGoesAwayIsResumedWithItsMissedInteractionsAndTheOtherShardIsUntouched()
    {
        await using var zero = await StartShardAsync("a", 0, 2);
        await using var one = await StartShardAsync("b", 1, 2);
        await IdentifiedAsync(0, 2);
        var oneConnection = (await IdentifiedAsync(1, 2)).Connection;
        await GatewayTests.Poll(() => one.Get<DiscordShards>().Gateway(1)?.SessionId is not null, "shard 1's READY processed");

        _discord.Gateway.DropShard(1);
        var missed = Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>(), guildId: Payloads.GuildOnShard(1, 2, n: 1));
        await _discord.Gateway.InteractionAsync(missed);

        await _discord.CallbackAsync(missed["id"]!.GetValue<string>());
        var resume = await _discord.Gateway.WaitForFrameAsync(f => f.Op == 6, "shard 1's Resume");
        Assert.True(resume.Connection > oneConnection);
        Assert.Empty(zero.Engine.Events);
        Assert.Single(one.Engine.Events);
    }

    [Theory]
    [InlineData(0, null, true)]
    [InlineData(1, null, false)]
    [InlineData(1, "true", true)]
    [InlineData(0, "false", false)]
    public async Task OnlyTheInstanceHoldingShardZeroOverwritesTheCommandsUnlessConfiguredOtherwise(int shard, string? registerCommands, bool overwrites)
    {
        await using var adapter = await StartShardAsync("a", shard, 2, c => c["Discord:RegisterCommands"] = registerCommands);
        await IdentifiedAsync(shard, 2);
        await GatewayTests.Poll(() => adapter.Get<DiscordShards>().Gateway(shard)?.SessionId is not null, "READY processed");

        // Registration waits for the application id only, which the instance has by READY: it is over or under way.
        await adapter.Get<DiscordBotService>().CommandsRegistered;

        Assert.Equal(overwrites ? 1 : 0, _discord.Requests.Count(r => r.Is("PUT", "applications/")));
    }

    [Fact]
    public async Task ASecondConnectionForAShardAlreadyHeldIsRefusedWithInvalidShardAndStopsThatInstance()
    {
        await using var first = await StartShardAsync("a", 0, 2);
        await IdentifiedAsync(0, 2);

        await using var second = await StartShardAsync("b", 0, 2);
        var lifetime = second.Get<IHostApplicationLifetime>();

        await GatewayTests.Poll(() => lifetime.ApplicationStopping.IsCancellationRequested, "the duplicate instance to stop");
        Assert.Contains(second.Logs.Lines, l => l.StartsWith("Critical") && l.Contains("4010") && l.Contains("Discord:ShardId"));
        Assert.False(first.Get<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.Equal(0, _discord.Gateway.ShardOfConnection((await IdentifiedAsync(0, 2)).Connection));
    }
}
