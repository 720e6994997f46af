using System.Text.Json.Nodes;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Slack.SocketMode;
using FollowUpBot.Platforms.Slack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using FollowUpBot.Platforms.Kit;

namespace FollowUpBot.Platforms.Slack.Tests;

public sealed class SocketModeTests
{
    [Fact]
    public async Task TwoConnectionsOpenByDefaultEachWithAFreshUrlAndTheAppToken()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();

        await harness.Fake.WaitForOpenSocketsAsync(2);

        var opens = harness.Fake.CallsTo("apps.connections.open");
        Assert.Equal(2, opens.Count);
        Assert.All(opens, call => Assert.Equal(FakeSlack.AppToken, call.Token));
        Assert.Equal(FakeSlack.BotToken, harness.Fake.CallsTo("auth.test").Single().Token);
    }

    [Fact]
    public async Task SlashCommandIsAckedBeforeTheEngineFinishesAndTheAnswerFollowsByResponseUrl()
    {
        await using var harness = await SlackAdapterHarness.StartAsync(s => s["Slack:AckBudget"] = "00:00:00.2");
        var socket = (await harness.Fake.WaitForOpenSocketsAsync(2))[0];
        var gate = new TaskCompletionSource();
        harness.Engine.Gate = gate;
        harness.Engine.Answer = _ => [new Reply(new Message("Here is the list."))];

        var envelopeId = await socket.SendEnvelopeAsync("slash_commands", harness.Fake.SlashCommand("U1", "/interview", "list"));
        var ack = await harness.Fake.WaitForAckAsync(envelopeId);

        Assert.False(gate.Task.IsCompleted);
        Assert.False(ack.Late);
        Assert.Equal(socket.Id, ack.ConnectionId);
        Assert.Null(ack.Payload);

        gate.SetResult();
        var post = await harness.Fake.WaitUntilAsync(() => harness.Fake.ResponsePosts.FirstOrDefault(), "a response_url post");
        Assert.Equal("ephemeral", (string?)post.Body["response_type"]);
        Assert.Equal("Here is the list.", (string?)post.Body["text"]);
    }

    [Fact]
    public async Task QuickAnswerRidesOnTheAckAsAnEphemeralMessage()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var socket = (await harness.Fake.WaitForOpenSocketsAsync(2))[0];
        harness.Engine.Answer = _ => [new Reply(new Message("You have no open interviews."))];

        var envelopeId = await socket.SendEnvelopeAsync("slash_commands", harness.Fake.SlashCommand("U1", "/interview", "list"));
        var ack = await harness.Fake.WaitForAckAsync(envelopeId);

        Assert.Equal("ephemeral", (string?)ack.Payload?["response_type"]);
        Assert.Equal("You have no open interviews.", (string?)ack.Payload?["text"]);
        Assert.Empty(harness.Fake.ResponsePosts);
    }

    [Fact]
    public async Task WithoutAcceptsResponsePayloadTheAckIsEmptyAndTheAnswerGoesByResponseUrl()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var socket = (await harness.Fake.WaitForOpenSocketsAsync(2))[0];
        harness.Engine.Answer = _ => [new Reply(new Message("You have no open interviews."))];

        var envelopeId = await socket.SendEnvelopeAsync("slash_commands", harness.Fake.SlashCommand("U1", "/interview", "list"),
            acceptsResponsePayload: false);
        var ack = await harness.Fake.WaitForAckAsync(envelopeId);

        Assert.Null(ack.Payload);
        var post = await harness.Fake.WaitUntilAsync(() => harness.Fake.ResponsePosts.FirstOrDefault(), "a response_url post");
        Assert.Equal("You have no open interviews.", (string?)post.Body["text"]);
    }

    [Fact]
    public async Task CommandTextIsParsedWithCurlyQuotesAndTheMemberCarriesSlacksTimeZone()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var socket = (await harness.Fake.WaitForOpenSocketsAsync(2))[0];

        var envelopeId = await socket.SendEnvelopeAsync("slash_commands",
            harness.Fake.SlashCommand("U2", "/interview", "done company:“Acme Corp” format:onsite"));
        await harness.Fake.WaitForAckAsync(envelopeId);

        var command = Assert.IsType<SlashCommand>(Assert.Single(harness.Engine.Events));
        Assert.Equal("interview done", command.Name);
        Assert.Equal("Acme Corp", command.Options["company"]);
        Assert.Equal("onsite", command.Options["format"]);
        Assert.Equal(new Core.Domain.MemberKey("slack", FakeSlack.TeamId, "U2"), command.From.Key);
        Assert.Equal("Europe/Berlin", command.From.TimeZoneHint);
    }

    [Fact]
    public async Task UnknownSubCommandGetsAPoliteAnswerWithoutReachingTheEngine()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var socket = (await harness.Fake.WaitForOpenSocketsAsync(2))[0];

        var envelopeId = await socket.SendEnvelopeAsync("slash_commands", harness.Fake.SlashCommand("U1", "/interview", "dance"));
        var ack = await harness.Fake.WaitForAckAsync(envelopeId);

        Assert.Contains("dance", (string?)ack.Payload?["text"]);
        Assert.Empty(harness.Engine.Events);
    }

    [Fact]
    public async Task RedeliveredEnvelopeIsAckedOnEachSocketButProcessedOnce()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var sockets = await harness.Fake.WaitForOpenSocketsAsync(2);
        var payload = harness.Fake.SlashCommand("U1", "/interview", "list");

        var first = await sockets[0].SendEnvelopeAsync("slash_commands", payload, envelopeId: "env-1");
        await harness.Fake.WaitForAckAsync(first);
        await sockets[1].SendEnvelopeAsync("slash_commands", payload, envelopeId: "env-1");
        await harness.Fake.WaitUntilAsync(() => harness.Fake.Acks.Count(a => a.EnvelopeId == "env-1") == 2, "both acks");
        // Same payload again under a new envelope id, as a retry after a lost ack would come.
        var retry = await sockets[1].SendEnvelopeAsync("slash_commands", payload, retryAttempt: 1);
        await harness.Fake.WaitForAckAsync(retry);

        // One ack on each socket (the fake may list the two sockets in either order of their ids).
        Assert.Equal(new[] { sockets[0].Id, sockets[1].Id }.Order(), harness.Fake.Acks.Where(a => a.EnvelopeId == "env-1").Select(a => a.ConnectionId).Order());
        Assert.Single(harness.Engine.Events);
    }

    [Fact]
    public async Task ACommandRedeliveredAfterItsFirstDeliveryWentElsewhereIsAckedButNotRun()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var socket = (await harness.Fake.WaitForOpenSocketsAsync(2))[0];

        // A first attempt this process never saw: another instance got it and acked too late, or died.
        var retry = await socket.SendEnvelopeAsync("slash_commands", harness.Fake.SlashCommand("U1", "/interview", "list"), retryAttempt: 1);
        var ack = await harness.Fake.WaitForAckAsync(retry);

        Assert.Null(ack.Payload);
        Assert.Empty(harness.Engine.Events);
    }

    [Fact]
    public async Task AnEnvelopeWhoseAckIsLostComesBackOnAnotherConnectionAndIsHandledOnce()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var fake = harness.Fake;
        await fake.WaitForOpenSocketsAsync(2);

        var envelopeId = fake.Deliver("slash_commands", fake.SlashCommand("U1", "/interview", "list"), loseFirstAck: true);
        var ack = await fake.WaitForAckAsync(envelopeId);

        var attempts = fake.Deliveries.Where(d => d.EnvelopeId == envelopeId).ToList();
        Assert.Equal([0, 1], attempts.Select(a => a.RetryAttempt));
        Assert.NotEqual(attempts[0].ConnectionId, attempts[1].ConnectionId);
        Assert.Equal(attempts[1].ConnectionId, ack.ConnectionId);
        Assert.Single(harness.Engine.Events);
        Assert.Empty(fake.Undelivered);
    }

    [Fact]
    public async Task AConnectionOverSlacksLimitIsRetriedWithBackoffAndTheSettingIsNamed()
    {
        var fake = await FakeSlack.StartAsync();
        // Another instance of the bot already holds all but one of the app's connections.
        fake.MaxConnections = 1;
        var first = TimeSpan.FromMilliseconds(200);
        await using var harness = await SlackAdapterHarness.StartAsync(s =>
        {
            s["Slack:ReconnectDelay"] = first.ToString();
            s["Slack:MaxReconnectDelay"] = "00:00:05";
        }, fake: fake);
        await fake.WaitForOpenSocketsAsync(1);

        // Counted against the schedule rather than after a pause. Of the first five calls, two are the slots' first
        // connections, and the second of those may come after the crowded slot's first retry; so from the third call to
        // the fifth at least one wait is the crowded slot's own retry, no sooner than the backoff's lowest draw (half
        // the doubling delay, at least half of ReconnectDelay). Without backoff the span would be a few ms.
        var opens = await fake.WaitUntilAsync(() => fake.CallsTo("apps.connections.open") is { Count: >= 5 } calls ? calls : null,
            "retries of the crowded slot");
        var span = System.Diagnostics.Stopwatch.GetElapsedTime(opens[2].ReceivedAt, opens[4].ReceivedAt);
        Assert.True(span >= first / 2, $"two calls after the first two came within {span.TotalMilliseconds:F0} ms");

        // And it says which setting to lower.
        Assert.True(harness.Logs.Lines.Any(l => l.Contains("Slack:SocketConnections")), string.Join("\n", harness.Logs.Lines.Where(l => l.Contains("ocket"))));
        Assert.Single(fake.OpenSockets, s => s.Greeted);
    }

    [Fact]
    public async Task FragmentedFramesAreReassembled()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var socket = (await harness.Fake.WaitForOpenSocketsAsync(2))[0];

        var envelopeId = await socket.SendEnvelopeAsync("slash_commands",
            harness.Fake.SlashCommand("U1", "/interview", "done company:\"" + new string('x', 40) + "\""), fragments: 7);
        await harness.Fake.WaitForAckAsync(envelopeId);

        var command = Assert.IsType<SlashCommand>(Assert.Single(harness.Engine.Events));
        Assert.Equal(new string('x', 40), command.Options["company"]);
    }

    [Fact]
    public async Task WarningThenRefreshRequestedLoseNoEnvelope()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var fake = harness.Fake;
        var sockets = await fake.WaitForOpenSocketsAsync(2);
        var (a, b) = (sockets[0], sockets[1]);

        await a.DisconnectAsync("warning");
        var e1 = await a.SendEnvelopeAsync("slash_commands", fake.SlashCommand("U1", "/interview", "list"));
        await fake.WaitUntilAsync(() => fake.Sockets.Count == 3 && fake.Sockets[2].Greeted, "the replacement of the warned socket");
        await a.Closed.WaitAsync(TimeSpan.FromSeconds(15));
        var c = fake.Sockets[2];
        var e2 = await c.SendEnvelopeAsync("slash_commands", fake.SlashCommand("U1", "/interview", "list"));

        await b.DisconnectAsync("refresh_requested");
        var e3 = await b.SendEnvelopeAsync("slash_commands", fake.SlashCommand("U1", "/interview", "list"));
        await fake.WaitUntilAsync(() => fake.Sockets.Count == 4 && fake.Sockets[3].Greeted, "the replacement of the refreshed socket");
        await b.Closed.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(a.Id, (await fake.WaitForAckAsync(e1)).ConnectionId);
        Assert.Equal(c.Id, (await fake.WaitForAckAsync(e2)).ConnectionId);
        Assert.Equal(b.Id, (await fake.WaitForAckAsync(e3)).ConnectionId);
        Assert.True(a.ClosedByClient && b.ClosedByClient);
        Assert.Equal(2, fake.OpenSockets.Count);
        Assert.Equal(3, harness.Engine.Events.Count);
    }

    [Fact]
    public async Task LinkDisabledStopsTheBotWithAClearMessageInsteadOfLooping()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var socket = (await harness.Fake.WaitForOpenSocketsAsync(2))[0];

        await socket.DisconnectAsync("link_disabled");

        var service = harness.Host.Services.GetServices<IHostedService>().OfType<SocketModeService>().Single();
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(FatalStop.ExitCode, harness.ExitCode.Code);
        Assert.True(harness.Get<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.Contains(harness.Logs.Lines, l => l.StartsWith("Critical") && l.Contains("link_disabled") && l.Contains("Socket Mode"));
        Assert.Equal(2, harness.Fake.CallsTo("apps.connections.open").Count);
    }

    [Fact]
    public async Task WrongBotTokenStopsTheBotAtStartBeforeAnySocketOpens()
    {
        var fake = await FakeSlack.StartAsync();
        fake.BotTokenValid = false;
        await using var harness = await SlackAdapterHarness.StartAsync(fake: fake);

        var service = harness.Host.Services.GetServices<IHostedService>().OfType<SocketModeService>().Single();
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(FatalStop.ExitCode, harness.ExitCode.Code);
        Assert.True(harness.Get<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.Contains(harness.Logs.Lines, l => l.StartsWith("Critical") && l.Contains("Slack:BotToken"));
        Assert.Empty(fake.CallsTo("apps.connections.open"));
    }

    [Fact]
    public async Task WrongAppTokenStopsTheBotInsteadOfReconnecting()
    {
        await using var harness = await SlackAdapterHarness.StartAsync(s => s["Slack:AppToken"] = "xapp-1-wrong-token");

        var service = harness.Host.Services.GetServices<IHostedService>().OfType<SocketModeService>().Single();
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(FatalStop.ExitCode, harness.ExitCode.Code);
        Assert.Contains(harness.Logs.Lines, l => l.StartsWith("Critical") && l.Contains("Slack:AppToken"));
        Assert.Empty(harness.Fake.Sockets);
    }

    [Fact]
    public async Task TokensRevokedEventStopsTheBot()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var socket = (await harness.Fake.WaitForOpenSocketsAsync(2))[0];
        var revoked = new JsonObject
        {
            ["token"] = "x", ["team_id"] = FakeSlack.TeamId, ["api_app_id"] = "A0FAKE", ["type"] = "event_callback",
            ["event_id"] = "Ev1", ["event_time"] = 1700000000,
            ["event"] = new JsonObject { ["type"] = "tokens_revoked", ["tokens"] = new JsonObject { ["bot"] = new JsonArray("UBOT") } },
        };

        await harness.Fake.WaitForAckAsync(await socket.SendEnvelopeAsync("events_api", revoked));

        await harness.Fake.WaitUntilAsync(() => harness.ExitCode.Code == FatalStop.ExitCode, "the bot to stop");
        Assert.Contains(harness.Logs.Lines, l => l.StartsWith("Critical") && l.Contains("tokens_revoked"));
    }

    [Fact]
    public async Task DroppedConnectionIsReplaced()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var sockets = await harness.Fake.WaitForOpenSocketsAsync(2);

        sockets[0].Abort();

        await harness.Fake.WaitUntilAsync(() => harness.Fake.Sockets.Count == 3 && harness.Fake.OpenSockets.Count == 2, "a replacement socket");
        var envelopeId = await harness.Fake.Sockets[2].SendEnvelopeAsync("slash_commands", harness.Fake.SlashCommand("U1", "/interview", "list"));
        await harness.Fake.WaitForAckAsync(envelopeId);
        Assert.Equal(3, harness.Fake.CallsTo("apps.connections.open").Count);
    }

    [Fact]
    public async Task ConnectionThatGoesSilentIsDetectedByPingsAndReplaced()
    {
        var fake = await FakeSlack.StartAsync();
        await using var proxy = new SilencingProxy(fake.BaseUrl);
        fake.SocketPort = proxy.Port;
        await using var harness = await SlackAdapterHarness.StartAsync(s =>
        {
            s["Slack:SocketConnections"] = "1";
            s["Slack:KeepAliveInterval"] = "00:00:00.3";
        }, fake: fake);
        await fake.WaitForOpenSocketsAsync(1);

        proxy.SilenceExisting();

        await fake.WaitUntilAsync(() => fake.Sockets.Count == 2 && fake.Sockets[1].Greeted, "a replacement for the silent socket");
        var envelopeId = await fake.Sockets[1].SendEnvelopeAsync("slash_commands", fake.SlashCommand("U1", "/interview", "list"));
        await fake.WaitForAckAsync(envelopeId);
    }

    [Fact]
    public async Task ConnectionWithoutHelloIsReplaced()
    {
        var fake = await FakeSlack.StartAsync();
        fake.SendHello = false;
        await using var harness = await SlackAdapterHarness.StartAsync(s =>
        {
            s["Slack:SocketConnections"] = "1";
            s["Slack:HelloTimeout"] = "00:00:00.3";
        }, fake: fake);

        await fake.WaitUntilAsync(() => fake.CallsTo("apps.connections.open").Count >= 2, "a second attempt");
        fake.SendHello = true;

        await fake.WaitForOpenSocketsAsync(1);
    }

    [Fact]
    public async Task MalformedPayloadsAreAckedAndIgnoredWithoutCrashing()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var socket = (await harness.Fake.WaitForOpenSocketsAsync(2))[0];
        var noUser = harness.Fake.SlashCommand("U1", "/interview", "list");
        noUser.Remove("user_id");

        var ids = new List<string>
        {
            await socket.SendEnvelopeAsync("slash_commands", noUser),
            await socket.SendEnvelopeAsync("interactive", new JsonObject { ["type"] = "block_actions", ["user"] = "U1" }),
            await socket.SendEnvelopeAsync("interactive", new JsonObject { ["type"] = "view_submission", ["user"] = new JsonObject { ["id"] = "U1" } }),
            await socket.SendEnvelopeAsync("interactive", new JsonObject { ["type"] = "no_such_thing" }),
            await socket.SendEnvelopeAsync("events_api", new JsonObject { ["event"] = "not an object" }),
        };
        await socket.SendAsync(JsonValue.Create("not even an object")!);
        await socket.SendAsync(new JsonObject { ["envelope_id"] = "env-without-payload", ["type"] = "slash_commands" });
        ids.Add("env-without-payload");

        foreach (var id in ids) await harness.Fake.WaitForAckAsync(id);
        var ok = await socket.SendEnvelopeAsync("slash_commands", harness.Fake.SlashCommand("U1", "/interview", "list"));
        await harness.Fake.WaitForAckAsync(ok);
        Assert.Single(harness.Engine.Events);
    }
}
