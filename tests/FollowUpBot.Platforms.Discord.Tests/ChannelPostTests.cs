using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Discord.Tests.Fakes;

namespace FollowUpBot.Platforms.Discord.Tests;

/// <summary>Coach-channel posts (digests) through the adapter's port, against the fake Discord.</summary>
public sealed class ChannelPostTests : IAsyncLifetime
{
    private const string Channel = "1400000000000000077";
    private FakeDiscord _discord = null!;
    private AdapterHost _adapter = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscord.StartAsync();
        _adapter = await AdapterHost.StartAsync(_discord);
    }

    public async Task DisposeAsync()
    {
        await _adapter.DisposeAsync();
        await _discord.DisposeAsync();
    }

    private static Message Digest(int sections) => new("plain")
    {
        Title = "Fall 2026: digest",
        Sections = Enumerable.Range(1, sections).Select(s => new MessageSection($"Part {s}", [new string('x', 2900)])).ToList(),
    };

    private Task<DeliveryResult> PostAsync(Message message, string channel = Channel) =>
        _adapter.Get<DiscordChatPlatform>().PostToChannelAsync(new ChannelPostRequest("1400000000000000001", channel, message), CancellationToken.None);

    private IReadOnlyList<RecordedRequest> Posts() => _discord.Requests.Where(r => r.Is("POST", $"channels/{Channel}/messages")).ToList();

    [Fact]
    public async Task ADigestTooBigForOneMessageIsPostedAsSeveralInOrder()
    {
        var result = await PostAsync(Digest(5));

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        var posts = Posts();
        Assert.Equal(3, posts.Count); // sections of about 2,900 characters: two per message, within the 6,000 across embeds
        Assert.All(posts, p => DiscordSchema.AssertValid("MessageCreateRequest", p.Json));
        Assert.All(posts, p => EmbedLimits.AssertWithin(p.Json!));
        Assert.Equal(["Part 1", "Part 2", "Part 3", "Part 4", "Part 5"],
            posts.SelectMany(p => p.Json!["embeds"]!.AsArray()).Select(e => e!["title"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AChannelTheBotMayNotSeeIsAPermanentFailureAndTheRestIsNotSent()
    {
        _discord.Script(r => r.Is("POST", $"channels/{Channel}/messages"), new FakeReply(403, """{"message":"Missing Access","code":50001}"""));

        var result = await PostAsync(Digest(5));

        Assert.Equal(DeliveryStatus.PermanentFailure, result.Status);
        Assert.Single(Posts());
    }

    [Fact]
    public async Task AChannelWithoutAttachFilesGetsTheDigestWithoutItsChart()
    {
        var chart = new Attachment("fall-2026-2026-12-07.png", "image/png", [0x89, 0x50, 0x4E, 0x47]) { AltText = "Chart of Fall 2026" };
        _discord.Script(r => r.Is("POST", $"channels/{Channel}/messages") && r.Files is { Count: > 0 },
            new FakeReply(403, """{"message":"Missing Permissions","code":50013}"""));

        var result = await PostAsync(Digest(1) with { Attachment = chart });

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        var (refused, plain) = (Posts()[0], Posts()[1]);
        Assert.Equal("attachment://fall-2026-2026-12-07.png", refused.Json!["embeds"]![0]!["image"]!["url"]!.GetValue<string>());
        Assert.Empty(plain.Files ?? []);
        Assert.Null(plain.Json!["embeds"]![0]!["image"]);
        Assert.Equal("Part 1", plain.Json["embeds"]![0]!["title"]!.GetValue<string>());
        DiscordSchema.AssertValid("MessageCreateRequest", plain.Json);
    }

    [Fact]
    public async Task ARateLimitedPostIsRetriedAfterTheWait()
    {
        _discord.Script(r => r.Is("POST", $"channels/{Channel}/messages"), FakeReply.RateLimited(0.05));

        var result = await PostAsync(Digest(1));

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        Assert.Equal(2, Posts().Count);
    }

    [Fact]
    public async Task AChannelThatIsNotADiscordIdIsRefusedWithoutARequest()
    {
        var result = await PostAsync(Digest(1), channel: "career-room");

        Assert.Equal(DeliveryStatus.PermanentFailure, result.Status);
        Assert.DoesNotContain(_discord.Requests, r => r.Is("POST", "channels/"));
    }
}
