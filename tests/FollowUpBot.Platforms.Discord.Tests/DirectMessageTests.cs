using System.Text.Json.Nodes;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Discord.Tests.Fakes;
using Microsoft.Extensions.Hosting;

namespace FollowUpBot.Platforms.Discord.Tests;

public sealed class DirectMessageTests : IAsyncLifetime
{
    private FakeDiscord _discord = null!;
    private AdapterHost _adapter = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscord.StartAsync();
        // Only REST matters here: the application id is configured and the gateway never answers.
        _adapter = await AdapterHost.StartAsync(_discord, c =>
        {
            c["Discord:ApplicationId"] = FakeDiscord.ApplicationId;
            c["Discord:Mode"] = "http";
            c["Discord:PublicKey"] = new string('a', 64);
        }, waitForSession: false);
        await _discord.WaitForRequestAsync(r => r.Is("PUT", "applications/"), "the command registration");
    }

    public async Task DisposeAsync()
    {
        await _adapter.DisposeAsync();
        await _discord.DisposeAsync();
    }

    private IChatPlatform Platform => _adapter.Get<IEnumerable<IChatPlatform>>().Single(p => p.Name == "discord");

    private static DirectMessageRequest Nudge(string userId = Payloads.MemberId, string key = "n42d1", string text = "Time to write your debrief notes.") =>
        new(new Member(1, new MemberKey("discord", Payloads.GuildId, userId), "UTC", QuietHours.Default, false, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch),
            new Message(text, [new Button("nudge:42:notes", "Add notes", ButtonStyle.Primary), new Button("nudge:42:done", "Done", ButtonStyle.Success)]),
            key, PossibleRepeat: false);

    private IReadOnlyList<RecordedRequest> MessagePosts(string userId = Payloads.MemberId) =>
        _discord.Requests.Where(r => r.Is("POST", $"channels/9{userId}/messages")).ToList();

    [Fact]
    public async Task OpensTheDmChannelOnceAndSendsTheNudgeWithItsDeliveryKeyAsNonce()
    {
        Assert.Equal(DeliveryStatus.Delivered, (await Platform.SendDirectMessageAsync(Nudge(), default)).Status);
        Assert.Equal(DeliveryStatus.Delivered, (await Platform.SendDirectMessageAsync(Nudge(key: "n43d1"), default)).Status);

        var open = Assert.Single(_discord.Requests, r => r.Is("POST", "users/@me/channels"));
        DiscordSchema.AssertValid("CreatePrivateChannelRequest", open.Json);
        Assert.Equal(Payloads.MemberId, open.Json!["recipient_id"]!.GetValue<string>());
        var post = MessagePosts()[0].Json!;
        DiscordSchema.AssertValid("MessageCreateRequest", post);
        Assert.Equal("n42d1", post["nonce"]!.GetValue<string>());
        Assert.True(post["enforce_nonce"]!.GetValue<bool>());
        Assert.Equal($"w:{Payloads.GuildId}.n42d1:nudge:42:notes", post["components"]![0]!["components"]![0]!["custom_id"]!.GetValue<string>());
        Assert.Equal(1, post["components"]![0]!["components"]![0]!["style"]!.GetValue<int>());
        Assert.Empty(post["allowed_mentions"]!["parse"]!.AsArray());
    }

    [Fact]
    public async Task ASendRepeatedWithinMinutesIsDeduplicatedByDiscordsNonce()
    {
        await Platform.SendDirectMessageAsync(Nudge(), default);
        var again = await Platform.SendDirectMessageAsync(Nudge(), default);

        Assert.Equal(DeliveryStatus.Delivered, again.Status);
        Assert.Equal(2, MessagePosts().Count);
        Assert.Single(_discord.Messages);
    }

    [Fact]
    public async Task APossibleRepeatLongAfterTheCrashFindsTheEarlierDeliveryInTheDmChannel()
    {
        await Platform.SendDirectMessageAsync(Nudge(), default);
        _discord.ForgetNonces();

        var again = await Platform.SendDirectMessageAsync(Nudge() with { PossibleRepeat = true }, default);

        Assert.Equal(DeliveryStatus.Delivered, again.Status);
        Assert.Single(MessagePosts());
        Assert.Single(_discord.Messages);
    }

    [Fact]
    public async Task APossibleRepeatThatNeverArrivedIsSent()
    {
        await Platform.SendDirectMessageAsync(Nudge(key: "n41d1"), default);

        var first = await Platform.SendDirectMessageAsync(Nudge() with { PossibleRepeat = true }, default);

        Assert.Equal(DeliveryStatus.Delivered, first.Status);
        Assert.Equal(2, _discord.Messages.Count);
        Assert.Single(_discord.Requests, r => r.Is("GET", $"channels/9{Payloads.MemberId}/messages"));
    }

    [Fact]
    public async Task AMemberWithClosedDmsIsUnreachableAndNotRetried()
    {
        _discord.ClosedDms[Payloads.OtherMemberId] = 0;

        var result = await Platform.SendDirectMessageAsync(Nudge(Payloads.OtherMemberId), default);

        Assert.Equal(DeliveryStatus.Unreachable, result.Status);
        Assert.Contains("50007", result.Detail);
        Assert.Single(MessagePosts(Payloads.OtherMemberId));
    }

    [Fact]
    public async Task AWaveOfClosedDmsHoldsFurtherRequestsBackInsteadOfRiskingABan()
    {
        var closed = Enumerable.Range(0, 10).Select(i => $"15000000000000001{i:D2}").ToList();
        foreach (var user in closed) _discord.ClosedDms[user] = 0;
        foreach (var user in closed)
            Assert.Equal(DeliveryStatus.Unreachable, (await Platform.SendDirectMessageAsync(Nudge(user), default)).Status);
        var before = _discord.Requests.Count;

        var held = await Platform.SendDirectMessageAsync(Nudge(), default);

        Assert.Equal(DeliveryStatus.RetryLater, held.Status);
        Assert.InRange(held.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal(before, _discord.Requests.Count);
    }

    [Fact]
    public async Task NoMutualServerIsUnreachableToo()
    {
        _discord.Script(r => r.Is("POST", "channels/"), new FakeReply(403, """{"message":"no mutual guilds","code":50278}"""));

        Assert.Equal(DeliveryStatus.Unreachable, (await Platform.SendDirectMessageAsync(Nudge(), default)).Status);
    }

    [Fact]
    public async Task OtherClientErrorsArePermanentFailures()
    {
        _discord.Script(r => r.Is("POST", "channels/"), new FakeReply(400, """{"code":50035,"message":"Invalid Form Body","errors":{"content":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"too long"}]}}}"""));

        var result = await Platform.SendDirectMessageAsync(Nudge(), default);

        Assert.Equal(DeliveryStatus.PermanentFailure, result.Status);
        Assert.Single(MessagePosts());
    }

    [Fact]
    public async Task WaitsOutA429OnTheMessageRouteThenDelivers()
    {
        _discord.Script(r => r.Is("POST", "channels/"), FakeReply.RateLimited(0.05));

        Assert.Equal(DeliveryStatus.Delivered, (await Platform.SendDirectMessageAsync(Nudge(), default)).Status);
        Assert.Equal(2, MessagePosts().Count);
    }

    [Fact]
    public async Task WaitsOutAGlobal429ThenDelivers()
    {
        _discord.Script(r => r.Is("POST", "users/@me/channels"), FakeReply.RateLimited(0.05, global: true));

        Assert.Equal(DeliveryStatus.Delivered, (await Platform.SendDirectMessageAsync(Nudge(), default)).Status);
        Assert.Equal(2, _discord.Requests.Count(r => r.Is("POST", "users/@me/channels")));
    }

    [Fact]
    public async Task ALongRateLimitIsHandedBackAsRetryLater()
    {
        _discord.Script(r => r.Is("POST", "channels/"), FakeReply.RateLimited(600));

        var result = await Platform.SendDirectMessageAsync(Nudge(), default);

        Assert.Equal(DeliveryStatus.RetryLater, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(600), result.RetryAfter);
        Assert.Single(MessagePosts());
    }

    [Fact]
    public async Task RetriesServerErrorsAndDroppedConnections()
    {
        _discord.Script(r => r.Is("POST", "channels/"), FakeReply.ServerError(502), new FakeReply(0, Drop: true), FakeReply.ServerError(500));

        Assert.Equal(DeliveryStatus.Delivered, (await Platform.SendDirectMessageAsync(Nudge(), default)).Status);
        Assert.Equal(4, MessagePosts().Count);
    }

    [Fact]
    public async Task GivesUpOnPersistentServerErrorsWithRetryLater()
    {
        _discord.Script(r => r.Is("POST", "channels/"), Enumerable.Repeat(FakeReply.ServerError(503), 10).ToArray());

        var result = await Platform.SendDirectMessageAsync(Nudge(), default);

        Assert.Equal(DeliveryStatus.RetryLater, result.Status);
        Assert.Equal(4, MessagePosts().Count); // Discord:MaxRestAttempts
    }

    [Fact]
    public async Task HonoursTheBucketHeadersSoConcurrentSendsToOneMemberGetNo429()
    {
        _discord.MessageBucketSize = 2;
        _discord.BucketWindow = TimeSpan.FromMilliseconds(300);

        var results = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => Platform.SendDirectMessageAsync(Nudge(key: $"n{i}d1"), default)));

        Assert.All(results, r => Assert.Equal(DeliveryStatus.Delivered, r.Status));
        Assert.True(6 == MessagePosts().Count, string.Join("\n", MessagePosts().Select(r => $"{r.Number} {_discord.Answers[r.Number].Status} {_discord.Answers[r.Number].At:ss.fff} {_discord.Answers[r.Number].RateLimit}")));
    }

    [Fact]
    public async Task CutsTextToDiscordsTwoThousandCharacters()
    {
        await Platform.SendDirectMessageAsync(Nudge(text: new string('x', 2500)), default);

        Assert.Equal(2000, MessagePosts()[0].Json!["content"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task InteractionCallbacksAreNotHeldBehindAGloballyRateLimitedDm()
    {
        _discord.Script(r => r.Is("POST", "channels/"), FakeReply.RateLimited(1.5, global: true));
        var dm = Platform.SendDirectMessageAsync(Nudge(), default);
        await _discord.WaitForRequestAsync(r => r.Is("POST", "channels/"), "the rate-limited DM");
        var reply = _adapter.Get<FollowUpBot.Platforms.Discord.Interactions.InteractionHandler>();
        var interaction = Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>());

        await reply.HandleAsync(System.Text.Json.JsonDocument.Parse(interaction.ToJsonString()).RootElement,
            new FollowUpBot.Platforms.Discord.Interactions.GatewayInitialResponder(_adapter.Get<FollowUpBot.Platforms.Discord.Rest.DiscordRestClient>()), default);

        var callback = await _discord.CallbackAsync(interaction["id"]!.GetValue<string>());
        Assert.Single(MessagePosts()); // the DM is still waiting out the global limit
        Assert.Equal(DeliveryStatus.Delivered, (await dm).Status);
        Assert.True(MessagePosts()[1].Number > callback.Number);
    }

    [Fact]
    public async Task A401StopsTheBotWithAClearMessage()
    {
        _discord.Script(r => r.Is("POST", "users/@me/channels"), new FakeReply(401, """{"message":"401: Unauthorized","code":0}"""));

        var result = await Platform.SendDirectMessageAsync(Nudge(), default);

        Assert.Equal(DeliveryStatus.RetryLater, result.Status);
        Assert.True(_adapter.Get<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.Contains(_adapter.Logs.Lines, l => l.StartsWith("Critical") && l.Contains("Discord:Token"));
        Assert.DoesNotContain(_adapter.Logs.Lines, l => l.Contains(FakeDiscord.Token));
    }
}
