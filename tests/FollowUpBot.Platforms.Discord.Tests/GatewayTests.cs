using System.Net.WebSockets;
using System.Text.Json.Nodes;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Time;
using FollowUpBot.Platforms.Discord.Gateway;
using FollowUpBot.Platforms.Discord.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using FollowUpBot.Platforms.Kit;

namespace FollowUpBot.Platforms.Discord.Tests;

public sealed class GatewayTests : IAsyncLifetime
{
    private FakeDiscord _discord = null!;

    public async Task InitializeAsync() => _discord = await FakeDiscord.StartAsync();

    public async Task DisposeAsync() => await _discord.DisposeAsync();

    [Fact]
    public async Task IdentifiesWithTheBareTokenNoIntentsAndTheConfiguredShard()
    {
        await using var adapter = await AdapterHost.StartAsync(_discord, c => { c["Discord:ShardId"] = "1"; c["Discord:ShardCount"] = "2"; });

        var identify = await _discord.Gateway.WaitForFrameAsync(f => f.Op == 2, "Identify");
        Assert.Equal(FakeDiscord.Token, identify.Data!["token"]!.GetValue<string>());
        Assert.Equal(0, identify.Data["intents"]!.GetValue<int>());
        Assert.Equal("[1,2]", identify.Data["shard"]!.ToJsonString());
        Assert.NotNull(identify.Data["properties"]!["os"]);
        Assert.Equal("?v=10&encoding=json", _discord.Gateway.ConnectQueries[0]);
    }

    [Fact]
    public async Task FindsTheGatewayThroughGetGatewayBotWhenNoUrlIsConfigured()
    {
        await using var adapter = await AdapterHost.StartAsync(_discord, c => c["Discord:GatewayUrl"] = null);

        var request = await _discord.WaitForRequestAsync(r => r.Is("GET", "gateway/bot"), "GET /gateway/bot");
        Assert.Equal("Bot " + FakeDiscord.Token, request.Authorization);
        Assert.StartsWith("DiscordBot (", request.UserAgent);
    }

    [Fact]
    public async Task FirstHeartbeatComesWithinOneIntervalThenOneEveryIntervalCarryingTheLastSequence()
    {
        // The wire clock is simulated: heartbeats can only happen when the test moves it.
        var clock = new SimulatedClock(DateTimeOffset.Parse("2026-03-02T10:00:00Z"));
        _discord.Gateway.HeartbeatIntervalMs = 40_000;
        await using var adapter = await AdapterHost.StartAsync(_discord, c => c["Discord:FirstReconnectDelay"] = "00:00:00",
            s => s.AddSingleton(new TransportClock(clock)));
        var gateway = adapter.Get<DiscordShards>().Gateway(0)!;
        await Poll(() => gateway.SessionId is not null, "READY processed");
        await _discord.Gateway.DispatchAsync("SOME_EVENT_WE_IGNORE", new JsonObject { ["x"] = 1 });
        await Poll(() => gateway.Sequence == _discord.Gateway.Sequence, "the dispatch read");
        Assert.Empty(_discord.Gateway.Frames(1));

        clock.Advance(TimeSpan.FromMilliseconds(40_000)); // the jittered first beat falls inside the first interval
        var first = await _discord.Gateway.WaitForFrameAsync(f => f.Op == 1, "the first heartbeat");
        Assert.Equal(_discord.Gateway.Sequence, first.Data!.GetValue<long>());
        await Poll(() => gateway.AcknowledgedHeartbeats == 1, "the first ACK read");

        clock.Advance(TimeSpan.FromMilliseconds(40_000));
        await Poll(() => _discord.Gateway.Frames(1).Count == 2, "the second heartbeat");
        await Poll(() => gateway.AcknowledgedHeartbeats == 2, "the second ACK read");
        Assert.Equal(1, _discord.Gateway.Connections);
    }

    [Fact]
    public async Task HeartbeatsAtOnceWhenTheGatewayAsksWithOpOne()
    {
        _discord.Gateway.HeartbeatIntervalMs = 3_600_000;
        var clock = new SimulatedClock(DateTimeOffset.Parse("2026-03-02T10:00:00Z"));
        await using var adapter = await AdapterHost.StartAsync(_discord, configure: null, s => s.AddSingleton(new TransportClock(clock)));
        await Poll(() => adapter.Get<DiscordShards>().Gateway(0)?.SessionId is not null, "READY processed");

        await _discord.Gateway.SendOpAsync(1);

        await _discord.Gateway.WaitForFrameAsync(f => f.Op == 1, "a heartbeat answering op 1");
    }

    [Fact]
    public async Task AHeartbeatAskedForWithOpOneWhoseAckIsStillOnItsWayIsNotTakenForAZombie()
    {
        // The regular beat checks the ACK of the previous regular beat. A beat Discord asked for just before it, whose
        // ACK had not arrived yet (a loaded machine, a slow network), once closed a healthy connection as a zombie.
        var clock = new SimulatedClock(DateTimeOffset.Parse("2026-03-02T10:00:00Z"));
        _discord.Gateway.HeartbeatIntervalMs = 40_000;
        await using var adapter = await AdapterHost.StartAsync(_discord, configure: null, s => s.AddSingleton(new TransportClock(clock)));
        var gateway = adapter.Get<DiscordShards>().Gateway(0)!;
        await Poll(() => gateway.SessionId is not null, "READY processed");
        clock.Advance(TimeSpan.FromMilliseconds(40_000));
        await Poll(() => gateway.AcknowledgedHeartbeats == 1, "the first regular beat's ACK read");

        _discord.Gateway.AcknowledgeHeartbeats = false; // the ACK of the asked-for beat stays on its way
        await _discord.Gateway.SendOpAsync(1);
        await Poll(() => _discord.Gateway.Frames(1).Count == 2, "a heartbeat answering op 1");
        clock.Advance(TimeSpan.FromMilliseconds(40_000));

        await Poll(() => _discord.Gateway.Frames(1).Count(f => f.Connection == 1) == 3, "the next regular beat on the same connection");
        Assert.Equal(1, _discord.Gateway.Connections);
        Assert.DoesNotContain(adapter.Logs.Lines, l => l.Contains("missed a heartbeat ACK"));
    }

    [Fact]
    public async Task ResumesAfterTheServerDropsTheConnectionAndGetsTheInteractionSentMeanwhile()
    {
        await using var adapter = await AdapterHost.StartAsync(_discord);
        await Poll(() => adapter.Get<DiscordShards>().Gateway(0)?.SessionId is not null, "READY processed");
        var sessionId = _discord.Gateway.SessionId;

        await _discord.Gateway.DropAsync();
        var missed = Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>());
        await _discord.Gateway.InteractionAsync(missed); // nobody connected: kept for the resume

        var resume = await _discord.Gateway.WaitForFrameAsync(f => f.Op == 6, "Resume");
        Assert.Equal(sessionId, resume.Data!["session_id"]!.GetValue<string>());
        Assert.Equal(FakeDiscord.Token, resume.Data["token"]!.GetValue<string>());
        Assert.Equal(1, resume.Data["seq"]!.GetValue<long>());
        await _discord.CallbackAsync(missed["id"]!.GetValue<string>());
        Assert.Single(_discord.Gateway.Frames(2));
        Assert.Equal("interview list", (await adapter.Engine.WaitForEventAsync<SlashCommand>()).Name);
    }

    [Fact]
    public async Task ResumesOnTheGatewayUrlWhenReadyNamedNoResumeUrl()
    {
        _discord.Gateway.OmitResumeUrl = true;
        await using var adapter = await AdapterHost.StartAsync(_discord);
        await Poll(() => adapter.Get<DiscordShards>().Gateway(0)?.SessionId is not null, "READY processed");

        await _discord.Gateway.DropAsync();

        await _discord.Gateway.WaitForFrameAsync(f => f.Op == 6, "Resume on the gateway URL");
        Assert.Single(_discord.Gateway.Frames(2));
    }

    [Fact]
    public async Task ReconnectsAndResumesOnOpSeven()
    {
        await using var adapter = await AdapterHost.StartAsync(_discord);
        await Poll(() => adapter.Get<DiscordShards>().Gateway(0)?.SessionId is not null, "READY processed");

        await _discord.Gateway.SendOpAsync(7);

        var resume = await _discord.Gateway.WaitForFrameAsync(f => f.Op == 6, "Resume after op 7");
        Assert.True(resume.Connection > 1);
        Assert.Single(_discord.Gateway.Frames(2));
        Assert.DoesNotContain(_discord.Gateway.ClientCloses, c => c.Status is WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.EndpointUnavailable);
    }

    [Fact]
    public async Task IdentifiesAfreshAfterInvalidSessionFalse()
    {
        await using var adapter = await AdapterHost.StartAsync(_discord);
        await Poll(() => adapter.Get<DiscordShards>().Gateway(0)?.SessionId is not null, "READY processed");

        await _discord.Gateway.SendOpAsync(9, JsonValue.Create(false));

        await Poll(() => _discord.Gateway.Frames(2).Count == 2, "a second Identify");
        Assert.Empty(_discord.Gateway.Frames(6));
    }

    [Fact]
    public async Task ResumesAfterInvalidSessionTrue()
    {
        await using var adapter = await AdapterHost.StartAsync(_discord);
        await Poll(() => adapter.Get<DiscordShards>().Gateway(0)?.SessionId is not null, "READY processed");

        await _discord.Gateway.SendOpAsync(9, JsonValue.Create(true));

        await _discord.Gateway.WaitForFrameAsync(f => f.Op == 6, "Resume after op 9 d:true");
        Assert.Single(_discord.Gateway.Frames(2));
    }

    [Fact]
    public async Task ReconnectsAndResumesAZombieConnection()
    {
        _discord.Gateway.AcknowledgeHeartbeats = false;
        _discord.Gateway.HeartbeatIntervalMs = 200;
        await using var adapter = await AdapterHost.StartAsync(_discord);

        var resume = await _discord.Gateway.WaitForFrameAsync(f => f.Op == 6, "Resume after missing ACKs");

        Assert.True(resume.Connection >= 2);
        Assert.True(_discord.Gateway.Frames(1).Count(f => f.Connection == 1) >= 1);
        Assert.DoesNotContain(_discord.Gateway.ClientCloses, c => c.Connection == 1 && c.Status is WebSocketCloseStatus.NormalClosure);
    }

    [Theory]
    [InlineData(4000, true)]
    [InlineData(4008, true)]
    [InlineData(4007, false)]
    [InlineData(4009, false)]
    public async Task FollowsTheCloseCodeTable(int code, bool resumes)
    {
        await using var adapter = await AdapterHost.StartAsync(_discord);
        await Poll(() => adapter.Get<DiscordShards>().Gateway(0)?.SessionId is not null, "READY processed");

        await _discord.Gateway.CloseAsync(code);

        var next = await _discord.Gateway.WaitForSessionAsync(afterConnection: 1);
        Assert.Equal(resumes ? 6 : 2, next.Op);
    }

    [Fact]
    public async Task StopsTheHostWithANonZeroExitCodeOnAuthenticationFailed()
    {
        _discord.Gateway.CloseOnIdentify = 4004;
        await using var adapter = await AdapterHost.StartAsync(_discord);
        var lifetime = adapter.Get<IHostApplicationLifetime>();

        await Poll(() => lifetime.ApplicationStopping.IsCancellationRequested, "the host to stop");

        Assert.Equal(FatalStop.ExitCode, adapter.ExitCode.Code);
        Assert.Contains(adapter.Logs.Lines, l => l.StartsWith("Critical") && l.Contains("4004") && l.Contains("Discord:Token"));
        Assert.Equal(1, _discord.Gateway.Connections); // no reconnect storm on a bad token
        Assert.DoesNotContain(adapter.Logs.Lines, l => l.Contains(FakeDiscord.Token));
    }

    [Fact]
    public async Task ReadsFramesSplitAcrossWebSocketMessagesAndIgnoresWhatItDoesNotKnow()
    {
        await using var adapter = await AdapterHost.StartAsync(_discord);
        await Poll(() => adapter.Get<DiscordShards>().Gateway(0)?.SessionId is not null, "READY processed");

        await _discord.Gateway.SendRawAsync("this is not json", splitInto: 2);
        await _discord.Gateway.SendRawAsync("""{"op":42,"d":{"future":true}}""");
        await _discord.Gateway.SendRawAsync("""{"op":0,"t":"INTERACTION_CREATE","s":null,"d":null}""");
        await _discord.Gateway.DispatchAsync("GUILD_CREATE", new JsonObject { ["id"] = "1", ["name"] = "A server", ["channels"] = new JsonArray() });
        await _discord.Gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject { ["type"] = 2, ["surprise"] = "no id, no token" });
        var interaction = Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>());
        await _discord.Gateway.InteractionAsync(interaction, splitInto: 7);

        await _discord.CallbackAsync(interaction["id"]!.GetValue<string>());
        Assert.Single(adapter.Engine.Events);
        Assert.Equal(1, _discord.Gateway.Connections);
        // Logged under its event id (the Discord adapter's are 3001-3099), with the same words as before.
        Assert.Contains(adapter.Logs.Entries, e => e.Id.Id == 3040 && e.Line.EndsWith("Discord gateway sent a frame that is not JSON; ignored", StringComparison.Ordinal));
    }

    internal static async Task Poll(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting for " + what);
            await Task.Delay(10);
        }
    }
}
